"""Where each token is: learned position embeddings, the fixed sinusoidal encoding, and both added
to token embeddings.

Self-attention is blind to order (permuting the tokens permutes the outputs), so a transformer
adds to each token's vector x_t a vector p_t that says where it stands::

    h_t = E[id_t] + p_t            p_t learned (PositionEmbedding) or fixed (SinePositionEncoding)

The names and the behaviour follow keras_hub (``keras_hub.layers.PositionEmbedding``,
``SinePositionEncoding``, ``TokenAndPositionEmbedding``), so code written for them ports by
changing the import: ``PositionEmbedding`` and ``SinePositionEncoding`` return the position
vectors alone, broadcast to the input's shape (the caller adds them: ``x + pe(x)``), and
``TokenAndPositionEmbedding`` does the lookup and the addition in one layer.
"""
from __future__ import annotations

import numbers

import numpy as np

from ... import initializers, ops
from ..arguments import check_positive_int
from ..base import Layer
from ..core.embedding import Embedding
from ..registry import serialize_component


def _check_sequence_axes(layer, shape) -> None:
    if len(shape) < 2 or shape[-1] is None:
        raise ValueError(f"{layer.name}: expected inputs of shape (batch, sequence_length, features) (rank ≥ 2, a known "
                         f"last axis), got shape {tuple(shape)}")


def _check_start_index(layer, start_index) -> int:
    if isinstance(start_index, bool) or not isinstance(start_index, (int, np.integer)) or start_index < 0:
        raise ValueError(f"{layer.name}: start_index must be an int ≥ 0, got {start_index!r}")
    return int(start_index)


class PositionEmbedding(Layer):
    """A learned vector for each position: row t of a trainable (sequence_length, d) table P.

    Formula: y[..., t, :] = P[start_index + t, :]   (broadcast over the batch; the input's values
    are not read, only its shape)

    As in keras_hub, the layer returns the position embeddings only, shaped like its input;
    add them yourself (``x + PositionEmbedding(64)(x)``), or use ``TokenAndPositionEmbedding``,
    which looks the tokens up and adds the positions in one layer. Backward: ∂L/∂P[t] is the
    sum over the batch of ∂L/∂y[:, t].

    Args:
        sequence_length: the longest sequence the table covers (its number of rows).
        initializer: initializer of P (keras_hub's default "glorot_uniform").

    Call arguments:
        inputs: (batch, T, d) (any rank ≥ 2; the sequence is the second-last axis), T ≤ sequence_length.
        start_index: the position of the first step (for decoding one token at a time), default 0.

    Input shape:
        (..., T, d). Output shape: the same. The input's mask passes on to the output.
    """

    supports_masking = True

    def __init__(self, sequence_length, initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        self.sequence_length = check_positive_int("PositionEmbedding", "sequence_length", sequence_length)
        self.initializer = initializers.get(initializer)

    def build(self, input_shape):
        _check_sequence_axes(self, input_shape)
        self.position_embeddings = self.add_weight(shape=(self.sequence_length, input_shape[-1]),
                                                   initializer=self.initializer, name="embeddings")

    def positions(self, length: int, start_index: int = 0):
        """P[start_index : start_index + length], a (length, d) Tensor (differentiable in P)."""
        start_index = _check_start_index(self, start_index)
        if start_index + length > self.sequence_length:
            raise ValueError(f"{self.name}: a sequence of length {length} starting at position {start_index} does not "
                             f"fit in sequence_length={self.sequence_length}; make the layer with a larger "
                             f"sequence_length or pass shorter sequences")
        return self.position_embeddings[start_index:start_index + length]

    def call(self, inputs, start_index=0):
        _check_sequence_axes(self, inputs.shape)
        if inputs.shape[-1] != self.position_embeddings.shape[1]:
            raise ValueError(f"{self.name}: built for {self.position_embeddings.shape[1]} features, got inputs of "
                             f"shape {inputs.shape}")
        return ops.broadcast_to(self.positions(inputs.shape[-2], start_index), inputs.shape)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "sequence_length": self.sequence_length,
                "initializer": serialize_component(initializers, self.initializer)}


def sinusoidal_encoding(length: int, depth: int, max_wavelength: float = 10_000.0, start_index: int = 0,
                        dtype="float64") -> np.ndarray:
    """The (length, depth) table of "Attention is all you need" (Vaswani et al., 2017, §3.5)::

        PE(pos, 2i)     = sin(pos / max_wavelength^(2i/d))
        PE(pos, 2i + 1) = cos(pos / max_wavelength^(2i/d))       pos = start_index, …, start_index + length − 1

    Each pair of columns is a sine and a cosine of one frequency; the wavelengths grow
    geometrically from 2π to max_wavelength·2π, so PE(pos + k) is a linear function of PE(pos).
    An odd d ends with a sine column.
    """
    pos = np.arange(start_index, start_index + length, dtype=np.float64)[:, None]      # (T, 1)
    two_i = (np.arange(depth) // 2 * 2).astype(np.float64)                              # 0, 0, 2, 2, 4, …
    angles = pos / np.power(float(max_wavelength), two_i / depth)                       # (T, d)
    table = np.where(np.arange(depth) % 2 == 0, np.sin(angles), np.cos(angles))
    return table.astype(dtype)


class SinePositionEncoding(Layer):
    """The fixed sinusoidal position encoding of the original transformer (no weights).

    Formula (d the input's last axis, see ``sinusoidal_encoding``)::

        y[..., pos, 2i]     = sin(pos / max_wavelength^(2i/d))
        y[..., pos, 2i + 1] = cos(pos / max_wavelength^(2i/d))

    As keras_hub's ``SinePositionEncoding``: returns the encoding alone, shaped like the input
    (add it: ``x + SinePositionEncoding()(x)``); any sequence length works.

    Args:
        max_wavelength: the longest wavelength (divided by 2π), 10000 in the paper.

    Call arguments:
        inputs: (batch, T, d) (any rank ≥ 2). start_index: the position of the first step.

    Input shape:
        (..., T, d). Output shape: the same (a constant: no gradient flows into the input).
    """

    supports_masking = True

    def __init__(self, max_wavelength=10_000, **kwargs):
        super().__init__(**kwargs)
        if isinstance(max_wavelength, bool) or not isinstance(max_wavelength, numbers.Real) or not max_wavelength > 0:
            raise ValueError(f"SinePositionEncoding: max_wavelength must be a number > 0, got {max_wavelength!r}")
        self.max_wavelength = max_wavelength

    def call(self, inputs, start_index=0):
        _check_sequence_axes(self, inputs.shape)
        table = sinusoidal_encoding(inputs.shape[-2], inputs.shape[-1], self.max_wavelength,
                                    _check_start_index(self, start_index), self.dtype)
        return ops.broadcast_to(table, inputs.shape)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "max_wavelength": self.max_wavelength}


class TokenAndPositionEmbedding(Layer):
    """Token ids → token embedding + learned position embedding: the input layer of a transformer.

    Formula: y[b, t, :] = E[id[b, t], :] + P[start_index + t, :]

    with E (vocabulary_size, embedding_dim) an ``Embedding`` and P (sequence_length,
    embedding_dim) a ``PositionEmbedding``. With ``mask_zero=True`` the id 0 is padding: the
    output carries the mask id ≠ 0, which the transformer layers read as their padding mask.

    Args:
        vocabulary_size: ids are 0 … vocabulary_size − 1.
        sequence_length: the longest sequence (rows of P).
        embedding_dim: d, the width of both tables.
        embeddings_initializer: initializer of E (default "uniform", Keras's Embedding default;
            keras_hub uses "uniform" as well). position_initializer: of P ("glorot_uniform").
        mask_zero: treat id 0 as padding (see above).

    Call arguments:
        inputs: int ids (batch, T), T ≤ sequence_length. start_index: the first position.

    Input shape:
        (batch, T). Output shape: (batch, T, embedding_dim). Weights: E, then P.
    """

    def __init__(self, vocabulary_size, sequence_length, embedding_dim, embeddings_initializer="uniform",
                 position_initializer="glorot_uniform", mask_zero=False, **kwargs):
        super().__init__(**kwargs)
        owner = "TokenAndPositionEmbedding"
        self.vocabulary_size = check_positive_int(owner, "vocabulary_size", vocabulary_size)
        self.sequence_length = check_positive_int(owner, "sequence_length", sequence_length)
        self.embedding_dim = check_positive_int(owner, "embedding_dim", embedding_dim)
        self.mask_zero = bool(mask_zero)
        self.token_embedding = Embedding(self.vocabulary_size, self.embedding_dim,
                                         embeddings_initializer=embeddings_initializer, mask_zero=self.mask_zero,
                                         dtype=self.dtype, name=f"{self.name}/token_embedding")
        self.position_embedding = PositionEmbedding(self.sequence_length, initializer=position_initializer,
                                                    dtype=self.dtype, name=f"{self.name}/position_embedding")

    def build(self, input_shape):
        self.token_embedding.build_once(input_shape)
        self.position_embedding.build_once((*tuple(input_shape), self.embedding_dim))

    def _convert_input(self, x):
        return self.token_embedding._convert_input(x)        # ids stay integers

    def call(self, inputs, start_index=0):
        if inputs.ndim < 1:
            raise ValueError(f"{self.name}: expected token ids of shape (batch, sequence_length), got a scalar")
        tokens = self.token_embedding(inputs)                                  # (batch, T, d)
        return tokens + self.position_embedding.positions(inputs.shape[-1], start_index)   # + (T, d), broadcast

    def compute_mask(self, inputs, previous_mask=None):
        return self.token_embedding.compute_mask(inputs)

    def compute_output_shape(self, input_shape):
        return (*tuple(input_shape), self.embedding_dim)

    def get_config(self) -> dict:
        return {**super().get_config(), "vocabulary_size": self.vocabulary_size,
                "sequence_length": self.sequence_length, "embedding_dim": self.embedding_dim,
                "embeddings_initializer": serialize_component(initializers, self.token_embedding.embeddings_initializer),
                "position_initializer": serialize_component(initializers, self.position_embedding.initializer),
                "mask_zero": self.mask_zero}

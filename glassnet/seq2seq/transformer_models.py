"""The Transformer encoder–decoder of "Attention is all you need" (Vaswani et al., 2017), for translation.

Figure 1 of the paper, bottom to top, in its symbols (d_model = embedding_dim, N = num_layers,
h = num_heads, d_ff = intermediate_dim):

    encoder (left):   z⁰ = Embedding(x) + PositionalEncoding       (batch, S, d_model)
                      zⁿ = EncoderLayer(zⁿ⁻¹),  n = 1 … N:
                           Multi-Head self-Attention → Add & Norm → Feed Forward → Add & Norm
                      memory z = z^N
    decoder (right):  y⁰ = Embedding([START] y_1 … y_{T−1}) + PositionalEncoding   ("outputs, shifted right")
                      yⁿ = DecoderLayer(yⁿ⁻¹, z),  n = 1 … N:
                           Masked Multi-Head self-Attention (causal: position t reads ≤ t) → Add & Norm
                           → Multi-Head Attention over the memory z (cross-attention) → Add & Norm
                           → Feed Forward → Add & Norm
    output (top):     P(y_t | y_<t, x) = softmax(y^N_t · W_o + b_o)      Linear → Softmax

with Attention(Q, K, V) = softmax(Q·Kᵀ/√d_k)·V per head, d_k = d_model/h, and
FFN(x) = max(0, x·W₁ + b₁)·W₂ + b₂ (``glassnet.layers.transformer``). The positional
encoding here is learned (``TokenAndPositionEmbedding``: E[id_t] + P[t], as BERT and
keras_hub); the paper's sinusoids are ``SinePositionEncoding``. Padded source words are
hidden from both attentions as keys; padded target positions only come after the real ones,
where the causal mask hides them anyway.

Decoding. The causal mask makes position t of the decoder a function of y_<t and x only, so
the teacher-forced pass computes, in one go, exactly what decoding one token at a time does.
``step`` runs the decoder on the whole prefix [START] y_1 … y_t at every step and keeps the
last position: recomputing the prefix costs O(t) per step (O(T²) per sentence) instead of
a key/value cache's O(1) per layer, which on Multi30k's ~13-word sentences is a small price
for a step that is the training graph itself (so equal to it by construction).
"""
from __future__ import annotations

import numpy as np

from .. import layers
from ..models import Model
from ..tensor import no_grad
from .models import EncoderDecoder
from .state import as_array


class TransformerEncoderDecoder(EncoderDecoder):
    """N encoder layers, N decoder layers (causal self-attention + cross-attention), softmax output.

    Training graph (``self.model``, inputs [source_ids, decoder_input_ids]):

        source_ids (batch, S) → TokenAndPositionEmbedding(mask_zero) → N × TransformerEncoderLayer
            [→ LayerNorm when normalize_first] → memory z (batch, S, d_model)
        decoder_input_ids (batch, T) → TokenAndPositionEmbedding(mask_zero)
            → N × TransformerDecoderLayer(·, z, use_causal_mask=True) [→ LayerNorm] → (batch, T, d_model)
            → Dense(target vocab, softmax) → P(y_t | y_<t, x)

    Train as ``LSTMEncoderDecoder``: ``model.compile(loss="sparse_categorical_crossentropy")``
    and ``model.fit(data.inputs, data.decoder_target_ids, sample_weight=data.sample_weight)``.

    Inference pieces, sharing the same layer objects (so the same, trained, weights):
        ``encoder_model``: source_ids → z;
        ``decoder_model``: [prefix_ids (batch, t), z, source_mask (batch, S)] → y^N (batch, t, d_model);
        ``encode(source_ids)`` → state [z, source_mask, prefix (batch, 0)];
        ``step(tokens, state)``: appends ``tokens`` to the prefix, runs ``decoder_model`` on it
            and the output layer on the last position → log-probs (batch, vocab).

    Args:
        source_vocab_size, target_vocab_size: the embeddings' vocabulary sizes (and the output width).
        embedding_dim: d_model.
        num_layers: N, encoder layers and decoder layers (N of each).
        num_heads: h; must divide embedding_dim.
        intermediate_dim: d_ff, the feed-forward hidden width.
        dropout: rate of every dropout in the layers (training only).
        max_length: the most positions of a source or a decoder input (rows of the position
            tables); decoding cannot run past it.
        normalize_first: pre-norm layers (x + F(LN(x))) and a final LayerNorm after each stack
            (True, the default: trains without a learning-rate warm-up), or the paper's
            post-norm LN(x + F(x)) (False).
        name: prefix of the layer names (so two models can live side by side).
    """

    def __init__(self, source_vocab_size, target_vocab_size, embedding_dim=128, num_layers=2, num_heads=4,
                 intermediate_dim=256, dropout=0.1, max_length=64, normalize_first=True, name="transformer"):
        self.name = name
        self.source_embedding = layers.TokenAndPositionEmbedding(source_vocab_size, max_length, embedding_dim,
                                                                 mask_zero=True, name=f"{name}_source_embedding")
        self.target_embedding = layers.TokenAndPositionEmbedding(target_vocab_size, max_length, embedding_dim,
                                                                 mask_zero=True, name=f"{name}_target_embedding")
        options = dict(intermediate_dim=intermediate_dim, num_heads=num_heads, dropout=dropout,
                       normalize_first=normalize_first)
        self.encoder_layers = [layers.TransformerEncoderLayer(**options, name=f"{name}_encoder_{n}")
                               for n in range(num_layers)]
        self.decoder_layers = [layers.TransformerDecoderLayer(**options, name=f"{name}_decoder_{n}")
                               for n in range(num_layers)]
        self.encoder_norm = self.decoder_norm = None
        if normalize_first:
            self.encoder_norm = layers.LayerNormalization(epsilon=1e-5, name=f"{name}_encoder_norm")
            self.decoder_norm = layers.LayerNormalization(epsilon=1e-5, name=f"{name}_decoder_norm")
        self.output_layer = layers.Dense(target_vocab_size, activation="softmax", name=f"{name}_output")
        self._connect()

    @classmethod
    def from_model(cls, model, name="transformer") -> "TransformerEncoderDecoder":
        """Rebuild the inference pieces around a trained training graph (e.g. after
        ``glassnet.models.load_model``), finding its layers by their names."""
        self = cls.__new__(cls)
        self.name = name
        names = {layer.name for layer in model.layers}
        get = model.get_layer
        self.source_embedding, self.target_embedding = get(f"{name}_source_embedding"), get(f"{name}_target_embedding")
        self.encoder_layers = [get(f"{name}_encoder_{n}") for n in range(len(names))
                               if f"{name}_encoder_{n}" in names]
        self.decoder_layers = [get(f"{name}_decoder_{n}") for n in range(len(names))
                               if f"{name}_decoder_{n}" in names]
        self.encoder_norm = get(f"{name}_encoder_norm") if f"{name}_encoder_norm" in names else None
        self.decoder_norm = get(f"{name}_decoder_norm") if f"{name}_decoder_norm" in names else None
        self.output_layer = get(f"{name}_output")
        self._connect()
        return self

    @property
    def max_length(self) -> int:
        """The most positions the embeddings cover (source length, decoder prefix length)."""
        return self.target_embedding.sequence_length

    def _encoder(self, source_ids):
        """The memory z = z^N (its mask travels with it)."""
        z = self.source_embedding(source_ids)
        for layer in self.encoder_layers:
            z = layer(z)
        return z if self.encoder_norm is None else self.encoder_norm(z)

    def _decoder(self, decoder_input_ids, memory, source_mask=None):
        """y^N for the decoder inputs; ``source_mask`` None takes the memory's own mask."""
        y = self.target_embedding(decoder_input_ids)
        for layer in self.decoder_layers:
            y = layer(y, memory, encoder_padding_mask=source_mask, use_causal_mask=True)
        return y if self.decoder_norm is None else self.decoder_norm(y)

    def _connect(self) -> None:
        """Call the layers on symbolic inputs: the training graph and the inference graphs."""
        name = self.name
        source_ids = layers.Input((None,), dtype="int32", name=f"{name}_source_ids")
        decoder_input_ids = layers.Input((None,), dtype="int32", name=f"{name}_decoder_input_ids")
        memory = self._encoder(source_ids)
        probs = self.output_layer(self._decoder(decoder_input_ids, memory))
        self.model = Model([source_ids, decoder_input_ids], probs, name=name)
        self.encoder_model = Model(source_ids, memory, name=f"{name}_encoder_model")
        prefix_ids = layers.Input((None,), dtype="int32", name=f"{name}_prefix_ids")
        memory_in = layers.Input((None, memory.shape[-1]), name=f"{name}_memory")
        mask_in = layers.Input((None,), name=f"{name}_source_mask")
        self.decoder_model = Model([prefix_ids, memory_in, mask_in], self._decoder(prefix_ids, memory_in, mask_in),
                                   name=f"{name}_decoder_model")

    def encode(self, source_ids):
        """[z (batch, S, d_model), source_mask (batch, S), empty prefix (batch, 0)] of the sources."""
        source_ids = np.asarray(source_ids)
        if source_ids.ndim != 2 or not np.issubdtype(source_ids.dtype, np.integer):
            raise ValueError(f"{type(self).__name__}.encode: source_ids must be a (batch, length) array of int ids, "
                             f"got shape {source_ids.shape} and dtype {source_ids.dtype}")
        if source_ids.shape[1] > self.max_length:
            raise ValueError(f"{type(self).__name__}.encode: sources of {source_ids.shape[1]} positions are longer "
                             f"than max_length={self.max_length}; cut them (Vocabulary.encode_batch(max_length=…))")
        with no_grad():
            memory = as_array(self.encoder_model(source_ids))
        return [memory, (source_ids != 0).astype(memory.dtype), np.zeros((len(source_ids), 0), dtype=np.int32)]

    def step(self, tokens, state):
        """log P(y_t | y_<t, x) (batch, target vocab) after appending ``tokens`` (batch,) to the prefix.

        Recomputes the decoder on the whole prefix (see the module docstring) and returns the
        state with the longer prefix.
        """
        memory, source_mask, prefix = state
        prefix = np.concatenate([prefix, np.asarray(tokens, dtype=np.int32).reshape(-1, 1)], axis=1)
        if prefix.shape[1] > self.max_length:
            raise ValueError(f"{type(self).__name__}.step: a prefix of {prefix.shape[1]} tokens is longer than "
                             f"max_length={self.max_length}; decode with max_length ≤ {self.max_length}")
        with no_grad():
            hidden = self.decoder_model([prefix, memory, source_mask])
            probs = self.output_layer(hidden[:, -1:]).numpy()[:, 0]
        return np.log(np.maximum(probs, np.finfo(probs.dtype).tiny)), [memory, source_mask, prefix]


__all__ = ["TransformerEncoderDecoder"]

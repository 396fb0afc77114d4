"""What the transformer encoder and decoder layers share: their arguments, the residual
"Add & Norm" wrapped around every sublayer, the position-wise feed-forward network, and masks
that hide padded keys.

Each sublayer F (self-attention, cross-attention, feed-forward) of Vaswani et al. (2017) sits
inside a residual connection with dropout and layer normalisation, in one of two orders::

    post-norm (the paper, normalize_first=False):  y = LayerNorm(x + Dropout(F(x)))
    pre-norm  (GPT-2 and later, normalize_first=True): y = x + Dropout(F(LayerNorm(x)))

Pre-norm leaves an identity path from the input to the output of a deep stack, which trains
more stably without a learning-rate warm-up; post-norm is the original and PyTorch's default.

The feed-forward network is applied to each position separately (eq. 2 of the paper)::

    FFN(x) = act(x·W₁ + b₁)·W₂ + b₂         act = ReLU: max(0, x·W₁ + b₁)·W₂ + b₂
"""
from __future__ import annotations

import numpy as np

from ... import activations, initializers
from ...tensor import Tensor
from ..arguments import check_positive_int
from ..attention.masks import as_mask, check_dropout
from ..attention.multi_head_attention import MultiHeadAttention
from ..base import Layer
from ..core.dense import Dense
from ..normalization.layer_normalization import LayerNormalization
from ..regularization.dropout import Dropout
from ..registry import serialize_component


def _own_mask(tensor):
    mask = getattr(tensor, "_keras_mask", None)
    return None if mask is None else np.asarray(mask.data if isinstance(mask, Tensor) else mask)


class TransformerBlock(Layer):
    """The base of ``TransformerEncoderLayer`` and ``TransformerDecoderLayer`` (not a layer by itself).

    Args:
        intermediate_dim: the width of the feed-forward network's hidden layer (d_ff; 2048 in the
            paper for d_model 512).
        num_heads: H, the attention heads; each has key_dim = d_model / H, so H must divide
            d_model (the input's last axis).
        dropout: rate of every dropout: on the attention weights, and on each sublayer's output
            before the residual addition. Default 0.
        activation: the feed-forward network's activation ("relu"; "gelu" in BERT and GPT).
        layer_norm_epsilon: ε of every LayerNormalization (1e-5, as keras_hub and PyTorch; note
            that a plain ``LayerNormalization`` defaults to Keras's 1e-3).
        kernel_initializer, bias_initializer: of every Dense and attention projection.
        normalize_first: False for post-norm (the paper), True for pre-norm (see the module docstring).
    """

    supports_masking = True          # the output carries the input's mask

    def __init__(self, intermediate_dim, num_heads, dropout=0.0, activation="relu", layer_norm_epsilon=1e-5,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", normalize_first=False, **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.intermediate_dim = check_positive_int(owner, "intermediate_dim", intermediate_dim)
        self.num_heads = check_positive_int(owner, "num_heads", num_heads)
        self.dropout = check_dropout(owner, dropout)
        self.activation = activations.get(activation)
        if isinstance(layer_norm_epsilon, bool) or not isinstance(layer_norm_epsilon, (int, float)) \
                or not layer_norm_epsilon >= 0:
            raise ValueError(f"{owner}: layer_norm_epsilon must be a number ≥ 0, got {layer_norm_epsilon!r}")
        self.layer_norm_epsilon = float(layer_norm_epsilon)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.normalize_first = bool(normalize_first)

    # --- the sublayers ---------------------------------------------------------------------------
    def _model_dim(self, shape) -> int:
        """d_model, the input's last axis, checked: a sequence (batch, T, d_model) that H heads divide."""
        owner = f"{type(self).__name__} {self.name!r}"
        if len(shape) != 3 or shape[-1] is None:
            raise ValueError(f"{owner}: expected a sequence of shape (batch, sequence_length, d_model), got shape "
                             f"{tuple(shape)}")
        d_model = int(shape[-1])
        if d_model % self.num_heads:
            raise ValueError(f"{owner}: num_heads={self.num_heads} does not divide d_model={d_model} (the input's "
                             f"last axis); each head gets key_dim = d_model / num_heads features")
        return d_model

    def _options(self, name: str) -> dict:
        return {"dtype": self.dtype, "name": f"{self.name}/{name}"}

    def _initializers(self) -> dict:
        """Fresh initializers for one sublayer (from the configs, as Keras's ``clone_initializer``)."""
        return {"kernel_initializer": initializers.get(initializers.serialize(self.kernel_initializer)),
                "bias_initializer": initializers.get(initializers.serialize(self.bias_initializer))}

    def _attention(self, name: str, d_model: int) -> MultiHeadAttention:
        return MultiHeadAttention(self.num_heads, d_model // self.num_heads, dropout=self.dropout,
                                  **self._initializers(), **self._options(name))

    def _layer_norm(self, name: str) -> LayerNormalization:
        return LayerNormalization(epsilon=self.layer_norm_epsilon, **self._options(name))

    def _dropout(self, name: str) -> Dropout:
        return Dropout(self.dropout, **self._options(name))

    def _make_feedforward(self, d_model: int) -> None:
        """The feed-forward sublayer: LayerNorm, Dense(d_ff, act) → Dense(d_model), Dropout."""
        self.feedforward_layer_norm = self._layer_norm("feedforward_layer_norm")
        self.feedforward_intermediate_dense = Dense(self.intermediate_dim, activation=self.activation,
                                                    **self._initializers(), **self._options("feedforward_intermediate_dense"))
        self.feedforward_output_dense = Dense(d_model, **self._initializers(), **self._options("feedforward_output_dense"))
        self.feedforward_dropout = self._dropout("feedforward_dropout")

    def _build_feedforward(self, shape) -> None:
        self.feedforward_layer_norm.build_once(shape)
        self.feedforward_intermediate_dense.build_once(shape)
        self.feedforward_output_dense.build_once((*shape[:-1], self.intermediate_dim))

    # --- the forward pass ------------------------------------------------------------------------
    def _residual(self, x, sublayer, layer_norm, dropout, training):
        """Post-norm: LayerNorm(x + Dropout(F(x))); pre-norm: x + Dropout(F(LayerNorm(x)))."""
        h = layer_norm(x) if self.normalize_first else x
        y = x + dropout(sublayer(h), training=training)
        return y if self.normalize_first else layer_norm(y)

    def _feedforward(self, x, training):
        """The residual feed-forward sublayer: FFN(x) = act(x·W₁ + b₁)·W₂ + b₂, wrapped by ``_residual``."""
        def ffn(h):
            return self.feedforward_output_dense(self.feedforward_intermediate_dense(h))
        return self._residual(x, ffn, self.feedforward_layer_norm, self.feedforward_dropout, training)

    def _key_masks(self, query, value, padding_mask, attention_mask, padding_name, attention_name) -> dict:
        """The keyword arguments of a ``MultiHeadAttention`` call that hide the padded keys.

        padding_mask (batch, Tv), True at real steps — by default the value's own mask — hides
        key j from every query: M_ij = padding_j ∧ attention_mask_ij. Padded *queries* are not
        masked (as PyTorch's ``key_padding_mask`` and keras_hub's explicit masks): their rows
        are computed from the real keys, and the layers after them ignore them.
        """
        n, Tq, Tv = query.shape[0], query.shape[1], value.shape[1]
        padding = as_mask(self.name, padding_name, padding_mask, (n, Tv))
        if padding is None:
            padding = _own_mask(value)
        kwargs = {}
        if padding is not None or _own_mask(query) is not None:
            kwargs["query_mask"] = np.ones((n, Tq), dtype=bool)          # the query's own mask must not apply
            kwargs["value_mask"] = np.ones((n, Tv), dtype=bool) if padding is None else padding
        if attention_mask is not None:
            array = np.asarray(attention_mask.data if isinstance(attention_mask, Tensor) else attention_mask)
            try:
                fits = array.ndim == 3 and np.broadcast_shapes(array.shape, (n, Tq, Tv)) == (n, Tq, Tv)
            except ValueError:
                fits = False
            if not fits:
                raise ValueError(f"{self.name}: {attention_name} must have shape {(n, Tq, Tv)} (batch, Tq, Tv) or "
                                 f"broadcast to it, got shape {array.shape}")
            kwargs["attention_mask"] = array if array.dtype == bool else array > 0.5
        return kwargs

    def compute_output_shape(self, input_shape, *args, **kwargs):
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "intermediate_dim": self.intermediate_dim, "num_heads": self.num_heads,
                "dropout": self.dropout, "activation": activations.serialize(self.activation),
                "layer_norm_epsilon": self.layer_norm_epsilon,
                "kernel_initializer": serialize_component(initializers, self.kernel_initializer),
                "bias_initializer": serialize_component(initializers, self.bias_initializer),
                "normalize_first": self.normalize_first}

"""MultiHeadAttention: h scaled dot-product attentions over learned projections, side by side."""
from __future__ import annotations

import math

import numpy as np

from ... import ops
from ...ops.attention import scaled_dot_product_attention
from ..arguments import check_bool, check_positive_int
from ..base import Layer
from ..regularization.dropout import random_generator
from ..weight_options import WeightOptions
from .masks import as_mask, causal_mask, check_dropout, combine_masks, dropout_mask


def _flattened(initializer, flat_shape):
    """An initializer drawing for ``flat_shape`` (the Dense the kernel stands for), then reshaped."""
    def initialize(shape, dtype=None):
        return np.reshape(initializer(flat_shape, dtype=dtype), shape)
    return initialize


class MultiHeadAttention(WeightOptions, Layer):
    """Multi-head attention (Vaswani et al., 2017, "Attention is all you need").

    Formula, for each head h = 1 … H, with d_k = key_dim::

        Q_h = query·W^Q_h + b^Q_h     K_h = key·W^K_h + b^K_h     V_h = value·W^V_h + b^V_h
        e_ij = Q_h,i · K_h,jᵀ / √d_k,   α_ij = softmax_j(e_ij) (masked),   c_i = Σ_j α_ij · V_h,j
        head_h = A_h·V_h              output = Σ_h head_h·W^O_h + b^O = concat(head_1 … head_H)·W^O + b^O

    Batched: Q (batch, H, Tq, d_k), K (batch, H, Tv, d_k), V (batch, H, Tv, d_v); all heads run
    in one fused op (``ops.scaled_dot_product_attention``, scale 1/√d_k applied to the query
    as Keras does — CONVENTIONS.md, "Attention").

    Weights, in Keras's layout and order (``get_weights``): query kernel (d_q, H, d_k) and bias
    (H, d_k); key kernel (d_k_in, H, d_k) and bias; value kernel (d_v_in, H, d_v) and bias
    (H, d_v); output kernel (H, d_v, *output_shape) and bias (output_shape). The kernels are
    initialised as the flattened Dense they stand for: (d_q, H·d_k), …, (H·d_v, d_out).

    Masks (Keras's ``_compute_attention_mask``): the query's mask (batch, Tq), the value's and
    the key's (batch, Tv) — from the ``*_mask`` arguments or else the inputs' own masks — the
    causal mask and ``attention_mask`` (batch, Tq, Tv) are AND-ed. A query row with nothing to
    attend to (a padded query) follows Keras, whose two paths differ: when the scores are
    returned or the layer has dropout (even at inference), α = 0 and the row's output is the
    output bias (Keras's ``Softmax`` layer); otherwise α_ij = 1/Tv, the mean value projected
    (Keras's fused ``ops.dot_product_attention``; ``mask_mode`` "zeros" and "uniform" of the
    op). The output
    carries the query's mask. Two differences, both on padded queries only: Keras's fused path
    passes a gradient into such a row's query through scores its float arithmetic rounded away
    (glassnet gives the true derivative, 0 — a loss masked on padded steps sees no
    difference); and Keras ignores an explicit ``query_mask`` argument in favour of the query's
    own mask, where here the argument wins when given.

    Args:
        num_heads: H, a positive int.
        key_dim: d_k, the size of each head's query and key.
        value_dim: d_v, the size of each head's value (default key_dim).
        dropout: fraction of the attention weights dropped in training, in [0, 1).
        use_bias: whether the four projections have biases.
        output_shape: the output's trailing shape (an int or a tuple); default the query's
            feature size.
        attention_axes: None (the sequence axis). glassnet attends over the time axis of
            (batch, time, features) inputs only, so only None, 1 or -2 (the same axis) are accepted.
        kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
        activity_regularizer, kernel_constraint, bias_constraint: as for ``Dense``.
        seed: int for a layer-owned random stream of the dropout; None uses ``backend.rng()``.

    Call arguments:
        query (batch, Tq, d_q); value (batch, Tv, d_v_in); key (batch, Tv, d_k_in), default value.
        query_mask, value_mask, key_mask: boolean (batch, T) masks, see above.
        attention_mask: boolean (batch, Tq, Tv), True where query i may attend to key j.
        return_attention_scores: also return A (batch, H, Tq, Tv) (before dropout).
        training: whether dropout is applied.  use_causal_mask: query i sees keys j ≤ i only.

    Output shape:
        (batch, Tq, *output_shape) (default (batch, Tq, d_q)).
    """

    supports_masking = True          # the output carries the query's mask

    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True, output_shape=None,
                 attention_axes=None, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, seed=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        owner = type(self).__name__
        self.num_heads = check_positive_int(owner, "num_heads", num_heads)
        self.key_dim = check_positive_int(owner, "key_dim", key_dim)
        self.value_dim = self.key_dim if value_dim is None else check_positive_int(owner, "value_dim", value_dim)
        self.dropout = check_dropout(owner, dropout)
        self.use_bias = check_bool("MultiHeadAttention", "use_bias", use_bias)
        if output_shape is not None:
            shape = (output_shape,) if isinstance(output_shape, (int, np.integer)) else output_shape
            try:
                output_shape = tuple(check_positive_int(owner, "output_shape", s) for s in shape)
            except (TypeError, ValueError):
                raise ValueError(f"{owner}: output_shape must be None, a positive int or a tuple of them, "
                                 f"got {output_shape!r}") from None
        self._output_shape = output_shape
        if attention_axes is not None:
            axes = (attention_axes,) if isinstance(attention_axes, (int, np.integer)) else tuple(attention_axes)
            if axes not in ((1,), (-2,)):
                raise ValueError(f"{owner}: attention_axes={attention_axes!r} is not supported: glassnet attends over "
                                 f"the time axis of (batch, time, features) inputs only (attention_axes None, 1 or -2)")
            attention_axes = axes
        self.attention_axes = attention_axes
        self._set_weight_options("kernel", kernel_initializer, kernel_regularizer, kernel_constraint)
        self._set_weight_options("bias", bias_initializer, bias_regularizer, bias_constraint)
        self.seed = seed
        self.seed_generator = random_generator(seed)
        self.query_kernel = None                     # the weights are made once value's shape is known

    # --- weights ---------------------------------------------------------------------------
    def build(self, query_shape, value_shape=None, key_shape=None):
        """Create the weights (Keras's signature). Called with the query's shape alone (as the
        first call does), it waits: the weights are made when the call sees value and key."""
        self._check_shapes(query_shape, value_shape or query_shape, key_shape)
        if value_shape is None or self.query_kernel is not None:
            return
        key_shape = value_shape if key_shape is None else key_shape
        H, d_k, d_v = self.num_heads, self.key_dim, self.value_dim
        out = self._output_shape or (query_shape[-1],)
        self.query_kernel, self.query_bias = self._projection("query", query_shape[-1], (H, d_k))
        self.key_kernel, self.key_bias = self._projection("key", key_shape[-1], (H, d_k))
        self.value_kernel, self.value_bias = self._projection("value", value_shape[-1], (H, d_v))
        self.output_kernel, self.output_bias = self._projection("attention_output", (H, d_v), out)
        self.built = True

    build._marks_built = True   # Keras's three-shape signature: not wrapped by Layer.__init_subclass__

    def _projection(self, name, fan_in, fan_out):
        """Kernel (*fan_in, *fan_out) initialised as the Dense (Π fan_in, Π fan_out); bias (*fan_out)."""
        fan_in = (fan_in,) if isinstance(fan_in, (int, np.integer)) else tuple(fan_in)
        flat = (math.prod(fan_in), math.prod(fan_out))
        kernel = self._make_weight("kernel", fan_in + tuple(fan_out), "kernel",
                                   initializer=_flattened(self.kernel_initializer, flat))
        kernel.path = f"{self.name}/{name}/kernel"
        bias = None
        if self.use_bias:
            bias = self._make_weight("bias", tuple(fan_out), "bias",
                                     initializer=_flattened(self.bias_initializer, (flat[1],)))
            bias.path = f"{self.name}/{name}/bias"
        return kernel, bias

    def _check_shapes(self, query, value, key=None):
        key = value if key is None else key
        shapes = {"query": tuple(query), "value": tuple(value), "key": tuple(key)}
        for name, shape in shapes.items():
            if len(shape) != 3:
                raise ValueError(f"{self.name}: {name} must be 3-D (batch, time, features), got shape {shape}")
        if shapes["key"][1] is not None and shapes["value"][1] is not None and shapes["key"][1] != shapes["value"][1]:
            raise ValueError(f"{self.name}: key and value must have the same length, got shapes "
                             f"{shapes['key']} and {shapes['value']}")
        if self.query_kernel is not None:
            for name, weight in (("query", self.query_kernel), ("key", self.key_kernel), ("value", self.value_kernel)):
                if shapes[name][-1] != weight.shape[0]:
                    raise ValueError(f"{self.name}: built for {name} features of size {weight.shape[0]}, got "
                                     f"{name} of shape {shapes[name]}")

    # --- the forward pass ----------------------------------------------------------------------
    def _project(self, x, kernel, bias):
        """(batch, T, d) · (d, H, e) + (H, e) → (batch, H, T, e): one 2-D product for all heads."""
        n, T, d = x.shape
        H, e = kernel.shape[1], kernel.shape[2]
        flat_bias = None if bias is None else ops.reshape(bias, (H * e,))
        y = ops.linear(ops.reshape(x, (n * T, d)), ops.reshape(kernel, (d, H * e)), flat_bias)
        return ops.transpose(ops.reshape(y, (n, T, H, e)), (0, 2, 1, 3))

    def _attention_mask(self, query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask):
        """M (batch or 1, Tq, Tv) as Keras's ``_compute_attention_mask``, or None."""
        n, Tq, Tv = query.shape[0], query.shape[1], value.shape[1]
        return combine_masks(
            query_mask=as_mask(self.name, "query_mask", query_mask, (n, Tq)),
            value_mask=as_mask(self.name, "value_mask", value_mask, (n, Tv)),
            key_mask=as_mask(self.name, "key_mask", key_mask, (n, Tv)),
            attention_mask=self._full_mask(attention_mask, (n, Tq, Tv)),
            causal=causal_mask(Tq, Tv) if use_causal_mask else None)

    def _full_mask(self, mask, shape):
        if mask is None:
            return None
        array = np.asarray(mask.data if hasattr(mask, "data") else mask)
        try:
            fits = array.ndim == 3 and np.broadcast_shapes(array.shape, shape) == shape
        except ValueError:
            fits = False
        if not fits:
            raise ValueError(f"{self.name}: attention_mask must have shape {shape} (batch, Tq, Tv) or broadcast to "
                             f"it, got shape {array.shape}")
        return array if array.dtype == bool else array > 0.5

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None, attention_mask=None,
             return_attention_scores=False, training=None, use_causal_mask=False):
        def own_mask(tensor, given):
            return given if given is not None else getattr(tensor, "_keras_mask", None)

        query_mask = own_mask(query, query_mask)
        value_mask = own_mask(value, value_mask)
        key_mask = None if key is None else own_mask(key, key_mask)
        value = self._convert_input(value)
        key = value if key is None else self._convert_input(key)
        if self.query_kernel is None:
            self.build(query.shape, value.shape, key.shape)
        self._check_shapes(query.shape, value.shape, key.shape)
        mask = self._attention_mask(query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask)
        if mask is not None:
            mask = mask[:, None]                                         # the same for every head
        Q = self._project(query, self.query_kernel, self.query_bias)       # (batch, H, Tq, d_k)
        K = self._project(key, self.key_kernel, self.key_bias)             # (batch, H, Tv, d_k)
        V = self._project(value, self.value_kernel, self.value_bias)       # (batch, H, Tv, d_v)
        scale = 1.0 / math.sqrt(self.key_dim)
        drop = dropout_mask(self.dropout, self.seed_generator, training, (*Q.shape[:-1], K.shape[2]), Q.dtype)
        # Keras takes its Softmax-layer path ("zeros") when it returns scores or has dropout, else
        # its fused ops.dot_product_attention ("uniform"); they differ only on padded queries
        mask_mode = "zeros" if return_attention_scores or self.dropout > 0 else "uniform"
        heads = scaled_dot_product_attention(Q, K, V, mask=mask, scale=scale, mask_mode=mask_mode, dropout_mask=drop,
                                             return_weights=return_attention_scores)
        weights = None
        if return_attention_scores:
            heads, weights = heads
        n, Tq = query.shape[0], query.shape[1]
        heads = ops.reshape(ops.transpose(heads, (0, 2, 1, 3)), (n * Tq, self.num_heads * self.value_dim))
        out_shape = tuple(self.output_kernel.shape[2:])
        W_O = ops.reshape(self.output_kernel, (self.num_heads * self.value_dim, math.prod(out_shape)))
        b_O = None if self.output_bias is None else ops.reshape(self.output_bias, (math.prod(out_shape),))
        output = ops.reshape(ops.linear(heads, W_O, b_O), (n, Tq, *out_shape))
        if query_mask is not None:
            output._keras_mask = np.asarray(query_mask.data if hasattr(query_mask, "data") else query_mask)
        return (output, weights) if return_attention_scores else output

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        self._check_shapes(query_shape, value_shape or query_shape, key_shape)
        return (*tuple(query_shape)[:-1], *(self._output_shape or (query_shape[-1],)))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_heads": self.num_heads, "key_dim": self.key_dim, "value_dim": self.value_dim,
            "dropout": self.dropout, "use_bias": self.use_bias,
            "output_shape": None if self._output_shape is None else list(self._output_shape),
            "attention_axes": None if self.attention_axes is None else list(self.attention_axes),
            **self._weight_config("kernel", "bias"),
            "seed": self.seed,
        }


"""Scaled dot-product attention, fused: softmax of the masked, scaled scores, times the values.

The course writes attention for one query s_i (a decoder state) over the keys h_j::

    e_ij = s_i · h_jᵀ · scale                     the score (alignment) of query i with key j
    α_ij = exp(e_ij) / Σ_k exp(e_ik)              the weights: α_ij ≥ 0 and Σ_j α_ij = 1
    c_i  = Σ_j α_ij · v_j                         the context vector: a weighted mean of values

and all queries, batches and heads at once, as batched matrix products::

    E = Q·Kᵀ·scale   (..., Tq, Tk)      A = softmax(E) along j      C = A·V   (..., Tq, dv)

for Q (..., Tq, d), K (..., Tk, d), V (..., Tk, dv); the leading axes (batch, heads) broadcast
as in ``numpy.matmul``. ``scale`` defaults to 1/√d (Vaswani et al., 2017; Keras's
``ops.dot_product_attention`` and PyTorch's ``scaled_dot_product_attention`` do the same).

Masks (Keras's convention): a boolean array broadcastable to (..., Tq, Tk), True where query
i may attend to key j. Masked scores are pushed down by a large number (1e9, as Keras) before
the softmax, so their weights underflow to exactly 0. A row in which *every* key is masked
(a padded query) has no right answer, and Keras gives three, chosen here by ``mask_mode``:

* ``"zeros"`` (default; Keras's ``Softmax`` layer — ``MultiHeadAttention`` when it returns
  its scores or drops some out — and PyTorch ≥ 2.5's SDPA): masked scores are replaced by
  −1e9 and masked weights set to 0 after the softmax: the row has α = 0, c = 0, no gradient.
* ``"uniform"`` (Keras's ``ops.dot_product_attention``, the fused path of
  ``MultiHeadAttention``): masked scores are replaced by −1e9 and nothing else, so the row's
  scores are all equal: α_ij = 1/Tk, c_i = the mean value; no gradient reaches the scores.
* ``"subtract"`` (Keras's ``Attention`` and ``AdditiveAttention``): masked scores become
  e − 1e9; in a fully masked row every score moves by the same amount, so the row falls
  back to softmax(e) over all its keys, as if unmasked (to rounding).

Backward (g = ∂L/∂C; the softmax's Jacobian ∂α_ij/∂e_ik = α_ij(δ_jk − α_ik))::

    ∂L/∂V = Aᵀ·g            ∂L/∂A = g·Vᵀ
    ∂L/∂E = A ⊙ (∂L/∂A − Σ_j ∂L/∂A ⊙ A)     (row sums over j)
    ∂L/∂Q = ∂L/∂E·K·scale   ∂L/∂K = (∂L/∂E)ᵀ·Q·scale

Masked entries have α = 0, so they get no gradient; in a fully masked row the replaced
scores are constants, so ("zeros", "uniform") ∂L/∂E is 0 there too.

Three Functions share those pieces: ``ScaledDotProductAttention`` (Q, K, V → C, the fused op:
A is kept for backward, never returned), ``AttentionWeights`` (Q, K → A, for layers that
return the weights or drop some of them out) and ``MaskedSoftmax`` (any scores E → A, for
additive and concat scores).
"""
from __future__ import annotations

import math

import numpy as np

from ..backend import xp
from ..tensor import Function, Tensor
from . import softmax_kernels

LARGE_NEGATIVE = 1e9
"""How far a masked score is pushed down (Keras: 1e9; 65504 would be float16's limit)."""

MASK_MODES = ("zeros", "uniform", "subtract")


def _broadcast(shape, target):
    """The broadcast of two shapes, or None when they do not broadcast."""
    try:
        return np.broadcast_shapes(shape, target)
    except ValueError:
        return None


def _check_mask(mask, scores_shape, owner):
    """The mask as a boolean array broadcastable to the scores, or a ValueError naming both shapes."""
    mask = xp.asarray(mask.data if isinstance(mask, Tensor) else mask)
    if mask.dtype != bool:
        mask = mask > 0.5                          # Keras's Softmax: keep where mask > 0.5
    if _broadcast(mask.shape, scores_shape) != tuple(scores_shape):
        raise ValueError(f"{owner}: mask of shape {mask.shape} does not broadcast to the attention scores' shape "
                         f"{tuple(scores_shape)} (..., Tq, Tk); True marks the keys a query may attend to")
    return mask


def _masked_softmax_(e, mask, mask_mode):
    """α = softmax(e masked) along the last axis, computed in place in ``e``.

    Returns (α, constant): ``constant`` marks the scores that backward must give no gradient
    (the masked entries, when some row is fully masked in "uniform" mode), else None.
    """
    hidden = constant = None
    fully_masked = False
    if mask is not None:
        hidden = ~mask
        if mask_mode == "subtract":
            xp.subtract(e, LARGE_NEGATIVE, out=e, where=hidden)
        else:
            xp.copyto(e, -LARGE_NEGATIVE, where=hidden)
            fully_masked = not mask.any(axis=-1).all()
    if softmax_kernels.applies(e):                 # the same three steps, the reductions compiled
        rows = e.reshape(-1, e.shape[-1])
        softmax_kernels.kernels().row_max_subtract(rows)
        xp.exp(e, out=e)
        softmax_kernels.kernels().row_normalize(rows)
    else:
        e -= e.max(axis=-1, keepdims=True)         # stable: the largest exponent is e^0 = 1
        xp.exp(e, out=e)
        e *= 1.0 / e.sum(axis=-1, keepdims=True)
    if fully_masked and mask_mode == "zeros":
        xp.copyto(e, 0.0, where=hidden)            # a fully masked row: α = 0, not uniform
    elif fully_masked:
        constant = hidden
    return e, constant


def _softmax_backward(alpha, d_alpha, constant=None, in_place=False):
    """∂L/∂e = α ⊙ (∂L/∂α − Σ_j ∂L/∂α ⊙ α), row by row (into ``d_alpha`` when ``in_place``);
    0 where ``constant`` marks scores that were replaced by a constant."""
    row = xp.einsum("...j,...j->...", d_alpha, alpha)[..., None]
    if in_place:
        d_alpha -= row
        d_alpha *= alpha
    else:
        d_alpha = (d_alpha - row) * alpha
    if constant is not None:
        xp.copyto(d_alpha, 0.0, where=constant)
    return d_alpha


def _swap(x):
    return xp.swapaxes(x, -1, -2)


def _transposed(x):
    """xᵀ over the last two axes as a contiguous array: NumPy's stacked matmul runs 2–3× slower
    with a transposed view as its second operand (a block's copy is small and stays in cache)."""
    return xp.ascontiguousarray(_swap(x)) if x.ndim > 2 else _swap(x)


BLOCK_SCORES = 1 << 16
"""Scores per block (256 KB of float32): the op runs its leading axis in blocks this size, so
the softmax's passes over a block's scores (max, exp, sum, scale; backward: the row sums)
find it in cache instead of streaming the whole (..., Tq, Tk) array from memory each time."""


def _blocks(shape, per_item_shape):
    """Indices that split axis 0 of ``shape`` into blocks of about ``BLOCK_SCORES`` scores;
    ``[()]`` (everything at once) for arrays without a leading axis."""
    if len(shape) < 3:
        return [()]
    step = max(1, BLOCK_SCORES // max(1, math.prod(per_item_shape)))
    return [slice(i, i + step) for i in range(0, shape[0], step)]


class _Scores:
    """The part the two fused Functions share: E = Q·Kᵀ·scale → A (forward), ∂L/∂E → ∂L/∂Q, ∂L/∂K,
    one block of the leading axis at a time (``_blocks``)."""

    def attention_weights(self, q, k, mask, scale, mask_mode):
        """A = softmax(Q·Kᵀ·scale, masked), kept in ``self.alpha``; ``each(block, A_block)``
        hooks let the caller use a block while it is in cache."""
        if q.ndim < 2 or k.ndim < 2 or q.shape[-1] != k.shape[-1]:
            raise ValueError(f"scaled_dot_product_attention: query (..., Tq, d) and key (..., Tk, d) need the same "
                             f"feature size d, got shapes {q.shape} and {k.shape}")
        if mask_mode not in MASK_MODES:
            raise ValueError(f"scaled_dot_product_attention: mask_mode must be one of {MASK_MODES}, got {mask_mode!r}")
        shape = (*np.broadcast_shapes(q.shape[:-2], k.shape[:-2]), q.shape[-2], k.shape[-2])
        if mask is not None:
            mask = xp.broadcast_to(_check_mask(mask, shape, "scaled_dot_product_attention"), shape)
        self.q, self.k, self.scale = q, k, scale
        if q.shape[:-2] != k.shape[:-2]:                        # broadcast leading axes: one block
            self.blocks = [()]
        else:
            self.blocks = _blocks(shape, shape[1:])
        self.alpha, constant = xp.empty(shape, dtype=np.result_type(q, k)), False
        for b in self.blocks:
            e = self.alpha[b]
            xp.matmul(q[b], _transposed(k[b]), out=e)           # E = Q·Kᵀ
            if scale != 1.0:
                e *= scale
            constant |= _masked_softmax_(e, None if mask is None else mask[b], mask_mode)[1] is not None
        # scores replaced by a constant (a fully masked row, "uniform"): no gradient at masked entries
        self.constant = ~mask if constant else None
        return self.alpha

    def scores_backward(self, b, d_e):
        """∂L/∂Q and ∂L/∂K of block b: ∂L/∂E·K·scale and (∂L/∂E)ᵀ·Q·scale (``d_e`` scaled in place)."""
        need_q, need_k = self.needs_input_grad[:2]
        if self.scale != 1.0:
            d_e *= self.scale
        return (d_e @ self.k[b] if need_q else None), (_swap(d_e) @ self.q[b] if need_k else None)

    def blockwise_backward(self, d_alpha_of, extra=None):
        """∂L/∂Q, ∂L/∂K (and ``extra(b)``'s gradient) block by block, where ``d_alpha_of(b)`` is
        ∂L/∂A of block b (a fresh array: the softmax backward works in it in place)."""
        need_q, need_k = self.needs_input_grad[:2]
        d_q = xp.empty(np.broadcast_shapes(self.q.shape, self.alpha.shape[:-1] + self.q.shape[-1:]),
                       dtype=self.alpha.dtype) if need_q else None
        d_k = xp.empty(np.broadcast_shapes(self.k.shape, self.alpha.shape[:-2] + self.k.shape[-2:]),
                       dtype=self.alpha.dtype) if need_k else None
        for b in self.blocks:
            if extra is not None:
                extra(b)
            if not (need_q or need_k):
                continue
            constant = None if self.constant is None else self.constant[b]
            d_e = _softmax_backward(self.alpha[b], d_alpha_of(b), constant, in_place=True)
            g_q, g_k = self.scores_backward(b, d_e)
            if need_q:
                d_q[b] = g_q
            if need_k:
                d_k[b] = g_k
        return d_q, d_k


class ScaledDotProductAttention(_Scores, Function):
    """C = softmax(Q·Kᵀ·scale, masked)·V, fused (see the module docstring for the formulas).

    With a ``dropout_mask`` D (a constant, e.g. Bernoulli(1 − rate)/(1 − rate) per weight),
    C = (A ⊙ D)·V: dropout on the attention weights, and ∂L/∂A = (g·Vᵀ) ⊙ D, ∂L/∂V = (A ⊙ D)ᵀ·g.

    The weights A are computed in place in the score array and kept for backward; backward is
    four batched matmuls and one pass of softmax arithmetic per block of the leading axis.
    """

    def forward(self, q, k, v, mask=None, scale=1.0, mask_mode="zeros", dropout_mask=None):
        if v.ndim < 2 or v.shape[-2] != k.shape[-2]:
            raise ValueError(f"scaled_dot_product_attention: key (..., Tk, d) and value (..., Tk, dv) need the same "
                             f"length Tk, got shapes {k.shape} and {v.shape}")
        alpha = self.attention_weights(q, k, mask, scale, mask_mode)
        if dropout_mask is not None and _broadcast(dropout_mask.shape, alpha.shape) != alpha.shape:
            raise ValueError(f"scaled_dot_product_attention: dropout_mask of shape {dropout_mask.shape} does not "
                             f"broadcast to the weights' shape {alpha.shape}")
        if dropout_mask is not None:
            dropout_mask = xp.broadcast_to(dropout_mask.astype(alpha.dtype, copy=False), alpha.shape)
        if v.shape[:-2] != alpha.shape[:-2]:
            self.blocks = [()]                                  # v broadcasts: one block
        self.v, self.dropout_mask = v, dropout_mask
        self.kept = alpha if dropout_mask is None else alpha * dropout_mask      # A ⊙ D
        out = xp.empty((*alpha.shape[:-1], v.shape[-1]), dtype=np.result_type(alpha, v))
        for b in self.blocks:
            xp.matmul(self.kept[b], self.v[b], out=out[b])      # C = (A ⊙ D)·V
        return out

    def backward(self, grad):
        need_v = self.needs_input_grad[2]
        d_v = xp.empty(self.alpha.shape[:-2] + self.v.shape[-2:], dtype=grad.dtype) if need_v else None

        def d_alpha_of(b):                                     # ∂L/∂A = g·Vᵀ (⊙ D)
            d_alpha = grad[b] @ _transposed(self.v[b])
            if self.dropout_mask is not None:
                d_alpha *= self.dropout_mask[b]
            return d_alpha

        def value_gradient(b):                                 # ∂L/∂V = (A ⊙ D)ᵀ·g
            if need_v:
                xp.matmul(_swap(self.kept[b]), grad[b], out=d_v[b])

        d_q, d_k = self.blockwise_backward(d_alpha_of, value_gradient)
        return d_q, d_k, d_v


class AttentionWeights(_Scores, Function):
    """A = softmax(Q·Kᵀ·scale, masked): the attention weights alone (α_ij of the course).

    Backward: ∂L/∂E = A ⊙ (g − Σ_j g ⊙ A), then ∂L/∂Q = ∂L/∂E·K·scale, ∂L/∂K = (∂L/∂E)ᵀ·Q·scale.
    """

    def forward(self, q, k, mask=None, scale=1.0, mask_mode="zeros"):
        return self.attention_weights(q, k, mask, scale, mask_mode)

    def backward(self, grad):
        return self.blockwise_backward(lambda b: xp.array(grad[b], dtype=self.alpha.dtype))


class MaskedSoftmax(Function):
    """α = softmax(e, masked) along the last axis, for scores made any other way (additive, concat).

    ∂α_ij/∂e_ik = α_ij(δ_jk − α_ik), so ∂L/∂e = α ⊙ (g − Σ_j g ⊙ α); masked entries get 0.
    """

    def forward(self, e, mask=None, mask_mode="zeros"):
        if mask_mode not in MASK_MODES:
            raise ValueError(f"masked_softmax: mask_mode must be one of {MASK_MODES}, got {mask_mode!r}")
        if mask is not None:
            mask = _check_mask(mask, e.shape, "masked_softmax")
        self.alpha, self.constant = _masked_softmax_(e.copy(), mask, mask_mode)
        return self.alpha

    def backward(self, grad):
        return _softmax_backward(self.alpha, grad, self.constant)


def _default_scale(query, scale):
    return 1.0 / math.sqrt(query.shape[-1]) if scale is None else float(scale)


def _mask_array(mask):
    return mask.data if isinstance(mask, Tensor) else mask


def scaled_dot_product_attention(query, key, value, mask=None, scale=None, return_weights=False,
                                 mask_mode="zeros", dropout_mask=None):
    """C = softmax(Q·Kᵀ·scale, masked)·V over leading batch/head axes (fused; see the module docstring).

    Args:
        query: (..., Tq, d).  key: (..., Tk, d).  value: (..., Tk, dv). Tensors or arrays.
        mask: optional boolean array broadcastable to (..., Tq, Tk), True = may attend.
        scale: the factor of the scores; None means 1/√d.
        return_weights: also return the weights A (..., Tq, Tk). The pair is then computed as
            A = ``AttentionWeights``(Q, K) and C = A·V, so a gradient reaching either flows back.
        mask_mode: what a fully masked row gives: "zeros", "uniform" (weights 1/Tk) or
            "subtract" (the unmasked softmax) — Keras's three behaviours, described above.
        dropout_mask: optional constant array broadcastable to (..., Tq, Tk) multiplying the
            weights before they meet V (dropout on the attention weights, fused); the weights
            returned by ``return_weights`` are those before it, as Keras returns them.

    Returns:
        C (..., Tq, dv), or (C, A) with ``return_weights``.

    Raises:
        ValueError: for mismatched feature sizes or lengths, a mask that does not broadcast,
            or an unknown ``mask_mode``.
    """
    scale = _default_scale(query, scale)
    dropout_mask = None if dropout_mask is None else xp.asarray(_mask_array(dropout_mask))
    if not return_weights:
        return ScaledDotProductAttention.apply(query, key, value, mask=_mask_array(mask), scale=scale,
                                               mask_mode=mask_mode, dropout_mask=dropout_mask)
    from .elementwise import Mul
    from .matmul_ops import MatMul

    weights = attention_weights(query, key, mask=mask, scale=scale, mask_mode=mask_mode)
    value = value if isinstance(value, Tensor) else Tensor(value)
    if value.ndim < 2 or value.shape[-2] != weights.shape[-1]:
        raise ValueError(f"scaled_dot_product_attention: key and value need the same length Tk, got "
                         f"{weights.shape[-1]} and value of shape {value.shape}")
    kept = weights if dropout_mask is None else Mul.apply(weights, dropout_mask.astype(weights.dtype, copy=False))
    return MatMul.apply(kept, value), weights


def attention_weights(query, key, mask=None, scale=None, mask_mode="zeros"):
    """A = softmax(Q·Kᵀ·scale, masked): (..., Tq, Tk) weights, each row ≥ 0 and summing to 1
    (or all 0 for a fully masked row in "zeros" mode). Arguments as ``scaled_dot_product_attention``."""
    return AttentionWeights.apply(query, key, mask=_mask_array(mask), scale=_default_scale(query, scale),
                                  mask_mode=mask_mode)


def masked_softmax(scores, mask=None, mask_mode="zeros"):
    """α = softmax(scores) along the last axis with the masked entries left out (see ``MaskedSoftmax``)."""
    return MaskedSoftmax.apply(scores, mask=_mask_array(mask), mask_mode=mask_mode)

"""keras.ops products and differences: matmul, dot, tensordot, einsum, outer, kron, cross, diff ...

All are differentiable compositions of ``MatMul``, ``Einsum`` and the shape ops:

    tensordot(a, b, axes) = reshape(a → (m, k)) · reshape(b → (k, n)), reshaped back
    outer(a, b)           = a[:, None] · b[None, :]
    cross(a, b)           = a[[1,2,0]]·b[[2,0,1]] − a[[2,0,1]]·b[[1,2,0]]
    diff(a)               = a[1:] − a[:−1]                  (n times)
    trapezoid(y, dx)      = Σ dx · (y[1:] + y[:−1]) / 2
    correlate(a, v)       = Σ_j a[i + j]·v[j]               (NumPy's "valid", "same", "full")
"""
from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from .elementwise import Add, Div, Mul, PowScalar, Sub
from .indexing import GetItem
from .axes import canonical_axis
from .keras_base import constant, float_tensor, promoted, tensor
from .math_primitives import Einsum
from .matmul_ops import MatMul
from .numpy_shape import expand_dims, moveaxis, reshape, transpose
from .reduce import Mean, Sum
from .shape_ops import Pad, Stack
from .unary import Sqrt


def matmul(x1, x2) -> Tensor:
    """The matrix product over the last two axes (leading axes broadcast)."""
    a, b = promoted(x1, x2)
    return MatMul.apply(a, b)


def dot(x1, x2) -> Tensor:
    """NumPy's dot: a product for scalars, matmul for 1-D/2-D, else Σ over a's last and b's second-to-last axis."""
    a, b = promoted(x1, x2)
    if a.ndim == 0 or b.ndim == 0:
        return Mul.apply(a, b)
    if b.ndim <= 2:
        return MatMul.apply(a, b)
    return tensordot(a, b, axes=([a.ndim - 1], [b.ndim - 2]))


def vdot(x1, x2) -> Tensor:
    """Σ of the element-wise product of the flattened tensors."""
    a, b = promoted(x1, x2)
    return Sum.apply(Mul.apply(reshape(a, (-1,)), reshape(b, (-1,))))


def inner(x1, x2) -> Tensor:
    """Σ over the last axes of both (a scalar operand multiplies)."""
    a, b = promoted(x1, x2)
    if a.ndim == 0 or b.ndim == 0:
        return Mul.apply(a, b)
    return tensordot(a, b, axes=([a.ndim - 1], [b.ndim - 1]))


def outer(x1, x2) -> Tensor:
    """a[i]·b[j] of the flattened tensors."""
    a, b = promoted(x1, x2)
    return Mul.apply(reshape(a, (-1, 1)), reshape(b, (1, -1)))


def kron(x1, x2) -> Tensor:
    """The Kronecker product: block (i, j) is a[i, j]·b."""
    a, b = promoted(x1, x2)
    nd = max(a.ndim, b.ndim)
    a = reshape(a, (1,) * (nd - a.ndim) + a.shape)
    b = reshape(b, (1,) * (nd - b.ndim) + b.shape)
    inter_a = [s for n in a.shape for s in (n, 1)]
    inter_b = [s for n in b.shape for s in (1, n)]
    product = Mul.apply(reshape(a, inter_a), reshape(b, inter_b))
    return reshape(product, tuple(p * q for p, q in zip(a.shape, b.shape)))


def tensordot(x1, x2, axes=2) -> Tensor:
    """Σ over ``axes`` of a and b (an int n: a's last n with b's first n), as one matrix product."""
    a, b = promoted(x1, x2)
    if isinstance(axes, (int, np.integer)):
        axes_a, axes_b = list(range(a.ndim - axes, a.ndim)), list(range(axes))
    else:
        axes_a, axes_b = ([axes[0]] if np.ndim(axes[0]) == 0 else list(axes[0]),
                          [axes[1]] if np.ndim(axes[1]) == 0 else list(axes[1]))
    axes_a = [int(i) % a.ndim for i in axes_a]
    axes_b = [int(i) % b.ndim for i in axes_b]
    free_a = [i for i in range(a.ndim) if i not in axes_a]
    free_b = [i for i in range(b.ndim) if i not in axes_b]
    k = int(np.prod([a.shape[i] for i in axes_a]))
    a2 = reshape(transpose(a, free_a + axes_a), (-1, k))
    b2 = reshape(transpose(b, axes_b + free_b), (k, -1))
    return reshape(MatMul.apply(a2, b2), tuple(a.shape[i] for i in free_a) + tuple(b.shape[i] for i in free_b))


def einsum(subscripts, *operands, **kwargs) -> Tensor:
    """Einstein summation, e.g. einsum("bij,bjk->bik", a, b) (see ``Einsum``)."""
    return Einsum.apply(*promoted(*operands), subscripts=subscripts)


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None) -> Tensor:
    """The cross product of 3-vectors along the given axes (2-vectors get a zero third part)."""
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = promoted(moveaxis(x1, axisa, -1), moveaxis(x2, axisb, -1))

    def as_3(v):
        return v if v.shape[-1] == 3 else Pad.apply(v, pad_width=[(0, 0)] * (v.ndim - 1) + [(0, 1)], constant_values=0)
    both_2d = a.shape[-1] == 2 and b.shape[-1] == 2
    a, b = as_3(a), as_3(b)
    first, second = [1, 2, 0], [2, 0, 1]
    c = Sub.apply(Mul.apply(GetItem.apply(a, index=(Ellipsis, first)), GetItem.apply(b, index=(Ellipsis, second))),
                  Mul.apply(GetItem.apply(a, index=(Ellipsis, second)), GetItem.apply(b, index=(Ellipsis, first))))
    if both_2d:
        return GetItem.apply(c, index=(Ellipsis, 2))
    return moveaxis(c, -1, axisc)


def diff(a, n=1, axis=-1) -> Tensor:
    """The n-th forward difference along ``axis``: a[1:] − a[:−1], n times."""
    x = tensor(a)
    axis = canonical_axis(axis, x.ndim, "diff")
    head = (slice(None),) * axis
    for _ in range(n):
        x = Sub.apply(GetItem.apply(x, index=head + (slice(1, None),)), GetItem.apply(x, index=head + (slice(None, -1),)))
    return x


def trapezoid(y, x=None, dx=1.0, axis=-1) -> Tensor:
    """∫ y by the trapezoid rule: Σ Δx · (yᵢ₊₁ + yᵢ)/2 along ``axis``."""
    y = float_tensor(y)
    axis = canonical_axis(axis, y.ndim, "trapezoid")
    head = (slice(None),) * axis
    mids = Mul.apply(Add.apply(GetItem.apply(y, index=head + (slice(1, None),)),
                               GetItem.apply(y, index=head + (slice(None, -1),))), constant(np.asarray(0.5, y.dtype)))
    step = constant(np.asarray(dx, y.dtype)) if x is None else diff(float_tensor(x), axis=-1 if tensor(x).ndim == 1 else axis)
    if x is not None and tensor(x).ndim == 1 and y.ndim > 1:
        step = reshape(step, tuple(-1 if i == axis else 1 for i in range(y.ndim)))
    return Sum.apply(Mul.apply(mids, step), axis=axis)


def correlate(x1, x2, mode="valid") -> Tensor:
    """The cross-correlation of two 1-D tensors, c[k] = Σ_j a[k + j]·v[j] (NumPy's modes)."""
    a, v = promoted(x1, x2)
    if a.ndim != 1 or v.ndim != 1:
        raise ValueError(f"correlate: expects 1-D tensors, got shapes {a.shape} and {v.shape}")
    if a.shape[0] < v.shape[0]:  # NumPy swaps and reverses
        return GetItem.apply(correlate(v, a, mode), index=slice(None, None, -1))
    n, m = a.shape[0], v.shape[0]
    pad = {"valid": (0, 0), "same": (m // 2, m - 1 - m // 2), "full": (m - 1, m - 1)}.get(mode)
    if pad is None:
        raise ValueError(f"correlate: mode must be 'valid', 'same' or 'full', got {mode!r}")
    padded = Pad.apply(a, pad_width=[pad], constant_values=0)
    count = n + sum(pad) - m + 1
    windows = GetItem.apply(padded, index=np.arange(count)[:, None] + np.arange(m)[None, :])
    return MatMul.apply(windows, v)


def vander(x, N=None, increasing=False) -> Tensor:  # noqa: N803
    """The Vandermonde matrix: columns x^(N−1), …, x, 1 (reversed when ``increasing``)."""
    x = tensor(x)
    n = x.shape[0] if N is None else int(N)
    powers = range(n) if increasing else range(n - 1, -1, -1)
    columns = [constant(np.ones(x.shape, x.dtype)) if p == 0 else PowScalar.apply(x, exponent=p) for p in powers]
    return Stack.apply(*columns, axis=1)


def corrcoef(x) -> Tensor:
    """Pearson correlation of the rows of x: cov(i, j) / √(cov(i, i)·cov(j, j))."""
    x = float_tensor(x)
    centered = Sub.apply(x, Mean.apply(x, axis=-1, keepdims=True))
    cov = MatMul.apply(centered, transpose(centered))
    d = Sqrt.apply(GetItem.apply(cov, index=(np.arange(cov.shape[0]), np.arange(cov.shape[0]))))
    return Div.apply(cov, Mul.apply(expand_dims(d, 1), expand_dims(d, 0)))


def cdist(x, y) -> Tensor:
    """Euclidean distances between the rows of x (…, m, d) and of y (…, n, d): (…, m, n)."""
    a, b = promoted(x, y)
    gap = Sub.apply(expand_dims(a, -2), expand_dims(b, -3))
    return Sqrt.apply(Sum.apply(Mul.apply(gap, gap), axis=-1))


__all__ = ["matmul", "dot", "vdot", "inner", "outer", "kron", "tensordot", "einsum", "cross", "diff",
    "trapezoid", "correlate", "vander", "corrcoef", "cdist"]

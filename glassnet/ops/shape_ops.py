"""Shape primitives: reshape, transpose, broadcast, concatenate, stack, pad.

None of them changes a value, they only move values around, so each backward moves
the gradient back the same way (reshape back, transpose by the inverse permutation,
sum over broadcast axes, split at the concatenation points, crop the padding).
"""
from __future__ import annotations

import numpy as np


from ..backend import xp
from ..tensor import Function, unbroadcast
from .axes import canonical_axis, is_int, permutation


class Reshape(Function):
    """f = x viewed with a new shape (same elements, row-major).   ∂L/∂x = reshape(∂L/∂f)."""

    def forward(self, x, shape):
        self.shape_in = x.shape
        entries = (shape,) if is_int(shape) else shape
        if not isinstance(entries, (tuple, list)) or not all(is_int(s) and s >= -1 for s in entries) \
                or list(entries).count(-1) > 1:
            raise TypeError(f"reshape: shape must be an int or a tuple of ints ≥ 0 with at most one -1, "
                            f"got {shape!r}")
        try:
            return x.reshape(tuple(int(s) for s in entries))
        except ValueError:
            raise ValueError(f"reshape: cannot reshape a tensor of shape {x.shape} ({x.size} elements) into {tuple(entries)}") from None

    def backward(self, grad):
        return grad.reshape(self.shape_in)


class Transpose(Function):
    """f = x with its axes permuted by ``axes`` (reversed if None).   ∂L/∂x = ∂L/∂f permuted back."""

    def forward(self, x, axes=None):
        self.axes = permutation(axes, x.ndim, "transpose")   # every entry checked, none wrapped
        return xp.transpose(x, self.axes)

    def backward(self, grad):
        return xp.transpose(grad, np.argsort(self.axes))


class BroadcastTo(Function):
    """f = x repeated along broadcast axes to ``shape``.   ∂L/∂x = Σ of ∂L/∂f over those axes."""

    def forward(self, x, shape):
        self.shape_in = x.shape
        try:
            return xp.broadcast_to(x, shape)
        except ValueError:
            raise ValueError(f"broadcast_to: cannot broadcast shape {x.shape} to {tuple(shape)}") from None

    def backward(self, grad):
        return unbroadcast(grad, self.shape_in)


class Concatenate(Function):
    """f = [x₁ | x₂ | … ] joined along ``axis``.   ∂L/∂xᵢ = the slice of ∂L/∂f that came from xᵢ."""

    def forward(self, *xs, axis=0):
        if not xs:
            raise ValueError("concatenate: needs at least one tensor")
        if len({x.ndim for x in xs}) > 1 or xs[0].ndim == 0:
            raise ValueError(f"concatenate: tensors need the same rank ≥ 1, got shapes {[x.shape for x in xs]}")
        self.axis = canonical_axis(axis, xs[0].ndim, "concatenate")
        try:
            out = xp.concatenate(xs, axis=self.axis)
        except ValueError:
            raise ValueError(f"concatenate: shapes {[x.shape for x in xs]} do not match except on axis {axis}") from None
        self.splits = np.cumsum([x.shape[self.axis] for x in xs])[:-1]
        return out

    def backward(self, grad):
        return tuple(xp.split(grad, self.splits, axis=self.axis))


class Stack(Function):
    """f = the xᵢ stacked along a new ``axis``.   ∂L/∂xᵢ = ∂L/∂f taken at index i of that axis."""

    def forward(self, *xs, axis=0):
        if not xs:
            raise ValueError("stack: needs at least one tensor")
        if len({x.shape for x in xs}) > 1:
            raise ValueError(f"stack: all tensors need the same shape, got {[x.shape for x in xs]}")
        self.axis = canonical_axis(axis, xs[0].ndim + 1, "stack")
        out = xp.stack(xs, axis=self.axis)
        return out

    def backward(self, grad):
        return tuple(xp.moveaxis(grad, self.axis, 0))


class Pad(Function):
    """f = x surrounded by a constant; ``pad_width`` as in ``numpy.pad``.   ∂L/∂x = the centre crop of ∂L/∂f."""

    def forward(self, x, pad_width, constant_values=0.0):
        width = np.broadcast_to(np.asarray(pad_width, dtype=int), (x.ndim, 2))  # host-side bookkeeping
        if (width < 0).any():
            raise ValueError(f"pad: pad_width must be non-negative, got {pad_width}")
        self.crop = tuple(slice(lo, lo + n) for (lo, _), n in zip(width, x.shape))
        return xp.pad(x, width, mode="constant", constant_values=constant_values)

    def backward(self, grad):
        return grad[self.crop]

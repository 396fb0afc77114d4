"""Gradients of slices, and how ``backward()`` adds gradients up.

The gradient of ``x[index]`` is zero everywhere but at ``index``. Written out in full it is an
array as large as x, so a loop that reads T slices of a sequence (an RNN over time steps)
would build T full-size arrays in backward: O(T²) memory traffic for O(T) work. A basic
slice's backward instead returns a ``SliceGrad`` — the index and the values only — and
``accumulate`` adds it into one dense gradient in place:

    ∂L/∂x = Σ_t scatter(index_t, ∂L/∂x[index_t])     (one zeros(x.shape), then T in-place adds)

``accumulate`` adds in place only into arrays it allocated itself during this backward
(tracked per parent tensor), never into an array a ``Function.backward`` returned, which may
be a view of something else.
"""
from __future__ import annotations

from .backend import xp


class SliceGrad:
    """A gradient of ``shape`` that is ``values`` at the basic index ``index`` and zero elsewhere."""

    __slots__ = ("shape", "index", "values")

    def __init__(self, shape, index, values):
        self.shape, self.index, self.values = tuple(shape), index, values

    def dense(self, dtype):
        """The full array."""
        out = xp.zeros(self.shape, dtype=dtype)
        out[self.index] = self.values
        return out


def as_dense(grad, dtype):
    """``grad`` as an array (a ``SliceGrad`` written out; anything else as it is)."""
    return grad.dense(dtype) if isinstance(grad, SliceGrad) else grad


def accumulate(grads: dict, owned: dict, parent, grad) -> None:
    """grads[id(parent)] += grad, in place when this backward owns the running sum.

    Args:
        grads: id(tensor) → its gradient so far (an array or a SliceGrad).
        owned: id(tensor) → the array this backward allocated for it (safe to add into).
        parent: the tensor receiving the gradient.
        grad: the new contribution: an array of parent's shape, or a SliceGrad.
    """
    key = id(parent)
    previous = grads.get(key)
    if previous is None:
        grads[key] = grad
        return
    dtype = parent.data.dtype
    if owned.get(key) is not previous:                  # make a running sum of our own first
        # (xp.array, not astype: a 0-d result of NumPy arithmetic may be a scalar, which cannot be added into)
        previous = as_dense(previous, dtype) if isinstance(previous, SliceGrad) else xp.array(previous, dtype=dtype)
        owned[key] = grads[key] = previous
    if isinstance(grad, SliceGrad):
        previous[grad.index] += grad.values
    else:
        previous += grad

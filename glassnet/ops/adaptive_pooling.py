"""Adaptive pooling: a fixed output size whatever the input size (PyTorch's and Keras 3.15's rule).

On each spatial axis of length L pooled to ``output_size`` m, output cell i covers the inputs

    start_i = ⌊i·L/m⌋  up to (not including)  end_i = ⌈(i + 1)·L/m⌉

so the cells cover the axis, in order, overlapping by one where L is not a multiple of m
(L = 5, m = 3: [0, 2), [1, 4), [3, 5)). The cell is the product of these ranges over the axes,
and y is its max or its mean:

    max:      y[b, i, j, c] = max  over the cell (i, j) of x[b, ·, ·, c]
    average:  y[b, i, j, c] = mean over the cell (i, j) of x[b, ·, ·, c]

A box's max (mean) is the max (mean) along one axis of the max (mean) along the others, so one
implementation serves 1, 2 and 3 axes: ``adaptive_pool`` pools one axis at a time, the array
viewed as (P, L, S) (the axes before, the axis, the axes after; a free reshape):

    mean:  y = A · x,  A (m, L) with A[i, t] = 1/(end_i − start_i) inside cell i, 0 elsewhere
           (a batched matrix product, whose backward Aᵀ · ∂L/∂y comes from the chain rule);
    max:   ``AdaptiveMaxAlongAxis``: y_i = max of the cell, ∂L/∂y_i routed to the cell's first maximum.

The axes are pooled last to first, so a tie inside a 2-D or 3-D cell sends the gradient to the
first maximum in row-major order — PyTorch's rule, which Keras's torch backend inherits.
Each pass costs O(input) in forward and backward (a cell-by-cell gather would cost one
input-sized gradient array per output cell). Used by ``glassnet.ops.adaptive_max_pool`` /
``adaptive_average_pool`` and by the AdaptiveMax/AveragePooling1D/2D/3D layers.
"""
from __future__ import annotations

import math

import numpy as np

from ..backend import xp
from ..tensor import Function
from .matmul_ops import MatMul
from .shape_ops import Reshape, Transpose

REDUCTIONS = ("max", "average")


def cells(length: int, size: int) -> tuple:
    """(start, end) arrays of the ``size`` cells over an axis of ``length``: [⌊i·L/m⌋, ⌈(i + 1)·L/m⌉)."""
    i = np.arange(size)
    return i * length // size, -(-(i + 1) * length // size)


def average_matrix(length: int, size: int, dtype):
    """A (m, L): row i averages cell i, A[i, t] = 1/(end_i − start_i) for start_i ≤ t < end_i."""
    start, end = cells(length, size)
    t = np.arange(length)
    inside = (t >= start[:, None]) & (t < end[:, None])
    return xp.asarray((inside / (end - start)[:, None]).astype(dtype))


class AdaptiveMaxAlongAxis(Function):
    """y[p, i, s] = max_{start_i ≤ t < end_i} x[p, t, s] on x (P, L, S): the max of each cell of axis 1.

    Local derivative: ∂y_i/∂x_t = 1 at the cell's FIRST maximum t (PyTorch's tie rule), 0
    elsewhere; cells overlap by at most one position per neighbour, so backward adds cell by
    cell. One pass per cell over its own slice (never over positions).
    """

    def forward(self, x, size):
        start, end = cells(x.shape[1], size)
        self.shape = x.shape
        y = xp.empty((x.shape[0], size, x.shape[2]), dtype=x.dtype)
        self.arg = xp.empty(y.shape, dtype=xp.intp)            # the position t of each cell's maximum
        for i, (a, b) in enumerate(zip(start, end)):
            first = x[:, a:b].argmax(axis=1)                   # the first maximum (a NaN counts as one)
            self.arg[:, i] = a + first
            y[:, i] = xp.take_along_axis(x[:, a:b], first[:, None], axis=1)[:, 0]
        return y

    def backward(self, grad):
        grad_x = xp.zeros(self.shape, dtype=grad.dtype)
        p, s = xp.arange(self.shape[0])[:, None], xp.arange(self.shape[2])[None, :]
        for i in range(grad.shape[1]):
            grad_x[p, self.arg[:, i], s] += grad[:, i]         # one position per (p, s): no collisions
        return grad_x


def adaptive_pool(x, output_size, reduction: str, data_format: str = "channels_last"):
    """Adaptive "max" or "average" pooling of a Tensor (batch, *spatial, channels) — or
    (batch, channels, *spatial) with "channels_first" — to ``output_size`` (one int per spatial
    axis) cells per axis, one axis at a time, last axis first (see the module docstring)."""
    first = data_format == "channels_first"
    if first:
        x = Transpose.apply(x, axes=(0, *range(2, x.ndim), 1))
    for axis in reversed(range(1, x.ndim - 1)):
        size, shape = output_size[axis - 1], tuple(x.shape)
        length = shape[axis]
        if length == size:                                     # every cell is one position: nothing to do
            continue
        x3 = Reshape.apply(x, shape=(math.prod(shape[:axis]), length, math.prod(shape[axis + 1:])))
        if reduction == "max":
            y3 = AdaptiveMaxAlongAxis.apply(x3, size=size)
        else:
            y3 = MatMul.apply(average_matrix(length, size, x.dtype), x3)
        x = Reshape.apply(y3, shape=(*shape[:axis], size, *shape[axis + 1:]))
    return Transpose.apply(x, axes=(0, x.ndim - 1, *range(1, x.ndim - 1))) if first else x

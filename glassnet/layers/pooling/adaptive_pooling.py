"""Adaptive pooling: a fixed output size whatever the input size (PyTorch's and Keras 3.15's rule).

On each spatial axis of length L pooled to ``output_size`` m, output cell i covers the inputs

    start_i = ⌊i·L/m⌋  up to (not including)  end_i = ⌈(i + 1)·L/m⌉

so the cells cover the axis, in order, overlapping by one where L is not a multiple of m
(L = 5, m = 3: [0, 2), [1, 4), [3, 5)). The cell is the product of these ranges over the axes,
and y is its max or its mean:

    AdaptiveMaxPooling:      y[b, i, j, c] = max  over the cell (i, j) of x[b, ·, ·, c]
    AdaptiveAveragePooling:  y[b, i, j, c] = mean over the cell (i, j) of x[b, ·, ·, c]

A box's max (mean) is the max (mean) along one axis of the max (mean) along the others, so one
implementation serves 1, 2 and 3 axes: ``adaptive_pool`` pools one axis at a time, the array
viewed as (P, L, S) (the axes before, the axis, the axes after; a free reshape):

    mean:  y = A · x,  A (m, L) with A[i, t] = 1/(end_i − start_i) inside cell i, 0 elsewhere
           (a batched matrix product, whose backward Aᵀ · ∂L/∂y comes from the chain rule);
    max:   ``AdaptiveMaxAlongAxis``: y_i = max of the cell, ∂L/∂y_i routed to the cell's first maximum.

(``ops.adaptive_max_pool`` / ``ops.adaptive_average_pool`` compute the same numbers cell by
cell; their backward costs one input-sized array per output cell.)
"""
from __future__ import annotations

import math

import numpy as np

from ... import ops
from ...tensor import Function
from ..arguments import check_spatial_rank, normalize_tuple
from ..base import Layer
from ..reshaping.channels import from_channels_last, standardize_data_format, to_channels_last


def cells(length: int, size: int) -> tuple:
    """(start, end) arrays of the ``size`` cells over an axis of ``length``: [⌊i·L/m⌋, ⌈(i + 1)·L/m⌉)."""
    i = np.arange(size)
    return i * length // size, -(-(i + 1) * length // size)


def average_matrix(length: int, size: int, dtype) -> np.ndarray:
    """A (m, L): row i averages cell i, A[i, t] = 1/(end_i − start_i) for start_i ≤ t < end_i."""
    start, end = cells(length, size)
    t = np.arange(length)
    inside = (t >= start[:, None]) & (t < end[:, None])
    return (inside / (end - start)[:, None]).astype(dtype)


class AdaptiveMaxAlongAxis(Function):
    """y[p, i, s] = max_{start_i ≤ t < end_i} x[p, t, s] on x (P, L, S): the max of each cell of axis 1.

    Local derivative: ∂y_i/∂x_t = 1 at the cell's FIRST maximum t (PyTorch's tie rule), 0
    elsewhere; cells overlap by at most one position per neighbour, so backward adds cell by
    cell. One pass per cell over its own slice (never over positions).
    """

    def forward(self, x, size):
        start, end = cells(x.shape[1], size)
        self.shape = x.shape
        y = np.empty((x.shape[0], size, x.shape[2]), dtype=x.dtype)
        self.arg = np.empty(y.shape, dtype=np.intp)            # the position t of each cell's maximum
        for i, (a, b) in enumerate(zip(start, end)):
            first = x[:, a:b].argmax(axis=1)                   # the first maximum (a NaN counts as one)
            self.arg[:, i] = a + first
            y[:, i] = np.take_along_axis(x[:, a:b], first[:, None], axis=1)[:, 0]
        return y

    def backward(self, grad):
        grad_x = np.zeros(self.shape, dtype=grad.dtype)
        for i in range(grad.shape[1]):
            at = self.arg[:, i:i + 1]                          # one position per (p, s): no collisions
            np.put_along_axis(grad_x, at, np.take_along_axis(grad_x, at, axis=1) + grad[:, i:i + 1], axis=1)
        return grad_x


def adaptive_pool(x, output_size, reduction: str, data_format="channels_last"):
    """Adaptive "max" or "average" pooling of (batch, *spatial, channels) (or channels first) to
    ``output_size`` cells per spatial axis, one axis at a time (see the module docstring)."""
    x = to_channels_last(x, data_format)
    for axis, size in enumerate(output_size, start=1):
        shape = tuple(x.shape)
        length = shape[axis]
        if length == size:                                     # every cell is one position: nothing to do
            continue
        x3 = ops.reshape(x, (math.prod(shape[:axis]), length, math.prod(shape[axis + 1:])))
        if reduction == "max":
            y3 = AdaptiveMaxAlongAxis.apply(x3, size=size)
        else:
            y3 = ops.matmul(average_matrix(length, size, x.dtype), x3)
        x = ops.reshape(y3, (*shape[:axis], size, *shape[axis + 1:]))
    return from_channels_last(x, data_format)


class BaseAdaptivePooling(Layer):
    """The shared piece: ``rank`` spatial axes pooled to ``output_size`` by ``adaptive_pool``.

    Subclasses set ``rank`` (1, 2 or 3) and ``reduction`` ("max" or "average").

    Args:
        output_size: an int (the same on every axis) or a tuple of ``rank`` positive ints.
        data_format: "channels_last" or "channels_first" (None: the backend's image_data_format).

    Input shape:
        (batch, *spatial, channels), or (batch, channels, *spatial) with "channels_first".

    Output shape:
        (batch, *output_size, channels), or (batch, channels, *output_size).
    """

    rank: int
    shape_by_arithmetic = True       # functional graphs take compute_output_shape, not a probe run
    reduction = None

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.output_size = normalize_tuple(owner, "output_size", output_size, self.rank)
        self.data_format = standardize_data_format(owner, data_format)

    def _check(self, shape) -> None:
        check_spatial_rank(self, tuple(shape), self.rank)
        spatial = shape[2:] if self.data_format == "channels_first" else shape[1:-1]
        for axis, n in enumerate(spatial):
            if n is not None and n < 1:
                raise ValueError(f"{self.name}: spatial axis {axis} of the input of shape {tuple(shape)} is empty")

    def build(self, input_shape):
        self._check(input_shape)

    def call(self, inputs):
        self._check(inputs.shape)
        return adaptive_pool(inputs, self.output_size, self.reduction, self.data_format)

    def compute_output_shape(self, input_shape):
        self._check(input_shape)
        if self.data_format == "channels_first":
            return (input_shape[0], input_shape[1], *self.output_size)
        return (input_shape[0], *self.output_size, input_shape[-1])

    def get_config(self) -> dict:
        return {**super().get_config(), "output_size": self.output_size, "data_format": self.data_format}




class AdaptiveMaxPooling1D(BaseAdaptivePooling):
    """Adaptive max pooling over sequences (batch, steps, features) to ``output_size`` cells per axis.

    Formula: y[b, i, c] = max of x over cell (i) (on each axis, cell i is [⌊i·L/m⌋, ⌈(i + 1)·L/m⌉)).
    Arguments and shapes as ``BaseAdaptivePooling``.
    """

    rank, reduction = 1, "max"


class AdaptiveMaxPooling2D(BaseAdaptivePooling):
    """Adaptive max pooling over images (batch, height, width, channels) to ``output_size`` cells per axis.

    Formula: y[b, i, j, c] = max of x over cell (i, j) (on each axis, cell i is [⌊i·L/m⌋, ⌈(i + 1)·L/m⌉)).
    Arguments and shapes as ``BaseAdaptivePooling``.
    """

    rank, reduction = 2, "max"


class AdaptiveMaxPooling3D(BaseAdaptivePooling):
    """Adaptive max pooling over volumes (batch, depth, height, width, channels) to ``output_size`` cells per axis.

    Formula: y[b, i, j, k, c] = max of x over cell (i, j, k) (on each axis, cell i is [⌊i·L/m⌋, ⌈(i + 1)·L/m⌉)).
    Arguments and shapes as ``BaseAdaptivePooling``.
    """

    rank, reduction = 3, "max"


class AdaptiveAveragePooling1D(BaseAdaptivePooling):
    """Adaptive mean pooling over sequences (batch, steps, features) to ``output_size`` cells per axis.

    Formula: y[b, i, c] = mean of x over cell (i) (on each axis, cell i is [⌊i·L/m⌋, ⌈(i + 1)·L/m⌉)).
    Arguments and shapes as ``BaseAdaptivePooling``.
    """

    rank, reduction = 1, "average"


class AdaptiveAveragePooling2D(BaseAdaptivePooling):
    """Adaptive mean pooling over images (batch, height, width, channels) to ``output_size`` cells per axis.

    Formula: y[b, i, j, c] = mean of x over cell (i, j) (on each axis, cell i is [⌊i·L/m⌋, ⌈(i + 1)·L/m⌉)).
    Arguments and shapes as ``BaseAdaptivePooling``.
    """

    rank, reduction = 2, "average"


class AdaptiveAveragePooling3D(BaseAdaptivePooling):
    """Adaptive mean pooling over volumes (batch, depth, height, width, channels) to ``output_size`` cells per axis.

    Formula: y[b, i, j, k, c] = mean of x over cell (i, j, k) (on each axis, cell i is [⌊i·L/m⌋, ⌈(i + 1)·L/m⌉)).
    Arguments and shapes as ``BaseAdaptivePooling``.
    """

    rank, reduction = 3, "average"

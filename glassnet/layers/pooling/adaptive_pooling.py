"""Adaptive pooling: a fixed output size whatever the input size (PyTorch's and Keras 3.15's rule).

On each spatial axis of length L pooled to ``output_size`` m, output cell i covers the inputs

    start_i = ⌊i·L/m⌋  up to (not including)  end_i = ⌈(i + 1)·L/m⌉

so the cells cover the axis, in order, overlapping by one where L is not a multiple of m
(L = 5, m = 3: [0, 2), [1, 4), [3, 5)). The cell is the product of these ranges over the axes,
and y is its max or its mean:

    AdaptiveMaxPooling:      y[b, i, j, c] = max  over the cell (i, j) of x[b, ·, ·, c]
    AdaptiveAveragePooling:  y[b, i, j, c] = mean over the cell (i, j) of x[b, ·, ·, c]

One implementation for 1, 2 and 3 axes: ``ops.adaptive_max_pool`` / ``ops.adaptive_average_pool``
(``glassnet/ops/windows_api.py``), composed of slices and reductions, so the gradient comes
from the chain rule (the mean spreads ∂L/∂y over its cell; the max sends it to the cell's
maximum, shared equally between tied maxima).
"""
from __future__ import annotations

from ... import ops
from ..arguments import check_spatial_rank, normalize_tuple
from ..base import Layer
from ..reshaping.channels import standardize_data_format


class BaseAdaptivePooling(Layer):
    """The shared piece: ``rank`` spatial axes pooled to ``output_size`` by ``pool``.

    Subclasses set ``rank`` (1, 2 or 3) and ``pool`` (``ops.adaptive_max_pool`` or
    ``ops.adaptive_average_pool``).

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
    pool = None

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.output_size = normalize_tuple(owner, "output_size", output_size, self.rank)
        self.data_format = standardize_data_format(owner, data_format, True)

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
        return self.pool(inputs, self.output_size, data_format=self.data_format)

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

    rank, pool = 1, staticmethod(ops.adaptive_max_pool)


class AdaptiveMaxPooling2D(BaseAdaptivePooling):
    """Adaptive max pooling over images (batch, height, width, channels) to ``output_size`` cells per axis.

    Formula: y[b, i, j, c] = max of x over cell (i, j) (on each axis, cell i is [⌊i·L/m⌋, ⌈(i + 1)·L/m⌉)).
    Arguments and shapes as ``BaseAdaptivePooling``.
    """

    rank, pool = 2, staticmethod(ops.adaptive_max_pool)


class AdaptiveMaxPooling3D(BaseAdaptivePooling):
    """Adaptive max pooling over volumes (batch, depth, height, width, channels) to ``output_size`` cells per axis.

    Formula: y[b, i, j, k, c] = max of x over cell (i, j, k) (on each axis, cell i is [⌊i·L/m⌋, ⌈(i + 1)·L/m⌉)).
    Arguments and shapes as ``BaseAdaptivePooling``.
    """

    rank, pool = 3, staticmethod(ops.adaptive_max_pool)


class AdaptiveAveragePooling1D(BaseAdaptivePooling):
    """Adaptive mean pooling over sequences (batch, steps, features) to ``output_size`` cells per axis.

    Formula: y[b, i, c] = mean of x over cell (i) (on each axis, cell i is [⌊i·L/m⌋, ⌈(i + 1)·L/m⌉)).
    Arguments and shapes as ``BaseAdaptivePooling``.
    """

    rank, pool = 1, staticmethod(ops.adaptive_average_pool)


class AdaptiveAveragePooling2D(BaseAdaptivePooling):
    """Adaptive mean pooling over images (batch, height, width, channels) to ``output_size`` cells per axis.

    Formula: y[b, i, j, c] = mean of x over cell (i, j) (on each axis, cell i is [⌊i·L/m⌋, ⌈(i + 1)·L/m⌉)).
    Arguments and shapes as ``BaseAdaptivePooling``.
    """

    rank, pool = 2, staticmethod(ops.adaptive_average_pool)


class AdaptiveAveragePooling3D(BaseAdaptivePooling):
    """Adaptive mean pooling over volumes (batch, depth, height, width, channels) to ``output_size`` cells per axis.

    Formula: y[b, i, j, k, c] = mean of x over cell (i, j, k) (on each axis, cell i is [⌊i·L/m⌋, ⌈(i + 1)·L/m⌉)).
    Arguments and shapes as ``BaseAdaptivePooling``.
    """

    rank, pool = 3, staticmethod(ops.adaptive_average_pool)

"""AdaptiveMax/AveragePooling1D/2D/3D: a fixed output size whatever the input size.

On each spatial axis of length L pooled to ``output_size`` m, output cell i covers the inputs
[⌊i·L/m⌋, ⌈(i + 1)·L/m⌉) (PyTorch's and Keras 3.15's rule), and y is the max or the mean of
the cell. The computation — one axis at a time, O(input) forward and backward — is
``glassnet/ops/adaptive_pooling.py``, shared with ``ops.adaptive_max_pool`` and
``ops.adaptive_average_pool``.
"""
from __future__ import annotations

from ...ops.adaptive_pooling import adaptive_pool
from ..arguments import check_spatial_rank, normalize_tuple
from ..base import Layer
from ..reshaping.channels import standardize_data_format

__all__ = ["BaseAdaptivePooling", "AdaptiveMaxPooling1D", "AdaptiveMaxPooling2D",
           "AdaptiveMaxPooling3D", "AdaptiveAveragePooling1D", "AdaptiveAveragePooling2D",
           "AdaptiveAveragePooling3D"]


class BaseAdaptivePooling(Layer):
    """The shared piece: ``rank`` spatial axes pooled to ``output_size`` by ``ops.adaptive_pooling.adaptive_pool``.

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

"""Global pooling: one number per channel, the max or the mean over all positions."""
from __future__ import annotations

from ... import ops
from ...backend import xp
from ...tensor import Tensor
from ..arguments import check_bool, check_spatial_rank
from ..base import Layer
from ..reshaping.channels import from_channels_last, shape_from_channels_last, standardize_data_format, \
    to_channels_last


class GlobalPooling(Layer):
    """The shared piece: reduce the ``rank`` spatial axes of (batch, *spatial, channels).

    Subclasses set ``rank`` and ``reduce`` (``ops.max`` or ``ops.mean``); "channels_first"
    input (batch, channels, *spatial) is reduced channels-last (``reshaping/channels.py``).
    """

    rank: int
    shape_by_arithmetic = True       # functional graphs take compute_output_shape, not a probe run
    reduce = None

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(type(self).__name__, data_format)
        self.keepdims = check_bool(type(self).__name__, "keepdims", keepdims)
        self.axes = tuple(range(1, self.rank + 1))

    def _check_rank(self, shape) -> None:
        check_spatial_rank(self, shape, self.rank)

    def build(self, input_shape):
        self._check_rank(input_shape)

    def call(self, inputs):
        self._check_rank(inputs.shape)
        y = self.reduce(to_channels_last(inputs, self.data_format), axis=self.axes, keepdims=self.keepdims)
        return from_channels_last(y, self.data_format)

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        channels = input_shape[1] if self.data_format == "channels_first" else input_shape[-1]
        if self.keepdims:
            return shape_from_channels_last((input_shape[0], *(1,) * self.rank, channels), self.data_format)
        return (input_shape[0], channels)

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}


class GlobalMaxPooling2D(GlobalPooling):
    """The largest value of each channel over the whole image.

    Formula: y[b, c] = max_{i, j} x[b, i, j, c]   (ties share the gradient equally, as ``ops.max``).

    Args:
        data_format: "channels_last" or "channels_first" (channels before the spatial axes; None: the
            backend's image_data_format, "channels_last" by default).
        keepdims: keep the spatial axes as size 1: (batch, 1, 1, channels).

    Input shape:
        (batch, height, width, channels).

    Output shape:
        (batch, channels), or (batch, 1, 1, channels) with ``keepdims``.
    """

    rank, reduce = 2, staticmethod(ops.max)


class GlobalMaxPooling1D(GlobalPooling):
    """The largest value of each feature over all steps.

    Formula: y[b, c] = max_t x[b, t, c]

    Args:
        data_format: "channels_last" or "channels_first" (channels before the spatial axes; None: the
            backend's image_data_format, "channels_last" by default).
        keepdims: keep the steps axis as size 1: (batch, 1, features).

    Input shape:
        (batch, steps, features).

    Output shape:
        (batch, features), or (batch, 1, features) with ``keepdims``.
    """

    rank, reduce = 1, staticmethod(ops.max)


class GlobalAveragePooling2D(GlobalPooling):
    """The mean of each channel over the whole image (the head of ResNet-style CNNs).

    Formula: y[b, c] = (1 / (h·w)) · Σ_{i, j} x[b, i, j, c]

    Args:
        data_format: "channels_last" or "channels_first" (channels before the spatial axes; None: the
            backend's image_data_format, "channels_last" by default).
        keepdims: keep the spatial axes as size 1: (batch, 1, 1, channels).

    Input shape:
        (batch, height, width, channels).

    Output shape:
        (batch, channels), or (batch, 1, 1, channels) with ``keepdims``.
    """

    rank, reduce = 2, staticmethod(ops.mean)


class GlobalAveragePooling1D(GlobalPooling):
    """The mean of each feature over the steps; with a mask, over the unmasked steps only.

    Formula: y[b, c] = Σ_t m[b, t]·x[b, t, c] / Σ_t m[b, t]   (m = 1 everywhere without a mask;
    a sample with every step masked gives 0/0 = nan, as in Keras).

    Args:
        data_format: "channels_last" or "channels_first" (channels before the spatial axes; None: the
            backend's image_data_format, "channels_last" by default).
        keepdims: keep the steps axis as size 1: (batch, 1, features).

    Call arguments:
        inputs: (batch, steps, features), or (batch, features, steps) channels first.
        mask: optional (batch, steps) booleans, True for the steps to average (e.g. not padding).

    Input shape:
        (batch, steps, features).

    Output shape:
        (batch, features), or (batch, 1, features) with ``keepdims``.
    """

    rank, reduce = 1, staticmethod(ops.mean)

    def call(self, inputs, mask=None):
        if mask is None:
            return super().call(inputs)
        self._check_rank(inputs.shape)
        m = (mask.data if isinstance(mask, Tensor) else xp.asarray(mask)).astype(bool)
        x = to_channels_last(inputs, self.data_format)
        if m.shape != tuple(x.shape[:2]):
            raise ValueError(f"{self.name}: mask of shape {m.shape} does not match the input's (batch, steps) "
                             f"{tuple(x.shape[:2])}")
        weights = m[:, :, None].astype(inputs.dtype)
        total = ops.sum(x * weights, axis=1, keepdims=self.keepdims)
        return from_channels_last(total / weights.sum(axis=1, keepdims=self.keepdims), self.data_format)


class GlobalMaxPooling3D(GlobalPooling):
    """The largest value of each channel over the whole volume.

    Formula: y[b, c] = max_{i, j, k} x[b, i, j, k, c]   (ties share the gradient equally, as ``ops.max``).

    Args:
        data_format: "channels_last" (batch, d, h, w, C) or "channels_first" (batch, C, d, h, w);
            None means ``glassnet.backend.image_data_format()``.
        keepdims: keep the spatial axes as size 1: (batch, 1, 1, 1, channels).

    Input shape:
        (batch, depth, height, width, channels), or channels first.

    Output shape:
        (batch, channels), or (batch, 1, 1, 1, channels) with ``keepdims`` (channels first: (batch, channels, 1, 1, 1)).
    """

    rank, reduce = 3, staticmethod(ops.max)


class GlobalAveragePooling3D(GlobalPooling):
    """The mean of each channel over the whole volume.

    Formula: y[b, c] = (1 / (d·h·w)) · Σ_{i, j, k} x[b, i, j, k, c]

    Args:
        data_format: "channels_last" or "channels_first" (None: the backend's image_data_format).
        keepdims: keep the spatial axes as size 1: (batch, 1, 1, 1, channels).

    Input shape:
        (batch, depth, height, width, channels), or channels first.

    Output shape:
        (batch, channels), or (batch, 1, 1, 1, channels) with ``keepdims`` (channels first: (batch, channels, 1, 1, 1)).
    """

    rank, reduce = 3, staticmethod(ops.mean)

"""Global pooling: one number per channel, the max or the mean over all positions."""
from __future__ import annotations

from ... import ops
from ...backend import xp
from ...tensor import Tensor
from ..arguments import check_bool, check_spatial_rank, normalize_data_format
from ..base import Layer


class GlobalPooling(Layer):
    """The shared piece: reduce the ``rank`` spatial axes of (batch, *spatial, channels).

    Subclasses set ``rank`` and ``reduce`` (``ops.max`` or ``ops.mean``).
    """

    rank: int
    shape_by_arithmetic = True       # functional graphs take compute_output_shape, not a probe run
    reduce = None

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = normalize_data_format(type(self).__name__, data_format)
        self.keepdims = check_bool(type(self).__name__, "keepdims", keepdims)
        self.axes = tuple(range(1, self.rank + 1))

    def _check_rank(self, shape) -> None:
        check_spatial_rank(self, shape, self.rank)

    def build(self, input_shape):
        self._check_rank(input_shape)

    def call(self, inputs):
        self._check_rank(inputs.shape)
        return self.reduce(inputs, axis=self.axes, keepdims=self.keepdims)

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        if self.keepdims:
            return (input_shape[0], *(1,) * self.rank, input_shape[-1])
        return (input_shape[0], input_shape[-1])

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}


class GlobalMaxPooling2D(GlobalPooling):
    """The largest value of each channel over the whole image.

    Formula: y[b, c] = max_{i, j} x[b, i, j, c]   (ties share the gradient equally, as ``ops.max``).

    Args:
        data_format: "channels_last" only.
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
        data_format: "channels_last" only.
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
        data_format: "channels_last" only.
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
        data_format: "channels_last" only.
        keepdims: keep the steps axis as size 1: (batch, 1, features).

    Call arguments:
        inputs: (batch, steps, features).
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
        if m.shape != tuple(inputs.shape[:2]):
            raise ValueError(f"{self.name}: mask of shape {m.shape} does not match the input's (batch, steps) "
                             f"{tuple(inputs.shape[:2])}")
        weights = m[:, :, None].astype(inputs.dtype)
        total = ops.sum(inputs * weights, axis=1, keepdims=self.keepdims)
        return total / weights.sum(axis=1, keepdims=self.keepdims)

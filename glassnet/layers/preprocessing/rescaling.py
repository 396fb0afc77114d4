"""Rescaling: y = x·scale + offset (e.g. pixels 0…255 → 0…1)."""
from __future__ import annotations

import math
import numbers

import numpy as np

from ... import ops
from ..base import Layer


def _number_or_array(owner: str, name: str, value):
    """A finite float, or a finite float array for a per-channel value (broadcast over the last axes)."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        array = None
    if array is None or array.size == 0 or isinstance(value, (str, bytes, bool)) or not np.isfinite(array).all():
        raise ValueError(f"{owner}: {name} must be a finite number or an array of finite numbers, got {value!r}")
    return array


class Rescaling(Layer):
    """Multiplies every value by ``scale`` and adds ``offset``, in training and at inference.

    Formula: y = x·scale + offset
        scale=1/255             maps [0, 255] to [0, 1]
        scale=1/127.5, offset=−1  maps [0, 255] to [−1, 1]
    ∂y/∂x = scale.

    Args:
        scale: a number, or an array broadcast against the input (e.g. one per channel).
        offset: a number or array (default 0.0).

    Input shape:
        Any; integer inputs (uint8 pixels) come out in the layer's float dtype (floatx).

    Output shape:
        Same as the input.
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = _number_or_array(type(self).__name__, "scale", scale)
        self.offset = _number_or_array(type(self).__name__, "offset", offset)

    def call(self, inputs):
        x = inputs if inputs.data.dtype.kind == "f" else ops.cast(inputs, self.dtype)
        dtype = x.data.dtype
        try:
            np.broadcast_shapes(x.shape, np.shape(self.scale), np.shape(self.offset))
        except ValueError:
            raise ValueError(f"{self.name}: scale (shape {np.shape(self.scale)}) and offset (shape "
                             f"{np.shape(self.offset)}) must broadcast against the input's shape {x.shape}") from None
        return x * np.asarray(self.scale, dtype=dtype) + np.asarray(self.offset, dtype=dtype)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        def plain(value):
            return value.tolist() if isinstance(value, np.ndarray) else value
        return {**super().get_config(), "scale": plain(self.scale), "offset": plain(self.offset)}

"""Initializers that draw nothing: zeros, ones, a constant, the identity matrix."""
from __future__ import annotations

import numbers

import numpy as np

from .initializer import Initializer, _resolve_dtype, _standardize_shape


class Zeros(Initializer):
    """W = 0. The usual start for biases (and BatchNormalization's β and moving mean).

    Not for weights: with every weight equal, every unit of a layer computes the same
    thing and gets the same gradient, so they never become different (the symmetry
    problem).
    """

    def __call__(self, shape, dtype=None) -> np.ndarray:
        return np.zeros(_standardize_shape(shape), dtype=_resolve_dtype(dtype, float_only=False))


class Ones(Initializer):
    """W = 1 (e.g. BatchNormalization's γ and moving variance)."""

    def __call__(self, shape, dtype=None) -> np.ndarray:
        return np.ones(_standardize_shape(shape), dtype=_resolve_dtype(dtype, float_only=False))


class Constant(Initializer):
    """W = value, everywhere.

    Args:
        value: a number, or an array that broadcasts to the requested shape.

    Raises:
        ValueError: if ``value`` is not numeric, or does not broadcast to the shape.
    """

    def __init__(self, value=0.0):
        array = np.asarray(value)
        if array.dtype.kind not in "biuf":
            raise ValueError(f"Constant: value must be a number or a numeric array, got {value!r}")
        self.value = value

    def __call__(self, shape, dtype=None) -> np.ndarray:
        shape = _standardize_shape(shape)
        value = np.asarray(self.value, dtype=_resolve_dtype(dtype, float_only=False))
        try:
            return np.array(np.broadcast_to(value, shape))
        except ValueError:
            raise ValueError(f"Constant: value of shape {value.shape} does not broadcast to shape {shape}") from None

    def get_config(self) -> dict:
        value = self.value
        if not isinstance(value, numbers.Number):
            value = np.asarray(value).tolist()
        elif isinstance(value, np.generic):
            value = value.item()
        return {"value": value}


class Identity(Initializer):
    """W = gain · I (ones on the diagonal; a non-square shape gets a rectangular I).

    Args:
        gain: the factor applied to the identity matrix.

    Raises:
        ValueError: when called with a shape that is not two-dimensional.
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None) -> np.ndarray:
        shape = _standardize_shape(shape)
        if len(shape) != 2:
            raise ValueError(f"Identity: can only make 2-D matrices, got shape {shape} of rank {len(shape)}")
        dtype = _resolve_dtype(dtype, float_only=False)
        return (self.gain * np.eye(*shape)).astype(dtype)

    def get_config(self) -> dict:
        return {"gain": self.gain}

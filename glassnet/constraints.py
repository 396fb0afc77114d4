"""Weight constraints: projections applied to a weight after each optimizer step.

A layer built with ``kernel_constraint=MaxNorm(3)`` gives its kernel that constraint; the
optimizer, right after it updates the kernel, replaces it by ``constraint(kernel)``. So a
constraint is not part of the loss and has no gradient: it maps a NumPy array to a NumPy
array of the same shape.

The norms are taken along ``axis`` (default 0): a Dense kernel W has shape (inputs, units),
so axis=0 constrains, for each unit j, the vector of its incoming weights W[:, j]. For a
Conv2D kernel (kh, kw, in, out) use axis=[0, 1, 2] to constrain each filter.

With ‖w‖ = √(Σ w²) along ``axis`` and ε = ``backend.epsilon()`` = 1e-7 (Keras adds ε to
the norm before dividing, so a zero vector stays zero):

    MaxNorm      w ← w · clip(‖w‖, 0, max_value) / (ε + ‖w‖)
    UnitNorm     w ← w / (ε + ‖w‖)
    MinMaxNorm   w ← w · (rate · clip(‖w‖, min_value, max_value) + (1 − rate) · ‖w‖) / (ε + ‖w‖)
    NonNeg       w ← max(w, 0)

(Because of ε the norms come out a hair short of the target: 1 − 1e−7 relative.)
"""
from __future__ import annotations

import numpy as np

from . import backend
from .registry import Registry
from .tensor import Tensor


def _as_array(w) -> np.ndarray:
    array = w.data if isinstance(w, Tensor) else np.asarray(w)
    if array.dtype.kind != "f":
        array = array.astype(backend.floatx())
    return array


def _norms(w: np.ndarray, axis) -> np.ndarray:
    """‖w‖ = √(Σ w²) along ``axis``, kept as a broadcastable axis."""
    axis = tuple(axis) if isinstance(axis, (list, tuple)) else axis
    return np.sqrt(np.sum(np.square(w), axis=axis, keepdims=True))


class Constraint:
    """Base class: ``constraint(w: np.ndarray) -> np.ndarray``; the base returns w unchanged."""

    def __call__(self, w) -> np.ndarray:
        return _as_array(w)

    def get_config(self) -> dict:
        """The constructor arguments, as a JSON-able dict."""
        return {}

    @classmethod
    def from_config(cls, config: dict) -> "Constraint":
        """Rebuild a constraint from ``get_config()``'s dict."""
        return cls(**config)

    def __repr__(self) -> str:
        arguments = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({arguments})"


class MaxNorm(Constraint):
    """Caps the norm of each weight vector: w ← w · clip(‖w‖, 0, max_value)/(ε + ‖w‖).

    Vectors shorter than ``max_value`` are (all but) unchanged; longer ones are scaled
    back to length ``max_value``. Used with dropout (Srivastava et al., 2014).

    Args:
        max_value: the largest allowed norm (default 2).
        axis: axis, or list of axes, along which the norm is taken (default 0).

    Raises:
        ValueError: if ``max_value`` is negative.
    """

    def __init__(self, max_value=2, axis=0):
        if not max_value >= 0:
            raise ValueError(f"MaxNorm: max_value must be a non-negative number, got {max_value!r}")
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w) -> np.ndarray:
        w = _as_array(w)
        norms = _norms(w, self.axis)
        desired = np.clip(norms, 0, self.max_value)
        return (w * (desired / (backend.epsilon() + norms))).astype(w.dtype, copy=False)

    def get_config(self) -> dict:
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Makes every weight non-negative: w ← max(w, 0)."""

    def __call__(self, w) -> np.ndarray:
        return np.maximum(_as_array(w), 0)


class UnitNorm(Constraint):
    """Scales each weight vector to unit length: w ← w/(ε + ‖w‖).

    Args:
        axis: axis, or list of axes, along which the norm is taken (default 0).
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w) -> np.ndarray:
        w = _as_array(w)
        return (w / (backend.epsilon() + _norms(w, self.axis))).astype(w.dtype, copy=False)

    def get_config(self) -> dict:
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Keeps the norm of each weight vector between ``min_value`` and ``max_value``.

    w ← w · desired/(ε + ‖w‖),  desired = rate · clip(‖w‖, min_value, max_value) + (1 − rate) · ‖w‖.

    rate = 1 enforces the bounds at once; rate < 1 moves the norm that fraction of the way
    toward the interval at each step.

    Args:
        min_value: the smallest allowed norm (default 0).
        max_value: the largest allowed norm (default 1).
        rate: how far to move toward the interval per application, in [0, 1] (default 1).
        axis: axis, or list of axes, along which the norm is taken (default 0).

    Raises:
        ValueError: if ``min_value > max_value``, a bound is negative, or ``rate`` is
            outside [0, 1].
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        if not 0 <= min_value <= max_value:
            raise ValueError(
                f"MinMaxNorm: need 0 ≤ min_value ≤ max_value, got min_value={min_value!r}, max_value={max_value!r}"
            )
        if not 0 <= rate <= 1:
            raise ValueError(f"MinMaxNorm: rate must lie in [0, 1], got {rate!r}")
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w) -> np.ndarray:
        w = _as_array(w)
        norms = _norms(w, self.axis)
        desired = self.rate * np.clip(norms, self.min_value, self.max_value) + (1 - self.rate) * norms
        return (w * (desired / (backend.epsilon() + norms))).astype(w.dtype, copy=False)

    def get_config(self) -> dict:
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate, "axis": self.axis}


max_norm, non_neg, unit_norm, min_max_norm = MaxNorm, NonNeg, UnitNorm, MinMaxNorm

_REGISTRY = Registry("constraints", "constraint", {
    **{cls.__name__: cls for cls in (Constraint, MaxNorm, NonNeg, UnitNorm, MinMaxNorm)},
    "max_norm": MaxNorm, "non_neg": NonNeg, "unit_norm": UnitNorm, "min_max_norm": MinMaxNorm,
})


def serialize(constraint) -> dict:
    """``{"class_name": ..., "config": constraint.get_config()}``.

    Raises:
        ValueError: if ``constraint`` has no ``get_config`` (a plain function).
    """
    return _REGISTRY.serialize(constraint)


def deserialize(config, custom_objects=None) -> Constraint:
    """The constraint a name or ``{"class_name", "config"}`` dict describes.

    Raises:
        ValueError: for an unknown name or a malformed dict.
    """
    return _REGISTRY.deserialize(config, custom_objects)


def get(identifier):
    """The constraint for ``identifier``.

    Args:
        identifier: None (→ None), a name ("max_norm", "non_neg", "unit_norm",
            "min_max_norm"), a config dict, a Constraint class (instantiated with its
            defaults) or any callable ``f(w) -> array`` (returned as it is).

    Raises:
        ValueError: for an unknown name or an identifier of another type.
    """
    return _REGISTRY.get(identifier)


__all__ = ["Constraint", "MaxNorm", "NonNeg", "UnitNorm", "MinMaxNorm", "get", "serialize", "deserialize"]

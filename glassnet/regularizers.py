"""Weight regularizers: penalties on the size of the weights, added to the loss.

A layer built with ``kernel_regularizer=L2(0.01)`` calls the regularizer on its kernel W
at every forward pass and adds the result to the model's loss, so training minimises

    J(W) = loss + penalty(W)

and the gradient of the penalty joins the gradient of the loss (for L2 it is 2·l2·W:
every step shrinks the weights a little toward 0 — "weight decay").

    L1     penalty = l1 · Σ|w|             ∂/∂w = l1 · sign(w)    (drives weights to exactly 0)
    L2     penalty = l2 · Σ w²             ∂/∂w = 2 · l2 · w      (keeps weights small)
    L1L2   penalty = l1 · Σ|w| + l2 · Σ w²  (the elastic net)

Keras 3 conventions: the sum is over every weight (not a mean), with no ½ in front of
the L2 term; the default factors are 0.01 (L1, L2, and the names "l1", "l2", "l1_l2")
and 0 for the ``L1L2`` class. A regularizer returns a scalar Tensor, differentiable with
respect to the weight.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from . import backend, ops
from .registry import Registry
from .tensor import Tensor


def _validate_factor(owner: str, name: str, value) -> float:
    """A regularization factor must be a finite number ≥ 0."""
    if (not isinstance(value, numbers.Real) or isinstance(value, bool)
            or math.isnan(value) or math.isinf(value) or value < 0):
        raise ValueError(f"{owner}: {name} must be a non-negative finite number, got {value!r}")
    return float(value)


def _as_weight(x) -> Tensor:
    """``x`` as a float Tensor (integer input becomes ``backend.floatx()``)."""
    x = x if isinstance(x, Tensor) else Tensor(x)
    return x if x.dtype.kind == "f" else ops.cast(x, backend.floatx())


class Regularizer:
    """Base class: ``regularizer(weight) -> scalar Tensor``; ``get_config``/``from_config``.

    The base penalty is 0. Any function ``f(weight) -> scalar Tensor`` can serve as a
    regularizer too; subclass this one to make it serializable.
    """

    def __call__(self, x) -> Tensor:
        """The penalty of the weight ``x`` (the base class returns 0)."""
        x = _as_weight(x)
        return Tensor(np.zeros((), dtype=x.dtype))

    def get_config(self) -> dict:
        """The constructor arguments, as a JSON-able dict."""
        return {}

    @classmethod
    def from_config(cls, config: dict) -> "Regularizer":
        """Rebuild a regularizer from ``get_config()``'s dict."""
        return cls(**config)

    def __repr__(self) -> str:
        arguments = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({arguments})"


class L1L2(Regularizer):
    """Elastic net: penalty = l1 · Σ|w| + l2 · Σ w².

    ∂penalty/∂w = l1 · sign(w) + 2 · l2 · w. A zero factor skips its term.

    Args:
        l1: factor of the L1 term (≥ 0; default 0).
        l2: factor of the L2 term (≥ 0; default 0). The string id "l1_l2" gives
            L1L2(l1=0.01, l2=0.01).

    Raises:
        ValueError: for a negative, infinite or non-numeric factor.
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _validate_factor("L1L2", "l1", 0.0 if l1 is None else l1)
        self.l2 = _validate_factor("L1L2", "l2", 0.0 if l2 is None else l2)

    def __call__(self, x) -> Tensor:
        w = _as_weight(x)
        penalty = Tensor(np.zeros((), dtype=w.dtype))
        if self.l1:
            penalty = penalty + self.l1 * ops.sum(ops.abs(w))
        if self.l2:
            penalty = penalty + self.l2 * ops.sum(ops.square(w))
        return penalty

    def get_config(self) -> dict:
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """Lasso: penalty = l1 · Σ|w|;   ∂penalty/∂w = l1 · sign(w) (0 at w = 0).

    Args:
        l1: the factor (≥ 0; default 0.01).
    """

    def __init__(self, l1=0.01):
        self.l1 = _validate_factor("L1", "l1", 0.01 if l1 is None else l1)

    def __call__(self, x) -> Tensor:
        return self.l1 * ops.sum(ops.abs(_as_weight(x)))

    def get_config(self) -> dict:
        return {"l1": self.l1}


class L2(Regularizer):
    """Ridge / weight decay: penalty = l2 · Σ w²;   ∂penalty/∂w = 2 · l2 · w.

    Args:
        l2: the factor (≥ 0; default 0.01).
    """

    def __init__(self, l2=0.01):
        self.l2 = _validate_factor("L2", "l2", 0.01 if l2 is None else l2)

    def __call__(self, x) -> Tensor:
        return self.l2 * ops.sum(ops.square(_as_weight(x)))

    def get_config(self) -> dict:
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a 2-D weight toward being orthogonal to each other.

    With the rows vᵢ of W scaled to unit length, v̂ᵢ = vᵢ/max(‖vᵢ‖, ε) (ε = backend.epsilon()), and m rows:

        penalty = factor · ½ · Σ_{i≠j} |v̂ᵢ · v̂ⱼ| / (m(m − 1)/2)

    i.e. ``factor`` times the mean |cosine| over the distinct pairs of rows (each pair
    appears twice in the sum, hence the ½). ``mode="columns"`` does the same for columns.

    Args:
        factor: the factor (≥ 0; default 0.01).
        mode: "rows" or "columns".

    Raises:
        ValueError: for a bad factor or mode, or when called on a weight that is not 2-D.
    """

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = _validate_factor("OrthogonalRegularizer", "factor", factor)
        if mode not in ("rows", "columns"):
            raise ValueError(f"OrthogonalRegularizer: mode must be 'rows' or 'columns', got {mode!r}")
        self.mode = mode

    def __call__(self, x) -> Tensor:
        W = _as_weight(x)
        if W.ndim != 2:
            raise ValueError(f"OrthogonalRegularizer: the weight must be 2-D, got shape {W.shape}")
        if self.mode == "columns":
            W = W.T
        m = W.shape[0]
        if m < 2:
            return Tensor(np.zeros((), dtype=W.dtype))
        norms = ops.sqrt(ops.sum(ops.square(W), axis=1, keepdims=True))
        V = W / ops.maximum(norms, backend.epsilon())
        cosines = V @ V.T
        off_diagonal = 1.0 - np.eye(m, dtype=W.dtype)
        pairs = m * (m - 1) / 2.0
        return self.factor * 0.5 * ops.sum(ops.abs(cosines * off_diagonal)) / pairs

    def get_config(self) -> dict:
        return {"factor": self.factor, "mode": self.mode}


def l1_l2(l1=0.01, l2=0.01) -> L1L2:
    """L1L2 with Keras's string-id defaults (l1 = l2 = 0.01)."""
    return L1L2(l1=l1, l2=l2)


l1, l2, orthogonal_regularizer = L1, L2, OrthogonalRegularizer

_REGISTRY = Registry("regularizers", "regularizer", {
    "Regularizer": Regularizer, "L1": L1, "L2": L2, "L1L2": L1L2, "l1": L1, "l2": L2,
    "l1_l2": l1_l2, "l1l2": L1L2,
    "OrthogonalRegularizer": OrthogonalRegularizer, "orthogonal_regularizer": OrthogonalRegularizer,
})


def serialize(regularizer) -> dict:
    """``{"class_name": ..., "config": regularizer.get_config()}``.

    Raises:
        ValueError: if ``regularizer`` has no ``get_config`` (a plain function).
    """
    return _REGISTRY.serialize(regularizer)


def deserialize(config, custom_objects=None) -> Regularizer:
    """The regularizer a name or ``{"class_name", "config"}`` dict describes.

    Raises:
        ValueError: for an unknown name or a malformed dict.
    """
    return _REGISTRY.deserialize(config, custom_objects)


def get(identifier):
    """The regularizer for ``identifier``.

    Args:
        identifier: None (→ None), a name ("l1", "l2", "l1_l2"), a config dict, a
            Regularizer class (instantiated with its defaults) or any callable
            ``f(weight) -> scalar Tensor`` (returned as it is).

    Raises:
        ValueError: for an unknown name or an identifier of another type.
    """
    return _REGISTRY.get(identifier)


__all__ = ["Regularizer", "L1", "L2", "L1L2", "OrthogonalRegularizer", "l1_l2", "get", "serialize", "deserialize"]

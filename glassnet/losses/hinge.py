"""Hinge losses: the margin losses of support-vector machines.

Notation: y ∈ {−1, +1} is the target, ŷ the raw score (no sigmoid). If every target is
0 or 1, it is first mapped to 2y − 1 ∈ {−1, +1} (Keras's rule). A prediction on the
right side of the margin (y·ŷ ≥ 1) costs nothing and gets no gradient.
"""
from __future__ import annotations

import numpy as np

from .. import ops
from ..tensor import Tensor
from .base import FunctionLoss, prepare


def _signed_labels(y: np.ndarray) -> np.ndarray:
    """Map {0, 1} targets to {−1, +1}; leave any other targets unchanged."""
    if np.all((y == 0) | (y == 1)):
        return 2.0 * y - 1.0
    return y


def hinge(y_true, y_pred) -> Tensor:
    """Hinge loss, per sample.

    hinge(y, ŷ) = (1/d) Σⱼ max(1 − yⱼ·ŷⱼ, 0)          ∂/∂ŷⱼ = −yⱼ/d where yⱼ·ŷⱼ < 1, else 0

    Example: y = +1, ŷ = 2 → 0 (correct and confident); ŷ = 0.5 → 0.5; ŷ = −1 → 2.
    """
    y, y_hat = prepare(y_true, y_pred, "hinge")
    return ops.mean(ops.relu(1.0 - _signed_labels(y) * y_hat), axis=-1)


def squared_hinge(y_true, y_pred) -> Tensor:
    """Squared hinge loss, per sample.

    squared_hinge(y, ŷ) = (1/d) Σⱼ max(1 − yⱼ·ŷⱼ, 0)²
    """
    y, y_hat = prepare(y_true, y_pred, "squared_hinge")
    return ops.mean(ops.square(ops.relu(1.0 - _signed_labels(y) * y_hat)), axis=-1)


def categorical_hinge(y_true, y_pred) -> Tensor:
    """Categorical (multi-class, Crammer–Singer) hinge loss of one-hot targets, per sample.

    pos = Σₖ yₖ·ŷₖ   (the true class's score),   neg = maxₖ (1 − yₖ)·ŷₖ   (the best wrong one)
    categorical_hinge(y, ŷ) = max(neg − pos + 1, 0)

    Zero once the true class beats every other class by a margin of 1.
    """
    y, y_hat = prepare(y_true, y_pred, "categorical_hinge")
    pos = ops.sum(y * y_hat, axis=-1)
    neg = ops.max((1.0 - y) * y_hat, axis=-1)
    return ops.relu(neg - pos + 1.0)


class Hinge(FunctionLoss):
    """Hinge loss over the batch (see ``hinge``)."""

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, reduction=reduction, name=name, dtype=dtype)


class SquaredHinge(FunctionLoss):
    """Squared hinge loss over the batch (see ``squared_hinge``)."""

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, reduction=reduction, name=name, dtype=dtype)


class CategoricalHinge(FunctionLoss):
    """Categorical hinge loss over the batch (see ``categorical_hinge``)."""

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, reduction=reduction, name=name, dtype=dtype)

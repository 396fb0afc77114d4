"""Overlap losses for segmentation: Dice and Tversky.

Notation: y is the target mask (``y_true``, 0/1 or soft), p the predicted probabilities
(``y_pred``), ε = 1e-7 (``backend.epsilon()``), and Σ the sum over ``axis`` — every entry
when ``axis`` is None (one number for the whole batch), or e.g. ``axis=(1, 2, 3)`` for one
value per image of a ``(batch, height, width, channels)`` batch. With soft counts

    TP = Σ y·p          FP = Σ (1 − y)·p          FN = Σ y·(1 − p)

the losses measure how little the prediction overlaps the target:

    dice(y, p)    = 1 − 2·TP / (Σ y + Σ p + ε)           (= 1 − 2·TP / (2·TP + FP + FN + ε))
    tversky(y, p) = 1 − TP / (TP + α·FN + β·FP + ε)       (α = β = ½ gives dice)

(Keras's docstring calls α the weight of the false positives, but its code multiplies α
into Σ y·(1 − p), the soft false negatives, and β into the false positives; glassnet
computes what Keras computes.)

Both are 0 for a perfect prediction and 1 for no overlap, and differentiable in p (a
ratio of sums of products), so their gradients come from the chain rule. As in Keras, no
per-sample axis is implied: with the default ``axis=None`` the function returns a scalar,
which the classes' reductions leave as it is.
"""
from __future__ import annotations

import numbers

import numpy as np

from .. import backend, ops
from ..tensor import Tensor
from .base import FunctionLoss, prepare


def _check_axis(function: str, axis):
    """None, an int, or a tuple of ints (a list, as a JSON config gives it, becomes a tuple)."""
    if axis is None:
        return None
    if isinstance(axis, (list, tuple)):
        if all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in axis):
            return tuple(int(a) for a in axis)
    elif isinstance(axis, (int, np.integer)) and not isinstance(axis, bool):
        return int(axis)
    raise ValueError(f"{function}: axis must be None, an int or a tuple of ints, got {axis!r}")


def _check_coefficient(function: str, name: str, value) -> float:
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or not value >= 0:
        raise ValueError(f"{function}: {name} must be a number ≥ 0, got {value!r}")
    return value


def dice(y_true, y_pred, axis=None) -> Tensor:
    """Dice loss: 1 − 2·Σ y·p / (Σ y + Σ p + ε), the sums over ``axis`` (all entries if None).

    ∂/∂pⱼ = −2·(yⱼ·D − N) / D²     with N = Σ y·p and D = Σ y + Σ p + ε.

    Args:
        y_true: target masks; y_pred: predicted probabilities, same shape.
        axis: None (one value for everything), an int or a tuple of ints.

    Example (Keras's): y = [[1, 1], [0, 0]], p = [[0, 1], [0, 1]] (one image, axis=(1, 2)):
    TP = 1, Σ y = 2, Σ p = 2 → 1 − 2·1/4 = 0.5.
    """
    axis = _check_axis("dice", axis)
    y, p = prepare(y_true, y_pred, "dice")
    intersection = ops.sum(y * p, axis=axis)
    return 1.0 - 2.0 * intersection / (np.sum(y, axis=axis) + ops.sum(p, axis=axis) + backend.epsilon())


def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None) -> Tensor:
    """Tversky loss (Salehi et al., 2017): 1 − TP / (TP + α·FN + β·FP + ε), sums over ``axis``.

    TP = Σ y·p, FN = Σ y·(1 − p), FP = Σ (1 − y)·p. α = β = ½ is dice; α > β penalises
    missed foreground more (favours recall). The weights sit where Keras's code puts them
    (its docstring swaps the two words: see the module docstring).

    Args:
        alpha: weight α ≥ 0 of Σ y·(1 − p) (Keras: "false positives"; default 0.5).
        beta: weight β ≥ 0 of Σ (1 − y)·p (Keras: "false negatives"; default 0.5).
        axis: None (one value for everything), an int or a tuple of ints.

    Example: y = [1, 1, 0, 0], p = [1, 0, 1, 0], α = β = ½: TP = 1, FP = 1, FN = 1 →
    1 − 1/(1 + ½ + ½) = 0.5.
    """
    alpha = _check_coefficient("tversky", "alpha", alpha)
    beta = _check_coefficient("tversky", "beta", beta)
    axis = _check_axis("tversky", axis)
    y, p = prepare(y_true, y_pred, "tversky")
    true_positives = ops.sum(y * p, axis=axis)
    false_negatives = ops.sum((1.0 - p) * y, axis=axis)
    false_positives = ops.sum(p * (1.0 - y), axis=axis)
    return 1.0 - true_positives / (true_positives + alpha * false_negatives + beta * false_positives
                                   + backend.epsilon())


class Dice(FunctionLoss):
    """Dice loss, reduced over whatever ``dice`` returns (see ``dice``).

    Args:
        reduction: see ``Loss`` (default "sum_over_batch_size").
        name: default "dice".
        axis: the axes summed over; None gives one value for the whole batch, ``(1, 2, 3)``
            one per image (then averaged by the reduction).
        dtype: see ``Loss``.

    Example: ``Dice(axis=(1, 2, 3), reduction=None)`` on Keras's two 2×2×1 images gives
    [0.5, 0.7576]; ``Dice()`` on the same gives 0.6164.
    """

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        super().__init__(dice, reduction=reduction, name=name, dtype=dtype, axis=_check_axis("Dice", axis))


class Tversky(FunctionLoss):
    """Tversky loss, reduced over whatever ``tversky`` returns (see ``tversky``).

    Args:
        alpha: weight of Σ y·(1 − p) (default 0.5; see ``tversky``).
        beta: weight of Σ (1 − y)·p (default 0.5).
        reduction, name ("tversky"), axis, dtype: as ``Dice``.
    """

    def __init__(self, alpha=0.5, beta=0.5, reduction="sum_over_batch_size", name="tversky", axis=None, dtype=None):
        super().__init__(tversky, reduction=reduction, name=name, dtype=dtype,
                         alpha=_check_coefficient("Tversky", "alpha", alpha),
                         beta=_check_coefficient("Tversky", "beta", beta), axis=_check_axis("Tversky", axis))

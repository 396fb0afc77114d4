"""Correlation metrics: Pearson's r and Lin's concordance correlation coefficient.

Both are computed per sample, along ``axis`` (the features, by default the last), then
averaged over the samples (and batches) as every ``MeanMetricWrapper`` does. With
ȳ, x̄ the means and σ_y², σ_x² the (population, ddof = 0) variances along the axis of the
targets y and predictions x:

    pearson(y, x)     = mean( (y − ȳ)/σ_y · (x − x̄)/σ_x )  = cov(y, x) / (σ_y σ_x)
    concordance(y, x) = 2·cov(y, x) / (σ_y² + σ_x² + (ȳ − x̄)² + ε)

Pearson's r measures how linear the relation is (1 for x = a·y + b with a > 0);
the concordance coefficient (Lin, 1989) also penalises a shift or a rescaling, so it is
1 only for x = y. A sample whose values are constant has σ = 0 and gives NaN for
Pearson's r (as Keras). The functions are written with differentiable primitives, so
they can serve as losses (e.g. ``1 − concordance_correlation``).
"""
from __future__ import annotations

import numpy as np

from .. import backend, ops
from ..losses.base import prepare
from ..tensor import Tensor
from .base import FunctionMetric


def _check_axis(function: str, axis) -> int:
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise ValueError(f"{function}: axis must be an int, got {axis!r}")
    return int(axis)


def pearson_correlation(y_true, y_pred, axis=-1) -> Tensor:
    """Pearson's correlation coefficient of each sample along ``axis``.

    r = (1/d) Σⱼ ((yⱼ − ȳ)/σ_y)·((xⱼ − x̄)/σ_x)      (σ with ddof = 0)

    Example: y = [1, 2, 3], x = [2, 4, 7]: ȳ = 2, x̄ = 13/3; cov = (1·7/3 + 0 + 1·8/3)/3 = 5/3,
    σ_y = √(2/3), σ_x = √(38/9) → r = (5/3)/√(76/27) = 0.9934.
    """
    axis = _check_axis("pearson_correlation", axis)
    y, x = prepare(y_true, y_pred, "pearson_correlation")
    y_centered = y - np.mean(y, axis=axis, keepdims=True)
    y_standard = y_centered / np.std(y_centered, axis=axis, keepdims=True)
    x_centered = x - ops.mean(x, axis=axis, keepdims=True)
    x_standard = x_centered / ops.sqrt(ops.mean(ops.square(x_centered), axis=axis, keepdims=True))
    return ops.mean(y_standard * x_standard, axis=axis)


def concordance_correlation(y_true, y_pred, axis=-1) -> Tensor:
    """Lin's concordance correlation coefficient of each sample along ``axis``.

    ρ_c = 2·cov(y, x) / (σ_y² + σ_x² + (ȳ − x̄)² + ε)      (population moments, ε = 1e-7)

    Example: y = [1, 2, 3], x = [2, 3, 4] (shifted by 1): cov = 2/3, σ² = 2/3 each,
    (ȳ − x̄)² = 1 → ρ_c = (4/3)/(7/3) = 4/7 (Pearson's r would be 1).
    """
    axis = _check_axis("concordance_correlation", axis)
    y, x = prepare(y_true, y_pred, "concordance_correlation")
    y_mean = np.mean(y, axis=axis, keepdims=True)
    x_mean = ops.mean(x, axis=axis, keepdims=True)
    y_variance = np.var(y, axis=axis, keepdims=True)
    x_variance = ops.mean(ops.square(x - x_mean), axis=axis, keepdims=True)
    covariance = (y - y_mean) * (x - x_mean)                        # averaged over the axis below
    norm = y_variance + x_variance + ops.square(y_mean - x_mean)
    return ops.mean(2.0 * covariance / (norm + backend.epsilon()), axis=axis)


class PearsonCorrelation(FunctionMetric):
    """Running mean of ``pearson_correlation`` over the samples seen.

    Args:
        name: default "pearson_correlation".
        dtype: see ``Metric``.
        axis: the axis along which each sample's correlation is taken (default −1).
    """

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(pearson_correlation, name=name, dtype=dtype, axis=_check_axis("PearsonCorrelation", axis))
        self._direction = "up"


class ConcordanceCorrelation(FunctionMetric):
    """Running mean of ``concordance_correlation`` over the samples seen.

    Args:
        name: default "concordance_correlation".
        dtype: see ``Metric``.
        axis: the axis along which each sample's coefficient is taken (default −1).
    """

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(concordance_correlation, name=name, dtype=dtype,
                         axis=_check_axis("ConcordanceCorrelation", axis))
        self._direction = "up"

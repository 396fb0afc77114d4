"""Regression metrics: MSE, MAE, MAPE, MSLE, RMSE, cosine similarity, log-cosh, R².

The mean-error metrics are the running means of the loss functions of
``glassnet.losses`` (one formula, one place); RMSE, cosine similarity and R² are here.
Notation: y the target, ŷ the prediction, n the samples seen so far.
"""
from __future__ import annotations

import warnings

import numpy as np

from .. import backend
from .. import losses
from ..losses.base import squeeze_or_expand_to_same_rank
from .base import FunctionMetric, Mean, Metric, to_numpy


def cosine_similarity(y_true, y_pred, axis=-1) -> np.ndarray:
    """cos(y, ŷ) = Σⱼ (yⱼ/‖y‖)(ŷⱼ/‖ŷ‖) per sample (norms floored at ε) — +cos, unlike the loss."""
    y_true, y_pred = squeeze_or_expand_to_same_rank(to_numpy(y_true, "y_true").astype(np.float64),
                                                     to_numpy(y_pred, "y_pred").astype(np.float64))
    if y_true.shape != y_pred.shape:
        raise ValueError(f"cosine_similarity: y_true has shape {y_true.shape} but y_pred has shape {y_pred.shape}")
    eps_squared = backend.epsilon() ** 2

    def normalize(x):
        return x / np.sqrt(np.maximum(np.sum(x * x, axis=axis, keepdims=True), eps_squared))

    return np.sum(normalize(y_true) * normalize(y_pred), axis=axis)


class MeanSquaredError(FunctionMetric):
    """Running mean of MSE = (1/d) Σⱼ (yⱼ − ŷⱼ)² per sample.

    Example: y = [[0, 1], [0, 0]], ŷ = [[1, 1], [0, 0]] → (0.5 + 0)/2 = 0.25.
    """

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(losses.mean_squared_error, name=name, dtype=dtype)


class MeanAbsoluteError(FunctionMetric):
    """Running mean of MAE = (1/d) Σⱼ |yⱼ − ŷⱼ| per sample."""

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(losses.mean_absolute_error, name=name, dtype=dtype)


class MeanAbsolutePercentageError(FunctionMetric):
    """Running mean of MAPE = 100·(1/d) Σⱼ |yⱼ − ŷⱼ| / max(|yⱼ|, ε) per sample."""

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(losses.mean_absolute_percentage_error, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(FunctionMetric):
    """Running mean of MSLE = (1/d) Σⱼ (ln(1 + ŷⱼ) − ln(1 + yⱼ))² per sample."""

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(losses.mean_squared_logarithmic_error, name=name, dtype=dtype)


class LogCoshError(FunctionMetric):
    """Running mean of log cosh(ŷ − y) (see ``glassnet.losses.log_cosh``)."""

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(losses.log_cosh, name=name, dtype=dtype)


class CosineSimilarity(FunctionMetric):
    """Running mean of cos(y, ŷ) (+1 for parallel vectors; see ``cosine_similarity``).

    Args:
        axis: the feature axis (default −1).

    ``get_config()`` includes ``axis`` (Keras 3 leaves it out, so its config loses a
    non-default axis).
    """

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)


class RootMeanSquaredError(Mean):
    """RMSE = √( Σᵢ wᵢ·eᵢ² / Σᵢ wᵢ ) over every entry seen (e = ŷ − y).

    The root of the running mean of the squared errors — so the RMSE of the whole epoch,
    not the mean of per-batch RMSEs. Example: y = [[0, 1], [0, 0]], ŷ = [[1, 1], [0, 0]]
    → √0.25 = 0.5.
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_true, y_pred = squeeze_or_expand_to_same_rank(to_numpy(y_true, "y_true").astype(np.float64),
                                                         to_numpy(y_pred, "y_pred").astype(np.float64))
        if y_true.shape != y_pred.shape:
            raise ValueError(f"RootMeanSquaredError: y_true has shape {y_true.shape} but y_pred has shape {y_pred.shape}")
        super().update_state(np.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self) -> float:
        return float(np.sqrt(super().result()))


class R2Score(Metric):
    """Coefficient of determination R² per output column, accumulated over batches.

    R² = 1 − SS_res / SS_tot,   SS_res = Σᵢ wᵢ(yᵢ − ŷᵢ)²,   SS_tot = Σᵢ wᵢ(yᵢ − ȳ)²

    1 for a perfect fit, 0 for always predicting the mean ȳ, negative for worse.
    Adjusted R² (``num_regressors`` = p > 0, n samples): 1 − (1 − R²)(n − 1)/(n − p − 1).

    Args:
        class_aggregation: "uniform_average" (mean over columns), "variance_weighted_average"
            (weighted by SS_tot), or None (one score per column).
        num_regressors: p, for the adjusted R² (default 0: plain R²).

    Example: y = [1, 4, 3], ŷ = [2, 4, 4]: SS_res = 2, ȳ = 8/3, SS_tot = 14/3 → R² = 4/7.
    """

    def __init__(self, class_aggregation="uniform_average", num_regressors=0, name="r2_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        if class_aggregation not in (None, "uniform_average", "variance_weighted_average"):
            raise ValueError("R2Score: class_aggregation must be None, 'uniform_average' or "
                             f"'variance_weighted_average', got {class_aggregation!r}")
        if not isinstance(num_regressors, (int, np.integer)) or isinstance(num_regressors, bool) or num_regressors < 0:
            raise ValueError(f"R2Score: num_regressors must be an int >= 0, got {num_regressors!r}")
        self.class_aggregation, self.num_regressors = class_aggregation, int(num_regressors)
        self.num_samples = self.add_variable((), "num_samples")
        self._built = False

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_true, y_pred = squeeze_or_expand_to_same_rank(to_numpy(y_true, "y_true").astype(np.float64),
                                                         to_numpy(y_pred, "y_pred").astype(np.float64))
        if y_pred.ndim != 2 or y_true.shape != y_pred.shape:
            raise ValueError(f"R2Score expects 2-D inputs of equal shape (samples, outputs), got y_true "
                             f"{y_true.shape} and y_pred {y_pred.shape}")
        if not self._built:
            shape = (y_pred.shape[1],)
            self.squared_sum = self.add_variable(shape, "squared_sum")
            self.sum = self.add_variable(shape, "sum")
            self.total_mse = self.add_variable(shape, "residual")
            self.count = self.add_variable(shape, "count")
            self._built = True
        weight = np.ones(()) if sample_weight is None else to_numpy(sample_weight, "sample_weight").astype(np.float64)
        if weight.ndim == 1:
            weight = weight[:, None]
        weight = np.broadcast_to(weight, y_true.shape)
        self.sum += np.sum(y_true * weight, axis=0)
        self.squared_sum += np.sum(y_true * y_true * weight, axis=0)
        self.total_mse += np.sum((y_true - y_pred) ** 2 * weight, axis=0)
        self.count += np.sum(weight, axis=0)
        self.num_samples += y_true.size

    def result(self):
        if not self._built:
            return 0.0
        with np.errstate(divide="ignore", invalid="ignore"):
            total = self.squared_sum - self.sum * (self.sum / self.count)
            raw = 1.0 - self.total_mse / total
        raw = np.where(np.isinf(raw), 0.0, raw)
        if self.class_aggregation == "uniform_average":
            score = np.mean(raw)
        elif self.class_aggregation == "variance_weighted_average":
            score = np.sum(total * raw) / np.sum(total)
        else:
            score = raw
        n, p = float(self.num_samples), self.num_regressors
        if p:
            if p >= n - 1:
                warnings.warn("R2Score: num_regressors ≥ samples − 1; falling back to the plain R² score", stacklevel=2)
            else:
                score = 1.0 - (1.0 - score) * (n - 1.0) / (n - p - 1.0)
        return self._to_result(score)

    def get_config(self) -> dict:
        return {**super().get_config(), "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}

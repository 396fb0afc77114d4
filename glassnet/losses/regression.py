"""Regression losses: squared, absolute, percentage, logarithmic, RMSE, Huber, log-cosh, cosine.

Notation: y is the target (``y_true``), ŷ the prediction (``y_pred``), e = ŷ − y the
error, and (1/d) Σⱼ the mean over the d entries of the last axis (the features of one
sample). Each function returns one value per sample — shape ``y_pred.shape[:-1]`` — and
each class (``MeanSquaredError()`` ...) then takes the mean over the batch (see
``glassnet.losses.base``). Gradients are with respect to ŷ.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from .. import backend, ops
from ..tensor import Tensor
from .base import (FunctionLoss, Loss, check_mask, keras_mask_of, prepare, reduce_weighted_values, to_array,
                   to_float_tensor)

_LOG_2 = math.log(2.0)


def mean_squared_error(y_true, y_pred) -> Tensor:
    """Mean squared error (MSE), per sample.

    MSE(y, ŷ) = (1/d) Σⱼ (yⱼ − ŷⱼ)²          ∂MSE/∂ŷⱼ = (2/d)(ŷⱼ − yⱼ)

    Example: y = [1, 2, 3], ŷ = [1, 3, 5] → (0 + 1 + 4)/3 = 5/3.
    """
    y, y_hat = prepare(y_true, y_pred, "mean_squared_error")
    return ops.mean(ops.square(y_hat - y), axis=-1)


def mean_absolute_error(y_true, y_pred) -> Tensor:
    """Mean absolute error (MAE), per sample.

    MAE(y, ŷ) = (1/d) Σⱼ |yⱼ − ŷⱼ|           ∂MAE/∂ŷⱼ = sign(ŷⱼ − yⱼ)/d  (0 at a tie)
    """
    y, y_hat = prepare(y_true, y_pred, "mean_absolute_error")
    return ops.mean(ops.abs(y_hat - y), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred) -> Tensor:
    """Mean absolute percentage error (MAPE), per sample.

    MAPE(y, ŷ) = 100 · (1/d) Σⱼ |yⱼ − ŷⱼ| / max(|yⱼ|, ε)      (ε = 1e-7 avoids ÷0)
    """
    y, y_hat = prepare(y_true, y_pred, "mean_absolute_percentage_error")
    scale = np.maximum(np.abs(y), backend.epsilon()).astype(y_hat.dtype)
    return 100.0 * ops.mean(ops.abs(y_hat - y) / scale, axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred) -> Tensor:
    """Mean squared logarithmic error (MSLE), per sample.

    MSLE(y, ŷ) = (1/d) Σⱼ (ln(1 + max(ŷⱼ, ε)) − ln(1 + max(yⱼ, ε)))²

    Values ≤ 0 are replaced by ε = 1e-7 (as Keras), so the logarithms are defined.
    """
    y, y_hat = prepare(y_true, y_pred, "mean_squared_logarithmic_error")
    eps = backend.epsilon()
    log_y = np.log(np.maximum(y, eps) + 1.0).astype(y_hat.dtype)
    return ops.mean(ops.square(ops.log(ops.maximum(y_hat, eps) + 1.0) - log_y), axis=-1)


def root_mean_squared_error(y_true, y_pred) -> Tensor:
    """Root mean squared error (RMSE) of each sample: √MSE over its last axis.

    RMSE(y, ŷ) = √( (1/d) Σⱼ (yⱼ − ŷⱼ)² )

    Not a Keras loss (Keras has RMSE only as a metric). For the RMSE of a whole batch —
    the course's RMSE, √(mean of all squared errors) — use the class
    ``RootMeanSquaredError``, which takes the root *after* averaging over the batch.
    The square is floored at ε² (ε = 1e-7) so the gradient stays finite at a perfect fit.
    """
    mse = mean_squared_error(y_true, y_pred)
    return ops.sqrt(ops.maximum(mse, backend.epsilon() ** 2))


def huber(y_true, y_pred, delta=1.0) -> Tensor:
    """Huber loss, per sample: quadratic for small errors, linear for large ones.

                ⎧ ½ e²              if |e| ≤ δ
    huber(e) =  ⎨                                    with e = ŷ − y, averaged over j
                ⎩ δ (|e| − ½ δ)     if |e| > δ

    ∂huber/∂e = e inside, δ·sign(e) outside: both pieces and their slopes meet at |e| = δ,
    so the loss is smooth there. Example (δ = 1): e = 0.5 → 0.125; e = 3 → 2.5.
    """
    if not isinstance(delta, numbers.Real) or isinstance(delta, bool) or not delta > 0:
        raise ValueError(f"huber: delta must be a positive number, got {delta!r}")
    y, y_hat = prepare(y_true, y_pred, "huber")
    e = y_hat - y
    abs_e = ops.abs(e)
    inside = abs_e.data <= delta
    return ops.mean(ops.where(inside, 0.5 * ops.square(e), delta * abs_e - 0.5 * delta * delta), axis=-1)


def log_cosh(y_true, y_pred) -> Tensor:
    """Logarithm of the hyperbolic cosine of the error, per sample.

    logcosh(e) = ln cosh(e) = |e| + ln(1 + e^(−2|e|)) − ln 2          ∂/∂e = tanh(e)

    The right-hand form never overflows (cosh(1e4) would): e^(−2|e|) ≤ 1. It behaves
    like ½e² for small errors and like |e| − ln 2 for large ones.
    """
    y, y_hat = prepare(y_true, y_pred, "log_cosh")
    abs_e = ops.abs(y_hat - y)
    return ops.mean(abs_e + ops.log(1.0 + ops.exp(-2.0 * abs_e)) - _LOG_2, axis=-1)


def _l2_normalize(x, axis):
    """x / max(‖x‖₂, ε) along ``axis`` (Tensor in, Tensor out; arrays stay arrays)."""
    eps_squared = backend.epsilon() ** 2
    if isinstance(x, Tensor):
        return x / ops.sqrt(ops.maximum(ops.sum(ops.square(x), axis=axis, keepdims=True), eps_squared))
    return x / np.sqrt(np.maximum(np.sum(x * x, axis=axis, keepdims=True), eps_squared))


def cosine_similarity(y_true, y_pred, axis=-1) -> Tensor:
    """Cosine similarity *as a loss* (negated, Keras's sign), per sample.

    loss(y, ŷ) = − Σⱼ (yⱼ / ‖y‖) (ŷⱼ / ‖ŷ‖) = −cos(y, ŷ)          with ‖x‖ floored at ε

    −1 for parallel vectors (the minimum), 0 for orthogonal ones, +1 for opposite ones.
    A zero vector gives 0. (The metric ``glassnet.metrics.CosineSimilarity`` is +cos.)
    """
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise ValueError(f"cosine_similarity: axis must be an int, got {axis!r}")
    y, y_hat = prepare(y_true, y_pred, "cosine_similarity")
    return -ops.sum(_l2_normalize(y, axis) * _l2_normalize(y_hat, axis), axis=axis)


# --- classes ------------------------------------------------------------------------------
class MeanSquaredError(FunctionLoss):
    """Mean squared error over the batch: L = (1/n) Σᵢ wᵢ·MSEᵢ (see ``mean_squared_error``)."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, reduction=reduction, name=name, dtype=dtype)


class MeanAbsoluteError(FunctionLoss):
    """Mean absolute error over the batch (see ``mean_absolute_error``)."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, reduction=reduction, name=name, dtype=dtype)


class MeanAbsolutePercentageError(FunctionLoss):
    """Mean absolute percentage error over the batch (see ``mean_absolute_percentage_error``)."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, reduction=reduction, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(FunctionLoss):
    """Mean squared logarithmic error over the batch (see ``mean_squared_logarithmic_error``)."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, reduction=reduction, name=name, dtype=dtype)


class Huber(FunctionLoss):
    """Huber loss over the batch (see ``huber``).

    Args:
        delta: where the loss turns from quadratic to linear (default 1.0).

    ``get_config()`` includes ``delta`` (Keras 3 leaves it out, so its config loses a
    non-default δ).
    """

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        if not isinstance(delta, numbers.Real) or isinstance(delta, bool) or not delta > 0:
            raise ValueError(f"Huber: delta must be a positive number, got {delta!r}")
        super().__init__(huber, reduction=reduction, name=name, dtype=dtype, delta=delta)


class LogCosh(FunctionLoss):
    """Log-cosh loss over the batch (see ``log_cosh``)."""

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, reduction=reduction, name=name, dtype=dtype)


class CosineSimilarity(FunctionLoss):
    """Negative cosine similarity over the batch (see ``cosine_similarity``).

    Args:
        axis: the feature axis along which the cosine is taken (default −1).

    ``get_config()`` includes ``axis`` (Keras 3 leaves it out, so its config loses a
    non-default axis).
    """

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity", dtype=None):
        super().__init__(cosine_similarity, reduction=reduction, name=name, dtype=dtype, axis=axis)


class RootMeanSquaredError(Loss):
    """Root mean squared error of the batch — the course's RMSE (not a Keras loss).

    RMSE = √( (1/n) Σᵢ wᵢ · MSEᵢ )        MSEᵢ = (1/d) Σⱼ (yᵢⱼ − ŷᵢⱼ)²

    The root is taken *after* the reduction: the loss is √(the ``MeanSquaredError`` loss
    with the same reduction and weights), so with the default reduction it is the RMSE
    of all entries of the batch (Keras's ``metrics.RootMeanSquaredError`` computes the
    same number over a whole epoch). With reduction "none" it is √(wᵢ·MSEᵢ) per sample.
    A mask on ``y_pred`` (``_keras_mask``) enters the inner mean as in every loss
    (``losses.base``): RMSE = √( Σᵢ wᵢ·mᵢ·MSEᵢ / Σᵢ mᵢ ).
    ∂RMSE/∂ŷ = ∂MSE/∂ŷ / (2·RMSE); the MSE is floored at ε² so that stays finite.
    """

    def __init__(self, reduction="sum_over_batch_size", name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)

    def call(self, y_true, y_pred) -> Tensor:
        return mean_squared_error(y_true, y_pred)

    def __call__(self, y_true, y_pred, sample_weight=None) -> Tensor:
        mask = keras_mask_of(y_pred)          # a masked y_pred: the root of the masked mean (base.py)
        y_pred = to_float_tensor(y_pred, self.dtype)
        y_true = to_array(y_true, f"{self.name}: y_true")
        values = self.call(y_true, y_pred)
        mask = check_mask(mask, values.shape, self.name)
        mse = reduce_weighted_values(values, sample_weight=sample_weight, mask=mask, reduction=self.reduction)
        return ops.sqrt(ops.maximum(mse, backend.epsilon() ** 2))

"""Probabilistic losses: binary / categorical / sparse cross-entropy, focal, KL, Poisson.

Notation: y is the target (``y_true``), p the predicted probability (``y_pred``), or z the
logit when ``from_logits=True``; ε = 1e-7 (``backend.epsilon()``). Probabilities are
clipped to [ε, 1 − ε] before the logarithm, as in Keras, so a confident wrong
prediction costs −ln ε ≈ 16.1 instead of ∞. With ``from_logits=True`` no clipping is
needed: the logit forms below are exact and never overflow — the recommended way.

Each function returns one value per sample (the class axis is summed, or — for binary
cross-entropy — the last axis averaged); the classes average over the batch.
"""
from __future__ import annotations

import numbers
import warnings

import numpy as np

from .. import backend, ops
from ..tensor import Tensor
from .base import FunctionLoss, prepare, to_array, to_float_tensor


def _check_fraction(function: str, name: str, value) -> float:
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or not 0.0 <= value <= 1.0:
        raise ValueError(f"{function}: {name} must be a number in [0, 1], got {value!r}")
    return float(value)


def _check_gamma(function: str, gamma):
    if not isinstance(gamma, numbers.Real) or isinstance(gamma, bool) or not gamma >= 0:
        raise ValueError(f"{function}: gamma must be a number ≥ 0, got {gamma!r}")
    return gamma


def _check_axis(function: str, axis) -> int:
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise ValueError(f"{function}: axis must be an int, got {axis!r}")
    return int(axis)


def _binary_elementwise(y, y_pred: Tensor, from_logits: bool) -> Tensor:
    """Element-wise binary cross-entropy ℓ(y, p) (no mean)."""
    if from_logits:
        # max(z, 0) − z·y + ln(1 + e^(−|z|)), with max(z, 0) written (z + |z|)/2 so that the
        # gradient at z = 0 is exactly σ(0) − y = ½ − y.
        z = y_pred
        abs_z = ops.abs(z)
        return 0.5 * (z + abs_z) - z * y + ops.log(1.0 + ops.exp(-abs_z))
    eps = backend.epsilon()
    p = ops.clip(y_pred, eps, 1.0 - eps)
    return -(y * ops.log(p) + (1.0 - y) * ops.log(1.0 - p))


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1) -> Tensor:
    """Binary cross-entropy, averaged over ``axis`` (the last by default), per sample.

    From probabilities (p clipped to [ε, 1 − ε]):
        BCE(y, p) = −[ y·ln p + (1 − y)·ln(1 − p) ]          ∂BCE/∂p = (p − y) / (p(1 − p))
    From logits z (p = σ(z)), in the overflow-free form:
        BCE(y, z) = max(z, 0) − z·y + ln(1 + e^(−|z|))       ∂BCE/∂z = σ(z) − y

    Args:
        from_logits: ``y_pred`` holds logits z rather than probabilities.
        label_smoothing: s ∈ [0, 1]; targets become y·(1 − s) + s/2 (towards ½).
        axis: the axis averaged over (default −1).

    Example: y = [0, 1], p = [0.6, 0.4] → (−ln 0.4 − ln 0.4)/2 = 0.916.
    """
    label_smoothing = _check_fraction("binary_crossentropy", "label_smoothing", label_smoothing)
    axis = _check_axis("binary_crossentropy", axis)
    y, y_pred = prepare(y_true, y_pred, "binary_crossentropy")
    if label_smoothing:
        y = y * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return ops.mean(_binary_elementwise(y, y_pred, from_logits), axis=axis)


def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25, gamma=2.0,
                              from_logits=False, label_smoothing=0.0, axis=-1) -> Tensor:
    """Binary focal cross-entropy (Lin et al., 2017), averaged over ``axis``, per sample.

    With p = σ(z) if ``from_logits``, and pₜ = y·p + (1 − y)(1 − p) the probability given
    to the true class:
        FL(y, p) = (1 − pₜ)^γ · BCE(y, p)
    and with ``apply_class_balancing`` each term is also weighted by α for class 1 and
    1 − α for class 0. γ = 0 (and no balancing) gives plain binary cross-entropy; γ > 0
    down-weights the easy, well-classified examples.

    Args:
        apply_class_balancing: weight by α / (1 − α).
        alpha: weight of class 1 (default 0.25).
        gamma: focusing parameter γ ≥ 0 (default 2.0).
        from_logits, label_smoothing, axis: as in ``binary_crossentropy``.
    """
    label_smoothing = _check_fraction("binary_focal_crossentropy", "label_smoothing", label_smoothing)
    alpha = _check_fraction("binary_focal_crossentropy", "alpha", alpha)
    gamma = _check_gamma("binary_focal_crossentropy", gamma)
    axis = _check_axis("binary_focal_crossentropy", axis)
    y, y_pred = prepare(y_true, y_pred, "binary_focal_crossentropy")
    if label_smoothing:
        y = y * (1.0 - label_smoothing) + 0.5 * label_smoothing
    p = ops.sigmoid(y_pred) if from_logits else y_pred
    bce = _binary_elementwise(y, p, from_logits=False)
    p_t = y * p + (1.0 - y) * (1.0 - p)
    focal = ops.power(1.0 - p_t, float(gamma)) * bce
    if apply_class_balancing:
        focal = focal * (y * alpha + (1.0 - y) * (1.0 - alpha))
    return ops.mean(focal, axis=axis)


def _move_axis_last(x, axis):
    """Put ``axis`` last (a no-op for −1): Tensors by transpose, arrays by moveaxis."""
    ndim = len(x.shape)
    axis = axis % ndim
    if axis == ndim - 1:
        return x
    if isinstance(x, Tensor):
        return ops.transpose(x, [a for a in range(ndim) if a != axis] + [axis])
    return np.moveaxis(x, axis, -1)


def _normalized_probabilities(p: Tensor) -> Tensor:
    """p renormalised to sum 1 along the last axis, then clipped to [ε, 1 − ε]."""
    eps = backend.epsilon()
    return ops.clip(p / ops.sum(p, axis=-1, keepdims=True), eps, 1.0 - eps)


def _logits_of_softmax(y_pred: Tensor, axis: int):
    """The logits z if ``y_pred`` = softmax(z) over ``axis`` was just computed in the graph, else None.

    Then cross-entropy uses the fused, exact logits path (as Keras's TensorFlow backend
    does for a softmax output): CE = logsumexp(z) − z_t, one op forward and backward
    instead of softmax → renormalise → clip → log. The two agree except where a
    probability is below ε = 1e-7, where the probability path clips and the logits path
    gives the exact, larger loss. Only a graph-recording call (training) has the record;
    under ``no_grad`` the probability path runs.
    """
    fn = y_pred._ctx
    if isinstance(fn, ops.Softmax) and fn.axis in (-1, y_pred.ndim - 1) and axis in (-1, y_pred.ndim - 1):
        return fn.parents[0]
    return None


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1) -> Tensor:
    """Categorical cross-entropy of one-hot (or probability) targets, per sample.

    From probabilities (renormalised so Σₖ pₖ = 1, then clipped to [ε, 1 − ε]):
        CE(y, p) = −Σₖ yₖ ln pₖ
    From logits z, with p = softmax(z) fused into one stable op
    (``glassnet.ops.softmax_cross_entropy``):
        CE(y, z) = (Σₖ yₖ)·logsumexp(z) − Σₖ yₖ zₖ           ∂CE/∂z = p·Σₖ yₖ − y  (= p − y)

    Args:
        from_logits: ``y_pred`` holds logits z rather than probabilities.
        label_smoothing: s ∈ [0, 1]; targets become y·(1 − s) + s/K for the K classes
            along ``axis`` (Keras 3 takes K from the last axis even when ``axis`` is
            another one; glassnet deliberately counts the classes).
        axis: the class axis (default −1).

    Example: y = [0, 1, 0], p = [0.1, 0.3, 0.6] → −ln 0.3 = 1.204.
    """
    label_smoothing = _check_fraction("categorical_crossentropy", "label_smoothing", label_smoothing)
    axis = _check_axis("categorical_crossentropy", axis)
    y, y_pred = prepare(y_true, y_pred, "categorical_crossentropy")
    if not -y_pred.ndim <= axis < y_pred.ndim:
        raise ValueError(f"categorical_crossentropy: y_pred of shape {tuple(y_pred.shape)} has no class axis {axis}")
    if y_pred.shape[axis] == 1:
        warnings.warn(
            f"categorical_crossentropy: y_pred has shape {y_pred.shape}, with a single class; "
            "use binary_crossentropy for two classes", SyntaxWarning, stacklevel=2,
        )
    if label_smoothing:
        y = y * (1.0 - label_smoothing) + label_smoothing / y_pred.shape[axis]
    logits = None if from_logits else _logits_of_softmax(y_pred, axis)
    if logits is not None:
        return ops.softmax_cross_entropy(logits, y)
    y, y_pred = _move_axis_last(y, axis), _move_axis_last(y_pred, axis)
    if from_logits:
        return ops.softmax_cross_entropy(y_pred, y)
    return -ops.sum(y * ops.log(_normalized_probabilities(y_pred)), axis=-1)


def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False,
                                   label_smoothing=0.0, axis=-1) -> Tensor:
    """Categorical focal cross-entropy, per sample.

    FL(y, p) = −Σₖ α·(1 − pₖ)^γ · yₖ ln pₖ      (p renormalised and clipped, or softmax(z))

    Args:
        alpha: weight of every class (default 0.25).
        gamma: focusing parameter γ ≥ 0 (default 2.0); γ = 0, α = 1 gives plain CE.
        from_logits, label_smoothing, axis: as in ``categorical_crossentropy``.
    """
    label_smoothing = _check_fraction("categorical_focal_crossentropy", "label_smoothing", label_smoothing)
    gamma = _check_gamma("categorical_focal_crossentropy", gamma)
    axis = _check_axis("categorical_focal_crossentropy", axis)
    y, y_pred = prepare(y_true, y_pred, "categorical_focal_crossentropy")
    if label_smoothing:
        y = y * (1.0 - label_smoothing) + label_smoothing / y_pred.shape[axis]
    y, y_pred = _move_axis_last(y, axis), _move_axis_last(y_pred, axis)
    if from_logits:
        y_pred = ops.softmax(y_pred, axis=-1)
    p = _normalized_probabilities(y_pred)
    weight = ops.power(1.0 - p, float(gamma)) * np.asarray(alpha, dtype=y_pred.dtype)
    return -ops.sum(weight * (y * ops.log(p)), axis=-1)


def _squeeze_label_axis(t: np.ndarray, pred_ndim: int, axis: int) -> np.ndarray:
    """Labels with a size-1 axis where y_pred has its class axis lose that axis (as Keras)."""
    if t.ndim == pred_ndim and -t.ndim <= axis < t.ndim and t.shape[axis] == 1:
        return np.squeeze(t, axis=axis)
    return t


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1) -> Tensor:
    """Categorical cross-entropy of integer class labels t, per sample.

    CE(t, p) = −ln p_t   (p renormalised and clipped)     or, from logits,
    CE(t, z) = logsumexp(z) − z_t                          ∂CE/∂z = softmax(z) − onehot(t)

    Labels have y_pred's shape without the class axis, or with a 1 in its place.

    Args:
        from_logits: ``y_pred`` holds logits (uses the fused
            ``glassnet.ops.softmax_cross_entropy(..., sparse=True)``).
        ignore_class: a label value (e.g. −1 or 255 for "void") whose entries get loss 0;
            the class ``SparseCategoricalCrossentropy`` also leaves them out of the mean.
        axis: the class axis of ``y_pred`` (default −1).

    Raises:
        ValueError: for labels that are not integers in [0, K), or a shape mismatch.
    """
    axis = _check_axis("sparse_categorical_crossentropy", axis)
    y_pred = to_float_tensor(y_pred)
    if y_pred.ndim == 0:
        raise ValueError("sparse_categorical_crossentropy: y_pred must have a class axis, got a scalar")
    t = _squeeze_label_axis(to_array(y_true, "sparse_categorical_crossentropy: y_true"), y_pred.ndim, axis)
    y_pred = _move_axis_last(y_pred, axis)
    if t.shape != y_pred.shape[:-1]:
        raise ValueError(
            f"sparse_categorical_crossentropy: y_true has shape {t.shape} but y_pred has shape "
            f"{y_pred.shape}; expected integer labels of shape {y_pred.shape[:-1]} (or with a trailing 1)"
        )
    valid = None if ignore_class is None else t != ignore_class
    if t.dtype.kind == "f" and np.any(t != np.round(t)):
        raise ValueError("sparse_categorical_crossentropy: y_true must hold integer class labels, got non-integer values")
    t = t.astype(np.intp) if valid is None else np.where(valid, t, 0).astype(np.intp)
    num_classes = y_pred.shape[-1]
    if t.size and (t.min() < 0 or t.max() >= num_classes):
        raise ValueError(
            f"sparse_categorical_crossentropy: labels must lie in [0, {num_classes - 1}], "
            f"got values in [{t.min()}, {t.max()}]"
        )
    logits = None if from_logits else _logits_of_softmax(y_pred, -1)
    if from_logits or logits is not None:
        loss = ops.softmax_cross_entropy(y_pred if logits is None else logits, t, sparse=True)
    else:
        one_hot = (np.arange(num_classes) == t[..., None]).astype(y_pred.dtype)
        loss = -ops.sum(one_hot * ops.log(_normalized_probabilities(y_pred)), axis=-1)
    if valid is not None:
        loss = ops.where(valid, loss, np.zeros((), dtype=loss.dtype))
    return loss


def kl_divergence(y_true, y_pred) -> Tensor:
    """Kullback–Leibler divergence KL(y ‖ p), per sample, over the last axis.

    KL(y ‖ p) = Σₖ yₖ ln(yₖ / pₖ)          with y and p both clipped to [ε, 1]
    ∂KL/∂pₖ = −yₖ / pₖ
    """
    y, y_pred = prepare(y_true, y_pred, "kl_divergence")
    eps = backend.epsilon()
    y = np.clip(y, eps, 1.0)
    return ops.sum(y * (np.log(y) - ops.log(ops.clip(y_pred, eps, 1.0))), axis=-1)


def poisson(y_true, y_pred) -> Tensor:
    """Poisson negative log-likelihood (up to a constant), per sample.

    poisson(y, ŷ) = (1/d) Σⱼ (ŷⱼ − yⱼ ln(ŷⱼ + ε))        ∂/∂ŷⱼ = (1 − yⱼ/(ŷⱼ + ε))/d
    """
    y, y_pred = prepare(y_true, y_pred, "poisson")
    return ops.mean(y_pred - y * ops.log(y_pred + backend.epsilon()), axis=-1)


# --- classes ------------------------------------------------------------------------------
class BinaryCrossentropy(FunctionLoss):
    """Binary cross-entropy over the batch (see ``binary_crossentropy``).

    Args:
        from_logits: predictions are logits (recommended: stable and exact).
        label_smoothing: s ∈ [0, 1], targets squeezed towards ½.
        axis: the axis averaged per sample (default −1).
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size",
                 name="binary_crossentropy", dtype=None):
        super().__init__(binary_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class BinaryFocalCrossentropy(FunctionLoss):
    """Binary focal cross-entropy over the batch (see ``binary_focal_crossentropy``)."""

    def __init__(self, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0,
                 axis=-1, reduction="sum_over_batch_size", name="binary_focal_crossentropy", dtype=None):
        super().__init__(binary_focal_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         apply_class_balancing=apply_class_balancing, alpha=alpha, gamma=gamma,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class CategoricalCrossentropy(FunctionLoss):
    """Categorical cross-entropy of one-hot targets over the batch (see ``categorical_crossentropy``).

    Example: targets [[0, 1, 0], [0, 0, 1]], probabilities [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]
    → per sample [0.0513, 2.303], mean 1.177.
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size",
                 name="categorical_crossentropy", dtype=None):
        super().__init__(categorical_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class CategoricalFocalCrossentropy(FunctionLoss):
    """Categorical focal cross-entropy over the batch (see ``categorical_focal_crossentropy``)."""

    def __init__(self, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_focal_crossentropy", dtype=None):
        super().__init__(categorical_focal_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         alpha=alpha, gamma=gamma, from_logits=from_logits, label_smoothing=label_smoothing,
                         axis=axis)


class SparseCategoricalCrossentropy(FunctionLoss):
    """Cross-entropy of integer labels over the batch (see ``sparse_categorical_crossentropy``).

    With ``ignore_class``, the entries whose label is that class are left out of the
    loss *and* of the count n of the mean (Keras's mask), so the loss is the mean over
    the remaining entries.

    Args:
        from_logits: predictions are logits.
        ignore_class: a label value to leave out (see above), or None.
        axis: the class axis of ``y_pred`` (default −1).

    ``get_config()`` includes ``axis`` (Keras 3 leaves it out, so its config loses a
    non-default axis).
    """

    def __init__(self, from_logits=False, ignore_class=None, reduction="sum_over_batch_size", axis=-1,
                 name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(sparse_categorical_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, ignore_class=ignore_class, axis=axis)

    def call(self, y_true, y_pred) -> Tensor:
        return self.fn(y_true, y_pred, **self._fn_kwargs)  # labels: no rank matching with y_pred

    def compute_mask(self, y_true, y_pred):
        if self.ignore_class is None:
            return None
        return _squeeze_label_axis(np.asarray(y_true), y_pred.ndim, self.axis) != self.ignore_class


class KLDivergence(FunctionLoss):
    """Kullback–Leibler divergence over the batch (see ``kl_divergence``)."""

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, reduction=reduction, name=name, dtype=dtype)


class Poisson(FunctionLoss):
    """Poisson loss over the batch (see ``poisson``)."""

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, reduction=reduction, name=name, dtype=dtype)


__all__ = [
    "binary_crossentropy", "binary_focal_crossentropy", "categorical_crossentropy",
    "categorical_focal_crossentropy", "sparse_categorical_crossentropy", "kl_divergence", "poisson",
    "BinaryCrossentropy", "BinaryFocalCrossentropy", "CategoricalCrossentropy", "CategoricalFocalCrossentropy",
    "SparseCategoricalCrossentropy", "KLDivergence", "Poisson",
]

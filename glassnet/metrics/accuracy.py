"""Accuracy metrics: how often the prediction is right.

Each function returns 1.0 for a hit and 0.0 for a miss: per entry for ``accuracy`` and
``binary_accuracy`` (a multi-label row gives one value per label, as Keras 3), per sample
for the others; each class is the running mean of that over all batches
(``MeanMetricWrapper``, which first averages a sample's entries): accuracy = hits /
samples, or Σ wᵢ·hitᵢ / Σ wᵢ.

=============================  ===========================================================
metric                          a hit when
=============================  ===========================================================
accuracy                        ŷ == y exactly
binary_accuracy                 [p > threshold] == y      (p a probability, y ∈ {0, 1})
categorical_accuracy            argmax p == argmax y      (one-hot y)
sparse_categorical_accuracy     argmax p == t             (integer label t)
top_k_categorical_accuracy      argmax y is among the k largest p
sparse_top_k_categorical_acc.   t is among the k largest p
=============================  ===========================================================

``glassnet.metrics.resolve_accuracy`` picks binary / categorical / sparse for the
string "accuracy" in ``compile``.
"""
from __future__ import annotations

import numbers

import numpy as np

from ..losses.base import squeeze_or_expand_to_same_rank
from .base import FunctionMetric, to_numpy


def _matching(function: str, y_true, y_pred):
    """(y_true, y_pred) as arrays of the same rank (Keras's rank matching) whose shapes
    broadcast together and agree on the batch (first) axis.

    Raises:
        ValueError: naming both shapes, instead of NumPy's broadcasting error.
    """
    y_true, y_pred = to_numpy(y_true, "y_true"), to_numpy(y_pred, "y_pred")
    lined_true, lined_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    try:
        np.broadcast_shapes(lined_true.shape, lined_pred.shape)
        compatible = lined_true.ndim == 0 or lined_pred.ndim == 0 or lined_true.shape[0] == lined_pred.shape[0]
    except ValueError:
        compatible = False
    if not compatible:
        raise ValueError(f"{function}: y_true has shape {y_true.shape} but y_pred has shape {y_pred.shape}; "
                         "expected the same shape (one target per prediction, the same number of samples)")
    return lined_true, lined_pred


def accuracy(y_true, y_pred) -> np.ndarray:
    """1.0 where ŷ == y exactly, 0.0 elsewhere, for every entry (as Keras 3: no mean).

    Raises:
        ValueError: if the shapes of y_true and y_pred do not match.
    """
    y_true, y_pred = _matching("accuracy", y_true, y_pred)
    return np.equal(y_true, y_pred).astype(np.float64)


def binary_accuracy(y_true, y_pred, threshold=0.5) -> np.ndarray:
    """1.0 where [p > threshold] == y, 0.0 elsewhere, for every entry (as Keras 3: no mean).

    Example: y = [1, 1, 0, 0], p = [0.98, 1, 0, 0.6] → hits [1, 1, 1, 0] → accuracy 0.75.

    Raises:
        ValueError: if the shapes of y_true and y_pred do not match.
    """
    y_true, y_pred = _matching("binary_accuracy", y_true, y_pred)
    return np.equal(y_true, y_pred > threshold).astype(np.float64)


def _check_class_axis(function: str, labels_shape, y_pred) -> None:
    if y_pred.ndim == 0 or tuple(labels_shape) != y_pred.shape[:-1]:
        raise ValueError(
            f"{function}: y_true and y_pred do not match: labels of shape {tuple(labels_shape)} against "
            f"predictions of shape {y_pred.shape} (expected labels of shape {y_pred.shape[:-1]})"
        )


def categorical_accuracy(y_true, y_pred) -> np.ndarray:
    """1.0 where argmax p == argmax y over the class (last) axis, per sample.

    Example: y = [[0, 0, 1], [0, 1, 0]], p = [[0.1, 0.9, 0.8], [0.05, 0.95, 0]] → [0, 1].
    """
    y_true, y_pred = to_numpy(y_true, "y_true"), to_numpy(y_pred, "y_pred")
    _check_has_class_axis("categorical_accuracy", y_pred, 1)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"categorical_accuracy: y_true has shape {y_true.shape} but y_pred has shape {y_pred.shape}; "
            "expected one-hot targets of the same shape (use sparse_categorical_accuracy for integer labels)"
        )
    return np.equal(np.argmax(y_true, axis=-1), np.argmax(y_pred, axis=-1)).astype(np.float64)


def _check_has_class_axis(function: str, y_pred: np.ndarray, min_rank: int) -> None:
    """A ValueError unless y_pred has a class axis: rank ≥ ``min_rank`` and at least one class.

    Top-k accuracy needs (batch, classes) scores, as Keras's ``in_top_k``: a 1-D y_pred
    would be read as one sample whose every class is "in the top k" (a silent 1.0).
    """
    if y_pred.ndim < min_rank:
        wanted = "(batch, classes)" if min_rank == 2 else "(..., classes)"
        raise ValueError(f"{function}: y_pred must have shape {wanted}, got shape {y_pred.shape}")
    if y_pred.shape[-1] == 0:
        raise ValueError(f"{function}: y_pred has no classes (shape {y_pred.shape})")


def _sparse_labels(function: str, y_true, y_pred) -> np.ndarray:
    """Integer labels of shape ``y_pred.shape[:-1]`` (a trailing axis of 1 is dropped)."""
    t = to_numpy(y_true, "y_true")
    if t.ndim == y_pred.ndim and t.ndim > 0 and t.shape[-1] == 1:
        t = t.reshape(t.shape[:-1])
    _check_class_axis(function, t.shape, y_pred)
    return t


def sparse_categorical_accuracy(y_true, y_pred) -> np.ndarray:
    """1.0 where argmax p == t (an integer label), per sample.

    Example: t = [2, 1], p = [[0.1, 0.6, 0.3], [0.05, 0.95, 0]] → [0, 1].
    """
    y_pred = to_numpy(y_pred, "y_pred")
    _check_has_class_axis("sparse_categorical_accuracy", y_pred, 1)
    t = _sparse_labels("sparse_categorical_accuracy", y_true, y_pred)
    return np.equal(t, np.argmax(y_pred, axis=-1)).astype(np.float64)


def _in_top_k(t: np.ndarray, y_pred: np.ndarray, k: int) -> np.ndarray:
    """Whether the score of class t is ≥ the k-th largest score (ties count as in)."""
    num_classes = y_pred.shape[-1]
    if t.size and (t.min() < 0 or t.max() >= num_classes):
        raise ValueError(f"top-k accuracy: labels must lie in [0, {num_classes - 1}], got [{t.min()}, {t.max()}]")
    target_score = np.take_along_axis(y_pred, t[..., None].astype(np.intp), axis=-1)[..., 0]
    if k >= num_classes:
        return np.ones(t.shape, dtype=np.float64)
    kth_largest = np.partition(y_pred, num_classes - k, axis=-1)[..., num_classes - k]
    return (target_score >= kth_largest).astype(np.float64)


def _check_k(k) -> int:
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k < 1:
        raise ValueError(f"top-k accuracy: k must be a positive int, got {k!r}")
    return int(k)


def top_k_categorical_accuracy(y_true, y_pred, k=5) -> np.ndarray:
    """1.0 where the true class (argmax of one-hot y) is among the k largest p, per sample."""
    k = _check_k(k)
    y_true, y_pred = to_numpy(y_true, "y_true"), to_numpy(y_pred, "y_pred")
    _check_has_class_axis("top_k_categorical_accuracy", y_pred, 2)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"top_k_categorical_accuracy: y_true has shape {y_true.shape} but y_pred has shape {y_pred.shape}; "
            "expected one-hot targets of the same shape"
        )
    return _in_top_k(np.argmax(y_true, axis=-1), y_pred, k)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False) -> np.ndarray:
    """1.0 where the integer label t is among the k largest p, per sample.

    With ``from_sorted_ids=True``, y_pred holds class ids sorted by decreasing score
    (e.g. the indices of a top-k search), not scores: a hit is t among its first k ids.
    """
    k = _check_k(k)
    y_pred = to_numpy(y_pred, "y_pred")
    _check_has_class_axis("sparse_top_k_categorical_accuracy", y_pred, 2)
    t = _sparse_labels("sparse_top_k_categorical_accuracy", y_true, y_pred)
    if t.dtype.kind == "f" and np.any(t != np.round(t)):
        raise ValueError("sparse_top_k_categorical_accuracy: y_true must hold integer class labels")
    if from_sorted_ids:
        return np.any(y_pred[..., :k] == t[..., None], axis=-1).astype(np.float64)
    return _in_top_k(t.astype(np.intp), y_pred, k)


class Accuracy(FunctionMetric):
    """How often ŷ equals y exactly (see ``accuracy``).

    Example: y = [[1], [2], [3], [4]], ŷ = [[0], [2], [3], [4]] → 0.75.
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)


class BinaryAccuracy(FunctionMetric):
    """How often the thresholded probability matches the binary label (see ``binary_accuracy``).

    Args:
        threshold: p > threshold counts as class 1 (default 0.5; must lie in (0, 1)).
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        if not isinstance(threshold, numbers.Real) or isinstance(threshold, bool) or not 0 < threshold < 1:
            raise ValueError(f"BinaryAccuracy: threshold must be a number in (0, 1), got {threshold!r}")
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)


class CategoricalAccuracy(FunctionMetric):
    """How often argmax p equals the one-hot label's class (see ``categorical_accuracy``)."""

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


class SparseCategoricalAccuracy(FunctionMetric):
    """How often argmax p equals the integer label (see ``sparse_categorical_accuracy``)."""

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


class TopKCategoricalAccuracy(FunctionMetric):
    """How often the one-hot label's class is among the k top predictions.

    Args:
        k: how many of the largest scores count (default 5).
    """

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=_check_k(k))


class SparseTopKCategoricalAccuracy(FunctionMetric):
    """How often the integer label is among the k top predictions.

    Args:
        k: how many of the largest scores count (default 5).
        from_sorted_ids: y_pred holds class ids sorted by score instead of scores
            (see ``sparse_top_k_categorical_accuracy``).
    """

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None, from_sorted_ids=False):
        super().__init__(sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=_check_k(k),
                         from_sorted_ids=bool(from_sorted_ids))

    def get_config(self) -> dict:
        config = super().get_config()
        if not self.from_sorted_ids:       # as Keras: only written when set
            del config["from_sorted_ids"]
        return config

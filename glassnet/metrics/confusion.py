"""Confusion-matrix metrics: TP/FP/TN/FN counts, precision, recall, F-scores, ROC and PR AUC.

A prediction p counts as positive at threshold t when p > t (strictly). Over a stream
of batches the metrics accumulate the (weighted) counts, per threshold:

    TP = Σ w·[y = 1][p > t]    FP = Σ w·[y = 0][p > t]
    FN = Σ w·[y = 1][p ≤ t]    TN = Σ w·[y = 0][p ≤ t]

    precision = TP / (TP + FP)        recall = TPR = TP / (TP + FN)
    FPR = FP / (FP + TN)              F_β = (1 + β²)·P·R / (β²·P + R)

(a 0/0 ratio is 0). Multi-dimensional inputs are flattened: each entry is one decision.
For many thresholds the counts come from one sort of the predictions and a cumulative
sum (O(N log N)), not from comparing every prediction with every threshold.

``confusion_matrix`` is the plain NumPy K×K table (rows: true class, columns: predicted).
"""
from __future__ import annotations

import numbers

import numpy as np

from .. import backend
from ..losses.base import squeeze_or_expand_to_same_rank
from .base import Metric, to_numpy

NEG_INF = -1e10  # the score given to predictions outside the top k (Keras's value)


def _parse_thresholds(thresholds, default) -> list:
    values = [default] if thresholds is None else list(np.atleast_1d(np.asarray(thresholds, dtype=np.float64)))
    if thresholds is not None:
        bad = [t for t in values if not 0.0 <= t <= 1.0]
        if bad:
            raise ValueError(f"thresholds must lie in [0, 1], got {bad}")
    return [float(t) for t in values]


def _evenly_distributed(thresholds) -> bool:
    """Whether the thresholds are 0, 1/(T−1), ..., 1 (Keras then clips predictions to [0, 1])."""
    n = len(thresholds)
    return n >= 3 and np.allclose(thresholds, np.arange(n) / (n - 1), atol=backend.epsilon())


def _counts(labels, scores, weights, thresholds):
    """Weighted (TP, FP, TN, FN) at each threshold, for flat arrays, via one sort.

    After sorting the scores, the entries with p ≤ t are a prefix whose length
    ``searchsorted`` finds; FN and TN are prefix sums of the positive / negative weights.
    """
    scores = np.where(np.isnan(scores), -np.inf, scores)  # NaN is never above a threshold
    order = np.argsort(scores, kind="stable")
    positive = np.concatenate([[0.0], np.cumsum((weights * labels)[order])])
    negative = np.concatenate([[0.0], np.cumsum((weights * ~labels)[order])])
    at_or_below = np.searchsorted(scores[order], thresholds, side="right")
    fn, tn = positive[at_or_below], negative[at_or_below]
    return positive[-1] - fn, negative[-1] - tn, tn, fn


def _filter_top_k(y_pred, k):
    """Keep the k largest scores of the last axis (ties: the lower index first); others → NEG_INF."""
    keep = np.argsort(-y_pred, axis=-1, kind="stable")[..., :k]
    mask = np.zeros(y_pred.shape, dtype=bool)
    np.put_along_axis(mask, keep, True, axis=-1)
    return np.where(mask, y_pred, NEG_INF)


def update_confusion_counts(state: dict, y_true, y_pred, thresholds, top_k=None, class_id=None,
                            sample_weight=None, multi_label=False, label_weights=None, evenly=False) -> None:
    """Add a batch's weighted TP/FP/TN/FN counts into the arrays of ``state`` (in place).

    Args:
        state: ``{"tp": array, "fp": ..., "tn": ..., "fn": ...}`` (any subset), each of shape
            ``(T,)``, or ``(T, L)`` with ``multi_label``.
        y_true: labels, cast to bool (nonzero = positive); y_pred: scores, same shape.
        thresholds: the T thresholds.
        top_k: only the k largest scores of each row can be positive.
        class_id: look only at this column (class) of y_true and y_pred.
        sample_weight: a scalar, one weight per sample, or y_pred's shape.
        multi_label: count each column of 2-D inputs separately.
        label_weights: per-column weights (flattened case only).
        evenly: the thresholds are evenly spread over [0, 1]: clip scores to [0, 1] first.

    Raises:
        ValueError: for mismatched shapes or a bad ``class_id``.
    """
    y_true, y_pred = to_numpy(y_true, "y_true"), to_numpy(y_pred, "y_pred").astype(np.float64)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true has shape {y_true.shape} but y_pred has shape {y_pred.shape}; expected equal shapes")
    if sample_weight is not None:
        sample_weight = np.expand_dims(to_numpy(sample_weight, "sample_weight").astype(np.float64), -1)
        _, sample_weight = squeeze_or_expand_to_same_rank(y_true, sample_weight, expand_rank_1=False)
    if top_k is not None:
        y_pred = _filter_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.ndim < 2 or not 0 <= class_id < y_pred.shape[-1]:
            raise ValueError(f"class_id={class_id} needs y_pred of shape (samples, classes) with more than "
                             f"{class_id} classes, got shape {y_pred.shape}")
        y_true, y_pred = y_true[..., class_id, None], y_pred[..., class_id, None]
    if evenly:
        y_pred = np.clip(y_pred, 0.0, 1.0)
    weights = np.ones(y_pred.shape)
    if sample_weight is not None:
        try:
            weights = np.broadcast_to(sample_weight, y_pred.shape)
        except ValueError:
            raise ValueError(f"sample_weight of shape {sample_weight.shape} cannot be broadcast to "
                             f"y_pred of shape {y_pred.shape}") from None
    if label_weights is not None and not multi_label:
        weights = weights * np.asarray(label_weights, dtype=np.float64)
    labels = y_true.astype(bool)
    thresholds = np.asarray(thresholds, dtype=np.float64)
    if multi_label:
        columns = [_counts(labels[:, j], y_pred[:, j], weights[:, j], thresholds) for j in range(y_pred.shape[1])]
        counts = [np.stack(c, axis=-1) for c in zip(*columns)]
    else:
        counts = _counts(labels.ravel(), y_pred.ravel(), np.ravel(weights), thresholds)
    for key, value in zip(("tp", "fp", "tn", "fn"), counts):
        if key in state:
            state[key] += value


def _divide_no_nan(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return np.divide(a, b, out=np.zeros(np.broadcast_shapes(a.shape, b.shape)), where=b != 0)


class _ConfusionCount(Metric):
    """The weighted count of one cell of the confusion matrix at each threshold."""

    _cell = "tp"

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = _parse_thresholds(thresholds, 0.5)
        self._evenly = _evenly_distributed(self.thresholds)
        self.accumulator = self.add_variable((len(self.thresholds),), "accumulator")

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        update_confusion_counts({self._cell: self.accumulator}, y_true, y_pred, self.thresholds,
                                sample_weight=sample_weight, evenly=self._evenly)

    def result(self):
        return self._to_result(self.accumulator[0] if len(self.thresholds) == 1 else self.accumulator)

    def get_config(self) -> dict:
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConfusionCount):
    """TP = Σ w·[y = 1][p > t]. Example: y = [0, 1, 1, 1], p = [1, 0, 1, 1] → 2."""

    _cell = "tp"


class FalsePositives(_ConfusionCount):
    """FP = Σ w·[y = 0][p > t]. Example: y = [0, 1, 0, 0], p = [0, 0, 1, 1] → 2."""

    _cell = "fp"


class TrueNegatives(_ConfusionCount):
    """TN = Σ w·[y = 0][p ≤ t]. Example: y = [0, 1, 0, 0], p = [1, 1, 0, 0] → 2."""

    _cell = "tn"


class FalseNegatives(_ConfusionCount):
    """FN = Σ w·[y = 1][p ≤ t]. Example: y = [0, 1, 1, 1], p = [0, 1, 0, 0] → 2."""

    _cell = "fn"


class _PrecisionRecall(Metric):
    """Shared state of Precision and Recall: TP and one error count per threshold."""

    _error = "fp"

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        if top_k is not None and (not isinstance(top_k, (int, np.integer)) or isinstance(top_k, bool) or top_k < 1):
            raise ValueError(f"{type(self).__name__}: top_k must be a positive int or None, got {top_k!r}")
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        self.thresholds = _parse_thresholds(thresholds, 0.5 if top_k is None else NEG_INF)
        self._evenly = _evenly_distributed(self.thresholds)
        self.true_positives = self.add_variable((len(self.thresholds),), "true_positives")
        name = "false_positives" if self._error == "fp" else "false_negatives"
        self._errors = self.add_variable((len(self.thresholds),), name)

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        update_confusion_counts({"tp": self.true_positives, self._error: self._errors}, y_true, y_pred,
                                self.thresholds, top_k=self.top_k, class_id=self.class_id,
                                sample_weight=sample_weight, evenly=self._evenly)

    def result(self):
        value = _divide_no_nan(self.true_positives, self.true_positives + self._errors)
        return self._to_result(value[0] if len(self.thresholds) == 1 else value)

    def get_config(self) -> dict:
        return {**super().get_config(), "thresholds": self.init_thresholds, "top_k": self.top_k,
                "class_id": self.class_id}


class Precision(_PrecisionRecall):
    """Precision = TP / (TP + FP): of the predicted positives, the fraction that are right.

    Args:
        thresholds: one float or a list in [0, 1]; p > t is a positive prediction
            (default 0.5; one result per threshold). Use 0 for logits.
        top_k: only the k highest scores of each sample count as positive predictions.
        class_id: compute it for this class (column) only.

    Example: y = [0, 1, 1, 1], p = [1, 0, 1, 1] → TP 2, FP 1 → 2/3.
    """

    _error = "fp"

    @property
    def false_positives(self):
        return self._errors


class Recall(_PrecisionRecall):
    """Recall = TP / (TP + FN): of the actual positives, the fraction found.

    Args: as ``Precision``.

    Example: y = [0, 1, 1, 1], p = [1, 0, 1, 1] → TP 2, FN 1 → 2/3.
    """

    _error = "fn"

    @property
    def false_negatives(self):
        return self._errors


class FBetaScore(Metric):
    """F_β score per class: (1 + β²)·P·R / (β²·P + R), the weighted harmonic mean of P and R.

    Inputs are 2-D ``(samples, classes)``: one-hot / multi-hot labels and scores.
    Predictions become 0/1 by ``threshold`` (p > threshold), or, when it is None, 1 for
    each row's largest score(s) and 0 elsewhere. As Keras, ε = 1e-7 is added to every
    denominator (so empty classes give 0).

    Args:
        average: None (one score per class), "micro" (pool the counts of all classes),
            "macro" (unweighted mean of the class scores), "weighted" (mean weighted by
            each class's number of true instances, its support).
        beta: weight of recall, β > 0 (default 1.0).
        threshold: None or a number in (0, 1].
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError(f"{type(self).__name__}: average must be None, 'micro', 'macro' or 'weighted', "
                             f"got {average!r}")
        if not isinstance(beta, numbers.Real) or isinstance(beta, bool) or not beta > 0:
            raise ValueError(f"{type(self).__name__}: beta must be a number > 0, got {beta!r}")
        if threshold is not None and (not isinstance(threshold, numbers.Real) or isinstance(threshold, bool)
                                      or not 0 < threshold <= 1):
            raise ValueError(f"{type(self).__name__}: threshold must be None or a number in (0, 1], got {threshold!r}")
        self.average, self.beta, self.threshold = average, float(beta), threshold
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, y_true_shape, y_pred_shape) -> None:
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2 or tuple(y_true_shape) != tuple(y_pred_shape):
            raise ValueError(f"{type(self).__name__} expects 2-D inputs of equal shape (samples, classes), got "
                             f"y_true {tuple(y_true_shape)} and y_pred {tuple(y_pred_shape)}")
        self._num_classes = int(y_pred_shape[-1])
        shape = () if self.average == "micro" else (self._num_classes,)
        self.true_positives = self.add_variable(shape, "true_positives")
        self.false_positives = self.add_variable(shape, "false_positives")
        self.false_negatives = self.add_variable(shape, "false_negatives")
        self.intermediate_weights = self.add_variable(shape, "intermediate_weights")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_true = to_numpy(y_true, "y_true").astype(np.float64)
        y_pred = to_numpy(y_pred, "y_pred").astype(np.float64)
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        elif y_pred.ndim != 2 or y_true.shape != y_pred.shape or y_pred.shape[1] != self._num_classes:
            raise ValueError(f"{type(self).__name__}: expected inputs of shape (samples, {self._num_classes}), got "
                             f"y_true {y_true.shape} and y_pred {y_pred.shape}")
        if self.threshold is None:
            y_pred = (y_pred >= y_pred.max(axis=-1, keepdims=True)) & (np.abs(y_pred) > 1e-9)
        else:
            y_pred = y_pred > self.threshold
        y_pred = y_pred.astype(np.float64)
        weight = 1.0 if sample_weight is None else np.asarray(to_numpy(sample_weight, "sample_weight"),
                                                               dtype=np.float64).reshape(-1, 1)

        def weighted_sum(value):
            return np.sum(value * weight, axis=self.axis)

        self.true_positives += weighted_sum(y_pred * y_true)
        self.false_positives += weighted_sum(y_pred * (1.0 - y_true))
        self.false_negatives += weighted_sum((1.0 - y_pred) * y_true)
        self.intermediate_weights += weighted_sum(y_true)

    def result(self):
        if not self._built:
            return 0.0 if self.average is not None else np.zeros(0, dtype=self.dtype)
        eps = backend.epsilon()
        precision = self.true_positives / (self.true_positives + self.false_positives + eps)
        recall = self.true_positives / (self.true_positives + self.false_negatives + eps)
        b2 = self.beta ** 2
        score = (1.0 + b2) * precision * recall / (b2 * precision + recall + eps)
        if self.average == "weighted":
            score = np.sum(score * self.intermediate_weights / (np.sum(self.intermediate_weights) + eps))
        elif self.average is not None:
            score = np.mean(score)
        return self._to_result(score)

    def get_config(self) -> dict:
        return {**super().get_config(), "average": self.average, "beta": self.beta, "threshold": self.threshold}


class F1Score(FBetaScore):
    """F₁ score: 2·P·R / (P + R), the harmonic mean of precision and recall (``FBetaScore`` with β = 1).

    Example (threshold 0.5): y = [[1, 1, 1], [1, 0, 0], [1, 1, 0]],
    p = [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]] → per class [0.5, 0.8, 0.667].
    """

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["beta"]
        return config


def confusion_matrix(y_true, y_pred, num_classes=None, weights=None) -> np.ndarray:
    """The K×K confusion matrix: entry [i, j] counts samples of true class i predicted as j.

    Args:
        y_true: integer labels ``(N,)`` (or ``(N, 1)``), or one-hot rows ``(N, K)``.
        y_pred: integer labels ``(N,)``, or scores / probabilities ``(N, K)`` (argmax taken).
        num_classes: K (default: 1 + the largest label seen).
        weights: optional per-sample weights (then the matrix holds weight sums).

    Returns:
        An int64 array (float64 with ``weights``); row sums are the class supports,
        the diagonal the correct predictions.

    Raises:
        ValueError: for labels that are not integers in [0, K), or different lengths.

    Example: y_true = [0, 1, 2, 2], y_pred = [0, 2, 2, 1] → [[1, 0, 0], [0, 0, 1], [0, 1, 1]].
    """
    def labels_of(x, argument):
        x = to_numpy(x, argument)
        if x.ndim == 2 and x.shape[1] > 1:
            return np.argmax(x, axis=-1)
        x = x.reshape(-1) if x.ndim == 2 else x
        if x.ndim != 1 or (x.dtype.kind == "f" and np.any(x != np.round(x))):
            raise ValueError(f"confusion_matrix: {argument} must be integer labels (N,) or scores (N, K), "
                             f"got shape {x.shape} and dtype {x.dtype}")
        return x.astype(np.int64)

    t, p = labels_of(y_true, "y_true"), labels_of(y_pred, "y_pred")
    if t.shape != p.shape:
        raise ValueError(f"confusion_matrix: y_true has {t.shape[0]} labels but y_pred has {p.shape[0]}")
    if num_classes is None:
        num_classes = int(max(t.max(initial=-1), p.max(initial=-1))) + 1
    for argument, labels in (("y_true", t), ("y_pred", p)):
        if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
            raise ValueError(f"confusion_matrix: {argument} labels must lie in [0, {num_classes - 1}], "
                             f"got [{labels.min()}, {labels.max()}]")
    w = None if weights is None else np.broadcast_to(to_numpy(weights, "weights").astype(np.float64).reshape(-1), t.shape)
    counts = np.bincount(t * num_classes + p, weights=w, minlength=num_classes * num_classes)
    return counts.reshape(num_classes, num_classes).astype(np.int64 if weights is None else np.float64)

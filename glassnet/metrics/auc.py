"""AUC: the area under the ROC curve (or the precision–recall curve), by a Riemann sum.

The predictions are compared with T thresholds t₀ < t₁ < ... < t_{T−1}: by default
−ε, 1/(T−1), 2/(T−1), ..., (T−2)/(T−1), 1 + ε (the ε ends catch p = 0 and p = 1). At each
threshold the weighted TP/FP/TN/FN counts give a point of the curve:

    ROC:  x = FPR = FP/(FP + TN),   y = TPR = recall = TP/(TP + FN)
    PR:   x = recall,               y = precision = TP/(TP + FP)

and the area is a sum over the T − 1 intervals between neighbouring thresholds:

    AUC = Σᵢ (xᵢ − xᵢ₊₁) · hᵢ      hᵢ = (yᵢ + yᵢ₊₁)/2   ("interpolation", the trapezoid rule)
                                   hᵢ = min(yᵢ, yᵢ₊₁)   ("minoring", a lower bound)
                                   hᵢ = max(yᵢ, yᵢ₊₁)   ("majoring", an upper bound)

For PR with "interpolation", precision is not interpolated linearly but TP and FP are
(Davis & Goadrich, 2006), which gives per interval, with P = TP + FP,

    slope = ΔTP/ΔP,  intercept = TP_{i+1} − slope·P_{i+1}
    area  = slope·(ΔTP + intercept·ln(Pᵢ/P_{i+1})) / (TP_{i+1} + FN_{i+1})

The exact ROC AUC is the probability that a random positive scores above a random
negative (what ``sklearn.metrics.roc_auc_score`` computes); this estimate approaches it
as T grows (to about 1e-2 at T = 200 for well-spread scores). All as ``keras.metrics.AUC``.
"""
from __future__ import annotations

import numpy as np

from .. import backend
from .base import Metric, to_numpy
from .confusion import _divide_no_nan, _evenly_distributed, update_confusion_counts

CURVES = ("ROC", "PR")
SUMMATION_METHODS = ("interpolation", "minoring", "majoring")


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


class AUC(Metric):
    """Area under the ROC (default) or PR curve, accumulated over batches (see module docstring).

    Args:
        num_thresholds: T > 1, the number of thresholds (default 200).
        curve: "ROC" or "PR".
        summation_method: "interpolation", "minoring" or "majoring".
        name, dtype: see ``Metric``.
        thresholds: your own thresholds in [0, 1] (``num_thresholds`` is then ignored;
            −ε and 1 + ε are added at the ends).
        multi_label: with 2-D inputs, one AUC per column (label), then their mean
            (weighted by ``label_weights`` if given); otherwise all entries are pooled.
        num_labels: the number of labels when ``multi_label`` (else taken from the data).
        label_weights: per-label weights (multi_label: of the label AUCs; otherwise of
            the entries of each column when pooling).
        from_logits: the predictions are logits; σ is applied first.

    Example: y = [0, 0, 1, 1], p = [0, 0.5, 0.3, 0.9], T = 3 (thresholds −ε, 0.5, 1 + ε):
    TPR = [1, 0.5, 0], FPR = [1, 0, 0] → AUC = (1 − 0)·(1 + 0.5)/2 + 0 = 0.75.
    """

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation", name=None, dtype=None,
                 thresholds=None, multi_label=False, num_labels=None, label_weights=None, from_logits=False):
        if not isinstance(curve, str) or curve.upper() not in CURVES:
            raise ValueError(f"AUC: curve must be one of {CURVES}, got {curve!r}")
        if not isinstance(summation_method, str) or summation_method.lower() not in SUMMATION_METHODS:
            raise ValueError(f"AUC: summation_method must be one of {SUMMATION_METHODS}, got {summation_method!r}")
        super().__init__(name=name, dtype=dtype)
        self.curve, self.summation_method = curve.upper(), summation_method.lower()
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            inner = sorted(float(t) for t in np.atleast_1d(thresholds))
            if any(not 0.0 <= t <= 1.0 for t in inner):
                raise ValueError(f"AUC: thresholds must lie in [0, 1], got {inner}")
            self.num_thresholds = len(inner) + 2
            self._evenly = _evenly_distributed([0.0] + inner + [1.0])
        else:
            if not isinstance(num_thresholds, (int, np.integer)) or isinstance(num_thresholds, bool) or num_thresholds <= 1:
                raise ValueError(f"AUC: num_thresholds must be an int > 1, got {num_thresholds!r}")
            self.num_thresholds = int(num_thresholds)
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._evenly = True
        eps = backend.epsilon()
        self._thresholds = np.array([0.0 - eps] + inner + [1.0 + eps])
        if num_labels is not None and not multi_label:
            raise ValueError("AUC: num_labels is needed only when multi_label=True")
        self.multi_label, self.num_labels = bool(multi_label), num_labels
        self.label_weights = None if label_weights is None else np.asarray(label_weights, dtype=np.float64)
        self._from_logits = bool(from_logits)
        self._built = False
        if not self.multi_label:
            self._build(None)
        elif num_labels:
            self._build(num_labels)

    @property
    def thresholds(self) -> list:
        """The T thresholds, ends included."""
        return list(self._thresholds)

    def _build(self, num_labels) -> None:
        shape = (self.num_thresholds,) if num_labels is None else (self.num_thresholds, int(num_labels))
        self._num_labels = num_labels
        self.true_positives = self.add_variable(shape, "true_positives")
        self.false_positives = self.add_variable(shape, "false_positives")
        self.true_negatives = self.add_variable(shape, "true_negatives")
        self.false_negatives = self.add_variable(shape, "false_negatives")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_pred = to_numpy(y_pred, "y_pred").astype(np.float64)
        if self.multi_label:
            if y_pred.ndim != 2:
                raise ValueError(f"AUC: y_pred must be 2-D (samples, labels) when multi_label=True, got shape {y_pred.shape}")
            if not self._built:
                self._build(y_pred.shape[1])
            elif y_pred.shape[1] != self._num_labels:
                raise ValueError(f"AUC: expected {self._num_labels} labels, got y_pred of shape {y_pred.shape}")
        if self._from_logits:
            y_pred = _sigmoid(y_pred)
        state = {"tp": self.true_positives, "fp": self.false_positives,
                 "tn": self.true_negatives, "fn": self.false_negatives}
        update_confusion_counts(state, y_true, y_pred, self._thresholds, sample_weight=sample_weight,
                                multi_label=self.multi_label,
                                label_weights=None if self.multi_label else self.label_weights, evenly=self._evenly)

    def _average_over_labels(self, by_threshold):
        if not self.multi_label:
            return np.sum(by_threshold)
        by_label = np.sum(by_threshold, axis=0)
        if self.label_weights is None:
            return np.mean(by_label)
        return _divide_no_nan(np.sum(by_label * self.label_weights), np.sum(self.label_weights))

    def _interpolate_pr_auc(self):
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        d_tp = tp[:-1] - tp[1:]
        p = tp + fp
        d_p = p[:-1] - p[1:]
        slope = _divide_no_nan(d_tp, np.maximum(d_p, 0))
        intercept = tp[1:] - slope * p[1:]
        both_positive = (p[:-1] > 0) & (p[1:] > 0)
        p_ratio = np.where(both_positive, _divide_no_nan(p[:-1], np.maximum(p[1:], 0)), 1.0)
        increments = _divide_no_nan(slope * (d_tp + intercept * np.log(p_ratio)), np.maximum(tp[1:] + fn[1:], 0))
        return self._average_over_labels(increments)

    def result(self) -> float:
        if not self._built:
            return 0.0
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._to_result(self._interpolate_pr_auc())
        tp, fp, tn, fn = self.true_positives, self.false_positives, self.true_negatives, self.false_negatives
        recall = _divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = _divide_no_nan(fp, fp + tn), recall
        else:
            x, y = recall, _divide_no_nan(tp, tp + fp)
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = np.minimum(y[:-1], y[1:])
        else:
            heights = np.maximum(y[:-1], y[1:])
        return self._to_result(self._average_over_labels((x[:-1] - x[1:]) * heights))

    def get_config(self) -> dict:
        config = {**super().get_config(), "num_thresholds": self.num_thresholds, "curve": self.curve,
                  "summation_method": self.summation_method, "multi_label": self.multi_label,
                  "num_labels": self.num_labels,
                  "label_weights": None if self.label_weights is None else self.label_weights.tolist(),
                  "from_logits": self._from_logits}
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config

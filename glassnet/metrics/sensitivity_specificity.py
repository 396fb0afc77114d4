"""One rate at the best threshold that keeps another rate at a required level.

The predictions are compared with T evenly spaced thresholds t = 0, 1/(T−1), …, 1 (T = 1:
the single threshold ½); at each, the weighted TP/FP/TN/FN counts accumulate over the
batches exactly as for ``AUC`` (``confusion.update_confusion_counts``: p > t is a positive,
predictions clipped to [0, 1]). From them, per threshold,

    sensitivity = recall = TP / (TP + FN)        specificity = TN / (TN + FP)
    precision = TP / (TP + FP)                   (0/0 = 0)

and each metric reports the best value of one rate over the thresholds at which the
other meets its target v:

    SensitivityAtSpecificity(v) = max_t { sensitivity(t) : specificity(t) ≥ v }
    SpecificityAtSensitivity(v) = max_t { specificity(t) : sensitivity(t) ≥ v }
    PrecisionAtRecall(v)        = max_t { precision(t)   : recall(t) ≥ v }
    RecallAtPrecision(v)        = max_t { recall(t)      : precision(t) ≥ v }

and 0 when no threshold meets the target (all as Keras 3.15).
"""
from __future__ import annotations

import numbers

import numpy as np

from .base import Metric
from .confusion import _divide_no_nan, update_confusion_counts


class _RateAtRate(Metric):
    """The thresholded confusion counts shared by the four metrics (see the module docstring).

    Args:
        value: the target v ∈ [0, 1] of the constrained rate.
        num_thresholds: T > 0 (default 200).
        class_id: look only at this class (column) of 2-D inputs.
        name, dtype: see ``Metric``.

    Subclasses name the constrained and the reported rate (``_constrained``, ``_reported``)
    and their constructor argument (``_value_name``).
    """

    _value_name = "value"
    _constrained = "specificity"
    _reported = "sensitivity"

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        owner = type(self).__name__
        if not isinstance(value, numbers.Real) or isinstance(value, bool) or not 0 <= value <= 1:
            raise ValueError(f"{owner}: {self._value_name} must be a number in the range [0, 1], got {value!r}")
        if (not isinstance(num_thresholds, (int, np.integer)) or isinstance(num_thresholds, bool)
                or num_thresholds <= 0):
            raise ValueError(f"{owner}: num_thresholds must be an int > 0, got {num_thresholds!r}")
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.value = value
        self.num_thresholds = int(num_thresholds)
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds, self._evenly = [0.5], False
        else:
            self.thresholds = [i / (num_thresholds - 1) for i in range(num_thresholds)]
            self._evenly = True
        size = (len(self.thresholds),)
        self.true_positives = self.add_variable(size, "true_positives")
        self.false_positives = self.add_variable(size, "false_positives")
        self.true_negatives = self.add_variable(size, "true_negatives")
        self.false_negatives = self.add_variable(size, "false_negatives")

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Add the batch's weighted TP/FP/TN/FN at every threshold.

        Raises:
            ValueError: for mismatched shapes or a bad ``class_id``.
        """
        state = {"tp": self.true_positives, "fp": self.false_positives, "tn": self.true_negatives,
                 "fn": self.false_negatives}
        update_confusion_counts(state, y_true, y_pred, self.thresholds, class_id=self.class_id,
                                sample_weight=sample_weight, evenly=self._evenly)

    def _rates(self) -> dict:
        tp, fp, tn, fn = self.true_positives, self.false_positives, self.true_negatives, self.false_negatives
        recall = _divide_no_nan(tp, tp + fn)
        return {"sensitivity": recall, "recall": recall, "specificity": _divide_no_nan(tn, tn + fp),
                "precision": _divide_no_nan(tp, tp + fp)}

    def result(self) -> float:
        rates = self._rates()
        feasible = rates[self._constrained] >= self.value
        return float(np.max(np.where(feasible, rates[self._reported], 0.0), initial=0.0))

    def get_config(self) -> dict:
        return {**super().get_config(), "class_id": self.class_id, "num_thresholds": self.num_thresholds,
                self._value_name: self.value}


class SensitivityAtSpecificity(_RateAtRate):
    """The best sensitivity (recall) among the thresholds with specificity ≥ ``specificity``.

    Args:
        specificity: the required specificity in [0, 1].
        num_thresholds, class_id, name, dtype: see ``_RateAtRate``.

    Example (T = 3: thresholds 0, ½, 1): y = [0, 0, 1, 1], p = [0.1, 0.6, 0.4, 0.8]:
    t = 0: sens 1, spec 0;  t = ½: sens ½, spec ½;  t = 1: sens 0, spec 1.
    specificity ≥ ½ at t = ½ and 1 → max(½, 0) = 0.5.
    """

    _value_name, _constrained, _reported = "specificity", "specificity", "sensitivity"

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(specificity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    @property
    def specificity(self):
        return self.value


class SpecificityAtSensitivity(_RateAtRate):
    """The best specificity among the thresholds with sensitivity ≥ ``sensitivity``.

    Args:
        sensitivity: the required sensitivity (recall) in [0, 1].
        num_thresholds, class_id, name, dtype: see ``_RateAtRate``.
    """

    _value_name, _constrained, _reported = "sensitivity", "sensitivity", "specificity"

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(sensitivity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    @property
    def sensitivity(self):
        return self.value


class PrecisionAtRecall(_RateAtRate):
    """The best precision among the thresholds with recall ≥ ``recall``.

    Args:
        recall: the required recall in [0, 1].
        num_thresholds, class_id, name, dtype: see ``_RateAtRate``.
    """

    _value_name, _constrained, _reported = "recall", "recall", "precision"

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(recall, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    @property
    def recall(self):
        return self.value


class RecallAtPrecision(_RateAtRate):
    """The best recall among the thresholds with precision ≥ ``precision``.

    Args:
        precision: the required precision in [0, 1].
        num_thresholds, class_id, name, dtype: see ``_RateAtRate``.
    """

    _value_name, _constrained, _reported = "precision", "precision", "recall"

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(precision, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    @property
    def precision(self):
        return self.value

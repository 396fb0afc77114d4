"""Intersection over union (IoU, the Jaccard index) from an accumulated confusion matrix.

Every entry of a batch (a pixel of a segmentation map, a sample of a classification) is
one (true class, predicted class) pair. The metrics accumulate the weighted K×K
confusion matrix C (rows: true class, columns: predicted class; ``confusion_matrix`` of
``glassnet.metrics.confusion``) over the batches, and read for each class c

    TP_c = C[c, c]        FP_c = Σᵢ C[i, c] − TP_c        FN_c = Σⱼ C[c, j] − TP_c

    IoU_c = TP_c / (TP_c + FP_c + FN_c)    the overlap of "is c" and "predicted c" over their union

The result is the mean of IoU_c over the target classes that occur at all (a class with
TP + FP + FN = 0 is left out of the mean, as Keras 3.15 does); ε = 1e-7 is added to each
denominator and to the number of classes averaged.

Entries whose true or predicted class lies outside [0, K), or whose true class is
``ignore_class``, are left out. As Keras, the state has the dtype ``dtype`` (default
"int32"): with an integer dtype, float sample weights are truncated to integers (a
weight 0.3 counts as 0 — a warning says so); pass ``dtype="float32"`` for fractional
weights.

================  ===================================================================
class             inputs
================  ===================================================================
IoU               integer labels and predictions (or, with sparse_y_* False, scores
                  whose argmax over ``axis`` is taken); mean IoU of target_class_ids
MeanIoU           IoU over every class 0, …, K − 1
BinaryIoU         K = 2; a prediction p is class 1 when p ≥ threshold
OneHotIoU         one-hot y_true, scores y_pred (argmax of both)
OneHotMeanIoU     MeanIoU of one-hot y_true and scores y_pred
================  ===================================================================
"""
from __future__ import annotations

import numbers
import warnings

import numpy as np

from .. import backend
from .base import Metric, to_numpy
from .confusion import confusion_matrix


def _check_num_classes(owner: str, num_classes) -> int:
    if not isinstance(num_classes, (int, np.integer)) or isinstance(num_classes, bool) or num_classes < 1:
        raise ValueError(f"{owner}: num_classes must be a positive int, got {num_classes!r}")
    return int(num_classes)


def _check_target_class_ids(owner: str, target_class_ids, num_classes: int) -> list:
    ids = list(target_class_ids) if isinstance(target_class_ids, (list, tuple, np.ndarray)) else None
    if not ids or any(not isinstance(i, (int, np.integer)) or isinstance(i, bool) for i in ids):
        raise ValueError(f"{owner}: target_class_ids must be a non-empty list of class ids, got {target_class_ids!r}")
    if max(ids) >= num_classes or min(ids) < 0:
        raise ValueError(f"{owner}: target class id {max(ids) if max(ids) >= num_classes else min(ids)} is out of "
                         f"range, which is [0, {num_classes})")
    return [int(i) for i in ids]


class _IoUBase(Metric):
    """The confusion-matrix state shared by the IoU metrics (see the module docstring).

    Args:
        num_classes: K, the number of classes (the state is K×K).
        name, dtype: see ``Metric``; dtype defaults to "int32" (weights truncated).
        ignore_class: a true class whose entries are left out (e.g. a "void" label).
        sparse_y_true: y_true holds class ids (True) or scores to argmax over ``axis``.
        sparse_y_pred: y_pred holds class ids (True) or scores to argmax over ``axis``.
        axis: the class axis of dense inputs (default −1).
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True, sparse_y_pred=True,
                 axis=-1):
        super().__init__(name=name, dtype=dtype or "int32")
        self.num_classes = _check_num_classes(type(self).__name__, num_classes)
        if ignore_class is not None and (not isinstance(ignore_class, (int, np.integer))
                                         or isinstance(ignore_class, bool)):
            raise ValueError(f"{type(self).__name__}: ignore_class must be an int or None, got {ignore_class!r}")
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self._direction = "up"
        self.total_cm = self.add_variable((self.num_classes, self.num_classes), "total_confusion_matrix")

    def _class_ids(self, x, sparse: bool, argument: str) -> np.ndarray:
        """Flat integer class ids: the values themselves, or the argmax over ``axis``."""
        x = to_numpy(x, argument)
        if not sparse:
            if x.ndim == 0:
                raise ValueError(f"{type(self).__name__}: {argument} must have a class axis when it is dense "
                                 f"(sparse_{argument}=False), got a scalar")
            x = np.argmax(x, axis=self.axis)
        return np.asarray(x).reshape(-1).astype(np.int64)

    def _weights(self, sample_weight, size: int) -> np.ndarray:
        if sample_weight is None:
            return np.ones(size)
        weights = to_numpy(sample_weight, "sample_weight").astype(np.float64)
        weights = weights.reshape(-1) if weights.ndim > 1 else weights
        try:
            weights = np.broadcast_to(weights, (size,))
        except ValueError:
            raise ValueError(f"{type(self).__name__}: sample_weight of shape {weights.shape} cannot be broadcast to "
                             f"the {size} entries of y_true") from None
        if np.dtype(self.dtype).kind in "iu":
            if np.any(weights != np.trunc(weights)):
                warnings.warn(f"{type(self).__name__}: float sample weights are truncated to integers because "
                              f"dtype is {self.dtype}; pass dtype='float32' to keep them", stacklevel=3)
            weights = np.trunc(weights)
        return weights

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Add the batch's weighted (true, predicted) pairs to the confusion matrix.

        Raises:
            ValueError: when y_true and y_pred do not hold the same number of entries.
        """
        y_true = self._class_ids(y_true, self.sparse_y_true, "y_true")
        y_pred = self._class_ids(y_pred, self.sparse_y_pred, "y_pred")
        if y_true.shape != y_pred.shape:
            raise ValueError(f"{type(self).__name__}: y_true has {y_true.size} entries but y_pred has {y_pred.size}; "
                             "expected one prediction per label")
        weights = self._weights(sample_weight, y_true.size)
        K = self.num_classes
        kept = (y_true >= 0) & (y_true < K) & (y_pred >= 0) & (y_pred < K)
        if self.ignore_class is not None:
            kept &= y_true != self.ignore_class
        self.total_cm += confusion_matrix(np.where(kept, y_true, 0), np.where(kept, y_pred, 0), num_classes=K,
                                          weights=np.where(kept, weights, 0.0))

    def _mean_iou(self, target_class_ids) -> float:
        C = self.total_cm
        true_positives = np.diag(C)
        union = C.sum(axis=0) + C.sum(axis=1) - true_positives          # TP + FP + FN
        true_positives, union = true_positives[target_class_ids], union[target_class_ids]
        valid = union > 1e-9
        iou = np.where(valid, true_positives / (union + backend.epsilon()), 0.0)
        return float(np.sum(iou) / (np.sum(valid) + backend.epsilon()))


class IoU(_IoUBase):
    """Mean IoU of the classes ``target_class_ids`` (see the module docstring).

    Args:
        num_classes: K.
        target_class_ids: the classes whose IoU is averaged (e.g. ``[1]`` for one class).
        name, dtype, ignore_class, sparse_y_true, sparse_y_pred, axis: see ``_IoUBase``.

    Example: y = [0, 1, 0, 1], ŷ = [0, 1, 1, 1], target_class_ids = [0]:
    C = [[1, 1], [0, 2]] → IoU₀ = 1 / (1 + 0 + 1) = 0.5.
    """

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None, sparse_y_true=True,
                 sparse_y_pred=True, axis=-1):
        super().__init__(num_classes, name=name, dtype=dtype, ignore_class=ignore_class, sparse_y_true=sparse_y_true,
                         sparse_y_pred=sparse_y_pred, axis=axis)
        self.target_class_ids = _check_target_class_ids(type(self).__name__, target_class_ids, self.num_classes)

    def result(self) -> float:
        return self._mean_iou(self.target_class_ids)

    def get_config(self) -> dict:
        return {**super().get_config(), "num_classes": self.num_classes, "target_class_ids": self.target_class_ids,
                "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class BinaryIoU(IoU):
    """IoU of binary segmentation: class 1 where p ≥ ``threshold``, class 0 below it.

    Args:
        target_class_ids: ``[0]``, ``[1]`` or ``(0, 1)`` (default: the mean of both).
        threshold: the decision threshold on the predictions (default 0.5; 0 for logits).
        name, dtype: see ``Metric`` (dtype default "int32").

    Example (Keras's, dtype="float32"): y = [0, 1, 0, 1], p = [0.1, 0.2, 0.4, 0.7],
    threshold 0.3, w = [0.2, 0.3, 0.4, 0.1]: C = [[0.2, 0.4], [0.3, 0.1]] →
    IoU = [0.2/0.9, 0.1/0.8] → mean 0.1736.
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        if not isinstance(threshold, numbers.Real) or isinstance(threshold, bool):
            raise ValueError(f"BinaryIoU: threshold must be a number, got {threshold!r}")
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_pred = (to_numpy(y_pred, "y_pred").astype(np.float64) >= self.threshold).astype(np.int64)
        super().update_state(y_true, y_pred, sample_weight)

    def get_config(self) -> dict:
        return {"target_class_ids": self.target_class_ids, "threshold": self.threshold, "name": self.name,
                "dtype": self.dtype}


class MeanIoU(IoU):
    """Mean IoU over all classes 0, …, K − 1 (see the module docstring).

    Args:
        num_classes: K.
        name, dtype, ignore_class, sparse_y_true, sparse_y_pred, axis: see ``_IoUBase``.

    Example: y = [0, 0, 1, 1], ŷ = [0, 1, 0, 1]: C = [[1, 1], [1, 1]] →
    IoU₀ = IoU₁ = 1/(2 + 2 − 1) = 1/3 → mean 1/3.
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True, sparse_y_pred=True,
                 axis=-1):
        num_classes = _check_num_classes("MeanIoU", num_classes)
        super().__init__(num_classes, list(range(num_classes)), name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self) -> dict:
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class OneHotIoU(IoU):
    """``IoU`` of one-hot targets and class scores (the argmax over ``axis`` of both).

    Args:
        num_classes, target_class_ids: see ``IoU``.
        sparse_y_pred: False (default): y_pred holds scores; True: class ids.
        name, dtype, ignore_class, axis: see ``_IoUBase``.
    """

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None, sparse_y_pred=False,
                 axis=-1):
        super().__init__(num_classes, target_class_ids, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self) -> dict:
        return {"num_classes": self.num_classes, "target_class_ids": self.target_class_ids, "name": self.name,
                "dtype": self.dtype, "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}


class OneHotMeanIoU(MeanIoU):
    """``MeanIoU`` of one-hot targets and class scores (the argmax over ``axis`` of both).

    Args:
        num_classes: K.
        sparse_y_pred: False (default): y_pred holds scores; True: class ids.
        name, dtype, ignore_class, axis: see ``_IoUBase``.
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_pred=False, axis=-1):
        super().__init__(num_classes, name=name, dtype=dtype, ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self) -> dict:
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}

"""Generalized cross-entropy (Zhang & Sabuncu, 2018): a loss robust to noisy labels.

With p the predicted probability of the true class and q ∈ (0, 1):

    GCE(y, p) = (1 − p^q) / q            ∂GCE/∂p = −p^(q − 1)

As q → 0, (1 − p^q)/q → −ln p, the cross-entropy; at q = 1 it is 1 − p, the mean absolute
error of a one-hot target (which ignores confidently wrong, possibly mislabelled, samples).
Values of q in between trade the fast learning of the first against the robustness of the
second. Labels are integers, as for ``sparse_categorical_crossentropy``.
"""
from __future__ import annotations

import numbers

import numpy as np

from .. import ops
from ..tensor import Tensor
from .base import FunctionLoss, to_array, to_float_tensor


def _check_q(function: str, q) -> float:
    if not isinstance(q, numbers.Real) or isinstance(q, bool) or not 0 < q < 1:
        raise ValueError(f"{function}: q must be a number in the interval (0, 1), got {q!r}")
    return q


def categorical_generalized_cross_entropy(y_true, y_pred, q) -> Tensor:
    """Generalized cross-entropy per sample: (1 − p^q) / q, p = y_pred[..., y_true].

    Args:
        y_true: integer class labels, shape ``y_pred.shape[:-1]`` (or with a trailing 1).
        y_pred: class probabilities ``(..., classes)``.
        q: the noise parameter in (0, 1).

    Returns:
        ``y_pred.shape[:-1]`` losses.

    Example: y = [1], p = [[0.75, 0.25]], q = ½ → (1 − √0.25)/0.5 = 1.0.
    """
    q = _check_q("categorical_generalized_cross_entropy", q)
    probabilities = to_float_tensor(y_pred)
    labels = to_array(y_true, "categorical_generalized_cross_entropy: y_true")
    if probabilities.ndim == 0:
        raise ValueError("categorical_generalized_cross_entropy: y_pred must have a class axis, got a scalar")
    batch_shape = tuple(probabilities.shape[:-1])
    if labels.shape == batch_shape + (1,):
        labels = labels.reshape(batch_shape)          # (N, 1) labels (Keras would broadcast them to (N, N))
    if labels.shape != batch_shape:
        raise ValueError(f"categorical_generalized_cross_entropy: y_true must be integer labels of shape "
                         f"{batch_shape}, got shape {labels.shape} against y_pred of shape {probabilities.shape}")
    num_classes = probabilities.shape[-1]
    one_hot = np.eye(num_classes, dtype=probabilities.dtype)[labels.astype(np.int64) % num_classes]
    one_hot[(labels < 0) | (labels >= num_classes)] = 0.0   # out of range: no class (Keras's one_hot)
    p = ops.sum(probabilities * one_hot, axis=-1)
    return (1.0 - ops.power(p, float(q))) / q


class CategoricalGeneralizedCrossEntropy(FunctionLoss):
    """Generalized cross-entropy averaged over the batch (see ``categorical_generalized_cross_entropy``).

    Args:
        q: the noise parameter in (0, 1) (default 0.5): near 0 like cross-entropy, near 1
            like mean absolute error.
        reduction, name ("categorical_generalized_cross_entropy"), dtype: see ``Loss``.

    Example: y = [0, 1, 0, 1], p = [[0.7, 0.3], [0.2, 0.8], [0.6, 0.4], [0.4, 0.6]], q = ½ →
    mean of 2(1 − √p_true) over p_true = 0.7, 0.8, 0.6, 0.6 = (0.3267 + 0.2111 + 0.4508 + 0.4508)/4 = 0.3599.
    """

    def __init__(self, q=0.5, reduction="sum_over_batch_size", name="categorical_generalized_cross_entropy",
                 dtype=None):
        super().__init__(categorical_generalized_cross_entropy, reduction=reduction, name=name, dtype=dtype,
                         q=_check_q("CategoricalGeneralizedCrossEntropy", q))

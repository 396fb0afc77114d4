"""Circle loss (Sun et al., 2020): pull same-class embeddings together, push others apart.

The model outputs L2-normalised embeddings xᵢ (e.g. ``Dense`` without activation, then
``UnitNormalization``); labels are integers. For a query i and each reference j, with
dᵢⱼ = max(1 − xᵢ·x̃ⱼ, 0) the cosine distance, m the margin and γ the scale:

    positives (same label, j ≠ i unless remove_diagonal=False):
        aᵢⱼ = max(m + dᵢⱼ, 0)              sᵢⱼ = −γ·aᵢⱼ·(m − dᵢⱼ)
    negatives (other label):
        aᵢⱼ = max(1 + m − dᵢⱼ, 0)          sᵢⱼ =  γ·aᵢⱼ·((1 − m) − dᵢⱼ)

    circle(i) = softplus( logsumexp_{j positive} sᵢⱼ + logsumexp_{j negative} sᵢⱼ )

The weights a grow with how far a pair is from its optimum (distance 0 for positives,
≥ 1 + m for negatives), so the worst pairs get the largest gradients. A query with no
positive or no negative reference has logsumexp over nothing = −∞ and loss 0; such
queries are masked out of the mean (Keras marks them with ``loss > 0``; the loss then
sets ``_keras_mask`` on its output, and the class's ``compute_mask`` leaves them out of
the reduction's numerator and denominator). Everything is composed of differentiable
primitives; the empty logsumexps are computed over a masked, shifted exponential so their
gradient is 0, not NaN.
"""
from __future__ import annotations

import numbers

import numpy as np

from .. import ops
from ..tensor import Tensor
from .base import FunctionLoss, to_array, to_float_tensor


def _check_numbers(owner: str, **values) -> None:
    for argument, value in values.items():
        if not isinstance(value, numbers.Real) or isinstance(value, bool):
            raise ValueError(f"{owner}: {argument} must be a number, got {value!r}")


def _labels(labels, argument: str) -> np.ndarray:
    labels = to_array(labels, f"circle: {argument}")
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels.reshape(-1)
    if labels.ndim != 1:
        raise ValueError(f"circle: {argument} must be integer labels of shape (batch,), got shape {labels.shape}")
    return labels.astype(np.int64)


def positive_negative_masks(query_labels, key_labels, remove_diagonal=True):
    """(positive, negative) boolean (N, M) masks: same label / other label (Keras's helper).

    With ``remove_diagonal`` the pairs (i, i) are not positives (an embedding is not its
    own positive example).
    """
    positive = query_labels[:, None] == key_labels[None, :]
    negative = ~positive
    if remove_diagonal:
        positive = positive & ~np.eye(len(query_labels), len(key_labels), dtype=bool)
    return positive, negative


def _masked_logsumexp(s: Tensor, mask: np.ndarray) -> tuple:
    """log Σ_{j: mask} e^{sᵢⱼ} per row, and which rows have any entry (others are −∞).

    Shifted by the row's largest masked value (a constant), so e^{·} never overflows, and
    the masked-out entries contribute exactly 0 — including their gradient.
    """
    any_entry = mask.any(axis=1)
    shift = np.where(mask, s.data, -np.inf).max(axis=1, initial=-np.inf)
    shift = np.where(any_entry, shift, 0.0).astype(s.dtype)
    exp_sum = ops.sum(ops.where(mask, ops.exp(s - shift[:, None]), 0.0), axis=1)
    return ops.log(ops.where(any_entry, exp_sum, 1.0)) + shift, any_entry


def circle(y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal=True, gamma=80, margin=0.4) -> Tensor:
    """Circle loss per query embedding (see the module docstring), shape ``(batch,)``.

    Args:
        y_true: integer labels ``(batch,)``.
        y_pred: L2-normalised embeddings ``(batch, dim)``.
        ref_labels: labels of the reference embeddings (default ``y_true``).
        ref_embeddings: L2-normalised reference embeddings ``(refs, dim)`` (default ``y_pred``).
        remove_diagonal: pair (i, i) is not a positive (default True).
        gamma: the scale γ (default 80).
        margin: the relaxation m (default 0.4).

    Returns:
        ``(batch,)`` losses; queries without a positive or a negative give 0, and the
        Tensor carries ``_keras_mask = loss > 0`` as Keras's does.
    """
    _check_numbers("circle", gamma=gamma, margin=margin)
    x = to_float_tensor(y_pred)
    if x.ndim != 2:
        raise ValueError(f"circle: y_pred must be embeddings of shape (batch, dim), got shape {x.shape}")
    labels = _labels(y_true, "y_true")
    if labels.shape[0] != x.shape[0]:
        raise ValueError(f"circle: y_true has {labels.shape[0]} labels but y_pred has {x.shape[0]} embeddings")
    refs = x if ref_embeddings is None else to_float_tensor(ref_embeddings, x.dtype)
    ref = labels if ref_labels is None else _labels(ref_labels, "ref_labels")
    if refs.ndim != 2 or refs.shape[1] != x.shape[1] or refs.shape[0] != ref.shape[0]:
        raise ValueError(f"circle: ref_embeddings must have shape (refs, {x.shape[1]}) with one label each, got "
                         f"shape {refs.shape} and {ref.shape[0]} labels")
    positive, negative = positive_negative_masks(labels, ref, remove_diagonal)
    d = ops.maximum(1.0 - ops.matmul(x, ops.transpose(refs)), 0.0)          # cosine distances dᵢⱼ
    a_pos = ops.maximum((margin + d) * positive, 0.0)
    a_neg = ops.maximum((1.0 + margin - d) * negative, 0.0)
    s_pos = -gamma * a_pos * (margin - d)
    s_neg = gamma * a_neg * ((1.0 - margin) - d)
    p_loss, has_positive = _masked_logsumexp(s_pos, positive)
    n_loss, has_negative = _masked_logsumexp(s_neg, negative)
    valid = has_positive & has_negative
    loss = ops.where(valid, ops.softplus(ops.where(valid, p_loss + n_loss, 0.0)), 0.0)
    loss._keras_mask = valid
    return loss


class Circle(FunctionLoss):
    """Circle loss averaged over the queries that have a positive and a negative (see ``circle``).

    Args:
        gamma: the scale γ (default 80.0).
        margin: the relaxation m (default 0.4).
        remove_diagonal: pair (i, i) is not a positive (default True).
        reduction, name ("circle"), dtype: see ``Loss``.

    ``y_true`` holds integer labels ``(batch,)``, ``y_pred`` unit-norm embeddings
    ``(batch, dim)``; the batch itself is the reference set.
    """

    def __init__(self, gamma=80.0, margin=0.4, remove_diagonal=True, reduction="sum_over_batch_size", name="circle",
                 dtype=None):
        _check_numbers("Circle", gamma=gamma, margin=margin)
        super().__init__(circle, reduction=reduction, name=name, dtype=dtype, gamma=gamma, margin=margin,
                         remove_diagonal=remove_diagonal)

    def compute_mask(self, y_true, y_pred):
        """True for the queries with at least one positive and one negative reference."""
        labels = _labels(y_true, "y_true")
        positive, negative = positive_negative_masks(labels, labels, self.remove_diagonal)
        return positive.any(axis=1) & negative.any(axis=1)

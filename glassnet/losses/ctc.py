"""CTC (connectionist temporal classification) as a Keras loss: ``ctc`` and ``CTC``.

A thin layer over ``glassnet.ops.ctc_loss`` (the α recursion in log space, see
``glassnet/ops/ctc_api.py``) with Keras's conventions for ``model.compile(loss="ctc")``:

* ``y_true`` is ``(batch, max_label_length)`` integer labels, padded with 0; class 0 is the
  blank, so a label sequence's length is its number of nonzero entries;
* ``y_pred`` is ``(batch, frames, classes)`` logits (not softmax-ed); every frame counts.

    ctc(y, z)ᵢ = −ln Σ_{π ∈ B⁻¹(yᵢ)} Π_t softmax(zᵢₜ)[π_t]

the negative log-probability of all frame paths π that collapse (merge repeats, drop
blanks) to the label sequence. Its gradient comes from the chain rule through the α
recursion's log-sum-exps.
"""
from __future__ import annotations

import numpy as np

from ..ops import ctc_loss
from ..tensor import Tensor
from .base import FunctionLoss, to_array, to_float_tensor

BLANK = 0  # Keras's mask_index: the blank class, and the padding of y_true


def ctc(y_true, y_pred) -> Tensor:
    """CTC loss per sequence (see the module docstring), shape ``(batch,)``.

    Args:
        y_true: ``(batch, max_label_length)`` integer labels, 0-padded (0 is the blank).
        y_pred: ``(batch, frames, classes)`` logits.

    Example: one frame, classes (blank, a), label "a", logits [0, 0] → p(a) = ½ → ln 2.
    """
    labels = to_array(y_true, "ctc: y_true")
    logits = to_float_tensor(y_pred)
    if labels.ndim != 2:
        raise ValueError(f"ctc: y_true must be integer labels of shape (batch_size, max_length), "
                         f"got shape {labels.shape}")
    if logits.ndim != 3:
        raise ValueError(f"ctc: y_pred must be logits of shape (batch_size, max_length, num_classes), "
                         f"got shape {logits.shape}")
    if labels.shape[0] != logits.shape[0]:
        raise ValueError(f"ctc: y_true has {labels.shape[0]} rows but y_pred has {logits.shape[0]}")
    labels = labels.astype(np.int64)
    label_length = np.sum(labels != BLANK, axis=-1)
    frame_length = np.full(logits.shape[0], logits.shape[1], dtype=np.int64)
    return ctc_loss(labels, logits, label_length, frame_length, mask_index=BLANK)


class CTC(FunctionLoss):
    """CTC loss averaged over the batch (see ``ctc``).

    Args:
        reduction, name ("ctc"), dtype: see ``Loss``.
    """

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(ctc, reduction=reduction, name=name, dtype=dtype)

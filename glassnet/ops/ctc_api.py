"""keras.ops.nn connectionist temporal classification: ``ctc_loss`` and greedy ``ctc_decode``.

CTC scores a label sequence l against per-frame class scores without knowing the alignment:
every path π over the frames that collapses to l (merge repeats, drop blanks) counts.
With y = log_softmax(output) and the extended label z = (blank, l₁, blank, l₂, …, blank) of
length S = 2|l| + 1, the forward variables (log space)

    α₀(0) = y₀(blank),   α₀(1) = y₀(l₁),   α₀(s) = −∞ otherwise
    α_t(s) = y_t(z_s) + logsumexp(α_{t−1}(s), α_{t−1}(s − 1), α_{t−1}(s − 2))

where the s − 2 term is allowed only when z_s is a label different from z_{s−2}; then

    ctc_loss = −logsumexp(α_{T−1}(S − 1), α_{T−1}(S − 2))     (Graves et al., 2006)

It is built from gathers, ``LogSumExp`` and additions, so its gradient comes from the chain
rule (the α-β recursion of the paper, derived automatically). −∞ is a large negative number
(−1e30) so no NaN appears in the gradient.
"""
from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from .elementwise import Add, Neg, Where
from .indexing import GetItem
from .keras_base import constant, float_tensor, tensor
from .reduce import LogSumExp
from .shape_ops import Concatenate, Stack
from .softmax_ops import LogSoftmax

_NEG = -1e30


def _one_sequence(log_probs: Tensor, labels: np.ndarray, blank: int) -> Tensor:
    steps = log_probs.shape[0]
    z = np.full(2 * len(labels) + 1, blank, dtype=np.int64)
    z[1::2] = labels
    size = len(z)
    emissions = GetItem.apply(log_probs, index=(slice(None), z))                      # (T, S)
    skip_ok = np.zeros(size, dtype=bool)
    skip_ok[2:] = (z[2:] != blank) & (z[2:] != z[:-2])
    pad1 = constant(np.full(1, _NEG, dtype=log_probs.dtype))
    pad2 = constant(np.full(2, _NEG, dtype=log_probs.dtype))
    floor = constant(np.full(size, _NEG, dtype=log_probs.dtype))
    start = np.arange(size) < 2
    alpha = Where.apply(GetItem.apply(emissions, index=0), floor, condition=start)
    for t in range(1, steps):
        shift1 = Concatenate.apply(pad1, GetItem.apply(alpha, index=slice(None, -1)), axis=0)
        shift2 = Concatenate.apply(pad2, GetItem.apply(alpha, index=slice(None, -2)), axis=0) if size > 2 else floor
        shift2 = Where.apply(shift2, floor, condition=skip_ok)
        paths = LogSumExp.apply(Stack.apply(alpha, shift1, shift2, axis=0), axis=0)
        alpha = Add.apply(paths, GetItem.apply(emissions, index=t))
    ends = GetItem.apply(alpha, index=slice(max(size - 2, 0), size))
    return Neg.apply(LogSumExp.apply(ends, axis=0))


def ctc_loss(target, output, target_length, output_length, mask_index=0) -> Tensor:
    """The CTC loss per batch element.

    Args:
        target: (batch, max_label_length) integer labels.
        output: (batch, max_time, classes) unnormalised scores (logits).
        target_length: (batch,) the number of labels of each row.
        output_length: (batch,) the number of frames of each row.
        mask_index: the class used as the blank.

    Returns:
        (batch,) negative log-likelihoods.
    """
    logits = float_tensor(output)
    labels = np.asarray(tensor(target).data).astype(np.int64)
    label_lengths = np.asarray(tensor(target_length).data).astype(np.int64).reshape(-1)
    frame_lengths = np.asarray(tensor(output_length).data).astype(np.int64).reshape(-1)
    if logits.ndim != 3 or labels.ndim != 2 or labels.shape[0] != logits.shape[0]:
        raise ValueError(f"ctc_loss: expects output (batch, time, classes) and target (batch, labels), "
                         f"got {logits.shape} and {labels.shape}")
    log_probs = LogSoftmax.apply(logits, axis=-1)
    losses = []
    for b in range(logits.shape[0]):
        frames = GetItem.apply(log_probs, index=(b, slice(0, int(frame_lengths[b]))))
        losses.append(_one_sequence(frames, labels[b, :label_lengths[b]], int(mask_index)))
    return Stack.apply(*losses, axis=0)


def ctc_decode(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1, merge_repeated=True,
               mask_index=0):
    """Best-path decoding: the argmax class of each frame, repeats merged, blanks dropped.

    Returns ``(decoded, scores)`` as Keras does: decoded (1, batch, max_time) int32 labels
    left-aligned and padded with −1; scores (batch, 1) = −Σ_t max_c inputs[t, c].
    Only ``strategy="greedy"`` is provided (glassnet has no beam search decoder).
    """
    if strategy != "greedy":
        raise ValueError(f"ctc_decode: strategy {strategy!r} is not available in glassnet; use 'greedy'")
    scores = float_tensor(inputs).data
    lengths = np.asarray(tensor(sequence_lengths).data).astype(np.int64).reshape(-1)
    batch, max_time, _ = scores.shape
    best = scores.argmax(-1)
    outside = np.arange(max_time)[None, :] >= lengths[:, None]
    best = np.where(outside, mask_index, best)
    total = -np.where(outside, 0.0, scores.max(-1)).sum(axis=1, keepdims=True)
    if merge_repeated:
        repeat = np.zeros_like(outside)
        repeat[:, 1:] = best[:, 1:] == best[:, :-1]
        best = np.where(repeat, mask_index, best)
    decoded = np.full((batch, max_time), -1, dtype=np.int32)
    for b in range(batch):
        kept = best[b][best[b] != mask_index]
        decoded[b, :len(kept)] = kept
    return constant(decoded[None]), constant(total.astype(scores.dtype))


__all__ = ["ctc_loss", "ctc_decode"]

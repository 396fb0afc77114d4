"""What the three attention layers share: reading masks, combining them as Keras does, the causal
mask, and dropout on the attention weights.

A mask is a boolean (batch, T) array, True where a step is real (``Embedding(mask_zero=True)``
and ``Masking`` make them; they travel on a Tensor as ``_keras_mask``). Attention needs a mask
over (query i, key j) pairs, (batch, Tq, Tk), made by AND-ing (Keras's
``MultiHeadAttention._compute_attention_mask``)::

    query mask (B, Tq)  →  (B, Tq, 1)      a padded query attends to nothing
    value mask (B, Tk)  →  (B, 1, Tk)      nobody attends to a padded key
    key mask   (B, Tk)  →  (B, 1, Tk)
    causal              →  (1, Tq, Tk)     M_ij = [j ≤ i]: no look at the future
    attention_mask (B, Tq, Tk) as given

    M = all of the above that are present, AND-ed (broadcast); None when none is.
"""
from __future__ import annotations

import numbers

import numpy as np

from ... import backend, ops
from ...tensor import Tensor


def check_dropout(owner: str, dropout) -> float:
    """The dropout rate as a float in [0, 1), or a ValueError naming ``owner``."""
    if isinstance(dropout, bool) or not isinstance(dropout, numbers.Real) or not 0 <= dropout < 1:
        raise ValueError(f"{owner}: dropout must be a number in [0, 1), got {dropout!r}")
    return float(dropout)


def as_mask(owner: str, name: str, mask, expected_shape) -> np.ndarray | None:
    """``mask`` (array or Tensor, bool or 0/1) as a boolean array of ``expected_shape``, or None.

    Raises:
        ValueError: naming the argument, when the shape is not ``expected_shape``.
    """
    if mask is None:
        return None
    array = np.asarray(mask.data if isinstance(mask, Tensor) else mask)
    if array.shape != tuple(expected_shape):
        raise ValueError(f"{owner}: {name} must have shape {tuple(expected_shape)} (batch, time) to match its "
                         f"input, got shape {array.shape}")
    return array if array.dtype == bool else array > 0.5


def causal_mask(Tq: int, Tk: int) -> np.ndarray:
    """(1, Tq, Tk) lower triangle: query i may attend to keys j ≤ i (Keras's row ≥ column rule)."""
    return np.tril(np.ones((Tq, Tk), dtype=bool))[None]


def combine_masks(query_mask=None, value_mask=None, key_mask=None, attention_mask=None, causal=None):
    """M = query_mask[:, :, None] ∧ value_mask[:, None, :] ∧ key_mask[:, None, :] ∧ causal ∧
    attention_mask, each only if present (boolean arrays, already checked); None if none is."""
    parts = []
    if query_mask is not None:
        parts.append(query_mask[:, :, None])
    for mask in (value_mask, key_mask):
        if mask is not None:
            parts.append(mask[:, None, :])
    if causal is not None:
        parts.append(causal)
    if attention_mask is not None:
        parts.append(attention_mask)
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined = combined & part
    return combined


def dropout_mask(rate: float, generator, training, shape, dtype):
    """D = m / (1 − rate), m_ij ~ Bernoulli(1 − rate): the factor of inverted dropout on the
    attention weights (as Keras's ``backend.random.dropout``), or None outside training or for
    rate 0. ``generator`` None draws from ``backend.rng()``."""
    if not training or rate == 0:
        return None
    generator = generator or backend.rng()
    keep = generator.random(tuple(shape)) >= rate
    factor = keep.astype(dtype)
    factor *= 1.0 / (1.0 - rate)
    return factor


def apply_dropout(weights, factor) -> Tensor:
    """α ⊙ D (``dropout_mask``'s D), or α when there is no dropout."""
    return weights if factor is None else ops.mul(weights, factor)

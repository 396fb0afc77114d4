"""Dropout inside a recurrent cell: one mask per call of the RNN, the same at every step.

Dropping different units at every time step would make the recurrence forget at random;
Keras (after Gal & Ghahramani, 2016) draws each mask once per batch and reuses it for all
steps. With ``recurrent_dropout`` an LSTM (GRU) draws a separate mask for each of its 4 (3)
gates, for the input x_t and for the previous output o_{t−1} alike (Keras's
"implementation 1"); with ``dropout`` only, one input mask serves all gates.

    x̃_t = x_t ⊙ m / (1 − dropout),   õ_{t−1} = o_{t−1} ⊙ m' / (1 − recurrent_dropout)

Masks apply in training only. The ``RNN`` layer clears them at the start and end of each
call (``reset_dropout_mask``), so the next batch draws new ones.
"""
from __future__ import annotations

import numbers

from ... import backend, ops
from ..regularization.dropout import random_generator


def check_rate(owner: str, name: str, value) -> float:
    """A dropout rate as a float in [0, 1] (Keras clips silently; glassnet refuses nonsense)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value <= 1:
        raise ValueError(f"{owner}: {name} must be a number in [0, 1], got {value!r}")
    return float(value)


class DropoutRNNCell:
    """Mixin for a cell Layer with ``dropout``, ``recurrent_dropout`` and ``seed``.

    ``dropout_mask_count`` (None or the number of gates) says how many masks to draw.
    """

    dropout_mask_count = None

    def _set_dropout(self, dropout, recurrent_dropout, seed) -> None:
        owner = type(self).__name__
        self.dropout = check_rate(owner, "dropout", dropout)
        self.recurrent_dropout = check_rate(owner, "recurrent_dropout", recurrent_dropout)
        self.seed = seed
        self.seed_generator = random_generator(seed)
        self._dropout_mask = None
        self._recurrent_dropout_mask = None

    def _create_dropout_mask(self, step_input, rate):
        """m / (1 − rate) with m ~ Bernoulli(1 − rate), shaped like one step's input (a NumPy array)."""
        generator = self.seed_generator or backend.rng()

        def one():
            keep = generator.random(step_input.shape) >= rate
            return keep.astype(step_input.dtype) / (1.0 - rate)

        return one() if self.dropout_mask_count is None else [one() for _ in range(self.dropout_mask_count)]

    def get_dropout_mask(self, step_input):
        """The input mask(s) of this RNN call (drawn on first use), or None without dropout."""
        if self._dropout_mask is None and 0 < self.dropout < 1:
            self._dropout_mask = self._create_dropout_mask(step_input, self.dropout)
        return self._dropout_mask

    def get_recurrent_dropout_mask(self, step_input):
        if self._recurrent_dropout_mask is None and 0 < self.recurrent_dropout < 1:
            self._recurrent_dropout_mask = self._create_dropout_mask(step_input, self.recurrent_dropout)
        return self._recurrent_dropout_mask

    def reset_dropout_mask(self) -> None:
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self) -> None:
        self._recurrent_dropout_mask = None

    def _masks(self, x_t, o_prev, training):
        """(input masks, recurrent masks) for this step: None outside training."""
        if not training:
            return None, None
        return self.get_dropout_mask(x_t), self.get_recurrent_dropout_mask(o_prev)


def project(x, W, masks, gates: int):
    """x·W, where x is first multiplied by its dropout mask(s).

    ``masks`` is None (no dropout), one array (the same x̃ for every gate), or a list of one
    array per gate: then gate g's block of columns is (x ⊙ m_g)·W_g.
    """
    if masks is None:
        return ops.matmul(x, W)
    if not isinstance(masks, list):
        return ops.matmul(x * masks, W)
    blocks = ops.split(W, gates, axis=1)
    return ops.concatenate([ops.matmul(x * m, W_g) for m, W_g in zip(masks, blocks)], axis=1)


def gate_input(x, masks, gate: int):
    """x ⊙ m for one gate (or the shared mask, or x unchanged)."""
    if masks is None:
        return x
    return x * (masks[gate] if isinstance(masks, list) else masks)

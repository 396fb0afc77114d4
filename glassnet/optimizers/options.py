"""The options every Keras 3 optimizer takes: loss scaling, gradient accumulation, EMA.

All three are off by default, and then cost nothing: ``Optimizer.apply`` tests one
attribute per option and makes no extra pass over any array. When on, one ``apply`` call
does (Keras 3.15's order, ``keras/src/optimizers/base_optimizer.py``)::

    g ← g / s                                         (loss_scale_factor = s)
    if gradient_accumulation_steps = N:
        if (k + 1) mod N ≠ 0:   A ← A + g               (accumulate; no update)
        else:                   g ← (g + A) / N;  A ← 0;  then the update with g
    update (clip, weight decay, the optimizer's rule)
    if use_ema (momentum μ):
        μ_t ← 0 on the first optimizer step, else μ
        w̄ ← μ_t·w̄ + (1 − μ_t)·w                       (for every tracked variable)
        if ema_overwrite_frequency = F and (t + 1) mod F = 0:   w ← w̄
    k ← k + 1

k is the raw step counter (``optimizer._iterations``, what is saved, what a learning
rate schedule reads); t = k // N is the number of real updates (``optimizer.iterations``,
what the update rules use for their bias corrections and what the EMA counts). Without
accumulation the two are the same.

``scale_loss(loss)`` returns s·loss: a training step scales the loss before
backpropagating (so small float16 gradients do not underflow), and ``apply`` divides the
gradients by s again. ``finalize_variable_values(variables)`` puts w̄ into the variables
(``fit`` calls it at the end of training, as Keras does).
"""
from __future__ import annotations

import numbers

import numpy as np

from .checks import check_number


def check_options(owner: str, use_ema, ema_momentum, ema_overwrite_frequency, loss_scale_factor,
                  gradient_accumulation_steps) -> tuple:
    """Validate the Keras options (as Keras does: the EMA's settings only when ``use_ema``).

    Returns:
        ``(use_ema, ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps)``, normalised.

    Raises:
        ValueError: naming the argument, for a value Keras would refuse (or a non-number).
    """
    if not isinstance(use_ema, (bool, np.bool_)):
        raise ValueError(f"{owner}: argument `use_ema` must be True or False, got {use_ema!r}")
    if use_ema:
        ema_momentum = check_number(owner, "ema_momentum", ema_momentum, 0, 1)
        if ema_overwrite_frequency is not None and (
                not _is_int(ema_overwrite_frequency) or ema_overwrite_frequency < 1):
            raise ValueError(f"{owner}: argument `ema_overwrite_frequency` must be an integer >= 1 or None, got "
                             f"{ema_overwrite_frequency!r}")
    if ema_overwrite_frequency is not None and _is_int(ema_overwrite_frequency):
        ema_overwrite_frequency = int(ema_overwrite_frequency)
    if loss_scale_factor is not None:
        loss_scale_factor = check_number(owner, "loss_scale_factor", loss_scale_factor, 0, low_open=True)
    if gradient_accumulation_steps:
        if not _is_int(gradient_accumulation_steps) or gradient_accumulation_steps < 2:
            raise ValueError(f"{owner}: argument `gradient_accumulation_steps` must be an integer >= 2 or None, "
                             f"got {gradient_accumulation_steps!r}")
        gradient_accumulation_steps = int(gradient_accumulation_steps)
    return bool(use_ema), ema_momentum, ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def accumulate(grads: list, accumulators: list, all_accumulators: list, step: int, n: int):
    """One call of gradient accumulation; the averaged gradients on an update call, else None.

    Args:
        grads: this call's (unscaled) gradients.
        accumulators: A for each of those gradients' variables (updated in place).
        all_accumulators: every variable's A (all are reset after an update, as in Keras).
        step: the raw counter k before this call.
        n: N, the number of calls per update.
    """
    if (step + 1) % n:
        for g, total in zip(grads, accumulators):
            total += g                                          # A ← A + g
        return None
    averaged = [(g + total) / n for g, total in zip(grads, accumulators)]   # g ← (g + A) / N
    for total in all_accumulators:
        total.fill(0)                                           # A ← 0
    return averaged


def update_moving_average(averages: list, variables: list, momentum: float, first_step: bool) -> None:
    """``w̄ ← μ_t·w̄ + (1 − μ_t)·w`` for each (w̄, w), with μ_t = 0 on the first step (w̄ ← w)."""
    mu = 0.0 if first_step else momentum
    for average, variable in zip(averages, variables):
        w = variable.data
        average *= mu
        average += (1 - mu) * w


def overwrite_with_average(averages: list, variables: list) -> None:
    """``w ← w̄`` for each variable."""
    for average, variable in zip(averages, variables):
        variable.data[...] = average

"""Adagrad: a per-weight learning rate that shrinks with the gradients seen so far.

Algorithm (Keras 3; η = learning_rate, ε = epsilon)::

    Input: η, initial_accumulator_value s_0, ε, w_0, gradients g_t
    Initialise: s_dw ← s_0                            (sum of squared gradients)
    for t = 1, 2, ...:
        s_dw ← s_dw + g_t²
        w ← w − η·g_t / √(s_dw + ε)

Weights with large past gradients get small steps, rarely-updated weights big ones;
because s_dw only grows, the steps shrink for ever (RMSprop and Adadelta fix that).
Keras puts ε inside the root and starts s at 0.1; PyTorch uses
w ← w − η·g / (√s + ε) with s_0 = 0 and ε = 1e-10.
"""
from __future__ import annotations

import numpy as np

from .base import Optimizer, check_number


class Adagrad(Optimizer):
    """Adagrad optimizer.

    Args:
        learning_rate: η (float or schedule). Defaults to 0.001.
        initial_accumulator_value: s_0 ≥ 0, the starting value of the accumulators.
            Defaults to 0.1.
        epsilon: ε ≥ 0, added inside the square root. Defaults to 1e-7.
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: see ``Optimizer``.

    Raises:
        ValueError: for a negative ``initial_accumulator_value``, ``epsilon`` or
            ``learning_rate``.
    """

    _default_name = "adagrad"

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, name=None, **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.initial_accumulator_value = check_number("Adagrad", "initial_accumulator_value",
                                                      initial_accumulator_value, 0)
        self.epsilon = check_number("Adagrad", "epsilon", epsilon, 0)

    def slot_names(self) -> tuple:
        return ("s",)

    def create_slots(self, w):
        return {"s": np.full_like(w, self.initial_accumulator_value)}

    def update_step(self, g, w, lr, slots, tmp):
        s_dw, step = slots["s"], tmp[0]
        np.multiply(g, g, out=step)
        s_dw += step                                # s_dw ← s_dw + g²
        np.add(s_dw, self.epsilon, out=step)
        np.sqrt(step, out=step)
        np.divide(g, step, out=step)
        step *= lr
        w -= step                                   # w ← w − η·g / √(s_dw + ε)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"initial_accumulator_value": self.initial_accumulator_value, "epsilon": self.epsilon})
        return config

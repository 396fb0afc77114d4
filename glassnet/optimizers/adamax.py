"""Adamax: Adam with the infinity norm in place of the second moment.

Algorithm (Kingma & Ba, 2014, §7.1, as Keras 3; η = learning_rate)::

    Input: η, β1, β2, ε, w_0, gradients g_t
    Initialise: m ← 0   (first moment)
                u ← 0   (exponentially weighted infinity norm)
    for t = 1, 2, ...:
        m ← β1·m + (1 − β1)·g_t
        u ← max(β2·u, |g_t|)
        w ← w − η·m / ((1 − β1^t)·(u + ε))          (m̂ = m/(1 − β1^t); u needs no correction)

PyTorch has the same rule but takes max(β2·u, |g| + ε) and divides by u alone, with
η = 2e-3 and ε = 1e-8.
"""
from __future__ import annotations

import numpy as np

from .base import Optimizer, check_number


class Adamax(Optimizer):
    """Adamax optimizer.

    Args:
        learning_rate: η (float or schedule). Defaults to 0.001.
        beta_1: β1 in [0, 1), the decay of the first moment. Defaults to 0.9.
        beta_2: β2 in [0, 1), the decay of the infinity norm. Defaults to 0.999.
        epsilon: ε ≥ 0. Defaults to 1e-7.
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: see ``Optimizer``.

    Raises:
        ValueError: if ``beta_1``/``beta_2`` is outside [0, 1) or ``epsilon``/``learning_rate``
            is negative.
    """

    _default_name = "adamax"

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, name=None, **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.beta_1 = check_number("Adamax", "beta_1", beta_1, 0, 1, high_open=True)
        self.beta_2 = check_number("Adamax", "beta_2", beta_2, 0, 1, high_open=True)
        self.epsilon = check_number("Adamax", "epsilon", epsilon, 0)

    def slot_names(self) -> tuple:
        return ("m", "u")

    def update_step(self, g, w, lr, slots, tmp):
        beta_1, step = self.beta_1, tmp[0]
        m, u = slots["m"], slots["u"]
        t = self.iterations + 1
        np.subtract(g, m, out=step)
        step *= 1 - beta_1
        m += step                                   # m ← β1·m + (1 − β1)·g
        u *= self.beta_2
        np.abs(g, out=step)
        np.maximum(u, step, out=u)                  # u ← max(β2·u, |g|)
        np.add(u, self.epsilon, out=step)
        np.divide(m, step, out=step)
        step *= lr / (1 - beta_1**t)
        w -= step                                   # w ← w − η·m / ((1 − β1^t)·(u + ε))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config

"""Lamb: Adam's step, rescaled per variable by the trust ratio ‖w‖ / ‖step‖ (You et al., 2020).

Algorithm (Keras 3; η = learning_rate)::

    Input: η, β1, β2, ε, w_0, gradients g_t
    Initialise: m ← 0, v ← 0
    for t = 1, 2, ...:
        m ← β1·m + (1 − β1)·g_t
        v ← β2·v + (1 − β2)·g_t²
        m_hat ← m / (1 − β1^t)
        v_hat ← v / (1 − β2^t)
        r ← m_hat / (√v_hat + ε)                     (Adam's step direction)
        ratio ← ‖w‖ / ‖r‖  if ‖w‖ > 0 and ‖r‖ > 0, else 1      (norms of the whole variable)
        w ← w − η·ratio·r

Every variable (layer) moves by about η·‖w‖ per step whatever the scale of its
gradients, which lets large-batch training use large η. Weight decay, when set, is the
shared decoupled ``w ← w − η·λ·w`` before the step (Keras's; the paper adds λ·w to r).
"""
from __future__ import annotations

import math

import numpy as np

from .base import Optimizer, check_number


class Lamb(Optimizer):
    """Lamb optimizer.

    Args:
        learning_rate: η (float or schedule). Defaults to 0.001.
        beta_1: β1 in [0, 1), the decay of the first moment. Defaults to 0.9.
        beta_2: β2 in [0, 1), the decay of the second moment. Defaults to 0.999.
        epsilon: ε ≥ 0. Defaults to 1e-7.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
        ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name:
            see ``Optimizer``.

    Raises:
        ValueError: if ``beta_1``/``beta_2`` is outside [0, 1) or ``epsilon`` is negative.
    """

    _default_name = "lamb"
    n_scratch = 2
    elementwise = False          # the trust ratio needs the norms of the whole variable

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, name=None, **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.beta_1 = check_number("Lamb", "beta_1", beta_1, 0, 1, high_open=True)
        self.beta_2 = check_number("Lamb", "beta_2", beta_2, 0, 1, high_open=True)
        self.epsilon = check_number("Lamb", "epsilon", epsilon, 0)

    def slot_names(self) -> tuple:
        return ("m", "v")

    def update_step(self, g, w, lr, slots, tmp):
        beta_1, beta_2 = self.beta_1, self.beta_2
        m, v = slots["m"], slots["v"]
        r, work = tmp
        t = self.iterations + 1
        np.subtract(g, m, out=work)
        work *= 1 - beta_1
        m += work                                   # m ← β1·m + (1 − β1)·g
        np.multiply(g, g, out=work)
        work -= v
        work *= 1 - beta_2
        v += work                                   # v ← β2·v + (1 − β2)·g²
        np.divide(v, 1.0 - beta_2**t, out=work)
        np.sqrt(work, out=work)
        work += self.epsilon                        # √v_hat + ε
        np.divide(m, 1.0 - beta_1**t, out=r)        # m_hat
        r /= work                                   # r ← m_hat / (√v_hat + ε)
        w_norm = math.sqrt(float(np.sum(w * w)))
        r_norm = math.sqrt(float(np.sum(r * r)))
        ratio = w_norm / r_norm if w_norm > 0 and r_norm > 0 else 1.0
        r *= ratio * lr
        w -= r                                      # w ← w − η·ratio·r

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config

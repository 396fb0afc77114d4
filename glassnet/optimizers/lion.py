"""Lion: EvoLved Sign Momentum (Chen et al., 2023). Only the sign of the step is used.

Algorithm (Keras 3; η = learning_rate)::

    Input: η, β1, β2, w_0, gradients g_t
    Initialise: m ← 0                                 (momentum)
    for t = 1, 2, ...:
        c ← β1·m + (1 − β1)·g_t                       (interpolate momentum and gradient)
        w ← w − η·sign(c)                             (every weight moves by exactly ±η or 0)
        m ← β2·m + (1 − β2)·g_t                       (then update the momentum, with β2)

Only one slot (m), no division and no ε. Because every step has size η, Lion's η is
typically 3–10× smaller than AdamW's (and its weight decay 3–10× larger). PyTorch has
no built-in Lion.
"""
from __future__ import annotations

import numpy as np

from .base import Optimizer, check_number


class Lion(Optimizer):
    """Lion optimizer.

    Args:
        learning_rate: η (float or schedule). Defaults to 0.001.
        beta_1: β1 in (0, 1], the interpolation for the step (as Keras: 0 would make
            Lion signSGD). Defaults to 0.9.
        beta_2: β2 in [0, 1), the decay of the momentum. Defaults to 0.99.
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: see ``Optimizer``.

    Raises:
        ValueError: if ``beta_1`` is outside (0, 1], ``beta_2`` outside [0, 1), or the
            learning rate is negative.
    """

    _default_name = "lion"
    n_scratch = 2

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, weight_decay=None, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, name=None, **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.beta_1 = check_number("Lion", "beta_1", beta_1, 0, 1, low_open=True)
        self.beta_2 = check_number("Lion", "beta_2", beta_2, 0, 1, high_open=True)

    def slot_names(self) -> tuple:
        return ("m",)

    def update_step(self, g, w, lr, slots, tmp):
        beta_1, beta_2 = self.beta_1, self.beta_2
        m = slots["m"]
        c, work = tmp
        np.multiply(m, beta_1, out=c)
        np.multiply(g, 1 - beta_1, out=work)
        c += work                                   # c ← β1·m + (1 − β1)·g
        np.sign(c, out=c)
        c *= lr
        w -= c                                      # w ← w − η·sign(c)
        m *= beta_2
        np.multiply(g, 1 - beta_2, out=work)
        m += work                                   # m ← β2·m + (1 − β2)·g

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2})
        return config

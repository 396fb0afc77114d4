"""Nadam: Adam with Nesterov momentum (Dozat, 2016), with Keras 3's momentum schedule.

Algorithm (Keras 3; η = learning_rate)::

    Input: η, β1, β2, ε, w_0, gradients g_t
    Initialise: m ← 0, v ← 0, Π ← 1                 (Π is the running product of the μ's)
    μ_t = β1·(1 − ½·0.96^t)                          (a warming-up momentum, Keras's u_t; exponent t)
    for t = 1, 2, ...:
        Π_t ← Π_{t−1}·μ_t                             (once per step, shared by all weights)
        m ← β1·m + (1 − β1)·g_t
        v ← β2·v + (1 − β2)·g_t²
        m̂ ← μ_{t+1}·m / (1 − Π_t·μ_{t+1}) + (1 − μ_t)·g_t / (1 − Π_t)
        v̂ ← v / (1 − β2^t)
        w ← w − η·m̂ / (√v̂ + ε)

m̂ looks one step ahead: the momentum part is corrected with next step's μ_{t+1}, the
gradient part with this step's μ_t. PyTorch uses 0.96^(0.004·t) ("momentum_decay"
= 0.004), η = 2e-3 and ε = 1e-8.
"""
from __future__ import annotations

import numpy as np

from .base import Optimizer, check_number


class Nadam(Optimizer):
    """Nadam optimizer.

    Args:
        learning_rate: η (float or schedule). Defaults to 0.001.
        beta_1: β1 in [0, 1). Defaults to 0.9.
        beta_2: β2 in [0, 1). Defaults to 0.999.
        epsilon: ε ≥ 0 ("epsilon hat"). Defaults to 1e-7.
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: see ``Optimizer``.

    Raises:
        ValueError: if ``beta_1``/``beta_2`` is outside [0, 1) or ``epsilon``/``learning_rate``
            is negative.
    """

    _default_name = "nadam"
    n_scratch = 2

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, name=None, **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.beta_1 = check_number("Nadam", "beta_1", beta_1, 0, 1, high_open=True)
        self.beta_2 = check_number("Nadam", "beta_2", beta_2, 0, 1, high_open=True)
        self.epsilon = check_number("Nadam", "epsilon", epsilon, 0)
        self.u_product = 1.0

    def _mu(self, t: int) -> float:
        return self.beta_1 * (1.0 - 0.5 * 0.96**t)

    def slot_names(self) -> tuple:
        return ("m", "v")

    def prepare_step(self, lr):
        self.u_product *= self._mu(self.iterations + 1)        # Π_t ← Π_{t−1}·μ_t

    def global_state(self) -> list:
        return [np.array(self.u_product, dtype=np.float64)]

    def set_global_state(self, arrays):
        self.u_product = float(arrays[0])

    def update_step(self, g, w, lr, slots, tmp):
        beta_1, beta_2 = self.beta_1, self.beta_2
        m, v = slots["m"], slots["v"]
        m_hat, v_hat = tmp
        t = self.iterations + 1
        mu_t, mu_next, product = self._mu(t), self._mu(t + 1), self.u_product
        np.subtract(g, m, out=m_hat)
        m_hat *= 1 - beta_1
        m += m_hat                                  # m ← β1·m + (1 − β1)·g
        np.multiply(g, g, out=v_hat)
        v_hat -= v
        v_hat *= 1 - beta_2
        v += v_hat                                  # v ← β2·v + (1 − β2)·g²
        np.multiply(m, mu_next / (1 - product * mu_next), out=m_hat)
        np.multiply(g, (1 - mu_t) / (1 - product), out=v_hat)
        m_hat += v_hat                              # m̂ ← μ_{t+1}·m/(1 − Π_t·μ_{t+1}) + (1 − μ_t)·g/(1 − Π_t)
        np.divide(v, 1 - beta_2**t, out=v_hat)      # v̂ ← v / (1 − β2^t)
        np.sqrt(v_hat, out=v_hat)
        v_hat += self.epsilon
        m_hat /= v_hat
        m_hat *= lr
        w -= m_hat                                  # w ← w − η·m̂ / (√v̂ + ε)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config

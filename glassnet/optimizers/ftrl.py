"""FTRL-Proximal: "Follow The (Proximally) Regularized Leader" (McMahan et al., 2013).

Algorithm (Keras 3; η = learning_rate, p = learning_rate_power ≤ 0, λ1, λ2 the L1/L2
strengths, λ2s the L2 shrinkage strength)::

    Input: η, p, n_0, λ1, λ2, λ2s, β, w_0, gradients g_t
    Initialise: n ← n_0                                (accumulated squared gradients)
                z ← 0                                  (the "linear" accumulator)
    λ2' ← λ2 + β / (2η)
    for t = 1, 2, ...:
        ĝ ← g_t + 2·λ2s·w                              (the shrinkage-regularised gradient)
        n' ← n + g_t²
        z ← z + ĝ − ((n'^(−p) − n^(−p)) / η)·w
        q ← n'^(−p) / η + 2·λ2'
        w ← (clip(z, −λ1, λ1) − z) / q                 (0 wherever |z| ≤ λ1: sparse weights)
        n ← n'

With p = −½ the per-weight rate is η/√n as in Adagrad; the L1 term sets every weight
whose |z| stays below λ1 to exactly zero, which is why FTRL trains sparse linear models
(click-through prediction).
"""
from __future__ import annotations

import numpy as np

from .base import Optimizer, check_number


class Ftrl(Optimizer):
    """FTRL optimizer.

    Args:
        learning_rate: η > 0 (float or schedule). Defaults to 0.001.
        learning_rate_power: p ≤ 0; the rate decays as n^p. Defaults to −0.5.
        initial_accumulator_value: n_0 ≥ 0. Defaults to 0.1.
        l1_regularization_strength: λ1 ≥ 0. Defaults to 0.0.
        l2_regularization_strength: λ2 ≥ 0. Defaults to 0.0.
        l2_shrinkage_regularization_strength: λ2s ≥ 0, an L2 penalty in the gradient
            (it shrinks the weights, unlike λ2, which stabilises). Defaults to 0.0.
        beta: β ≥ 0, added as β/(2η) to λ2. Defaults to 0.0.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
        ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name:
            see ``Optimizer``.

    Raises:
        ValueError: for a positive ``learning_rate_power`` or a negative accumulator
            value or strength (as Keras).
    """

    _default_name = "ftrl"
    n_scratch = 3

    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 l2_shrinkage_regularization_strength=0.0, beta=0.0, weight_decay=None, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, name=None, **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.learning_rate_power = check_number("Ftrl", "learning_rate_power", learning_rate_power, high=0)
        self.initial_accumulator_value = check_number("Ftrl", "initial_accumulator_value",
                                                      initial_accumulator_value, 0)
        self.l1_regularization_strength = check_number("Ftrl", "l1_regularization_strength",
                                                       l1_regularization_strength, 0)
        self.l2_regularization_strength = check_number("Ftrl", "l2_regularization_strength",
                                                       l2_regularization_strength, 0)
        self.l2_shrinkage_regularization_strength = check_number(
            "Ftrl", "l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength, 0)
        self.beta = check_number("Ftrl", "beta", beta, 0)

    def slot_names(self) -> tuple:
        return ("accumulator", "linear")

    def create_slots(self, w):
        return {"accumulator": np.full_like(w, self.initial_accumulator_value), "linear": np.zeros_like(w)}

    def update_step(self, g, w, lr, slots, tmp):
        n, z = slots["accumulator"], slots["linear"]
        minus_p = -self.learning_rate_power
        l1 = self.l1_regularization_strength
        l2 = self.l2_regularization_strength + self.beta / (2.0 * lr)              # λ2'
        n_new, n_power, work = tmp
        np.multiply(g, g, out=n_new)
        n_new += n                                                                  # n' ← n + g²
        np.power(n_new, minus_p, out=work)
        np.power(n, minus_p, out=n_power)
        np.subtract(work, n_power, out=n_power)
        n_power /= lr
        n_power *= w                                                                # ((n'^−p − n^−p) / η)·w
        np.multiply(w, 2 * self.l2_shrinkage_regularization_strength, out=work)
        work += g                                                                   # ĝ ← g + 2·λ2s·w
        work -= n_power
        z += work                                                                   # z ← z + ĝ − (…)·w
        np.power(n_new, minus_p, out=work)
        work /= lr
        work += 2 * l2                                                              # q ← n'^−p / η + 2·λ2'
        np.clip(z, -l1, l1, out=n_power)
        n_power -= z
        np.divide(n_power, work, out=w)                                             # w ← (clip(z) − z) / q
        n[...] = n_new                                                              # n ← n'

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"learning_rate_power": self.learning_rate_power,
                       "initial_accumulator_value": self.initial_accumulator_value,
                       "l1_regularization_strength": self.l1_regularization_strength,
                       "l2_regularization_strength": self.l2_regularization_strength,
                       "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
                       "beta": self.beta})
        return config

"""Adadelta: Adagrad with a moving window, and steps in the units of w.

Algorithm (Keras 3; η = learning_rate, ρ = rho, ε = epsilon)::

    Input: η, ρ, ε, w_0, gradients g_t
    Initialise: s_dw ← 0     (running average of g², Zeiler's E[g²])
                d_dw ← 0     (running average of Δw², Zeiler's E[Δw²])
    for t = 1, 2, ...:
        s_dw ← ρ·s_dw + (1 − ρ)·g_t²
        Δw   ← −√(d_dw + ε) / √(s_dw + ε) · g_t
        d_dw ← ρ·d_dw + (1 − ρ)·Δw²
        w    ← w + η·Δw

The ratio RMS[Δw] / RMS[g] gives the step the units of w, so the original method
(Zeiler, 2012) needs no learning rate: it is η = 1. Keras keeps η (default 0.001, so
set 1.0 to match the paper); PyTorch's defaults are η = 1.0, ρ = 0.9, ε = 1e-6.
"""
from __future__ import annotations

import numpy as np

from .base import Optimizer, check_number


class Adadelta(Optimizer):
    """Adadelta optimizer.

    Args:
        learning_rate: η (float or schedule). Defaults to 0.001.
        rho: ρ in [0, 1), the decay rate of both running averages. Defaults to 0.95.
        epsilon: ε ≥ 0. Defaults to 1e-7.
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: see ``Optimizer``.

    Raises:
        ValueError: if ``rho`` is outside [0, 1) or ``epsilon``/``learning_rate`` is negative.
    """

    _default_name = "adadelta"
    n_scratch = 2

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, weight_decay=None, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, name=None, **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.rho = check_number("Adadelta", "rho", rho, 0, 1, high_open=True)
        self.epsilon = check_number("Adadelta", "epsilon", epsilon, 0)

    def slot_names(self) -> tuple:
        return ("s", "d")

    def update_step(self, g, w, lr, slots, tmp):
        rho, epsilon = self.rho, self.epsilon
        s_dw, d_dw = slots["s"], slots["d"]
        delta_w, work = tmp
        np.multiply(g, g, out=work)
        work *= 1 - rho
        s_dw *= rho
        s_dw += work                                # s_dw ← ρ·s_dw + (1 − ρ)·g²
        np.add(d_dw, epsilon, out=delta_w)
        np.sqrt(delta_w, out=delta_w)
        delta_w *= g
        np.add(s_dw, epsilon, out=work)
        np.sqrt(work, out=work)
        delta_w /= work
        np.negative(delta_w, out=delta_w)           # Δw ← −√(d_dw + ε)/√(s_dw + ε)·g
        np.multiply(delta_w, delta_w, out=work)
        work *= 1 - rho
        d_dw *= rho
        d_dw += work                                # d_dw ← ρ·d_dw + (1 − ρ)·Δw²
        delta_w *= lr
        w += delta_w                                # w ← w + η·Δw

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"rho": self.rho, "epsilon": self.epsilon})
        return config

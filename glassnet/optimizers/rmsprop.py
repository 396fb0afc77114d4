"""RMSprop: divide the gradient by a running root-mean-square of recent gradients.

Algorithm (Keras 3; η = learning_rate, ρ = rho, γ = momentum, ε = epsilon)::

    Input: η, ρ, γ, ε, centered, w_0, gradients g_t
    Initialise: s_dw ← 0   (running average of g²)
                ḡ ← 0      (running average of g; only if centered)
                m ← 0      (momentum buffer; only if γ > 0)
    for t = 1, 2, ...:
        s_dw ← ρ·s_dw + (1 − ρ)·g_t²
        if centered:  ḡ ← ρ·ḡ + (1 − ρ)·g_t
                      step ← η·g_t / √(s_dw − ḡ² + ε)       (divide by the std of g)
        else:         step ← η·g_t / √(s_dw + ε)
        if γ > 0:     m ← γ·m + step
                      w ← w − m
        else:         w ← w − step

Keras puts ε inside the root and uses ρ = 0.9; PyTorch divides by (√s_dw + ε), with
ε = 1e-8 and ρ ("alpha") = 0.99, and keeps m ← γ·m + g/(√s_dw + ε), w ← w − η·m
(the same steps for a constant η).
"""
from __future__ import annotations

import numpy as np

from .base import Optimizer, check_number


class RMSprop(Optimizer):
    """RMSprop optimizer.

    Args:
        learning_rate: η (float or schedule). Defaults to 0.001.
        rho: ρ in [0, 1), the decay of the running average of g². Defaults to 0.9.
        momentum: γ ≥ 0. Defaults to 0.0.
        epsilon: ε ≥ 0, inside the square root. Defaults to 1e-7.
        centered: normalise by the estimated variance of g instead of its second
            moment. Defaults to False.
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: see ``Optimizer``.

    Raises:
        ValueError: if ``rho`` is outside [0, 1), or ``momentum``, ``epsilon`` or
            ``learning_rate`` is negative.
    """

    _default_name = "rmsprop"

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, name=None, **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.rho = check_number("RMSprop", "rho", rho, 0, 1, high_open=True)
        self.momentum = check_number("RMSprop", "momentum", momentum, 0)
        self.epsilon = check_number("RMSprop", "epsilon", epsilon, 0)
        self.centered = bool(centered)

    def slot_names(self) -> tuple:
        return ("s",) + (("m",) if self.momentum > 0 else ()) + (("g_bar",) if self.centered else ())

    def update_step(self, g, w, lr, slots, tmp):
        rho, step = self.rho, tmp[0]
        s_dw = slots["s"]
        np.multiply(g, g, out=step)
        step *= 1 - rho
        s_dw *= rho
        s_dw += step                                # s_dw ← ρ·s_dw + (1 − ρ)·g²
        if self.centered:
            g_bar = slots["g_bar"]
            np.multiply(g, 1 - rho, out=step)
            g_bar *= rho
            g_bar += step                           # ḡ ← ρ·ḡ + (1 − ρ)·g
            np.multiply(g_bar, g_bar, out=step)
            np.subtract(s_dw, step, out=step)
            step += self.epsilon                    # s_dw − ḡ² + ε
        else:
            np.add(s_dw, self.epsilon, out=step)    # s_dw + ε
        np.sqrt(step, out=step)
        np.divide(g, step, out=step)
        step *= lr                                  # step ← η·g / √(...)
        if self.momentum > 0:
            m = slots["m"]
            m *= self.momentum
            m += step                               # m ← γ·m + step
            w -= m                                  # w ← w − m
        else:
            w -= step                               # w ← w − step

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"rho": self.rho, "momentum": self.momentum, "epsilon": self.epsilon,
                       "centered": self.centered})
        return config

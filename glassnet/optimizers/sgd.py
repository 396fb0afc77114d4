"""Stochastic gradient descent, with optional (Nesterov) momentum.

Batch, mini-batch and stochastic gradient descent are one optimizer. They differ only
in how many examples the gradient g is averaged over before each update:

    batch GD        B = N   one update per epoch, the exact gradient of the loss
    mini-batch GD   B = 32  (say) N/B updates per epoch, a cheap noisy estimate
    stochastic GD   B = 1   N updates per epoch, the noisiest estimate

so ``SGD`` is all three; the batch size (``model.fit(batch_size=...)``, or your own
loop) chooses which. ``examples/gradient_descent_variants.py`` runs the three.

Algorithm (Keras 3; η = learning_rate, γ = momentum)::

    Input: η, γ, nesterov, w_0, gradients g_t
    Initialise: v_dw ← 0                              (the velocity)
    for t = 1, 2, ...:
        if γ = 0:
            w ← w − η·g_t
        else:
            v_dw ← γ·v_dw − η·g_t
            if nesterov:  w ← w + γ·v_dw − η·g_t      (look ahead along the new velocity)
            else:         w ← w + v_dw

PyTorch keeps b ← γ·b + g and steps w ← w − η·b: the same steps for a constant η
(v_dw = −η·b). The course's form, v_dw ← β·v_dw + (1 − β)·dw, w ← w − α·v_dw (an
exponentially weighted average), gives the same steps with γ = β and η = α·(1 − β).
"""
from __future__ import annotations

import numpy as np

from .base import Optimizer, check_number


class SGD(Optimizer):
    """Gradient descent (with momentum) optimizer.

    Args:
        learning_rate: η (float or schedule). Defaults to 0.01.
        momentum: γ in [0, 1]; 0 is plain gradient descent. Defaults to 0.0.
        nesterov: use Nesterov momentum. Defaults to False.
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: see ``Optimizer``.

    Raises:
        ValueError: if ``momentum`` is outside [0, 1] or ``learning_rate`` is negative.
    """

    _default_name = "sgd"

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=None, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, name=None, **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.momentum = check_number("SGD", "momentum", momentum, 0, 1)
        if not (isinstance(nesterov, bool) or (isinstance(nesterov, int) and nesterov in (0, 1))):
            raise ValueError(f"SGD: nesterov must be True or False, got {nesterov!r}")
        self.nesterov = bool(nesterov)

    def slot_names(self) -> tuple:
        return ("v",) if self.momentum != 0 else ()

    def update_step(self, g, w, lr, slots, tmp):
        gamma, eta_g = self.momentum, tmp[0]
        np.multiply(g, lr, out=eta_g)               # η·g
        if gamma == 0:
            w -= eta_g                              # w ← w − η·g
            return
        v_dw = slots["v"]
        v_dw *= gamma
        v_dw -= eta_g                               # v_dw ← γ·v_dw − η·g
        if self.nesterov:
            w -= eta_g
            np.multiply(v_dw, gamma, out=tmp[0])
            w += tmp[0]                             # w ← w + γ·v_dw − η·g
        else:
            w += v_dw                               # w ← w + v_dw

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"momentum": self.momentum, "nesterov": self.nesterov})
        return config

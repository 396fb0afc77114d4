"""Adam: momentum (first moment) + RMSprop (second moment), both bias-corrected.

Algorithm (Kingma & Ba, 2014, in Keras 3's "ε-hat" form; η = learning_rate)::

    Input: η, β1, β2, ε, amsgrad, w_0, gradients g_t
    Initialise: m ← 0   (first moment, the course's v_dw)
                v ← 0   (second moment, the course's s_dw)
                v_max ← 0  (only if amsgrad)
    for t = 1, 2, ...:
        m ← β1·m + (1 − β1)·g_t
        v ← β2·v + (1 − β2)·g_t²
        if amsgrad:  v_max ← max(v_max, v);  v ← v_max   (for the step only)
        α ← η·√(1 − β2^t) / (1 − β1^t)                  (both bias corrections in one scalar)
        w ← w − α·m / (√v + ε)

ε here is Kingma & Ba's "ε-hat" (the formula just before their §2.1). It equals their
Algorithm 1, m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t), w ← w − η·m̂/(√v̂ + ε'), with
ε' = ε/√(1 − β2^t). PyTorch uses Algorithm 1 with a constant ε' = 1e-8 [Keras ε = 1e-7].
"""
from __future__ import annotations

import math

import numpy as np

from . import kernels
from .base import Optimizer, check_number


class Adam(Optimizer):
    """Adam optimizer.

    Args:
        learning_rate: η (float or schedule). Defaults to 0.001.
        beta_1: β1 in [0, 1), the decay of the first-moment average. Defaults to 0.9.
        beta_2: β2 in [0, 1), the decay of the second-moment average. Defaults to 0.999.
        epsilon: ε ≥ 0 ("epsilon hat", not bias-corrected). Defaults to 1e-7.
        amsgrad: use the maximum of all v so far (Reddi et al., 2018). Defaults to False.
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: see ``Optimizer``.

    Raises:
        ValueError: if ``beta_1``/``beta_2`` is outside [0, 1) or ``epsilon``/``learning_rate``
            is negative.
    """

    _default_name = "adam"

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None, name=None, **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
        owner = type(self).__name__
        self.beta_1 = check_number(owner, "beta_1", beta_1, 0, 1, high_open=True)
        self.beta_2 = check_number(owner, "beta_2", beta_2, 0, 1, high_open=True)
        self.epsilon = check_number(owner, "epsilon", epsilon, 0)
        if not (isinstance(amsgrad, (bool, np.bool_)) or (isinstance(amsgrad, int) and amsgrad in (0, 1))):
            raise ValueError(f"{owner}: amsgrad must be True or False, got {amsgrad!r}")
        self.amsgrad = bool(amsgrad)

    def slot_names(self) -> tuple:
        return ("m", "v", "v_max") if self.amsgrad else ("m", "v")

    def uses_kernel(self, w, slots) -> bool:
        return kernels.applies(w, *slots.values())

    def update_step(self, g, w, lr, slots, tmp):
        beta_1, beta_2 = self.beta_1, self.beta_2
        m, v = slots["m"], slots["v"]
        t = self.iterations + 1
        alpha = lr * math.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        if self.uses_kernel(w, slots):           # the same steps below, compiled into one pass (optional)
            kernels.adam(np.ascontiguousarray(g), w, m, v, slots.get("v_max"), alpha, beta_1, beta_2, self.epsilon)
            return
        step = tmp[0]
        np.subtract(g, m, out=step)
        step *= 1 - beta_1
        m += step                                   # m ← β1·m + (1 − β1)·g
        np.multiply(g, g, out=step)
        step -= v
        step *= 1 - beta_2
        v += step                                   # v ← β2·v + (1 − β2)·g²
        if self.amsgrad:
            v = np.maximum(slots["v_max"], v, out=slots["v_max"])   # v_max ← max(v_max, v)
        np.sqrt(v, out=step)
        step += self.epsilon
        np.divide(m, step, out=step)
        step *= alpha
        w -= step                                   # w ← w − α·m / (√v + ε)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon,
                       "amsgrad": self.amsgrad})
        return config

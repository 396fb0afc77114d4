"""Schedule-free AdamW: no learning-rate schedule needed, by interpolating and averaging (Defazio et al., 2024).

Algorithm (Keras 3.15; η = learning_rate; the model's weights are y)::

    Input: η, β1, β2, ε, warmup_steps, y_0, gradients g_t (taken at y)
    Initialise: z ← y_0          ("momentum": the plain AdamW-preconditioned SGD sequence)
                v ← 0            ("velocity": Adam's second moment)
    for t = 1, 2, ...:
        η_t ← η·min(t / warmup_steps, 1)                    (η when warmup_steps = 0)
        v ← β2·v + (1 − β2)·g_t²
        z' ← z − η_t·g_t / (√(v / (1 − β2^t)) + ε)          (an SGD step on z)
        x ← (y − (1 − β1)·z) / β1                            (recover the average x from y and the old z)
        x ← (1 − 1/t)·x + (1/t)·z'                           (x: the running mean of the z's)
        y ← (1 − β1)·z' + β1·x                               (gradients are taken at this point)
        z ← z'

x, the uniform average of the iterates, is what the schedule replaces: it gives the
decay a schedule would, with no end step to choose. The weights y interpolate between z
and x; x itself is not kept (it is recovered from y and z).

x is recovered from the z *before* this step's update, as the algorithm (and Keras's
own comment, "store momentum_old before any updates") says, and as Keras 3.15 computes
it on JAX. On its torch backend Keras's ``momentum_old`` is the same in-place buffer as
z, so it uses z' there; the parity test compares with Keras made to keep values (JAX's
semantics).
"""
from __future__ import annotations

import numpy as np

from .base import Optimizer, check_number


class ScheduleFreeAdamW(Optimizer):
    """Schedule-free AdamW optimizer.

    Args:
        learning_rate: η (float or schedule). Defaults to 0.0025.
        beta_1: β1 in (0, 1), the interpolation between z and x. Defaults to 0.9.
        beta_2: β2 in [0, 1), the decay of the second moment. Defaults to 0.999.
        epsilon: ε ≥ 0. Defaults to 1e-8.
        warmup_steps: the steps over which η rises linearly from η/warmup_steps to η
            (0: none). Defaults to 0.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
        ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name:
            see ``Optimizer``.

    Raises:
        ValueError: if ``beta_1`` is outside (0, 1), ``beta_2`` outside [0, 1), or
            ``epsilon``/``warmup_steps`` negative.
    """

    _default_name = "schedulefreeadamw"
    n_scratch = 3

    def __init__(self, learning_rate=0.0025, beta_1=0.9, beta_2=0.999, epsilon=1e-8, warmup_steps=0,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None, name=None, **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
        owner = "ScheduleFreeAdamW"
        self.beta_1 = check_number(owner, "beta_1", beta_1, 0, 1, low_open=True, high_open=True)
        self.beta_2 = check_number(owner, "beta_2", beta_2, 0, 1, high_open=True)
        self.epsilon = check_number(owner, "epsilon", epsilon, 0)
        if isinstance(warmup_steps, bool) or not isinstance(warmup_steps, int) or warmup_steps < 0:
            raise ValueError(f"{owner}: argument `warmup_steps` must be an int >= 0, got {warmup_steps!r}")
        self.warmup_steps = warmup_steps

    def slot_names(self) -> tuple:
        return ("z", "v")

    def create_slots(self, w):
        return {"z": w.copy(), "v": np.zeros_like(w)}

    def update_step(self, g, w, lr, slots, tmp):
        beta_1, beta_2 = self.beta_1, self.beta_2
        z, v = slots["z"], slots["v"]
        z_old, step, x = tmp
        t = self.iterations + 1
        if self.warmup_steps > 0:
            lr = lr * min(t / self.warmup_steps, 1.0)                # η_t
        z_old[...] = z
        np.multiply(g, g, out=step)
        step -= v
        step *= 1 - beta_2
        v += step                                                    # v ← β2·v + (1 − β2)·g²
        np.divide(v, 1 - beta_2**t, out=step)
        np.sqrt(step, out=step)
        step += self.epsilon
        np.divide(lr * g, step, out=step)
        z -= step                                                    # z' ← z − η_t·g / (√v̂ + ε)
        weight = 1.0 / t
        np.multiply(z_old, 1 - beta_1, out=x)
        np.subtract(w, x, out=x)
        x /= beta_1                                                  # x ← (y − (1 − β1)·z) / β1
        x *= 1 - weight
        x += weight * z                                              # x ← (1 − 1/t)·x + (1/t)·z'
        np.multiply(z, 1 - beta_1, out=w)
        w += beta_1 * x                                              # y ← (1 − β1)·z' + β1·x

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon,
                       "warmup_steps": self.warmup_steps})
        return config

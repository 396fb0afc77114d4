"""Adafactor: Adam's second moment stored factored, as row and column means (Shazeer & Stern, 2018).

Algorithm (Keras 3; η = learning_rate; RMS(x) = √mean(x²); for a variable of rank ≥ 2
the factoring is over its last two axes)::

    Input: η, β2_decay (< 0), ε1, ε2, d = clip_threshold, w_0, gradients g_t
    Initialise: R ← 0 (shape w.shape[:-1]),  C ← 0 (w.shape[:-2] + w.shape[-1:]),
                v ← 0 (shaped like w; for rank < 2, R and C are unused scalars)
    for t = 1, 2, ...:
        ρ_t ← min(η, 1/√t)                                     (relative step size)
        α_t ← max(ε2, RMS(w)) · ρ_t                            (scaled by the weights' size)
        G ← g_t² + ε1
        β2_t ← 1 − t^β2_decay
        if rank(w) ≥ 2:
            R ← β2_t·R + (1 − β2_t)·mean(G, axis=−1)           (row means)
            C ← β2_t·C + (1 − β2_t)·mean(G, axis=−2)           (column means)
            v ← (R / mean(R, axis=−1)) ⊗ C                     (rank-1 estimate of E[g²])
        else:
            v ← β2_t·v + (1 − β2_t)·G
        u ← g_t / √v
        û ← u / max(1, RMS(u) / d)                             (update clipping)
        w ← w − α_t·û

R and C hold n + m numbers for an n×m matrix instead of Adam's n·m; Keras (and so this
class) still keeps v itself as a slot, so the saving is in the statistics, not the
memory. There is no first moment (β1 = 0). ``relative_step`` is accepted and kept in
the config; in Keras 3.15 it changes nothing, since ρ_t already takes min(η, 1/√t).
"""
from __future__ import annotations

import math

import numpy as np

from .base import Optimizer, check_number


def _rms(x: np.ndarray) -> float:
    return math.sqrt(float(np.mean(np.square(x))))


class Adafactor(Optimizer):
    """Adafactor optimizer.

    Args:
        learning_rate: η (float or schedule). Defaults to 0.001.
        beta_2_decay: the exponent in β2_t = 1 − t^beta_2_decay (negative). Defaults to −0.8.
        epsilon_1: ε1 ≥ 0, added to g². Defaults to 1e-30.
        epsilon_2: ε2 ≥ 0, the smallest RMS(w) the step scales with. Defaults to 1e-3.
        clip_threshold: d > 0, the RMS above which the update is scaled down. Defaults to 1.0.
        relative_step: kept for Keras (see above). Defaults to True.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
        ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name:
            see ``Optimizer``.

    Raises:
        ValueError: for a non-numeric argument, a negative ``epsilon_1``/``epsilon_2`` or a
            ``clip_threshold`` that is not positive.
    """

    _default_name = "adafactor"
    elementwise = False          # RMS(w), RMS(u) and the row/column means need the whole variable

    def __init__(self, learning_rate=0.001, beta_2_decay=-0.8, epsilon_1=1e-30, epsilon_2=1e-3, clip_threshold=1.0,
                 relative_step=True, weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 name=None, **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.beta_2_decay = check_number("Adafactor", "beta_2_decay", beta_2_decay)
        self.epsilon_1 = check_number("Adafactor", "epsilon_1", epsilon_1, 0)
        self.epsilon_2 = check_number("Adafactor", "epsilon_2", epsilon_2, 0)
        self.clip_threshold = check_number("Adafactor", "clip_threshold", clip_threshold, 0, low_open=True)
        self.relative_step = bool(relative_step)

    def slot_names(self) -> tuple:
        return ("r", "c", "v")

    def create_slots(self, w):
        return {"r": np.zeros(self.slot_shape("r", w.shape), w.dtype),
                "c": np.zeros(self.slot_shape("c", w.shape), w.dtype), "v": np.zeros_like(w)}

    def slot_shape(self, name, shape):
        if name in ("r", "c") and len(shape) < 2:
            return ()                           # unused placeholders, as Keras keeps them
        if name == "r":
            return shape[:-1]
        if name == "c":
            return shape[:-2] + shape[-1:]
        return shape

    def update_step(self, g, w, lr, slots, tmp):
        t = self.iterations + 1
        rho = min(lr, 1 / math.sqrt(t))                             # ρ_t
        alpha = max(self.epsilon_2, _rms(w)) * rho                  # α_t
        G = np.square(g) + self.epsilon_1
        beta_2_t = 1 - t**self.beta_2_decay
        v = slots["v"]
        if w.ndim >= 2:
            R, C = slots["r"], slots["c"]
            R[...] = beta_2_t * R + (1 - beta_2_t) * np.mean(G, axis=-1)
            C[...] = beta_2_t * C + (1 - beta_2_t) * np.mean(G, axis=-2)
            v[...] = (R / np.mean(R, axis=-1, keepdims=True))[..., None] * C[..., None, :]
        else:
            v[...] = beta_2_t * v + (1 - beta_2_t) * G
        u = g / np.sqrt(v)
        u_hat = u / max(1.0, _rms(u) / self.clip_threshold)
        w -= alpha * u_hat                                          # w ← w − α_t·û

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"beta_2_decay": self.beta_2_decay, "epsilon_1": self.epsilon_1,
                       "epsilon_2": self.epsilon_2, "clip_threshold": self.clip_threshold,
                       "relative_step": self.relative_step})
        return config

"""Muon: momentum orthogonalised by a Newton–Schulz iteration, for 2-D weights (Jordan et al., 2024).

Algorithm (Keras 3.15; η = learning_rate, μ = momentum)::

    Input: η, μ, nesterov, (a, b, c) = (muon_a, muon_b, muon_c), K = ns_steps, rms_rate,
           the AdamW settings β1, β2, ε, adam_lr_ratio, w_0, gradients g_t
    Initialise: m ← 0 (every variable);  v ← 0 (the AdamW variables only)
    for t = 1, 2, ...:
        for a 2-D w (not an embedding, not excluded):                       (Muon)
            w ← w − η·λ·w                                  (λ = weight_decay)
            m ← μ·m + g_t
            G ← g_t + μ·m  if nesterov, else m
            X ← G (transposed if it has more rows than columns)
            X ← X / (‖X‖_F + 1e-7)
            repeat K times:                                (Newton–Schulz: X → U·Vᵀ of G = U·S·Vᵀ, roughly)
                A ← X·Xᵀ
                X ← a·X + (b·A + c·A·A)·X
            (transpose X back)
            w ← w − η·X·√max(n_rows, n_cols)·rms_rate      (Moonlight's scaling; no rms_rate: η·X)
        for every other w (rank ≠ 2, embeddings, exclude_layers):             (AdamW)
            w ← w − η·λ_adam·w                             (λ_adam = adam_weight_decay)
            the Adam step of ``adam.py`` with η·adam_lr_ratio, β1 = adam_beta_1, β2 = adam_beta_2

Orthogonalising the momentum makes every direction of the update matrix move by about
the same amount, however skewed the gradient's singular values are. Which rule a variable
gets is Keras's: rank 2, and neither an embedding (its path contains "embedding", with
``exclude_embeddings``) nor matched by a regular expression of ``exclude_layers``
(searched in its path, e.g. "dense_1/kernel").
"""
from __future__ import annotations

import math
import re

import numpy as np

from .base import Optimizer, check_number


def newton_schulz(G: np.ndarray, steps: int, a: float, b: float, c: float) -> np.ndarray:
    """The quintic Newton–Schulz iteration of the docstring on a 2-D array (new array)."""
    tall = G.shape[-2] > G.shape[-1]
    X = G.T if tall else G
    X = X / (np.linalg.norm(X) + 1e-7)
    for _ in range(steps):
        A = X @ X.T
        B = b * A + (c * A) @ A
        X = a * X + B @ X
    return X.T if tall else X


class Muon(Optimizer):
    """Muon optimizer (AdamW for the variables Muon does not suit).

    Args:
        learning_rate: η (float or schedule). Defaults to 0.001.
        adam_beta_1, adam_beta_2: β1, β2 of the AdamW variables. Defaults to 0.9, 0.999.
        adam_weight_decay: λ of the AdamW variables. Defaults to 0.004.
        epsilon: ε of the AdamW step. Defaults to 1e-7.
        weight_decay: λ of the Muon variables. Defaults to 0.004.
        clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
        ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name:
            see ``Optimizer``.
        exclude_layers: regular expressions; a variable whose path matches one gets AdamW.
        exclude_embeddings: give AdamW to embeddings. Defaults to True.
        muon_a, muon_b, muon_c: the Newton–Schulz coefficients (3.4445, −4.7750, 2.0315).
        adam_lr_ratio: the AdamW variables use η·adam_lr_ratio. Defaults to 1.
        momentum: μ. Defaults to 0.95.
        ns_steps: K, the Newton–Schulz iterations. Defaults to 5.
        nesterov: use Nesterov momentum. Defaults to True.
        rms_rate: the Moonlight scaling factor, or None for none. Defaults to 0.2.

    Raises:
        ValueError: for a non-numeric or negative argument, or ``ns_steps`` not an int ≥ 0.
    """

    _default_name = "muon"
    elementwise = False          # the iteration needs the whole matrix

    def __init__(self, learning_rate=0.001, adam_beta_1=0.9, adam_beta_2=0.999, adam_weight_decay=0.004,
                 epsilon=1e-7, weight_decay=0.004, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, exclude_layers=None, exclude_embeddings=True,
                 muon_a=3.4445, muon_b=-4.7750, muon_c=2.0315, adam_lr_ratio=1, momentum=0.95, ns_steps=5,
                 nesterov=True, rms_rate=0.2, **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        owner = "Muon"
        self.adam_beta_1 = check_number(owner, "adam_beta_1", adam_beta_1, 0, 1, high_open=True)
        self.adam_beta_2 = check_number(owner, "adam_beta_2", adam_beta_2, 0, 1, high_open=True)
        self.adam_weight_decay = (None if adam_weight_decay is None
                                  else check_number(owner, "adam_weight_decay", adam_weight_decay, 0))
        self.epsilon = check_number(owner, "epsilon", epsilon, 0)
        self.muon_a = check_number(owner, "muon_a", muon_a)
        self.muon_b = check_number(owner, "muon_b", muon_b)
        self.muon_c = check_number(owner, "muon_c", muon_c)
        self.adam_lr_ratio = check_number(owner, "adam_lr_ratio", adam_lr_ratio, 0)
        self.momentum = check_number(owner, "momentum", momentum, 0)
        if isinstance(ns_steps, bool) or not isinstance(ns_steps, int) or ns_steps < 0:
            raise ValueError(f"Muon: argument `ns_steps` must be an int >= 0, got {ns_steps!r}")
        self.ns_steps = ns_steps
        self.nesterov = bool(nesterov)
        self.rms_rate = None if rms_rate is None else check_number(owner, "rms_rate", rms_rate, 0)
        self.exclude_embeddings = bool(exclude_embeddings)
        self.exclude_layers = list(exclude_layers or [])

    def should_use_adamw(self, variable) -> bool:
        """Whether ``variable`` gets the AdamW step (Keras's rule, see the module docstring)."""
        if variable.data.ndim != 2:
            return True
        path = str(getattr(variable, "path", None) or getattr(variable, "name", None) or "")
        if self.exclude_embeddings and "embedding" in path.lower():
            return True
        return any(re.search(pattern, path) for pattern in self.exclude_layers)

    def slot_names(self) -> tuple:
        return ("m", "v")

    def create_variable_slots(self, variable) -> dict:
        if self.should_use_adamw(variable):
            return {"m": np.zeros_like(variable.data), "v": np.zeros_like(variable.data)}
        return {"m": np.zeros_like(variable.data)}

    def apply_weight_decay(self, variables, lr) -> None:
        for variable in variables:
            if not self._use_weight_decay(variable):
                continue
            decay = self.adam_weight_decay if self.should_use_adamw(variable) else self.weight_decay
            if decay is not None:
                w = variable.data
                w -= w * decay * lr                                  # w ← w − η·λ·w

    def update_step(self, g, w, lr, slots, tmp):
        if "v" in slots:                                             # the AdamW variables keep v
            self._adamw_step(g, w, lr * self.adam_lr_ratio, slots["m"], slots["v"])
            return
        m, mu = slots["m"], self.momentum
        m += g + m * (mu - 1)                                        # m ← μ·m + g
        G = g + mu * m if self.nesterov else m
        X = newton_schulz(G, self.ns_steps, self.muon_a, self.muon_b, self.muon_c)
        step = lr * X
        if self.rms_rate is not None:
            step = step * math.sqrt(max(w.shape[0], w.shape[1])) * self.rms_rate
        w -= step

    def _adamw_step(self, g, w, lr, m, v):
        t = self.iterations + 1
        alpha = lr * math.sqrt(1 - self.adam_beta_2**t) / (1 - self.adam_beta_1**t)
        m += (g - m) * (1 - self.adam_beta_1)                        # m ← β1·m + (1 − β1)·g
        v += (np.square(g) - v) * (1 - self.adam_beta_2)             # v ← β2·v + (1 − β2)·g²
        w -= (m * alpha) / (np.sqrt(v) + self.epsilon)               # w ← w − α·m / (√v + ε)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"adam_beta_1": self.adam_beta_1, "adam_beta_2": self.adam_beta_2, "epsilon": self.epsilon,
                       "exclude_layers": self.exclude_layers, "muon_a": self.muon_a, "muon_b": self.muon_b,
                       "muon_c": self.muon_c, "adam_lr_ratio": self.adam_lr_ratio, "momentum": self.momentum,
                       "ns_steps": self.ns_steps, "nesterov": self.nesterov,
                       "exclude_embeddings": self.exclude_embeddings, "adam_weight_decay": self.adam_weight_decay,
                       "rms_rate": self.rms_rate})
        return config

"""Exploration noise for continuous actions (DDPG acts deterministically, a = μ(s) + noise).

    Gaussian:              n_t ~ N(0, σ²), independent at every step
    Ornstein–Uhlenbeck:    x_{t+1} = x_t + θ·(m − x_t)·dt + σ·√dt·N(0, 1)

The Ornstein–Uhlenbeck process is noise with momentum: it drifts back towards the mean m
at rate θ, so consecutive steps push in similar directions — useful for physical control
with inertia (Lillicrap et al., 2016). Independent Gaussian noise works about as well on
most tasks and is simpler.
"""
from __future__ import annotations

import numpy as np


class GaussianNoise:
    """Independent N(0, σ²) noise per step and per action dimension.

    Args:
        size: the action's shape (an int or a tuple).
        sigma: the standard deviation σ (in the action's own units).
        seed: seed of the noise's random generator.
    """

    def __init__(self, size, sigma=0.1, seed=None):
        if sigma < 0:
            raise ValueError(f"GaussianNoise: sigma must be >= 0, got {sigma!r}")
        self.size, self.sigma = size, float(sigma)
        self.rng = np.random.default_rng(seed)

    def reset(self) -> None:
        """Nothing to reset: every step is independent."""

    def __call__(self) -> np.ndarray:
        return self.sigma * self.rng.standard_normal(self.size)


class OrnsteinUhlenbeckNoise:
    """Temporally correlated noise: x ← x + θ·(m − x)·dt + σ·√dt·N(0, 1).

    Args:
        size: the action's shape.
        mean: the level m the process reverts to.
        theta: the rate θ of the pull back to m.
        sigma: the scale σ of the random kicks.
        dt: the time step.
        seed: seed of the noise's random generator.
    """

    def __init__(self, size, mean=0.0, theta=0.15, sigma=0.2, dt=1e-2, seed=None):
        if theta < 0 or sigma < 0 or dt <= 0:
            raise ValueError(f"OrnsteinUhlenbeckNoise: theta and sigma must be >= 0 and dt > 0, got "
                             f"theta={theta!r}, sigma={sigma!r}, dt={dt!r}")
        self.size, self.mean = size, mean
        self.theta, self.sigma, self.dt = float(theta), float(sigma), float(dt)
        self.rng = np.random.default_rng(seed)
        self.reset()

    def reset(self) -> None:
        """Start a new episode at the mean."""
        self.x = np.full(self.size, self.mean, dtype=np.float64)

    def __call__(self) -> np.ndarray:
        self.x = (self.x + self.theta * (self.mean - self.x) * self.dt
                  + self.sigma * np.sqrt(self.dt) * self.rng.standard_normal(self.size))
        return self.x.copy()

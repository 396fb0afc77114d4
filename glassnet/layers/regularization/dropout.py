"""Dropout: randomly silence units during training (inverted dropout)."""
from __future__ import annotations

import numbers

import numpy as np

from ... import backend
from ..base import Layer


def random_generator(seed) -> np.random.Generator | None:
    """A layer's own Generator for an int ``seed``; None (draw from ``backend.rng()``) for None.

    Raises:
        ValueError: if ``seed`` is neither None nor a non-negative int.
    """
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be None or a non-negative int, got {seed!r}")
    return np.random.default_rng(int(seed))


class Dropout(Layer):
    """Sets each input unit to 0 with probability ``rate`` in training, scaling the rest up.

    Formula: y = x ⊙ m / (1 − rate), mᵢ ~ Bernoulli(1 − rate) in training;  y = x at inference.

    Dividing the kept units by the keep probability 1 − rate ("inverted dropout") keeps the
    expected value of every unit unchanged, E[y] = x, so nothing needs rescaling at inference.
    Backward: ∂L/∂x = ∂L/∂y ⊙ m / (1 − rate) — the same mask.

    Args:
        rate: the fraction of units to drop, in [0, 1).
        noise_shape: shape of the mask, broadcast over the input; e.g. ``(batch, 1, features)``
            drops the same features at every time step. None axes take the input's size.
        seed: int for a layer-owned random stream (repeatable); None draws from
            ``backend.rng()`` (seeded by ``glassnet.utils.set_random_seed``).

    Input shape:
        Any.

    Output shape:
        Same as the input.
    """

    supports_masking = True          # a mask on the input passes on to the output

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(rate, bool) or not isinstance(rate, numbers.Real) or not 0 <= rate < 1:
            raise ValueError(f"Dropout: rate must be a number in [0, 1), got {rate!r}")
        self.rate = float(rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        self.seed_generator = random_generator(seed)

    def _mask_shape(self, shape) -> tuple:
        if self.noise_shape is None:
            return tuple(shape)
        if len(self.noise_shape) != len(shape):
            raise ValueError(f"{self.name}: noise_shape {self.noise_shape} must have one entry per input axis, "
                             f"input shape is {tuple(shape)}")
        mask_shape = tuple(n if s is None else s for s, n in zip(self.noise_shape, shape))
        if any(s not in (1, n) for s, n in zip(mask_shape, shape)):
            raise ValueError(f"{self.name}: noise_shape {self.noise_shape} does not broadcast to the input shape "
                             f"{tuple(shape)} (each entry must be 1, None or the input's size)")
        return mask_shape

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        generator = self.seed_generator or backend.rng()
        dtype = inputs.dtype if inputs.dtype in (np.float32, np.float64) else np.float64
        keep = generator.random(self._mask_shape(inputs.shape), dtype=dtype) >= self.rate
        mask = keep.astype(inputs.dtype)
        mask *= 1.0 / (1.0 - self.rate)
        return inputs * mask

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        noise_shape = None if self.noise_shape is None else list(self.noise_shape)
        return {**super().get_config(), "rate": self.rate, "noise_shape": noise_shape, "seed": self.seed}

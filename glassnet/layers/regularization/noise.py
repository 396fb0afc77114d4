"""GaussianNoise: additive zero-centred noise in training, a regulariser."""
from __future__ import annotations

import numbers

from ... import backend
from ..base import Layer
from .dropout import random_generator


class GaussianNoise(Layer):
    """Adds Gaussian noise to the input in training; the identity at inference.

    Formula: y = x + ε, εᵢ ~ N(0, stddev²) in training;  y = x at inference.

    ∂L/∂x = ∂L/∂y (the noise does not depend on x).

    Args:
        stddev: standard deviation of the noise, in [0, 1] (as Keras).
        seed: int for a layer-owned random stream; None draws from ``backend.rng()``.

    Input shape:
        Any.

    Output shape:
        Same as the input.
    """

    supports_masking = True          # a mask on the input passes on to the output

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(stddev, bool) or not isinstance(stddev, numbers.Real) or not 0 <= stddev <= 1:
            raise ValueError(f"GaussianNoise: stddev must be a number in [0, 1], got {stddev!r}")
        self.stddev = float(stddev)
        self.seed = seed
        self.seed_generator = random_generator(seed)

    def call(self, inputs, training=None):
        if not training or self.stddev == 0:
            return inputs
        generator = self.seed_generator or backend.rng()
        noise = generator.standard_normal(inputs.shape).astype(inputs.dtype, copy=False)
        noise *= self.stddev
        return inputs + noise

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}

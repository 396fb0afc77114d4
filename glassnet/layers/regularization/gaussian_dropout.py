"""GaussianDropout: multiplicative Gaussian noise centred on 1, in training only."""
from __future__ import annotations

import math
import numbers

from ... import backend
from ..base import Layer
from .dropout import random_generator


class GaussianDropout(Layer):
    """Multiplies each input unit by noise drawn from N(1, rate/(1 − rate)) in training.

    Formula: y = x ⊙ ε,  εᵢ ~ N(1, σ²),  σ = √(rate / (1 − rate)),  in training;  y = x at
    inference.  ∂L/∂x = ∂L/∂y ⊙ ε.

    The noise has mean 1 (so E[y] = x, nothing to rescale at inference) and the variance of
    inverted dropout's mask m/(1 − rate), m ~ Bernoulli(1 − rate): Var = rate/(1 − rate)
    (Srivastava et al., 2014, section 10).

    Args:
        rate: the dropout rate the noise stands for, in [0, 1).
        seed: int for a layer-owned random stream (repeatable); None draws from
            ``backend.rng()`` (seeded by ``glassnet.utils.set_random_seed``).

    Input shape:
        Any.

    Output shape:
        Same as the input.
    """

    supports_masking = True          # a mask on the input passes on to the output

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(rate, bool) or not isinstance(rate, numbers.Real) or not 0 <= rate < 1:
            raise ValueError(f"GaussianDropout: rate must be a number in [0, 1), got {rate!r}")
        self.rate = float(rate)
        self.seed = seed
        self.seed_generator = random_generator(seed)

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        generator = self.seed_generator or backend.rng()
        sigma = math.sqrt(self.rate / (1.0 - self.rate))
        epsilon = generator.standard_normal(inputs.shape).astype(inputs.dtype, copy=False)
        epsilon *= sigma
        epsilon += 1.0
        return inputs * epsilon

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}

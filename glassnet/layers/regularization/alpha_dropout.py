"""AlphaDropout: dropout that keeps a SELU network's mean 0 and variance 1."""
from __future__ import annotations

import numbers

import numpy as np

from ... import backend
from .dropout import Dropout

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


class AlphaDropout(Dropout):
    """Sets dropped units to SELU's negative saturation value α' and corrects the mean and
    variance with an affine map, in training (Klambauer et al., 2017).

    Formula (in training; y = x at inference):
        α' = −λ·α  (SELU's limit for x → −∞: λ = 1.0507…, α = 1.6733…, so α' = −1.7581…)
        x̃ = x ⊙ m + α' · (1 − m),   mᵢ ~ Bernoulli(1 − rate)
        a = ((1 − rate) · (1 + rate · α'²))^(−1/2),   b = −a · α' · rate
        y = a · x̃ + b

    For inputs of mean 0 and variance 1 the output again has mean 0 and variance 1, which is
    what self-normalising networks need (plain dropout's zeros and 1/(1 − rate) scaling
    would shift both).  ∂L/∂x = a · ∂L/∂y ⊙ m.

    Args:
        rate: the fraction of units to drop, in [0, 1).
        noise_shape: shape of the mask, broadcast over the input (None axes take the input's
            size), as for ``Dropout``.
        seed: int for a layer-owned random stream (repeatable); None draws from
            ``backend.rng()``.

    Input shape:
        Any.

    Output shape:
        Same as the input.
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        if isinstance(rate, bool) or not isinstance(rate, numbers.Real) or not 0 <= rate < 1:
            raise ValueError(f"AlphaDropout: rate must be a number in [0, 1), got {rate!r}")
        super().__init__(rate, noise_shape=noise_shape, seed=seed, **kwargs)

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        generator = self.seed_generator or backend.rng()
        dtype = inputs.dtype if inputs.dtype in (np.float32, np.float64) else np.float64
        m = (generator.random(self._mask_shape(inputs.shape), dtype=dtype) >= self.rate).astype(inputs.dtype)
        alpha_p = -SELU_ALPHA * SELU_SCALE
        a = ((1 - self.rate) * (1 + self.rate * alpha_p ** 2)) ** -0.5
        b = -a * alpha_p * self.rate
        # y = a·(x ⊙ m + α'·(1 − m)) + b = x ⊙ (a·m) + (a·α'·(1 − m) + b)
        return inputs * (a * m) + (a * alpha_p * (1 - m) + b)

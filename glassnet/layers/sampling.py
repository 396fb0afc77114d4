"""Sampling: the reparameterisation trick of a variational autoencoder (Kingma & Welling, 2014)."""
from __future__ import annotations

import numpy as np

from .. import backend, ops
from .base import Layer
from .regularization.dropout import random_generator


class Sampling(Layer):
    """Draws z ~ N(μ, σ²) as a differentiable function of μ and log σ².

    Formula (the reparameterisation trick):

        z = μ + σ ⊙ ε,    σ = exp(½ · log σ²),    ε ~ N(0, I) drawn fresh at every call

    Sampling z directly from N(μ, σ²) has no gradient with respect to μ and σ; writing it as
    a fixed function of (μ, log σ²) and an independent noise ε moves the randomness out of
    the way, so backpropagation reaches the encoder:

        ∂z/∂μ = 1,    ∂z/∂(log σ²) = ½ · σ ⊙ ε

    The encoder predicts log σ² rather than σ so that any real number is a valid output.

    Args:
        seed: int for a layer-owned random stream (repeatable); None draws from
            ``backend.rng()`` (seeded by ``glassnet.utils.set_random_seed``).

    Input shape:
        A list ``[z_mean, z_log_var]`` of two tensors of the same shape (batch, latent_dim).

    Output shape:
        (batch, latent_dim).
    """

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = random_generator(seed)

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) != 2:
            raise ValueError(f"{self.name}: expected a list [z_mean, z_log_var], got {type(inputs).__name__}")
        z_mean, z_log_var = inputs
        if tuple(z_mean.shape) != tuple(z_log_var.shape):
            raise ValueError(f"{self.name}: z_mean and z_log_var must have the same shape, got "
                             f"{tuple(z_mean.shape)} and {tuple(z_log_var.shape)}")
        generator = self.seed_generator or backend.rng()
        epsilon = generator.standard_normal(tuple(z_mean.shape)).astype(np.dtype(z_mean.dtype), copy=False)
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon

    def compute_output_shape(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) != 2 or \
                not isinstance(input_shape[0], (list, tuple)):
            raise ValueError(f"{self.name}: expected the shapes of [z_mean, z_log_var], got {input_shape!r}")
        return tuple(input_shape[0])

    def get_config(self) -> dict:
        return {**super().get_config(), "seed": self.seed}


__all__ = ["Sampling"]

"""SpectralNormalization: keep a layer's kernel at spectral norm 1 by power iteration."""
from __future__ import annotations

import numpy as np

from ... import initializers
from ...ops.axes import is_int
from ..core.wrapper import Wrapper

EPSILON = 1e-7
"""The floor on a vector's norm in the power iteration (Keras's ``backend.epsilon()``)."""


def unit(vector: np.ndarray) -> np.ndarray:
    """vector / max(‖vector‖₂, ε), the norm over all entries."""
    return vector * min(1.0 / np.sqrt(np.sum(vector * vector)), 1.0 / EPSILON)


class SpectralNormalization(Wrapper):
    """Divides the wrapped layer's kernel by its largest singular value σ(W) in training
    (Miyato et al., 2018), estimated by power iteration — a GAN discriminator's Lipschitz
    constraint.

    Equations (in training, before the wrapped layer runs; W as a matrix (−1, units)):
        repeat power_iterations times:
            v = unit(u · Wᵀ)          u: the saved estimate ``vector_u``, (1, units)
            u = unit(v · W)           unit(a) = a / max(‖a‖₂, 1e-7)
        σ = v · W · uᵀ               (≈ the largest singular value of W)
        W ← W / σ,   vector_u ← u     (both stored: the kernel variable itself is rescaled)
        y = layer(x)                  with the rescaled W

    As in Keras, the rescaling is an assignment, not part of the graph: gradients reach W
    through ``layer(x)`` only (σ is a constant of the step), and a kernel of all zeros is
    left as it is. At inference the layer runs with its stored kernel, unchanged.

    Args:
        layer: a layer with a ``kernel`` (Dense, Conv2D, …) or ``embeddings`` (Embedding).
        power_iterations: the number of power-iteration steps per training call (≥ 1).

    Input shape:
        That of the wrapped layer.

    Output shape:
        That of the wrapped layer. Weights, in Keras's order: the layer's kernel (also
        listed as this wrapper's own, as Keras does), ``vector_u`` (1, units) (not
        trainable, TruncatedNormal(stddev=0.02)), then the layer's other weights.
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        if not is_int(power_iterations) or power_iterations <= 0:
            raise ValueError(f"SpectralNormalization: power_iterations must be a positive int, "
                             f"got {power_iterations!r}")
        super().__init__(layer, **kwargs)
        self.power_iterations = int(power_iterations)

    def build(self, input_shape):
        super().build(input_shape)
        kernel = getattr(self.layer, "kernel", None)
        if kernel is None:
            kernel = getattr(self.layer, "embeddings", None)
        if kernel is None:
            raise ValueError(f"{self.name}: the wrapped {type(self.layer).__name__} has no 'kernel' nor 'embeddings' "
                             f"weight to normalise")
        self.kernel = kernel
        self._trainable_variables.append(kernel)      # Keras tracks it as the wrapper's own weight too
        self.vector_u = self.add_weight((1, kernel.shape[-1]), initializers.TruncatedNormal(stddev=0.02),
                                        dtype=kernel.dtype, trainable=False, name="vector_u")

    def normalized_weights(self) -> tuple:
        """(u, W / σ) from the stored kernel and ``vector_u``, as NumPy arrays (the equations above)."""
        W = self.kernel.data.reshape(-1, self.kernel.shape[-1])
        u = self.vector_u.data
        for _ in range(self.power_iterations):
            v = unit(u @ W.T)
            u = unit(v @ W)
        sigma = v @ W @ u.T
        return u, (W / sigma).reshape(self.kernel.shape)

    def call(self, inputs, training=None):
        if training and np.any(self.kernel.data != 0):
            u, W = self.normalized_weights()
            self.vector_u.assign(u.astype(self.vector_u.dtype, copy=False))
            self.kernel.assign(W.astype(self.kernel.dtype, copy=False))
        return self.layer(inputs, training=training)

    def get_config(self) -> dict:
        return {**super().get_config(), "power_iterations": self.power_iterations}

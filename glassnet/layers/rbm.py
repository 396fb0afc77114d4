"""RBM: a restricted Boltzmann machine, trained by contrastive divergence (Hinton, 2002)."""
from __future__ import annotations

import numbers

import numpy as np

from .. import backend, initializers, ops
from ..tensor import Tensor
from .arguments import check_positive_int
from .base import Layer
from .registry import serialize_component
from .regularization.dropout import random_generator


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


class RBM(Layer):
    """A restricted Boltzmann machine: binary visible units v, binary hidden units h.

    Energy and probabilities (W the kernel (visible, hidden), b the visible bias, c the
    hidden bias; no visible–visible or hidden–hidden connections, hence "restricted"):

        E(v, h) = − bᵀv − cᵀh − vᵀW h
        p(h_j = 1 | v) = σ(c_j + Σ_i v_i W_ij)         (all h_j independent given v)
        p(v_i = 1 | h) = σ(b_i + Σ_j W_ij h_j)         (all v_i independent given h)

    Training: contrastive divergence CD-k. From a batch v⁰ of n data vectors, run k steps
    of Gibbs sampling, starting the chain at the data:

        p_h⁰ = σ(v⁰W + c),  h⁰ ~ Bernoulli(p_h⁰)
        for t = 1 … k:
            vᵗ   = σ(hᵗ⁻¹Wᵀ + b)            (the reconstruction; probabilities, not samples)
            p_hᵗ = σ(vᵗW + c),  hᵗ ~ Bernoulli(p_hᵗ)   (hᵗ only needed while t < k)

    and move the weights by the difference of the data and reconstruction statistics
    (the log-likelihood gradient with the model expectation replaced by the k-step chain):

        ΔW = η (⟨v hᵀ⟩_data − ⟨v hᵀ⟩_recon) = η/n · (v⁰ᵀ p_h⁰ − vᵏᵀ p_hᵏ)
        Δb = η (⟨v⟩_data − ⟨v⟩_recon)       = η/n · Σ (v⁰ − vᵏ)
        Δc = η (⟨h⟩_data − ⟨h⟩_recon)       = η/n · Σ (p_h⁰ − p_hᵏ)

    (Hinton's "practical guide": hidden probabilities rather than samples in the statistics
    and reconstructions as probabilities reduce the sampling noise; only h is sampled.)

    As a layer, ``rbm(v)`` is the upward pass p(h = 1 | v) = σ(vW + c) — a Dense layer with
    a sigmoid, so a stack of pre-trained RBMs is a feed-forward network ready for ``fit``
    (a deep belief net, see ``glassnet.applications.dbn``). The visible bias is not
    trainable by ``fit`` (the upward pass does not use it); CD updates it.

    Args:
        units: number of hidden units.
        kernel_initializer: initializer of W (default N(0, 0.01²), the guide's choice).
        seed: int for a layer-owned random stream for the Gibbs samples; None draws from
            ``backend.rng()``.

    Input shape:
        (batch, visible) with values in [0, 1] (binary, or probabilities).

    Output shape:
        (batch, units): the hidden probabilities.
    """

    def __init__(self, units, kernel_initializer=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.units = check_positive_int("RBM", "units", units)
        self.kernel_initializer = initializers.get(kernel_initializer or
                                                   initializers.RandomNormal(mean=0.0, stddev=0.01, seed=seed))
        self.seed = seed
        self.seed_generator = random_generator(seed)

    def build(self, input_shape):
        if len(input_shape) != 2 or input_shape[-1] is None:
            raise ValueError(f"{self.name}: expected inputs of shape (batch, visible), got {tuple(input_shape)}")
        visible = int(input_shape[-1])
        self.kernel = self.add_weight(shape=(visible, self.units), initializer=self.kernel_initializer, name="kernel")
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")      # c, hidden
        self.visible_bias = self.add_weight(shape=(visible,), initializer="zeros", trainable=False,
                                            name="visible_bias")                                # b

    def call(self, inputs):
        return ops.sigmoid(ops.matmul(inputs, self.kernel) + self.bias)

    def compute_output_shape(self, input_shape):
        return (*tuple(input_shape)[:-1], self.units)

    # --- the two conditionals, in NumPy --------------------------------------------------
    def hidden_probabilities(self, v: np.ndarray) -> np.ndarray:
        """p(h = 1 | v) = σ(vW + c)."""
        return _sigmoid(v @ self.kernel.data + self.bias.data)

    def visible_probabilities(self, h: np.ndarray) -> np.ndarray:
        """p(v = 1 | h) = σ(hWᵀ + b)."""
        return _sigmoid(h @ self.kernel.data.T + self.visible_bias.data)

    # --- training ---------------------------------------------------------------------
    def contrastive_divergence(self, v0, k=1, learning_rate=0.1, rng=None) -> dict:
        """One CD-k update on the batch ``v0`` (the class docstring's rule); returns the deltas.

        Args:
            v0: (n, visible) array of data vectors in [0, 1].
            k: number of Gibbs steps (CD-1 is the usual choice).
            learning_rate: η.
            rng: anything with ``random(shape)`` giving uniforms in [0, 1) (h = 1 where
                u < p(h = 1 | v)); default the layer's own stream.

        Returns:
            ``{"W": ΔW, "b": Δb, "c": Δc, "reconstruction": vᵏ}`` (already applied).
        """
        v0 = self._check_batch(v0)
        k = check_positive_int("RBM.contrastive_divergence", "k", k)
        if isinstance(learning_rate, bool) or not isinstance(learning_rate, numbers.Real) or learning_rate <= 0:
            raise ValueError(f"RBM.contrastive_divergence: learning_rate must be a positive number, "
                             f"got {learning_rate!r}")
        rng = rng or self.seed_generator or backend.rng()
        W = self.kernel.data
        n = v0.shape[0]
        ph0 = self.hidden_probabilities(v0)
        h = (rng.random(ph0.shape) < ph0).astype(W.dtype)
        for t in range(1, k + 1):
            v = self.visible_probabilities(h)
            ph = self.hidden_probabilities(v)
            if t < k:
                h = (rng.random(ph.shape) < ph).astype(W.dtype)
        dW = learning_rate / n * (v0.T @ ph0 - v.T @ ph)
        db = learning_rate / n * (v0 - v).sum(axis=0)
        dc = learning_rate / n * (ph0 - ph).sum(axis=0)
        self.kernel.assign_add(dW.astype(W.dtype))
        self.visible_bias.assign_add(db.astype(W.dtype))
        self.bias.assign_add(dc.astype(W.dtype))
        return {"W": dW, "b": db, "c": dc, "reconstruction": v}

    def pretrain(self, x, epochs=5, batch_size=32, learning_rate=0.1, k=1, shuffle=True, verbose=0) -> list:
        """Train on ``x`` by CD-k for ``epochs`` passes; returns the mean squared
        reconstruction error ‖v⁰ − vᵏ‖²/visible of each epoch (it should fall)."""
        x = self._check_batch(x)
        epochs = check_positive_int("RBM.pretrain", "epochs", epochs)
        batch_size = check_positive_int("RBM.pretrain", "batch_size", batch_size)
        rng = self.seed_generator or backend.rng()
        errors = []
        for epoch in range(epochs):
            order = rng.permutation(len(x)) if shuffle else np.arange(len(x))
            total = 0.0
            for start in range(0, len(x), batch_size):
                batch = x[order[start:start + batch_size]]
                v = self.contrastive_divergence(batch, k=k, learning_rate=learning_rate, rng=rng)["reconstruction"]
                total += float(np.sum((batch - v) ** 2))
            errors.append(total / x.size)
            if verbose:
                print(f"{self.name}: epoch {epoch + 1}/{epochs} reconstruction error {errors[-1]:.4f}")
        return errors

    def _check_batch(self, v) -> np.ndarray:
        v = np.asarray(v.data if isinstance(v, Tensor) else v)
        if v.ndim != 2 or v.shape[0] == 0:
            raise ValueError(f"{self.name}: expected a non-empty (batch, visible) array, got shape {v.shape}")
        if not self.built:
            self.build(v.shape)
            self.built = True
        if v.shape[1] != self.kernel.shape[0]:
            raise ValueError(f"{self.name}: expected {self.kernel.shape[0]} visible units, got shape {v.shape}")
        if not np.all(np.isfinite(v)) or v.min() < 0 or v.max() > 1:
            raise ValueError(f"{self.name}: visible values must lie in [0, 1] (binary or probabilities); "
                             "scale the data first, e.g. x / x.max()")
        return v.astype(self.kernel.data.dtype, copy=False)

    def get_config(self) -> dict:
        return {**super().get_config(), "units": self.units, "seed": self.seed,
                "kernel_initializer": serialize_component(initializers, self.kernel_initializer)}


__all__ = ["RBM"]

"""Deep belief net: RBMs stacked and pre-trained greedily, then fine-tuned as a classifier.

Hinton, Osindero & Teh, "A Fast Learning Algorithm for Deep Belief Nets" (2006). The
recipe, one layer at a time, unsupervised (no labels needed):

    x⁰ = the data (values in [0, 1])
    for ℓ = 1 … L:
        train RBM ℓ on xˡ⁻¹ by contrastive divergence (``RBM.pretrain``, CD-k)
        xˡ = p(h = 1 | xˡ⁻¹) = σ(xˡ⁻¹ Wˡ + cˡ)        (its hidden probabilities feed the next)

Each RBM models the features of the one below it. Then put a softmax layer on top and
fine-tune the whole stack with backpropagation (``fit``) on the labelled data: the RBM layers
are the sigmoid Dense layers σ(xW + c) they already compute. Pre-training helps most when
labels are few and unlabelled data is plentiful (``examples/deep_belief_net.py`` compares
the same network trained with and without it on a small labelled subset of digits).
"""
from __future__ import annotations

import numpy as np

from .. import layers
from ..layers.rbm import RBM
from ..models import Sequential


def DBN(input_dim, hidden_units=(128, 64), classes=10, seed=None, name="dbn"):
    """An uncompiled classifier: Input(input_dim) → RBM(u) for u in ``hidden_units`` →
    Dense(classes, softmax). Pre-train it with ``pretrain_greedily`` before ``fit``
    (or skip that: the same network trained from its random start).

    Args:
        input_dim: number of visible units of the first RBM.
        hidden_units: hidden units of each RBM, bottom to top.
        classes: output units.
        seed: int; RBM ℓ gets seed + ℓ for its initial weights and Gibbs samples.
    """
    if isinstance(input_dim, bool) or not isinstance(input_dim, int) or input_dim <= 0:
        raise ValueError(f"DBN: input_dim must be a positive int, got {input_dim!r}")
    hidden_units = tuple(hidden_units)
    if not hidden_units or any(isinstance(u, bool) or not isinstance(u, int) or u <= 0 for u in hidden_units):
        raise ValueError(f"DBN: hidden_units must be a non-empty sequence of positive ints, got {hidden_units!r}")
    rbms = [RBM(units, seed=None if seed is None else seed + i, name=f"rbm_{i + 1}")
            for i, units in enumerate(hidden_units)]
    return Sequential([layers.Input((input_dim,)), *rbms,
                       layers.Dense(classes, activation="softmax", name="predictions")], name=name)


def pretrain_greedily(model, x, epochs=10, batch_size=32, learning_rate=0.1, k=1, verbose=0) -> list:
    """Train the model's RBM layers one after the other by CD-k, each on the hidden
    probabilities of the one below (the module docstring's loop); other layers are untouched.

    Args:
        model: a Sequential whose first layers are RBMs (``DBN``).
        x: (n, visible) unlabelled data in [0, 1].
        epochs, batch_size, learning_rate, k: of ``RBM.pretrain`` for each layer.

    Returns:
        One list per RBM: its reconstruction error per epoch.

    Raises:
        ValueError: if the model has no RBM layer, or ``x`` is not (n, visible) in [0, 1].
    """
    rbms = [layer for layer in model.layers if isinstance(layer, RBM)]
    if not rbms:
        raise ValueError(f"pretrain_greedily: model {model.name!r} has no RBM layers (build it with DBN)")
    errors = []
    features = np.asarray(x)
    for rbm in rbms:
        errors.append(rbm.pretrain(features, epochs=epochs, batch_size=batch_size, learning_rate=learning_rate,
                                   k=k, verbose=verbose))
        features = rbm.hidden_probabilities(features.astype(rbm.kernel.data.dtype, copy=False))
    return errors


__all__ = ["DBN", "pretrain_greedily"]

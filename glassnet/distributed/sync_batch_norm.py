"""Batch normalization with the statistics of the *global* batch (synchronized BN).

By default each rank normalizes with the mean and variance of its own shard (as
Horovod and PyTorch DDP do): cheap, and close to one process when shards are large. With
few samples per rank the shard statistics are noisy; ``DataParallel(sync_batch_norm=True)``
then computes them over all ranks. Per feature c, with n_r values on rank r:

    S1 = Σ_r Σ_i x_ri,   S2 = Σ_r Σ_i x_ri²,   N = Σ_r n_r        one Allreduce of [S1, S2, N]
    μ = S1 / N,          σ² = S2 / N − μ²                          the global batch's statistics
    y = γ · (x − μ) / √(σ² + ε) + β

The sum over ranks is a differentiable op whose backward pass is again a sum over ranks
(∂L/∂x_r collects ∂L_s/∂μ from every rank s), so the gradients are those of one
process normalizing the whole batch. The moving averages follow μ and σ² exactly as in
``BatchNormalization`` and so stay equal on every rank.
"""
from __future__ import annotations

import numpy as np

from .. import ops
from ..layers.normalization.batch_normalization import BatchNormalization
from ..ops.core_api import custom_gradient
from ..tensor import Tensor
from . import comm


@custom_gradient
def allreduce_sum(t):
    """Σ over the ranks of ``t`` (a Tensor); the gradient is the Σ over the ranks of the upstream gradient."""
    out = comm.allreduce(np.array(t.data, dtype=t.data.dtype, order="C"), "the synchronized batch-norm statistics")

    def grad(upstream):
        return Tensor(comm.allreduce(np.array(upstream.data, order="C"), "the synchronized batch-norm gradient"))

    return Tensor(out), grad


def sync_batch_norm_call(layer, inputs, training=None):
    """``layer.call`` (a ``BatchNormalization``) with the statistics of the global batch."""
    if not (training and layer.trainable):
        return BatchNormalization.call(layer, inputs, training=training)
    x = inputs
    axis = layer.axis % x.ndim
    features = layer.moving_mean.shape[0]
    axes = tuple(a for a in range(x.ndim) if a != axis)
    shape = [1] * x.ndim
    shape[axis] = features
    n = Tensor(np.full((1, features), float(np.prod([x.shape[a] for a in axes])), dtype=x.data.dtype))
    local = ops.concatenate([ops.reshape(ops.sum(x, axis=axes), (1, features)),
                             ops.reshape(ops.sum(x * x, axis=axes), (1, features)), n], axis=0)
    total = allreduce_sum(local)                               # [S1, S2, N] over all ranks
    mean = total[0] / total[2]
    variance = total[1] / total[2] - mean * mean
    y = (x - ops.reshape(mean, shape)) / ops.sqrt(ops.reshape(variance, shape) + layer.epsilon)
    if layer.gamma is not None:
        y = y * ops.reshape(layer.gamma, shape)
    if layer.beta is not None:
        y = y + ops.reshape(layer.beta, shape)
    m = layer.momentum
    layer.moving_mean.assign(m * layer.moving_mean.data + (1.0 - m) * mean.data)
    layer.moving_variance.assign(m * layer.moving_variance.data + (1.0 - m) * variance.data)
    return y


class SyncBatchNormalization(BatchNormalization):
    """``BatchNormalization`` whose training statistics are those of the global batch
    over every rank (see the module docstring); same arguments and weights."""

    def call(self, inputs, training=None):
        return sync_batch_norm_call(self, inputs, training)


def batch_norm_layers(model) -> list:
    """Every ``BatchNormalization`` layer inside ``model`` (nested models included)."""
    found, stack, seen = [], [model], set()
    while stack:
        layer = stack.pop()
        if id(layer) in seen:
            continue
        seen.add(id(layer))
        if isinstance(layer, BatchNormalization):
            found.append(layer)
        stack.extend(getattr(layer, "layers", None) or [])
    return found


__all__ = ["SyncBatchNormalization", "allreduce_sum", "sync_batch_norm_call", "batch_norm_layers"]

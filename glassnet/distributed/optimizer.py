"""Gradient averaging over the ranks: one bucket, one Allreduce per step.

Data parallelism on p ranks: the global batch B is cut into p shards B_r (|B_r| = |B|/p)
and rank r computes g_r = ∇ L_{B_r}(w), the gradient of the mean loss over its shard.
The gradient of the mean loss over the whole batch is the average

    g = (1/|B|) Σ_r |B_r| · g_r = Σ_r s_r · g_r,      s_r = |B_r| / |B| = 1/p,

so every rank scales its gradients by s_r, packs them into one contiguous buffer (the
*bucket*: gradient k occupies elements [o_k, o_k + n_k)), and one ``Allreduce`` (sum)
makes the bucket hold g on every rank; the optimizer then takes the same step everywhere
and the weights stay identical without ever being sent again. One call per step instead
of one per tensor pays the network's latency once (a ring allreduce costs
2(p−1)·α + 2(p−1)/p · bytes/β for latency α and bandwidth β: the α term is per call).

Communication is not overlapped with the backward pass: glassnet's backward is one call
(``loss.backward()``) that returns when every gradient exists, and a 2-core machine has
no spare core to communicate on; the bucket is reduced right after it.

``DistributedOptimizer(opt)`` (Horovod's name) wraps any glassnet optimizer this way:
its ``apply`` (and so ``step`` and ``apply_gradients``, which call it) averages the
gradients first. The optimizer keeps its class, config and saved state.
"""
from __future__ import annotations

import time

import numpy as np

from ..tensor import Tensor
from . import comm


class GradientBucket:
    """Packs gradients into one reusable contiguous buffer and averages it over the ranks.

    Attributes:
        share: this rank's weight s_r in the average (default 1/size).
        nbytes: size of the last bucket in bytes.
        seconds: time spent in the last Allreduce; ``total_seconds``, ``calls``: sums.
    """

    def __init__(self, share: float | None = None):
        self.share = share
        self._buffer = None
        self.nbytes = 0
        self.seconds = 0.0
        self.total_seconds = 0.0
        self.calls = 0

    def average(self, grads: list) -> list:
        """The gradients averaged over the ranks (views into the bucket; None stays None).

        Every rank must pass gradients of the same shapes in the same order (the same
        model), which the strategy's checksum at start makes sure of.
        """
        arrays = [None if g is None else (g.data if isinstance(g, Tensor) else np.asarray(g)) for g in grads]
        present = [a for a in arrays if a is not None]
        if not present:
            return arrays
        dtype = np.result_type(*present)
        total = sum(a.size for a in present)
        if self._buffer is None or self._buffer.size != total or self._buffer.dtype != dtype:
            self._buffer = np.empty(total, dtype=dtype)
        buffer = self._buffer
        share = self.share if self.share is not None else 1.0 / comm.size()
        offset = 0
        for a in present:                                   # pack: bucket[o:o+n] = s_r · g
            np.multiply(a.reshape(-1), share, out=buffer[offset:offset + a.size], casting="unsafe")
            offset += a.size
        start = time.perf_counter()
        comm.allreduce(buffer, "the gradient allreduce")    # Σ_r s_r · g_r on every rank
        self.seconds = time.perf_counter() - start
        self.total_seconds += self.seconds
        self.calls += 1
        self.nbytes = buffer.nbytes
        out, offset = [], 0
        for a in arrays:                                    # unpack: views shaped like each gradient
            if a is None:
                out.append(None)
                continue
            out.append(buffer[offset:offset + a.size].reshape(a.shape))
            offset += a.size
        return out


def DistributedOptimizer(optimizer, share: float | None = None):
    """Make ``optimizer`` average its gradients over the ranks before every update.

    Horovod's API: ``opt = DistributedOptimizer(glassnet.optimizers.SGD(0.01))``. The
    same object is returned, its ``apply`` wrapped (``step`` and ``apply_gradients`` go
    through ``apply``); its class, config and state are unchanged, so it saves and
    loads as before. Wrapping twice does nothing. The wrapping's ``GradientBucket``
    (timings, bytes) is ``optimizer._glassnet_bucket``.

    Args:
        optimizer: a ``glassnet.optimizers.Optimizer`` (or its name).
        share: this rank's weight in the average (default 1/size: equal shards).

    Raises:
        DistributedError: if MPI (mpi4py) is not available.
    """
    from .. import optimizers

    optimizer = optimizers.get(optimizer)
    if getattr(optimizer, "_glassnet_bucket", None) is not None:
        return optimizer
    comm.init()
    bucket = GradientBucket(share)
    original = optimizer.apply

    def apply(grads, trainable_variables=None):
        return original(bucket.average(list(grads)), trainable_variables)

    apply.__doc__ = original.__doc__
    optimizer.apply = apply
    optimizer._glassnet_bucket = bucket
    return optimizer


def unwrap(optimizer) -> None:
    """Undo ``DistributedOptimizer``: the optimizer's own ``apply`` again."""
    if getattr(optimizer, "_glassnet_bucket", None) is not None:
        del optimizer.apply
        del optimizer._glassnet_bucket


__all__ = ["GradientBucket", "DistributedOptimizer", "unwrap"]

"""``BroadcastGlobalVariablesCallback``: every rank starts from rank 0's state.

Ranks that initialise their weights independently (different seeds, or only rank 0
restored a backup) would train different models; averaged gradients keep identical
weights identical, they do not make different weights equal. So at the start of
training rank 0 sends, with one ``Bcast`` each:

* every weight of the model (trainable and not: batch-norm moving statistics too), in
  ``model.weights`` order, packed into one contiguous buffer;
* the optimizer's state (``iterations``, its slots such as Adam's m and v), when rank 0's
  optimizer has any (after a resume) — the other ranks build theirs first;
* the epoch to start at, when rank 0's ``BackupAndRestore`` restored a backup;
* the state of glassnet's random generator (``backend.rng()``), which draws the shuffled
  order of every epoch: the ranks then shard the same permutation even when only rank 0
  restored the generator from a backup, or the ranks were seeded differently.
"""
from __future__ import annotations

import numpy as np

from ..callbacks.base import Callback
from . import comm


def broadcast_weights(variables: list, root: int = 0) -> None:
    """Overwrite ``variables`` (Tensors) on every rank with rank ``root``'s values."""
    arrays = [v.data for v in variables]
    if not arrays:
        return
    dtype = np.result_type(*arrays)
    buffer = np.concatenate([a.reshape(-1).astype(dtype, copy=False) for a in arrays]) if arrays else None
    comm.broadcast(buffer, "the weight broadcast", root)
    offset = 0
    for a in arrays:
        a[...] = buffer[offset:offset + a.size].reshape(a.shape)
        offset += a.size


def broadcast_optimizer_state(optimizer, variables: list, root: int = 0) -> None:
    """Give every rank rank ``root``'s optimizer state (nothing when root's is not built)."""
    built = np.array([1 if optimizer.built else 0], dtype=np.int64)
    comm.broadcast(built, "the optimizer-state broadcast", root)
    if not built[0]:
        return
    if not optimizer.built:
        optimizer.build(variables)
    state = optimizer.variables()
    flat = np.concatenate([np.asarray(a, dtype=np.float64).reshape(-1) for a in state])
    comm.broadcast(flat, "the optimizer-state broadcast", root)
    restored, offset = [], 0
    for a in state:
        a = np.asarray(a)
        restored.append(flat[offset:offset + a.size].reshape(a.shape).astype(a.dtype))
        offset += a.size
    optimizer.load_own_variables(restored)


def broadcast_rng_state(root: int = 0) -> None:
    """Give every rank rank ``root``'s ``backend.rng()`` state (pickled, sent as bytes)."""
    import pickle

    from .. import backend

    generator = backend.rng().bit_generator
    payload = np.frombuffer(pickle.dumps(generator.state), dtype=np.uint8).copy()
    length = np.array([payload.size], dtype=np.int64)
    comm.broadcast(length, "the random-state broadcast", root)
    buffer = payload if comm.rank() == root else np.zeros(int(length[0]), dtype=np.uint8)
    comm.broadcast(buffer, "the random-state broadcast", root)
    if comm.rank() != root:
        generator.state = pickle.loads(buffer.tobytes())


class BroadcastGlobalVariablesCallback(Callback):
    """At ``on_train_begin``, copy rank ``root_rank``'s weights, optimizer state, start
    epoch and random-generator state to every rank (Horovod's callback; ``DataParallel`` adds one by itself).

    Put it after ``BackupAndRestore`` in the callback list, so that what rank 0 restored
    is what is sent.

    Args:
        root_rank: the rank whose state wins (0).
    """

    def __init__(self, root_rank: int = 0):
        super().__init__()
        self.root_rank = int(root_rank)

    def on_train_begin(self, logs=None):
        model = self.model
        broadcast_weights(model.weights, self.root_rank)
        if getattr(model, "optimizer", None) is not None:
            broadcast_optimizer_state(model.optimizer, model.trainable_weights, self.root_rank)
        start = np.array([getattr(model, "_initial_epoch", None) or -1], dtype=np.int64)
        comm.broadcast(start, "the start-epoch broadcast", self.root_rank)
        model._initial_epoch = int(start[0]) if start[0] >= 0 else None
        broadcast_rng_state(self.root_rank)


__all__ = ["BroadcastGlobalVariablesCallback", "broadcast_weights", "broadcast_optimizer_state", "broadcast_rng_state"]

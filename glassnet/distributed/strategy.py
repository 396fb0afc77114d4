"""``DataParallel``: synchronous data-parallel training over MPI ranks.

Every rank holds a full copy of the model. For each global batch B of ``batch_size``
rows (drawn in the same shuffled order on every rank: same seed, same permutation):

    rank r takes the shard  B_r = rows [r·m, (r+1)·m) of B,   m = |B| / p
    forward and backward on B_r                 → g_r = ∇ mean-loss(B_r)
    one Allreduce of the bucket of all gradients → g = (1/p) Σ_r g_r = ∇ mean-loss(B)
    the same optimizer step on every rank       → identical weights, never re-sent

So p ranks with global batch B follow the trajectory of one process with batch B (up to
the order of floating-point sums). Use::

    strategy = glassnet.distributed.DataParallel()
    with strategy.scope():                     # or: model.fit(..., distribute=strategy)
        model.fit(x, y, batch_size=64, epochs=3)

and start the script with ``mpirun -np 2 python script.py``.

What the strategy does around ``fit`` (its arguments mean what they always mean):

* **start** — a checksum (SHA-256 of the model's config, weight shapes, optimizer config
  and the fit arguments) is gathered from every rank: ranks that run different models or
  settings stop with an error naming the ranks. Then rank 0's weights, optimizer state,
  resume epoch and random-generator state (the shuffling) are broadcast
  (``BroadcastGlobalVariablesCallback``).
* **batches** — ``batch_size`` is the *global* batch and must be divisible by the number
  of ranks. Remainder rule: a last batch of n < batch_size rows is cut to
  n − (n mod p) rows (at most p − 1 rows of the epoch are left out; with shuffling, other
  rows each epoch) and split evenly; a batch of fewer than p rows is skipped. Validation
  batches are sharded the same way. A Dataset or generator must yield the same batches
  on every rank (each rank keeps its shard).
* **gradients** — the optimizer is wrapped by ``DistributedOptimizer`` (one bucket, one
  Allreduce per step) for the duration of ``fit``.
* **logs** — ``get_metrics_result`` sums the metrics' state (totals, counts, confusion
  counts: each a sum over samples) over the ranks in one Allreduce, so the loss and
  metrics every rank reports are those of the global batch; callbacks such as
  ``EarlyStopping`` decide the same everywhere. A custom ``train_step`` that returns its
  own numbers gets them averaged over the ranks.
* **rank 0 only** — the progress bar, and the callbacks that write: ``ModelCheckpoint``,
  ``BackupAndRestore`` (whose restore reaches the others by the broadcast), ``CSVLogger``,
  ``TensorBoard`` and glassnet.monitor's run log. With a ``BackupAndRestore``, rank 0
  records the world size next to the backup; resuming with another number of ranks is
  an error (the per-rank batch-norm statistics and the shards would change).
* **batch norm** — statistics per rank's shard by default; ``sync_batch_norm=True``
  uses the global batch's (``sync_batch_norm.py``).

``evaluate`` and ``predict`` outside ``fit`` run whole on every rank (the weights are
the same everywhere).
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os

import numpy as np

from ..tensor import Tensor
from ..utils.py_dataset import pack_x_y_sample_weight, unpack_x_y_sample_weight
from . import comm
from .callbacks import BroadcastGlobalVariablesCallback
from .comm import DistributedError
from .optimizer import DistributedOptimizer, unwrap
from .sync_batch_norm import batch_norm_layers, sync_batch_norm_call

_scopes: list = []
WORLD_FILE = "glassnet_distributed.json"


class DataParallel:
    """Synchronous data-parallel training over the MPI ranks (see the module docstring).

    Args:
        sync_batch_norm: normalize with the global batch's statistics (default: each
            rank's own shard's, as Horovod and PyTorch DDP).
        timeout: seconds a collective waits for the other ranks before raising
            ``DistributedError`` (default 60).

    Attributes:
        rank, size: this process's rank and the number of ranks.
        bucket: the ``GradientBucket`` of the last ``fit`` (allreduce timings and bytes).

    Raises:
        DistributedError: if MPI (mpi4py) is not available.
    """

    def __init__(self, sync_batch_norm: bool = False, timeout: float | None = None):
        if not isinstance(sync_batch_norm, bool):
            raise ValueError(f"DataParallel: sync_batch_norm must be True or False, got {sync_batch_norm!r}")
        comm.init(timeout)
        self.rank, self.size = comm.rank(), comm.size()
        self.sync_batch_norm = sync_batch_norm
        self.bucket = None
        self._fitting = set()

    @contextlib.contextmanager
    def scope(self):
        """Inside this block ``model.fit`` trains with this strategy."""
        _scopes.append(self)
        try:
            yield self
        finally:
            _scopes.remove(self)

    def __repr__(self) -> str:
        return f"<DataParallel rank={self.rank} size={self.size} sync_batch_norm={self.sync_batch_norm}>"

    # --- sharding -----------------------------------------------------------------------
    def shard(self, data):
        """This rank's rows of a packed batch ``data`` (``x``, ``(x, y)`` or ``(x, y, w)``),
        after the remainder rule; None when the batch has fewer rows than ranks."""
        x, y, w = unpack_x_y_sample_weight(data)
        n = _rows(x)
        usable = n - n % self.size
        if usable == 0:
            return None
        m = usable // self.size
        part = slice(self.rank * m, (self.rank + 1) * m)
        cut = lambda s: _map(lambda a: a[part], s)   # noqa: E731
        return pack_x_y_sample_weight(cut(x), cut(y), cut(w))

    # --- fit ----------------------------------------------------------------------------
    def fit(self, model, **arguments):
        """``model.fit(**arguments)`` with this strategy (see the module docstring)."""
        batch_size = arguments.get("batch_size")
        batch_size = 32 if batch_size is None else batch_size
        if isinstance(batch_size, (int, np.integer)) and not isinstance(batch_size, bool) and batch_size > 0 \
                and batch_size % self.size:
            raise DistributedError(
                f"DataParallel: the global batch_size {batch_size} is not divisible by the {self.size} ranks; "
                f"use a multiple of {self.size} (e.g. {batch_size - batch_size % self.size or self.size}) — "
                "each rank takes batch_size / ranks rows of every batch")
        if model.optimizer is None:       # compile(optimizer=None): fit's own error, on every rank alike
            self._fitting.add(id(model))
            try:
                return model.fit(**arguments)
            finally:
                self._fitting.discard(id(model))
        self._build(model, arguments.get("x"))
        self._check_same_everywhere(model, arguments)
        callbacks = self._callbacks(list(arguments.get("callbacks") or []))
        arguments["callbacks"] = callbacks
        if self.rank != 0:
            arguments["verbose"] = 0
        own_optimizer = getattr(model.optimizer, "_glassnet_bucket", None) is not None
        optimizer = DistributedOptimizer(model.optimizer)
        self.bucket = optimizer._glassnet_bucket
        patched = self._patch(model)
        self._fitting.add(id(model))
        try:
            return model.fit(**arguments)
        finally:
            self._fitting.discard(id(model))
            for name in patched:
                if name in vars(model):
                    delattr(model, name)
            for layer in batch_norm_layers(model) if self.sync_batch_norm else []:
                vars(layer).pop("call", None)
            if not own_optimizer:
                unwrap(optimizer)

    def _build(self, model, x) -> None:
        """Build an unbuilt model on one row of x (inference mode: no state changes) so
        that its weights exist before they are compared and broadcast."""
        if getattr(model, "built", False) and model.weights:
            return
        if x is None or not isinstance(x, (np.ndarray, list, tuple, dict, Tensor)):
            raise DistributedError("DataParallel: build the model before fit when training from a Dataset or "
                                   "generator (give it an Input, or call it on a batch), so that rank 0's "
                                   "weights can be broadcast")
        from ..tensor import no_grad
        with no_grad():
            model(_map(lambda a: np.asarray(a)[:1], x), training=False)

    def _check_same_everywhere(self, model, arguments) -> None:
        """Gather a SHA-256 of the model config, weight shapes, optimizer config and the fit
        arguments from every rank; raise on all ranks if any differs from rank 0's."""
        try:
            config = model.get_config()
        except Exception:   # a subclassed model without get_config: its class and layers
            config = [type(model).__name__, [type(layer).__name__ for layer in getattr(model, "layers", [])]]
        settings = {k: arguments.get(k) for k in ("batch_size", "epochs", "shuffle", "initial_epoch",
                                                  "steps_per_epoch", "validation_split")}
        settings["rows"] = _rows(arguments.get("x")) if isinstance(arguments.get("x"), (np.ndarray, list, dict,
                                                                                       tuple)) else None
        text = json.dumps([config, [list(w.shape) for w in model.weights], model.optimizer.get_config(),
                           settings], sort_keys=True, default=repr)
        digest = np.frombuffer(hashlib.sha256(text.encode()).digest(), dtype=np.uint8).copy()
        everyone = comm.allgather(digest, "the start-up checksum of the model config")
        differ = [r for r in range(self.size) if not np.array_equal(everyone[r], everyone[0])]
        if differ:
            raise DistributedError(
                f"DataParallel: rank(s) {differ} have a different model config, weight shapes, optimizer or fit "
                f"arguments than rank 0 (checksum at start, rank {self.rank} here); every rank must run the same "
                "model and fit call")

    def _callbacks(self, callbacks: list) -> list:
        """Rank 0 keeps every callback; the others drop the ones that write. A broadcast of
        rank 0's state runs last at the start (after a BackupAndRestore's restore)."""
        from ..callbacks import BackupAndRestore, CSVLogger, ModelCheckpoint, TensorBoard

        writers = (BackupAndRestore, CSVLogger, ModelCheckpoint, TensorBoard)
        for callback in callbacks:
            if isinstance(callback, BackupAndRestore):
                self._check_world_size(callback.backup_dir)
        if self.rank != 0:
            callbacks = [c for c in callbacks if not isinstance(c, writers)
                         and not type(c).__module__.startswith("glassnet.monitor")]
        if not any(isinstance(c, BroadcastGlobalVariablesCallback) for c in callbacks):
            callbacks.append(BroadcastGlobalVariablesCallback(0))
        return callbacks

    def _check_world_size(self, backup_dir: str) -> None:
        """Rank 0 reads the world size recorded next to the backup (writing it when new);
        every rank raises if it differs from this job's."""
        recorded = np.array([-1], dtype=np.int64)
        path = os.path.join(backup_dir, WORLD_FILE)
        if self.rank == 0:
            if os.path.exists(path):
                with open(path) as f:
                    recorded[0] = int(json.load(f)["world_size"])
            else:
                os.makedirs(backup_dir, exist_ok=True)
                with open(path, "w") as f:
                    json.dump({"world_size": self.size}, f)
        comm.broadcast(recorded, "the world-size check")
        if recorded[0] >= 0 and recorded[0] != self.size:
            raise DistributedError(
                f"DataParallel: the backup in {backup_dir!r} was written by a job of {int(recorded[0])} ranks, this "
                f"job has {self.size}; resume with `mpirun -np {int(recorded[0])}`, or start afresh (delete "
                f"{backup_dir!r})")

    def _patch(self, model) -> list:
        """Instance-level wrappers for the time of fit: train_step/test_step shard the
        batch, get_metrics_result reduces over the ranks; sync batch norm if asked."""
        strategy = self
        steps = {"train_step": model.train_step, "test_step": model.test_step}
        own_results = model.get_metrics_result
        reduced = {"now": False}

        def get_metrics_result():
            reduced["now"] = True
            return strategy._reduced_results(model, own_results)

        def wrap(step):
            def run(data):
                local = strategy.shard(data)
                reduced["now"] = False
                if local is None:      # fewer rows than ranks: skipped on every rank alike
                    return get_metrics_result()
                logs = step(local)
                if not reduced["now"] and isinstance(logs, dict):
                    logs = strategy._averaged(logs)
                return logs
            return run

        model.train_step = wrap(steps["train_step"])
        model.test_step = wrap(steps["test_step"])
        model.get_metrics_result = get_metrics_result
        for layer in batch_norm_layers(model) if self.sync_batch_norm else []:
            layer.call = lambda inputs, training=None, _layer=layer: sync_batch_norm_call(_layer, inputs, training)
        return ["train_step", "test_step", "get_metrics_result"]

    def _reduced_results(self, model, own_results) -> dict:
        """``get_metrics_result()`` over the global batch: every metric's state arrays are
        summed over the ranks (one Allreduce), the results read, the local state put back."""
        arrays = []
        for metric in model.metrics:
            for m in getattr(metric, "metrics", None) or [metric]:
                arrays += [a for a in getattr(m, "variables", []) if isinstance(a, np.ndarray)]
        if not arrays or self.size == 1:
            return own_results()
        local = [a.copy() for a in arrays]
        buffer = np.concatenate([a.reshape(-1).astype(np.float64) for a in arrays])
        comm.allreduce(buffer, "the metrics allreduce")
        offset = 0
        for a in arrays:
            a[...] = buffer[offset:offset + a.size].reshape(a.shape)
            offset += a.size
        try:
            return own_results()
        finally:
            for a, saved in zip(arrays, local):
                a[...] = saved

    def _averaged(self, logs: dict) -> dict:
        """A custom step's own ``{name: number}`` logs averaged over the ranks."""
        from ..models.steps import pythonify_logs

        logs = pythonify_logs(logs)
        names = [k for k, v in logs.items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
        buffer = np.array([float(logs[k]) for k in names], dtype=np.float64)
        comm.allreduce(buffer, "the logs allreduce")
        return {**logs, **{k: float(v) / self.size for k, v in zip(names, buffer)}}


def current_strategy():
    """The strategy of the innermost ``strategy.scope()``, or None."""
    return _scopes[-1] if _scopes else None


def strategy_for(model, distribute):
    """The strategy ``model.fit`` must hand over to (the hook in ``Trainer.fit``): the
    ``distribute`` argument, else the current scope's; None when there is none or it is
    already running this model's fit."""
    strategy = distribute if distribute is not None else current_strategy()
    if strategy is None:
        return None
    if not isinstance(strategy, DataParallel):
        raise ValueError(f"fit: `distribute` must be a glassnet.distributed.DataParallel, got {strategy!r}")
    return None if id(model) in strategy._fitting else strategy


def _rows(x) -> int:
    leaves = []
    _map(leaves.append, x)
    return int(np.shape(leaves[0])[0]) if leaves else 0


def _map(fn, structure):
    """``fn`` on every array of a nested list/tuple/dict (None kept)."""
    if structure is None:
        return None
    if isinstance(structure, dict):
        return {k: _map(fn, v) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(_map(fn, v) for v in structure)
    return fn(structure)


__all__ = ["DataParallel", "current_strategy", "strategy_for", "WORLD_FILE"]

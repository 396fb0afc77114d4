"""The programs the distributed tests start, under ``mpirun`` (or alone with --plain).

    python worker.py SCENARIO OUTDIR [--plain]

Scenarios:
    train   an MLP (float64, SGD), a CNN with BatchNormalization (float64, SGD, synchronized
            statistics) and an MLP (float32, Adam), 2 epochs of global batch 64 on 256 rows;
            then one epoch on 261 rows recording each rank's sample ids per step. Writes
            OUTDIR/train_<rank>.npz (weights, histories, ids). --plain: the same without
            a strategy, in one process (the reference).
    die     rank 1 exits (os._exit) at its third step; rank 0 must not hang.
    hang    rank 1 sleeps at its third step; rank 0 must time out with a clear error.
    bad     three set-ups that every rank refuses at start, one after the other (each
            error is caught and printed as "ERROR <case>: <message>"): "config" (rank 1
            builds Dense(9) where rank 0 builds Dense(8)), "batch" (global batch 63 on 2
            ranks), "resume" (a BackupAndRestore whose directory records a job of 3 ranks);
            then an interrupted run resumed from rank 0's backup (``resume_round_trip``).
"""
from __future__ import annotations

import os
import sys
import time

import numpy as np

import glassnet
from glassnet import backend, layers


def data(n: int, features: int = 6, seed: int = 0, dtype="float64"):
    """Rows whose first feature is the sample id / n (so a step can tell which rows it got)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype(dtype)
    x[:, 0] = np.arange(n) / n
    y = (x[:, 1] + 0.5 * x[:, 2] > 0).astype("int64")
    return x, y


def mlp(units: int = 8) -> glassnet.Sequential:
    return glassnet.Sequential([glassnet.Input((6,)), layers.Dense(units, activation="tanh"), layers.Dense(2)])


def cnn() -> glassnet.Sequential:
    return glassnet.Sequential([glassnet.Input((6, 6, 1)), layers.Conv2D(3, 3), layers.BatchNormalization(),
                                layers.Activation("relu"), layers.Flatten(), layers.Dense(2)])


class Recording(glassnet.Sequential):
    """Records the sample ids of every training step's batch (its first input feature · n)."""

    n = 261

    def train_step(self, data):
        self.seen.append(np.rint(np.asarray(data[0])[:, 0] * self.n).astype(np.int64))
        return super().train_step(data)


def train(outdir: str, plain: bool) -> None:
    from glassnet import distributed

    strategy = None if plain else distributed.DataParallel(sync_batch_norm=True, timeout=30)
    rank = 0 if plain else strategy.rank
    out = {}
    runs = (("mlp64", mlp, "float64", lambda: glassnet.optimizers.SGD(0.1), 6),
            ("cnn64", cnn, "float64", lambda: glassnet.optimizers.SGD(0.05), 36),
            ("mlp32", mlp, "float32", lambda: glassnet.optimizers.Adam(0.01), 6),
            ("cnnlocal", cnn, "float64", lambda: glassnet.optimizers.SGD(0.05), 36))
    per_rank = None if plain else distributed.DataParallel(timeout=30)     # batch-norm statistics per rank
    for name, build, dtype, optimizer, features in runs:
        backend.set_floatx(dtype)
        # different initial weights per rank for the MLPs: the broadcast from rank 0 makes them equal
        glassnet.utils.set_random_seed(1 + rank if not name.startswith("cnn") else 7)
        x, y = data(256, features, dtype=dtype)
        if name.startswith("cnn"):
            x = x.reshape(-1, 6, 6, 1)
        model = build()
        model.compile(optimizer(), glassnet.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        glassnet.utils.set_random_seed(123)                                   # the shuffling seed: same everywhere
        callbacks = [glassnet.callbacks.ModelCheckpoint(os.path.join(outdir, f"checkpoint_rank{rank}.glassnet"))]
        history = model.fit(x, y, batch_size=64, epochs=2, verbose=0,
                            distribute=per_rank if name == "cnnlocal" else strategy,
                            callbacks=callbacks if name == "mlp64" else None)
        for i, w in enumerate(model.get_weights()):
            out[f"{name}_w{i}"] = w
        out[f"{name}_loss"] = np.array(history.history["loss"])
        out[f"{name}_accuracy"] = np.array(history.history["accuracy"])
        if strategy is not None:
            out[f"{name}_allreduce_bytes"] = np.array(strategy.bucket.nbytes)
    # Horovod's way, without DataParallel: the script shards the data itself (rank r takes
    # rows [64b + 32r, 64b + 32r + 32) of each global batch b, in order), wraps the optimizer
    # and broadcasts rank 0's start; the reference is one process on the unshuffled data.
    backend.set_floatx("float64")
    glassnet.utils.set_random_seed(11 + rank)
    x, y = data(256)
    size = 1 if plain else strategy.size
    rows = np.arange(256).reshape(-1, size, 64 // size)[:, rank].reshape(-1)
    model = mlp()
    optimizer = glassnet.optimizers.SGD(0.1)
    callbacks = []
    if not plain:
        optimizer = distributed.DistributedOptimizer(optimizer)
        callbacks = [distributed.BroadcastGlobalVariablesCallback(0)]
    model.compile(optimizer, glassnet.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x[rows], y[rows], batch_size=64 // size, epochs=2, shuffle=False, verbose=0, callbacks=callbacks)
    for i, w in enumerate(model.get_weights()):
        out[f"horovod_w{i}"] = w
    backend.set_floatx("float32")
    glassnet.utils.set_random_seed(5)
    x, y = data(Recording.n, dtype="float32")
    model = Recording([glassnet.Input((6,)), layers.Dense(2)])
    model.seen = []
    model.compile("sgd", glassnet.losses.SparseCategoricalCrossentropy(from_logits=True))
    glassnet.utils.set_random_seed(99)
    model.fit(x, y, batch_size=64, epochs=1, verbose=0, distribute=strategy)
    for step, ids in enumerate(model.seen):
        out[f"ids_{step}"] = ids
    np.savez(os.path.join(outdir, f"train_{'plain' if plain else rank}.npz"), **out)


class AtStep(glassnet.callbacks.Callback):
    """Runs ``action`` on rank 1 when its third training step begins."""

    def __init__(self, rank: int, action):
        super().__init__()
        self.rank, self.action = rank, action

    def on_train_batch_begin(self, batch, logs=None):
        if self.rank == 1 and batch == 2:
            self.action()


def fit_case(case: str, outdir: str, timeout: float) -> None:
    from glassnet import distributed

    strategy = distributed.DataParallel(timeout=timeout)
    rank = strategy.rank
    glassnet.utils.set_random_seed(0)
    x, y = data(256)
    model = mlp(9 if case == "config" and rank == 1 else 8)
    model.compile("sgd", glassnet.losses.SparseCategoricalCrossentropy(from_logits=True))
    callbacks, batch_size = [], 64
    if case == "die":
        callbacks = [AtStep(rank, lambda: os._exit(3))]
    elif case == "hang":
        callbacks = [AtStep(rank, lambda: time.sleep(120))]
    elif case == "batch":
        batch_size = 63
    elif case == "resume":
        callbacks = [glassnet.callbacks.BackupAndRestore(os.path.join(outdir, "backup"))]
    with strategy.scope():
        model.fit(x, y, batch_size=batch_size, epochs=3, verbose=0, callbacks=callbacks)
    print(f"rank {rank}: fit returned ({case})", flush=True)


class Interrupt(glassnet.callbacks.Callback):
    """Raises KeyboardInterrupt (as Ctrl-C would) at the end of epoch ``at``."""

    def __init__(self, at: int):
        super().__init__()
        self.at = at

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.at:
            raise KeyboardInterrupt


def resume_round_trip(outdir: str) -> None:
    """4 epochs straight vs 2 epochs, interrupted, then resumed from rank 0's backup in a
    new model: the same weights. The ranks are seeded differently on purpose: rank 0's
    weights, optimizer state and random-generator state (the shuffling) must win."""
    from glassnet import distributed

    strategy = distributed.DataParallel(timeout=30)
    x, y = data(256)

    def new_model():
        glassnet.utils.set_random_seed(100 + strategy.rank)
        model = mlp()
        model.compile(glassnet.optimizers.Adam(0.01), glassnet.losses.SparseCategoricalCrossentropy(from_logits=True))
        return model

    straight = new_model()
    straight.fit(x, y, batch_size=64, epochs=4, verbose=0, distribute=strategy)
    backup = glassnet.callbacks.BackupAndRestore(os.path.join(outdir, "backup_ok"))
    try:
        new_model().fit(x, y, batch_size=64, epochs=4, verbose=0, distribute=strategy,
                        callbacks=[backup, Interrupt(1)])
    except KeyboardInterrupt:
        pass
    resumed = new_model()
    resumed.fit(x, y, batch_size=64, epochs=4, verbose=0, distribute=strategy,
                callbacks=[glassnet.callbacks.BackupAndRestore(os.path.join(outdir, "backup_ok"))])
    difference = max(float(np.max(np.abs(a - b))) for a, b in zip(straight.get_weights(), resumed.get_weights()))
    print(f"RESUMED rank {strategy.rank}: iterations {resumed.optimizer.iterations}, max difference {difference!r}",
          flush=True)


def bad(outdir: str) -> None:
    from glassnet import distributed

    for case in ("config", "batch", "resume"):
        try:
            fit_case(case, outdir, timeout=30)
        except distributed.DistributedError as error:
            print(f"ERROR {case}: {error}", flush=True)
    resume_round_trip(outdir)


if __name__ == "__main__":
    scenario, outdir = sys.argv[1], sys.argv[2]
    if scenario == "train":
        train(outdir, plain="--plain" in sys.argv)
    elif scenario == "bad":
        bad(outdir)
    else:
        fit_case(scenario, outdir, timeout=3)

"""Small models, data and a training job shared by the monitor tests (also run in child processes)."""
from __future__ import annotations

import numpy as np

import glassnet as gn


def data(n: int = 96, features: int = 6, seed: int = 0):
    """Two Gaussian blobs (NumPy only: child processes start faster without scikit-learn)."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    x = rng.normal(size=(n, features)) + 1.5 * y[:, None]
    return x.astype(np.float32), y.astype(np.int64)


def model(features: int = 6, seed: int = 0):
    gn.utils.set_random_seed(seed)
    net = gn.Sequential([gn.layers.Input((features,)), gn.layers.Dense(8, activation="relu"),
                         gn.layers.Dense(2, activation="softmax")])
    net.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return net


def train_runs(db: str, tag: str, runs: int, epochs: int, barrier=None, results=None) -> list:
    """Train ``runs`` short runs named ``<tag>-<i>`` into ``db``; returns their ids (a child process's job:
    it first waits at ``barrier``, so that two children write at the same time, and puts the ids in ``results``)."""
    from glassnet.monitor import Monitor
    x, y = data()
    model().fit(x, y, epochs=1, verbose=0)   # warm up before the start line
    if barrier is not None:
        barrier.wait(timeout=120)
    ids = []
    for i in range(runs):
        monitor = Monitor(name=f"{tag}-{i}", db=db, notify=False, batch_every=1, flush_every=0.05)
        model().fit(x, y, epochs=epochs, batch_size=16, verbose=0, callbacks=[monitor])
        ids.append(monitor.run_id)
    if results is not None:
        results.put((tag, ids))
    return ids


def train_forever(db: str) -> None:
    """Train until killed, heartbeat every 0.1 s (the SIGKILL test's child)."""
    from glassnet.monitor import Monitor
    x, y = data()
    model().fit(x, y, epochs=10**6, batch_size=16, verbose=0,
                callbacks=[Monitor(name="doomed", db=db, notify=False, flush_every=0.1)])

"""Distributed hyperparameter search: MPI ranks as the workers of one Optuna study.

Every rank runs the same ``glassnet.tuning.Tuner`` on one shared storage; Optuna hands
each new trial a distinct number, and every rank's sampler reads all finished trials, so
p ranks with ``--trials n`` each complete p·n distinct trials of one study. Nothing is
sent over MPI but a final barrier — the storage is the meeting point:

* one machine: Optuna's journal file, ``--storage journal:///tmp/study.log`` (an
  append-only log guarded by a lock file; glassnet's ``Tuner`` accepts the URL);
* several machines: the journal file on a shared file system (NFS), or a database server
  all can reach, ``--storage postgresql://user:password@host/db`` (or ``mysql://...``).

Each rank seeds its sampler with ``seed + 1000·rank`` (two samplers seeded alike would
propose the same values; the ``Tuner`` adds the number of trials already in the study to the
seed of a process that joins late, so seeds one apart could still meet). Rank 0 prints the study's results at the end.

Install OpenMPI and mpi4py as in ``examples/distributed_mnist.py``; then::

    mpirun -np 2 python examples/distributed_tuning.py --storage journal:///tmp/study.log --trials 4

(as root: ``mpirun --allow-run-as-root --oversubscribe -np 2 ...``). Without MPI, start the
workers yourself with distinct ``--worker`` numbers — the same study, the same result::

    python examples/distributed_tuning.py --worker 0 --storage journal:///tmp/study.log &
    python examples/distributed_tuning.py --worker 1 --storage journal:///tmp/study.log
"""
from __future__ import annotations

import argparse

import numpy as np

import glassnet as gn
from glassnet import layers
from glassnet.tuning import Tuner


def make_data(n: int = 400, features: int = 8, seed: int = 0):
    """Two classes separated by a noisy linear rule (the same on every worker)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype(np.float32)
    y = (x @ rng.normal(size=features) + 0.3 * rng.normal(size=n) > 0).astype(np.int64)
    return x, y


def build_model(hp) -> gn.Sequential:
    model = gn.Sequential([layers.Input((8,)),
                           layers.Dense(hp.Int("units", 4, 32, step=4), activation="relu"),
                           layers.Dense(2, activation="softmax")])
    model.compile(gn.optimizers.Adam(hp.Float("learning_rate", 1e-3, 1e-1, sampling="log")),
                  "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def worker_rank(args) -> tuple[int, int, object]:
    """(rank, size, barrier): from MPI under mpirun, else from --worker (size unknown: 1)."""
    if args.worker is not None:
        return args.worker, 1, lambda: None
    from glassnet import distributed

    distributed.init(timeout=600)            # the others may still be searching at the barrier
    return distributed.rank(), distributed.size(), distributed.barrier


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--storage", default="journal:///tmp/glassnet_study.log")
    parser.add_argument("--study", default="distributed-mlp")
    parser.add_argument("--trials", type=int, default=4, help="trials per worker")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--worker", type=int, default=None, help="worker number when started without mpirun")
    args = parser.parse_args(argv)

    rank, size, barrier = worker_rank(args)
    gn.utils.set_random_seed(args.seed)
    x, y = make_data()
    tuner = Tuner(build_model, objective="val_accuracy", max_trials=args.trials, algorithm="random",
                  pruning=False, storage=args.storage, study_name=args.study, seed=args.seed + 1000 * rank)
    tuner.search(x, y, epochs=args.epochs, batch_size=32, validation_split=0.25)
    print(f"worker {rank}: finished its {args.trials} trials", flush=True)
    barrier()
    if rank == 0 and size > 1:
        rows = tuner.results()
        print(f"{len(rows)} trials in study {args.study!r}; best {tuner.best_hyperparameters}")
        for row in rows:
            print(f"  #{row['number']:3d} {row['state']:8s} value={row['value']} units={row.get('hp_units')} "
                  f"learning_rate={row.get('hp_learning_rate')}")


if __name__ == "__main__":
    main()

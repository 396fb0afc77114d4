"""Data-parallel training of an MNIST MLP over MPI ranks (glassnet.distributed).

    x (784 pixels in [0, 1]) → Dense 256 ReLU → Dense 10 softmax, Adam, global batch 128

Every rank holds the whole model and the whole data set (MNIST is small); every global
batch of 128 rows is cut into p shards of 128/p rows, one per rank; after the backward
pass one Allreduce averages the gradients and every rank takes the same step. Only rank
0 prints progress and writes the checkpoint. With the same global batch the run follows
the one-process run (up to float round-off), whatever the number of ranks.

Install (once per machine; Debian/Ubuntu shown — any MPI works, mpi4py builds against
the one whose ``mpicc`` is on the PATH)::

    apt-get install -y openmpi-bin libopenmpi-dev     # OpenMPI 4.1 on Debian 12
    pip install mpi4py                                # or: pip install glassnet[distributed]

Run on one machine (two processes)::

    mpirun -np 2 python examples/distributed_mnist.py [--epochs 3] [--batch-size 128]

As root (containers), OpenMPI wants ``--allow-run-as-root`` (or the environment variables
``OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1``), and ``--oversubscribe``
lets it start more ranks than the machine has cores::

    mpirun --allow-run-as-root --oversubscribe -np 2 python examples/distributed_mnist.py

Run on several machines: the same Python, glassnet and data path on each (a shared
file system, or a copy), password-less ssh from the first machine to the others, and a
hostfile naming them with the ranks each takes::

    # hosts.txt
    node1 slots=4
    node2 slots=4

    mpirun -np 8 --hostfile hosts.txt python examples/distributed_mnist.py

(add ``-x GLASSNET_DATA`` to forward an environment variable, and
``--mca btl_tcp_if_include eth0`` to pin the network interface). The data is read from
local IDX files: ``--data DIR``, else ``$GLASSNET_DATA/mnist``, else ``../shared/data/mnist``.
Without the files, ``--synthetic`` trains on random digits-shaped data (a smoke test).
"""
from __future__ import annotations

import argparse
import time

import numpy as np

import glassnet as gn
from glassnet import distributed, layers


def load(args):
    if args.synthetic:
        rng = np.random.default_rng(0)
        x = rng.random((6000, 784), dtype=np.float32)
        y = (x[:, :392].sum(axis=1) > x[:, 392:].sum(axis=1)).astype(np.int64)
        return (x[:5000], y[:5000]), (x[5000:], y[5000:])
    from glassnet.datasets import mnist

    (x_train, y_train), (x_test, y_test) = mnist.load_data(args.data)
    scale = lambda images: images.reshape(len(images), 784).astype(np.float32) / 255.0   # noqa: E731
    return (scale(x_train), y_train.astype(np.int64)), (scale(x_test), y_test.astype(np.int64))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=128, help="the global batch (divisible by the ranks)")
    parser.add_argument("--data", default=None)
    parser.add_argument("--synthetic", action="store_true")
    parser.add_argument("--checkpoint", default="distributed_mnist.glassnet")
    args = parser.parse_args()

    strategy = distributed.DataParallel()           # MPI up; rank and size known
    gn.utils.set_random_seed(0)                     # same shuffling on every rank
    (x_train, y_train), (x_test, y_test) = load(args)
    model = gn.Sequential([layers.Input((784,)), layers.Dense(256, activation="relu"),
                           layers.Dense(10, activation="softmax")])
    model.compile(gn.optimizers.Adam(1e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
    if strategy.rank == 0:
        print(f"{strategy.size} rank(s), global batch {args.batch_size} = {strategy.size} × "
              f"{args.batch_size // strategy.size}")
    start = time.perf_counter()
    with strategy.scope():
        model.fit(x_train, y_train, batch_size=args.batch_size, epochs=args.epochs, verbose=2,
                  validation_split=0.1,
                  callbacks=[gn.callbacks.ModelCheckpoint(args.checkpoint, monitor="val_accuracy",
                                                          save_best_only=True)])
    seconds = time.perf_counter() - start
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)   # the same weights on every rank
    if strategy.rank == 0:
        bucket = strategy.bucket
        print(f"test accuracy {accuracy:.4f}, {seconds:.1f} s; gradient allreduce: {bucket.nbytes / 1e6:.2f} MB "
              f"per step, {1e3 * bucket.total_seconds / max(bucket.calls, 1):.2f} ms per step on average")


if __name__ == "__main__":
    main()

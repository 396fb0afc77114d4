"""The course's hyperparameter search on Fashion-MNIST, with ``glassnet.tuning`` (Optuna).

The search space, drawn by the build function from ``hp``:

    x (784) → Dense 200–400 units → Dense 100–200 units          (activation: tanh or relu)
            → 2–4 blocks of Dense 50–100 units, L2 λ ∈ {0.1, 0.5}  (the same activation)
            → optional BatchNormalization after each block
            → Dense 10 softmax
    Adam, learning rate drawn log-uniformly in [1e-4, 1e-2]

A small budget by default: 8 TPE trials of 3 epochs on the first 10,000 training images
(the last 20% of them for validation), maximising ``val_accuracy``, with median pruning.
Then the best model is evaluated on the test set, and the trials table and the two plots
(optimisation history, parameter importances) are written. ``--storage sqlite:///fm.db``
keeps the study so that a second run continues it (and several processes can share it).

The data is the four standard IDX files, read from disk, as in ``fashion_mnist_mlp.py``.

Run:  python examples/fashion_mnist_tuning.py [--data DIR] [--trials 8] [--epochs 3] [--train 10000]
                                              [--storage URL] [--seed 0]
"""
from __future__ import annotations

import argparse
import sys
import time

import glassnet as gn
from glassnet.datasets import fashion_mnist
from glassnet.tuning import Tuner


def build_model(hp):
    activation = hp.Choice("activation", ["tanh", "relu"])
    model = gn.Sequential([gn.layers.Input((784,)),
                           gn.layers.Dense(hp.Int("units_1", 200, 400, step=50), activation=activation),
                           gn.layers.Dense(hp.Int("units_2", 100, 200, step=25), activation=activation)])
    batch_norm = hp.Boolean("batch_norm")
    l2 = hp.Choice("l2", [0.1, 0.5])
    for block in range(hp.Int("blocks", 2, 4)):   # units_block_3 exists only in trials with 4 blocks
        units = hp.Int(f"units_block_{block}", 50, 100, step=10)
        model.add(gn.layers.Dense(units, activation=activation, kernel_regularizer=gn.regularizers.L2(l2)))
        if batch_norm:
            model.add(gn.layers.BatchNormalization())
    model.add(gn.layers.Dense(10, activation="softmax"))
    learning_rate = hp.Float("learning_rate", 1e-4, 1e-2, sampling="log")
    model.compile(gn.optimizers.Adam(learning_rate), "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None, help="folder with the four IDX files")
    parser.add_argument("--trials", type=int, default=8)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--train", type=int, default=10_000, help="training images used by the search")
    parser.add_argument("--storage", default=None, help="an Optuna storage URL, e.g. sqlite:///fm.db")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    try:
        (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data(path=args.data)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    x_train = x_train[:args.train].reshape(-1, 784).astype("float32") / 255.0
    y_train = y_train[:args.train]
    x_test = x_test.reshape(-1, 784).astype("float32") / 255.0

    tuner = Tuner(build_model, objective="val_accuracy", max_trials=args.trials, algorithm="tpe",
                  storage=args.storage, study_name="fashion_mnist_mlp", seed=args.seed)
    start = time.perf_counter()
    tuner.search(x_train, y_train, epochs=args.epochs, validation_split=0.2, batch_size=128)
    print(f"{args.trials} trials in {time.perf_counter() - start:.0f} s")
    for row in tuner.results():
        value = "-" if row["value"] is None else f"{row['value']:.4f}"
        print(f"trial {row['number']:3d} {row['state']:8s} val_accuracy {value}")
    print("best:", tuner.best_hyperparameters)
    _, accuracy = tuner.best_model().evaluate(x_test, y_test, verbose=0)
    print(f"best model's test accuracy: {accuracy:.4f}")
    tuner.plot_history("fashion_mnist_tuning_history.png")
    tuner.plot_importances("fashion_mnist_tuning_importances.png")
    print("plots: fashion_mnist_tuning_history.png, fashion_mnist_tuning_importances.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())

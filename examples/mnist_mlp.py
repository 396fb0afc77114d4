"""A multilayer perceptron on MNIST (or Fashion-MNIST), the Keras way.

    x (784 pixels in [0, 1]) → Dense 512 ReLU → Dropout 0.2 → Dense 256 ReLU → Dense 10 softmax

trained with Adam on sparse categorical cross-entropy, holding out the last 10% of the
training set for validation, with EarlyStopping on the validation loss (the best epoch's
weights are put back). Prints the test accuracy and saves the learning curves (loss and
accuracy, training vs validation, per epoch) as a PNG.

Typical results: MNIST ≈ 98% test accuracy, Fashion-MNIST ≈ 88–89%.

The data is read from local IDX files (``glassnet.datasets``; glassnet never downloads):
``--data DIR``, else ``$GLASSNET_DATA/<name>``, else ``../shared/data/<name>``.

Run:  python examples/mnist_mlp.py [--dataset mnist|fashion] [--epochs 20] [--plot curves.png]
"""
from __future__ import annotations

import argparse
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import glassnet as gn  # noqa: E402
from glassnet import layers  # noqa: E402
from glassnet.callbacks import EarlyStopping  # noqa: E402
from glassnet.datasets import fashion_mnist, mnist  # noqa: E402

LOADERS = {"mnist": mnist, "fashion": fashion_mnist}


def build_model() -> gn.Sequential:
    model = gn.Sequential([
        layers.Input((784,)),
        layers.Dense(512, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(256, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def plot_curves(history: dict, title: str, path: str) -> None:
    """Loss and accuracy per epoch, training vs validation, side by side."""
    epochs = np.arange(1, len(history["loss"]) + 1)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, key in zip(axes, ("loss", "accuracy")):
        ax.plot(epochs, history[key], "o-", label=f"training {key}")
        ax.plot(epochs, history["val_" + key], "s-", label=f"validation {key}")
        ax.set_xlabel("epoch")
        ax.set_ylabel(key)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def train(x_train, y_train, epochs: int, batch_size: int, patience: int):
    """Fit ``build_model()`` with a 10% validation split and EarlyStopping; (model, history, seconds)."""
    model = build_model()
    model.summary()
    stop = EarlyStopping(monitor="val_loss", patience=patience, restore_best_weights=True, verbose=1)
    start = time.perf_counter()
    history = model.fit(x_train, y_train, batch_size=batch_size, epochs=epochs, validation_split=0.1,
                        callbacks=[stop], verbose=2)
    return model, history, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=sorted(LOADERS), default="mnist")
    parser.add_argument("--data", default=None, help="folder with the four IDX files")
    parser.add_argument("--epochs", type=int, default=20, help="maximum epochs (EarlyStopping may stop sooner)")
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--patience", type=int, default=5, help="EarlyStopping patience (epochs)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--plot", default=None, help="PNG for the learning curves (default <dataset>_mlp_curves.png)")
    args = parser.parse_args()

    try:
        (x_train, y_train), (x_test, y_test) = LOADERS[args.dataset].load_data(path=args.data)
    except FileNotFoundError as error:
        print(f"dataset not found, nothing to do:\n{error}")
        return 0
    gn.utils.set_random_seed(args.seed)
    x_train = x_train.reshape(len(x_train), 784).astype("float32") / 255.0   # pixels 0..255 → [0, 1]
    x_test = x_test.reshape(len(x_test), 784).astype("float32") / 255.0
    print(f"{args.dataset}: train {x_train.shape}, test {x_test.shape}")

    model, history, seconds = train(x_train, y_train, args.epochs, args.batch_size, args.patience)
    epochs = len(history.history["loss"])
    print(f"trained {epochs} epochs in {seconds:.1f} s ({seconds / epochs:.1f} s/epoch)")

    test_loss, test_accuracy = model.evaluate(x_test, y_test, batch_size=512, verbose=0)
    print(f"test loss {test_loss:.4f}, test accuracy {test_accuracy:.4f}")
    path = args.plot or f"{args.dataset}_mlp_curves.png"
    plot_curves(history.history, f"{args.dataset} MLP 512-256-10 (Adam), test accuracy {test_accuracy:.2%}", path)
    print(f"learning curves saved to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

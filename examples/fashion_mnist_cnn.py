"""Fashion-MNIST with a small CNN: ≥ 91% test accuracy (the course's Conv-pool-Conv-pool-Dense).

    28×28×1 → Conv 32 3×3 "same" ReLU → MaxPool 2 → Conv 64 3×3 "same" ReLU → MaxPool 2
            → Flatten → Dropout 0.3 → Dense 128 ReLU → Dense 10 softmax

(3,136 features reach the dense layers: 7×7×64.) Adam (learning rate 1e-3), sparse categorical
cross-entropy, batch 64, the last 10% of the training set held out for validation, and
``EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)`` over at most
``--epochs`` epochs. ``--augment`` puts RandomFlip("horizontal") and RandomTranslation(0.1, 0.1)
in front of the network (active only while training); it regularizes, so it needs more epochs.

Prints one line per epoch, then the epochs, the time, the test accuracy, and the path of the
learning curves. Data: the four IDX files of Fashion-MNIST in ``--data DIR``, else
``$GLASSNET_DATA/fashion-mnist``, else ``../shared/data/fashion-mnist`` (never downloaded).

Run:  python examples/fashion_mnist_cnn.py [--data DIR] [--epochs 15] [--augment] [--seed 0] [--plot cnn.png]
"""
from __future__ import annotations

import argparse
import sys
import time

import glassnet as gn
from glassnet import layers
from glassnet.callbacks import EarlyStopping
from glassnet.datasets import fashion_mnist
from mnist_mlp import plot_curves   # the learning-curve plot of the MLP examples


def build_model(augment: bool = False) -> gn.Sequential:
    """The course's CNN; with ``augment``, two augmentation layers in front (training only)."""
    augmentation = [layers.RandomFlip("horizontal"), layers.RandomTranslation(0.1, 0.1)] if augment else []
    model = gn.Sequential([
        layers.Input((28, 28, 1)),
        *augmentation,
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dropout(0.3),
        layers.Dense(128, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ], name="fashion_mnist_cnn")
    model.compile(optimizer=gn.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def load(path):
    """Fashion-MNIST as (n, 28, 28, 1) float32 images in [0, 1] and integer labels; without the
    files, the loader's error (it names them and the folders searched) and exit status 1."""
    try:
        (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data(path=path)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(1) from None
    return ((x_train[..., None].astype("float32") / 255.0, y_train),
            (x_test[..., None].astype("float32") / 255.0, y_test))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None, help="folder with the four IDX files")
    parser.add_argument("--epochs", type=int, default=15, help="maximum epochs; EarlyStopping may stop sooner")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--augment", action="store_true", help="random flips and shifts while training")
    parser.add_argument("--seed", type=int, default=0, help="seeds weights, dropout, augmentation and shuffling")
    parser.add_argument("--plot", default="fashion_mnist_cnn_curves.png", help="PNG for the learning curves")
    args = parser.parse_args()
    (x_train, y_train), (x_test, y_test) = load(args.data)
    gn.utils.set_random_seed(args.seed)
    print(f"Fashion-MNIST: train {x_train.shape}, test {x_test.shape}; seed {args.seed}"
          f"{', with augmentation' if args.augment else ''}")
    model = build_model(args.augment)
    model.summary()
    start = time.perf_counter()
    history = model.fit(x_train, y_train, batch_size=args.batch_size, epochs=args.epochs, validation_split=0.1,
                        callbacks=[EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)],
                        verbose=2)
    seconds = time.perf_counter() - start
    epochs = len(history.history["loss"])
    best = min(range(epochs), key=history.history["val_loss"].__getitem__) + 1
    print(f"trained {epochs} epochs (best val_loss at epoch {best}, its weights restored) in {seconds:.1f} s "
          f"({seconds / epochs:.1f} s/epoch)")
    test_loss, test_accuracy = model.evaluate(x_test, y_test, batch_size=500, verbose=0)
    print(f"test loss {test_loss:.4f}, test accuracy {test_accuracy:.4f}")
    plot_curves(history.history, f"Fashion-MNIST CNN, test accuracy {test_accuracy:.2%}", args.plot)
    print(f"learning curves saved to {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

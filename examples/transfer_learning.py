"""Transfer learning: a CNN trained on five Fashion-MNIST classes helps learn the other five from 1,000 images.

1. Source task: train a small CNN on classes 0–4 (T-shirt/top, trouser, pullover, dress,
   coat; 30,000 training images).
2. Feature extraction: its convolutional base, ``Model(source.input,
   source.get_layer("flatten").output)``, is frozen (``base.trainable = False``) and a new
   head (Dense 64 ReLU → Dense 5 softmax) is trained on classes 5–9 (sandal, shirt, sneaker,
   bag, ankle boot) with only ``--labelled`` (1,000) labelled images.
3. Baseline: the same network, trained from scratch on the same 1,000 images.
4. Fine-tuning (the recipe): unfreeze the base and train everything a little more at a
   10× smaller learning rate — recompile after changing ``trainable`` — so the pretrained
   filters move only slightly.

Both are tested on the 5,000 test images of classes 5–9; the script prints the three accuracies.

The fine-tuning recipe in general: (a) freeze the base and train the new head until it
converges (a randomly initialised head would otherwise send large gradients into the
pretrained filters); (b) set ``base.trainable = True`` (optionally only for the last block),
compile again with a small learning rate (1e-4 or 1e-5 for Adam), and train a few epochs. A
frozen BatchNormalization layer runs in inference mode (its moving statistics), as in Keras.

Run:  python examples/transfer_learning.py [--data DIR] [--labelled 1000] [--seed 0]
"""
from __future__ import annotations

import argparse
import sys
import time

import numpy as np

import glassnet as gn
from glassnet import layers
from fashion_mnist_cnn import load


def convolutional_base(inputs):
    x = layers.Conv2D(32, 3, padding="same", activation="relu", name="conv1")(inputs)
    x = layers.MaxPooling2D(2, name="pool1")(x)
    x = layers.Conv2D(64, 3, padding="same", activation="relu", name="conv2")(x)
    x = layers.MaxPooling2D(2, name="pool2")(x)
    return layers.Flatten(name="flatten")(x)


def head(features, prefix: str):
    x = layers.Dropout(0.3, name=f"{prefix}_dropout")(features)
    x = layers.Dense(64, activation="relu", name=f"{prefix}_dense")(x)
    return layers.Dense(5, activation="softmax", name=f"{prefix}_predictions")(x)


def compiled(inputs, outputs, learning_rate=1e-3):
    model = gn.Model(inputs, outputs)
    model.compile(optimizer=gn.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None, help="folder with the four Fashion-MNIST IDX files")
    parser.add_argument("--labelled", type=int, default=1000, help="labelled images of classes 5–9 for the new task")
    parser.add_argument("--source-epochs", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=30, help="epochs on the small labelled set")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    (x_train, y_train), (x_test, y_test) = load(args.data)
    gn.utils.set_random_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    source, target = y_train < 5, y_train >= 5
    chosen = rng.choice(np.flatnonzero(target), size=args.labelled, replace=False)
    x_small, y_small = x_train[chosen], y_train[chosen] - 5
    x_new, y_new = x_test[y_test >= 5], y_test[y_test >= 5] - 5

    start = time.perf_counter()
    inputs = layers.Input((28, 28, 1), name="image")
    source_model = compiled(inputs, head(convolutional_base(inputs), "source"))
    source_model.fit(x_train[source], y_train[source], batch_size=64, epochs=args.source_epochs, verbose=2)
    _, source_accuracy = source_model.evaluate(x_test[y_test < 5], y_test[y_test < 5], verbose=0)
    print(f"source task (classes 0–4, {int(source.sum()):,} images): test accuracy {source_accuracy:.4f}")

    base = gn.Model(source_model.input, source_model.get_layer("flatten").output, name="pretrained_base")
    base.trainable = False
    new_inputs = layers.Input((28, 28, 1), name="new_image")
    transfer = compiled(new_inputs, head(base(new_inputs), "new"))
    frozen_before = [w.copy() for w in base.get_weights()]
    transfer.fit(x_small, y_small, batch_size=32, epochs=args.epochs, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(frozen_before, base.get_weights())), "the frozen base moved"
    _, transfer_accuracy = transfer.evaluate(x_new, y_new, verbose=0)

    scratch_inputs = layers.Input((28, 28, 1), name="scratch_image")
    scratch = compiled(scratch_inputs, head(convolutional_base(scratch_inputs), "scratch"))
    scratch.fit(x_small, y_small, batch_size=32, epochs=args.epochs, verbose=0)
    _, scratch_accuracy = scratch.evaluate(x_new, y_new, verbose=0)

    base.trainable = True                                   # fine-tuning: everything, 10× smaller steps
    transfer.compile(optimizer=gn.optimizers.Adam(1e-4), loss="sparse_categorical_crossentropy",
                     metrics=["accuracy"])
    transfer.fit(x_small, y_small, batch_size=32, epochs=5, verbose=0)
    _, tuned_accuracy = transfer.evaluate(x_new, y_new, verbose=0)

    print(f"new task (classes 5–9) from {args.labelled:,} labelled images, tested on {len(x_new):,}:")
    print(f"  without transfer (trained from scratch):  {scratch_accuracy:.4f}")
    print(f"  with transfer (frozen base, new head):     {transfer_accuracy:.4f}")
    print(f"  after fine-tuning the whole network:       {tuned_accuracy:.4f}")
    print(f"total time {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

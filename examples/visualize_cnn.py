"""See inside a CNN: its learned first-layer filters, and the feature maps one image produces.

Trains the course's CNN (``fashion_mnist_cnn.build_model``) for ``--epochs`` (default 2) on
Fashion-MNIST — or loads a model saved with ``model.save`` (``--model PATH``) — then writes:

* ``<out>_filters.png``: the 32 learned 3×3 kernels of the first convolution (blue negative,
  red positive): edge, bar and blob detectors appear within an epoch;
* ``<out>_feature_maps.png``: one test image and, for each convolution, its feature maps
  (the activations after ReLU), read with ``Model(model.input, layer.output)`` — the
  feature-extraction pattern of transfer learning.

Run:  python examples/visualize_cnn.py [--data DIR] [--epochs 2] [--model PATH] [--image 0] [--out cnn]
"""
from __future__ import annotations

import argparse
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import glassnet as gn  # noqa: E402
from fashion_mnist_cnn import build_model, load  # noqa: E402

CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def plot_filters(kernel, path):
    """kernel (3, 3, 1, filters) → a grid of the filters, one colour scale for all."""
    filters = kernel[:, :, 0, :]
    count = filters.shape[-1]
    columns = 8
    rows = -(-count // columns)
    limit = float(np.abs(filters).max())
    figure, axes = plt.subplots(rows, columns, figsize=(columns * 1.2, rows * 1.2))
    for i, axis in enumerate(axes.flat):
        axis.axis("off")
        if i < count:
            axis.imshow(filters[:, :, i], cmap="bwr", vmin=-limit, vmax=limit)
            axis.set_title(str(i), fontsize=7)
    figure.suptitle("first convolution: 32 learned 3×3 filters")
    figure.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(figure)


def plot_feature_maps(model, image, label, path, maps_per_layer=16):
    convolutions = [layer for layer in model.layers if isinstance(layer, gn.layers.Conv2D)]
    extractor = gn.Model(model.inputs, [layer.output for layer in convolutions])
    activations = extractor.predict(image[None], verbose=0)
    figure, axes = plt.subplots(len(convolutions) + 1, maps_per_layer,
                                figsize=(maps_per_layer * 0.9, (len(convolutions) + 1) * 1.1))
    for axis in axes.flat:
        axis.axis("off")
    axes[0, 0].imshow(image[:, :, 0], cmap="gray")
    axes[0, 0].set_title(CLASSES[label], fontsize=7)
    for row, (layer, maps) in enumerate(zip(convolutions, activations), start=1):
        for i in range(min(maps_per_layer, maps.shape[-1])):
            axes[row, i].imshow(maps[0, :, :, i], cmap="viridis")
        axes[row, 0].set_title(f"{layer.name} {maps.shape[1]}×{maps.shape[2]}", fontsize=7, loc="left")
    figure.suptitle("feature maps (after ReLU) of one test image")
    figure.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(figure)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None, help="folder with the four Fashion-MNIST IDX files")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--model", default=None, help="a model saved with model.save (skips training)")
    parser.add_argument("--image", type=int, default=0, help="index of the test image to look at")
    parser.add_argument("--out", default="cnn", help="prefix of the two PNG files")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    (x_train, y_train), (x_test, y_test) = load(args.data)
    gn.utils.set_random_seed(args.seed)
    if args.model:
        model = gn.models.load_model(args.model)
    else:
        model = build_model()
        model.fit(x_train, y_train, batch_size=64, epochs=args.epochs, verbose=2)
    first = next(layer for layer in model.layers if isinstance(layer, gn.layers.Conv2D))
    plot_filters(first.kernel.numpy(), f"{args.out}_filters.png")
    plot_feature_maps(model, x_test[args.image], int(y_test[args.image]), f"{args.out}_feature_maps.png")
    print(f"saved {args.out}_filters.png and {args.out}_feature_maps.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())

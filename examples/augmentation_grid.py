"""Data augmentation, seen: 8 Fashion-MNIST images, each augmented 6 times, in one PNG grid.

The pipeline is the usual one for small images — RandomFlip("horizontal"), RandomRotation(0.1)
(up to ±36°), RandomZoom(0.1), RandomTranslation(0.1, 0.1), RandomContrast(0.2) — called with
``training=True`` (at inference every Random* layer is the identity). Row i shows image i:
the original in the first column, then six draws. The seed makes the picture repeat.

Run:  python examples/augmentation_grid.py [--out augmentation_grid.png] [--seed 0] [--data DIR]
(the data: ../shared/data/fashion-mnist, or ``--data``, or $GLASSNET_DATA/fashion-mnist).
"""
from __future__ import annotations

import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from glassnet import layers, utils  # noqa: E402
from glassnet.datasets import fashion_mnist  # noqa: E402

N_IMAGES, N_DRAWS = 8, 6


def pipeline(seed: int) -> list:
    """The augmentation layers, each with its own seeded random stream."""
    return [
        layers.RandomFlip("horizontal", seed=seed),
        layers.RandomRotation(0.1, seed=seed + 1),
        layers.RandomZoom(0.1, seed=seed + 2),
        layers.RandomTranslation(0.1, 0.1, seed=seed + 3),
        layers.RandomContrast(0.2, seed=seed + 4),      # pixels in [0, 255], Keras's default value_range
    ]


def augment(images: np.ndarray, steps: list) -> np.ndarray:
    x = images
    for layer in steps:
        x = layer(x, training=True)
    return x.numpy()


def main(argv=None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="augmentation_grid.png", help="the PNG to write")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", default=None, help="folder with the Fashion-MNIST IDX files")
    args = parser.parse_args(argv)
    try:
        (x_train, y_train), _ = fashion_mnist.load_data(args.data)
    except FileNotFoundError as error:
        raise SystemExit(f"augmentation_grid: Fashion-MNIST is missing.\n{error}") from None

    utils.set_random_seed(args.seed)
    images = x_train[:N_IMAGES, :, :, None]                     # (8, 28, 28, 1) uint8
    steps = pipeline(args.seed)
    draws = [augment(images, steps) for _ in range(N_DRAWS)]    # each (8, 28, 28, 1) float32

    fig, axes = plt.subplots(N_IMAGES, N_DRAWS + 1, figsize=(1.3 * (N_DRAWS + 1), 1.3 * N_IMAGES))
    for i in range(N_IMAGES):
        columns = [images[i, :, :, 0]] + [draw[i, :, :, 0] for draw in draws]
        for j, picture in enumerate(columns):
            ax = axes[i, j]
            ax.imshow(picture, cmap="gray", vmin=0, vmax=255)
            ax.set_xticks([])
            ax.set_yticks([])
            if i == 0:
                ax.set_title("original" if j == 0 else f"draw {j}", fontsize=8)
        axes[i, 0].set_ylabel(fashion_mnist.CLASS_NAMES[y_train[i]], fontsize=7)
    fig.suptitle("RandomFlip · RandomRotation(0.1) · RandomZoom(0.1) · RandomTranslation(0.1) · RandomContrast(0.2)",
                 fontsize=8)
    fig.tight_layout()
    fig.savefig(args.out, dpi=100)
    plt.close(fig)
    path = os.path.abspath(args.out)
    print(path)
    return path


if __name__ == "__main__":
    main(sys.argv[1:])

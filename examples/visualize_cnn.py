"""See inside a CNN: its learned first-layer filters, and the feature maps one image produces.

Trains the course's CNN (``fashion_mnist_cnn.build_model``) for ``--epochs`` (default 2) on
Fashion-MNIST — or loads a model saved with ``model.save`` (``--model PATH``) — then writes:

* ``<out>_filters.png``: the 32 learned 3×3 kernels of the first convolution (blue negative,
  red positive): edge, bar and blob detectors appear within an epoch
  (``glassnet.plot.filters``);
* ``<out>_feature_maps_<layer>.png`` for each convolution: one test image and its feature
  maps (the activations after ReLU), read with ``Model(model.inputs, layer.output)`` — the
  feature-extraction pattern of transfer learning (``glassnet.plot.feature_maps``).

Run:  python examples/visualize_cnn.py [--data DIR] [--epochs 2] [--model PATH] [--image 0] [--out cnn]
"""
from __future__ import annotations

import argparse
import sys

import glassnet as gn
from fashion_mnist_cnn import build_model, load
from glassnet import plot

CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


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
    convolutions = [layer for layer in model.layers if isinstance(layer, gn.layers.Conv2D)]
    plot.filters(convolutions[0], to_file=f"{args.out}_filters.png")
    image, label = x_test[args.image], CLASSES[int(y_test[args.image])]
    saved = [f"{args.out}_filters.png"]
    for layer in convolutions:
        path = f"{args.out}_feature_maps_{layer.name}.png"
        figure = plot.feature_maps(model, layer.name, image, max_maps=15)   # + the input: two rows of 8
        figure.suptitle(f"{layer.name}: feature maps (after ReLU) of a test image ({label})", fontsize=10)
        plot.save(figure, path)
        saved.append(path)
    print("saved " + ", ".join(saved))
    return 0


if __name__ == "__main__":
    sys.exit(main())

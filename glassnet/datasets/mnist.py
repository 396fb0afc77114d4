"""MNIST handwritten digits (LeCun, Cortes & Burges), read from local IDX files.

60,000 training and 10,000 test images of 28×28 grayscale pixels (0 background, 255
ink) with labels 0–9, as ``keras.datasets.mnist.load_data`` returns them — but from
files already on disk (see ``glassnet.datasets.locate``; glassnet never downloads)::

    (x_train, y_train), (x_test, y_test) = glassnet.datasets.mnist.load_data()
    x_train.shape, x_train.dtype      # (60000, 28, 28) uint8
"""
from __future__ import annotations

from .idx import read_idx
from .locate import find_files

FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
         "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
"""The four IDX files of MNIST and Fashion-MNIST (each may also be stored unzipped)."""


def load_data(path=None):
    """Load MNIST from a local folder.

    Args:
        path: folder holding the four IDX files (``train-images-idx3-ubyte.gz``,
            ``train-labels-idx1-ubyte.gz``, ``t10k-images-idx3-ubyte.gz``,
            ``t10k-labels-idx1-ubyte.gz``, gzipped or not). Default: ``$GLASSNET_DATA/mnist``,
            else ``../shared/data/mnist`` relative to the current directory or the repository.

    Returns:
        ``((x_train, y_train), (x_test, y_test))``: images ``(n, 28, 28)`` and labels ``(n,)``,
        all uint8.

    Raises:
        FileNotFoundError: if no folder has the four files (it says where it looked).
        ValueError: for a corrupt file, or images and labels that do not match.
    """
    return load_image_classification("mnist", path)


def load_image_classification(name: str, path=None):
    """The MNIST-layout loader shared by MNIST and Fashion-MNIST (data set folder ``name``)."""
    x_train, y_train, x_test, y_test = (read_idx(p) for p in find_files(name, FILES, path))
    for split, x, y in (("train", x_train, y_train), ("t10k", x_test, y_test)):
        if x.ndim != 3 or y.ndim != 1 or len(x) != len(y):
            raise ValueError(f"{name}: the {split} images must have shape (n, rows, cols) and the labels (n,), "
                             f"got images {x.shape} and labels {y.shape}")
    return (x_train, y_train), (x_test, y_test)


__all__ = ["load_data", "FILES"]

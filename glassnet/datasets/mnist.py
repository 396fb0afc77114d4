"""MNIST handwritten digits (LeCun, Cortes & Burges), read from local IDX files.

60,000 training and 10,000 test images of 28×28 grayscale pixels (0 background, 255
ink) with labels 0–9, as ``keras.datasets.mnist.load_data`` returns them — but from
files already on disk (see ``glassnet.datasets.locate``; glassnet never downloads), else
from Keras's own cached ``mnist.npz`` (``~/.keras/datasets/mnist.npz``, or ``$KERAS_HOME``)::

    (x_train, y_train), (x_test, y_test) = glassnet.datasets.mnist.load_data()
    x_train.shape, x_train.dtype      # (60000, 28, 28) uint8
"""
from __future__ import annotations

import os

from .idx import read_idx
from .keras_cache import KERAS_ORIGIN, load_npz_members
from .locate import find_files, keras_datasets_dir

FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
         "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
"""The four IDX files of MNIST and Fashion-MNIST (each may also be stored unzipped)."""


def load_data(path=None):
    """Load MNIST from a local folder.

    Args:
        path: folder holding the four IDX files (``train-images-idx3-ubyte.gz``,
            ``train-labels-idx1-ubyte.gz``, ``t10k-images-idx3-ubyte.gz``,
            ``t10k-labels-idx1-ubyte.gz``, gzipped or not). Default: ``$GLASSNET_DATA/mnist``,
            else ``../shared/data/mnist`` relative to the current directory or the repository,
            else Keras's cached ``mnist.npz``. A name or path ending in ``.npz`` means Keras's
            file (``keras.datasets.mnist.load_data(path="mnist.npz")``: a name inside Keras's cache).

    Returns:
        ``((x_train, y_train), (x_test, y_test))``: images ``(n, 28, 28)`` and labels ``(n,)``,
        all uint8.

    Raises:
        FileNotFoundError: if no folder has the four files (it says where it looked).
        ValueError: for a corrupt file, or images and labels that do not match.
    """
    if isinstance(path, (str, os.PathLike)) and os.fspath(path).endswith(".npz"):
        return _load_keras_npz(path)
    try:
        return load_image_classification("mnist", path)
    except FileNotFoundError as error:
        if path is not None:
            raise
        if not (keras_datasets_dir() / "mnist.npz").is_file():
            raise FileNotFoundError(f"{error}\nNor is there Keras's {keras_datasets_dir() / 'mnist.npz'} (Keras "
                                    f"downloads it from {KERAS_ORIGIN}mnist.npz).") from None
    return _load_keras_npz("mnist.npz")


def _load_keras_npz(path):
    x_train, y_train, x_test, y_test = load_npz_members("mnist", path, ("x_train", "y_train", "x_test", "y_test"),
                                                        objects=False)
    return (x_train, y_train), (x_test, y_test)


def load_image_classification(name: str, path=None, also=()):
    """The MNIST-layout loader shared by MNIST and Fashion-MNIST (data set folder ``name``;
    ``also``: folders searched last, as ``locate.find_files``)."""
    x_train, y_train, x_test, y_test = (read_idx(p) for p in find_files(name, FILES, path, also))
    for split, x, y in (("train", x_train, y_train), ("t10k", x_test, y_test)):
        if x.ndim != 3 or y.ndim != 1 or len(x) != len(y):
            raise ValueError(f"{name}: the {split} images must have shape (n, rows, cols) and the labels (n,), "
                             f"got images {x.shape} and labels {y.shape}")
    return (x_train, y_train), (x_test, y_test)


__all__ = ["load_data", "FILES"]

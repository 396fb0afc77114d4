"""CIFAR-100 (Krizhevsky, 2009): 32×32 colour images, 100 classes in 20 superclasses.

As ``keras.datasets.cifar100``: 50,000 training (``train``) and 10,000 test (``test``)
images, uint8, with "fine" labels 0–99 or "coarse" labels 0–19. Read, never downloaded,
from Keras's cache (``~/.keras/datasets/cifar-100-python-target/cifar-100-python/``, or
Keras 2's ``~/.keras/datasets/cifar-100-python/``), the archive ``cifar-100-python.tar.gz``
saved there, or ``$GLASSNET_DATA/cifar100`` (see ``keras_cache.archive_sources``).
"""
from __future__ import annotations

import numpy as np

from .cifar import load_batch, read_batches, to_image_data_format

LABEL_MODES = ("fine", "coarse")
FILES = ("train", "test")


def load_data(label_mode="fine"):
    """Load CIFAR-100 (``keras.datasets.cifar100.load_data``).

    Args:
        label_mode: "fine" (100 classes) or "coarse" (20 superclasses).

    Returns:
        ``((x_train, y_train), (x_test, y_test))``: images ``(n, 32, 32, 3)`` uint8 (``(n, 3, 32, 32)``
        under ``channels_first``) and labels ``(n, 1)`` — int64, as Keras returns them (its
        docstring says uint8, its code reshapes the pickled list of ints).

    Raises:
        ValueError: for an unknown ``label_mode``, or a corrupt batch.
        FileNotFoundError: naming every place looked and the URL of the archive.
        pickle.UnpicklingError: for a batch whose pickle names anything but NumPy arrays.
    """
    if label_mode not in LABEL_MODES:
        raise ValueError(f"cifar100.load_data: `label_mode` must be one of {LABEL_MODES}, got {label_mode!r}")
    files = read_batches("cifar100", "cifar-100-python-target", "cifar-100-python", "cifar-100-python.tar.gz", FILES)
    (x_train, y_train), (x_test, y_test) = (load_batch(files[name], name, f"{label_mode}_labels") for name in FILES)
    x_train, x_test = to_image_data_format(x_train, x_test)
    return (x_train, np.reshape(y_train, (len(y_train), 1))), (x_test, np.reshape(y_test, (len(y_test), 1)))


__all__ = ["load_data", "LABEL_MODES", "FILES"]

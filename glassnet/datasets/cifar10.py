"""CIFAR-10 (Krizhevsky, 2009): 32×32 colour images in 10 classes, as ``keras.datasets.cifar10``.

50,000 training images (``data_batch_1`` … ``data_batch_5``) and 10,000 test images
(``test_batch``), uint8. Read, never downloaded, from Keras's cache as Keras 3 leaves it
(``~/.keras/datasets/cifar-10-batches-py-target/cifar-10-batches-py/``), as Keras 2 left it
(``~/.keras/datasets/cifar-10-batches-py/``), from the archive ``cifar-10-python.tar.gz``
saved there, or from ``$GLASSNET_DATA/cifar10`` (see ``keras_cache.archive_sources``).
"""
from __future__ import annotations

import numpy as np

from .cifar import load_batch, read_batches, to_image_data_format

CLASS_NAMES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
FILES = ("data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5", "test_batch")


def load_data():
    """Load CIFAR-10 (``keras.datasets.cifar10.load_data``).

    Returns:
        ``((x_train, y_train), (x_test, y_test))``: images ``(50000, 32, 32, 3)`` and ``(10000, 32, 32, 3)``
        uint8 (``(n, 3, 32, 32)`` under ``channels_first``), labels ``(n, 1)`` uint8 in 0–9
        (``CLASS_NAMES``). Training images are the five batches in order.

    Raises:
        FileNotFoundError: naming every place looked and the URL of the archive.
        pickle.UnpicklingError: for a batch whose pickle names anything but NumPy arrays.
        ValueError: for a corrupt batch.
    """
    files = read_batches("cifar10", "cifar-10-batches-py-target", "cifar-10-batches-py", "cifar-10-python.tar.gz",
                         FILES)
    batches = [load_batch(files[name], name) for name in FILES]
    x_train = np.concatenate([images for images, _ in batches[:5]]).astype("uint8")
    y_train = np.concatenate([np.asarray(labels) for _, labels in batches[:5]]).astype("uint8")
    x_test, y_test = batches[5]
    x_test, y_test = np.asarray(x_test).astype("uint8"), np.asarray(y_test).astype("uint8")
    x_train, x_test = to_image_data_format(x_train, x_test)
    return (x_train, y_train.reshape(-1, 1)), (x_test, y_test.reshape(-1, 1))


__all__ = ["load_data", "CLASS_NAMES", "FILES"]

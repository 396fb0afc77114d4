"""Fashion-MNIST (Zalando): 28×28 grayscale clothing images, read from local IDX files.

The same layout, sizes and file names as MNIST (60,000 train, 10,000 test, uint8), and
harder. Also read from where Keras caches it (``~/.keras/datasets/fashion-mnist/``, or
``$KERAS_HOME``), the same four gzipped files. Classes: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal,
6 Shirt, 7 Sneaker, 8 Bag, 9 Ankle boot (``CLASS_NAMES``).
"""
from __future__ import annotations

from .keras_cache import KERAS_ORIGIN
from .locate import keras_datasets_dir
from .mnist import load_image_classification

CLASS_NAMES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
               "Ankle boot")


def load_data(path=None):
    """Load Fashion-MNIST from a local folder.

    Args:
        path: folder holding the four IDX files (same names as MNIST's, gzipped or not).
            Default: ``$GLASSNET_DATA/fashion-mnist``, else ``../shared/data/fashion-mnist``
            relative to the current directory or the repository, else Keras's cache
            ``~/.keras/datasets/fashion-mnist`` (``$KERAS_HOME/datasets/fashion-mnist``).

    Returns:
        ``((x_train, y_train), (x_test, y_test))``: images ``(n, 28, 28)`` and labels ``(n,)``,
        all uint8.

    Raises:
        FileNotFoundError: if no folder has the four files (it says where it looked).
        ValueError: for a corrupt file, or images and labels that do not match.
    """
    try:
        return load_image_classification("fashion-mnist", path, also=[keras_datasets_dir() / "fashion-mnist"])
    except FileNotFoundError as error:
        if path is not None:
            raise
        raise FileNotFoundError(f"{error}\nKeras downloads each file from {KERAS_ORIGIN}<file> into "
                                f"{keras_datasets_dir() / 'fashion-mnist'}.") from None


__all__ = ["load_data", "CLASS_NAMES"]

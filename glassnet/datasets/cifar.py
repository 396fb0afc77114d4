"""CIFAR's python batches (Krizhevsky, 2009): the format shared by ``cifar10`` and ``cifar100``.

Each batch file is a Python 2 pickle of a dict with bytes keys::

    b"data"      uint8 array (n, 3072): per image 1024 red, then 1024 green, then 1024 blue
                 pixels, each plane row-major 32 × 32
    b"labels"    list of n ints 0–9                 (CIFAR-10)
    b"fine_labels", b"coarse_labels"  lists of ints (CIFAR-100: 0–99 and 0–19)

so ``data.reshape(n, 3, 32, 32)`` is channels-first; ``channels_last`` (the
``image_data_format`` default) transposes it to ``(n, 32, 32, 3)``. The pickles are read
with ``safe_pickle.RestrictedUnpickler``: only NumPy array rebuilding may be named.
"""
from __future__ import annotations

import numpy as np

from .. import backend
from .keras_cache import archive_sources, keras_datasets_dir, read_archive_files
from .safe_pickle import loads

IMAGE_SHAPE = (3, 32, 32)
"""One image as stored: channels, rows, columns."""


def load_batch(data: bytes, source: str, label_key: str = "labels"):
    """``(images (n, 3, 32, 32) uint8, labels list)`` from one batch file's bytes.

    Raises:
        pickle.UnpicklingError: if the pickle names anything but NumPy array rebuilding.
        ValueError: naming ``source``, for a pickle that is not a CIFAR batch.
    """
    batch = loads(data, source, encoding="bytes")
    if not isinstance(batch, dict):
        raise ValueError(f"{source}: a CIFAR batch is a pickled dict, got {type(batch).__name__}")
    batch = {key.decode("utf8") if isinstance(key, bytes) else key: value for key, value in batch.items()}
    for key in ("data", label_key):
        if key not in batch:
            raise ValueError(f"{source}: no {key!r} in the batch (keys {sorted(map(str, batch))})")
    images, labels = batch["data"], batch[label_key]
    size = int(np.prod(IMAGE_SHAPE))
    if not isinstance(images, np.ndarray) or images.ndim != 2 or images.shape[1] != size:
        raise ValueError(f"{source}: 'data' must be an array (n, {size}), got {getattr(images, 'shape', images)!r}")
    if len(labels) != len(images):
        raise ValueError(f"{source}: {len(images)} images but {len(labels)} labels in {label_key!r}")
    return images.reshape((len(images),) + IMAGE_SHAPE), labels


def read_batches(name: str, keras_dirname: str, inner: str, archive_name: str, filenames) -> dict:
    """``{filename: bytes}`` of a CIFAR variant's batch files, wherever they are (``keras_cache``)."""
    origin = f"https://www.cs.toronto.edu/~kriz/{archive_name}"
    return read_archive_files(name, archive_sources(name, keras_dirname, inner, archive_name), filenames, origin,
                              save_as=keras_datasets_dir() / archive_name)


def to_image_data_format(*images):
    """Channels-first batches as ``image_data_format()`` wants them (a transposed view for channels_last)."""
    if backend.image_data_format() == "channels_last":
        return tuple(x.transpose(0, 2, 3, 1) for x in images)
    return images


__all__ = ["load_batch", "read_batches", "to_image_data_format", "IMAGE_SHAPE"]

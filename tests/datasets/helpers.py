"""Tiny hand-made files in the real data sets' formats (tests never read shared/data)."""
from __future__ import annotations

import gzip
import struct

import numpy as np


def idx_bytes(array: np.ndarray, code: int = 0x08) -> bytes:
    """An IDX file by hand: magic 00 00 <code> <ndim>, big-endian uint32 sizes, big-endian data."""
    header = struct.pack(">HBB", 0, code, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def write(path, data: bytes, compress: bool = False):
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


def make_mnist_folder(folder, n_train=3, n_test=2, compress=True, seed=0):
    """A MNIST-layout folder with random uint8 images (n, 28, 28) and labels 0–9."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {}
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        x = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
        y = rng.integers(0, 10, size=(n,), dtype=np.uint8)
        suffix = ".gz" if compress else ""
        write(folder / f"{prefix}-images-idx3-ubyte{suffix}", idx_bytes(x), compress)
        write(folder / f"{prefix}-labels-idx1-ubyte{suffix}", idx_bytes(y), compress)
        arrays[prefix] = (x, y)
    return arrays

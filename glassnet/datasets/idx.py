"""IDX: the binary array format of MNIST and Fashion-MNIST (LeCun et al.), gzipped or not.

Layout (every header number is a big-endian 32-bit integer)::

    magic:  0x00 0x00 <dtype code> <ndim>           4 bytes
    sizes:  d_1, d_2, ..., d_ndim                   4·ndim bytes
    data:   d_1·d_2·…·d_ndim elements, row-major, big-endian

    dtype code: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64

So MNIST's images start ``00 00 08 03  00 00 EA 60  00 00 00 1C  00 00 00 1C`` (uint8,
3 axes, 60000 × 28 × 28) and its labels ``00 00 08 01  00 00 EA 60``.

A file is read as gzip when it starts with the gzip signature ``1F 8B`` (whatever its
name), else as raw IDX. The data is read straight into a preallocated array (no extra
copy of the 47 MB of MNIST pixels); the result is writable and in native byte order.
"""
from __future__ import annotations

import gzip
import math
import os
import zlib

import numpy as np

GZIP_SIGNATURE = b"\x1f\x8b"

DTYPES = {0x08: np.dtype("u1"), 0x09: np.dtype("i1"), 0x0B: np.dtype(">i2"), 0x0C: np.dtype(">i4"),
          0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}
"""IDX dtype code (the third magic byte) → NumPy dtype as stored (big-endian)."""


def read_idx(path) -> np.ndarray:
    """Read one IDX file (optionally gzip-compressed) into a NumPy array.

    Args:
        path: the file (str or ``os.PathLike``).

    Returns:
        An array of shape ``(d_1, ..., d_ndim)`` with the file's dtype (uint8 for MNIST),
        in native byte order.

    Raises:
        TypeError: if ``path`` is not a str or path-like.
        FileNotFoundError: if the file does not exist.
        ValueError: naming the file, for a bad magic number, an unknown dtype code, a
            truncated header or data, trailing bytes, or a corrupt gzip stream.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"read_idx: `path` must be a str or os.PathLike, got {type(path).__name__}: {path!r}")
    path = os.fspath(path)
    with open(path, "rb") as raw:
        compressed = raw.read(2) == GZIP_SIGNATURE
    try:
        with (gzip.open(path, "rb") if compressed else open(path, "rb")) as stream:
            return _read_stream(stream, path)
    except (EOFError, OSError, zlib.error) as error:   # gzip.BadGzipFile is an OSError
        if isinstance(error, FileNotFoundError):
            raise
        raise ValueError(f"IDX file {path!r}: corrupt or truncated gzip data ({error})") from error


def _read_stream(stream, path: str) -> np.ndarray:
    """Parse magic, sizes and data from an open binary stream (see the module docstring)."""
    magic = _read_exactly(stream, 4, path, "the 4-byte magic number")
    zero, code, ndim = magic[:2], magic[2], magic[3]
    if zero != b"\x00\x00" or code not in DTYPES:
        raise ValueError(f"IDX file {path!r}: bad magic number 0x{magic.hex()}; expected 0x0000 followed by a "
                         f"dtype code in {{{', '.join(f'0x{c:02X}' for c in DTYPES)}}} and the number of axes "
                         "(e.g. 0x00000803 for MNIST images)")
    sizes = np.frombuffer(_read_exactly(stream, 4 * ndim, path, f"the {ndim} axis sizes"), dtype=">u4")
    shape = tuple(int(s) for s in sizes)
    dtype = DTYPES[code]
    array = np.empty(shape, dtype=dtype)
    nbytes = math.prod(shape) * dtype.itemsize
    got = _read_into(stream, memoryview(array.reshape(-1).view(np.uint8)))
    if got < nbytes:
        raise ValueError(f"IDX file {path!r} is truncated: header says shape {shape} of {dtype.name} "
                         f"({nbytes:,} data bytes), but only {got:,} data bytes follow")
    if stream.read(1):
        raise ValueError(f"IDX file {path!r}: unexpected bytes after the {nbytes:,} data bytes of shape {shape}")
    return array.astype(dtype.newbyteorder("="), copy=False)


def _read_exactly(stream, n: int, path: str, what: str) -> bytes:
    data = stream.read(n)
    if len(data) != n:
        raise ValueError(f"IDX file {path!r} is truncated: it ends inside {what} ({len(data)} of {n} bytes)")
    return data


def _read_into(stream, buffer: memoryview) -> int:
    """Fill ``buffer`` from ``stream``; return the number of bytes read (short only at EOF)."""
    filled = 0
    while filled < len(buffer):
        n = stream.readinto(buffer[filled:])
        if not n:
            break
        filled += n
    return filled


__all__ = ["read_idx", "DTYPES"]

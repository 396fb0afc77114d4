"""Reading the pickles inside Keras's data set files without ever running code from them.

CIFAR's python batches are pickles, and IMDB's and Reuters' ``.npz`` archives hold ragged
``dtype=object`` arrays, which NumPy can only store as pickles. A pickle names callables
(``module.name``) that the loader calls while reading; a crafted file can name ``os.system``.
``RestrictedUnpickler`` resolves only the names these files need::

    numpy.ndarray, numpy.dtype                              the array and its dtype
    numpy.core.multiarray._reconstruct (numpy < 2)          the empty array that
    numpy._core.multiarray._reconstruct (numpy >= 2)        ``__setstate__`` fills
    numpy.(_)core.multiarray.scalar                         a NumPy scalar

and refuses every other one with ``pickle.UnpicklingError`` before anything is called.
Lists, dicts, tuples, ints, bytes and str are pickle opcodes, not names, so they need
nothing. ``load_npz`` reads each ``.npy`` member of an archive itself: numeric arrays with
pickling off, object arrays through ``RestrictedUnpickler`` (never
``np.load(allow_pickle=True)``). Every member is read with a size bound (``MAX_BYTES``), so
a small compressed file cannot unpack into unbounded memory.
"""
from __future__ import annotations

import io
import pickle
import zipfile

import numpy as np

ALLOWED_GLOBALS = frozenset({
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"),
    ("numpy._core.multiarray", "scalar"),
})
"""The only ``(module, name)`` pairs a data set pickle may name."""

MAX_BYTES = 4 * 1024 ** 3
"""Largest pickle or ``.npy`` member read (uncompressed), in bytes: 4 GiB (CIFAR-10 is 180 MB)."""


class RestrictedUnpickler(pickle.Unpickler):
    """A ``pickle.Unpickler`` that resolves only ``ALLOWED_GLOBALS`` (NumPy array rebuilding).

    Args:
        file: a binary file object positioned at the pickle.
        source: the file's name, for error messages.
        **kwargs: passed to ``pickle.Unpickler`` (e.g. ``encoding="bytes"`` for Python 2 pickles).
    """

    def __init__(self, file, source="<pickle>", **kwargs):
        super().__init__(file, **kwargs)
        self.source = source

    def find_class(self, module, name):
        if (module, name) in ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f"{self.source}: refusing to load `{module}.{name}` from a data set pickle; only NumPy array "
            f"reconstruction is allowed ({', '.join(sorted('.'.join(g) for g in ALLOWED_GLOBALS))}). "
            "The file is corrupt or malicious; nothing from it was run.")


def read_bounded(stream, source: str, limit: int = None) -> bytes:
    """All of ``stream``, refusing more than ``limit`` bytes (default ``MAX_BYTES``)."""
    limit = MAX_BYTES if limit is None else limit
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"{source}: more than {limit:,} bytes; refusing to read it (see safe_pickle.MAX_BYTES)")
    return data


def loads(data: bytes, source: str = "<pickle>", encoding: str = "ASCII"):
    """Unpickle ``data`` with ``RestrictedUnpickler`` (``encoding="bytes"`` for Python 2 pickles)."""
    try:
        return RestrictedUnpickler(io.BytesIO(data), source, encoding=encoding).load()
    except pickle.UnpicklingError:
        raise
    except (EOFError, ValueError, TypeError, AttributeError, IndexError, KeyError) as error:
        raise ValueError(f"{source}: not a valid pickle ({type(error).__name__}: {error})") from error


def read_npy(data: bytes, source: str, objects: bool = True) -> np.ndarray:
    """One ``.npy`` file's array: numeric ones with pickling off, object ones restricted
    (or, with ``objects=False``, refused as ``np.load(allow_pickle=False)`` refuses them)."""
    stream = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            shape, fortran_order, dtype = np.lib.format.read_array_header_1_0(stream)
        elif version in ((2, 0), (3, 0)):    # 3.0 differs from 2.0 only by a UTF-8 header; ASCII reads alike
            shape, fortran_order, dtype = np.lib.format.read_array_header_2_0(stream)
        else:
            raise ValueError(f"unsupported .npy format version {version}")
    except ValueError as error:
        raise ValueError(f"{source}: not a valid .npy array ({error})") from error
    if not dtype.hasobject:
        stream.seek(0)
        return np.lib.format.read_array(stream, allow_pickle=False)
    if not objects:
        raise ValueError(f"{source}: an object array (pickled); this data set has only numeric arrays")
    array = loads(data[stream.tell():], source)
    if not isinstance(array, np.ndarray) or array.shape != tuple(shape):
        raise ValueError(f"{source}: the pickled array does not match its header (shape {tuple(shape)}, "
                         f"got {type(array).__name__} {getattr(array, 'shape', '')})")
    return array


def load_npz(path, objects: bool = True) -> dict:
    """Every ``<name>.npy`` member of an ``.npz`` archive as ``{name: array}``, safely (see above).

    ``objects=False`` refuses object arrays (``ValueError``) instead of reading them restricted.

    Raises:
        pickle.UnpicklingError: for a member whose pickle names anything but NumPy array rebuilding.
        ValueError: naming the file, for a file that is not an ``.npz`` archive, a corrupt member,
            or a member larger than ``MAX_BYTES``.
    """
    arrays = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not info.filename.endswith(".npy"):
                    continue
                source = f"{path}:{info.filename}"
                if info.file_size > MAX_BYTES:
                    raise ValueError(f"{source}: {info.file_size:,} bytes uncompressed, over safe_pickle.MAX_BYTES")
                with archive.open(info) as member:
                    arrays[info.filename[:-len(".npy")]] = read_npy(read_bounded(member, source), source, objects)
    except (zipfile.BadZipFile, EOFError) as error:
        raise ValueError(f"{path}: not a valid .npz archive ({error})") from error
    return arrays


__all__ = ["ALLOWED_GLOBALS", "MAX_BYTES", "RestrictedUnpickler", "loads", "read_bounded", "read_npy", "load_npz"]

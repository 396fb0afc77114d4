"""The on-disk formats: one zip per model, one npz per weights file, always written atomically.

A model file ``m.glassnet`` is a zip archive (open it with any unzip tool) holding::

    metadata.json        {"format": "glassnet", "format_version": 1, "glassnet_version": ...,
                          "date_saved": ..., "rng_state": ...}
    config.json          the architecture and the compile settings (see serialization.py)
    model.weights.npz    every weight, in ``model.weights`` order, keyed "0003:dense_1/kernel"
    optimizer.npz        the optimizer's state (``optimizer.variables()``) and which model
                         weight each slot belongs to (only for a compiled model)

A weights file ``w.weights.npz`` is a plain NumPy ``.npz`` with the same keys as
``model.weights.npz`` plus a ``__format__`` marker. Arrays are written with ``np.savez`` and
read with ``np.load(..., allow_pickle=False)``: nothing in a file is ever unpickled or run.

Writing goes to a temporary file in the destination's directory, flushed to disk, then
``os.replace``-d onto the destination: the rename is atomic, so a crash or an error
mid-save leaves the previous file intact. Reading checks everything — a zip archive, its
CRCs, the entries present, JSON that parses, arrays that load — and raises ``ValueError``
naming the file and what is wrong before any model is touched.
"""
from __future__ import annotations

import datetime
import io
import json
import os
import tempfile
import zipfile
import zlib

import numpy as np

FORMAT_NAME = "glassnet"
FORMAT_VERSION = 1
MODEL_SUFFIX = ".glassnet"
WEIGHTS_SUFFIX = ".weights.npz"
WEIGHTS_MARKER = "__format__"
WEIGHTS_MARKER_VALUE = f"{FORMAT_NAME}.weights/{FORMAT_VERSION}"

METADATA = "metadata.json"
CONFIG = "config.json"
WEIGHTS = "model.weights.npz"
OPTIMIZER = "optimizer.npz"
REQUIRED_ENTRIES = (METADATA, CONFIG, WEIGHTS)


def check_path(filepath, function: str, suffix: str) -> str:
    """``filepath`` as a string, checked to end in ``suffix``.

    Raises:
        TypeError: if it is not a str or path.
        ValueError: if it ends in another suffix (Keras's ".keras" and ".h5" included).
    """
    if not isinstance(filepath, (str, os.PathLike)):
        raise TypeError(f"{function}: `filepath` must be a str or os.PathLike, got {type(filepath).__name__}")
    path = os.fspath(filepath)
    if not path.endswith(suffix):
        hint = ""
        if path.endswith((".h5", ".hdf5", ".keras")):
            hint = " (HDF5 and .keras are Keras's formats; glassnet has no h5py dependency)"
        raise ValueError(f"{function}: `filepath` must end in {suffix!r}{hint}, got filepath={path!r}")
    return path


def metadata(rng_state=None) -> dict:
    """The contents of ``metadata.json``: format marker, versions, date, RNG state."""
    from .. import __version__

    return {"format": FORMAT_NAME, "format_version": FORMAT_VERSION, "glassnet_version": __version__,
            "date_saved": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "rng_state": rng_state}


# --- arrays <-> bytes ----------------------------------------------------------------------
def npz_bytes(arrays: dict) -> bytes:
    """``np.savez`` of ``{key: array}`` into bytes (refuses object arrays, which need pickle)."""
    for key, array in arrays.items():
        if np.asarray(array).dtype == object:
            raise ValueError(f"cannot save array {key!r}: it has dtype object (only numeric arrays are saved)")
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def load_npz(data, filepath: str, entry: str | None = None) -> dict:
    """``{key: array}`` from npz bytes or a path, with ``allow_pickle=False``.

    Raises:
        ValueError: naming ``filepath`` (and ``entry``) if the data is not a readable npz.
    """
    where = f"{filepath!r}" + (f" (entry {entry!r})" if entry else "")
    if not isinstance(data, (bytes, bytearray)):
        with open(data, "rb") as file:
            data = file.read()
    if not data.startswith(b"PK"):   # an npz is a zip archive; anything else np.load would unpickle
        raise ValueError(f"{where}: not a valid .npz array archive (it does not start like a zip archive); the file "
                         "may be corrupt or truncated")
    source = io.BytesIO(data)
    try:
        with np.load(source, allow_pickle=False) as npz:
            return {key: npz[key] for key in npz.files}
    except ValueError as error:
        if "pickle" in str(error).lower():
            raise ValueError(f"{where}: holds an object array that would need unpickling; glassnet never unpickles "
                             "saved files") from None
        raise ValueError(f"{where}: not a valid .npz array archive ({error}); the file may be corrupt or truncated") \
            from None
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error, KeyError) as error:
        raise ValueError(f"{where}: not a valid .npz array archive ({type(error).__name__}: {error}); the file may "
                         "be corrupt or truncated") from None


def weight_key(index: int, name: str) -> str:
    """The stable key of weight ``index``: ``"0003:dense_1/kernel"`` (position first, so order survives)."""
    return f"{index:04d}:{name}"


def ordered_weights(arrays: dict, filepath: str, entry: str | None = None) -> list:
    """``[(key, array), ...]`` in saved order, from a dict with ``weight_key`` keys.

    Raises:
        ValueError: if a key is not of the form "NNNN:name" or positions are missing.
    """
    where = f"{filepath!r}" + (f" (entry {entry!r})" if entry else "")
    indexed = []
    for key, array in arrays.items():
        if key == WEIGHTS_MARKER:
            continue
        head, _, _ = key.partition(":")
        if not head.isdigit():
            raise ValueError(f"{where}: unexpected array {key!r}; expected keys like '0003:dense/kernel'")
        indexed.append((int(head), key, array))
    indexed.sort()
    if [i for i, _, _ in indexed] != list(range(len(indexed))):
        raise ValueError(f"{where}: weight positions are not 0..{len(indexed) - 1}; some weights are missing")
    return [(key, array) for _, key, array in indexed]


# --- atomic writing --------------------------------------------------------------------------
def atomic_write(filepath: str, write) -> None:
    """Call ``write(file)`` on a temporary file next to ``filepath``, then rename it over ``filepath``.

    If ``write`` raises (or the process dies), ``filepath`` is untouched and the temporary
    file is removed (or, after a crash, left as a hidden ``.*.tmp`` file).
    """
    directory = os.path.dirname(os.path.abspath(filepath))
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"cannot save to {filepath!r}: directory {directory!r} does not exist")
    if os.path.isdir(filepath):
        raise IsADirectoryError(f"cannot save to {filepath!r}: it is a directory")
    descriptor, temporary = tempfile.mkstemp(prefix="." + os.path.basename(filepath) + ".", suffix=".tmp",
                                             dir=directory)
    try:
        with os.fdopen(descriptor, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, filepath)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def write_archive(filepath: str, entries: dict) -> None:
    """Write ``{name: bytes}`` as one zip archive at ``filepath``, atomically."""
    def write(file):
        with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_STORED) as archive:
            for name, data in entries.items():
                compression = zipfile.ZIP_DEFLATED if name.endswith(".json") else zipfile.ZIP_STORED
                archive.writestr(name, data, compress_type=compression)

    atomic_write(filepath, write)


# --- reading ---------------------------------------------------------------------------------
def read_archive(filepath: str, required=REQUIRED_ENTRIES) -> dict:
    """All entries of a model file as ``{name: bytes}``, after checking it thoroughly.

    Raises:
        FileNotFoundError: if there is no such file.
        ValueError: naming the file, if it is not a zip archive, is truncated, fails its
            CRC check, or lacks a required entry.
    """
    if not os.path.exists(filepath):
        raise FileNotFoundError(f"no model file at {filepath!r}")
    if os.path.isdir(filepath):
        raise ValueError(f"{filepath!r} is a directory, not a glassnet model file")
    with open(filepath, "rb") as file:
        file.seek(0, os.SEEK_END)
        size = file.tell()
        file.seek(max(size - 22, 0))
        end = file.read()
    # glassnet writes no archive comment, so the zip's end record is the last 22 bytes; a
    # truncated file has lost it (zipfile might otherwise find the end record of the .npz
    # stored inside and read that instead)
    if not end.startswith(b"PK\x05\x06"):
        raise ValueError(f"{filepath!r}: not a glassnet model file, or corrupt or truncated (no zip end record at "
                         f"the end of its {size} bytes)")
    try:
        with zipfile.ZipFile(filepath, "r") as archive:
            bad = archive.testzip()
            if bad is not None:
                raise ValueError(f"{filepath!r}: entry {bad!r} is corrupt (CRC check failed)")
            names = set(archive.namelist())
            missing = [name for name in required if name not in names]
            if missing:
                raise ValueError(f"{filepath!r}: not a complete glassnet model file; missing {missing} "
                                 f"(it holds {sorted(names)})")
            return {name: archive.read(name) for name in archive.namelist()}
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        if isinstance(error, (FileNotFoundError, IsADirectoryError, PermissionError)):
            raise
        raise ValueError(f"{filepath!r}: not a glassnet model file, or corrupt or truncated "
                         f"({type(error).__name__}: {error})") from None


def parse_json(data: bytes, filepath: str, entry: str) -> dict:
    """A JSON object from an archive entry.

    Raises:
        ValueError: naming the file and entry if it is not UTF-8 JSON holding an object.
    """
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{filepath!r}: entry {entry!r} is not valid JSON ({error})") from None
    if not isinstance(value, dict):
        raise ValueError(f"{filepath!r}: entry {entry!r} must hold a JSON object, got {type(value).__name__}")
    return value


def check_metadata(meta: dict, filepath: str) -> None:
    """Raise ``ValueError`` unless ``meta`` marks a glassnet file of a version this code reads."""
    if meta.get("format") != FORMAT_NAME:
        raise ValueError(f"{filepath!r}: not a glassnet model file (metadata format is {meta.get('format')!r}, "
                         f"expected {FORMAT_NAME!r})")
    version = meta.get("format_version")
    if not isinstance(version, int) or not 1 <= version <= FORMAT_VERSION:
        raise ValueError(f"{filepath!r}: format version {version!r} is not supported by this glassnet "
                         f"(it reads versions 1..{FORMAT_VERSION}); upgrade glassnet")


def dumps(value, filepath: str, what: str) -> bytes:
    """JSON bytes of ``value``.

    Raises:
        ValueError: if ``value`` holds something JSON cannot represent (naming ``what``).
    """
    try:
        return json.dumps(value, indent=1, allow_nan=True, default=_json_default).encode("utf-8")
    except (TypeError, ValueError) as error:
        raise ValueError(f"cannot save {filepath!r}: the {what} is not JSON-serialisable ({error}); "
                         "get_config() must return only strings, numbers, bools, None, lists and dicts") from None


def _json_default(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.dtype):
        return value.name
    raise TypeError(f"{type(value).__name__} object {value!r} is not JSON serializable")

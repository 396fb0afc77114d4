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
read header first, numeric dtypes only: nothing in a file is ever unpickled or run.

Writing is crash-safe (``atomic.py``): a temporary file in the destination's directory,
fsynced, ``os.replace``-d onto the destination, the directory fsynced; a crash or an error
mid-save leaves the previous file intact, and temporary files of killed saves are removed
by the next save. Reading is bounded (``bounded_reading.py``): only the members listed
above, each at most once, every declared size and array header checked before anything
is inflated, JSON nesting capped, every metadata field checked — a ``ValueError`` naming
the file and the member before any model is touched.
"""
from __future__ import annotations

import datetime
import io
import json
import os
import re
import zipfile

import numpy as np

from . import bounded_reading
from .atomic import atomic_write  # noqa: F401  (re-exported: glassnet.interop writes with it)
from .bounded_reading import BadFileError, parse_json  # noqa: F401  (re-exported)

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
MODEL_ENTRIES = (METADATA, CONFIG, WEIGHTS, OPTIMIZER)
"""Every member a model file may hold; anything else is refused."""
METADATA_FIELDS = ("format", "format_version", "glassnet_version", "date_saved", "rng_state")

_WEIGHT_KEY = re.compile(r"[0-9]{4,9}:[^\x00]{1,512}")
_OPTIMIZER_KEY = re.compile(r"state_[0-9]{4,9}|variable_order")


def is_weight_key(key: str) -> bool:
    """Whether ``key`` is an array key of a weights npz (``"0003:dense_1/kernel"`` or the marker)."""
    return key == WEIGHTS_MARKER or _WEIGHT_KEY.fullmatch(key) is not None


def is_optimizer_key(key: str) -> bool:
    """Whether ``key`` is an array key of ``optimizer.npz`` (``"state_0004"``, ``"variable_order"``)."""
    return _OPTIMIZER_KEY.fullmatch(key) is not None


def check_path(filepath, function: str, suffix: str) -> str:
    """``filepath`` as a string, checked to end in ``suffix``.

    Raises:
        TypeError: if it is not a str or path.
        ValueError: if it ends in another suffix (save/load dispatch ".keras" and ".weights.h5"
            to glassnet.interop before calling this).
    """
    if not isinstance(filepath, (str, os.PathLike)):
        raise TypeError(f"{function}: `filepath` must be a str or os.PathLike, got {type(filepath).__name__}")
    path = os.fspath(filepath)
    if not path.endswith(suffix):
        hint = ""
        if path.endswith((".h5", ".hdf5")):
            hint = (" or '.keras' (Keras 3's archive, read and written by glassnet.interop); legacy HDF5 model "
                    "files (Keras 2's .h5) are not read")
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


def load_npz(data, filepath: str, entry: str | None = None, accept_key=None) -> dict:
    """``{key: array}`` from npz bytes or a path, bounded (see ``bounded_reading.load_npz``).

    Raises:
        ValueError: naming ``filepath`` (and ``entry``) if the data is not a readable npz
            of numeric arrays, or holds a key ``accept_key`` refuses.
    """
    return bounded_reading.load_npz(data, filepath, entry, accept_key)


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
        if not is_weight_key(key):
            raise BadFileError(f"{where}: unexpected array {key!r:.200}; expected keys like '0003:dense/kernel'")
        indexed.append((int(key.partition(":")[0]), key, array))
    indexed.sort()
    if [i for i, _, _ in indexed] != list(range(len(indexed))):
        raise BadFileError(f"{where}: weight positions are not 0..{len(indexed) - 1}; some weights are missing")
    return [(key, array) for _, key, array in indexed]


# --- writing ---------------------------------------------------------------------------------
def write_archive(filepath: str, entries: dict) -> None:
    """Write ``{name: bytes}`` as one zip archive at ``filepath``, atomically."""
    def write(file):
        with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_STORED) as archive:
            for name, data in entries.items():
                compression = zipfile.ZIP_DEFLATED if name.endswith(".json") else zipfile.ZIP_STORED
                archive.writestr(name, data, compress_type=compression)

    atomic_write(filepath, write)


# --- reading ---------------------------------------------------------------------------------
def read_archive(filepath: str, required=REQUIRED_ENTRIES, allowed=MODEL_ENTRIES) -> dict:
    """The members of a model file as ``{name: bytes}``, checked before each is inflated.

    Raises:
        FileNotFoundError: if there is no such file.
        ValueError: naming the file (and member): not a zip archive, truncated, a member
            that is unknown, duplicated, missing, oversized or fails its CRC check.
    """
    limits = {name: bounded_reading.MAX_JSON_BYTES for name in allowed if name.endswith(".json")}
    return bounded_reading.read_archive(filepath, allowed, required, limits)


def check_metadata(meta: dict, filepath: str, fields=METADATA_FIELDS, format_name=FORMAT_NAME) -> None:
    """Raise ``ValueError`` unless ``meta`` marks a glassnet file of a version this code reads.

    Every field is checked: ``format`` (the name), ``format_version`` (an int in
    1..``FORMAT_VERSION``), ``glassnet_version`` and ``date_saved`` (strings, if present),
    and no field outside ``fields``. ``rng_state`` is checked by ``rng_state.check``.
    """
    if meta.get("format") != format_name:
        raise BadFileError(f"{filepath!r}: not a glassnet model file (metadata format is {meta.get('format')!r:.80}, "
                           f"expected {format_name!r})")
    version = meta.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= FORMAT_VERSION:
        raise BadFileError(f"{filepath!r}: format version {version!r:.80} is not supported by this glassnet "
                           f"(it reads versions 1..{FORMAT_VERSION}); upgrade glassnet")
    for key in ("glassnet_version", "date_saved"):
        value = meta.get(key)
        if value is not None and (not isinstance(value, str) or len(value) > 200):
            raise BadFileError(f"{filepath!r}: entry {METADATA!r}: field {key!r} must be a short string, got "
                               f"{value!r:.80}")
    unknown = sorted(set(meta) - set(fields))
    if unknown:
        raise BadFileError(f"{filepath!r}: entry {METADATA!r} has unknown fields {unknown[:5]} (format version "
                           f"{version} defines {list(fields)})")


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

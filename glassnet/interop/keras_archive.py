"""The ``.keras`` zip archive: exactly three members, read with bounds, written atomically.

A ``.keras`` file, as Keras 3 writes it, is a zip archive of::

    metadata.json      {"keras_version": "3.15.1", "date_saved": "2026-12-03@08:29:09"}
    config.json        the model: {"module", "class_name", "config", "registered_name",
                       "build_config", "compile_config"}
    model.weights.h5   the weights, in Keras's HDF5 layout (see ``keras_weights.py``)

Reading refuses anything else before it parses a byte: a member not in that list (Keras's
``assets/`` of lookup layers, ``model.weights.npz``, any other name), a name that appears
twice (a zip archive can hold duplicates; which one a reader takes is up to the reader), a
member encrypted or compressed other than stored or deflated, larger than
``MAX_MEMBER_BYTES`` or inflating more than ``MAX_RATIO`` times its compressed size (a zip
bomb), and JSON too large, too deep (measured on the bytes, before ``json`` recurses) or
with a key twice — glassnet's own bounded JSON reading (``saving/bounded_reading.py``).
``metadata.json`` must name a Keras 3 version.
Every refusal is a ``ValueError`` naming the file and the member.
"""
from __future__ import annotations

import os
import re
import zipfile
import zlib

from ..saving import file_format as ff

CONFIG = "config.json"
METADATA = "metadata.json"
WEIGHTS = "model.weights.h5"
MEMBERS = (METADATA, CONFIG, WEIGHTS)
MAX_MEMBER_BYTES = 2 ** 31
"""The largest member read (2 GiB); a bigger model should be saved in glassnet's format."""
MAX_RATIO = 1000
"""The most a member may inflate relative to its compressed size (zip-bomb guard)."""


def check_members(archive: zipfile.ZipFile, filepath: str) -> dict:
    """``{name: ZipInfo}`` of the archive, after checking its member list.

    Raises:
        ValueError: for an unknown, duplicated, missing or oversized member.
    """
    infos = {}
    for info in archive.infolist():
        if info.filename in infos:
            raise ValueError(f"{filepath!r}: member {info.filename!r} appears twice in the archive; refusing an "
                             "ambiguous file")
        if info.filename not in MEMBERS:
            hint = " (Keras's assets of lookup layers are not read by glassnet)" if \
                info.filename.startswith("assets") else ""
            raise ValueError(f"{filepath!r}: unknown member {info.filename!r}{hint}; a .keras file holds only "
                             f"{', '.join(MEMBERS)}")
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ValueError(f"{filepath!r}: member {info.filename!r} is encrypted or compressed with method "
                             f"{info.compress_type}; Keras writes stored or deflated members only")
        if info.compress_type == zipfile.ZIP_STORED and info.file_size != info.compress_size:
            raise ValueError(f"{filepath!r}: member {info.filename!r} is stored but declares {info.file_size} bytes "
                             f"for {info.compress_size} stored")
        if info.file_size > MAX_MEMBER_BYTES:
            raise ValueError(f"{filepath!r}: member {info.filename!r} is {info.file_size} bytes, more than the "
                             f"{MAX_MEMBER_BYTES} read; refusing it")
        if info.file_size > 1 << 20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ValueError(f"{filepath!r}: member {info.filename!r} would inflate to {info.file_size} bytes "
                             f"from {info.compress_size} (a zip bomb?); refusing it")
        infos[info.filename] = info
    missing = [name for name in MEMBERS if name not in infos]
    if missing:
        raise ValueError(f"{filepath!r}: not a complete .keras file; missing {missing} (it holds {sorted(infos)})")
    return infos


def read_members(filepath: str) -> dict:
    """``{member: bytes}`` of a ``.keras`` file, each checked against its CRC and declared size.

    Raises:
        FileNotFoundError: if there is no such file.
        ValueError: naming the file (and member) for anything that is not a sound .keras archive.
    """
    if not os.path.exists(filepath):
        raise FileNotFoundError(f"no model file at {filepath!r}")
    if os.path.isdir(filepath):
        raise ValueError(f"{filepath!r} is a directory, not a .keras file")
    try:
        with zipfile.ZipFile(filepath, "r") as archive:
            infos = check_members(archive, filepath)
            out = {}
            for name, info in infos.items():
                with archive.open(info) as member:
                    data = member.read(info.file_size + 1)
                if len(data) != info.file_size:
                    raise ValueError(f"{filepath!r}: member {name!r} holds {len(data)} bytes, its header says "
                                     f"{info.file_size}")
                out[name] = data
            return out
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        if isinstance(error, (FileNotFoundError, IsADirectoryError, PermissionError)):
            raise
        raise ValueError(f"{filepath!r}: not a .keras file, or corrupt or truncated ({type(error).__name__}: "
                         f"{error})") from None


def parse_json(data: bytes, filepath: str, member: str) -> dict:
    """A JSON object from ``member``: glassnet's bounded JSON reading (size and nesting
    measured before parsing, duplicate keys refused; see ``glassnet/saving/bounded_reading.py``).

    Raises:
        ValueError: naming the file and member, for JSON too large, too deep, invalid, or
            not an object.
    """
    return ff.parse_json(data, filepath, member)


def check_metadata(meta: dict, filepath: str) -> str:
    """The Keras version in ``metadata.json``, after checking its fields.

    Raises:
        ValueError: if ``keras_version`` is not a Keras 3 version string or ``date_saved``
            is present but not a string.
    """
    version = meta.get("keras_version")
    if not isinstance(version, str) or not re.fullmatch(r"3\.\d+\.\d+[\w.+-]*", version):
        raise ValueError(f"{filepath!r}: member {METADATA!r}: 'keras_version' is {version!r}; glassnet reads files "
                         "written by Keras 3 (\"3.x.y\")")
    if not isinstance(meta.get("date_saved", ""), str):
        raise ValueError(f"{filepath!r}: member {METADATA!r}: 'date_saved' must be a string, got "
                         f"{meta.get('date_saved')!r}")
    return version


def write(filepath: str, config: bytes, metadata: bytes, weights: bytes) -> None:
    """Write the three members as a ``.keras`` archive at ``filepath``, atomically."""
    def write_zip(file):
        with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_STORED) as archive:
            archive.writestr(METADATA, metadata)
            archive.writestr(CONFIG, config)
            archive.writestr(WEIGHTS, weights)

    ff.atomic_write(filepath, write_zip)

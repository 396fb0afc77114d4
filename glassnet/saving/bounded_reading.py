"""Reading a zip or npz file from anyone without letting it cost more than its size.

A model file is trusted for nothing. The reader decides what may be read *before*
inflating a byte, from numbers it can check cheaply:

1. **The member list** (the zip's central directory): only the members the format
   defines, each at most once (a zip may hold a name twice, and readers disagree on which
   copy wins), no encryption, no compression other than stored or deflate.
2. **Declared sizes.** Each member declares its inflated size. It must not exceed

       limit = max(SMALL_MEMBER, MAX_RATIO × compressed size)        (zip-bomb guard)

   (a stored member must declare exactly its stored size) and a JSON member at most
   ``MAX_JSON_BYTES``. Inflating stops at the declared size (``zipfile`` enforces it) and
   the CRC is checked at the end. So a file of n bytes costs at most about
   ``MAX_RATIO × n`` bytes of memory: a 3 MB file cannot cost 3 GiB.
3. **Array headers.** Each ``.npy`` member of an npz starts with a small header (magic,
   version, ``{'descr', 'fortran_order', 'shape'}``), parsed on its first bytes with
   ``np.lib.format.read_magic`` / ``read_array_header_*``. Its declared payload
   ``prod(shape) × itemsize`` (Python integers: no overflow) plus the header length must
   equal the member's declared size — an array claiming 700 million floats in a 2 MB
   member is refused before any memory is allocated. Object, structured and complex
   dtypes are refused (nothing is ever unpickled).
4. **JSON** is measured before it is parsed: nesting deeper than ``MAX_JSON_DEPTH`` is
   refused from a bracket count (no recursion), then ``json.loads`` runs with a hook that
   refuses duplicate keys.

Every refusal is a ``ValueError`` (``BadFileError``) naming the file and the member; no
``AttributeError``, ``RecursionError``, ``OverflowError``, ``KeyError`` or ``zlib.error``
escapes.
"""
from __future__ import annotations

import io
import json
import math
import os
import re
import struct
import zipfile
import zlib

import numpy as np

SMALL_MEMBER = 1 << 20
"""A member may always declare up to 1 MiB, whatever its compressed size."""
MAX_RATIO = 100
"""The most a member may inflate relative to its compressed size (glassnet stores arrays
uncompressed and JSON deflates about 5–20×)."""
MAX_JSON_BYTES = 16 << 20
"""The largest JSON member read (16 MiB; the config of a 1,000-layer model is under 1 MiB)."""
MAX_JSON_DEPTH = 100
"""The deepest JSON nesting read (a glassnet or Keras config of nested models stays far below)."""
MAX_NPZ_ARRAYS = 65536
"""The most arrays one npz member may hold."""
ARRAY_KINDS = "fiub"
"""Array dtypes read: float, int, unsigned, bool (plus fixed-width unicode for markers)."""

_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError,
               struct.error, OverflowError, KeyError, IndexError, UnicodeDecodeError, MemoryError)
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)


class BadFileError(ValueError):
    """A file (or one of its members) that is not what it claims; the message names both."""


def _where(filepath: str, entry: str | None) -> str:
    return f"{filepath!r}" + (f" (entry {entry!r})" if entry else "")


# --- members of a zip ------------------------------------------------------------------------
def check_member_size(info: zipfile.ZipInfo, filepath: str, entry: str | None = None, limit: int | None = None):
    """Refuse a member whose declared size is impossible or over its limit (see the module docstring)."""
    where = f"{_where(filepath, entry)}: member {info.filename!r}"
    if info.flag_bits & 0x1:
        raise BadFileError(f"{where} is encrypted; glassnet files never are")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise BadFileError(f"{where} uses compression method {info.compress_type}; only stored (0) and deflate (8) "
                           "are read")
    if info.compress_type == zipfile.ZIP_STORED and info.file_size != info.compress_size:
        raise BadFileError(f"{where} is stored uncompressed but declares {info.file_size} bytes for "
                           f"{info.compress_size} stored bytes")
    allowed = max(SMALL_MEMBER, MAX_RATIO * info.compress_size)
    if limit is not None:
        allowed = min(allowed, limit)
    if info.file_size > allowed:
        raise BadFileError(f"{where} declares {info.file_size} bytes from {info.compress_size} compressed "
                           f"(at most {allowed} are read); refusing a possible zip bomb")


def check_member_list(infos: list, filepath: str, allowed, required=(), entry: str | None = None) -> dict:
    """``{name: ZipInfo}`` after checking names: each allowed, none twice, the required present.

    Args:
        allowed: a collection of names, or a function ``name -> bool``.
    """
    where = _where(filepath, entry)
    accepts = allowed if callable(allowed) else (lambda name: name in allowed)
    members = {}
    for info in infos:
        if info.filename in members:
            raise BadFileError(f"{where}: member {info.filename!r} appears twice; refusing an ambiguous file")
        members[info.filename] = info
    missing = [name for name in required if name not in members]
    if missing:
        raise BadFileError(f"{where}: not a complete glassnet model file; missing {missing} (it holds "
                           f"{sorted(members)[:8]})")
    for name in members:
        if not accepts(name):
            expected = "" if callable(allowed) else f"; the format defines only {sorted(allowed)}"
            raise BadFileError(f"{where}: unknown member {name!r:.200}{expected}")
    return members


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, filepath: str, entry=None) -> bytes:
    with archive.open(info) as member:
        data = member.read(info.file_size + 1)
    if len(data) != info.file_size:
        raise BadFileError(f"{_where(filepath, entry)}: member {info.filename!r} holds {len(data)} bytes, its "
                           f"header declares {info.file_size}")
    return data


def read_archive(filepath: str, allowed, required, limits=None) -> dict:
    """The members of a zip archive as ``{name: bytes}``, each checked before it is inflated.

    Args:
        filepath: the archive.
        allowed: the member names the format defines.
        required: those that must be present.
        limits: ``{name: max declared bytes}`` for members with a tighter limit (JSON).

    Raises:
        FileNotFoundError: if there is no such file.
        ValueError: naming the file (and member): not a zip, truncated (glassnet writes no
            archive comment, so the end record must be the last 22 bytes), an unknown,
            duplicated, missing, encrypted or oversized member, or a failed CRC.
    """
    if not os.path.exists(filepath):
        raise FileNotFoundError(f"no model file at {filepath!r}")
    if os.path.isdir(filepath):
        raise BadFileError(f"{filepath!r} is a directory, not a glassnet file")
    with open(filepath, "rb") as file:
        file.seek(0, os.SEEK_END)
        size = file.tell()
        file.seek(max(size - 22, 0))
        end = file.read()
    if not end.startswith(b"PK\x05\x06"):
        raise BadFileError(f"{filepath!r}: not a glassnet model file, or corrupt or truncated (no zip end record at "
                           f"the end of its {size} bytes)")
    limits = limits or {}
    try:
        with zipfile.ZipFile(filepath, "r") as archive:
            members = check_member_list(archive.infolist(), filepath, allowed, required)
            for name, info in members.items():
                check_member_size(info, filepath, limit=limits.get(name))
            out = {}
            for name, info in members.items():
                try:
                    out[name] = _read_member(archive, info, filepath)
                except zipfile.BadZipFile as error:
                    if "CRC" in str(error):
                        raise BadFileError(f"{filepath!r}: member {name!r} is corrupt (CRC check failed)") from None
                    raise
            return out
    except BadFileError:
        raise
    except _ZIP_ERRORS as error:
        if isinstance(error, (FileNotFoundError, IsADirectoryError, PermissionError)):
            raise
        raise BadFileError(f"{filepath!r}: not a glassnet model file, or corrupt or truncated "
                           f"({type(error).__name__}: {error})") from None


# --- npz: arrays, headers first ----------------------------------------------------------------
def _array_header(member, info, where: str):
    """(shape, fortran_order, dtype, header length) of an ``.npy`` member, from its first bytes."""
    version = np.lib.format.read_magic(member)
    if version == (1, 0):
        shape, fortran_order, dtype = np.lib.format.read_array_header_1_0(member)
    elif version in ((2, 0), (3, 0)):
        shape, fortran_order, dtype = np.lib.format.read_array_header_2_0(member)
    else:
        raise BadFileError(f"{where}: array {info.filename!r} has .npy format version {version}, not 1.0 to 3.0")
    if dtype.hasobject:
        raise BadFileError(f"{where}: array {info.filename!r} is an object array that would need unpickling; "
                           "glassnet never unpickles saved files")
    if dtype.fields is not None or dtype.subdtype is not None or dtype.kind not in ARRAY_KINDS + "U":
        raise BadFileError(f"{where}: array {info.filename!r} has dtype {dtype.str!r}; glassnet files hold only "
                           "numeric arrays")
    if not isinstance(shape, tuple) or any(isinstance(n, bool) or not isinstance(n, int) or n < 0 for n in shape):
        raise BadFileError(f"{where}: array {info.filename!r} declares an invalid shape {shape!r}")
    return shape, bool(fortran_order), dtype, member.tell()


def load_npz(data, filepath: str, entry: str | None = None, accept_key=None) -> dict:
    """``{key: array}`` from npz bytes (or a path), every size checked before it is read.

    Args:
        data: the npz as bytes, or its path.
        filepath: the file to name in errors.
        entry: the member of ``filepath`` the npz is (None for a plain npz file).
        accept_key: ``key -> bool``: the array keys the format defines (default: any).

    Raises:
        ValueError: naming the file and entry, for anything but an npz of numeric arrays
            whose headers declare exactly the bytes their members hold.
    """
    where = _where(filepath, entry)
    if not isinstance(data, (bytes, bytearray)):
        with open(data, "rb") as file:
            data = file.read()
    if not data.startswith(b"PK"):   # an npz is a zip archive; anything else np.load would unpickle
        raise BadFileError(f"{where}: not a valid .npz array archive (it does not start like a zip archive); the "
                           "file may be corrupt or truncated")

    def known(name):
        return name.endswith(".npy") and len(name) > 4 and (accept_key is None or accept_key(name[:-4]))

    arrays = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as npz:
            infos = npz.infolist()
            if len(infos) > MAX_NPZ_ARRAYS:
                raise BadFileError(f"{where}: holds {len(infos)} arrays (at most {MAX_NPZ_ARRAYS} are read)")
            members = check_member_list(infos, filepath, known, entry=entry)
            for info in members.values():
                check_member_size(info, filepath, entry)
            for name, info in members.items():
                with npz.open(info) as member:
                    shape, fortran_order, dtype, header = _array_header(member, info, where)
                    nbytes = math.prod(shape) * dtype.itemsize
                    if header + nbytes != info.file_size:
                        raise BadFileError(f"{where}: array {name!r} declares shape {shape} of {dtype.str} "
                                           f"({nbytes} bytes) but its member holds {info.file_size - header}")
                    payload = member.read(nbytes + 1)
                if len(payload) != nbytes:
                    raise BadFileError(f"{where}: array {name!r} is truncated ({len(payload)} of {nbytes} bytes)")
                array = np.frombuffer(payload, dtype=dtype, count=math.prod(shape))
                arrays[name[:-4]] = array.reshape(shape, order="F" if fortran_order else "C").copy()
    except BadFileError:
        raise
    except _ZIP_ERRORS as error:
        if isinstance(error, zipfile.BadZipFile) and "CRC" in str(error):
            raise BadFileError(f"{where}: an array is corrupt (CRC check failed)") from None
        raise BadFileError(f"{where}: not a valid .npz array archive ({type(error).__name__}: {error}); the file may "
                           "be corrupt or truncated") from None
    return arrays


# --- JSON ---------------------------------------------------------------------------------------
def json_depth(data: bytes) -> int:
    """The deepest ``[``/``{`` nesting of JSON bytes, strings skipped, without recursing.

    Strings are cut out with one regular expression, then the depth is the maximum of
    the running sum of +1 for ``[ {`` and −1 for ``] }`` (NumPy: fast on megabytes).
    """
    skeleton = np.frombuffer(_STRING.sub(b"", bytes(data)), dtype=np.uint8)
    if skeleton.size == 0:
        return 0
    step = (np.isin(skeleton, (0x5B, 0x7B)).astype(np.int64) - np.isin(skeleton, (0x5D, 0x7D)).astype(np.int64))
    return int(max(np.cumsum(step).max(), 0))


def _no_duplicate_keys(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def parse_json(data: bytes, filepath: str, entry: str) -> dict:
    """A JSON object from an archive entry, its size and nesting checked before parsing.

    Raises:
        ValueError: naming the file and entry, if it is larger than ``MAX_JSON_BYTES``,
            nests deeper than ``MAX_JSON_DEPTH``, is not UTF-8 JSON, repeats a key, or
            does not hold an object.
    """
    if len(data) > MAX_JSON_BYTES:
        raise BadFileError(f"{filepath!r}: entry {entry!r} is {len(data)} bytes of JSON (at most {MAX_JSON_BYTES} "
                           "are read)")
    depth = json_depth(data)
    if depth > MAX_JSON_DEPTH:
        raise BadFileError(f"{filepath!r}: entry {entry!r} nests JSON {depth} levels deep (at most {MAX_JSON_DEPTH} "
                           "are read)")
    try:
        value = json.loads(bytes(data).decode("utf-8"), object_pairs_hook=_no_duplicate_keys)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:   # JSONDecodeError is a ValueError
        raise BadFileError(f"{filepath!r}: entry {entry!r} is not valid JSON ({error})") from None
    if not isinstance(value, dict):
        raise BadFileError(f"{filepath!r}: entry {entry!r} must hold a JSON object, got {type(value).__name__}")
    return value

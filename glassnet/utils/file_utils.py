"""``get_file``: Keras's cached-file helper, without the download.

glassnet never touches the network at run time. ``get_file`` keeps Keras's cache layout
(``~/.keras/<cache_subdir>/<fname>``, or ``$KERAS_HOME``), so a file Keras downloaded once is
found again, and it accepts a local path or a ``file://`` URL as ``origin`` (copied into the
cache). For an ``http(s)://`` origin that is not cached yet it says where to put the file.
Archives extract as Keras 3 extracts them (``<name>_extracted`` next to the archive), refusing
members that would land outside that folder.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tarfile
import urllib.parse
import urllib.request
import zipfile


def _cache_folder(cache_dir, cache_subdir) -> str:
    base = os.path.expanduser(cache_dir if cache_dir is not None
                              else os.environ.get("KERAS_HOME", os.path.join("~", ".keras")))
    folder = os.path.join(base, cache_subdir)
    os.makedirs(folder, exist_ok=True)
    return folder


def hash_file(fpath, algorithm: str = "sha256", chunk_size: int = 65535) -> str:
    """The hex digest of a file ("sha256", or "md5" for Keras's legacy hashes)."""
    hasher = hashlib.sha256() if algorithm in ("sha256", "auto") else hashlib.md5()
    with open(fpath, "rb") as handle:
        for chunk in iter(lambda: handle.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def validate_file(fpath, file_hash: str, algorithm: str = "auto") -> bool:
    """Whether the file's hash is ``file_hash`` ("auto": sha256 for 64 hex digits, else md5)."""
    if algorithm == "auto":
        algorithm = "sha256" if len(file_hash) == 64 else "md5"
    return hash_file(fpath, algorithm) == str(file_hash)


def _inside(base: str, name: str) -> bool:
    target = os.path.realpath(os.path.join(base, name))
    return target == os.path.realpath(base) or target.startswith(os.path.realpath(base) + os.sep)


def extract_archive(file_path, path=".", archive_format="auto") -> bool:
    """Extract a tar or zip archive into ``path``; False when the file is neither.

    Raises:
        ValueError: when a member would be written outside ``path`` (an absolute name, ``..``,
            or a link pointing out).
    """
    formats = {"auto": ("tar", "zip"), None: ()}.get(archive_format, (archive_format,) if isinstance(archive_format, str)
                                                       else tuple(archive_format))
    if "tar" in formats and tarfile.is_tarfile(file_path):
        with tarfile.open(file_path) as archive:
            for member in archive.getmembers():
                if not _inside(path, member.name) or (member.issym() or member.islnk()) and not _inside(
                        path, os.path.join(os.path.dirname(member.name), member.linkname)):
                    raise ValueError(f"extract_archive: {file_path!r} has a member outside the target: {member.name!r}")
            archive.extractall(path, filter="data")
        return True
    if "zip" in formats and zipfile.is_zipfile(file_path):
        with zipfile.ZipFile(file_path) as archive:
            for name in archive.namelist():
                if not _inside(path, name):
                    raise ValueError(f"extract_archive: {file_path!r} has a member outside the target: {name!r}")
            archive.extractall(path)
        return True
    return False


def get_file(fname=None, origin=None, untar=False, md5_hash=None, file_hash=None, cache_subdir="datasets",
             hash_algorithm="auto", extract=False, archive_format="auto", cache_dir=None, force_download=False):
    """The path of a cached copy of ``origin`` (Keras's ``keras.utils.get_file``, never downloading).

    Args:
        fname: the file's name in the cache (default: the last part of ``origin``).
        origin: a local path, a ``file://`` URL, or the URL Keras would download from.
        untar: extract as a tar archive (legacy; as ``extract=True, archive_format="tar"``).
        md5_hash: legacy; as ``file_hash`` with ``hash_algorithm="md5"``.
        file_hash: the expected sha256 (or md5) hex digest; a cached file that does not match
            is replaced from a local origin, or refused.
        cache_subdir: folder under the cache (default "datasets").
        hash_algorithm: "auto", "sha256" or "md5".
        extract: extract the archive; the folder of its contents is returned.
        archive_format: "auto", "tar", "zip", a list of them, or None.
        cache_dir: the cache's root (default ``$KERAS_HOME`` or ``~/.keras``).
        force_download: copy a local origin again even when cached.

    Returns:
        The cached file's path, or with ``extract`` the folder it was extracted into.

    Raises:
        ValueError: no origin, a path as ``fname``, a hash mismatch, or a remote origin that
            is not in the cache (the message says where to save it).
    """
    if origin is None:
        raise ValueError("get_file: `origin` is required (a local path, a file:// URL, or the file's URL)")
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    folder = _cache_folder(cache_dir, cache_subdir)
    given = os.fspath(fname) if fname is not None else None
    name = given or os.path.basename(urllib.parse.urlsplit(str(origin)).path)
    if not name:
        raise ValueError(f"get_file: cannot tell the file's name from origin {origin!r}; pass `fname`")
    if os.sep in name:
        raise ValueError(f"get_file: `fname` must be a file name, not a path (got {name!r}); use `cache_dir`")
    extract = extract or untar
    if extract and given and "." in name:
        target, extraction_dir = os.path.join(folder, name), os.path.join(folder, f"{name[:name.find('.')]}_extracted")
    elif extract:
        target, extraction_dir = os.path.join(folder, f"{name}_archive"), os.path.join(folder, name)
    else:
        target = os.path.join(folder, name)

    def matches():
        return file_hash is None or validate_file(target, file_hash, hash_algorithm)

    if force_download or not os.path.exists(target) or not matches():
        scheme = urllib.parse.urlsplit(str(origin)).scheme
        if scheme in ("http", "https", "ftp"):
            raise ValueError(f"get_file: glassnet never downloads. Download {origin} yourself and save it as "
                             f"{target!r}, or pass its local path as `origin`")
        source = urllib.request.url2pathname(urllib.parse.urlsplit(str(origin)).path) if scheme == "file" else os.fspath(origin)
        if not os.path.isfile(source):
            raise ValueError(f"get_file: origin {origin!r} is not a file")
        shutil.copyfile(source, target)
        if not matches():
            os.remove(target)
            raise ValueError(f"get_file: {origin!r} does not have the {hash_algorithm} hash {file_hash}")
    if extract:
        if not extract_archive(target, extraction_dir, "tar" if untar else archive_format):
            raise ValueError(f"get_file: {target!r} is not a {archive_format} archive")
        return extraction_dir
    return target

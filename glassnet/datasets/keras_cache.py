"""Finding the files ``keras.datasets`` downloads — in Keras's cache or where the user put them.

glassnet never downloads. A loader with Keras's interface looks for Keras's file, in order:

1. ``path`` as Keras means it — a file name inside the cache (``~/.keras/datasets/<path>``);
   a path with a folder in it (``/data/imdb.npz``) is used as given, and only it is tried;
2. Keras's cache exactly as Keras leaves it: ``$KERAS_HOME/datasets``, else
   ``~/.keras/datasets`` (``locate.keras_datasets_dir``), e.g. ``imdb.npz``,
   ``imdb_word_index.json``, ``cifar-10-batches-py-target/cifar-10-batches-py/``;
3. glassnet's own data folders for the data set (``locate.candidate_dirs``):
   ``$GLASSNET_DATA/<name>``, then ``../shared/data/<name>``.

When nothing is found, ``FileNotFoundError`` lists every place looked and the URL Keras
downloads from, so the user can fetch the file once and save it where it is looked for.
Archives (CIFAR's ``.tar.gz``) are read in place, member by member, without extracting.
"""
from __future__ import annotations

import json
import os
import tarfile
import zlib
from pathlib import Path

from .locate import candidate_dirs, keras_datasets_dir
from .safe_pickle import load_npz, read_bounded

KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
"""Where Keras downloads IMDB, Reuters, MNIST and the housing sets from (+ the file name)."""


def _places_for_file(name: str, path) -> list:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{name}: `path` must be a file name in Keras's cache or a file path (str or "
                        f"os.PathLike), got {type(path).__name__}: {path!r}")
    path = os.fspath(path)
    if os.path.isabs(path) or os.path.dirname(path) or path.startswith("~"):
        return [Path(os.path.abspath(os.path.expanduser(path)))]
    return [keras_datasets_dir() / path] + [folder / path for folder in candidate_dirs(name)]


def cached_file(name: str, path, origin: str) -> Path:
    """The first existing file among the places for Keras's file ``path`` (see the module docstring).

    Args:
        name: glassnet's folder name for the data set (e.g. "imdb").
        path: Keras's ``path`` argument: a file name in the cache, or (glassnet) a file path.
        origin: the URL Keras downloads the file from (for the error message).

    Raises:
        FileNotFoundError: listing the places looked and ``origin``.
    """
    places = _places_for_file(name, path)
    for place in places:
        if place.is_file():
            return place
    raise missing_error(name, places, origin)


def missing_error(name: str, places, origin: str, save_as=None) -> FileNotFoundError:
    """The ``FileNotFoundError`` for a data set found nowhere: where it looked, and what to fetch."""
    looked = "\n".join(f"  {place}" for place in places)
    return FileNotFoundError(
        f"data set {name!r} not found; looked in:\n{looked}\nglassnet never downloads data. Download "
        f"{origin} yourself and save it as {save_as or places[0]} (in Keras's cache, where keras.datasets looks), or "
        f"in one of the other places above.")


def load_npz_members(name: str, path, members, objects=True):
    """The arrays ``members`` of the data set's ``.npz`` file (found as ``cached_file``;
    ``objects=False`` refuses object arrays, as ``np.load(allow_pickle=False)``)."""
    file = cached_file(name, path, KERAS_ORIGIN + f"{name}.npz")
    arrays = load_npz(file, objects)
    missing = [member for member in members if member not in arrays]
    if missing:
        raise ValueError(f"{file}: no array {missing[0]!r} (it has {sorted(arrays)}); not Keras's {name}.npz")
    return [arrays[member] for member in members]


def read_word_index(name: str, path) -> dict:
    """The ``{word: rank}`` JSON file ``path`` of data set ``name`` (found as ``cached_file``)."""
    file = cached_file(name, path, KERAS_ORIGIN + f"{name}_word_index.json")
    try:
        with open(file, encoding="utf-8") as stream:
            index = json.load(stream)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{file}: not a JSON word index ({error})") from error
    if not isinstance(index, dict):
        raise ValueError(f"{file}: a word index must be a JSON object {{word: rank}}, got {type(index).__name__}")
    return index


class Folder:
    """Data set files in a folder (an extracted archive)."""

    def __init__(self, path):
        self.path = Path(path)

    def has(self, filenames) -> bool:
        return all((self.path / filename).is_file() for filename in filenames)

    def read(self, filenames) -> dict:
        """``{filename: bytes}`` for each file (each bounded by ``safe_pickle.MAX_BYTES``)."""
        out = {}
        for filename in filenames:
            with open(self.path / filename, "rb") as stream:
                out[filename] = read_bounded(stream, str(self.path / filename))
        return out

    def __str__(self):
        return str(self.path)


class TarArchive:
    """Data set files inside a (gzipped) tar archive, under the folder ``inner`` — read, not extracted."""

    def __init__(self, path, inner: str):
        self.path, self.inner = Path(path), inner

    def _member(self, filename):
        return f"{self.inner}/{filename}"

    def has(self, filenames) -> bool:
        if not self.path.is_file() or not tarfile.is_tarfile(self.path):
            return False
        with tarfile.open(self.path) as archive:
            names = set(archive.getnames())
        return all(self._member(filename) in names for filename in filenames)

    def read(self, filenames) -> dict:
        """``{filename: bytes}`` for each regular-file member ``inner/filename``, in one pass."""
        wanted = {self._member(filename): filename for filename in filenames}
        out = {}
        try:
            with tarfile.open(self.path) as archive:
                for member in archive:
                    if member.name in wanted and member.isfile():
                        source = f"{self.path}:{member.name}"
                        out[wanted[member.name]] = read_bounded(archive.extractfile(member), source)
        except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
            raise ValueError(f"{self.path}: corrupt or truncated archive ({error})") from error
        missing = [filename for filename in filenames if filename not in out]
        if missing:
            raise ValueError(f"{self.path}: no regular file {self.inner}/{missing[0]} in the archive")
        return out

    def __str__(self):
        return f"{self.path} (archive, folder {self.inner}/)"


def archive_sources(name: str, keras_dirname: str, inner: str, archive_name: str) -> list:
    """Where an archive data set (CIFAR) may be, as Keras 3, Keras 2 or the user leave it.

    Args:
        name: glassnet's folder name (e.g. "cifar10").
        keras_dirname: the ``fname`` Keras 3 passes to ``get_file`` (e.g. "cifar-10-batches-py-target").
        inner: the archive's top folder (e.g. "cifar-10-batches-py").
        archive_name: the downloaded archive's name (e.g. "cifar-10-python.tar.gz").
    """
    cache = keras_datasets_dir()
    sources = [Folder(cache / keras_dirname / inner),               # Keras 3: extracted under <fname>/
               Folder(cache / inner),                               # Keras 2: extracted into the cache
               TarArchive(cache / f"{keras_dirname}_archive", inner),   # Keras 3's download, not extracted
               TarArchive(cache / archive_name, inner)]             # the archive saved by hand
    for folder in candidate_dirs(name):
        sources += [Folder(folder / inner), Folder(folder), TarArchive(folder / archive_name, inner)]
    return sources


def read_archive_files(name: str, sources, filenames, origin: str, save_as) -> dict:
    """``{filename: bytes}`` from the first source that has all ``filenames``.

    Raises:
        FileNotFoundError: listing every source and ``origin``.
    """
    for source in sources:
        if source.has(filenames):
            return source.read(filenames)
    raise missing_error(name, [str(source) for source in sources], origin, save_as)


__all__ = ["KERAS_ORIGIN", "cached_file", "missing_error", "load_npz_members", "read_word_index", "Folder",
           "TarArchive", "archive_sources", "read_archive_files"]

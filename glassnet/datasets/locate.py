"""Where the local data sets are: glassnet reads data from disk and never downloads.

A loader looks for its data set's folder ``name`` (e.g. "mnist") in this order and uses
the first folder that holds all the files it needs:

1. the ``path`` argument, when given (then only there);
2. ``$GLASSNET_DATA/<name>``, when the environment variable is set;
3. ``../shared/data/<name>`` relative to the current directory;
4. ``../shared/data/<name>`` relative to the glassnet repository (the folder that holds
   the ``glassnet`` package).

If none has the files, a ``FileNotFoundError`` lists every place it looked.

Keras's own download cache is a further place (``keras_datasets_dir``): ``$KERAS_HOME/datasets``,
else ``~/.keras/datasets`` — what ``keras.datasets`` left there is read, never downloaded again.
"""
from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path

ENV_VAR = "GLASSNET_DATA"
KERAS_HOME_VAR = "KERAS_HOME"
REPO_ROOT = Path(__file__).resolve().parents[2]
"""The folder that holds the ``glassnet`` package (a source checkout's root)."""


def candidate_dirs(name: str, path=None) -> list:
    """The folders to search for data set ``name``, in order (see the module docstring)."""
    if path is not None:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"`path` must be a directory (str or os.PathLike) or None, "
                            f"got {type(path).__name__}: {path!r}")
        return [Path(os.path.abspath(path))]
    found = []
    if os.environ.get(ENV_VAR):
        found.append(Path(os.environ[ENV_VAR]) / name)
    found += [Path.cwd() / ".." / "shared" / "data" / name, Path(REPO_ROOT) / ".." / "shared" / "data" / name]
    unique = []
    for folder in found:
        folder = Path(os.path.abspath(folder))   # lexical "..": the folder beside, as a user reads it
        if folder not in unique:
            unique.append(folder)
    return unique


def keras_datasets_dir() -> Path:
    """Keras's cache of downloaded data sets, chosen as Keras chooses it: ``$KERAS_HOME/datasets``,
    else ``~/.keras/datasets``; ``/tmp/.keras/datasets`` where the home folder (or an existing
    Keras home) is not writable."""
    if os.environ.get(KERAS_HOME_VAR):
        home = os.path.expanduser(os.environ[KERAS_HOME_VAR])
    else:
        user = os.path.expanduser("~")
        home = os.path.join(user if os.access(user, os.W_OK) else "/tmp", ".keras")
    if os.path.isdir(home) and not os.access(home, os.W_OK):
        home = os.path.join("/tmp", ".keras")
    return Path(os.path.abspath(home)) / "datasets"


def find_files(name: str, filenames, path=None, also=()) -> list:
    """The full paths of ``filenames`` in the first candidate folder that has them all.

    A file is also accepted gzipped (``<file>.gz``) when listed plain, and plain when
    listed as ``<file>.gz``. ``also``: folders searched after the usual ones (not when
    ``path`` is given), e.g. where Keras caches the data set.

    Raises:
        FileNotFoundError: saying where it looked and that glassnet never downloads.
    """
    places = candidate_dirs(name, path) + ([Path(folder) for folder in also] if path is None else [])
    for folder in places:
        paths = [_existing(folder, filename) for filename in filenames]
        if all(p is not None for p in paths):
            return paths
    looked = "\n".join(f"  {p}" for p in places)
    how = ("" if path is not None else
           f"\nPass `path=` or set the environment variable {ENV_VAR} to the folder that holds {name}/.")
    raise FileNotFoundError(f"data set {name!r} not found: need {', '.join(filenames)} in a folder; "
                            f"looked in:\n{looked}\nglassnet never downloads data; put the files there first.{how}")


def _existing(folder: Path, filename: str):
    for option in (filename, filename[:-3] if filename.endswith(".gz") else filename + ".gz"):
        if (folder / option).is_file():
            return folder / option
    return None


def read_lines(path) -> list:
    """The lines of a UTF-8 text file (gzipped if its name ends in .gz), without line endings.

    Raises:
        ValueError: naming the file, if it is not valid UTF-8 or not valid gzip.
    """
    lines = read_text(path).split("\n")   # not str.splitlines: it also splits at \x85, \u2028, ...
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def read_text(path) -> str:
    """The whole of a UTF-8 text file (gzipped if its name ends in .gz); see ``read_lines``."""
    path = os.fspath(path)
    try:
        if path.endswith(".gz"):
            with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
                return f.read()
        with open(path, encoding="utf-8", newline="") as f:
            return f.read()
    except UnicodeDecodeError as error:
        raise ValueError(f"text file {path!r} is not valid UTF-8 ({error})") from error
    except (EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise ValueError(f"text file {path!r}: corrupt or truncated gzip data ({error})") from error


__all__ = ["ENV_VAR", "KERAS_HOME_VAR", "candidate_dirs", "keras_datasets_dir", "find_files", "read_lines", "read_text"]

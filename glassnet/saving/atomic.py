"""Crash-safe writing: a file is either the old one or the complete new one, never half.

How a save reaches the disk (the classic recipe; what SQLite and git do)::

    1. clean up:  remove temporary files of earlier saves into this directory whose
                  process is gone (killed mid-save: SIGKILL, power loss, OOM killer)
    2. write:     .glassnet-tmp.<host>.<pid>.<random>.<name>   in the *same* directory
    3. flush + fsync the temporary file        its bytes are on the disk
    4. os.replace(temporary, destination)      atomic rename: readers see old or new
    5. fsync the directory                     the rename itself is on the disk

The temporary file lives next to the destination because a rename is only atomic inside
one file system. If anything fails in 2–4 the temporary file is removed and the
destination is untouched; the error is an ``OSError`` with the same errno (``ENOSPC``
for a full disk, ``EDQUOT``, ``EIO`` ...) whose message names the destination file.
A process killed between 2 and 4 cannot remove its temporary file; its name carries the
host and process id, so the next save into the directory (from any process on the same
host) sees that the process no longer exists and removes it. A temporary file of a live
process, or of another host (a shared network folder), is never touched; neither are the
``.<name>.*.tmp`` files older glassnet versions left (nothing says whose they are), nor any
temporary file on Windows (a process cannot be probed there without signalling it).
"""
from __future__ import annotations

import errno as errno_codes
import os
import re
import secrets
import socket

TEMP_PREFIX = ".glassnet-tmp."
_TEMP_NAME = re.compile(r"\.glassnet-tmp\.(?P<host>[A-Za-z0-9_-]{1,64})\.(?P<pid>\d{1,10})\.[0-9a-f]{8}\..+")


def _host() -> str:
    """This machine's name, reduced to characters that cannot be confused with the separators."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", socket.gethostname() or "localhost")[:64] or "localhost"


def temporary_name(filepath: str) -> str:
    """The temporary path a save of ``filepath`` writes first (same directory, hidden)."""
    directory, name = os.path.split(os.path.abspath(filepath))
    return os.path.join(directory, f"{TEMP_PREFIX}{_host()}.{os.getpid()}.{secrets.token_hex(4)}.{name}")


def _process_exists(pid: int) -> bool:
    if pid == os.getpid() or os.name != "posix":
        return True              # (on Windows os.kill(pid, 0) would *terminate* the process: never probe)
    try:
        os.kill(pid, 0)          # signal 0: no signal sent, only the existence check
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True              # it exists but is not ours, or we cannot tell: keep its file
    return True


def remove_stale_temporaries(directory: str) -> list:
    """Remove the temporary files of killed saves in ``directory``; returns their paths.

    Only files named by ``temporary_name`` on this host whose process no longer exists
    are removed; anything else (a live save, another host's save, files not ours) stays.
    """
    removed = []
    try:
        names = os.listdir(directory)
    except OSError:
        return removed
    host = _host()
    for name in names:
        if not name.startswith(TEMP_PREFIX):
            continue
        match = _TEMP_NAME.fullmatch(name)
        if match is None or match["host"] != host or _process_exists(int(match["pid"])):
            continue
        path = os.path.join(directory, name)
        try:
            os.unlink(path)
            removed.append(path)
        except OSError:          # another process cleaned it first, or it is not ours to remove
            pass
    return removed


def _fsync_directory(directory: str) -> None:
    """Make a rename in ``directory`` durable (POSIX; a no-op where directories cannot be opened)."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return                   # Windows: directories cannot be opened; NTFS journals the rename
    try:
        os.fsync(descriptor)
    except OSError as error:
        if error.errno not in (errno_codes.EINVAL, errno_codes.ENOTSUP, errno_codes.EBADF):
            raise
    finally:
        os.close(descriptor)


def _named(error: OSError, filepath: str, what: str) -> OSError:
    """``error`` again (same errno, so the same OSError subclass), its message naming ``filepath``."""
    reason = error.strerror or str(error) or type(error).__name__
    message = f"cannot save {filepath!r}: {reason} ({what}; the previous file, if any, is unchanged)"
    if error.errno is None:
        return OSError(message)
    return OSError(error.errno, message)


def atomic_write(filepath: str, write) -> None:
    """Call ``write(file)`` on a temporary file next to ``filepath``, then rename it over ``filepath``.

    Args:
        filepath: the destination.
        write: a function taking a binary file open for writing.

    Raises:
        FileNotFoundError: if the destination's directory does not exist.
        IsADirectoryError: if ``filepath`` is a directory.
        OSError: if writing, syncing or renaming fails (a full disk: errno ``ENOSPC``),
            with a message naming ``filepath``; the destination is untouched and the
            temporary file removed. Errors raised by ``write`` itself that are not
            ``OSError`` (a bad config, ...) propagate unchanged, after the same cleanup.
    """
    filepath = os.fspath(filepath)
    directory = os.path.dirname(os.path.abspath(filepath))
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"cannot save to {filepath!r}: directory {directory!r} does not exist")
    if os.path.isdir(filepath):
        raise IsADirectoryError(f"cannot save to {filepath!r}: it is a directory")
    remove_stale_temporaries(directory)
    temporary = temporary_name(filepath)
    stage = "creating a temporary file in its directory"
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
        with os.fdopen(descriptor, "wb") as file:
            stage = "writing"
            write(file)
            stage = "flushing to disk"
            file.flush()
            os.fsync(file.fileno())
        stage = "renaming the temporary file over it"
        os.replace(temporary, filepath)
        stage = "syncing its directory"
        _fsync_directory(directory)
    except BaseException as error:
        if os.path.lexists(temporary):
            try:
                os.unlink(temporary)
            except OSError:
                pass
        if isinstance(error, OSError):   # same errno, so the same subclass (FileNotFoundError, ...)
            raise _named(error, filepath, stage) from error
        raise

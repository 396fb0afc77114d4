"""Keeping freed memory for the next training step (glibc's malloc), and how to turn it off.

A training step allocates and frees the same large temporaries again and again: im2col's
window matrix (14 MB for W3's second convolution), gradients, activations. By default
glibc's malloc hands big freed blocks back to the operating system — a block over
M_MMAP_THRESHOLD at once, the top of the heap once more than M_TRIM_THRESHOLD of it is
free — so the next step gets fresh pages, which the kernel zero-fills one 4 KiB page at a
time on first touch. On the 2-core machine of ``benchmarks/`` a W3 CNN step took 45 ms that
way and 23 ms with freed memory kept (an MLP step hardly changes: its temporaries are small).

So, the first time ``fit``, ``evaluate``, ``predict`` or ``train_on_batch`` runs, glassnet sets

    M_MMAP_THRESHOLD = 64 MiB     blocks up to 64 MiB come from the heap, and are reused
    M_TRIM_THRESHOLD = 256 MiB    up to 256 MiB of free heap stays in the process

(``mallopt``; what TensorFlow and PyTorch users get from jemalloc/tcmalloc). The cost: the
process keeps up to 256 MiB it no longer uses. It applies to the whole process, once, and
only with glibc (Linux); elsewhere nothing happens. ``GLASSNET_MALLOC_TUNING=0`` before the
first call, or ``set_enabled(False)``, leaves malloc as it is.
"""
from __future__ import annotations

import ctypes
import os
import threading

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3          # mallopt's parameter numbers (malloc.h)
MMAP_THRESHOLD = 64 << 20
TRIM_THRESHOLD = 256 << 20

_wanted = os.environ.get("GLASSNET_MALLOC_TUNING", "1").strip().lower() not in ("0", "false", "no", "off")
_applied = None          # None: not tried yet; True: set; False: not possible here or not wanted
_lock = threading.Lock()


def set_enabled(value: bool) -> None:
    """Whether glassnet may tune malloc on its first training call (it cannot be undone once set)."""
    global _wanted
    _wanted = bool(value)


def wanted() -> bool:
    """Whether glassnet will tune malloc on its first training call (or has)."""
    return _wanted


def tuned() -> bool:
    """Whether malloc's thresholds were set by glassnet in this process."""
    return bool(_applied)


def keep_freed_memory() -> bool:
    """Set the two thresholds once (glibc only); returns whether they are set."""
    global _applied
    if _applied is not None or not _wanted:
        return bool(_applied)
    with _lock:
        if _applied is None:
            _applied = _mallopt()
    return _applied


def _mallopt() -> bool:
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version                       # glibc, not musl or macOS's libc
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))

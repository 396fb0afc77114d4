"""Subnormal floats, and how glassnet keeps them out of training.

A float32 whose magnitude is below 2⁻¹²⁶ ≈ 1.18e-38 (float64: 2⁻¹⁰²² ≈ 2.2e-308) is
*subnormal*: it has lost its leading 1-bit to reach closer to zero. x86 CPUs handle an
arithmetic that reads or produces one in microcode, 10 to 100 times slower than a normal
one. Training makes them: state that decays geometrically whenever its gradient is zero
reaches them after a few hundred steps, e.g. Adam's first moment m ← β₁·m for a weight
whose input is always 0 (the black border pixels of MNIST):

    0.9ᵗ · 10⁻³  <  1.18e-38    for t > 810 steps

and every later step then pays the microcode price on those elements. The same holds for
momentum, RMSprop/Adagrad/Adadelta accumulators, moving statistics and decayed weights.

glassnet removes them in two ways:

1. **Hardware** (the default where it works): the thread that computes is put in
   flush-to-zero mode (FTZ: a result that would be subnormal becomes ±0) with
   denormals-are-zero (DAZ: a subnormal input is read as ±0). These are bits of the CPU's
   floating-point control register — MXCSR bits 15 and 6 on x86-64, FPCR bit 24 on
   AArch64 — set through C's ``fegetenv``/``fesetenv``. They cost nothing per operation.
   ``fit``, ``evaluate``, ``predict``, ``train_on_batch``, ``test_on_batch`` and every
   optimizer update run inside ``flush_subnormals()``, which sets the bits on entry and puts the
   previous mode back on exit, so code outside glassnet is unaffected. (TensorFlow runs
   its CPU kernels the same way; PyTorch offers ``torch.set_flush_denormal(True)``.)
2. **Software** (where the mode cannot be set: another C library or CPU): optimizers
   zero the subnormal entries of their slots and variables after each update
   (``flush_inplace``), which costs one pass over them.

Whether the hardware mode works is not assumed from the platform: it is tried once, and
kept only if ``float32(2⁻¹²⁶) · 0.5`` then really gives 0.

Turn both off with ``set_flush_subnormals(False)`` (or the environment variable
``GLASSNET_FLUSH_SUBNORMALS=0``), e.g. to study subnormals themselves. The mode belongs to
one thread: a thread started inside ``flush_subnormals()`` inherits it, threads already
running (such as the BLAS workers NumPy started) keep theirs — they see only inputs that
were already flushed.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import platform
import sys
import threading

import numpy as np

_enabled = os.environ.get("GLASSNET_FLUSH_SUBNORMALS", "1").strip().lower() not in ("0", "false", "no", "off")
_local = threading.local()      # per thread: depth of nested flush_subnormals(), the register it set


def set_flush_subnormals(enabled: bool) -> None:
    """Turn subnormal flushing on (default) or off, hardware and software alike."""
    global _enabled
    _enabled = bool(enabled)


def flush_subnormals_enabled() -> bool:
    """Whether glassnet flushes subnormals while it trains and predicts."""
    return _enabled


# --- the hardware mode -----------------------------------------------------------------------
class _ControlRegister:
    """The FTZ/DAZ bits of one C library's ``fenv_t``, read and written with fegetenv/fesetenv.

    ``fenv_t`` is an opaque struct; what matters is which 32-bit word of it holds the SSE or
    NEON control register and which bits to set there (``_LAYOUTS``). Each thread keeps the
    environment it saved on entry in a buffer of its own.
    """

    def __init__(self, library, word: int, bits: int):
        self._get, self._set = library.fegetenv, library.fesetenv
        self._word, self._bits = word, bits
        self._saved = threading.local()

    def enable(self) -> None:
        """Save this thread's environment, then set FTZ and DAZ in it."""
        saved = getattr(self._saved, "env", None)
        if saved is None:
            saved = self._saved.env = (ctypes.c_uint32 * 64)()     # larger than any fenv_t
        if self._get(saved) != 0:
            raise OSError("fegetenv failed")
        control = saved[self._word]
        saved[self._word] = control | self._bits
        status = self._set(saved)
        saved[self._word] = control                                 # keep the saved mode as it was
        if status != 0:
            raise OSError("fesetenv failed")

    def restore(self) -> None:
        """Put back the environment ``enable`` saved in this thread."""
        if self._set(self._saved.env) != 0:
            raise OSError("fesetenv failed")


# (sys.platform, machine) -> (index of the 32-bit word of fenv_t holding the control register, its bits)
_LAYOUTS = {
    ("linux", "x86_64"): (7, 0x8040),       # glibc: 28 bytes of x87 state, then MXCSR; FTZ 1<<15 | DAZ 1<<6
    ("linux", "aarch64"): (0, 1 << 24),     # glibc: {fpcr, fpsr}; FZ is FPCR bit 24
    ("darwin", "x86_64"): (1, 0x8040),      # {u16 control, u16 status, u32 mxcsr, ...}
    ("darwin", "arm64"): (2, 1 << 24),      # {u64 fpsr, u64 fpcr}
}

_hardware = None                 # the _ControlRegister, once probed and found to work
_probed = False
_probe_lock = threading.Lock()


def _flushes_now() -> bool:
    """Whether this thread's arithmetic flushes float32 subnormal results to zero now."""
    smallest = np.full(4, np.finfo(np.float32).smallest_normal, dtype=np.float32)
    return not np.any(smallest * np.float32(0.5))


def _probe():
    """Find and test the control register once per process; None where it cannot be set."""
    global _hardware, _probed
    if _probed:
        return _hardware
    with _probe_lock:
        if _probed:
            return _hardware
        _probed = True
        layout = _LAYOUTS.get((sys.platform, platform.machine().lower()))
        name = ctypes.util.find_library("m") or ctypes.util.find_library("c")
        if layout is None or name is None:
            return None
        try:
            register = _ControlRegister(ctypes.CDLL(name), *layout)
            register.enable()
            works = _flushes_now()
            register.restore()
        except (OSError, AttributeError):
            return None
        if works:
            _hardware = register
        return _hardware


def hardware_flush_available() -> bool:
    """Whether this CPU and C library let glassnet set flush-to-zero / denormals-are-zero."""
    return _probe() is not None


def uses_software_flush() -> bool:
    """Whether optimizers must zero subnormal slot values themselves (flushing on, no hardware mode)."""
    return _enabled and _probe() is None


class flush_subnormals:
    """Context manager (and decorator): this thread computes with FTZ and DAZ set.

    Nested uses cost nothing (only the outermost switches the mode), and the mode that was
    there before is restored on exit. Does nothing when flushing is turned off or the
    hardware mode is unavailable (the optimizers then flush in software).
    """

    def __enter__(self):
        depth = getattr(_local, "depth", 0)
        _local.depth = depth + 1
        if depth == 0:
            register = _local.register = _probe() if _enabled else None
            if register is not None:
                register.enable()
        return self

    def __exit__(self, *exc):
        _local.depth -= 1
        if _local.depth == 0 and _local.register is not None:
            _local.register.restore()
        return False

    def __call__(self, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with flush_subnormals():
                return function(*args, **kwargs)

        return wrapper


# --- the software flush and counting ---------------------------------------------------------
def flush_inplace(array: np.ndarray) -> None:
    """x ← 0 wherever 0 < |x| < the dtype's smallest normal number (in place)."""
    if array.dtype.kind == "f":
        np.copyto(array, 0, where=np.abs(array) < np.finfo(array.dtype).smallest_normal)


def count_subnormal(array) -> int:
    """How many entries of a float array are subnormal (nonzero and below the smallest normal)."""
    array = np.asarray(array)
    if array.dtype.kind != "f":
        return 0
    magnitude = np.abs(array)
    return int(np.count_nonzero((magnitude < np.finfo(array.dtype).smallest_normal) & (magnitude > 0)))


__all__ = ["flush_subnormals", "set_flush_subnormals", "flush_subnormals_enabled", "hardware_flush_available",
           "uses_software_flush", "flush_inplace", "count_subnormal"]

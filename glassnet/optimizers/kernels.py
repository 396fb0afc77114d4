"""Compiled update kernels: an optional accelerator (Numba) for the optimizers' update rules.

An update rule in NumPy (``Adam.update_step``) is a dozen whole-array operations, each one
pass over memory on one core: for the 535k weights of a 784-512-256-10 MLP an Adam step
takes ~1.3 ms here (~1.4 ms inside a training step). The same rule written as one loop and
compiled by Numba reads each element once, keeps the intermediates in registers and uses
the CPU's vector instructions: ~0.35 ms (~0.5 ms inside a training step).

The NumPy code stays the reference and the lesson: a kernel performs the *same* float
operations in the *same* order, element by element (the formula in each kernel's
docstring is the optimizer's), and the tests check that both give identical numbers, bit
for bit. A kernel also zeroes the subnormal values it would store (``glassnet.subnormals``),
so it does not depend on the thread's flush-to-zero mode.

Used when Numba is installed (``pip install glassnet[fast]``), for contiguous float32 or
float64 variables of at least ``MIN_SIZE`` elements (below that, the call's own overhead
costs more than it saves). ``glassnet.kernels.set_enabled(False)`` (also importable from here)
or ``GLASSNET_KERNELS=0`` turns them off; ``enabled()`` tells whether they are in use.
"""
from __future__ import annotations

import numpy as np

from .. import kernels as switch
from .. import subnormals
from ..kernels import set_enabled

MIN_SIZE = 16384
"""Smallest variable (in elements) updated by a kernel; smaller ones take the NumPy path."""

# One thread, no pool: in training the update is bound by memory traffic (the weights left
# the cache during the backward pass), where a second thread gains nothing on this machine,
# and a Numba thread pool (OpenMP) left spinning after a launch slowed whatever ran next:
# PyTorch's epochs in the same process ran 6–13× slower after a glassnet fit (W5, one thread). The loop is compiled serially with
# NumPy's error model (no ZeroDivisionError check per element), which lets LLVM vectorise
# it: 0.40 ms for the W1 weights, as fast as the parallel=True loop on one thread (0.37 ms).


def enabled() -> bool:
    """Whether the optimizers use compiled kernels now (switched on, and Numba importable)."""
    return switch.wanted() and _kernels() is not None


def applies(w: np.ndarray, *arrays) -> bool:
    """Whether a kernel may update ``w`` (with its gradient and slots ``arrays``)."""
    return (w.size >= MIN_SIZE and w.dtype in (np.float32, np.float64) and enabled()
            and all(a.dtype == w.dtype and a.flags.c_contiguous for a in (w, *arrays)))


def _build():
    """Compile the kernels (on first use; Numba caches the machine code on disk)."""
    import math
    import types

    import numba

    @numba.njit(cache=True, nogil=True, error_model="numpy")
    def adam(g, w, m, v, v_max, amsgrad, alpha, one_minus_beta_1, one_minus_beta_2, epsilon, tiny, zero):
        """Per element, as ``Adam.update_step``:
            m ← m + (g − m)·(1 − β1);  v ← v + (g·g − v)·(1 − β2)
            v̂ ← max(v_max, v) with amsgrad (and v_max ← v̂), else v
            w ← w − (m / (√v̂ + ε))·α
        """
        for i in range(w.size):
            gi = g[i]
            mi = m[i] + (gi - m[i]) * one_minus_beta_1
            vi = v[i] + (gi * gi - v[i]) * one_minus_beta_2
            if abs(mi) < tiny:
                mi = zero
            if abs(vi) < tiny:
                vi = zero
            m[i] = mi
            v[i] = vi
            if amsgrad:
                vi = max(v_max[i], vi)
                v_max[i] = vi
            wi = w[i] - (mi / (math.sqrt(vi) + epsilon)) * alpha
            if abs(wi) < tiny:
                wi = zero
            w[i] = wi

    return types.SimpleNamespace(adam=adam, numba=numba)


_kernels = switch.Compiled(_build).get

def adam(g, w, m, v, v_max, alpha: float, beta_1: float, beta_2: float, epsilon: float) -> None:
    """One Adam step on flat views of ``w`` and its slots, in place (see ``Adam``)."""
    dtype = w.dtype.type
    flat = [a.reshape(-1) for a in (g, w, m, v, v if v_max is None else v_max)]
    _kernels().adam(*flat, v_max is not None, dtype(alpha), dtype(1 - beta_1), dtype(1 - beta_2),
                    dtype(epsilon), _flush_below(w.dtype), dtype(0))


def _flush_below(dtype):
    """The magnitude below which a kernel stores 0: the smallest normal number, or 0 (nothing)
    when subnormal flushing is turned off."""
    return dtype.type(np.finfo(dtype).smallest_normal if subnormals.flush_subnormals_enabled() else 0)


__all__ = ["MIN_SIZE", "set_enabled", "enabled", "applies", "adam"]

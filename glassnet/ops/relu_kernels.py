"""The backward of a fused ReLU, compiled (Numba): an optional accelerator for ``Conv`` and ``Linear``.

For y = max(0, z) computed in place, backward needs g ⊙ [y > 0] and, for the bias, its
column sums Σ_rows. NumPy makes three passes (the comparison, the product, the sum) and
writes a boolean temporary; this loop makes one, reading g and y once:

    masked[r, k] = g[r, k] if y[r, k] > 0 else 0,      sums[k] = Σ_r masked[r, k]

The masked gradient is identical to NumPy's ``g * (y > 0)``; the sums are rounded in a
different order than ``np.sum`` (each column's sum, row after row, in float64), so they
agree to float rounding, not bit for bit.
"""
from __future__ import annotations

import numpy as np

from .. import kernels as switch

MIN_SIZE = 65536
"""Smallest gradient (elements) worth a kernel launch."""


def applies(g, y) -> bool:
    return (g.size >= MIN_SIZE and g.ndim == 2 and g.dtype in (np.float32, np.float64) and g.dtype == y.dtype
            and g.shape == y.shape and switch.enabled() and _kernels() is not None)


def _build():
    import types

    import numba

    @numba.njit(cache=True, nogil=True)
    def masked_sums(g, y, out, sums):
        rows, k = g.shape
        zero = out.dtype.type(0)
        for c in range(k):
            sums[c] = 0.0
        for r in range(rows):
            for c in range(k):
                v = g[r, c] if y[r, c] > 0 else zero
                out[r, c] = v
                sums[c] += v

    return types.SimpleNamespace(masked_sums=masked_sums)


_kernels = switch.Compiled(_build).get

def relu_backward(g, y):
    """(g ⊙ [y > 0], its column sums) in one pass; g and y are (rows, k)."""
    out = np.empty_like(g)
    sums = np.empty(g.shape[1], dtype=np.float64)
    _kernels().masked_sums(np.ascontiguousarray(g), np.ascontiguousarray(y), out, sums)
    return out, sums.astype(g.dtype)

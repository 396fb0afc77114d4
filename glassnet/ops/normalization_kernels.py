"""Layer normalisation over rows, compiled (Numba): an optional accelerator for ``Normalize``.

For the layer-norm layout — x viewed as (rows, C), one (μ, σ²) per row, γ and β along the
columns — NumPy makes about eight passes over x forward and a dozen backward, each with a
reduction over short rows or a temporary. These loops make one pass per row, reading the
row once while it is in cache (the formulas of ``normalization.py``):

    forward:   μ = Σx/C,  σ² = Σ(x − μ)²/C,  s = 1/√(σ² + ε),  x̂ = (x − μ)·s,  y = γ·x̂ + β
    backward:  ĝ = γ·g,  ∂x = s·(ĝ − Σĝ/C − x̂·Σ(ĝ·x̂)/C),  ∂γ = Σ_rows g·x̂,  ∂β = Σ_rows g

The sums are added in a different order than NumPy's (vectorised lanes), so results agree
with the NumPy path to rounding. ``normalization.py`` keeps the NumPy passes as the reference.
"""
from __future__ import annotations

import numpy as np

from .. import kernels as switch

MIN_SIZE = 16384
"""Smallest x (elements) worth a kernel launch."""

_FASTMATH = {"nsz", "arcp", "contract", "afn", "reassoc"}   # vectorised sums; NaN still propagates


def applies(x, gamma, beta) -> bool:
    """Whether the kernels serve this (rows, C) view with γ, β of shape (C,) (float, contiguous)."""
    return (x.ndim == 2 and x.size >= MIN_SIZE and x.dtype in (np.float32, np.float64) and x.flags.c_contiguous
            and all(p.shape == (x.shape[1],) and p.dtype == x.dtype for p in (gamma, beta))
            and switch.enabled() and _kernels() is not None)


def _build():
    import types

    import numba

    @numba.njit(cache=True, nogil=True, fastmath=_FASTMATH, error_model="numpy")
    def forward(x, gamma, beta, epsilon, y, x_hat, mean_out, variance_out, inv_std):
        """y, x̂ (rows, C) and μ, σ², s (rows, 1 each) from x; ``epsilon`` of x's dtype."""
        rows, C = x.shape
        for r in range(rows):
            row, row_hat, out = x[r], x_hat[r], y[r]
            total = row.dtype.type(0)
            for c in range(C):
                total += row[c]
            mean = total / C
            squares = row.dtype.type(0)
            for c in range(C):
                d = row[c] - mean
                row_hat[c] = d
                squares += d * d
            variance = squares / C
            s = 1 / np.sqrt(variance + epsilon)
            mean_out[r, 0], variance_out[r, 0], inv_std[r, 0] = mean, variance, s
            for c in range(C):
                h = row_hat[c] * s
                row_hat[c] = h
                out[c] = h * gamma[c] + beta[c]

    @numba.njit(cache=True, nogil=True, fastmath=_FASTMATH, error_model="numpy")
    def backward(g, x_hat, gamma, inv_std, grad_x, grad_gamma, grad_beta):
        """∂x (rows, C); ∂γ, ∂β (C,) are summed into (zero them first)."""
        rows, C = g.shape
        for r in range(rows):
            g_r, h_r, out = g[r], x_hat[r], grad_x[r]
            sum_g = g_r.dtype.type(0)
            sum_gx = g_r.dtype.type(0)
            for c in range(C):
                g_hat = g_r[c] * gamma[c]
                sum_g += g_hat
                sum_gx += g_hat * h_r[c]
                grad_gamma[c] += g_r[c] * h_r[c]
                grad_beta[c] += g_r[c]
            mean_g, mean_gx, s = sum_g / C, sum_gx / C, inv_std[r, 0]
            for c in range(C):
                out[c] = (g_r[c] * gamma[c] - mean_g - h_r[c] * mean_gx) * s

    return types.SimpleNamespace(forward=forward, backward=backward)


_kernels = switch.Compiled(_build).get


def kernels():
    """The compiled namespace (``forward``, ``backward``), or None without Numba."""
    return _kernels()

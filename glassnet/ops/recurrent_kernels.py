"""The LSTM's BPTT step, compiled (Numba): an optional accelerator for ``LSTMSequence``.

With the default activations (σ = sigmoid, φ = tanh) one step's element-wise backward work —
NumPy's ~20 passes, each over an (n, u) slice, with their temporaries — becomes one loop
that reads each value once. The formulas are those of ``LSTMSequence.step_backward``, with
the products grouped the same way, so the result is identical to NumPy's:

    ∂c += (∂h·o)·(1 − φ²);   ∂z_o = (∂h·φ)·(o(1 − o));   ∂z_i = (∂c·c̃)·(i(1 − i));
    ∂z_f = (∂c·c_{t−1})·(f(1 − f));   ∂z_c = (∂c·i)·(1 − c̃²);   ∂c_{t−1} = ∂c·f

The forward stays in NumPy: its work is tanh, which NumPy vectorises and a compiled
scalar loop (libm's tanh, ~40 ns each) would make slower.
"""
from __future__ import annotations

import numpy as np

from .. import kernels as switch


def applies(activation, recurrent_activation, dtype) -> bool:
    return (activation == "tanh" and recurrent_activation == "sigmoid" and dtype in (np.float32, np.float64)
            and switch.enabled() and _kernels() is not None)


def _build():
    import types

    import numba

    @numba.njit(cache=True, nogil=True)
    def lstm_backward(dh, dc, g, phi_c, c_prev, dz):
        """dc (n, u): ∂c_t on entry, ∂c_{t−1} on exit; dz (n, 4u) receives ∂z_t."""
        n, u = dh.shape
        one = dh.dtype.type(1.0)
        for r in range(n):
            for k in range(u):
                i, f, c_tilde, o = g[r, k], g[r, u + k], g[r, 2 * u + k], g[r, 3 * u + k]
                p, d_h = phi_c[r, k], dh[r, k]
                d_c = dc[r, k] + d_h * o * (one - p * p)
                dz[r, k] = d_c * c_tilde * (i * (one - i))
                dz[r, u + k] = d_c * c_prev[r, k] * (f * (one - f))
                dz[r, 2 * u + k] = d_c * i * (one - c_tilde * c_tilde)
                dz[r, 3 * u + k] = d_h * p * (o * (one - o))
                dc[r, k] = d_c * f

    return types.SimpleNamespace(lstm_backward=lstm_backward)


_kernels = switch.Compiled(_build).get


def kernels():
    """The compiled namespace (``lstm_backward``), or None without Numba."""
    return _kernels()

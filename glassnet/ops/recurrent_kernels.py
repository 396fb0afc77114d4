"""The LSTM's and the GRU's steps, compiled (Numba): an optional accelerator for
``LSTMSequence`` and ``GRUSequence`` (reset_after=True, Keras's default).

With the default activations (σ = sigmoid, φ = tanh) one step's element-wise work —
NumPy's dozen or more passes, each over an (n, u) slice, with their temporaries — becomes
one loop that reads each value once. ``recurrent_lstm.py`` and ``recurrent_gru.py`` keep
the NumPy steps as the reference; the tests check the two against each other.

Backward (float32 and float64), the formulas of ``LSTMSequence.step_backward`` with the
products grouped the same way, so the result is identical to NumPy's:

    ∂c += (∂h·o)·(1 − φ²);   ∂z_o = (∂h·φ)·(o(1 − o));   ∂z_i = (∂c·c̃)·(i(1 − i));
    ∂z_f = (∂c·c_{t−1})·(f(1 − f));   ∂z_c = (∂c·i)·(1 − c̃²);   ∂c_{t−1} = ∂c·f

The GRU's backward likewise follows ``GRUSequence.step_backward`` (reset_after=True):

    ∂a_h = (∂h·(1 − z))·(1 − h̃²);   ∂a_z = (∂h·(h_{t−1} − h̃))·(z(1 − z));
    ∂a_r = (∂a_h·r_h)·(r(1 − r));   ∂r_h = ∂a_h·r;   ∂h_{t−1} = ∂h·z  (+ ∂R·Uᵀ, by BLAS)

Forward (float32 only): z = h·U is already computed (BLAS); the loop adds x_t and applies
the gates and the state update of ``LSTMSequence.step`` / ``GRUSequence.step``. Its tanh is a vectorisable rational function
(a library call per element would make the loop slower than NumPy's vectorised tanh):

    tanh(x) ≈ x·P(x²)/Q(x²)  on  |x| ≤ 7.9988 (±1 beyond),  P of degree 6, Q of degree 3 in x²,

the minimax-style approximation Eigen uses for float tanh; measured against float64
tanh it is within 4.4 ulp of float32 (NumPy's float32 tanh: 1.4 ulp), and NaN stays NaN.
σ(x) = ½ + ½·tanh(x/2). float64 keeps NumPy's forward, whose precision this would lose.
"""
from __future__ import annotations

import numpy as np

from .. import kernels as switch

# tanh(x) ≈ x·(α₁ + α₃x² + … + α₁₃x¹²) / (β₀ + β₂x² + β₄x⁴ + β₆x⁶) for |x| ≤ TANH_CLAMP
TANH_CLAMP = 7.99881172180175781
TANH_P = (4.89352455891786e-03, 6.37261928875436e-04, 1.48572235717979e-05, 5.12229709037114e-08,
          -8.60467152213735e-11, 2.00018790482477e-13, -2.76076847742355e-16)
TANH_Q = (4.89352518554385e-03, 2.26843463243900e-03, 1.18534705686654e-04, 1.19825839466702e-06)
# Fast-math without "no NaNs / no infinities": the loops vectorise, a NaN still propagates
_FASTMATH = {"nsz", "arcp", "contract", "afn", "reassoc"}


def applies(activation, recurrent_activation, dtype) -> bool:
    """Whether the compiled BPTT steps serve this LSTM or GRU (default activations, a float dtype)."""
    return (activation == "tanh" and recurrent_activation == "sigmoid" and dtype in (np.float32, np.float64)
            and switch.enabled() and _kernels() is not None)


def forward_applies(dtype) -> bool:
    """Whether the compiled forward step does too (float32 only: see the module docstring)."""
    return dtype == np.float32


def _build():
    import types

    import numba

    clamp = np.float32(TANH_CLAMP)
    a1, a3, a5, a7, a9, a11, a13 = [np.float32(v) for v in TANH_P]
    b0, b2, b4, b6 = [np.float32(v) for v in TANH_Q]
    half = np.float32(0.5)

    @numba.njit(fastmath=_FASTMATH, error_model="numpy", inline="always")
    def tanh32(x):
        x = -clamp if x < -clamp else (clamp if x > clamp else x)       # NaN passes through
        x2 = x * x
        p = x * (a1 + x2 * (a3 + x2 * (a5 + x2 * (a7 + x2 * (a9 + x2 * (a11 + x2 * a13))))))
        return p / (b0 + x2 * (b2 + x2 * (b4 + x2 * b6)))

    @numba.njit(cache=True, nogil=True, fastmath=_FASTMATH, error_model="numpy")
    def tanh_float32(x, out):
        """The approximation over a 1-D array (for its tests)."""
        for k in range(x.shape[0]):
            out[k] = tanh32(x[k])

    @numba.njit(cache=True, nogil=True, fastmath=_FASTMATH, error_model="numpy")
    def lstm_forward(z, x_proj, t, c_prev, c, phi_c, h):
        """z (n, 4u) = h_{t−1}·U on entry, the gates i, f, c̃, o on exit; adds x_proj[:, t];
        writes c_t into c, φ(c_t) into phi_c and h_t into h (all (n, u))."""
        n, u = c.shape
        for r in range(n):
            # one slice per gate: the loop below indexes from 0 and vectorises
            z_i, z_f, z_c, z_o = z[r, :u], z[r, u:2 * u], z[r, 2 * u:3 * u], z[r, 3 * u:]
            x = x_proj[r, t]
            x_i, x_f, x_c, x_o = x[:u], x[u:2 * u], x[2 * u:3 * u], x[3 * u:]
            c_prev_r, c_r, phi_r, h_r = c_prev[r], c[r], phi_c[r], h[r]
            for k in range(u):
                i = half + half * tanh32(half * (z_i[k] + x_i[k]))
                f = half + half * tanh32(half * (z_f[k] + x_f[k]))
                c_tilde = tanh32(z_c[k] + x_c[k])
                o = half + half * tanh32(half * (z_o[k] + x_o[k]))
                z_i[k], z_f[k], z_c[k], z_o[k] = i, f, c_tilde, o
                c_t = f * c_prev_r[k] + i * c_tilde
                c_r[k] = c_t
                p = tanh32(c_t)
                phi_r[k] = p
                h_r[k] = o * p

    @numba.njit(cache=True, nogil=True, error_model="numpy")
    def lstm_backward(dh, dc, g, phi_c, c_prev, dX, t):
        """dc (n, u): ∂c_t on entry, ∂c_{t−1} on exit; dX[:, t] (dX (n, T, 4u)) receives ∂z_t."""
        n, u = dh.shape
        one = dh.dtype.type(1.0)
        for r in range(n):
            g_i, g_f, g_c, g_o = g[r, :u], g[r, u:2 * u], g[r, 2 * u:3 * u], g[r, 3 * u:]
            dz = dX[r, t]                               # a contiguous row: the loop vectorises
            dz_i, dz_f, dz_c, dz_o = dz[:u], dz[u:2 * u], dz[2 * u:3 * u], dz[3 * u:]
            dh_r, dc_r, phi_r, c_prev_r = dh[r], dc[r], phi_c[r], c_prev[r]
            for k in range(u):
                i, f, c_tilde, o = g_i[k], g_f[k], g_c[k], g_o[k]
                p, d_h = phi_r[k], dh_r[k]
                d_c = dc_r[k] + d_h * o * (one - p * p)
                dz_i[k] = d_c * c_tilde * (i * (one - i))
                dz_f[k] = d_c * c_prev_r[k] * (f * (one - f))
                dz_c[k] = d_c * i * (one - c_tilde * c_tilde)
                dz_o[k] = d_h * p * (o * (one - o))
                dc_r[k] = d_c * f

    @numba.njit(cache=True, nogil=True, fastmath=_FASTMATH, error_model="numpy")
    def gru_forward(g, b, x_proj, t, h, R_h, h_new):
        """g (n, 3u) = h_{t−1}·U on entry, the gates z, r, h̃ on exit; b (3u,) the recurrent
        bias (zeros for none); writes r_h = (h·U + b)_h into R_h and h_t into h_new."""
        n, u = h.shape
        b_z, b_r, b_h = b[:u], b[u:2 * u], b[2 * u:]
        for row in range(n):
            g_z, g_r, g_h = g[row, :u], g[row, u:2 * u], g[row, 2 * u:]
            x = x_proj[row, t]
            x_z, x_r, x_h = x[:u], x[u:2 * u], x[2 * u:]
            h_r, r_h, out = h[row], R_h[row], h_new[row]
            for k in range(u):
                z = half + half * tanh32(half * (x_z[k] + g_z[k] + b_z[k]))
                r = half + half * tanh32(half * (x_r[k] + g_r[k] + b_r[k]))
                rh = g_h[k] + b_h[k]
                h_tilde = tanh32(x_h[k] + r * rh)
                g_z[k], g_r[k], g_h[k], r_h[k] = z, r, h_tilde, rh
                out[k] = h_tilde + z * (h_r[k] - h_tilde)

    @numba.njit(cache=True, nogil=True, error_model="numpy")
    def gru_backward(dh, g, R_h, h, dX, dR, t, dh_prev):
        """dX[:, t] receives ∂[a_z a_r a_h], dR[:, t] ∂(h·U + b) (both (n, T, 3u)), dh_prev (n, u) ∂h·z."""
        n, u = dh.shape
        one = dh.dtype.type(1.0)
        for row in range(n):
            g_z, g_r, g_h = g[row, :u], g[row, u:2 * u], g[row, 2 * u:]
            dx, dr = dX[row, t], dR[row, t]             # contiguous rows: the loop vectorises
            dx_z, dx_r, dx_h = dx[:u], dx[u:2 * u], dx[2 * u:]
            dR_z, dR_r, dR_h = dr[:u], dr[u:2 * u], dr[2 * u:]
            dh_r, rh_r, h_r, out = dh[row], R_h[row], h[row], dh_prev[row]
            for k in range(u):
                z, r, h_tilde, d_h = g_z[k], g_r[k], g_h[k], dh_r[k]
                da_h = d_h * (one - z) * (one - h_tilde * h_tilde)
                da_z = d_h * (h_r[k] - h_tilde) * (z * (one - z))
                da_r = da_h * rh_r[k] * (r * (one - r))
                dx_z[k] = dR_z[k] = da_z
                dx_r[k] = dR_r[k] = da_r
                dx_h[k] = da_h
                dR_h[k] = da_h * r
                out[k] = d_h * z

    return types.SimpleNamespace(lstm_forward=lstm_forward, lstm_backward=lstm_backward, gru_forward=gru_forward,
                                 gru_backward=gru_backward, tanh_float32=tanh_float32)


_kernels = switch.Compiled(_build).get


def kernels():
    """The compiled namespace (``lstm_forward``, ``lstm_backward``, ``gru_forward``, ``gru_backward``,
    ``tanh_float32``), or None without Numba."""
    return _kernels()

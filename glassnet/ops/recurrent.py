"""Whole-sequence recurrent ops with hand-written backpropagation through time (BPTT).

A recurrent layer splits its work in two (Keras's ``implementation=2`` idea):

* the input part x_t·W + b of every step does not depend on the state, so the caller
  computes it for all T steps at once with ONE matmul: ``x_proj = x·W + b`` (n, T, k·u),
  whose gradient autograd gives;
* the recurrence (this file) loops over time. Step t costs one (n, u)×(u, k·u) matmul
  z = x_proj_t + h_{t−1}·U and element-wise gate arithmetic, written into preallocated
  time-major buffers. Backward runs the same loop in reverse (BPTT): one matmul
  ∂h_{t−1} += ∂z_t·Uᵀ per step, and ∂U = Σ_t h_{t−1}ᵀ·∂z_t as ONE matmul at the end
  over the stacked (T·n, u) states and (T·n, k·u) gate gradients.

The three ops (gates in Keras's order; σ = ``recurrent_activation``, φ = ``activation``)::

    simple_rnn_sequence   h_t = φ(x_t + h_{t−1}·U)
    lstm_sequence         [z_i z_f z_c z_o] = x_t + h_{t−1}·U
                          i = σ(z_i), f = σ(z_f), c̃ = φ(z_c), o = σ(z_o)
                          c_t = f ⊙ c_{t−1} + i ⊙ c̃,   h_t = o ⊙ φ(c_t)
    gru_sequence          [r_z r_r r_h] = h_{t−1}·U + b'        (reset_after=True)
                          z = σ(x_z + r_z), r = σ(x_r + r_r), h̃ = φ(x_h + r ⊙ r_h)
                          [r_z r_r] = h_{t−1}·U_zr               (reset_after=False)
                          z = σ(x_z + r_z), r = σ(x_r + r_r), h̃ = φ(x_h + (r ⊙ h_{t−1})·U_h)
                          h_t = z ⊙ h_{t−1} + (1 − z) ⊙ h̃

Shared options (Keras semantics, see CONVENTIONS.md "Recurrent details"):

* ``mask`` (n, T) bool, not differentiated: at a masked step every state is carried
  over unchanged and the step's output repeats the previous output (zeros before the
  first valid step); a masked step gets zero gradient into x_proj.
* ``go_backwards``: the steps run from T−1 down to 0; the outputs are in processing
  order (reversed time), as Keras returns them.
* ``recurrent_dropout``: fixed multiplicative masks on h_{t−1} before the recurrent
  matmul, one per gate as Keras 3's cells use them (``implementation=1``): (n, u) for
  SimpleRNN, (3, n, u) for GRU (z, r, h), (4, n, u) for LSTM (i, f, c, o). Constants.
* activations: "tanh", "sigmoid", "relu", "linear", "hard_sigmoid" (relu6(x + 3)/6);
  any other raises ValueError (a layer then falls back to a composed step loop).

Each function returns Tensors ``(outputs, *final_states)``: outputs (n, T, u) is the
h_t of every step in processing order. Internally the op returns ONE packed array
(n, T + s, u) — the T outputs followed by the s final states — and the function slices
it with ``getitem``, so a gradient reaching any of the pieces flows back through BPTT.
"""
from __future__ import annotations

import numpy as np

from ..backend import xp
from ..tensor import Function, Tensor
from . import recurrent_kernels
from .indexing import getitem


# --- activations: f(x) written into ``out``, and f' expressed through y = f(x) --------
def _sigmoid(x, out):
    """σ(x) = ½ + ½·tanh(x/2), in place: four passes without temporaries, 4× faster here than
    the stable 1/(1 + e⁻ˣ) of ``ops.sigmoid`` and equal to it within a few ulps of ½
    (absolute; relative precision in the far tails, σ(−40) ≈ 4e−18, is not kept — a gate
    that small is 0 for every use)."""
    xp.multiply(x, 0.5, out=out)
    xp.tanh(out, out=out)
    out *= 0.5
    out += 0.5


def _hard_sigmoid(x, out):
    xp.clip(x + 3.0, 0.0, 6.0, out=out)
    out /= 6.0


_ACTIVATIONS = {
    "tanh": (lambda x, out: xp.tanh(x, out=out), lambda y: 1.0 - y * y),
    "sigmoid": (_sigmoid, lambda y: y * (1.0 - y)),
    "relu": (lambda x, out: xp.maximum(x, 0, out=out), lambda y: (y > 0).astype(y.dtype)),
    "linear": (lambda x, out: xp.copyto(out, x), lambda y: xp.ones_like(y)),
    "hard_sigmoid": (_hard_sigmoid, lambda y: ((y > 0) & (y < 1)).astype(y.dtype) / 6.0),
}


def _activation(name, owner, argument):
    """(f, f') for a supported activation name (None means "linear")."""
    name = "linear" if name is None else name
    if not isinstance(name, str) or name not in _ACTIVATIONS:
        raise ValueError(f"{owner}: {argument}={name!r} is not supported by the fused op; "
                         f"expected one of {sorted(_ACTIVATIONS)}")
    return _ACTIVATIONS[name]


class _Recurrence:
    """R(h) = h·U, or with per-gate recurrent dropout masks D_g:  R(h) = [(h ⊙ D_g)·U_g]_g.

    Backward: ∂h = ∂R·Uᵀ  (or Σ_g (∂R_g·U_gᵀ) ⊙ D_g);  ∂U = Σ_t h_{t−1}ᵀ·∂R_t  (one matmul).
    """

    def __init__(self, U, D):
        self.U, self.D = U, D
        if D is not None:
            u, k = U.shape[0], D.shape[0]
            self.Uk = xp.ascontiguousarray(U.reshape(u, k, u).transpose(1, 0, 2))  # (k, u, u)

    def forward(self, h, out):
        if self.D is None:
            xp.matmul(h, self.U, out=out)
        else:
            n, u = h.shape
            out[...] = xp.matmul(h * self.D, self.Uk).transpose(1, 0, 2).reshape(n, -1)

    def backward(self, dR):
        if self.D is None:
            return dR @ self.U.T
        n, u = dR.shape[0], self.U.shape[0]
        dRk = dR.reshape(n, -1, u).transpose(1, 0, 2)                        # (k, n, u)
        return (xp.matmul(dRk, self.Uk.transpose(0, 2, 1)) * self.D).sum(axis=0)

    def grad_U(self, H_prev, dR):
        """∂U from the stacked states H_prev (T, n, u) and gradients dR (T, n, k·u)."""
        u = self.U.shape[0]
        if self.D is None:
            return H_prev.reshape(-1, u).T @ dR.reshape(-1, dR.shape[-1])
        return xp.concatenate([(H_prev * D_g).reshape(-1, u).T @ dR[..., g * u:(g + 1) * u].reshape(-1, u)
                               for g, D_g in enumerate(self.D)], axis=1)


class _RecurrentSequence(Function):
    """The loop over time shared by the three ops: masking, go_backwards, packing.

    A subclass defines ``gates`` (k), ``n_states`` (s), ``setup`` (check shapes, make
    buffers), ``step(t, x_t, states) -> new states`` (forward of one step, saving in its
    time-major buffers what backward needs) and ``step_backward(t, d_new) -> d_prev``
    (writes ∂x_proj of step t into ``self.dX[t]``), and ``finish`` (gradients of U, ...).
    """

    name = "recurrent"
    gates = 1
    n_states = 1

    def check(self, x_proj, states, U, mask, recurrent_dropout, dropout_count):
        if x_proj.ndim != 3:
            raise ValueError(f"{self.name}: x_proj must be 3-D (n, T, {self.gates}·units), got shape {x_proj.shape}")
        n, T, ku = x_proj.shape
        if U.ndim != 2 or U.shape[1] != self.gates * U.shape[0] or U.shape[1] != ku:
            raise ValueError(f"{self.name}: U must be (units, {self.gates}·units) matching x_proj's last axis "
                             f"{ku}, got U {U.shape} and x_proj {x_proj.shape}")
        if T == 0:
            raise ValueError(f"{self.name}: x_proj {x_proj.shape} has no time steps")
        u = U.shape[0]
        for label, state in states:
            if state.shape != (n, u):
                raise ValueError(f"{self.name}: {label} must be (n, units) = {(n, u)}, got shape {state.shape}")
        if mask is not None:
            mask = xp.asarray(mask)
            if mask.shape != (n, T):
                raise ValueError(f"{self.name}: mask must be (n, T) = {(n, T)}, got shape {mask.shape}")
            mask = mask.astype(bool, copy=False)
        if recurrent_dropout is not None:
            recurrent_dropout = xp.asarray(recurrent_dropout, dtype=x_proj.dtype)
            expected = (n, u) if dropout_count is None else (dropout_count, n, u)
            if recurrent_dropout.shape != expected:
                raise ValueError(f"{self.name}: recurrent_dropout must have shape {expected}, "
                                 f"got {recurrent_dropout.shape}")
            if dropout_count is None:
                recurrent_dropout = recurrent_dropout[None]
        return n, T, u, mask, recurrent_dropout

    def run(self, x_proj, states0, mask, go_backwards):
        n, T, _ = x_proj.shape
        u = states0[0].shape[1]
        self.T, self.u, self.go_backwards = T, u, go_backwards
        if go_backwards:
            x_proj = x_proj[:, ::-1]
            mask = None if mask is None else mask[:, ::-1]
        self.mask = mask
        self.S = [xp.empty((T + 1, n, u), dtype=x_proj.dtype) for _ in states0]   # S[j][t] = state before step t
        for S, s0 in zip(self.S, states0):
            S[0] = s0
        packed = xp.empty((n, T + self.n_states, u), dtype=x_proj.dtype)
        for t in range(T):
            new = self.step(t, x_proj[:, t], [S[t] for S in self.S])
            if mask is None:
                for S, s in zip(self.S, new):
                    S[t + 1] = s
                packed[:, t] = new[0]
            else:
                m = mask[:, t, None]
                for S, s in zip(self.S, new):
                    xp.copyto(S[t + 1], xp.where(m, s, S[t]))
                previous = packed[:, t - 1] if t else 0.0
                packed[:, t] = xp.where(m, new[0], previous)
        for j, S in enumerate(self.S):
            packed[:, T + j] = S[T]
        return packed

    def backward(self, grad):
        T, mask = self.T, self.mask
        d = [grad[:, T + j].copy() for j in range(self.n_states)]    # ∂L/∂(state after step t); fresh
        # arrays each step, so a step_backward may update them in place
        carry = 0.0                                                   # ∂L/∂(output of the previous step), masked case
        for t in range(T - 1, -1, -1):
            if mask is None:
                d[0] += grad[:, t]
                d = self.step_backward(t, d)
            else:
                m = mask[:, t, None]
                g_out = grad[:, t] + carry
                d[0] += xp.where(m, g_out, 0.0)
                carry = xp.where(m, 0.0, g_out)                       # a masked step's output is the previous one
                kept = [xp.where(m, 0.0, dj) for dj in d]             # a masked step carries its states over
                d = [p + q for p, q in zip(self.step_backward(t, [dj * m for dj in d]), kept)]
        dX = self.dX.transpose(1, 0, 2)
        if self.go_backwards:
            dX = dX[:, ::-1]
        return (dX, *d, *self.finish())


class SimpleRNNSequence(_RecurrentSequence):
    """h_t = φ(a_t),  a_t = x_t + h_{t−1}·U   for t = 1…T.

    BPTT, with ∂h_t the gradient reaching h_t (from outputs and from step t+1):
        ∂a_t = ∂h_t ⊙ φ'(a_t)   (φ' through h_t: tanh' = 1 − h², σ' = h(1 − h), …)
        ∂x_t = ∂a_t,   ∂h_{t−1} = ∂a_t·Uᵀ,   ∂U = Σ_t h_{t−1}ᵀ·∂a_t.
    """

    name = "simple_rnn_sequence"

    def forward(self, x_proj, h0, U, mask=None, go_backwards=False, activation="tanh",
                recurrent_dropout=None):
        self.phi, self.dphi = _activation(activation, self.name, "activation")
        n, T, u, mask, D = self.check(x_proj, [("h0", h0)], U, mask, recurrent_dropout, None)
        self.recurrence = _Recurrence(U, D)
        self.A = xp.empty((T, n, u), dtype=x_proj.dtype)           # h_t before masking
        self.dX = xp.empty((T, n, u), dtype=x_proj.dtype)
        return self.run(x_proj, [h0], mask, go_backwards)

    def step(self, t, x_t, states):
        a = self.A[t]
        self.recurrence.forward(states[0], a)
        a += x_t
        self.phi(a, a)
        return [a]

    def step_backward(self, t, d):
        da = self.dX[t]
        xp.multiply(d[0], self.dphi(self.A[t]), out=da)
        return [self.recurrence.backward(da)]

    def finish(self):
        return (self.recurrence.grad_U(self.S[0][:-1], self.dX),)


class LSTMSequence(_RecurrentSequence):
    """Long short-term memory over a whole sequence (Keras gate order i, f, c, o).

    Equations::

        [z_i z_f z_c z_o] = x_t + h_{t−1}·U
        i = σ(z_i),  f = σ(z_f),  c̃ = φ(z_c),  o = σ(z_o)
        c_t = f ⊙ c_{t−1} + i ⊙ c̃
        h_t = o ⊙ φ(c_t)

    BPTT (∂h_t, ∂c_t the gradients reaching the states after step t):
        ∂o = ∂h_t ⊙ φ(c_t),   ∂c_t += ∂h_t ⊙ o ⊙ φ'(c_t)
        ∂i = ∂c_t ⊙ c̃,  ∂f = ∂c_t ⊙ c_{t−1},  ∂c̃ = ∂c_t ⊙ i,  ∂c_{t−1} = ∂c_t ⊙ f
        ∂z_g = ∂g ⊙ g'  for each gate;  ∂x_t = ∂z_t,  ∂h_{t−1} = ∂z_t·Uᵀ,  ∂U = Σ_t h_{t−1}ᵀ·∂z_t.
    """

    name = "lstm_sequence"
    gates = 4
    n_states = 2

    def forward(self, x_proj, h0, c0, U, mask=None, go_backwards=False, activation="tanh",
                recurrent_activation="sigmoid", recurrent_dropout=None):
        self.phi, self.dphi = _activation(activation, self.name, "activation")
        self.sigma, self.dsigma = _activation(recurrent_activation, self.name, "recurrent_activation")
        n, T, u, mask, D = self.check(x_proj, [("h0", h0), ("c0", c0)], U, mask, recurrent_dropout, 4)
        self.recurrence = _Recurrence(U, D)
        self.scale = self.offset = None
        if activation == "tanh" and recurrent_activation == "sigmoid":
            half = xp.full(u, 0.5, dtype=x_proj.dtype)
            self.scale = xp.concatenate([half, half, 2 * half, half])         # x/2 for σ, x for tanh
            self.offset = xp.concatenate([half, half, 0 * half, half])
        self.kernels = (recurrent_kernels.kernels()                 # optional compiled BPTT step
                        if recurrent_kernels.applies(activation, recurrent_activation, x_proj.dtype) else None)
        self.G = xp.empty((T, n, 4 * u), dtype=x_proj.dtype)       # the gates i, f, c̃, o
        self.phi_c = xp.empty((T, n, u), dtype=x_proj.dtype)       # φ(c_t) before masking
        self.dX = xp.empty((T, n, 4 * u), dtype=x_proj.dtype)
        return self.run(x_proj, [h0, c0], mask, go_backwards)

    def step(self, t, x_t, states):
        h, c = states
        u, z = self.u, self.G[t]
        self.recurrence.forward(h, z)
        z += x_t
        if self.scale is not None:                                 # σ, tanh: all four gates in one tanh pass,
            z *= self.scale                                        # σ(x) = ½ + ½·tanh(x/2) (as ``_sigmoid``)
            xp.tanh(z, out=z)
            z *= self.scale
            z += self.offset
        else:
            self.sigma(z[:, :2 * u], z[:, :2 * u])                 # i, f
            self.phi(z[:, 2 * u:3 * u], z[:, 2 * u:3 * u])         # c̃
            self.sigma(z[:, 3 * u:], z[:, 3 * u:])                 # o
        i, f, c_tilde, o = z[:, :u], z[:, u:2 * u], z[:, 2 * u:3 * u], z[:, 3 * u:]
        c_new = f * c
        c_new += i * c_tilde
        phi_c = self.phi_c[t]
        self.phi(c_new, phi_c)
        return [o * phi_c, c_new]

    def step_backward(self, t, d):
        dh, dc = d                                   # fresh arrays (see ``backward``): updated in place
        u, g, phi_c, dz = self.u, self.G[t], self.phi_c[t], self.dX[t]
        i, f, c_tilde, o = g[:, :u], g[:, u:2 * u], g[:, 2 * u:3 * u], g[:, 3 * u:]
        if self.kernels is not None:
            self.kernels.lstm_backward(dh, dc, g, phi_c, self.S[1][t], dz)
            return [self.recurrence.backward(dz), dc]
        dz_i, dz_f, dz_c, dz_o = dz[:, :u], dz[:, u:2 * u], dz[:, 2 * u:3 * u], dz[:, 3 * u:]
        xp.multiply(dh, o, out=dz_i)                 # (dz_i as scratch)
        dz_i *= self.dphi(phi_c)
        dc += dz_i                                   # ∂c_t += ∂h_t ⊙ o ⊙ φ'(c_t)
        xp.multiply(dh, phi_c, out=dz_o)
        dz_o *= self.dsigma(o)                       # ∂z_o = ∂h_t ⊙ φ(c_t) ⊙ σ'
        xp.multiply(dc, c_tilde, out=dz_i)
        dz_i *= self.dsigma(i)                       # ∂z_i = ∂c_t ⊙ c̃ ⊙ σ'
        xp.multiply(dc, self.S[1][t], out=dz_f)
        dz_f *= self.dsigma(f)                       # ∂z_f = ∂c_t ⊙ c_{t−1} ⊙ σ'
        xp.multiply(dc, i, out=dz_c)
        dz_c *= self.dphi(c_tilde)                   # ∂z_c = ∂c_t ⊙ i ⊙ φ'
        dc *= f                                      # ∂c_{t−1} = ∂c_t ⊙ f
        return [self.recurrence.backward(dz), dc]

    def finish(self):
        return (self.recurrence.grad_U(self.S[0][:-1], self.dX),)


class GRUSequence(_RecurrentSequence):
    """Gated recurrent unit over a whole sequence (Keras gate order z, r, h).

    Equations (x_t = [x_z x_r x_h] already holds the input bias)::

        reset_after=True (Keras's default; b' = recurrent_bias, zero when None):
            [r_z r_r r_h] = h_{t−1}·U + b'
            z = σ(x_z + r_z),  r = σ(x_r + r_r),  h̃ = φ(x_h + r ⊙ r_h)
        reset_after=False (no recurrent bias):
            [r_z r_r] = h_{t−1}·U_zr
            z = σ(x_z + r_z),  r = σ(x_r + r_r),  h̃ = φ(x_h + (r ⊙ h_{t−1})·U_h)
        h_t = z ⊙ h_{t−1} + (1 − z) ⊙ h̃

    BPTT (∂h_t the gradient reaching h_t):
        ∂z = ∂h_t ⊙ (h_{t−1} − h̃),  ∂h̃ = ∂h_t ⊙ (1 − z),  ∂h_{t−1} = ∂h_t ⊙ z + …
        ∂a_h = ∂h̃ ⊙ φ'   (a_h the argument of φ)
        reset_after:  ∂r = ∂a_h ⊙ r_h,  ∂r_h = ∂a_h ⊙ r
        otherwise:    ∂(r ⊙ h) = ∂a_h·U_hᵀ,  ∂r = ∂(r ⊙ h) ⊙ h_{t−1},  ∂h_{t−1} += ∂(r ⊙ h) ⊙ r
        ∂a_z = ∂z ⊙ σ'(z),  ∂a_r = ∂r ⊙ σ'(r);  ∂x_t = [∂a_z ∂a_r ∂a_h]
        ∂h_{t−1} += ∂[r_z r_r r_h]·Uᵀ;  ∂U, ∂b' sum over the steps (one matmul, one sum).
    """

    name = "gru_sequence"
    gates = 3

    def forward(self, x_proj, h0, U, recurrent_bias=None, mask=None, go_backwards=False,
                reset_after=True, activation="tanh", recurrent_activation="sigmoid",
                recurrent_dropout=None):
        self.phi, self.dphi = _activation(activation, self.name, "activation")
        self.sigma, self.dsigma = _activation(recurrent_activation, self.name, "recurrent_activation")
        n, T, u, mask, D = self.check(x_proj, [("h0", h0)], U, mask, recurrent_dropout, 3)
        if recurrent_bias is not None:
            if not reset_after:
                raise ValueError(f"{self.name}: recurrent_bias is only used with reset_after=True "
                                 f"(reset_after=False has one bias, already in x_proj)")
            if recurrent_bias.shape != (3 * u,):
                raise ValueError(f"{self.name}: recurrent_bias must be (3·units,) = {(3 * u,)}, "
                                 f"got shape {recurrent_bias.shape}")
        self.reset_after, self.b = reset_after, recurrent_bias
        dtype = x_proj.dtype
        if reset_after:
            self.recurrence = _Recurrence(U, D)
            self.R_h = xp.empty((T, n, u), dtype=dtype)              # r_h = (h·U + b')_h
            self.dR = xp.empty((T, n, 3 * u), dtype=dtype)
        else:
            self.recurrence = _Recurrence(U[:, :2 * u], None if D is None else D[:2])
            self.U_h, self.D_h = U[:, 2 * u:], None if D is None else D[2]
            self.rh = xp.empty((T, n, u), dtype=dtype)               # r ⊙ h_{t−1} (⊙ D_h)
            self.R = xp.empty((n, 2 * u), dtype=dtype)
        self.G = xp.empty((T, n, 3 * u), dtype=dtype)               # z, r, h̃
        self.dX = xp.empty((T, n, 3 * u), dtype=dtype)
        return self.run(x_proj, [h0], mask, go_backwards)

    def step(self, t, x_t, states):
        h, u, g = states[0], self.u, self.G[t]
        if self.reset_after:
            self.recurrence.forward(h, g)
            if self.b is not None:
                g += self.b
            xp.copyto(self.R_h[t], g[:, 2 * u:])
            g[:, :2 * u] += x_t[:, :2 * u]
            self.sigma(g[:, :2 * u], g[:, :2 * u])                  # z, r
            a_h = x_t[:, 2 * u:] + g[:, u:2 * u] * self.R_h[t]
        else:
            self.recurrence.forward(h, self.R)
            self.R += x_t[:, :2 * u]
            self.sigma(self.R, g[:, :2 * u])                        # z, r
            rh = self.rh[t]
            xp.multiply(g[:, u:2 * u], h, out=rh)
            if self.D_h is not None:
                rh *= self.D_h
            a_h = x_t[:, 2 * u:] + rh @ self.U_h
        self.phi(a_h, g[:, 2 * u:])                                 # h̃
        z, h_tilde = g[:, :u], g[:, 2 * u:]
        return [h_tilde + z * (h - h_tilde)]

    def step_backward(self, t, d):
        dh, u, g, dx = d[0], self.u, self.G[t], self.dX[t]
        h = self.S[0][t]
        z, r, h_tilde = g[:, :u], g[:, u:2 * u], g[:, 2 * u:]
        da_h = dx[:, 2 * u:]
        xp.multiply(dh * (1.0 - z), self.dphi(h_tilde), out=da_h)
        xp.multiply(dh * (h - h_tilde), self.dsigma(z), out=dx[:, :u])
        dh_prev = dh * z
        if self.reset_after:
            xp.multiply(da_h * self.R_h[t], self.dsigma(r), out=dx[:, u:2 * u])
            dR = self.dR[t]
            dR[:, :2 * u] = dx[:, :2 * u]
            xp.multiply(da_h, r, out=dR[:, 2 * u:])
            dh_prev += self.recurrence.backward(dR)
        else:
            d_rh = da_h @ self.U_h.T
            if self.D_h is not None:
                d_rh *= self.D_h
            xp.multiply(d_rh * h, self.dsigma(r), out=dx[:, u:2 * u])
            dh_prev += d_rh * r
            dh_prev += self.recurrence.backward(dx[:, :2 * u])
        return [dh_prev]

    def finish(self):
        u = self.u
        if self.reset_after:
            dU = self.recurrence.grad_U(self.S[0][:-1], self.dR)
            if self.b is None:
                return (dU,)
            return dU, self.dR.sum(axis=(0, 1))
        dU_h = self.rh.reshape(-1, u).T @ self.dX[..., 2 * u:].reshape(-1, u)
        return (xp.concatenate([self.recurrence.grad_U(self.S[0][:-1], self.dX[..., :2 * u]), dU_h], axis=1),)


# --- functional forms ------------------------------------------------------------------
def _unpack(packed, T, n_states):
    """(outputs (n, T, u), *final states (n, u)) sliced from the op's packed (n, T + s, u)."""
    outputs = getitem(packed, (slice(None), slice(0, T)))
    return (outputs, *[getitem(packed, (slice(None), T + j)) for j in range(n_states)])


def _tensors(*values):
    """Make tensors; a plain array or number takes the first tensor's float dtype."""
    first = next((v for v in values if isinstance(v, Tensor)), None)
    return [v if isinstance(v, Tensor) else (first._lift(v) if first is not None else Tensor(v)) for v in values]


def _constant(array):
    return array.data if isinstance(array, Tensor) else array


def simple_rnn_sequence(x_proj, h0, U, mask=None, go_backwards=False, activation="tanh",
                        recurrent_dropout=None):
    """Fully-connected RNN over a whole sequence: h_t = φ(x_proj_t + h_{t−1}·U) (see ``SimpleRNNSequence``).

    Args:
        x_proj: (n, T, u) — x·W + b of every step, computed by the caller in one matmul.
        h0: (n, u) initial state.  U: (u, u) recurrent kernel.
        mask: optional (n, T) bool; a masked step keeps the state and repeats the previous output.
        go_backwards: run from the last step to the first; outputs in processing order.
        activation: φ, one of "tanh", "sigmoid", "relu", "linear", "hard_sigmoid".
        recurrent_dropout: optional constant (n, u) mask multiplying h_{t−1} before ·U.

    Returns:
        (outputs (n, T, u), h_T (n, u)) as Tensors.
    """
    x_proj, h0, U = _tensors(x_proj, h0, U)
    packed = SimpleRNNSequence.apply(x_proj, h0, U, mask=_constant(mask), go_backwards=go_backwards,
                                     activation=activation, recurrent_dropout=_constant(recurrent_dropout))
    return _unpack(packed, x_proj.shape[1], 1)


def lstm_sequence(x_proj, h0, c0, U, mask=None, go_backwards=False, activation="tanh",
                  recurrent_activation="sigmoid", recurrent_dropout=None):
    """LSTM over a whole sequence, gates i, f, c, o as in Keras (see ``LSTMSequence``).

    Args:
        x_proj: (n, T, 4u) — x·W + b of every step (Keras kernel (in, 4u), bias (4u,)).
        h0, c0: (n, u) initial hidden and carry states.  U: (u, 4u) recurrent kernel.
        mask: optional (n, T) bool; a masked step keeps h and c and repeats the previous output.
        go_backwards: run from the last step to the first; outputs in processing order.
        activation: φ (for c̃ and φ(c_t)); recurrent_activation: σ (for i, f, o); each one of
            "tanh", "sigmoid", "relu", "linear", "hard_sigmoid".
        recurrent_dropout: optional constant (4, n, u) masks, one per gate i, f, c, o,
            multiplying h_{t−1} before that gate's columns of U (as Keras 3's LSTMCell).

    Returns:
        (outputs (n, T, u), h_T (n, u), c_T (n, u)) as Tensors.
    """
    x_proj, h0, c0, U = _tensors(x_proj, h0, c0, U)
    packed = LSTMSequence.apply(x_proj, h0, c0, U, mask=_constant(mask), go_backwards=go_backwards,
                                activation=activation, recurrent_activation=recurrent_activation,
                                recurrent_dropout=_constant(recurrent_dropout))
    return _unpack(packed, x_proj.shape[1], 2)


def gru_sequence(x_proj, h0, U, recurrent_bias=None, mask=None, go_backwards=False, reset_after=True,
                 activation="tanh", recurrent_activation="sigmoid", recurrent_dropout=None):
    """GRU over a whole sequence, gates z, r, h as in Keras (see ``GRUSequence``).

    Args:
        x_proj: (n, T, 3u) — x·W + b of every step; with reset_after=True, b is the input
            row ``bias[0]`` of Keras's (2, 3u) bias; with reset_after=False, Keras's (3u,) bias.
        h0: (n, u) initial state.  U: (u, 3u) recurrent kernel.
        recurrent_bias: (3u,) — Keras's ``bias[1]`` (reset_after=True only), or None.
        mask: optional (n, T) bool; a masked step keeps the state and repeats the previous output.
        go_backwards: run from the last step to the first; outputs in processing order.
        reset_after: apply the reset gate after the recurrent matmul (Keras's default, = cuDNN/PyTorch).
        activation: φ (for h̃); recurrent_activation: σ (for z, r); each one of
            "tanh", "sigmoid", "relu", "linear", "hard_sigmoid".
        recurrent_dropout: optional constant (3, n, u) masks, one per gate z, r, h,
            multiplying h_{t−1} before that gate's columns of U (as Keras 3's GRUCell).

    Returns:
        (outputs (n, T, u), h_T (n, u)) as Tensors.
    """
    options = dict(mask=_constant(mask), go_backwards=go_backwards, reset_after=reset_after,
                   activation=activation, recurrent_activation=recurrent_activation,
                   recurrent_dropout=_constant(recurrent_dropout))
    if recurrent_bias is None:
        x_proj, h0, U = _tensors(x_proj, h0, U)
        packed = GRUSequence.apply(x_proj, h0, U, **options)
    else:
        x_proj, h0, U, recurrent_bias = _tensors(x_proj, h0, U, recurrent_bias)
        packed = GRUSequence.apply(x_proj, h0, U, recurrent_bias, **options)
    return _unpack(packed, x_proj.shape[1], 1)

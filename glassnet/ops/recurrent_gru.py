"""The GRU over a whole sequence, BPTT by hand (see ``recurrent.py``)."""
from __future__ import annotations

from ..backend import xp
from . import recurrent_kernels
from .recurrent_base import (Recurrence, RecurrentSequence, activation_pair, as_tensors, constant, needs_gradient,
                             unpack)


class GRUSequence(RecurrentSequence):
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
                recurrent_dropout=None, save_for_backward=True):
        self.phi, self.dphi = activation_pair(activation, self.name, "activation")
        self.sigma, self.dsigma = activation_pair(recurrent_activation, self.name, "recurrent_activation")
        n, T, u, mask, D = self.check(x_proj, [("h0", h0)], U, mask, recurrent_dropout, 3)
        if recurrent_bias is not None:
            if not reset_after:
                raise ValueError(f"{self.name}: recurrent_bias is only used with reset_after=True "
                                 f"(reset_after=False has one bias, already in x_proj)")
            if recurrent_bias.shape != (3 * u,):
                raise ValueError(f"{self.name}: recurrent_bias must be (3·units,) = {(3 * u,)}, "
                                 f"got shape {recurrent_bias.shape}")
            if recurrent_bias.dtype != x_proj.dtype:
                raise ValueError(f"{self.name}: recurrent_bias has dtype {recurrent_bias.dtype} "
                                 f"but x_proj has {x_proj.dtype}")
        self.reset_after, self.b = reset_after, recurrent_bias
        self.setup(x_proj, go_backwards, save_for_backward)
        applies = reset_after and recurrent_kernels.applies(activation, recurrent_activation, x_proj.dtype)
        self.kernels = recurrent_kernels.kernels() if applies else None      # optional compiled steps
        self.compiled_forward = applies and recurrent_kernels.forward_applies(x_proj.dtype)
        if self.compiled_forward:
            self.x_proj = x_proj if x_proj.flags.c_contiguous else xp.ascontiguousarray(x_proj)
            self.b_or_zeros = xp.zeros(3 * u, x_proj.dtype) if recurrent_bias is None else recurrent_bias
        if reset_after:
            self.recurrence = Recurrence(U, D)
            self.R_h = self.buffer(n, u)                             # r_h = (h·U + b')_h
        else:
            self.recurrence = Recurrence(U[:, :2 * u], None if D is None else D[:2])
            self.U_h, self.D_h = U[:, 2 * u:], None if D is None else D[2]
            self.rh = self.buffer(n, u)                              # r ⊙ h_{t−1} (⊙ D_h)
            self.R = xp.empty((n, 2 * u), dtype=x_proj.dtype)
        self.G = self.buffer(n, 3 * u)                               # z, r, h̃
        return self.run(x_proj, [h0], mask, go_backwards)

    def backward_buffers(self, n):
        super().backward_buffers(n)
        if self.reset_after:
            self.dR = xp.empty((n, self.T, 3 * self.u), dtype=self.dtype)   # ∂(h·U + b') of every step

    def step(self, t, x_t, states, out):
        h, u, g = states[0], self.u, self.G[self.at(t)]
        if self.compiled_forward:                                   # the reset_after lines below, in one loop
            self.recurrence.forward(h, g)
            self.kernels.gru_forward(g, self.b_or_zeros, self.x_proj, self.time_index(t), h,
                                     self.R_h[self.at(t)], out[0])
            return
        if self.reset_after:
            R_h = self.R_h[self.at(t)]
            self.recurrence.forward(h, g)
            if self.b is not None:
                g += self.b
            xp.copyto(R_h, g[:, 2 * u:])
            g[:, :2 * u] += x_t[:, :2 * u]
            self.sigma(g[:, :2 * u], g[:, :2 * u])                  # z, r
            a_h = x_t[:, 2 * u:] + g[:, u:2 * u] * R_h
        else:
            self.recurrence.forward(h, self.R)
            self.R += x_t[:, :2 * u]
            self.sigma(self.R, g[:, :2 * u])                        # z, r
            rh = self.rh[self.at(t)]
            xp.multiply(g[:, u:2 * u], h, out=rh)
            if self.D_h is not None:
                rh *= self.D_h
            a_h = x_t[:, 2 * u:] + rh @ self.U_h
        self.phi(a_h, g[:, 2 * u:])                                 # h̃
        z, h_tilde = g[:, :u], g[:, 2 * u:]
        xp.subtract(h, h_tilde, out=out[0])
        out[0] *= z
        out[0] += h_tilde                                           # h_t = h̃ + z ⊙ (h_{t−1} − h̃)

    def step_backward(self, t, d):
        dh, u, g, dx = d[0], self.u, self.G[t], self.dx(t)
        h = self.S[0][t]
        if self.kernels is not None:                                # the reset_after lines below, in one loop
            dh_prev, tt = xp.empty_like(dh), self.time_index(t)
            self.kernels.gru_backward(dh, g, self.R_h[t], h, self.dX, self.dR, tt, dh_prev)
            dh_prev += self.recurrence.backward(self.dR[:, tt])
            return [dh_prev]
        z, r, h_tilde = g[:, :u], g[:, u:2 * u], g[:, 2 * u:]
        da_h = dx[:, 2 * u:]
        xp.multiply(dh * (1.0 - z), self.dphi(h_tilde), out=da_h)
        xp.multiply(dh * (h - h_tilde), self.dsigma(z), out=dx[:, :u])
        dh_prev = dh * z
        if self.reset_after:
            xp.multiply(da_h * self.R_h[t], self.dsigma(r), out=dx[:, u:2 * u])
            dR = self.dR[:, self.time_index(t)]
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
            dU = self.recurrence.grad_U(self.batch_major(self.S[0][:-1]), self.dR)
            if self.b is None:
                return (dU,)
            return dU, self.dR.sum(axis=(0, 1))
        dU_h = self.batch_major(self.rh).reshape(-1, u).T @ self.dX[..., 2 * u:].reshape(-1, u)
        H_prev = self.batch_major(self.S[0][:-1])
        return (xp.concatenate([self.recurrence.grad_U(H_prev, self.dX[..., :2 * u]), dU_h], axis=1),)


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
    options = dict(mask=constant(mask), go_backwards=go_backwards, reset_after=reset_after,
                   activation=activation, recurrent_activation=recurrent_activation,
                   recurrent_dropout=constant(recurrent_dropout))
    if recurrent_bias is None:
        x_proj, h0, U = as_tensors(x_proj, h0, U)
        packed = GRUSequence.apply(x_proj, h0, U, **options, save_for_backward=needs_gradient(x_proj, h0, U))
    else:
        x_proj, h0, U, recurrent_bias = as_tensors(x_proj, h0, U, recurrent_bias)
        packed = GRUSequence.apply(x_proj, h0, U, recurrent_bias, **options,
                                   save_for_backward=needs_gradient(x_proj, h0, U, recurrent_bias))
    return unpack(packed, x_proj.shape[1], 1)

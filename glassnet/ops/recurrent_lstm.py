"""The LSTM over a whole sequence, BPTT by hand (see ``recurrent.py``)."""
from __future__ import annotations

from ..backend import xp
from . import recurrent_kernels
from .recurrent_base import (Recurrence, RecurrentSequence, activation_pair, as_tensors, constant, needs_gradient,
                             unpack)


class LSTMSequence(RecurrentSequence):
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
                recurrent_activation="sigmoid", recurrent_dropout=None, save_for_backward=True):
        self.phi, self.dphi = activation_pair(activation, self.name, "activation")
        self.sigma, self.dsigma = activation_pair(recurrent_activation, self.name, "recurrent_activation")
        n, T, u, mask, D = self.check(x_proj, [("h0", h0), ("c0", c0)], U, mask, recurrent_dropout, 4)
        self.setup(x_proj, go_backwards, save_for_backward)
        self.recurrence = Recurrence(U, D)
        self.scale = self.offset = None
        if activation == "tanh" and recurrent_activation == "sigmoid":
            half = xp.full(u, 0.5, dtype=x_proj.dtype)
            self.scale = xp.concatenate([half, half, 2 * half, half])         # x/2 for σ, x for tanh
            self.offset = xp.concatenate([half, half, 0 * half, half])
        applies = recurrent_kernels.applies(activation, recurrent_activation, x_proj.dtype)
        self.kernels = recurrent_kernels.kernels() if applies else None      # optional compiled steps
        self.compiled_forward = applies and recurrent_kernels.forward_applies(x_proj.dtype)
        self.x_proj = x_proj if x_proj.flags.c_contiguous else xp.ascontiguousarray(x_proj)
        self.G = self.buffer(n, 4 * u)                             # the gates i, f, c̃, o
        self.phi_c = self.buffer(n, u)                             # φ(c_t) before masking
        return self.run(self.x_proj, [h0, c0], mask, go_backwards)

    def step(self, t, x_t, states, out):
        (h, c), (h_new, c_new) = states, out
        u, z, phi_c = self.u, self.G[self.at(t)], self.phi_c[self.at(t)]
        self.recurrence.forward(h, z)
        if self.compiled_forward:                                  # the lines below, in one loop
            self.kernels.lstm_forward(z, self.x_proj, self.time_index(t), c, c_new, phi_c, h_new)
            return
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
        xp.multiply(f, c, out=c_new)
        c_new += i * c_tilde                                       # c_t = f ⊙ c_{t−1} + i ⊙ c̃
        self.phi(c_new, phi_c)
        xp.multiply(o, phi_c, out=h_new)                           # h_t = o ⊙ φ(c_t)

    def step_backward(self, t, d):
        dh, dc = d                                   # fresh arrays (see ``backward``): updated in place
        u, g, phi_c, dz = self.u, self.G[t], self.phi_c[t], self.dx(t)
        i, f, c_tilde, o = g[:, :u], g[:, u:2 * u], g[:, 2 * u:3 * u], g[:, 3 * u:]
        if self.kernels is not None:
            self.kernels.lstm_backward(dh, dc, g, phi_c, self.S[1][t], self.dX, self.time_index(t))
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
        return (self.recurrence.grad_U(self.batch_major(self.S[0][:-1]), self.dX),)


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
    x_proj, h0, c0, U = as_tensors(x_proj, h0, c0, U)
    packed = LSTMSequence.apply(x_proj, h0, c0, U, mask=constant(mask), go_backwards=go_backwards,
                                activation=activation, recurrent_activation=recurrent_activation,
                                recurrent_dropout=constant(recurrent_dropout),
                                save_for_backward=needs_gradient(x_proj, h0, c0, U))
    return unpack(packed, x_proj.shape[1], 2)

"""The fully-connected RNN over a whole sequence, BPTT by hand (see ``recurrent.py``)."""
from __future__ import annotations

from ..backend import xp
from .recurrent_base import (Recurrence, RecurrentSequence, activation_pair, as_tensors, constant, needs_gradient,
                             unpack)


class SimpleRNNSequence(RecurrentSequence):
    """h_t = φ(a_t),  a_t = x_t + h_{t−1}·U   for t = 1…T.

    BPTT, with ∂h_t the gradient reaching h_t (from outputs and from step t+1):
        ∂a_t = ∂h_t ⊙ φ'(a_t)   (φ' through h_t: tanh' = 1 − h², σ' = h(1 − h), …)
        ∂x_t = ∂a_t,   ∂h_{t−1} = ∂a_t·Uᵀ,   ∂U = Σ_t h_{t−1}ᵀ·∂a_t.
    """

    name = "simple_rnn_sequence"

    def forward(self, x_proj, h0, U, mask=None, go_backwards=False, activation="tanh",
                recurrent_dropout=None, save_for_backward=True):
        self.phi, self.dphi = activation_pair(activation, self.name, "activation")
        n, T, u, mask, D = self.check(x_proj, [("h0", h0)], U, mask, recurrent_dropout, None)
        self.setup(x_proj, go_backwards, save_for_backward)
        self.recurrence = Recurrence(U, D)
        self.A = self.buffer(n, u)                                 # h_t before masking
        return self.run(x_proj, [h0], mask, go_backwards)

    def step(self, t, x_t, states, out):
        a = self.A[self.at(t)]
        self.recurrence.forward(states[0], a)
        a += x_t
        self.phi(a, a)
        xp.copyto(out[0], a)

    def step_backward(self, t, d):
        da = self.dx(t)
        xp.multiply(d[0], self.dphi(self.A[t]), out=da)
        return [self.recurrence.backward(da)]

    def finish(self):
        return (self.recurrence.grad_U(self.batch_major(self.S[0][:-1]), self.dX),)


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
    x_proj, h0, U = as_tensors(x_proj, h0, U)
    packed = SimpleRNNSequence.apply(x_proj, h0, U, mask=constant(mask), go_backwards=go_backwards,
                                     activation=activation, recurrent_dropout=constant(recurrent_dropout),
                                     save_for_backward=needs_gradient(x_proj, h0, U))
    return unpack(packed, x_proj.shape[1], 1)

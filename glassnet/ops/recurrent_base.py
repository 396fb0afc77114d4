"""Shared machinery of the fused recurrent ops (``recurrent.py`` gives the overview).

The activations usable inside a fused step, the recurrent product h·U (with per-gate
recurrent dropout), and ``RecurrentSequence``: the loop over time with Keras's masking,
go_backwards and the packed output, around a subclass's one-step forward and backward.
"""
from __future__ import annotations

from ..backend import xp
from ..tensor import Function, Tensor, is_grad_enabled
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


def activation_pair(name, owner, argument):
    """(f, f') for a supported activation name (None means "linear")."""
    name = "linear" if name is None else name
    if not isinstance(name, str) or name not in _ACTIVATIONS:
        raise ValueError(f"{owner}: {argument}={name!r} is not supported by the fused op; "
                         f"expected one of {sorted(_ACTIVATIONS)}")
    return _ACTIVATIONS[name]


class Recurrence:
    """R(h) = h·U, or with per-gate recurrent dropout masks D_g:  R(h) = [(h ⊙ D_g)·U_g]_g.

    Backward: ∂h = ∂R·Uᵀ  (or Σ_g (∂R_g·U_gᵀ) ⊙ D_g);  ∂U = Σ_t h_{t−1}ᵀ·∂R_t  (one matmul).
    """

    def __init__(self, U, D):
        # row-major copies (u·k·u numbers, once per sequence): BLAS is ~20% faster on them than
        # on a column-major U (the orthogonal initializer's) or on the transposed view Uᵀ
        self.U, self.D, self.U_T = xp.ascontiguousarray(U), D, None
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
        if self.U_T is None:
            self.U_T = xp.ascontiguousarray(self.U.T if self.D is None else self.Uk.transpose(0, 2, 1))
        if self.D is None:
            return dR @ self.U_T
        n, u = dR.shape[0], self.U.shape[0]
        dRk = dR.reshape(n, -1, u).transpose(1, 0, 2)                        # (k, n, u)
        return (xp.matmul(dRk, self.U_T) * self.D).sum(axis=0)

    def grad_U(self, H_prev, dR):
        """∂U from the states H_prev (n, T, u) and gradients dR (n, T, k·u), in matching order."""
        u = self.U.shape[0]
        if self.D is None:
            return H_prev.reshape(-1, u).T @ dR.reshape(-1, dR.shape[-1])
        return xp.concatenate([(H_prev * D_g[:, None]).reshape(-1, u).T @ dR[..., g * u:(g + 1) * u].reshape(-1, u)
                               for g, D_g in enumerate(self.D)], axis=1)


class RecurrentSequence(Function):
    """The loop over time shared by the three ops: masking, go_backwards, packing.

    A subclass defines ``gates`` (k), ``n_states`` (s), a ``forward`` that calls ``check``,
    makes its time-major buffers with ``buffer`` and calls ``run``;
    ``step(t, x_t, states, out)`` (one step: writes the new states into the arrays ``out``,
    saving what backward needs in ``buffer`` rows ``self.at(t)``);
    ``step_backward(t, d_new) -> d_prev`` (writes ∂x_proj of step t into ``self.dx(t)``);
    and ``finish() -> (∂U, ...)``. States are (n, u); the op's inputs are ordered
    (x_proj, *initial states, U, *extras), the order ``backward`` returns gradients in.

    ``save_for_backward=False`` (inference: no input needs a gradient) keeps only the
    current step: every saved buffer has one row and the states two, reused in turn, so a
    long sequence runs in cache-sized memory instead of T copies of every gate.
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
        for label, array in [*states, ("U", U)]:
            if array.dtype != x_proj.dtype:
                raise ValueError(f"{self.name}: {label} has dtype {array.dtype} but x_proj has {x_proj.dtype}")
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

    def buffer(self, n, columns):
        """A time-major buffer for what backward needs: (T, n, columns), or (1, n, columns)
        when nothing is saved for backward (row ``self.at(t)`` in both cases)."""
        return xp.empty((self.T if self.save else 1, n, columns), dtype=self.dtype)

    def at(self, t):
        """The row of a ``buffer`` that step t uses."""
        return t if self.save else 0

    def time_index(self, t):
        """The position in x_proj (and the mask) of processing step t."""
        return self.T - 1 - t if self.go_backwards else t

    def setup(self, x_proj, go_backwards, save_for_backward):
        """Record T, dtype and the flags before ``forward`` makes its buffers."""
        self.T, self.dtype = x_proj.shape[1], x_proj.dtype
        self.go_backwards, self.save = go_backwards, save_for_backward

    def backward_buffers(self, n):
        """Make what BPTT writes into: ``self.dX`` (n, T, k·u), ∂x_proj in x_proj's own layout
        (so the projection's backward reads it without a transposing copy)."""
        self.dX = xp.empty((n, self.T, self.gates * self.u), dtype=self.dtype)

    def dx(self, t):
        """∂x_proj of processing step t: an (n, k·u) view into ``self.dX``."""
        return self.dX[:, self.time_index(t)]

    def batch_major(self, A):
        """A time-major (T, n, ·) buffer of processing steps, viewed in x_proj's layout (n, T, ·)."""
        A = A.transpose(1, 0, 2)
        return A[:, ::-1] if self.go_backwards else A

    def run(self, x_proj, states0, mask, go_backwards):
        n, T, _ = x_proj.shape
        u = states0[0].shape[1]
        self.u = u
        if go_backwards:
            x_proj = x_proj[:, ::-1]
            mask = None if mask is None else mask[:, ::-1]
        self.mask = mask
        # S[j][t] = state j before step t (T + 1 rows), or two rows used in turn
        self.S = [xp.empty((T + 1 if self.save else 2, n, u), dtype=x_proj.dtype) for _ in states0]
        row = (lambda t: t) if self.save else (lambda t: t & 1)
        for S, s0 in zip(self.S, states0):
            S[0] = s0
        packed = xp.empty((n, T + self.n_states, u), dtype=x_proj.dtype)
        for t in range(T):
            before, after = [S[row(t)] for S in self.S], [S[row(t + 1)] for S in self.S]
            self.step(t, x_proj[:, t], before, after)
            if mask is None:
                packed[:, t] = after[0]
            else:
                m = mask[:, t, None]
                for old, new in zip(before, after):
                    xp.copyto(new, old, where=~m)                      # a masked step keeps its states
                previous = packed[:, t - 1] if t else 0.0
                packed[:, t] = xp.where(m, after[0], previous)
        for j, S in enumerate(self.S):
            packed[:, T + j] = S[row(T)]
        return packed

    def backward(self, grad):
        if not self.save:
            raise RuntimeError(f"{self.name}: ran with save_for_backward=False, so it has nothing to "
                               f"backpropagate through; run it again with gradients enabled")
        T, mask = self.T, self.mask
        self.backward_buffers(grad.shape[0])
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
        return (self.dX, *d, *self.finish())


# --- helpers of the functional forms -------------------------------------------------
def unpack(packed, T, n_states):
    """(outputs (n, T, u), *final states (n, u)) sliced from the op's packed (n, T + s, u)."""
    outputs = getitem(packed, (slice(None), slice(0, T)))
    return (outputs, *[getitem(packed, (slice(None), T + j)) for j in range(n_states)])


def as_tensors(*values):
    """Make tensors; a plain array or number takes the first tensor's float dtype."""
    first = next((v for v in values if isinstance(v, Tensor)), None)
    return [v if isinstance(v, Tensor) else (first._lift(v) if first is not None else Tensor(v)) for v in values]


def needs_gradient(*tensors) -> bool:
    """Whether autograd will record the op on these tensors (so it must save for backward)."""
    return is_grad_enabled() and any(t.requires_grad for t in tensors)


def constant(array):
    return array.data if isinstance(array, Tensor) else array

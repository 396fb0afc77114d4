"""Shared machinery of the fused recurrent ops (``recurrent.py`` gives the overview).

The activations usable inside a fused step, the recurrent product h·U (with per-gate
recurrent dropout), and ``RecurrentSequence``: the loop over time with Keras's masking,
go_backwards and the packed output, around a subclass's one-step forward and backward.
"""
from __future__ import annotations

from ..backend import xp
from ..tensor import Function, Tensor
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
        """∂U from the stacked states H_prev (T, n, u) and gradients dR (T, n, k·u)."""
        u = self.U.shape[0]
        if self.D is None:
            return H_prev.reshape(-1, u).T @ dR.reshape(-1, dR.shape[-1])
        return xp.concatenate([(H_prev * D_g).reshape(-1, u).T @ dR[..., g * u:(g + 1) * u].reshape(-1, u)
                               for g, D_g in enumerate(self.D)], axis=1)


class RecurrentSequence(Function):
    """The loop over time shared by the three ops: masking, go_backwards, packing.

    A subclass defines ``gates`` (k), ``n_states`` (s), a ``forward`` that calls ``check``,
    makes its time-major buffers (``self.dX`` (T, n, k·u) among them) and calls ``run``;
    ``step(t, x_t, states) -> new states`` (one step, saving what backward needs);
    ``step_backward(t, d_new) -> d_prev`` (writes ∂x_proj of step t into ``self.dX[t]``);
    and ``finish() -> (∂U, ...)``. States are (n, u); the op's inputs are ordered
    (x_proj, *initial states, U, *extras), the order ``backward`` returns gradients in.
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


# --- helpers of the functional forms -------------------------------------------------
def unpack(packed, T, n_states):
    """(outputs (n, T, u), *final states (n, u)) sliced from the op's packed (n, T + s, u)."""
    outputs = getitem(packed, (slice(None), slice(0, T)))
    return (outputs, *[getitem(packed, (slice(None), T + j)) for j in range(n_states)])


def as_tensors(*values):
    """Make tensors; a plain array or number takes the first tensor's float dtype."""
    first = next((v for v in values if isinstance(v, Tensor)), None)
    return [v if isinstance(v, Tensor) else (first._lift(v) if first is not None else Tensor(v)) for v in values]


def constant(array):
    return array.data if isinstance(array, Tensor) else array

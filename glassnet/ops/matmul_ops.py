"""Matrix product, batched and broadcasting like ``numpy.matmul``."""
from __future__ import annotations

from ..backend import xp
from ..tensor import Function, unbroadcast


class MatMul(Function):
    """F = A · B  (over the last two axes; leading axes broadcast as batch axes).

    Local derivatives (for L depending on F):   ∂L/∂A = ∂L/∂F · Bᵀ,   ∂L/∂B = Aᵀ · ∂L/∂F.
    A 1-D A is a row vector (1, k) and a 1-D B a column vector (k, 1), as in NumPy.
    """

    def forward(self, a, b):
        if a.ndim == 0 or b.ndim == 0:
            raise ValueError(f"matmul: both operands need at least 1 dimension, got shapes {a.shape} and {b.shape}")
        k_b = b.shape[-2] if b.ndim > 1 else b.shape[0]
        if a.shape[-1] != k_b:
            raise ValueError(
                f"matmul: shapes {a.shape} and {b.shape} are incompatible: "
                f"last axis of the first ({a.shape[-1]}) must equal the "
                f"{'second-to-last' if b.ndim > 1 else 'only'} axis of the second ({k_b})"
            )
        self.a, self.b = a, b
        return a @ b

    def backward(self, grad):
        a, b = self.a, self.b
        need_a, need_b = self.needs_input_grad
        if a.ndim == 2 and b.ndim == 2:  # the common dense-layer case, no reshaping
            return (grad @ b.T if need_a else None), (a.T @ grad if need_b else None)
        if a.ndim > 2 and b.ndim == 2:   # (…, k) · (k, m), e.g. every time step at once: one 2-D product each
            a_rows, g_rows = a.reshape(-1, a.shape[-1]), grad.reshape(-1, grad.shape[-1])
            return ((g_rows @ b.T).reshape(a.shape) if need_a else None), (a_rows.T @ g_rows if need_b else None)
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        g2 = grad
        if b.ndim == 1:
            g2 = xp.expand_dims(g2, -1)
        if a.ndim == 1:
            g2 = xp.expand_dims(g2, -2)
        grad_a = grad_b = None
        if need_a:
            grad_a = unbroadcast(g2 @ xp.swapaxes(b2, -1, -2), a2.shape).reshape(a.shape)
        if need_b:
            grad_b = unbroadcast(xp.swapaxes(a2, -1, -2) @ g2, b2.shape).reshape(b.shape)
        return grad_a, grad_b

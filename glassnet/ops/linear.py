"""The affine map of a dense layer, fused: z = x·W + b in one op."""
from __future__ import annotations

from ..backend import xp
from ..tensor import Function


class Linear(Function):
    """z = x·W + b   for x (n, in), W (in, out), b (out,) or None;  with ``relu``: a = max(0, z).

    Local derivatives (g = ∂L/∂z; with relu, g = ∂L/∂a ⊙ [z > 0]):
        ∂L/∂x = g·Wᵀ,   ∂L/∂W = xᵀ·g,   ∂L/∂b = Σₙ gₙ.

    The same as ``add(matmul(x, W), b)`` (and ``relu`` of it; the tests check both), but
    the bias and the ReLU are applied in place to the product's fresh output, so a dense
    layer allocates and sweeps one (n, out) array per step instead of three.
    """

    def forward(self, x, W, b=None, relu=False):
        if x.ndim != 2 or W.ndim != 2 or x.shape[1] != W.shape[0]:
            raise ValueError(f"linear: expected x (n, in) and W (in, out) with matching 'in', "
                             f"got shapes {x.shape} and {W.shape}")
        if b is not None and b.shape != (W.shape[1],):
            raise ValueError(f"linear: bias of shape {b.shape} does not match W's {W.shape[1]} outputs")
        self.x, self.W = x, W
        z = x @ W
        if b is not None:
            z += b
        self.relu_output = None
        if relu:
            xp.maximum(z, 0, out=z)
            self.relu_output = z            # a > 0 exactly where z > 0: the mask backward needs
        return z

    def backward(self, grad):
        need_x, need_W, *need_b = self.needs_input_grad
        if self.relu_output is not None:
            grad = grad * (self.relu_output > 0)
        grad_x = grad @ self.W.T if need_x else None
        grad_W = self.x.T @ grad if need_W else None
        if not need_b:
            return grad_x, grad_W
        return grad_x, grad_W, (grad.sum(axis=0) if need_b[0] else None)

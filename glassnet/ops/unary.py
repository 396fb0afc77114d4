"""Element-wise primitives of one input: exp, log, sqrt, |x|, tanh, sigmoid, relu.

Each derivative is written in terms of what forward already computed, as the course
does (tanh' = 1 − a², sigmoid' = s(1 − s)), so backward costs one or two array ops.
"""
from __future__ import annotations

from ..backend import xp
from ..tensor import Function


class Exp(Function):
    """f = eˣ.   f' = eˣ (= f)."""

    def forward(self, x):
        self.out = xp.exp(x)
        return self.out

    def backward(self, grad):
        return grad * self.out


class Log(Function):
    """f = ln x.   f' = 1/x."""

    def forward(self, x):
        self.x = x
        return xp.log(x)

    def backward(self, grad):
        return grad / self.x


class Sqrt(Function):
    """f = √x.   f' = 1 / (2√x)."""

    def forward(self, x):
        self.out = xp.sqrt(x)
        return self.out

    def backward(self, grad):
        return grad / (2.0 * self.out)


class Abs(Function):
    """f = |x|.   f' = sign(x) (0 at x = 0, the subgradient PyTorch and Keras use)."""

    def forward(self, x):
        self.x = x
        return xp.abs(x)

    def backward(self, grad):
        return grad * xp.sign(self.x)


class Tanh(Function):
    """a = tanh(x) = (eˣ − e⁻ˣ)/(eˣ + e⁻ˣ).   a' = 1 − a²."""

    def forward(self, x):
        self.a = xp.tanh(x)
        return self.a

    def backward(self, grad):
        return grad * (1.0 - self.a * self.a)


def stable_sigmoid(x: xp.ndarray) -> xp.ndarray:
    """σ(x) on an array, with e = exp(−|x|) ≤ 1 so nothing overflows (see ``Sigmoid``)."""
    e = xp.exp(-xp.abs(x))
    s = xp.where(x >= 0, 1.0, e) / (1.0 + e)
    return s if s.dtype == x.dtype else s.astype(x.dtype)


class Sigmoid(Function):
    """s = σ(x) = 1 / (1 + e⁻ˣ).   s' = s·(1 − s).

    Computed stably for large |x| with e = exp(−|x|) ≤ 1, which never overflows:
    σ(x) = 1/(1 + e) for x ≥ 0 and e/(1 + e) for x < 0 (keeps full relative precision
    in the tails, e.g. σ(−40) ≈ 4.2e−18 rather than 0).
    """

    def forward(self, x):
        self.s = stable_sigmoid(x)
        return self.s

    def backward(self, grad):
        return grad * self.s * (1.0 - self.s)


class Relu(Function):
    """f = max(0, x).   f' = 1 for x > 0, 0 for x ≤ 0."""

    def forward(self, x):
        self.positive = x > 0
        return xp.maximum(x, 0)

    def backward(self, grad):
        return grad * self.positive

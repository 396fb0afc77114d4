"""Element-wise primitives of two inputs: +, −, ×, ÷, power, max/min, where, clip, cast.

Each class states its forward formula and its local derivatives. Inputs may broadcast
against each other; backward() sums the gradient back to each input's shape.
"""
from __future__ import annotations

from ..backend import xp
from ..tensor import Function


class Add(Function):
    """f = a + b.   ∂f/∂a = 1,  ∂f/∂b = 1."""

    def forward(self, a, b):
        return a + b

    def backward(self, grad):
        return grad, grad


class Sub(Function):
    """f = a − b.   ∂f/∂a = 1,  ∂f/∂b = −1."""

    def forward(self, a, b):
        return a - b

    def backward(self, grad):
        return grad, -grad


class Mul(Function):
    """f = a · b.   ∂f/∂a = b,  ∂f/∂b = a."""

    def forward(self, a, b):
        self.a, self.b = a, b
        return a * b

    def backward(self, grad):
        need_a, need_b = self.needs_input_grad
        return (grad * self.b if need_a else None), (grad * self.a if need_b else None)


class Div(Function):
    """f = a / b.   ∂f/∂a = 1/b,  ∂f/∂b = −a/b²."""

    def forward(self, a, b):
        self.a, self.b = a, b
        return a / b

    def backward(self, grad):
        need_a, need_b = self.needs_input_grad
        grad_a = grad / self.b
        grad_b = -grad_a * self.a / self.b if need_b else None
        return (grad_a if need_a else None), grad_b


class Neg(Function):
    """f = −a.   ∂f/∂a = −1."""

    def forward(self, a):
        return -a

    def backward(self, grad):
        return -grad


class PowScalar(Function):
    """f = a^p for a constant number p.   ∂f/∂a = p · a^(p−1)."""

    def forward(self, a, exponent):
        self.a, self.p = a, exponent
        return a**exponent

    def backward(self, grad):
        return grad * self.p * self.a ** (self.p - 1)


class Pow(Function):
    """f = a^b for tensors a > 0 and b.   ∂f/∂a = b · a^(b−1),  ∂f/∂b = a^b · ln a."""

    def forward(self, a, b):
        self.a, self.b = a, b
        self.out = a**b
        return self.out

    def backward(self, grad):
        need_a, need_b = self.needs_input_grad
        grad_a = grad * self.b * self.a ** (self.b - 1) if need_a else None
        grad_b = grad * self.out * xp.log(self.a) if need_b else None
        return grad_a, grad_b


class Maximum(Function):
    """f = max(a, b).   ∂f/∂a = 1 where a > b, ½ where a = b, 0 elsewhere (b alike)."""

    def forward(self, a, b):
        self.a, self.b = a, b
        return xp.maximum(a, b)

    def backward(self, grad):
        share_a = (self.a > self.b) + 0.5 * (self.a == self.b)
        return grad * share_a, grad * (1.0 - share_a)


class Minimum(Function):
    """f = min(a, b).   ∂f/∂a = 1 where a < b, ½ where a = b, 0 elsewhere (b alike)."""

    def forward(self, a, b):
        self.a, self.b = a, b
        return xp.minimum(a, b)

    def backward(self, grad):
        share_a = (self.a < self.b) + 0.5 * (self.a == self.b)
        return grad * share_a, grad * (1.0 - share_a)


class Where(Function):
    """f = a where condition else b.   ∂f/∂a = [condition],  ∂f/∂b = [not condition].

    ``condition`` is a boolean array (not differentiable).
    """

    def forward(self, a, b, condition):
        self.condition = xp.asarray(condition, dtype=bool)
        return xp.where(self.condition, a, b)

    def backward(self, grad):
        zero = xp.zeros((), dtype=grad.dtype)
        return xp.where(self.condition, grad, zero), xp.where(self.condition, zero, grad)


class Clip(Function):
    """f = min(max(a, low), high).   ∂f/∂a = 1 where low ≤ a ≤ high, else 0.

    Either bound may be None (that side is open, as in ``numpy.clip``): ±inf stay ±inf and
    NaN stays NaN, which a stand-in bound such as the dtype's largest value would not give.
    """

    def forward(self, a, low=None, high=None):
        if low is None and high is None:
            raise ValueError("clip: x_min and x_max are both None; give at least one bound")
        self.inside = xp.ones(a.shape, dtype=bool)
        if low is not None:
            self.inside &= a >= low
        if high is not None:
            self.inside &= a <= high
        return xp.clip(a, low, high)

    def backward(self, grad):
        return grad * self.inside


class Cast(Function):
    """f = a converted to another float dtype.   ∂f/∂a = 1 (cast back)."""

    def forward(self, a, dtype):
        self.dtype_in = a.dtype
        return a.astype(dtype)

    def backward(self, grad):
        return grad.astype(self.dtype_in)

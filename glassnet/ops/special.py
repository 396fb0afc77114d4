"""Special element-wise primitives the activations need: erf, softplus, the step function.

They are primitives (not compositions) for a reason each:

* ``Erf`` — the Gauss error function has no expression in the other primitives; its
  value comes from ``scipy.special.erf``.
* ``Softplus`` — ln(1 + eˣ) written with the primitives either overflows (eˣ for large x)
  or loses the tiny values for very negative x; ``xp.logaddexp(x, 0)`` does neither, and
  its derivative is one sigmoid.
* ``BinaryStep`` — the Heaviside step has derivative 0 everywhere it exists, so backward
  hands back zeros (a composition would not give the step's value and a 0 gradient at once).

Used through ``glassnet.ops.special.erf(x)`` etc.; the activations in
``glassnet.activations`` call them.
"""
from __future__ import annotations

import math

from scipy import special as _scipy_special

from ..backend import xp
from ..tensor import Function, Tensor
from .unary import stable_sigmoid

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


class Erf(Function):
    """erf(x) = 2/√π · ∫₀ˣ e^(−t²) dt.   erf'(x) = 2/√π · e^(−x²)."""

    def forward(self, x):
        self.x = x
        out = _scipy_special.erf(x)
        return out.astype(x.dtype, copy=False) if x.dtype.kind == "f" else out

    def backward(self, grad):
        return grad * (_TWO_OVER_SQRT_PI * xp.exp(-self.x * self.x))


class Softplus(Function):
    """softplus(x) = ln(1 + eˣ).   softplus'(x) = 1/(1 + e^(−x)) = sigmoid(x).

    Computed as ``logaddexp(x, 0)`` = max(x, 0) + ln(1 + e^(−|x|)), which never overflows
    (softplus(1000) = 1000) and keeps full precision for very negative x
    (softplus(−50) ≈ 1.9e−22, not 0). The sigmoid in backward is the stable one.
    """

    def forward(self, x):
        self.x = x
        return xp.logaddexp(x, xp.zeros((), dtype=x.dtype))

    def backward(self, grad):
        return grad * stable_sigmoid(self.x)


class BinaryStep(Function):
    """step(x) = 1 for x ≥ 0, 0 for x < 0 (Heaviside, with step(0) = 1).

    step'(x) = 0 for every x ≠ 0 and undefined at 0. The step is not differentiable in
    any useful sense — a network of steps cannot be trained by gradient descent, which is
    why the perceptron rule, not backpropagation, trains it. backward returns 0 everywhere.
    """

    def forward(self, x):
        self.shape, self.dtype = x.shape, x.dtype
        return (x >= 0).astype(x.dtype)

    def backward(self, grad):
        return xp.zeros(self.shape, dtype=grad.dtype)


def erf(x) -> Tensor:
    """The Gauss error function, element-wise (see ``Erf``)."""
    return Erf.apply(x)


def softplus(x) -> Tensor:
    """ln(1 + eˣ), element-wise and overflow-free (see ``Softplus``)."""
    return Softplus.apply(x)


def binary_step(x) -> Tensor:
    """1 where x ≥ 0, else 0; its gradient is 0 (see ``BinaryStep``)."""
    return BinaryStep.apply(x)


__all__ = ["Erf", "Softplus", "BinaryStep", "erf", "softplus", "binary_step"]

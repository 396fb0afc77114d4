"""Primitives the Keras-named ops need that no composition of the others gives.

Each is one formula with its local derivative (forward and backward adjacent):

* ``Sin``, ``Cos``, ``Arcsin``, ``Arctan`` — the circular functions cannot be written with
  real exp/log; tan, arccos, arctan2 and the hyperbolic functions are compositions.
* ``Expm1``, ``Log1p`` — eˣ − 1 and ln(1 + x) composed would lose every digit for small x
  (1e−10 + 1 rounds to 1 in float32).
* ``Erfinv`` — the inverse error function, from ``scipy.special.erfinv``; ``I0`` — the modified
  Bessel function of order 0 (``scipy.special.i0``; its derivative is I₁).
* ``Cumsum`` — running sums; its backward is the running sum taken from the other end.
* ``ScatterAdd`` — zeros with values added at index positions (the adjoint of a gather).
* ``Einsum`` — Einstein summation; the gradient of each operand is another einsum.
* ``Inverse``, ``LogAbsDet`` — the matrix inverse and log|det A| (det, solve, slogdet
  are built on them).

Each has a float64 central-difference check in ``tests/ops/keras_api/test_primitives.py``.
"""
from __future__ import annotations

import math

from scipy import special as _scipy_special

from ..backend import xp
from ..tensor import Function


class Sin(Function):
    """f = sin x.   f' = cos x."""

    def forward(self, x):
        self.x = x
        return xp.sin(x)

    def backward(self, grad):
        return grad * xp.cos(self.x)


class Cos(Function):
    """f = cos x.   f' = −sin x."""

    def forward(self, x):
        self.x = x
        return xp.cos(x)

    def backward(self, grad):
        return -grad * xp.sin(self.x)


class Arcsin(Function):
    """f = arcsin x  (−1 ≤ x ≤ 1).   f' = 1 / √(1 − x²)."""

    def forward(self, x):
        self.x = x
        return xp.arcsin(x)

    def backward(self, grad):
        return grad / xp.sqrt(1.0 - self.x * self.x)


class Arctan(Function):
    """f = arctan x.   f' = 1 / (1 + x²)."""

    def forward(self, x):
        self.x = x
        return xp.arctan(x)

    def backward(self, grad):
        return grad / (1.0 + self.x * self.x)


class Expm1(Function):
    """f = eˣ − 1 (exact for small x).   f' = eˣ = f + 1."""

    def forward(self, x):
        self.out = xp.expm1(x)
        return self.out

    def backward(self, grad):
        return grad * (self.out + 1.0)


class Log1p(Function):
    """f = ln(1 + x) (exact for small x).   f' = 1 / (1 + x)."""

    def forward(self, x):
        self.x = x
        return xp.log1p(x)

    def backward(self, grad):
        return grad / (1.0 + self.x)


class Erfinv(Function):
    """f = erf⁻¹(x) on (−1, 1).   f' = (√π / 2) · e^(f²)  (the inverse function's derivative)."""

    def forward(self, x):
        self.out = _scipy_special.erfinv(x).astype(x.dtype, copy=False)
        return self.out

    def backward(self, grad):
        return grad * (0.5 * math.sqrt(math.pi)) * xp.exp(self.out * self.out)


class I0(Function):
    """f = I₀(x) = Σₖ (x/2)²ᵏ / (k!)²  (modified Bessel, order 0).   f' = I₁(x)."""

    def forward(self, x):
        self.x = x
        return _scipy_special.i0(x).astype(x.dtype, copy=False)

    def backward(self, grad):
        return grad * _scipy_special.i1(self.x)


class Cumsum(Function):
    """fᵢ = x₀ + … + xᵢ along ``axis``.   ∂L/∂xⱼ = Σ_{i ≥ j} ∂L/∂fᵢ (a cumsum from the end)."""

    def forward(self, x, axis):
        self.axis = axis
        return xp.cumsum(x, axis=axis)

    def backward(self, grad):
        reverse = xp.flip(grad, axis=self.axis)
        return xp.flip(xp.cumsum(reverse, axis=self.axis), axis=self.axis)


class ScatterAdd(Function):
    """f = zeros(shape) with ``values[k]`` added at position ``index[k]`` (repeats add up).

    ∂L/∂values[k] = ∂L/∂f at ``index[k]`` (a gather). ``index`` is a tuple of integer
    arrays, one per leading axis of the result, as NumPy's advanced indexing.
    """

    def forward(self, values, index, shape):
        self.index = index
        out = xp.zeros(shape, dtype=values.dtype)
        xp.add.at(out, index, values)
        return out

    def backward(self, grad):
        return grad[self.index]


def _einsum_parts(subscripts: str, count: int):
    """'ij,jk->ik' -> (['ij', 'jk'], 'ik'); implicit output = the letters used once, sorted."""
    subscripts = subscripts.replace(" ", "")
    if "." in subscripts:
        raise ValueError("einsum: ellipsis '...' subscripts are not supported; name every axis")
    inputs, _, output = subscripts.partition("->")
    terms = inputs.split(",")
    if len(terms) != count:
        raise ValueError(f"einsum: subscripts {subscripts!r} name {len(terms)} operands, got {count}")
    if "->" not in subscripts:
        letters = "".join(terms)
        output = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    return terms, output


class Einsum(Function):
    """f = Σ over the letters not in the output of Π_k operand_k[its letters]  (Einstein summation).

    The derivative with respect to operand k is the same kind of sum, with ∂L/∂f taking
    operand k's place:  ∂L/∂A_k = einsum(out, others -> letters_k, ∂L/∂f, others...).
    A letter of A_k that appears nowhere else was summed alone, so its gradient is
    broadcast along it. (An operand may not repeat a letter, e.g. 'ii', in backward.)
    """

    def forward(self, *operands, subscripts):
        self.terms, self.output = _einsum_parts(subscripts, len(operands))
        self.operands = operands
        return xp.einsum(f"{','.join(self.terms)}->{self.output}", *operands)

    def backward(self, grad):
        grads = []
        for k, (term, need) in enumerate(zip(self.terms, self.needs_input_grad)):
            if not need:
                grads.append(None)
                continue
            if len(set(term)) != len(term):
                raise NotImplementedError(f"einsum: no gradient for the repeated letters of {term!r}")
            others = [t for i, t in enumerate(self.terms) if i != k]
            available = set(self.output).union(*others)
            kept = "".join(c for c in term if c in available)
            g = xp.einsum(f"{','.join([self.output, *others])}->{kept}", grad,
                          *[a for i, a in enumerate(self.operands) if i != k])
            shape = self.operands[k].shape
            g = g.reshape([n if c in available else 1 for n, c in zip(shape, term)])
            grads.append(xp.broadcast_to(g, shape))
        return tuple(grads)


class Inverse(Function):
    """F = A⁻¹ (square matrices, batched over leading axes).   ∂L/∂A = −Fᵀ · ∂L/∂F · Fᵀ."""

    def forward(self, a):
        self.out = xp.linalg.inv(a)
        return self.out

    def backward(self, grad):
        f_t = xp.swapaxes(self.out, -1, -2)
        return -(f_t @ grad @ f_t)


class LogAbsDet(Function):
    """f = ln |det A| (batched).   ∂f/∂A = A⁻ᵀ  (Jacobi's formula)."""

    def forward(self, a):
        self.a = a
        _, logabs = xp.linalg.slogdet(a)
        return logabs

    def backward(self, grad):
        inv_t = xp.swapaxes(xp.linalg.inv(self.a), -1, -2)
        return grad[..., None, None] * inv_t

"""keras.ops element-wise math: arithmetic, exponentials, trigonometry, rounding, comparisons, logic.

Each differentiable function is a composition of primitives (``elementwise.py``,
``unary.py``, ``special.py``, ``math_primitives.py``), written as its formula, e.g.

    tan x = sin x / cos x            sinh x = (eˣ − e⁻ˣ)/2        arctanh x = ½ ln((1 + x)/(1 − x))
    logaddexp(a, b) = max(a, b) + ln(1 + e^(−|a − b|))          hypot(a, b) = √(a² + b²)

so each gets its gradient from the chain rule. Rounding, sign, comparisons and logic are
piecewise constant (gradient 0 where it exists) and return constants. Inputs are converted
and promoted with Keras's rules (``keras_base.py``): ``sqrt`` of an int tensor is floatx,
``abs`` of an int stays int, ``divide`` of two ints is floatx.
"""
from __future__ import annotations

import math

import numpy as np

from ..backend import xp
from ..tensor import Tensor
from .elementwise import Add, Clip, Div, Maximum, Minimum, Mul, Neg, Pow, PowScalar, Sub, Where
from .keras_base import constant, float_tensor, promoted, promoted_float, tensor
from .math_primitives import Arcsin, Arctan, Cos, Erfinv, Expm1, I0, Log1p, Sin
from .special import Erf
from .unary import Abs, Exp, Log, Sqrt, Tanh

_LN2, _LN10 = math.log(2.0), math.log(10.0)


# --- arithmetic ------------------------------------------------------------------------------
def add(x1, x2) -> Tensor:
    """x1 + x2, broadcasting."""
    return Add.apply(*promoted(x1, x2))


def subtract(x1, x2) -> Tensor:
    """x1 − x2, broadcasting."""
    return Sub.apply(*promoted(x1, x2))


def multiply(x1, x2) -> Tensor:
    """x1 · x2, broadcasting."""
    return Mul.apply(*promoted(x1, x2))


def divide(x1, x2) -> Tensor:
    """x1 / x2 (true division: ints give floatx)."""
    return Div.apply(*promoted_float(x1, x2))


true_divide = divide


def divide_no_nan(x1, x2) -> Tensor:
    """x1 / x2, and 0 where x2 = 0 (the gradient there is 0 too)."""
    a, b = promoted_float(x1, x2)
    zero = b.data == 0
    safe = Where.apply(b, constant(np.ones((), b.dtype)), condition=~zero)
    out = Div.apply(a, safe)
    return Where.apply(out, constant(np.zeros((), out.dtype)), condition=~xp.broadcast_to(zero, out.shape))


def floor_divide(x1, x2) -> Tensor:
    """⌊x1 / x2⌋ (piecewise constant: no gradient)."""
    a, b = promoted(x1, x2)
    return constant(xp.floor_divide(a.data, b.data))


def mod(x1, x2) -> Tensor:
    """x1 − ⌊x1/x2⌋·x2 (sign of x2, as NumPy).   ∂/∂x1 = 1,  ∂/∂x2 = −⌊x1/x2⌋."""
    a, b = promoted(x1, x2)
    if a.dtype.kind != "f":
        return constant(xp.mod(a.data, b.data))
    return Sub.apply(a, Mul.apply(constant(xp.floor(a.data / b.data)), b))


def fmod(x1, x2) -> Tensor:
    """x1 − trunc(x1/x2)·x2 (sign of x1, as C's fmod)."""
    a, b = promoted(x1, x2)
    if a.dtype.kind != "f":
        return constant(xp.fmod(a.data, b.data))
    return Sub.apply(a, Mul.apply(constant(xp.trunc(a.data / b.data)), b))


def negative(x) -> Tensor:
    """−x."""
    return Neg.apply(tensor(x))


def power(x1, x2) -> Tensor:
    """x1 ** x2; a Python-number exponent uses ``PowScalar`` (d/dx xᵖ = p·xᵖ⁻¹)."""
    if isinstance(x2, (int, float)) and not isinstance(x2, bool):
        x = tensor(x1)
        if x.dtype.kind == "f" or isinstance(x2, int):
            return PowScalar.apply(x, exponent=x2)
    a, b = promoted(x1, x2)
    if a.dtype.kind != "f":
        return constant(xp.power(a.data, b.data))
    return Pow.apply(a, b)


def square(x) -> Tensor:
    """x² (as x·x)."""
    x = tensor(x)
    if x.dtype == bool:
        x = Tensor._wrap(x.data.astype(np.int32))
    return Mul.apply(x, x)


def sqrt(x) -> Tensor:
    """√x."""
    return Sqrt.apply(float_tensor(x))


def rsqrt(x) -> Tensor:
    """1/√x."""
    return PowScalar.apply(float_tensor(x), exponent=-0.5)


def reciprocal(x) -> Tensor:
    """1/x."""
    x = float_tensor(x)
    return Div.apply(constant(np.ones((), x.dtype)), x)


def cbrt(x) -> Tensor:
    """∛x = sign(x)·|x|^(1/3) (real for negative x)."""
    x = float_tensor(x)
    return Mul.apply(constant(xp.sign(x.data)), PowScalar.apply(Abs.apply(x), exponent=1.0 / 3.0))


def abs(x) -> Tensor:  # noqa: A001 (Keras's name)
    """|x| (ints stay ints)."""
    x = tensor(x)
    return Abs.apply(x) if x.dtype.kind == "f" else constant(xp.abs(x.data))


absolute = abs


def fabs(x) -> Tensor:
    """|x| as a float."""
    return Abs.apply(float_tensor(x))


def clip(x, x_min, x_max) -> Tensor:
    """min(max(x, x_min), x_max); gradient 1 inside [x_min, x_max], 0 outside."""
    x = tensor(x)
    if x.dtype == bool:
        x = Tensor._wrap(x.data.astype(np.int32))
    if x_min is not None and x_max is not None and np.any(np.asarray(x_min) > np.asarray(x_max)):
        raise ValueError(f"clip: x_min {x_min} is greater than x_max {x_max}")
    if x_min is None and x_max is None:
        return x
    return Clip.apply(x, low=x_min, high=x_max)              # an open side stays open (±inf, NaN kept)


def maximum(x1, x2) -> Tensor:
    """max(x1, x2) element-wise (ties share the gradient)."""
    return Maximum.apply(*promoted(x1, x2))


def minimum(x1, x2) -> Tensor:
    """min(x1, x2) element-wise (ties share the gradient)."""
    return Minimum.apply(*promoted(x1, x2))


def fmax(x1, x2) -> Tensor:
    """max(x1, x2), ignoring a NaN on either side."""
    a, b = promoted(x1, x2)
    shape = np.broadcast_shapes(a.shape, b.shape)
    nan_a, nan_b = xp.broadcast_to(xp.isnan(a.data), shape), xp.broadcast_to(xp.isnan(b.data), shape)
    both = Maximum.apply(a, b)
    return Where.apply(b, Where.apply(a, both, condition=nan_b), condition=nan_a)


def fmin(x1, x2) -> Tensor:
    """min(x1, x2), ignoring a NaN on either side."""
    a, b = promoted(x1, x2)
    shape = np.broadcast_shapes(a.shape, b.shape)
    nan_a, nan_b = xp.broadcast_to(xp.isnan(a.data), shape), xp.broadcast_to(xp.isnan(b.data), shape)
    both = Minimum.apply(a, b)
    return Where.apply(b, Where.apply(a, both, condition=nan_b), condition=nan_a)


def hypot(x1, x2) -> Tensor:
    """√(x1² + x2²)."""
    a, b = promoted_float(x1, x2)
    return Sqrt.apply(Add.apply(Mul.apply(a, a), Mul.apply(b, b)))


def ldexp(x1, x2) -> Tensor:
    """x1 · 2^x2 (x2 an integer tensor)."""
    x = float_tensor(x1)
    return Mul.apply(x, constant(xp.ldexp(np.ones((), x.dtype), tensor(x2).data.astype(np.int32))))


# --- exponentials and logarithms ----------------------------------------------------------------
def exp(x) -> Tensor:
    """eˣ."""
    return Exp.apply(float_tensor(x))


def exp2(x) -> Tensor:
    """2ˣ = e^(x ln 2)."""
    x = float_tensor(x)
    return Exp.apply(Mul.apply(x, constant(np.asarray(_LN2, x.dtype))))


def expm1(x) -> Tensor:
    """eˣ − 1, exact for small x."""
    return Expm1.apply(float_tensor(x))


def log(x) -> Tensor:
    """ln x."""
    return Log.apply(float_tensor(x))


def log2(x) -> Tensor:
    """log₂ x = ln x / ln 2."""
    x = float_tensor(x)
    return Div.apply(Log.apply(x), constant(np.asarray(_LN2, x.dtype)))


def log10(x) -> Tensor:
    """log₁₀ x = ln x / ln 10."""
    x = float_tensor(x)
    return Div.apply(Log.apply(x), constant(np.asarray(_LN10, x.dtype)))


def log1p(x) -> Tensor:
    """ln(1 + x), exact for small x."""
    return Log1p.apply(float_tensor(x))


def logaddexp(x1, x2) -> Tensor:
    """ln(e^x1 + e^x2) = max(x1, x2) + ln(1 + e^(−|x1 − x2|)) (no overflow)."""
    a, b = promoted_float(x1, x2)
    gap = Neg.apply(Abs.apply(Sub.apply(a, b)))
    return Add.apply(Maximum.apply(a, b), Log1p.apply(Exp.apply(gap)))


def logaddexp2(x1, x2) -> Tensor:
    """log₂(2^x1 + 2^x2) = logaddexp(x1 ln 2, x2 ln 2) / ln 2."""
    a, b = promoted_float(x1, x2)
    ln2 = constant(np.asarray(_LN2, a.dtype))
    return Div.apply(logaddexp(Mul.apply(a, ln2), Mul.apply(b, ln2)), ln2)


# --- trigonometric and hyperbolic -----------------------------------------------------------------
def sin(x) -> Tensor:
    """sin x."""
    return Sin.apply(float_tensor(x))


def cos(x) -> Tensor:
    """cos x."""
    return Cos.apply(float_tensor(x))


def tan(x) -> Tensor:
    """tan x = sin x / cos x."""
    x = float_tensor(x)
    return Div.apply(Sin.apply(x), Cos.apply(x))


def arcsin(x) -> Tensor:
    """arcsin x."""
    return Arcsin.apply(float_tensor(x))


def arccos(x) -> Tensor:
    """arccos x = π/2 − arcsin x."""
    x = float_tensor(x)
    return Sub.apply(constant(np.asarray(math.pi / 2, x.dtype)), Arcsin.apply(x))


def arctan(x) -> Tensor:
    """arctan x."""
    return Arctan.apply(float_tensor(x))


def arctan2(x1, x2) -> Tensor:
    """The angle of the point (x2, x1): arctan(x1/x2), shifted by ±π when x2 < 0.

    Gradient (away from the origin): ∂/∂x1 = x2/(x1² + x2²), ∂/∂x2 = −x1/(x1² + x2²),
    which the composition gives through arctan's derivative.
    """
    y, x = promoted_float(x1, x2)
    shape = np.broadcast_shapes(y.shape, x.shape)
    zero_x = xp.broadcast_to(x.data == 0, shape)
    safe_x = Where.apply(constant(np.ones((), x.dtype)), x, condition=xp.broadcast_to(x.data == 0, x.shape))
    angle = Arctan.apply(Div.apply(y, safe_x))
    yb, xb = xp.broadcast_to(y.data, shape), xp.broadcast_to(x.data, shape)
    shift = xp.where(xb < 0, xp.where(xp.signbit(yb), -math.pi, math.pi), 0.0).astype(x.dtype)
    axis_angle = xp.where(yb > 0, math.pi / 2, xp.where(yb < 0, -math.pi / 2, 0.0)).astype(x.dtype)
    return Where.apply(constant(axis_angle), Add.apply(angle, constant(shift)), condition=zero_x)


def sinh(x) -> Tensor:
    """sinh x = (eˣ − e⁻ˣ)/2."""
    x = float_tensor(x)
    return Mul.apply(Sub.apply(Exp.apply(x), Exp.apply(Neg.apply(x))), constant(np.asarray(0.5, x.dtype)))


def cosh(x) -> Tensor:
    """cosh x = (eˣ + e⁻ˣ)/2."""
    x = float_tensor(x)
    return Mul.apply(Add.apply(Exp.apply(x), Exp.apply(Neg.apply(x))), constant(np.asarray(0.5, x.dtype)))


def tanh(x) -> Tensor:
    """tanh x."""
    return Tanh.apply(float_tensor(x))


def arcsinh(x) -> Tensor:
    """arsinh x = sign(x)·ln(|x| + √(x² + 1)) (the odd form keeps precision for negative x)."""
    x = float_tensor(x)
    a = Abs.apply(x)
    one = constant(np.ones((), x.dtype))
    return Mul.apply(constant(xp.sign(x.data)), Log.apply(Add.apply(a, Sqrt.apply(Add.apply(Mul.apply(a, a), one)))))


def arccosh(x) -> Tensor:
    """arcosh x = ln(x + √(x² − 1)), x ≥ 1."""
    x = float_tensor(x)
    one = constant(np.ones((), x.dtype))
    return Log.apply(Add.apply(x, Sqrt.apply(Sub.apply(Mul.apply(x, x), one))))


def arctanh(x) -> Tensor:
    """artanh x = ½·(ln(1 + x) − ln(1 − x)), |x| < 1."""
    x = float_tensor(x)
    half = constant(np.asarray(0.5, x.dtype))
    return Mul.apply(half, Sub.apply(Log1p.apply(x), Log1p.apply(Neg.apply(x))))


def deg2rad(x) -> Tensor:
    """x · π/180."""
    x = float_tensor(x)
    return Mul.apply(x, constant(np.asarray(math.pi / 180.0, x.dtype)))


def rad2deg(x) -> Tensor:
    """x · 180/π."""
    x = float_tensor(x)
    return Mul.apply(x, constant(np.asarray(180.0 / math.pi, x.dtype)))


def sinc(x) -> Tensor:
    """sin(πx)/(πx), and 1 at x = 0."""
    x = float_tensor(x)
    at_zero = x.data == 0
    safe = Where.apply(constant(np.ones((), x.dtype)), x, condition=at_zero)
    px = Mul.apply(safe, constant(np.asarray(math.pi, x.dtype)))
    return Where.apply(constant(np.ones((), x.dtype)), Div.apply(Sin.apply(px), px), condition=at_zero)


def erf(x) -> Tensor:
    """erf x = 2/√π ∫₀ˣ e^(−t²) dt."""
    return Erf.apply(float_tensor(x))


def erfc(x) -> Tensor:
    """1 − erf x."""
    x = float_tensor(x)
    return Sub.apply(constant(np.ones((), x.dtype)), Erf.apply(x))


def erfinv(x) -> Tensor:
    """erf⁻¹ x on (−1, 1)."""
    return Erfinv.apply(float_tensor(x))


def i0(x) -> Tensor:
    """I₀(x), the modified Bessel function of the first kind, order 0."""
    return I0.apply(float_tensor(x))


# --- complex parts of real tensors ------------------------------------------------------------------
def real(x) -> Tensor:
    """The real part: x itself (glassnet's tensors are real)."""
    return tensor(x)


def imag(x) -> Tensor:
    """The imaginary part of a real tensor: zeros."""
    x = tensor(x)
    return constant(xp.zeros_like(x.data))


def conjugate(x) -> Tensor:
    """The complex conjugate of a real tensor: x itself."""
    return tensor(x)


conj = conjugate


def angle(x) -> Tensor:
    """The argument of a real number: π for x < 0, else 0."""
    x = float_tensor(x)
    return constant(xp.where(xp.signbit(x.data), math.pi, 0.0).astype(x.dtype))


# --- rounding and sign (piecewise constant) ------------------------------------------------------------
def _piecewise(function, x):
    x = tensor(x)
    return constant(function(x.data))


def sign(x) -> Tensor:
    """−1, 0 or 1."""
    return _piecewise(xp.sign, x)


def floor(x) -> Tensor:
    """⌊x⌋ (floatx for ints, as Keras)."""
    return _piecewise(xp.floor, float_tensor(x))


def ceil(x) -> Tensor:
    """⌈x⌉ (floatx for ints)."""
    return _piecewise(xp.ceil, float_tensor(x))


def trunc(x) -> Tensor:
    """x rounded toward 0."""
    return _piecewise(xp.trunc, x)


def round(x, decimals=0) -> Tensor:  # noqa: A001
    """x rounded to ``decimals`` places, halves to even."""
    x = tensor(x)
    return constant(xp.round(x.data, decimals))


def heaviside(x1, x2) -> Tensor:
    """0 for x1 < 0, x2 at x1 = 0, 1 for x1 > 0."""
    a, b = promoted_float(x1, x2)
    return constant(xp.heaviside(a.data, b.data))


def nextafter(x1, x2) -> Tensor:
    """The next float after x1 toward x2."""
    a, b = promoted_float(x1, x2)
    return constant(xp.nextafter(a.data, b.data))


def signbit(x) -> Tensor:
    """True where the sign bit is set (−0.0 included)."""
    return _piecewise(xp.signbit, x)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None) -> Tensor:
    """NaN -> ``nan``, ±inf -> ``posinf``/``neginf`` (the dtype's largest by default); gradient 1 elsewhere."""
    x = tensor(x)
    if x.dtype.kind != "f":
        return x
    finite = xp.isfinite(x.data)
    fill = xp.nan_to_num(x.data, nan=nan, posinf=posinf, neginf=neginf)
    return Where.apply(x, constant(fill), condition=finite)


# --- comparisons and logic (boolean results) ---------------------------------------------------------
def _compare(function, x1, x2):
    a, b = promoted(x1, x2)
    return constant(function(a.data, b.data))


def equal(x1, x2) -> Tensor:
    return _compare(xp.equal, x1, x2)


def not_equal(x1, x2) -> Tensor:
    return _compare(xp.not_equal, x1, x2)


def greater(x1, x2) -> Tensor:
    return _compare(xp.greater, x1, x2)


def greater_equal(x1, x2) -> Tensor:
    return _compare(xp.greater_equal, x1, x2)


def less(x1, x2) -> Tensor:
    return _compare(xp.less, x1, x2)


def less_equal(x1, x2) -> Tensor:
    return _compare(xp.less_equal, x1, x2)


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False) -> Tensor:
    """|x1 − x2| ≤ atol + rtol·|x2| element-wise."""
    a, b = promoted(x1, x2)
    return constant(xp.isclose(a.data, b.data, rtol=rtol, atol=atol, equal_nan=equal_nan))


def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False) -> Tensor:
    """Whether ``isclose`` holds everywhere (a 0-d boolean tensor)."""
    a, b = promoted(x1, x2)
    return constant(xp.asarray(xp.allclose(a.data, b.data, rtol=rtol, atol=atol, equal_nan=equal_nan)))


def isnan(x) -> Tensor:
    return _piecewise(xp.isnan, x)


def isinf(x) -> Tensor:
    return _piecewise(xp.isinf, x)


def isfinite(x) -> Tensor:
    return _piecewise(xp.isfinite, x)


def isposinf(x) -> Tensor:
    return _piecewise(xp.isposinf, x)


def isneginf(x) -> Tensor:
    return _piecewise(xp.isneginf, x)


def isreal(x) -> Tensor:
    """True everywhere: glassnet's tensors are real."""
    return _piecewise(xp.isreal, x)


def logical_and(x1, x2) -> Tensor:
    return constant(xp.logical_and(tensor(x1).data, tensor(x2).data))


def logical_or(x1, x2) -> Tensor:
    return constant(xp.logical_or(tensor(x1).data, tensor(x2).data))


def logical_xor(x1, x2) -> Tensor:
    return constant(xp.logical_xor(tensor(x1).data, tensor(x2).data))


def logical_not(x) -> Tensor:
    return constant(xp.logical_not(tensor(x).data))



__all__ = ["i0", "add", "subtract", "multiply", "divide", "true_divide", "divide_no_nan", "floor_divide", "mod",
    "fmod", "negative", "power", "square", "sqrt", "rsqrt", "reciprocal", "cbrt", "abs", "absolute", "fabs",
    "clip", "maximum", "minimum", "fmax", "fmin", "hypot", "ldexp", "exp", "exp2", "expm1", "log", "log2",
    "log10", "log1p", "logaddexp", "logaddexp2", "sin", "cos", "tan", "arcsin", "arccos", "arctan",
    "arctan2", "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh", "deg2rad", "rad2deg", "sinc", "erf",
    "erfc", "erfinv", "real", "imag", "conjugate", "conj", "angle", "sign", "floor", "ceil", "trunc",
    "round", "heaviside", "nextafter", "signbit", "nan_to_num", "equal", "not_equal", "greater",
    "greater_equal", "less", "less_equal", "isclose", "allclose", "isnan", "isinf", "isfinite", "isposinf",
    "isneginf", "isreal", "logical_and", "logical_or", "logical_xor", "logical_not"]

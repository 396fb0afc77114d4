"""The test cases of the Keras-named ops: inputs, a NumPy reference, and whether to gradcheck.

One ``Case`` per call: ``name`` is the keras.ops / glassnet.ops function, ``inputs`` the
positional arrays (float64, or ints/bools for indices and masks), ``kw`` the keyword
arguments, ``ref`` the NumPy (or hand-written) reference, ``grad`` whether the function is
differentiable there (then tests/gradcheck.py checks it in float64). The same cases drive the
parity tests against keras.ops when Keras is importable.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import special

rng = np.random.default_rng(7)


def R(*shape):
    return rng.standard_normal(shape)


def P(*shape):
    return rng.uniform(0.5, 2.0, shape)


def U(*shape):
    return rng.uniform(-0.8, 0.8, shape)


def A(*shape):
    """|x| in [0.3, 2]: away from the kinks at 0."""
    return rng.uniform(0.3, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


def D(*shape):
    """Distinct values (no ties) for max, sort, median ..."""
    n = int(np.prod(shape))
    return (rng.permutation(n) * 0.37 + rng.uniform(0, 0.1, n)).reshape(shape) - n * 0.15


def I(low, high, *shape):  # noqa: E743
    return rng.integers(low, high, shape).astype(np.int32)


SPD = (lambda m: m @ m.T + 3 * np.eye(3))(rng.standard_normal((3, 3)))


@dataclass
class Case:
    name: str
    inputs: list
    ref: object = None
    kw: dict = field(default_factory=dict)
    grad: bool = True
    tag: str = ""
    keras: bool = True              # compare with keras.ops when Keras is importable
    keras_grad: bool = True         # compare gradients with Keras too (False: see the case's comment)
    out: int = 0                    # which output a tuple-returning function is gradchecked on
    wrt: tuple = None               # which float inputs to gradcheck (default: all)

    @property
    def id(self):
        return self.name + (f"-{self.tag}" if self.tag else "")


def np_ref(name):
    return getattr(np, name)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softplus(x):
    return np.logaddexp(x, 0)


def softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def elu(x, alpha=1.0):
    return np.where(x > 0, x, alpha * (np.exp(np.minimum(x, 0)) - 1))


EPS = 1e-7


CASES = [
    # --- arithmetic -----------------------------------------------------------------------------
    Case("add", [R(2, 3), R(3)], np.add),
    Case("subtract", [R(2, 3), R(2, 1)], np.subtract),
    Case("multiply", [R(2, 3), R(3)], np.multiply),
    Case("divide", [R(2, 3), P(3)], np.divide),
    Case("true_divide", [R(3), P(3)], np.true_divide),
    Case("divide_no_nan", [R(4), np.array([1.5, 0.0, -2.0, 0.0])],
         lambda a, b: np.where(b == 0, 0.0, a / np.where(b == 0, 1, b)), wrt=(0,)),
    Case("floor_divide", [R(5) * 3, P(5)], np.floor_divide, grad=False),
    Case("mod", [P(5) * 3, P(5)], np.mod),
    Case("fmod", [A(5) * 3, P(5)], np.fmod),
    Case("negative", [R(2, 3)], np.negative),
    Case("power", [P(2, 3), R(3)], np.power),
    Case("power", [R(2, 3), 3], np.power, tag="scalar"),
    Case("square", [R(2, 3)], np.square),
    Case("sqrt", [P(2, 3)], np.sqrt),
    Case("rsqrt", [P(2, 3)], lambda x: 1 / np.sqrt(x)),
    Case("reciprocal", [P(4)], np.reciprocal),
    Case("cbrt", [A(5)], np.cbrt),
    Case("abs", [A(2, 3)], np.abs),
    Case("absolute", [A(4)], np.absolute),
    Case("fabs", [A(4)], np.fabs),
    Case("clip", [np.array([-2.0, -0.7, -0.3, 0.1, 0.4, 0.9, 3.0]), -0.5, 0.5], np.clip),
    Case("maximum", [D(2, 3), D(3)], np.maximum),
    Case("minimum", [D(2, 3), D(3)], np.minimum),
    Case("fmax", [np.array([1.0, np.nan, -2.0]), np.array([0.5, 3.0, np.nan])], np.fmax, grad=False),
    Case("fmin", [np.array([1.0, np.nan, -2.0]), np.array([0.5, 3.0, np.nan])], np.fmin, grad=False),
    Case("hypot", [A(4), A(4)], np.hypot),
    # Keras's torch backend takes 2**x2 in integers: a negative exponent's gradient comes out 0
    Case("ldexp", [R(4), I(-2, 3, 4)], np.ldexp, keras_grad=False),
    # --- exponentials and logarithms -------------------------------------------------------------
    Case("exp", [R(2, 3)], np.exp),
    Case("exp2", [R(4)], np.exp2),
    Case("expm1", [R(4) * 1e-3], np.expm1),
    Case("log", [P(2, 3)], np.log),
    Case("log2", [P(4)], np.log2),
    Case("log10", [P(4)], np.log10),
    Case("log1p", [P(4) - 0.4], np.log1p),
    Case("logaddexp", [R(4), R(4)], np.logaddexp),
    Case("logaddexp2", [R(4), R(4)], np.logaddexp2),
    # --- trigonometric ----------------------------------------------------------------------------
    Case("sin", [R(4)], np.sin), Case("cos", [R(4)], np.cos), Case("tan", [U(4)], np.tan),
    Case("arcsin", [U(4)], np.arcsin), Case("arccos", [U(4)], np.arccos), Case("arctan", [R(4)], np.arctan),
    Case("arctan2", [A(6), np.array([1.0, -1.0, 0.5, -0.7, 2.0, -0.3])], np.arctan2),
    Case("sinh", [R(4)], np.sinh), Case("cosh", [R(4)], np.cosh), Case("tanh", [R(4)], np.tanh),
    Case("arcsinh", [A(4)], np.arcsinh), Case("arccosh", [P(4) + 1], np.arccosh), Case("arctanh", [U(4)], np.arctanh),
    Case("deg2rad", [R(4)], np.deg2rad), Case("rad2deg", [R(4)], np.rad2deg),
    Case("sinc", [np.array([0.0, 0.3, -1.7, 2.5])], np.sinc, grad=False),
    Case("sinc", [A(4)], np.sinc, tag="away"),
    Case("erf", [R(4)], special.erf), Case("erfc", [R(4)], special.erfc), Case("erfinv", [U(4)], special.erfinv),
    # --- real and complex parts of real tensors -----------------------------------------------------
    Case("real", [R(3)], np.real), Case("imag", [R(3)], np.imag, grad=False, keras=False),
    Case("conj", [R(3)], np.conj), Case("conjugate", [R(3)], np.conjugate),
    Case("angle", [R(4)], np.angle, grad=False),
    # --- rounding, sign, comparisons, logic ----------------------------------------------------------
    Case("sign", [R(4)], np.sign, grad=False), Case("floor", [R(4) * 3], np.floor, grad=False),
    Case("ceil", [R(4) * 3], np.ceil, grad=False), Case("trunc", [R(4) * 3], np.trunc, grad=False),
    Case("round", [np.array([0.5, 1.5, -2.5, 1.26])], np.round, grad=False),
    Case("round", [np.array([0.123, 1.456, -2.987])], np.round, kw={"decimals": 1}, grad=False, tag="decimals"),
    Case("heaviside", [np.array([-1.0, 0.0, 2.0]), np.array([0.5, 0.5, 0.5])], np.heaviside, grad=False),
    Case("nextafter", [np.array([1.0, 2.0]), np.array([2.0, 0.0])], np.nextafter, grad=False, keras=False),
    Case("signbit", [np.array([-1.0, 0.0, 2.0, -0.0])], np.signbit, grad=False),
    Case("nan_to_num", [np.array([1.0, np.nan, np.inf, -np.inf])], np.nan_to_num, kw={"posinf": 9.0, "neginf": -9.0},
         grad=False),
    Case("equal", [I(0, 3, 5), I(0, 3, 5)], np.equal, grad=False),
    Case("not_equal", [I(0, 3, 5), I(0, 3, 5)], np.not_equal, grad=False),
    Case("greater", [R(5), R(5)], np.greater, grad=False), Case("greater_equal", [R(5), R(5)], np.greater_equal, grad=False),
    Case("less", [R(5), R(5)], np.less, grad=False), Case("less_equal", [R(5), R(5)], np.less_equal, grad=False),
    Case("isclose", [np.array([1.0, 2.0]), np.array([1.0 + 1e-9, 2.1])], np.isclose, grad=False),
    Case("allclose", [np.array([1.0, 2.0]), np.array([1.0 + 1e-9, 2.0])], np.allclose, grad=False),
    Case("isnan", [np.array([1.0, np.nan, np.inf])], np.isnan, grad=False),
    Case("isinf", [np.array([1.0, np.nan, np.inf])], np.isinf, grad=False),
    Case("isfinite", [np.array([1.0, np.nan, np.inf])], np.isfinite, grad=False),
    Case("isposinf", [np.array([1.0, -np.inf, np.inf])], np.isposinf, grad=False),
    Case("isneginf", [np.array([1.0, -np.inf, np.inf])], np.isneginf, grad=False),
    Case("isreal", [R(3)], np.isreal, grad=False),
    Case("logical_and", [R(5) > 0, R(5) > 0], np.logical_and, grad=False),
    Case("logical_or", [R(5) > 0, R(5) > 0], np.logical_or, grad=False),
    Case("logical_xor", [R(5) > 0, R(5) > 0], np.logical_xor, grad=False),
    Case("logical_not", [R(5) > 0], np.logical_not, grad=False),
    Case("bitwise_and", [I(0, 16, 4), I(0, 16, 4)], np.bitwise_and, grad=False),
    Case("bitwise_or", [I(0, 16, 4), I(0, 16, 4)], np.bitwise_or, grad=False),
    Case("bitwise_xor", [I(0, 16, 4), I(0, 16, 4)], np.bitwise_xor, grad=False),
    Case("bitwise_invert", [I(0, 16, 4)], np.invert, grad=False),
    Case("bitwise_not", [I(0, 16, 4)], np.invert, grad=False),
    Case("bitwise_left_shift", [I(0, 16, 4), I(0, 3, 4)], np.left_shift, grad=False),
    Case("bitwise_right_shift", [I(0, 16, 4), I(0, 3, 4)], np.right_shift, grad=False),
    Case("left_shift", [I(0, 16, 4), I(0, 3, 4)], np.left_shift, grad=False),
    Case("right_shift", [I(0, 16, 4), I(0, 3, 4)], np.right_shift, grad=False),
    Case("gcd", [I(1, 30, 4), I(1, 30, 4)], np.gcd, grad=False),
    Case("lcm", [I(1, 10, 4), I(1, 10, 4)], np.lcm, grad=False),
    # --- reductions --------------------------------------------------------------------------------
    Case("sum", [R(2, 3)], np.sum, kw={"axis": 1}),
    Case("sum", [R(2, 3, 2)], np.sum, kw={"axis": (0, 2), "keepdims": True}, tag="axes"),
    Case("mean", [R(2, 3)], np.mean, kw={"axis": 0}),
    Case("max", [D(2, 3)], np.max, kw={"axis": -1}), Case("min", [D(2, 3)], np.min),
    Case("max", [D(4)], np.max, kw={"initial": 100.0}, tag="initial"),
    Case("amax", [D(2, 3)], np.amax, kw={"axis": 0}), Case("amin", [D(2, 3)], np.amin, kw={"axis": 0}),
    Case("var", [R(3, 4)], np.var, kw={"axis": 1}), Case("std", [R(3, 4)], np.std, kw={"axis": 1}),
    Case("ptp", [D(3, 4)], np.ptp, kw={"axis": 1}),
    Case("logsumexp", [R(2, 3)], special.logsumexp, kw={"axis": -1}),
    Case("prod", [A(2, 3)], np.prod, kw={"axis": 1}),
    Case("prod", [np.array([2.0, 0.0, 3.0])], np.prod, tag="zero"),
    Case("cumsum", [R(2, 3)], np.cumsum, kw={"axis": 1}),
    Case("cumprod", [A(2, 3)], np.cumprod, kw={"axis": 1}),
    Case("any", [R(2, 3) > 0.5], np.any, kw={"axis": 0}, grad=False),
    Case("all", [R(2, 3) > -0.5], np.all, kw={"axis": 1}, grad=False),
    Case("count_nonzero", [I(0, 2, 2, 5)], np.count_nonzero, kw={"axis": 1}, grad=False),
    Case("argmax", [D(2, 3)], np.argmax, kw={"axis": 1}, grad=False),
    Case("argmin", [D(2, 3)], np.argmin, kw={"axis": 0}, grad=False),
    Case("argsort", [D(2, 4)], np.argsort, grad=False),
    Case("sort", [D(2, 4)], np.sort),
    Case("average", [R(2, 3)], np.average, kw={"axis": 1, "weights": P(3)}),
    Case("median", [D(2, 5)], np.median, kw={"axis": 1}),
    Case("median", [D(2, 4)], np.median, kw={"axis": 1}, tag="even"),
    Case("quantile", [D(2, 5), 0.3], np.quantile, kw={"axis": 1}),
    Case("percentile", [D(7), 40.0], np.percentile),
    Case("nansum", [np.array([1.0, np.nan, 2.5])], np.nansum, grad=False),
    Case("nanmean", [np.array([1.0, np.nan, 2.5])], np.nanmean, grad=False),
    Case("nanmax", [np.array([1.0, np.nan, 2.5])], np.nanmax, grad=False),
    Case("nanmin", [np.array([1.0, np.nan, 2.5])], np.nanmin, grad=False),
    Case("nanprod", [np.array([1.5, np.nan, 2.5])], np.nanprod, grad=False),
    Case("nanvar", [np.array([1.0, np.nan, 2.5, 4.0])], np.nanvar, grad=False),
    Case("nanstd", [np.array([1.0, np.nan, 2.5, 4.0])], np.nanstd, grad=False),
    Case("nancumsum", [np.array([1.0, np.nan, 2.5])], np.nancumsum, grad=False),
    Case("nancumprod", [np.array([1.5, np.nan, 2.5])], np.nancumprod, grad=False),
    Case("nanargmax", [np.array([1.0, np.nan, 2.5])], np.nanargmax, grad=False),
    Case("nanargmin", [np.array([1.0, np.nan, 2.5])], np.nanargmin, grad=False),
    Case("nanmedian", [np.array([1.0, np.nan, 2.5, 7.0])], np.nanmedian, grad=False),
    Case("nanquantile", [np.array([1.0, np.nan, 2.5, 7.0]), 0.25], np.nanquantile, grad=False),
    Case("nanpercentile", [np.array([1.0, np.nan, 2.5, 7.0]), 25.0], np.nanpercentile, grad=False),
    Case("nansum", [np.array([1.0, -0.5, 2.5])], np.nansum, tag="grad"),
    Case("searchsorted", [np.array([1.0, 2.0, 4.0]), np.array([0.5, 2.0, 3.0, 9.0])], np.searchsorted, grad=False),
    Case("digitize", [np.array([0.5, 2.0, 3.0, 9.0]), np.array([1.0, 2.0, 4.0])], np.digitize, grad=False),
    Case("bincount", [np.array([0, 1, 1, 4], dtype=np.int32)], np.bincount, grad=False),
    Case("argpartition", [np.array([3.0, 1.0, 2.0, 0.5]), 1], None, grad=False, keras=False),
    Case("histogram", [np.array([0.1, 0.4, 0.45, 0.9])], np.histogram, kw={"bins": 3}, grad=False),
    Case("top_k", [D(2, 5), 2], lambda x, k: (-np.sort(-x, axis=-1)[..., :k], np.argsort(-x, axis=-1)[..., :k])),
    Case("in_top_k", [np.array([1, 2]), np.array([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]]), 2],
         lambda t, p, k: np.array([True, False]), grad=False),
]


def _pad_reflect(x, w, mode):
    return np.pad(x, w, mode="reflect")


def _take_along(x, i, axis):
    return np.take_along_axis(x, i, axis=axis)


def _slice_update(x, start, u):
    out = x.copy()
    out[1:3, 0:2] = u
    return out


def _scatter(indices, values, shape):
    out = np.zeros(shape)
    np.add.at(out, tuple(indices.T), values)
    return out


def _scatter_update(x, indices, updates):
    out = x.copy()
    out[tuple(indices.T)] = updates
    return out


CASES += [
    # --- shapes --------------------------------------------------------------------------------------
    Case("reshape", [R(2, 3), (3, -1)], np.reshape),
    Case("ravel", [R(2, 3)], np.ravel),
    Case("transpose", [R(2, 3, 4)], np.transpose, kw={"axes": (1, 2, 0)}),
    Case("swapaxes", [R(2, 3, 4), 0, 2], np.swapaxes),
    Case("moveaxis", [R(2, 3, 4), 0, -1], np.moveaxis),
    Case("expand_dims", [R(2, 3), 1], np.expand_dims),
    Case("squeeze", [R(2, 1, 3)], np.squeeze, kw={"axis": 1}),
    Case("broadcast_to", [R(3), (2, 3)], np.broadcast_to),
    Case("concatenate", [[R(2, 3), R(1, 3)]], np.concatenate),
    Case("stack", [[R(2, 3), R(2, 3)]], np.stack, kw={"axis": 1}),
    Case("append", [R(2, 3), R(2, 3)], np.append, kw={"axis": 0}),
    Case("hstack", [[R(2, 3), R(2, 1)]], np.hstack), Case("vstack", [[R(3), R(3)]], np.vstack),
    Case("dstack", [[R(2, 3), R(2, 3)]], np.dstack),
    Case("split", [R(4, 3), 2], np.split),
    Case("split", [R(5, 3), [1, 3]], np.split, tag="indices"),
    Case("array_split", [R(5, 2), 2], np.array_split),
    Case("hsplit", [R(2, 4), 2], np.hsplit), Case("vsplit", [R(4, 2), 2], np.vsplit),
    Case("dsplit", [R(1, 2, 4), 2], np.dsplit),
    Case("unstack", [R(3, 2)], list, kw={}),
    Case("get_item", [R(3, 4), (slice(1, None), 2)], lambda x, k: x[k]),
    Case("flip", [R(2, 3)], np.flip, kw={"axis": 1}),
    Case("fliplr", [R(2, 3)], np.fliplr), Case("flipud", [R(2, 3)], np.flipud),
    Case("rot90", [R(2, 3)], np.rot90), Case("rot90", [R(2, 3)], np.rot90, kw={"k": 3}, tag="k3"),
    Case("roll", [R(2, 3), 1], np.roll, kw={"axis": 1}), Case("roll", [R(2, 3), 2], np.roll, tag="flat"),
    Case("repeat", [R(2, 3), 2], np.repeat, kw={"axis": 0}),
    Case("tile", [R(2, 3), (2, 1)], np.tile),
    Case("take", [R(4, 3), np.array([0, 3, 3, -1])], np.take, kw={"axis": 0}),
    Case("take_along_axis", [R(2, 4), np.array([[0, 3], [2, 2]])], _take_along, kw={"axis": 1}),
    Case("slice", [R(4, 3), (1, 0), (2, 2)], lambda x, s, n: x[1:3, 0:2]),
    Case("slice_update", [R(4, 3), (1, 0), R(2, 2)], _slice_update),
    Case("pad", [R(2, 3), ((1, 0), (0, 2))], np.pad),
    Case("pad", [R(2, 3), ((1, 1), (2, 2))], _pad_reflect, kw={"mode": "reflect"}, tag="reflect"),
    Case("where", [R(2, 3) > 0, R(2, 3), R(3)], np.where),
    Case("select", [[np.array([True, False, False]), np.array([False, True, False])], [R(3), R(3)]], np.select),
    Case("nonzero", [np.array([[0, 1], [2, 0]])], np.nonzero, grad=False, keras=False),
    Case("diagonal", [R(3, 4)], np.diagonal, kw={"offset": 1}),
    Case("diag", [R(3)], np.diag), Case("diag", [R(3, 3)], np.diag, kw={"k": -1}, tag="2d"),
    Case("diagflat", [R(2, 2)], np.diagflat),
    Case("trace", [R(3, 3)], np.trace),
    Case("tril", [R(3, 4)], np.tril), Case("triu", [R(3, 4)], np.triu, kw={"k": 1}),
    Case("meshgrid", [R(2), R(3)], np.meshgrid),
    Case("meshgrid", [R(2), R(3)], np.meshgrid, kw={"indexing": "ij"}, tag="ij"),
    Case("unravel_index", [np.array([5, 7]), (3, 4)], np.unravel_index, grad=False),
    Case("isin", [np.array([1, 2, 3, 4]), np.array([2, 4])], np.isin, grad=False),
    Case("unique", [np.array([3, 1, 3, 2])], np.unique, grad=False),
    Case("scatter", [np.array([[0, 1], [2, 0], [0, 1]]), R(3), (3, 2)], _scatter),
    Case("scatter_update", [R(3, 2), np.array([[0, 1], [2, 0]]), R(2)], _scatter_update),
    # --- creation (constants) -------------------------------------------------------------------------
    Case("zeros", [(2, 3)], np.zeros, grad=False), Case("ones", [(2, 3)], np.ones, grad=False),
    Case("full", [(2, 2), 7.0], np.full, grad=False),
    Case("zeros_like", [R(2, 3)], np.zeros_like, grad=False), Case("ones_like", [R(2, 3)], np.ones_like, grad=False),
    Case("full_like", [R(2, 3), 4.0], np.full_like, grad=False),
    Case("empty", [(2, 2)], lambda s: np.zeros(s), grad=False, keras=False),
    Case("empty_like", [R(2, 2)], np.zeros_like, grad=False, keras=False),
    Case("copy", [R(2, 3)], np.copy),
    Case("array", [R(2, 3)], np.array, grad=False),
    Case("arange", [2, 11, 3], np.arange, grad=False),
    Case("arange", [0.0, 1.0, 0.25], np.arange, grad=False, tag="float"),
    Case("linspace", [0.0, 1.0, 5], np.linspace, grad=False),
    Case("logspace", [0.0, 2.0, 3], np.logspace, grad=False),
    Case("geomspace", [1.0, 8.0, 4], np.geomspace, grad=False),
    Case("eye", [3, 4, 1], np.eye, grad=False), Case("identity", [3], np.identity, grad=False),
    Case("tri", [3, 4], np.tri, grad=False),
    Case("bartlett", [5], np.bartlett, grad=False), Case("blackman", [5], np.blackman, grad=False),
    Case("hamming", [5], np.hamming, grad=False), Case("hanning", [5], np.hanning, grad=False),
    Case("kaiser", [5, 2.0], np.kaiser, grad=False),
    # --- products -------------------------------------------------------------------------------------
    Case("matmul", [R(2, 3, 4), R(4, 2)], np.matmul),
    Case("dot", [R(2, 3), R(3, 2)], np.dot), Case("dot", [R(2, 3), R(4, 3, 2)], np.dot, tag="nd", keras=False),
    Case("vdot", [R(6), R(6)], np.vdot), Case("vdot", [R(2, 3), R(2, 3)], np.vdot, tag="2d", keras=False),
    Case("inner", [R(2, 3), R(4, 3)], np.inner),
    Case("outer", [R(3), R(2)], np.outer), Case("kron", [R(2, 2), R(2, 3)], np.kron),
    Case("tensordot", [R(2, 3, 4), R(3, 4, 2)], np.tensordot),
    Case("tensordot", [R(2, 3), R(3, 2)], np.tensordot, kw={"axes": ([1], [0])}, tag="pairs"),
    Case("einsum", ["ij,jk->ik", R(2, 3), R(3, 4)], np.einsum),
    Case("einsum", ["bij,bkj->bik", R(2, 2, 3), R(2, 4, 3)], np.einsum, tag="batch"),
    Case("einsum", ["ij->j", R(3, 2)], np.einsum, tag="sum"),
    Case("einsum", ["i,j->ij", R(3), R(2)], np.einsum, tag="outer"),
    Case("cross", [R(2, 3), R(2, 3)], np.cross),
    Case("diff", [R(2, 5)], np.diff), Case("diff", [R(6)], np.diff, kw={"n": 2}, tag="n2"),
    Case("trapezoid", [R(5)], np.trapezoid, kw={"dx": 0.5}),
    Case("correlate", [R(5), R(3)], np.correlate, kw={"mode": "full"}),
    Case("correlate", [R(5), R(3)], np.correlate, tag="valid"),
    Case("vander", [R(3)], np.vander, keras_grad=False),     # Keras's torch vander writes in place: no backward
    Case("corrcoef", [R(3, 5)], np.corrcoef),
    Case("cdist", [R(3, 2), R(4, 2)], lambda a, b: np.sqrt(((a[:, None] - b[None]) ** 2).sum(-1))),
    # --- linear algebra --------------------------------------------------------------------------------
    Case("inv", [SPD], np.linalg.inv), Case("det", [R(3, 3)], np.linalg.det),
    Case("slogdet", [R(3, 3)], np.linalg.slogdet, out=1), Case("logdet", [SPD], lambda a: np.linalg.slogdet(a)[1]),
    Case("solve", [SPD, R(3, 2)], np.linalg.solve),
    Case("solve_triangular", [np.triu(SPD), R(3, 2)], lambda a, b: np.linalg.solve(np.triu(a), b)),
    Case("norm", [R(2, 3)], np.linalg.norm), Case("norm", [R(2, 3)], np.linalg.norm, kw={"axis": 1}, tag="rows"),
    Case("norm", [A(2, 3)], np.linalg.norm, kw={"ord": 1, "axis": 1}, tag="l1"),
    Case("norm", [A(3, 3)], np.linalg.norm, kw={"ord": np.inf}, tag="inf"),
    Case("cholesky", [SPD], np.linalg.cholesky, grad=False),
    Case("cholesky_inverse", [np.linalg.cholesky(SPD)], lambda factor: np.linalg.inv(SPD), grad=False),
    Case("qr", [R(3, 3)], np.linalg.qr, grad=False),
    Case("svd", [R(3, 2)], lambda a, compute_uv: np.linalg.svd(a, compute_uv=False), kw={"compute_uv": False}, grad=False),
    Case("eigh", [SPD], np.linalg.eigh, grad=False),
    Case("eig", [SPD], lambda a: tuple(np.real(v) for v in np.linalg.eig(a)), grad=False, keras=False),
    Case("lu_factor", [SPD], None, grad=False, keras=False),
    Case("lstsq", [R(4, 2), R(4)], lambda a, b: np.linalg.lstsq(a, b, rcond=None)[0], grad=False),
    Case("pinv", [R(3, 2)], np.linalg.pinv, grad=False),
    Case("matrix_rank", [R(3, 2) @ R(2, 3)], np.linalg.matrix_rank, grad=False),
]


def _gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))


def _bce(t, p):
    p = np.clip(p, EPS, 1 - EPS)
    return -(t * np.log(p) + (1 - t) * np.log(1 - p))


def _cce(t, p, axis=-1):
    p = np.clip(p / p.sum(axis, keepdims=True), EPS, 1 - EPS)
    return -(t * np.log(p)).sum(axis)


def _sparsemax(x):
    z = -np.sort(-x, axis=-1)
    k = np.arange(1, x.shape[-1] + 1)
    c = np.cumsum(z, axis=-1)
    kz = ((1 + k * z) > c).sum(-1, keepdims=True)
    tau = (np.take_along_axis(c, kz - 1, -1) - 1) / kz
    return np.maximum(x - tau, 0)


def _conv2d(x, w, strides=1):
    n, h, wd, c = x.shape
    kh, kw, _, f = w.shape
    oh, ow = (h - kh) // strides + 1, (wd - kw) // strides + 1
    out = np.zeros((n, oh, ow, f))
    for i in range(oh):
        for j in range(ow):
            window = x[:, i * strides:i * strides + kh, j * strides:j * strides + kw, :]
            out[:, i, j, :] = np.tensordot(window, w, axes=([1, 2, 3], [0, 1, 2]))
    return out


def _depthwise(x, w):
    c, m = w.shape[2], w.shape[3]
    return np.concatenate([_conv2d(x[..., i:i + 1], w[:, :, i:i + 1, :]) for i in range(c)], axis=-1)


def _pool(x, size, reduce):
    n, h, w, c = x.shape
    return reduce(x[:, :h // size * size, :w // size * size].reshape(n, h // size, size, w // size, size, c), axis=(2, 4))


def _attention(q, k, v, causal=False):
    qt, kt, vt = (np.transpose(t, (0, 2, 1, 3)) for t in (q, k, v))
    scores = qt @ np.swapaxes(kt, -1, -2) / math.sqrt(q.shape[-1])
    if causal:
        scores = np.where(np.tril(np.ones(scores.shape[-2:], bool)), scores, -1e30)
    return np.transpose(softmax(scores) @ vt, (0, 2, 1, 3))


CASES += [
    # --- activations ----------------------------------------------------------------------------------
    Case("relu", [A(2, 3)], lambda x: np.maximum(x, 0)),
    Case("relu6", [np.array([-1.0, 0.5, 3.0, 7.0])], lambda x: np.clip(x, 0, 6)),
    Case("sigmoid", [R(4)], sigmoid), Case("softplus", [R(4)], softplus),
    Case("softsign", [R(4)], lambda x: x / (1 + np.abs(x))),
    Case("silu", [R(4)], lambda x: x * sigmoid(x)), Case("swish", [R(4)], lambda x: x * sigmoid(x)),
    Case("log_sigmoid", [R(4)], lambda x: -softplus(-x)),
    Case("leaky_relu", [A(4)], lambda x: np.where(x > 0, x, 0.2 * x)),
    Case("leaky_relu", [A(4)], lambda x, negative_slope: np.where(x > 0, x, negative_slope * x),
         kw={"negative_slope": 0.1}, tag="slope"),
    Case("hard_sigmoid", [np.array([-4.0, -1.0, 0.5, 4.0])], lambda x: np.clip(x + 3, 0, 6) / 6),
    Case("hard_silu", [np.array([-4.0, -1.0, 0.5, 4.0])], lambda x: x * np.clip(x + 3, 0, 6) / 6),
    Case("hard_swish", [np.array([-4.0, -1.0, 0.5, 4.0])], lambda x: x * np.clip(x + 3, 0, 6) / 6),
    Case("hard_tanh", [np.array([-2.0, -0.5, 0.3, 1.5])], lambda x: np.clip(x, -1, 1)),
    Case("elu", [A(4)], elu), Case("selu", [A(4)], lambda x: 1.0507009873554805 * elu(x, 1.6732632423543772)),
    Case("celu", [A(4)], lambda x, alpha: np.where(x > 0, x, alpha * (np.exp(x / alpha) - 1)), kw={"alpha": 0.5}),
    Case("gelu", [R(4)], _gelu_tanh),
    Case("gelu", [R(4)], lambda x, approximate: 0.5 * x * (1 + special.erf(x / math.sqrt(2))),
         kw={"approximate": False}, tag="erf"),
    Case("glu", [R(2, 4)], lambda x: x[:, :2] * sigmoid(x[:, 2:])),
    Case("tanh_shrink", [R(4)], lambda x: x - np.tanh(x)),
    Case("hard_shrink", [np.array([-1.0, -0.2, 0.3, 0.9])], lambda x: np.where(np.abs(x) > 0.5, x, 0)),
    Case("soft_shrink", [np.array([-1.0, -0.2, 0.3, 0.9])],
         lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0))),
    Case("threshold", [np.array([-1.0, 0.2, 0.7, 2.0]), 0.5, -3.0], lambda x, t, d: np.where(x > t, x, d)),
    Case("squareplus", [R(4)], lambda x: (x + np.sqrt(x * x + 4)) / 2),
    Case("sparse_plus", [np.array([-2.0, -0.5, 0.4, 1.5])],
         lambda x: np.where(x <= -1, 0, np.where(x >= 1, x, (x + 1) ** 2 / 4))),
    Case("sparse_sigmoid", [np.array([-2.0, -0.5, 0.4, 1.5])], lambda x: np.clip((x + 1) / 2, 0, 1)),
    Case("softmax", [R(2, 4)], softmax), Case("log_softmax", [R(2, 4)], lambda x: np.log(softmax(x))),
    Case("softmax", [R(2, 3)], lambda x, axis: softmax(x, 0), kw={"axis": 0}, tag="axis0"),
    # Keras 3.15's torch sparsemax does not project onto the simplex (rows need not sum to 1):
    # [0.3, 1.14, −2, −1] gives [0, 0.35, 0, 0]; the definition gives [0.08, 0.92, 0, 0]
    Case("sparsemax", [R(2, 4) * 2], _sparsemax, keras=False),
    # --- encodings and losses ---------------------------------------------------------------------------
    Case("one_hot", [np.array([0, 2, 1]), 3], lambda x, n: np.eye(n)[x], grad=False),
    Case("multi_hot", [np.array([[0, 2], [1, 1]]), 3], lambda x, n: np.eye(n)[x].max(1), grad=False),
    Case("binary_crossentropy", [np.array([0.0, 1.0, 1.0, 0.0]), rng.uniform(0.1, 0.9, 4)], _bce),
    Case("binary_crossentropy", [np.array([0.0, 1.0, 1.0, 0.0]), R(4)], lambda t, z, from_logits: _bce(t, sigmoid(z)),
         kw={"from_logits": True}, tag="logits"),
    Case("categorical_crossentropy", [np.eye(3)[[0, 2]], rng.uniform(0.1, 1, (2, 3))], _cce),
    Case("categorical_crossentropy", [np.eye(3)[[0, 2]], R(2, 3)],
         lambda t, z, from_logits: -(t * np.log(softmax(z))).sum(-1), kw={"from_logits": True}, tag="logits"),
    Case("sparse_categorical_crossentropy", [np.array([0, 2]), rng.uniform(0.1, 1, (2, 3))],
         lambda t, p: _cce(np.eye(3)[t], p)),
    Case("sparse_categorical_crossentropy", [np.array([0, 2]), R(2, 3)],
         lambda t, z, from_logits: -np.log(softmax(z))[[0, 1], t], kw={"from_logits": True}, tag="logits"),
    Case("psnr", [rng.uniform(0, 1, (4,)), rng.uniform(0, 1, (4,)), 1.0],
         lambda a, b, m: 20 * np.log10(m) - 10 * np.log10(np.mean((a - b) ** 2))),
    # --- normalization ----------------------------------------------------------------------------------
    Case("moments", [R(3, 4), [0]], lambda x, axes: (x.mean(0), x.var(0))),
    Case("batch_normalization", [R(3, 4), R(4), P(4), -1],
         lambda x, m, v, axis, offset, scale: (x - m) / np.sqrt(v + 1e-3) * scale + offset,
         kw={"offset": np.full(4, 0.5), "scale": np.full(4, 2.0)}),
    Case("layer_normalization", [R(2, 5)], lambda x: (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + EPS)),
    Case("rms_normalization", [R(2, 5)], lambda x: x / np.sqrt((x * x).mean(-1, keepdims=True) + EPS)),
    Case("normalize", [R(2, 3)], lambda x: x / np.linalg.norm(x, axis=-1, keepdims=True)),
    Case("normalize", [R(2, 3)], lambda x, order: x / np.abs(x).sum(-1, keepdims=True), kw={"order": 1}, tag="l1"),
    # --- convolution, pooling, attention -------------------------------------------------------------------
    Case("conv", [R(1, 5, 5, 2), R(3, 3, 2, 3)], _conv2d),
    Case("conv", [R(1, 6, 6, 1), R(2, 2, 1, 2)], lambda x, w, strides: _conv2d(x, w, 2), kw={"strides": 2}, tag="strided"),
    Case("conv_transpose", [R(1, 2, 2, 1), R(2, 2, 1, 1)], lambda x, w, strides: np.einsum(
        "nhwc,ijfc->nhiwjf", x, w).reshape(1, 4, 4, 1), kw={"strides": 2}),
    Case("depthwise_conv", [R(1, 4, 4, 2), R(2, 2, 2, 2)], _depthwise),
    Case("separable_conv", [R(1, 4, 4, 2), R(2, 2, 2, 1), R(1, 1, 2, 3)],
         lambda x, d, p: _conv2d(_depthwise(x, d), p)),
    Case("max_pool", [D(1, 4, 4, 2), 2], lambda x, s: _pool(x, s, np.max)),
    Case("average_pool", [R(1, 4, 4, 2), 2], lambda x, s: _pool(x, s, np.mean)),
    Case("dot_product_attention", [R(1, 3, 2, 2), R(1, 4, 2, 2), R(1, 4, 2, 2)], _attention),
    Case("dot_product_attention", [R(1, 3, 1, 2), R(1, 3, 1, 2), R(1, 3, 1, 2)],
         lambda q, k, v, is_causal: _attention(q, k, v, causal=True), kw={"is_causal": True}, tag="causal"),
    # --- core ---------------------------------------------------------------------------------------
    Case("segment_sum", [R(4, 2), np.array([0, 2, 0, 1])],
         lambda d, s: np.stack([d[s == i].sum(0) for i in range(3)])),
    Case("segment_max", [D(4, 2), np.array([0, 1, 0, 1])],
         lambda d, s: np.stack([d[s == i].max(0) for i in range(2)])),
    Case("segment_min", [D(4, 2), np.array([0, 1, 0, 1])],
         lambda d, s: np.stack([d[s == i].min(0) for i in range(2)]), keras=False),
    Case("segment_prod", [A(4, 2), np.array([0, 1, 0, 1])],
         lambda d, s: np.stack([d[s == i].prod(0) for i in range(2)]), keras=False),
    Case("extract_sequences", [R(2, 7), 3, 2], lambda x, n, s: np.stack([x[:, i:i + n] for i in (0, 2, 4)], axis=1)),
    Case("cast", [R(3), "float32"], lambda x, d: x.astype(np.float32), grad=False),
    Case("saturate_cast", [np.array([-5.0, 100.0, 300.0]), "uint8"], lambda x, d: np.clip(x, 0, 255).astype(np.uint8),
         grad=False),
    Case("convert_to_tensor", [R(2, 2)], lambda x: x),
    Case("stop_gradient", [R(3)], lambda x: x, grad=False),
]


def _space_to_depth(x, b):
    n, h, w, c = x.shape
    return x.reshape(n, h // b, b, w // b, b, c).transpose(0, 1, 3, 2, 4, 5).reshape(n, h // b, w // b, b * b * c)


def _unfold(x, k):
    n, c, h, w = x.shape
    cols = [x[:, :, i:i + k, j:j + k].reshape(n, c, k * k) for i in range(h - k + 1) for j in range(w - k + 1)]
    return np.stack(cols, axis=-1).reshape(n, c * k * k, -1)


def _fold(cols, size, k):
    n, ckk, _ = cols.shape
    c = ckk // (k * k)
    out = np.zeros((n, c, size[0], size[1]))
    blocks = cols.reshape(n, c, k, k, -1)
    positions = [(i, j) for i in range(size[0] - k + 1) for j in range(size[1] - k + 1)]
    for l, (i, j) in enumerate(positions):
        out[:, :, i:i + k, j:j + k] += blocks[..., l]
    return out


def _adaptive(x, size, reduce):
    n, h, w, c = x.shape
    rows = [(i * h // size, -(-(i + 1) * h // size)) for i in range(size)]
    cols = [(j * w // size, -(-(j + 1) * w // size)) for j in range(size)]
    return np.stack([np.stack([reduce(x[:, r0:r1, c0:c1], axis=(1, 2)) for c0, c1 in cols], 1) for r0, r1 in rows], 1)


CASES += [
    Case("i0", [R(4)], special.i0),
    Case("space_to_depth", [R(1, 4, 4, 2), 2], _space_to_depth),
    Case("depth_to_space", [_space_to_depth(np.arange(32.0).reshape(1, 4, 4, 2), 2), 2],
         lambda x, b: np.arange(32.0).reshape(1, 4, 4, 2)),
    Case("unfold", [R(1, 2, 3, 4), 2], _unfold),
    Case("fold", [R(1, 8, 6), (3, 4), 2], _fold),
    Case("adaptive_average_pool", [R(1, 5, 4, 2), 3], lambda x, s: _adaptive(x, s, np.mean)),
    Case("adaptive_max_pool", [D(1, 5, 4, 2), 3], lambda x, s: _adaptive(x, s, np.max)),
    Case("rearrange", [R(2, 3, 4), "b h w -> b (w h)"], lambda x, p: x.transpose(0, 2, 1).reshape(2, 12)),
    Case("rearrange", [R(2, 6), "b (h w) -> w b h"], lambda x, p, h: x.reshape(2, 3, 2).transpose(2, 0, 1),
         kw={"h": 3}, tag="split"),
]


def _ctc_brute_force(target, output, target_length, output_length, blank=0):
    """−log Σ over every path that collapses to the label (all C^T paths enumerated)."""
    import itertools
    losses = []
    for b in range(output.shape[0]):
        logp = np.log(softmax(output[b, :output_length[b]]))
        label = tuple(target[b, :target_length[b]])
        total = 0.0
        for path in itertools.product(range(output.shape[2]), repeat=int(output_length[b])):
            merged = [c for i, c in enumerate(path) if i == 0 or c != path[i - 1]]
            if tuple(c for c in merged if c != blank) == label:
                total += np.exp(sum(logp[t, c] for t, c in enumerate(path)))
        losses.append(-np.log(total))
    return np.array(losses)


def _ctc_greedy(inputs, lengths):
    return (np.array([[[1, 2, -1, -1, -1], [2, 2, -1, -1, -1]]], dtype=np.int32),
            -np.array([[inputs[0, :4].max(-1).sum()], [inputs[1, :5].max(-1).sum()]]))


_GREEDY = np.log(np.array([
    [[.1, .8, .1], [.1, .8, .1], [.8, .1, .1], [.1, .1, .8], [.9, .05, .05]],      # 1 1 _ 2 | (frame 5 outside)
    [[.1, .1, .8], [.8, .1, .1], [.1, .1, .8], [.1, .1, .8], [.9, .05, .05]]]))    # 2 _ 2 2 _

CASES += [
    Case("ctc_loss", [np.array([[1, 2], [1, 1]]), R(2, 4, 3), np.array([2, 2]), np.array([4, 4])], _ctc_brute_force),
    Case("ctc_loss", [np.array([[2, 0], [1, 2]]), R(2, 4, 3), np.array([1, 2]), np.array([3, 4])], _ctc_brute_force,
         tag="lengths"),
    Case("ctc_decode", [_GREEDY, np.array([4, 5])], _ctc_greedy, grad=False),
    Case("view", [np.array([1.0, -2.0], dtype=np.float32), "int32"], lambda x, d: x.view(np.int32), grad=False),
]


def _complex(pair):
    return pair[0] + 1j * pair[1]


def _parts(z):
    return np.real(z), np.imag(z)


def _stft_ref(x, length, stride, n_fft):
    window = np.zeros(n_fft)
    left = (n_fft - length) // 2
    window[left:left + length] = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(length) / length)
    padded = np.pad(x, [(0, 0), (n_fft // 2, n_fft // 2)], mode="reflect")
    count = 1 + (padded.shape[-1] - n_fft) // stride
    frames = np.stack([padded[:, i * stride:i * stride + n_fft] * window for i in range(count)], axis=1)
    return _parts(np.fft.rfft(frames, axis=-1))


_SIGNAL = (R(2, 6), R(2, 6))
CASES += [
    Case("fft", [_SIGNAL], lambda x: _parts(np.fft.fft(_complex(x)))),
    Case("fft2", [(R(2, 3, 4), R(2, 3, 4))], lambda x: _parts(np.fft.fft2(_complex(x)))),
    Case("ifft2", [(R(3, 4), R(3, 4))], lambda x: _parts(np.fft.ifft2(_complex(x)))),
    Case("rfft", [R(2, 6)], lambda x: _parts(np.fft.rfft(x))),
    Case("rfft", [R(7)], lambda x, fft_length: _parts(np.fft.rfft(x, 8)), kw={"fft_length": 8}, tag="padded"),
    Case("irfft", [(R(2, 4), R(2, 4))], lambda x: np.fft.irfft(_complex(x))),
    Case("irfft", [(R(4), R(4))], lambda x, fft_length: np.fft.irfft(_complex(x), 7), kw={"fft_length": 7}, tag="odd"),
    Case("stft", [R(2, 16), 6, 4, 8], _stft_ref),
]


_SPECTRUM = _stft_ref(R(2, 16), 8, 4, 8)
CASES += [
    # istft(stft(s)) = s: the round trip is the reference (torch.istft's path: sequence_length = fft_length)
    Case("istft", [_stft_ref(np.arange(32.0).reshape(2, 16) / 7, 8, 4, 8), 8, 4, 8],
         lambda x, n, s, f: np.arange(32.0).reshape(2, 16) / 7),
    Case("istft", [(_SPECTRUM[0][:, :, :4], _SPECTRUM[1][:, :, :4]), 6, 2, 6], None, tag="window-sum"),
]


def _hsv(rgb):
    import colorsys
    return np.apply_along_axis(lambda p: np.array(colorsys.rgb_to_hsv(*p)), -1, rgb)


def _rgb(hsv):
    import colorsys
    return np.apply_along_axis(lambda p: np.array(colorsys.hsv_to_rgb(*p)), -1, hsv)


_IMAGES = rng.uniform(0, 1, (2, 4, 5, 3))
CASES += [
    Case("image.rgb_to_grayscale", [_IMAGES], lambda x: (x * [0.2989, 0.5870, 0.1140]).sum(-1, keepdims=True)),
    Case("image.rgb_to_hsv", [_IMAGES], _hsv, grad=False),
    Case("image.hsv_to_rgb", [_IMAGES], _rgb, grad=False),
    Case("image.pad_images", [_IMAGES], lambda x, **kw: np.pad(x, [(0, 0), (1, 2), (0, 3), (0, 0)]),
         kw={"top_padding": 1, "target_height": 7, "right_padding": 3, "left_padding": 0}),
    Case("image.crop_images", [_IMAGES], lambda x, **kw: x[:, 1:3, 1:4],
         kw={"top_cropping": 1, "bottom_cropping": 1, "left_cropping": 1, "target_width": 3}),
    Case("image.extract_patches", [R(1, 4, 4, 2), 2],
         lambda x, s: x.reshape(1, 2, 2, 2, 2, 2).transpose(0, 1, 3, 2, 4, 5).reshape(1, 2, 2, 8)),
    Case("image.extract_patches", [R(1, 5, 5, 1), 3], None, kw={"strides": 1, "padding": "same"}, tag="same"),
    Case("image.resize", [_IMAGES, (2, 10)], None, kw={"interpolation": "nearest"}, grad=False),
    Case("image.resize", [_IMAGES, (3, 3)], None, tag="bilinear"),
    Case("image.affine_transform", [_IMAGES, np.tile([1.0, 0.2, 0.5, 0.1, 1.0, -0.3, 0.0, 0.0], (2, 1))], None,
         grad=False),
]

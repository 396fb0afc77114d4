"""keras.ops reductions, running sums and products, sorting and searching.

The differentiable reductions are the primitives of ``reduce.py`` or compositions:

    std = √var        ptp = max − min        average = Σ w·x / Σ w
    prod = x₁·x₂·…·xₙ  (a chain of multiplies, so zeros get the right gradient)
    sort = x gathered at argsort(x)          quantile = linear interpolation between sorted values

``argmax``, ``argsort``, ``searchsorted`` and friends return int32 index tensors (as Keras);
the ``nan*`` forms treat NaN as missing.
"""
from __future__ import annotations

import numpy as np

from ..backend import xp
from ..tensor import Tensor
from .elementwise import Add, Div, Maximum, Minimum, Mul, Sub, Where
from .indexing import GetItem
from .axes import canonical_axis
from .keras_base import axis_tuple, constant, float_tensor, floatx_dtype, tensor
from .math_primitives import Cumsum
from .reduce import LogSumExp, Max, Mean, Min, Sum, Var
from .shape_ops import Reshape, Stack, Transpose
from .unary import Sqrt


def _int_sum_dtype(dtype):
    return np.dtype(np.int32) if dtype.kind == "b" else dtype


def sum(x, axis=None, keepdims=False) -> Tensor:  # noqa: A001
    """Σ x over ``axis`` (all axes if None); ints keep their dtype, bools count as int32."""
    x = tensor(x)
    if x.dtype.kind != "f":
        return constant(xp.sum(x.data, axis=axis_tuple(axis, x.ndim, "sum"), keepdims=keepdims, dtype=_int_sum_dtype(x.dtype)))
    return Sum.apply(x, axis=axis, keepdims=keepdims)


def mean(x, axis=None, keepdims=False) -> Tensor:
    """(1/n) Σ x over ``axis``; ints give floatx."""
    return Mean.apply(float_tensor(x), axis=axis, keepdims=keepdims)


def _with_initial(out, initial, pick):
    return out if initial is None else pick(out, constant(np.asarray(initial, out.dtype)))


def max(x, axis=None, keepdims=False, initial=None) -> Tensor:  # noqa: A001
    """The largest value over ``axis`` (ties share the gradient); ``initial`` is a lower bound."""
    x = tensor(x)
    if x.dtype.kind != "f":
        out = constant(xp.max(x.data, axis=axis_tuple(axis, x.ndim), keepdims=keepdims))
        return out if initial is None else constant(xp.maximum(out.data, initial))
    return _with_initial(Max.apply(x, axis=axis, keepdims=keepdims), initial, Maximum.apply)


def min(x, axis=None, keepdims=False, initial=None) -> Tensor:  # noqa: A001
    """The smallest value over ``axis``; ``initial`` is an upper bound."""
    x = tensor(x)
    if x.dtype.kind != "f":
        out = constant(xp.min(x.data, axis=axis_tuple(axis, x.ndim), keepdims=keepdims))
        return out if initial is None else constant(xp.minimum(out.data, initial))
    return _with_initial(Min.apply(x, axis=axis, keepdims=keepdims), initial, Minimum.apply)


def amax(x, axis=None, keepdims=False) -> Tensor:
    return max(x, axis=axis, keepdims=keepdims)


def amin(x, axis=None, keepdims=False) -> Tensor:
    return min(x, axis=axis, keepdims=keepdims)


def var(x, axis=None, keepdims=False) -> Tensor:
    """(1/n) Σ (x − μ)² (biased)."""
    return Var.apply(float_tensor(x), axis=axis, keepdims=keepdims)


def std(x, axis=None, keepdims=False) -> Tensor:
    """√var."""
    return Sqrt.apply(var(x, axis=axis, keepdims=keepdims))


def ptp(x, axis=None, keepdims=False) -> Tensor:
    """max − min (peak to peak)."""
    x = tensor(x)
    if x.dtype.kind != "f":
        return constant(xp.ptp(x.data, axis=axis_tuple(axis, x.ndim), keepdims=keepdims))
    return Sub.apply(Max.apply(x, axis=axis, keepdims=keepdims), Min.apply(x, axis=axis, keepdims=keepdims))


def logsumexp(x, axis=None, keepdims=False) -> Tensor:
    """ln Σ eˣ, computed stably (see ``LogSumExp``)."""
    return LogSumExp.apply(float_tensor(x), axis=axis, keepdims=keepdims)


def _to_last(x: Tensor, axes: tuple):
    """x with ``axes`` moved to the end and flattened into one: (rest..., n)."""
    keep = [a for a in range(x.ndim) if a not in axes]
    moved = Transpose.apply(x, axes=(*keep, *axes)) if list(keep) + list(axes) != list(range(x.ndim)) else x
    n = int(np.prod([x.shape[a] for a in axes])) if axes else 1
    return Reshape.apply(moved, shape=(*[x.shape[a] for a in keep], n)), keep


def prod(x, axis=None, keepdims=False, dtype=None) -> Tensor:
    """x₁·x₂·…·xₙ over ``axis``, as a chain of multiplies (∂/∂xᵢ = Π_{j≠i} xⱼ, zeros included)."""
    x = tensor(x, dtype)
    axes = axis_tuple(axis, x.ndim)
    if x.dtype.kind != "f":
        return constant(xp.prod(x.data, axis=axes, keepdims=keepdims, dtype=_int_sum_dtype(x.dtype)))
    flat, keep = _to_last(x, axes)
    out = constant(xp.ones(flat.shape[:-1], dtype=x.dtype))
    for i in range(flat.shape[-1]):
        out = Mul.apply(out, GetItem.apply(flat, index=(Ellipsis, i)))
    if keepdims:
        out = Reshape.apply(out, shape=tuple(1 if a in axes else n for a, n in enumerate(x.shape)))
    return out


def cumsum(x, axis=None, dtype=None) -> Tensor:
    """Running sums along ``axis`` (over the flattened tensor if None)."""
    x = tensor(x, dtype)
    if axis is None:
        x, axis = Reshape.apply(x, shape=(-1,)), 0
    if x.dtype.kind != "f":
        return constant(xp.cumsum(x.data, axis=canonical_axis(axis, x.ndim, "cumsum"), dtype=_int_sum_dtype(x.dtype)))
    return Cumsum.apply(x, axis=canonical_axis(axis, x.ndim, "cumsum"))


def cumprod(x, axis=None, dtype=None) -> Tensor:
    """Running products along ``axis``: pᵢ = pᵢ₋₁·xᵢ, a chain of multiplies (zeros are fine)."""
    x = tensor(x, dtype)
    if axis is None:
        x, axis = Reshape.apply(x, shape=(-1,)), 0
    axis = canonical_axis(axis, x.ndim, "cumprod")
    if x.dtype.kind != "f":
        return constant(xp.cumprod(x.data, axis=axis, dtype=_int_sum_dtype(x.dtype)))
    if x.shape[axis] == 0:
        return x                                         # running products of nothing: nothing
    head = (slice(None),) * axis
    running, steps = None, []
    for i in range(x.shape[axis]):
        xi = GetItem.apply(x, index=head + (i,))
        running = xi if running is None else Mul.apply(running, xi)
        steps.append(running)
    return Stack.apply(*steps, axis=axis)


def any(x, axis=None, keepdims=False) -> Tensor:  # noqa: A001
    x = tensor(x)
    return constant(xp.any(x.data, axis=axis_tuple(axis, x.ndim), keepdims=keepdims))


def all(x, axis=None, keepdims=False) -> Tensor:  # noqa: A001
    x = tensor(x)
    return constant(xp.all(x.data, axis=axis_tuple(axis, x.ndim), keepdims=keepdims))


def count_nonzero(x, axis=None) -> Tensor:
    """How many entries are not 0, over ``axis`` (int32)."""
    x = tensor(x)
    axis = None if axis is None else axis_tuple(axis, x.ndim, "count_nonzero")
    return constant(xp.asarray(xp.count_nonzero(x.data, axis=axis), dtype=np.int32))


def _index_result(array):
    return constant(xp.asarray(array).astype(np.int32))


def _one_axis(x: Tensor, axis, owner: str):
    """None, or ``axis`` checked against x's rank (``axes.canonical_axis``)."""
    return None if axis is None else canonical_axis(axis, x.ndim, owner)


def argmax(x, axis=None, keepdims=False) -> Tensor:
    """Index of the largest value (first one on ties), int32."""
    x = tensor(x)
    return _index_result(xp.argmax(x.data, axis=_one_axis(x, axis, "argmax"), keepdims=keepdims))


def argmin(x, axis=None, keepdims=False) -> Tensor:
    """Index of the smallest value (first one on ties), int32."""
    x = tensor(x)
    return _index_result(xp.argmin(x.data, axis=_one_axis(x, axis, "argmin"), keepdims=keepdims))


def argsort(x, axis=-1) -> Tensor:
    """The indices that sort x along ``axis`` (stable), int32; ``axis=None`` flattens."""
    x = tensor(x)
    return _index_result(xp.argsort(x.data, axis=_one_axis(x, axis, "argsort"), kind="stable"))


def argpartition(x, kth, axis=-1) -> Tensor:
    """Indices that put the kth value in its sorted place, smaller ones before it (int32)."""
    return _index_result(xp.argpartition(tensor(x).data, kth, axis=axis))


def _gather_along(x: Tensor, indices: np.ndarray, axis: int) -> Tensor:
    """x[..., indices, ...] position by position along ``axis`` (as take_along_axis)."""
    grids = list(np.ogrid[tuple(slice(n) for n in indices.shape)])
    grids[axis] = indices
    return GetItem.apply(x, index=tuple(grids))


def sort(x, axis=-1) -> Tensor:
    """x sorted along ``axis``: x gathered at ``argsort(x)``, so each value keeps its gradient."""
    x = tensor(x)
    if axis is None:
        x, axis = Reshape.apply(x, shape=(-1,)), 0
    axis = canonical_axis(axis, x.ndim, "sort")
    order = xp.argsort(x.data, axis=axis, kind="stable")
    return _gather_along(x, order, axis) if x.dtype.kind == "f" else constant(xp.take_along_axis(x.data, order, axis))


def average(x, axis=None, weights=None) -> Tensor:
    """Σ w·x / Σ w over ``axis`` (the mean when ``weights`` is None; 1-D weights run along ``axis``)."""
    x = float_tensor(x)
    if weights is None:
        return Mean.apply(x, axis=axis)
    w = float_tensor(weights)
    if w.ndim == 1 and x.ndim > 1 and axis is not None:
        axis = canonical_axis(axis, x.ndim, "average")
        w = Reshape.apply(w, shape=tuple(x.shape[a] if a == axis else 1 for a in range(x.ndim)))
    num = Sum.apply(Mul.apply(x, w), axis=axis)
    den = Sum.apply(Mul.apply(constant(xp.ones_like(x.data)), w), axis=axis)
    return Div.apply(num, den)


def quantile(x, q, axis=None, method="linear", keepdims=False) -> Tensor:
    """The q-quantile(s) over ``axis``: sort, then interpolate linearly between neighbours.

    At position p = q·(n − 1): value = s[⌊p⌋] + (p − ⌊p⌋)·(s[⌈p⌉] − s[⌊p⌋]). ``method`` may be
    "linear", "lower", "higher", "nearest" or "midpoint" (as NumPy). A sequence ``q`` adds a
    leading axis.
    """
    if method not in ("linear", "lower", "higher", "nearest", "midpoint"):
        raise ValueError(f"quantile: unknown method {method!r}")
    x = float_tensor(x)
    axes = axis_tuple(axis, x.ndim)
    flat, keep = _to_last(x, axes)
    s = sort(flat, axis=-1)
    n = s.shape[-1]
    qs = np.atleast_1d(np.asarray(tensor(q).data, dtype=np.float64))
    if ((qs < 0) | (qs > 1)).any():
        raise ValueError(f"quantile: q must be in [0, 1], got {qs.tolist()}")
    outs = []
    for qi in qs:
        p = qi * (n - 1)
        lo, hi = int(np.floor(p)), int(np.ceil(p))
        frac = {"linear": p - lo, "lower": 0.0, "higher": 1.0, "midpoint": 0.5,
                "nearest": float(np.round(p) > lo)}[method]
        a, b = GetItem.apply(s, index=(Ellipsis, lo)), GetItem.apply(s, index=(Ellipsis, hi))
        outs.append(Add.apply(a, Mul.apply(Sub.apply(b, a), constant(np.asarray(frac, x.dtype)))) if hi != lo or frac else a)
    if keepdims:
        shape = tuple(1 if a in axes else d for a, d in enumerate(x.shape))
        outs = [Reshape.apply(o, shape=shape) for o in outs]
    return outs[0] if np.ndim(tensor(q).data) == 0 else Stack.apply(*outs, axis=0)


def percentile(x, q, axis=None, method="linear", keepdims=False) -> Tensor:
    """The q-th percentile(s): ``quantile`` at q/100."""
    return quantile(x, np.asarray(tensor(q).data, dtype=np.float64) / 100.0, axis=axis, method=method, keepdims=keepdims)


def median(x, axis=None, keepdims=False) -> Tensor:
    """The middle value (mean of the two middle ones for even n): ``quantile`` at 0.5."""
    return quantile(x, 0.5, axis=axis, keepdims=keepdims)


# --- NaN as missing -------------------------------------------------------------------------------
def _nan_filled(x, fill):
    x = float_tensor(x)
    nan = xp.isnan(x.data)
    return Where.apply(constant(np.asarray(fill, x.dtype)), x, condition=nan), nan


def nansum(x, axis=None, keepdims=False) -> Tensor:
    return sum(_nan_filled(x, 0.0)[0], axis=axis, keepdims=keepdims)


def nanprod(x, axis=None, keepdims=False) -> Tensor:
    return prod(_nan_filled(x, 1.0)[0], axis=axis, keepdims=keepdims)


def nanmean(x, axis=None, keepdims=False) -> Tensor:
    filled, nan = _nan_filled(x, 0.0)
    count = xp.sum(~nan, axis=axis_tuple(axis, filled.ndim), keepdims=keepdims).astype(filled.dtype)
    return Div.apply(Sum.apply(filled, axis=axis, keepdims=keepdims), constant(count))


def nanvar(x, axis=None, keepdims=False) -> Tensor:
    filled, nan = _nan_filled(x, 0.0)
    mu = nanmean(x, axis=axis, keepdims=True)
    centered = Where.apply(constant(np.zeros((), filled.dtype)), Sub.apply(filled, mu), condition=nan)
    return nanmean(Where.apply(constant(np.asarray(np.nan, filled.dtype)), Mul.apply(centered, centered), condition=nan),
                   axis=axis, keepdims=keepdims)


def nanstd(x, axis=None, keepdims=False) -> Tensor:
    return Sqrt.apply(nanvar(x, axis=axis, keepdims=keepdims))


def nanmax(x, axis=None, keepdims=False) -> Tensor:
    return max(_nan_filled(x, -np.inf)[0], axis=axis, keepdims=keepdims)


def nanmin(x, axis=None, keepdims=False) -> Tensor:
    return min(_nan_filled(x, np.inf)[0], axis=axis, keepdims=keepdims)


def nancumsum(x, axis=None, dtype=None) -> Tensor:
    return cumsum(_nan_filled(x, 0.0)[0], axis=axis, dtype=dtype)


def nancumprod(x, axis=None, dtype=None) -> Tensor:
    return cumprod(_nan_filled(x, 1.0)[0], axis=axis, dtype=dtype)


def nanargmax(x, axis=None, keepdims=False) -> Tensor:
    return argmax(_nan_filled(x, -np.inf)[0], axis=axis, keepdims=keepdims)


def nanargmin(x, axis=None, keepdims=False) -> Tensor:
    return argmin(_nan_filled(x, np.inf)[0], axis=axis, keepdims=keepdims)


def nanquantile(x, q, axis=None, method="linear", keepdims=False) -> Tensor:
    """As ``quantile``, ignoring NaN (NumPy's nanquantile; not differentiable)."""
    out = xp.nanquantile(float_tensor(x).data, tensor(q).data, axis=axis, method=method, keepdims=keepdims)
    return constant(out.astype(float_tensor(x).dtype))


def nanpercentile(x, q, axis=None, method="linear", keepdims=False) -> Tensor:
    return nanquantile(x, np.asarray(tensor(q).data, dtype=np.float64) / 100.0, axis=axis, method=method,
                       keepdims=keepdims)


def nanmedian(x, axis=None, keepdims=False) -> Tensor:
    return nanquantile(x, 0.5, axis=axis, keepdims=keepdims)


# --- searching and counting ------------------------------------------------------------------------
def searchsorted(sorted_sequence, values, side="left") -> Tensor:
    """Where each value would be inserted to keep the 1-D sequence sorted (int32)."""
    return _index_result(xp.searchsorted(tensor(sorted_sequence).data, tensor(values).data, side=side))


def digitize(x, bins) -> Tensor:
    """The index of the bin each value falls in (int32), as ``numpy.digitize``."""
    return _index_result(xp.digitize(tensor(x).data, tensor(bins).data))


def bincount(x, weights=None, minlength=0, sparse=False) -> Tensor:
    """How often each non-negative int occurs (weighted sums with ``weights``); batched on a 2-D x."""
    x = tensor(x).data
    if x.ndim == 2:
        length = _larger(minlength, int(x.max()) + 1 if x.size else 0)
        rows = [bincount(r, None if weights is None else tensor(weights).data[i], length).data for i, r in enumerate(x)]
        return constant(xp.stack(rows))
    w = None if weights is None else tensor(weights).data
    out = xp.bincount(x, weights=w, minlength=minlength)
    return constant(out.astype(np.int32) if w is None else out.astype(w.dtype))


def _larger(a, b):
    return a if a > b else b


def histogram(x, bins=10, range=None):  # noqa: A002
    """(counts, bin edges) of a 1-D tensor over ``bins`` equal bins."""
    x = tensor(x)
    counts, edges = xp.histogram(x.data, bins=bins, range=range)
    return constant(counts.astype(np.int32)), constant(edges.astype(x.dtype if x.dtype.kind == "f" else floatx_dtype()))


def top_k(x, k, sorted=True):  # noqa: A002
    """The k largest values along the last axis and their indices (values keep their gradient)."""
    x = tensor(x)
    order = xp.argsort(-x.data if x.dtype.kind != "b" else ~x.data, axis=-1, kind="stable")[..., :k]
    values = _gather_along(x, order, x.ndim - 1) if x.dtype.kind == "f" else constant(xp.take_along_axis(x.data, order, -1))
    return values, _index_result(order)


def in_top_k(targets, predictions, k) -> Tensor:
    """Whether each target's prediction is among the k largest of its row (ties count in)."""
    p, t = tensor(predictions).data, tensor(targets).data.astype(int)
    target_value = p[np.arange(p.shape[0]), t]
    return constant((p > target_value[:, None]).sum(axis=1) < k)


__all__ = ["sum", "mean", "max", "min", "amax", "amin", "var", "std", "ptp", "logsumexp", "prod", "cumsum",
    "cumprod", "any", "all", "count_nonzero", "argmax", "argmin", "argsort", "argpartition", "sort",
    "average", "quantile", "percentile", "median", "nansum", "nanprod", "nanmean", "nanvar", "nanstd",
    "nanmax", "nanmin", "nancumsum", "nancumprod", "nanargmax", "nanargmin", "nanquantile", "nanpercentile",
    "nanmedian", "searchsorted", "digitize", "bincount", "histogram", "top_k", "in_top_k"]

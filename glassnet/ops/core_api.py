"""keras.ops core: conversion, casting, control flow as Python loops, scatter, segments, custom gradients.

glassnet runs eagerly, so Keras's traced control flow is plain Python here, and gradients
flow through every step the loop actually took:

    cond(pred, t, f)                  = t() if pred else f()
    fori_loop(lo, hi, body, v)        : for i in range(lo, hi): v = body(i, v)
    while_loop(cond, body, vars)      : while cond(*vars): vars = body(*vars)
    scan(f, init, xs)                 : carry, yᵢ = f(carry, xᵢ) for each xᵢ; returns (carry, stack(y))
    vectorized_map(f, xs) = map(f, xs) = stack([f(x) for x in xs])

``scatter`` (sum at indices), ``scatter_update`` (replace at indices) and the ``segment_*``
reductions are the ``ScatterAdd`` primitive plus masks. ``custom_gradient`` wraps a
function that supplies its own backward as a ``Function``.
"""
from __future__ import annotations

import builtins

import numpy as np

from .. import backend
from ..tensor import Function, Tensor
from .elementwise import Add, Mul, Where
from .indexing import GetItem
from .keras_base import cast_to, constant, standardize_dtype, tensor
from .math_primitives import ScatterAdd
from .shape_ops import Stack


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None) -> Tensor:
    """x as a Tensor (Python floats -> floatx, ints -> int32; arrays keep their dtype)."""
    return tensor(x, dtype)


def convert_to_numpy(x) -> np.ndarray:
    """x as a NumPy array (a Tensor's data, outside any graph)."""
    return np.asarray(backend.to_numpy(x.data)) if isinstance(x, Tensor) else np.asarray(x)


def is_tensor(x) -> bool:
    return isinstance(x, Tensor)


def dtype(x) -> str:
    """The dtype's name, e.g. "float32"."""
    return tensor(x).dtype.name


def cast(x, dtype) -> Tensor:  # noqa: F811 (Keras's argument name)
    """x in ``dtype`` (differentiable between float dtypes)."""
    return cast_to(tensor(x), standardize_dtype(dtype))


def saturate_cast(x, dtype) -> Tensor:  # noqa: F811
    """x clipped to the range of ``dtype``, then cast (no wrap-around)."""
    target = standardize_dtype(dtype)
    x = tensor(x)
    info = np.iinfo(target) if target.kind in "iu" else np.finfo(target)
    clipped = np.clip(x.data, builtins.max(info.min, -np.inf), info.max)
    return constant(clipped.astype(target))


def stop_gradient(variable) -> Tensor:
    """The same values, cut from the graph: no gradient flows back through it."""
    return tensor(variable).detach()


# --- control flow ------------------------------------------------------------------------------
def cond(pred, true_fn, false_fn):
    """``true_fn()`` if pred else ``false_fn()``."""
    return true_fn() if bool(tensor(pred).data) else false_fn()


def switch(index, branches, *operands):
    """``branches[index](*operands)``, the index clipped into range."""
    i = int(np.clip(int(tensor(index).data), 0, len(branches) - 1))
    return branches[i](*operands)


def fori_loop(lower, upper, body_fun, init_val):
    """for i in range(lower, upper): val = body_fun(i, val); return val."""
    val = init_val
    for i in range(int(lower), int(upper)):
        val = body_fun(i, val)
    return val


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """while cond(*vars): vars = body(*vars) (at most ``maximum_iterations`` times)."""
    is_sequence = isinstance(loop_vars, (tuple, list))
    state = tuple(loop_vars) if is_sequence else (loop_vars,)
    steps = 0
    while (maximum_iterations is None or steps < maximum_iterations) and bool(tensor(cond(*state)).data):
        out = body(*state)
        state = tuple(out) if isinstance(out, (tuple, list)) else (out,)
        steps += 1
    return type(loop_vars)(state) if is_sequence else state[0]


def _items(xs, i):
    if isinstance(xs, (tuple, list)):
        return type(xs)(_items(x, i) for x in xs)
    if isinstance(xs, dict):
        return {k: _items(v, i) for k, v in xs.items()}
    return GetItem.apply(tensor(xs), index=i)


def _length(xs) -> int:
    if isinstance(xs, (tuple, list)):
        return _length(xs[0])
    if isinstance(xs, dict):
        return _length(next(iter(xs.values())))
    return tensor(xs).shape[0]


def _stacked(ys):
    first = ys[0]
    if isinstance(first, (tuple, list)):
        return type(first)(_stacked([y[k] for y in ys]) for k in range(len(first)))
    if isinstance(first, dict):
        return {k: _stacked([y[k] for y in ys]) for k in first}
    if first is None:
        return None
    return Stack.apply(*[tensor(y) for y in ys], axis=0)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """carry, yᵢ = f(carry, xᵢ) over the leading axis of ``xs``; returns (final carry, stacked ys)."""
    n = _length(xs) if xs is not None else int(length)
    order = range(n - 1, -1, -1) if reverse else range(n)
    carry, ys = init, [None] * n
    for i in order:
        carry, ys[i] = f(carry, None if xs is None else _items(xs, i))
    return carry, (_stacked(ys) if n else None)


def map(f, xs):  # noqa: A001 (Keras's name)
    """stack([f(x) for x in xs]) over the leading axis."""
    return _stacked([f(_items(xs, i)) for i in range(_length(xs))])


def vectorized_map(function, elements):
    """``function`` applied to each slice of ``elements`` along axis 0, the results stacked (a loop)."""
    return map(function, elements)


def associative_scan(f, elems, reverse=False, axis=0):
    """Running combination: out₀ = e₀, outᵢ = f(outᵢ₋₁, eᵢ) along ``axis`` (sequentially)."""
    x = tensor(elems)
    axis = int(axis) % x.ndim
    head = (slice(None),) * axis
    order = range(x.shape[axis] - 1, -1, -1) if reverse else range(x.shape[axis])
    out, running = [None] * x.shape[axis], None
    for i in order:
        item = GetItem.apply(x, index=head + (i,))
        running = item if running is None else f(running, item)
        out[i] = running
    return Stack.apply(*out, axis=axis)


def vectorize(pyfunc, *, excluded=None, signature=None):
    """A function that applies ``pyfunc`` to each element (each core slice with ``signature``).

    Without a signature the inputs are broadcast and ``pyfunc`` runs per element; with
    one such as "(n),(n)->()" it runs per slice over the leading (loop) axes.
    """
    excluded = set(excluded or ())

    def vectorized(*args):
        loop_args = [tensor(a) for i, a in enumerate(args) if i not in excluded]
        core = [0] * len(loop_args)
        if signature is not None:
            inputs = signature.split("->")[0]
            core = [0 if not part.strip("()") else len(part.strip("()").split(",")) for part in inputs.split("),")]
        loop_shapes = [a.shape[:a.ndim - c] for a, c in zip(loop_args, core)]
        loop_shape = np.broadcast_shapes(*loop_shapes)
        results = []
        for index in np.ndindex(*loop_shape):
            picked = iter([GetItem.apply(a, index=tuple(j if n > 1 else 0 for j, n in zip(index[len(index) - len(s):], s)))
                           if s else a for a, s in zip(loop_args, loop_shapes)])
            call = [a if i in excluded else next(picked) for i, a in enumerate(args)]
            results.append(tensor(pyfunc(*call)))
        out = Stack.apply(*results, axis=0)
        from .shape_ops import Reshape
        return Reshape.apply(out, shape=(*loop_shape, *out.shape[1:]))
    return vectorized


# --- scatter and segments ------------------------------------------------------------------------
def _index_tuple(indices) -> tuple:
    idx = np.asarray(tensor(indices).data).astype(np.int64)
    if idx.ndim == 1:
        idx = idx[:, None]
    return tuple(idx[..., k] for k in range(idx.shape[-1]))


def scatter(indices, values, shape) -> Tensor:
    """zeros(shape) with values[i] added at indices[i] (each index names the leading axes; repeats sum)."""
    values = tensor(values)
    if values.dtype == bool:
        values = constant(values.data.astype(np.int32))
    return ScatterAdd.apply(values, index=_index_tuple(indices), shape=tuple(int(n) for n in shape))


def scatter_update(inputs, indices, updates, reduction=None) -> Tensor:
    """``inputs`` with the entries at ``indices`` replaced by ``updates`` (``reduction="add"``: added to)."""
    x = tensor(inputs)
    u = cast_to(tensor(updates), x.dtype)
    index = _index_tuple(indices)
    placed = ScatterAdd.apply(u, index=index, shape=x.shape)
    if reduction == "add":
        return Add.apply(x, placed)
    if reduction is not None:
        raise ValueError(f"scatter_update: reduction must be None or 'add', got {reduction!r}")
    touched = np.zeros(x.shape, dtype=bool)
    touched[index] = True
    return Where.apply(placed, x, condition=touched)


def _segments(data, segment_ids, num_segments):
    data = tensor(data)
    ids = np.asarray(tensor(segment_ids).data).astype(np.int64)
    count = int(ids.max()) + 1 if num_segments is None else int(num_segments)
    valid = (ids >= 0) & (ids < count)
    return data, ids, count, valid


def segment_sum(data, segment_ids, num_segments=None, sorted=False) -> Tensor:  # noqa: A002
    """out[s] = Σ of the rows of ``data`` whose segment id is s (ids out of range dropped)."""
    data, ids, count, valid = _segments(data, segment_ids, num_segments)
    rows = GetItem.apply(data, index=np.nonzero(valid)[0])
    return ScatterAdd.apply(rows, index=(ids[valid],), shape=(count, *data.shape[1:]))


def _segment_extreme(data, segment_ids, num_segments, pick, empty):
    data, ids, count, valid = _segments(data, segment_ids, num_segments)
    table = np.full((count, *data.shape[1:]), empty, dtype=data.dtype)
    pick.at(table, ids[valid], data.data[valid])
    if data.dtype.kind != "f":
        return constant(table)
    rows = GetItem.apply(data, index=np.nonzero(valid)[0])
    winners = rows.data == table[ids[valid]]                          # ties share the gradient
    ties = np.zeros(table.shape, dtype=data.dtype)
    np.add.at(ties, ids[valid], winners.astype(data.dtype))
    share = np.where(winners, 1.0 / np.maximum(ties[ids[valid]], 1), 0.0).astype(data.dtype)
    summed = ScatterAdd.apply(Mul.apply(rows, constant(share)), index=(ids[valid],), shape=table.shape)
    return Add.apply(summed, constant(np.where(ties > 0, 0, table).astype(data.dtype)))


def segment_max(data, segment_ids, num_segments=None, sorted=False) -> Tensor:  # noqa: A002
    """out[s] = the largest row entry of segment s (−inf, or the dtype's min, for an empty one)."""
    dt = tensor(data).dtype
    low = -np.inf if dt.kind == "f" else np.iinfo(dt).min
    return _segment_extreme(data, segment_ids, num_segments, np.maximum, low)


def segment_min(data, segment_ids, num_segments=None, sorted=False) -> Tensor:  # noqa: A002
    """out[s] = the smallest row entry of segment s (+inf, or the dtype's max, for an empty one)."""
    dt = tensor(data).dtype
    high = np.inf if dt.kind == "f" else np.iinfo(dt).max
    return _segment_extreme(data, segment_ids, num_segments, np.minimum, high)


def segment_prod(data, segment_ids, num_segments=None, sorted=False) -> Tensor:  # noqa: A002
    """out[s] = the product of the rows of segment s (1 for an empty one): a chain of multiplies."""
    data, ids, count, valid = _segments(data, segment_ids, num_segments)
    out = [constant(np.ones(data.shape[1:], dtype=data.dtype))] * count
    for row in np.nonzero(valid)[0]:
        out[ids[row]] = Mul.apply(out[ids[row]], GetItem.apply(data, index=int(row)))
    return Stack.apply(*out, axis=0)


def extract_sequences(x, sequence_length, sequence_stride) -> Tensor:
    """Frames of the last axis: out[..., i, j] = x[..., i·stride + j] (a gather)."""
    x = tensor(x)
    n = x.shape[-1]
    count = 1 + (n - sequence_length) // sequence_stride
    index = np.arange(count)[:, None] * sequence_stride + np.arange(sequence_length)[None, :]
    return GetItem.apply(x, index=(Ellipsis, index))


# --- forward-mode products and custom gradients -----------------------------------------------------
def jvp(fun, primals, tangents, has_aux=False):
    """(fun(*primals), J·tangents): the Jacobian-vector product, built from reverse mode.

    glassnet differentiates backwards only, so J·t is assembled one output entry at a time:
    entry k of J·t = Σᵢ ⟨∂out_k/∂primalᵢ, tangentᵢ⟩, one backward pass per output entry
    (exact; the cost grows with the output size, so it suits small functions). ``fun`` returns
    one tensor (or ``(tensor, aux)`` with ``has_aux``).
    """
    leaves = [Tensor(tensor(p).data.copy(), requires_grad=True) for p in primals]
    directions = [tensor(t).data for t in tangents]
    if len(directions) != len(leaves):
        raise ValueError(f"jvp: {len(leaves)} primals but {len(directions)} tangents")
    result = fun(*leaves)
    out, aux = result if has_aux else (result, None)
    out = tensor(out)
    flat = np.zeros(out.size, dtype=out.dtype)
    if out.requires_grad:
        for k in range(out.size):
            for leaf in leaves:
                leaf.grad = None
            seed = np.zeros(out.size, dtype=out.dtype)
            seed[k] = 1.0
            out.backward(seed.reshape(out.shape), retain_graph=True)
            flat[k] = builtins.sum(float(np.sum(leaf.grad * t)) for leaf, t in zip(leaves, directions)
                                   if leaf.grad is not None)
    primal_out, tangent_out = out.detach(), constant(flat.reshape(out.shape))
    return (primal_out, tangent_out, aux) if has_aux else (primal_out, tangent_out)



class CustomGradient(Function):
    """f(x…) whose backward is supplied by the user: ``f`` returns (y, grad_fn) and
    ∂L/∂xᵢ = grad_fn(∂L/∂y)[i]  (the chain rule with a hand-written local VJP)."""

    def forward(self, *arrays, fn):
        with_graph = [Tensor._wrap(a) for a in arrays]
        out, self.grad_fn = fn(*with_graph)
        return tensor(out).data

    def backward(self, grad):
        grads = self.grad_fn(Tensor._wrap(grad))
        grads = grads if isinstance(grads, (tuple, list)) else (grads,)
        return tuple(None if g is None else tensor(g).data for g in grads)


def custom_gradient(f):
    """Decorate ``f(*tensors) -> (output, grad_fn)`` so that backward uses ``grad_fn(upstream)``."""
    def wrapped(*args):
        return CustomGradient.apply(*[tensor(a) for a in args], fn=f)
    wrapped.__name__ = getattr(f, "__name__", "custom_gradient")
    wrapped.__doc__ = f.__doc__
    return wrapped


__all__ = ["jvp", "convert_to_tensor", "convert_to_numpy", "is_tensor", "dtype", "cast", "saturate_cast",
    "stop_gradient", "cond", "switch", "fori_loop", "while_loop", "scan", "map", "vectorized_map",
    "associative_scan", "vectorize", "scatter", "scatter_update", "segment_sum", "segment_max",
    "segment_min", "segment_prod", "extract_sequences", "custom_gradient"]

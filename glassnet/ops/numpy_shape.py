"""keras.ops shapes and indexing: reshape, transpose, join, split, flip, tile, take, where ...

None of these changes a value; each moves values around. They are written with the shape
primitives (``shape_ops.py``) and one gather (``GetItem``: x[index], whose backward adds the
gradient back at the positions read), so every one of them is differentiable. Examples:

    flip(x, axis)          = x[..., ::-1, ...]
    repeat(x, r, axis)     = x gathered at [0,…,0, 1,…,1, …] (each index r times)
    roll(x, s, axis)       = x gathered at (i − s) mod n
    pad(x, w, "reflect")   = x gathered at numpy.pad(arange(n), w, "reflect") per axis
    take_along_axis(x, i)  = x[grid…, i, grid…]
"""
from __future__ import annotations

import builtins

import numpy as np

from ..backend import xp
from ..tensor import Tensor
from .elementwise import Where
from .indexing import GetItem
from .axes import canonical_axes, canonical_axis
from .keras_base import axis_tuple, constant, promoted, tensor
from .shape_ops import BroadcastTo, Concatenate, Pad, Reshape, Stack, Transpose

_slice = builtins.slice


def shape(x) -> tuple:
    """The shape as a tuple of ints (as ``keras.ops.shape``)."""
    return tuple(tensor(x).shape) if not hasattr(x, "shape") else tuple(x.shape)


def ndim(x) -> int:
    return len(shape(x))


def size(x) -> int:
    """The number of elements."""
    return int(np.prod(shape(x)))


def reshape(x, newshape) -> Tensor:
    """x with a new shape (one entry may be −1)."""
    newshape = tuple(newshape) if isinstance(newshape, list) else newshape   # checked by Reshape
    return Reshape.apply(tensor(x), shape=newshape)


def ravel(x) -> Tensor:
    return Reshape.apply(tensor(x), shape=(-1,))


def transpose(x, axes=None) -> Tensor:
    return Transpose.apply(tensor(x), axes=axes)


def swapaxes(x, axis1, axis2) -> Tensor:
    x = tensor(x)
    axis1, axis2 = canonical_axis(axis1, x.ndim, "swapaxes", "axis1"), canonical_axis(axis2, x.ndim, "swapaxes", "axis2")
    axes = list(range(x.ndim))
    axes[axis1], axes[axis2] = axes[axis2], axes[axis1]
    return Transpose.apply(x, axes=axes)


def moveaxis(x, source, destination) -> Tensor:
    x = tensor(x)
    sources = [canonical_axis(a, x.ndim, "moveaxis", "source") for a in _axis_list(source)]
    destinations = [canonical_axis(a, x.ndim, "moveaxis", "destination") for a in _axis_list(destination)]
    if len(sources) != len(destinations) or len(set(sources)) != len(sources) \
            or len(set(destinations)) != len(destinations):
        raise ValueError(f"moveaxis: source {source} and destination {destination} must name as many distinct axes")
    order = [a for a in range(x.ndim) if a not in sources]
    for d, s in sorted(zip(destinations, sources)):
        order.insert(d, s)
    return x if order == list(range(x.ndim)) else Transpose.apply(x, axes=tuple(order))


def _axis_list(axis) -> list:
    """An int or a list/tuple of ints as a list (each entry checked later by canonical_axis)."""
    return list(axis) if isinstance(axis, (list, tuple)) else [axis]


def expand_dims(x, axis) -> Tensor:
    x = tensor(x)
    axes = _axis_list(axis)
    new = canonical_axes(tuple(axes), x.ndim + len(axes), "expand_dims")
    shape, rest = [], iter(x.shape)
    for a in range(x.ndim + len(axes)):
        shape.append(1 if a in new else next(rest))
    return Reshape.apply(x, shape=tuple(shape))


def squeeze(x, axis=None) -> Tensor:
    x = tensor(x)
    axes = tuple(a for a, n in enumerate(x.shape) if n == 1) if axis is None \
        else canonical_axes(tuple(_axis_list(axis)), x.ndim, "squeeze")
    if builtins.any(x.shape[a] != 1 for a in axes):
        raise ValueError(f"squeeze: axis {axis} has length {[x.shape[a] for a in axes]}, not 1 (shape {x.shape})")
    return Reshape.apply(x, shape=tuple(n for a, n in enumerate(x.shape) if a not in axes))


def broadcast_to(x, shape) -> Tensor:  # noqa: F811 (the argument name is Keras's)
    return BroadcastTo.apply(tensor(x), shape=tuple(shape))


# --- joining and splitting -------------------------------------------------------------------
def concatenate(xs, axis=0) -> Tensor:
    xs = promoted(*xs)
    if axis is None:
        xs, axis = [Reshape.apply(t, shape=(-1,)) for t in xs], 0
    return Concatenate.apply(*xs, axis=axis)


def stack(x, axis=0) -> Tensor:
    return Stack.apply(*promoted(*x), axis=axis)


def append(x1, x2, axis=None) -> Tensor:
    """x2 joined after x1 along ``axis`` (both flattened if None)."""
    return concatenate([x1, x2], axis=axis)


def hstack(xs) -> Tensor:
    xs = [tensor(x) for x in xs]
    return concatenate(xs, axis=0 if xs[0].ndim == 1 else 1)


def vstack(xs) -> Tensor:
    return concatenate([reshape(x, (1, -1)) if tensor(x).ndim == 1 else x for x in xs], axis=0)


def dstack(xs) -> Tensor:
    def at_least_3d(x):
        x = tensor(x)
        return reshape(x, (1, -1, 1)) if x.ndim == 1 else (expand_dims(x, -1) if x.ndim == 2 else x)
    return concatenate([at_least_3d(x) for x in xs], axis=2)


def split(x, indices_or_sections, axis=0) -> list:
    """Split along ``axis`` into equal sections (an int) or at the given indices."""
    x = tensor(x)
    axis = canonical_axis(axis, x.ndim, "split")
    n = x.shape[axis]
    if isinstance(indices_or_sections, (int, np.integer)):
        if indices_or_sections <= 0 or n % indices_or_sections:
            raise ValueError(f"split: axis {axis} of length {n} cannot be split into {indices_or_sections} equal sections")
        bounds = [i * (n // indices_or_sections) for i in range(indices_or_sections + 1)]   # n = 0 too
    else:
        bounds = [0, *[int(i) for i in indices_or_sections], n]
    head = (_slice(None),) * (axis % x.ndim)
    return [GetItem.apply(x, index=head + (_slice(lo, hi),)) for lo, hi in zip(bounds[:-1], bounds[1:])]


def array_split(x, indices_or_sections, axis=0) -> list:
    """As ``split``, but an int need not divide the length (the first pieces get one more)."""
    x = tensor(x)
    if not isinstance(indices_or_sections, (int, np.integer)):
        return split(x, indices_or_sections, axis)
    axis = canonical_axis(axis, x.ndim, "array_split")
    n, k = x.shape[axis], int(indices_or_sections)
    sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
    return split(x, list(np.cumsum(sizes)[:-1]), axis)


def hsplit(x, indices_or_sections) -> list:
    return split(x, indices_or_sections, axis=0 if tensor(x).ndim == 1 else 1)


def vsplit(x, indices_or_sections) -> list:
    return split(x, indices_or_sections, axis=0)


def dsplit(x, indices_or_sections) -> list:
    return split(x, indices_or_sections, axis=2)


def unstack(x, num=None, axis=0) -> list:
    """The slices of x along ``axis``, as a list."""
    x = tensor(x)
    axis = canonical_axis(axis, x.ndim, "unstack")
    head = (_slice(None),) * axis
    return [GetItem.apply(x, index=head + (i,)) for i in range(x.shape[axis])]


# --- gathers ------------------------------------------------------------------------------------
def get_item(x, key) -> Tensor:
    """x[key] (any NumPy index)."""
    if isinstance(key, Tensor):
        key = key.data
    return GetItem.apply(tensor(x), index=key)


def _along(x: Tensor, axis: int, index) -> Tensor:
    return GetItem.apply(x, index=(_slice(None),) * axis + (index,))


def flip(x, axis=None) -> Tensor:
    x = tensor(x)
    if x.ndim == 0 and axis is not None:
        canonical_axis(axis, 0, "flip")                      # a 0-d tensor has no axis to flip
    axes = axis_tuple(axis, x.ndim, "flip")
    index = tuple(_slice(None, None, -1) if a in axes else _slice(None) for a in range(x.ndim))
    return GetItem.apply(x, index=index)


def fliplr(x) -> Tensor:
    return flip(x, 1)


def flipud(x) -> Tensor:
    return flip(x, 0)


def rot90(array, k=1, axes=(0, 1)) -> Tensor:
    """Rotate by 90° k times in the plane ``axes`` (from the first axis toward the second)."""
    x = tensor(array)
    k %= 4
    a, b = axes
    if k == 0:
        return x
    if k == 2:
        return flip(flip(x, a), b)
    perm = list(range(x.ndim))
    perm[a], perm[b] = perm[b], perm[a]
    return Transpose.apply(flip(x, b), axes=perm) if k == 1 else flip(Transpose.apply(x, axes=perm), b)


def roll(x, shift, axis=None) -> Tensor:
    """x shifted cyclically: out[i] = x[(i − shift) mod n] (flattened first if axis is None)."""
    x = tensor(x)
    if axis is None:
        return reshape(roll(ravel(x), shift, 0), x.shape)
    axes = [canonical_axis(a, x.ndim, "roll") for a in _axis_list(axis)]
    shifts, axes = np.broadcast_arrays(np.atleast_1d(shift), np.asarray(axes))
    for s, a in zip(shifts, axes):
        a = int(a)
        x = _along(x, a, (np.arange(x.shape[a]) - int(s)) % x.shape[a])
    return x


def repeat(x, repeats, axis=None) -> Tensor:
    """Each element repeated ``repeats`` times along ``axis`` (flattened first if None)."""
    x = tensor(x)
    if axis is None:
        x, axis = ravel(x), 0
    axis = canonical_axis(axis, x.ndim, "repeat")
    return _along(x, axis, np.repeat(np.arange(x.shape[axis]), tensor(repeats).data))


def tile(x, repeats) -> Tensor:
    """x repeated as whole blocks: out[i] = x[i mod n] on every axis."""
    x = tensor(x)
    reps = (int(repeats),) if np.ndim(repeats) == 0 else tuple(int(r) for r in repeats)
    if len(reps) > x.ndim:
        x = reshape(x, (1,) * (len(reps) - x.ndim) + x.shape)
    reps = (1,) * (x.ndim - len(reps)) + reps
    for a, r in enumerate(reps):
        if r != 1:
            x = _along(x, a, np.tile(np.arange(x.shape[a]), r))
    return x


def take(x, indices, axis=None) -> Tensor:
    """x's entries at ``indices`` along ``axis`` (of the flattened x if None); negative indices count from the end."""
    x = tensor(x)
    indices = np.asarray(tensor(indices).data)
    if axis is None:
        x, axis = ravel(x), 0
    axis = canonical_axis(axis, x.ndim, "take")
    return _along(x, axis, np.where(indices < 0, indices + x.shape[axis], indices))


def take_along_axis(x, indices, axis=None) -> Tensor:
    """out[..., i, ...] = x[..., indices[..., i, ...], ...] along ``axis`` (shapes broadcast)."""
    x = tensor(x)
    indices = np.asarray(tensor(indices).data)
    if axis is None:
        x, axis = ravel(x), 0
    axis = canonical_axis(axis, x.ndim, "take_along_axis")
    shape = list(np.broadcast_shapes(tuple(n if a != axis else 1 for a, n in enumerate(x.shape)),
                                     tuple(n if a != axis else 1 for a, n in enumerate(indices.shape))))
    shape[axis] = indices.shape[axis]
    indices = np.broadcast_to(indices, shape)
    x = BroadcastTo.apply(x, shape=tuple(n if a != axis else x.shape[axis] for a, n in enumerate(shape))) \
        if _any_differs(x.shape, shape, axis) else x
    grids = list(np.ogrid[tuple(_slice(n) for n in shape)])
    grids[axis] = np.where(indices < 0, indices + x.shape[axis], indices)
    return GetItem.apply(x, index=tuple(grids))


def _any_differs(a, b, skip) -> bool:
    return builtins.any(p != q for i, (p, q) in enumerate(zip(a, b)) if i != skip)


def slice(inputs, start_indices, shape) -> Tensor:  # noqa: A001 (Keras's name)
    """The block of ``inputs`` starting at ``start_indices`` with size ``shape`` (−1: to the end)."""
    x = tensor(inputs)
    index = tuple(_slice(int(s), x.shape[a] if int(n) == -1 else int(s) + int(n))
                  for a, (s, n) in enumerate(zip(tensor(start_indices).data, shape)))
    return GetItem.apply(x, index=index)


def slice_update(inputs, start_indices, updates) -> Tensor:
    """``inputs`` with the block at ``start_indices`` replaced by ``updates`` (gradient to both)."""
    x, u = promoted(inputs, updates)
    starts = [int(s) for s in tensor(start_indices).data]
    width = [(s, n - s - m) for s, n, m in zip(starts, x.shape, u.shape)]
    padded = Pad.apply(u, pad_width=width, constant_values=0)
    inside = np.zeros(x.shape, dtype=bool)
    inside[tuple(_slice(s, s + m) for s, m in zip(starts, u.shape))] = True
    return Where.apply(padded, x, condition=inside)


def pad(x, pad_width, mode="constant", constant_values=None) -> Tensor:
    """x padded by ``pad_width`` ((before, after) per axis). Modes: "constant" (the ``Pad``
    primitive) and "reflect"/"symmetric"/"edge"/"wrap" (a gather at numpy.pad of the index range)."""
    x = tensor(x)
    width = np.broadcast_to(np.asarray(pad_width, dtype=int), (x.ndim, 2))
    if mode == "constant":
        return Pad.apply(x, pad_width=width, constant_values=0 if constant_values is None else constant_values)
    if constant_values is not None:
        raise ValueError(f"pad: constant_values only goes with mode 'constant', not {mode!r}")
    if mode not in ("reflect", "symmetric", "edge", "wrap"):
        raise ValueError(f"pad: unknown mode {mode!r}")
    for a, (lo, hi) in enumerate(width):
        if lo or hi:
            x = _along(x, a, np.pad(np.arange(x.shape[a]), (lo, hi), mode=mode))
    return x


def where(condition, x1=None, x2=None):
    """x1 where ``condition`` else x2 (gradient to each where chosen); with one argument, ``nonzero``."""
    condition = tensor(condition).data.astype(bool)
    if x1 is None and x2 is None:
        return nonzero(condition)
    if x1 is None or x2 is None:
        raise ValueError("where: give both x1 and x2, or neither")
    a, b = promoted(x1, x2)
    return Where.apply(a, b, condition=condition)


def select(condlist, choicelist, default=0) -> Tensor:
    """The first choice whose condition holds, element-wise; ``default`` where none does."""
    out = tensor(default)
    for cond, choice in reversed(list(zip(condlist, choicelist))):
        out = where(cond, choice, out)
    return out


def nonzero(x) -> tuple:
    """The indices of the non-zero entries, one int32 tensor per axis."""
    return tuple(constant(i.astype(np.int32)) for i in xp.nonzero(tensor(x).data))


def diagonal(x, offset=0, axis1=0, axis2=1) -> Tensor:
    """The entries x[..., i, i + offset, ...] of the plane (axis1, axis2), on a new last axis."""
    x = tensor(x)
    axis1, axis2 = canonical_axis(axis1, x.ndim, "diagonal", "axis1"), canonical_axis(axis2, x.ndim, "diagonal", "axis2")
    rest = [a for a in range(x.ndim) if a not in (axis1, axis2)]
    moved = Transpose.apply(x, axes=(*rest, axis1, axis2))
    n1, n2 = x.shape[axis1], x.shape[axis2]
    rows = np.arange(builtins.max(0, -offset), builtins.min(n1, n2 - offset))
    return GetItem.apply(moved, index=(Ellipsis, rows, rows + offset))


def diag(x, k=0) -> Tensor:
    """A 1-D x -> the square matrix with x on diagonal k; a 2-D x -> its diagonal k."""
    x = tensor(x)
    if x.ndim == 2:
        return diagonal(x, k)
    if x.ndim != 1:
        raise ValueError(f"diag: expected a 1-D or 2-D tensor, got shape {x.shape}")
    n = x.shape[0] + builtins.abs(k)
    rows = np.arange(x.shape[0]) + builtins.max(0, -k)
    from .math_primitives import ScatterAdd
    return ScatterAdd.apply(x, index=(rows, rows + k), shape=(n, n))


def diagflat(x, k=0) -> Tensor:
    return diag(ravel(x), k)


def trace(x, offset=0, axis1=0, axis2=1) -> Tensor:
    """Σ of the diagonal ``offset`` of the plane (axis1, axis2)."""
    from .numpy_reduce import sum as reduce_sum
    return reduce_sum(diagonal(x, offset, axis1, axis2), axis=-1)


def tril(x, k=0) -> Tensor:
    """x with the entries above diagonal k set to 0."""
    x = tensor(x)
    keep = np.tri(x.shape[-2], x.shape[-1], k, dtype=bool)
    return Where.apply(x, constant(np.zeros((), x.dtype)), condition=keep)


def triu(x, k=0) -> Tensor:
    """x with the entries below diagonal k set to 0."""
    x = tensor(x)
    keep = ~np.tri(x.shape[-2], x.shape[-1], k - 1, dtype=bool)
    return Where.apply(x, constant(np.zeros((), x.dtype)), condition=keep)


def meshgrid(*x, indexing="xy") -> list:
    """Coordinate grids of 1-D tensors ("xy": Cartesian, "ij": matrix indexing)."""
    xs = [tensor(v) for v in x]
    shape = [v.shape[0] for v in xs]
    if indexing == "xy" and len(xs) > 1:
        shape[0], shape[1] = shape[1], shape[0]
    out = []
    for i, v in enumerate(xs):
        axis = i if not (indexing == "xy" and i < 2 and len(xs) > 1) else 1 - i
        view = [1] * len(xs)
        view[axis] = v.shape[0]
        out.append(BroadcastTo.apply(Reshape.apply(v, shape=tuple(view)), shape=tuple(shape)))
    return out


def unravel_index(indices, shape) -> tuple:
    """Flat indices -> one index tensor per axis of ``shape``."""
    return tuple(constant(i.astype(np.int32)) for i in np.unravel_index(tensor(indices).data, shape))


def isin(x1, x2, assume_unique=False, invert=False) -> Tensor:
    return constant(np.isin(tensor(x1).data, tensor(x2).data, assume_unique=assume_unique, invert=invert))


def view(x, dtype=None) -> Tensor:
    """The same bytes read as another dtype (the last axis scales by the size ratio; no gradient)."""
    from .keras_base import standardize_dtype
    x = tensor(x)
    return x if dtype is None else constant(x.data.view(standardize_dtype(dtype)))


def unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False, axis=None,  # noqa: A002
           size=None, fill_value=None):
    """The distinct values (NumPy's ``unique``; with ``size``, padded with ``fill_value``)."""
    out = np.unique(tensor(x).data, return_index=return_index, return_inverse=return_inverse,
                    return_counts=return_counts, axis=axis)
    parts = list(out) if isinstance(out, tuple) else [out]
    if size is not None:
        values = parts[0][:size]
        fill = values.min() if fill_value is None and values.size else (fill_value or 0)
        parts[0] = np.concatenate([values, np.full(size - values.size, fill, dtype=values.dtype)])
    parts = [constant(p if i == 0 else p.astype(np.int32)) for i, p in enumerate(parts)]
    return parts[0] if len(parts) == 1 else tuple(parts)


__all__ = ["view", "shape", "ndim", "size", "reshape", "ravel", "transpose", "swapaxes", "moveaxis", "expand_dims",
    "squeeze", "broadcast_to", "concatenate", "stack", "append", "hstack", "vstack", "dstack", "split",
    "array_split", "hsplit", "vsplit", "dsplit", "unstack", "get_item", "flip", "fliplr", "flipud", "rot90",
    "roll", "repeat", "tile", "take", "take_along_axis", "slice", "slice_update", "pad", "where", "select",
    "nonzero", "diagonal", "diag", "diagflat", "trace", "tril", "triu", "meshgrid", "unravel_index", "isin",
    "unique"]

"""keras.ops.nn block and window rearrangements: depth_to_space, space_to_depth, unfold, fold,
adaptive pooling; and ``rearrange`` (einops-style axis patterns).

All are gathers, scatters and reshapes, so each is differentiable:

    space_to_depth:  (N, H·b, W·b, C) -> (N, H, W, b·b·C),   channel index (i·b + j)·C + c
    depth_to_space:  its inverse
    unfold (torch's im2col, channels first):  (N, C, H, W) -> (N, C·kh·kw, L), column l the
        window at output position l; entry (c, i, j) = x̃[c, oh·s + i·d, ow·s + j·d]
    fold:   the adjoint of unfold — every column added back onto its window (overlaps sum)
    adaptive pooling: output cell i covers input [⌊i·n/m⌋, ⌈(i + 1)·n/m⌉) on each axis
        (computed one axis at a time in ``adaptive_pooling.py``)
"""
from __future__ import annotations

import math
import re

import numpy as np

from .. import backend
from ..tensor import Tensor
from .adaptive_pooling import adaptive_pool
from .indexing import GetItem
from .keras_base import float_tensor, tensor as as_tensor
from .math_primitives import ScatterAdd
from .shape_ops import Pad, Reshape, Transpose


def _pair(value) -> tuple:
    return (int(value),) * 2 if np.ndim(value) == 0 else tuple(int(v) for v in value)


def space_to_depth(x, block_size, data_format="channels_last") -> Tensor:
    """Each b×b block of pixels becomes b·b·C channels of one pixel."""
    x = as_tensor(x)
    b = int(block_size)
    if data_format == "channels_first":
        x = Transpose.apply(x, axes=(0, 2, 3, 1))
    n, h, w, c = x.shape
    if h % b or w % b:
        raise ValueError(f"space_to_depth: height {h} and width {w} must be multiples of block_size {b}")
    y = Reshape.apply(x, shape=(n, h // b, b, w // b, b, c))
    y = Reshape.apply(Transpose.apply(y, axes=(0, 1, 3, 2, 4, 5)), shape=(n, h // b, w // b, b * b * c))
    return Transpose.apply(y, axes=(0, 3, 1, 2)) if data_format == "channels_first" else y


def depth_to_space(x, block_size, data_format="channels_last") -> Tensor:
    """The inverse of ``space_to_depth``: b·b·C channels spread over a b×b block."""
    x = as_tensor(x)
    b = int(block_size)
    if data_format == "channels_first":
        x = Transpose.apply(x, axes=(0, 2, 3, 1))
    n, h, w, c = x.shape
    if c % (b * b):
        raise ValueError(f"depth_to_space: {c} channels are not a multiple of block_size² = {b * b}")
    y = Reshape.apply(x, shape=(n, h, w, b, b, c // (b * b)))
    y = Reshape.apply(Transpose.apply(y, axes=(0, 1, 3, 2, 4, 5)), shape=(n, h * b, w * b, c // (b * b)))
    return Transpose.apply(y, axes=(0, 3, 1, 2)) if data_format == "channels_first" else y


def _window_rows(size, kernel, dilation, padding, stride):
    """Index arrays (kh·kw, L) of the padded rows and columns each unfold entry reads."""
    (h, w), (kh, kw), (dh, dw), (ph, pw), (sh, sw) = size, kernel, dilation, padding, stride
    oh = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    ow = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    if oh <= 0 or ow <= 0:
        raise ValueError(f"unfold: a {kh}×{kw} window (dilation {dilation}) does not fit a {h}×{w} input")
    ki, kj = np.meshgrid(np.arange(kh), np.arange(kw), indexing="ij")
    oi, oj = np.meshgrid(np.arange(oh), np.arange(ow), indexing="ij")
    rows = ki.reshape(-1, 1) * dh + oi.reshape(1, -1) * sh
    cols = kj.reshape(-1, 1) * dw + oj.reshape(1, -1) * sw
    return rows, cols


def unfold(x, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Sliding windows of a (N, C, H, W) tensor as columns: (N, C·kh·kw, L) (torch's ``unfold``)."""
    x = as_tensor(x)
    if x.ndim != 4:
        raise ValueError(f"unfold: expects a (N, C, H, W) tensor, got shape {x.shape}")
    n, c, h, w = x.shape
    kernel, pad = _pair(kernel_size), _pair(padding)
    rows, cols = _window_rows((h, w), kernel, _pair(dilation), pad, _pair(stride))
    padded = Pad.apply(x, pad_width=((0, 0), (0, 0), (pad[0], pad[0]), (pad[1], pad[1])), constant_values=0)
    patches = GetItem.apply(padded, index=(slice(None), slice(None), rows, cols))      # (N, C, kh·kw, L)
    return Reshape.apply(patches, shape=(n, c * rows.shape[0], rows.shape[1]))


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Columns (N, C·kh·kw, L) added back onto their windows of a (N, C, H, W) tensor (overlaps sum)."""
    x = as_tensor(x)
    (h, w), kernel, pad = _pair(output_size), _pair(kernel_size), _pair(padding)
    rows, cols = _window_rows((h, w), kernel, _pair(dilation), pad, _pair(stride))
    n, ckk, length = x.shape
    k = rows.shape[0]
    if ckk % k or length != rows.shape[1]:
        raise ValueError(f"fold: input {x.shape} does not match {k} kernel positions and {rows.shape[1]} windows")
    c = ckk // k
    values = Transpose.apply(Reshape.apply(x, shape=(n, c, k, length)), axes=(2, 3, 0, 1))     # (k, L, N, C)
    canvas = ScatterAdd.apply(values, index=(rows, cols), shape=(h + 2 * pad[0], w + 2 * pad[1], n, c))
    out = Transpose.apply(canvas, axes=(2, 3, 0, 1))
    return GetItem.apply(out, index=(slice(None), slice(None), slice(pad[0], pad[0] + h), slice(pad[1], pad[1] + w)))


def _adaptive(x, output_size, data_format, reduction, owner):
    """Checks the arguments, then pools with ``adaptive_pooling.adaptive_pool`` (one axis at a time)."""
    x = float_tensor(x)
    spatial = x.ndim - 2
    if spatial not in (1, 2, 3):
        raise ValueError(f"{owner}: expects a 3-D, 4-D or 5-D input, got shape {x.shape}")
    data_format = backend.image_data_format() if data_format is None else data_format
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"{owner}: data_format must be 'channels_last' or 'channels_first', got {data_format!r}")
    sizes = (int(output_size),) * spatial if np.ndim(output_size) == 0 else tuple(int(s) for s in output_size)
    if len(sizes) != spatial or min(sizes) < 1:
        raise ValueError(f"{owner}: output_size must be a positive int or {spatial} positive ints for an input "
                         f"of shape {x.shape}, got {output_size!r}")
    lengths = x.shape[2:] if data_format == "channels_first" else x.shape[1:-1]
    if min(lengths) < 1:
        raise ValueError(f"{owner}: the input of shape {x.shape} has an empty spatial axis")
    return adaptive_pool(x, sizes, reduction, data_format)


def adaptive_average_pool(inputs, output_size, data_format=None) -> Tensor:
    """The mean over each of output_size windows per axis (window i: ⌊i·n/m⌋ to ⌈(i + 1)·n/m⌉).

    data_format None means ``backend.image_data_format()``, as in Keras."""
    return _adaptive(inputs, output_size, data_format, "average", "adaptive_average_pool")


def adaptive_max_pool(inputs, output_size, data_format=None) -> Tensor:
    """The max over each of output_size windows per axis; a tie inside a window sends the
    gradient to its first maximum in row-major order (PyTorch's rule, Keras's torch backend's)."""
    return _adaptive(inputs, output_size, data_format, "max", "adaptive_max_pool")


# --- einops-style patterns -----------------------------------------------------------------------
def _groups(side: str) -> list:
    """'b (h w) c' -> [['b'], ['h', 'w'], ['c']]."""
    tokens = re.findall(r"\(|\)|[A-Za-z_][A-Za-z0-9_]*", side)
    groups, current = [], None
    for token in tokens:
        if token == "(":
            current = []
        elif token == ")":
            groups.append(current)
            current = None
        elif current is not None:
            current.append(token)
        else:
            groups.append([token])
    return groups


def rearrange(tensor, pattern, **axes_lengths) -> Tensor:
    """Reorder, split and merge axes by an einops pattern, e.g. "b h w c -> b (h w) c".

    The left side names each input axis (a parenthesised group splits an axis into several;
    all but one of their lengths must be given as keywords); the right side is the order of
    the output axes, where a group merges axes into one.
    """
    x = as_tensor(tensor)
    if "->" not in pattern:
        raise ValueError(f"rearrange: pattern {pattern!r} has no '->'")
    left, right = (_groups(side) for side in pattern.split("->"))
    if len(left) != x.ndim:
        raise ValueError(f"rearrange: pattern {pattern!r} names {len(left)} axes, the tensor has {x.ndim}")
    lengths = dict(axes_lengths)
    for group, n in zip(left, x.shape):
        unknown = [a for a in group if a not in lengths]
        known = math.prod(lengths[a] for a in group if a in lengths)
        if len(unknown) > 1:
            raise ValueError(f"rearrange: give the lengths of all but one of {group}")
        if unknown:
            lengths[unknown[0]] = n // known
        if math.prod(lengths[a] for a in group) != n:
            raise ValueError(f"rearrange: axis of length {n} cannot be split as {group} = {[lengths[a] for a in group]}")
    flat_left = [a for group in left for a in group]
    flat_right = [a for group in right for a in group]
    if sorted(flat_left) != sorted(flat_right):
        raise ValueError(f"rearrange: both sides of {pattern!r} must name the same axes")
    y = Reshape.apply(x, shape=tuple(lengths[a] for a in flat_left))
    order = tuple(flat_left.index(a) for a in flat_right)
    if order != tuple(range(len(order))):
        y = Transpose.apply(y, axes=order)
    return Reshape.apply(y, shape=tuple(math.prod(lengths[a] for a in group) for group in right))


__all__ = ["space_to_depth", "depth_to_space", "unfold", "fold", "adaptive_average_pool", "adaptive_max_pool",
           "rearrange"]

"""Pooling: the max or the mean of each window of a channels-last image (n, h, w, c).

A kh×kw window slides over each channel, ``strides`` (sh, sw) apart; every position of
the window gives one output pixel. A 2×2 max pool with stride 2 (the course's example)::

    x (one channel)        y
    1  3 | 2  1
    4  6 | 5  0            6  5
    ─────┼─────     →
    7  2 | 1  9            8  9
    0  8 | 3  4

Output size per axis (``windows.conv_output_length``): ⌊(n + p_total − k)/s⌋ + 1, with
p_total = 0 for "valid" and, for "same", the padding that makes the output ⌈n/s⌉ with the
odd extra pixel at the end (bottom/right), as TensorFlow and Keras do
(``windows.padding_amounts``). 1-D pooling of (n, t, c) runs here on a unit height axis.

How it is computed: one loop over the kh·kw offsets (i, j) of the window — never over
pixels, samples or channels. For each offset, the strided view

    x_pad[:, i : i + sh·oh : sh, j : j + sw·ow : sw, :]          (shape (n, oh, ow, c))

holds the (i, j) element of every window at once; the pool is the running max (or sum)
of these kh·kw views. (Reshaping to (n, oh, kh, ow, kw, c) and reducing the window axes
gives the same numbers for non-overlapping pools, but NumPy reduces two inner axes of a
6-D array more than twice as slowly as it runs kh·kw contiguous element-wise passes; the
reshape is used where it is faster: the average pool's backward, below.)
"""
from __future__ import annotations

import numbers

import numpy as np

from ..backend import xp
from ..tensor import Function, Tensor
from . import pool_kernels
from .shape_ops import Reshape
from .windows import conv_output_length, padding_amounts

POOL_PADDINGS = ("valid", "same")


def _int_tuple(owner: str, name: str, value, rank: int) -> tuple:
    """An int or ``rank`` ints as a tuple of positive ints (a ValueError names the argument)."""
    values = (value,) * rank if isinstance(value, numbers.Integral) else value
    try:
        values = tuple(values)
    except TypeError:
        values = ()
    if len(values) != rank or any(isinstance(v, bool) or not isinstance(v, numbers.Integral) or v <= 0
                                  for v in values):
        raise ValueError(f"{owner}: {name} must be a positive int or a tuple of {rank} positive ints, got {value!r}")
    return tuple(int(v) for v in values)


def pool_output_shape(input_shape, pool_size, strides=None, padding="valid", owner="pool") -> tuple:
    """The output shape of a channels-last pool, checking every argument against the input.

    Args:
        input_shape: (batch, *spatial, channels) with ``len(pool_size)`` spatial axes; None
            for an unknown axis (its output length is None too).
        pool_size: an int, or one positive int per spatial axis.
        strides: the same forms; None means ``pool_size`` (non-overlapping windows).
        padding: "valid" or "same".
        owner: who is asking, for the error messages (an op's or a layer's name).

    Raises:
        ValueError: naming ``owner`` and the shapes, for a wrong rank, a non-positive pool
            size or stride, an unknown padding, or a window larger than the padded input.
    """
    input_shape = tuple(input_shape)
    rank = len(pool_size) if isinstance(pool_size, (tuple, list)) else len(input_shape) - 2
    if rank < 1 or len(input_shape) != rank + 2:
        raise ValueError(f"{owner}: expected an input of rank {rank + 2} (batch, {rank} spatial axes, channels), "
                         f"got shape {input_shape}")
    pool_size = _int_tuple(owner, "pool_size", pool_size, rank)
    strides = pool_size if strides is None else _int_tuple(owner, "strides", strides, rank)
    if padding not in POOL_PADDINGS:
        raise ValueError(f"{owner}: padding must be one of {POOL_PADDINGS}, got {padding!r}")
    spatial = []
    for axis, (n, k, s) in enumerate(zip(input_shape[1:-1], pool_size, strides), start=1):
        if n is None:
            spatial.append(None)
            continue
        before, after = padding_amounts(n, k, padding, s)
        if n + before + after < k:
            raise ValueError(f"{owner}: pool_size {pool_size} does not fit the input of shape {input_shape}: a "
                             f"window of {k} is larger than axis {axis}'s {n} (padded: {n + before + after}) "
                             f"with padding={padding!r}")
        spatial.append(conv_output_length(n, k, padding, s))
    return (input_shape[0], *spatial, input_shape[-1])


class PoolWindows:
    """Where the windows of a 2-D pool over (n, h, w, c) lie, and the views that hold them.

    Attributes:
        pool, strides: (kh, kw) and (sh, sw).
        pads: ((top, bottom), (left, right)), the "same" padding (zeros for "valid").
        out: (oh, ow), the output's spatial size.
        disjoint: True when no two windows share a pixel (sh ≥ kh and sw ≥ kw).
        tiled: True when the windows tile the padded input exactly (pool == stride and
            nothing left over), so it reshapes to (n, oh, kh, ow, kw, c).
    """

    def __init__(self, shape, pool_size, strides, padding, owner):
        if len(shape) != 4:
            raise ValueError(f"{owner}: expected an input of rank 4 (batch, height, width, channels), got shape {shape}")
        self.shape = tuple(shape)
        self.pool = _int_tuple(owner, "pool_size", pool_size, 2)
        self.strides = self.pool if strides is None else _int_tuple(owner, "strides", strides, 2)
        _, oh, ow, _ = pool_output_shape(shape, self.pool, self.strides, padding, owner)
        self.out = (oh, ow)
        self.pads = tuple(padding_amounts(n, k, padding, s) for n, k, s in zip(shape[1:3], self.pool, self.strides))
        (top, bottom), (left, right) = self.pads
        self.padded_shape = (shape[0], shape[1] + top + bottom, shape[2] + left + right, shape[3])
        self.disjoint = all(s >= k for k, s in zip(self.pool, self.strides))
        self.tiled = self.strides == self.pool and self.padded_shape[1:3] == (oh * self.pool[0], ow * self.pool[1])

    def pad(self, x, fill):
        """x inside a frame of ``fill`` (x itself when there is no padding)."""
        (top, bottom), (left, right) = self.pads
        if not (top or bottom or left or right):
            return x
        padded = xp.full(self.padded_shape, fill, dtype=x.dtype)
        padded[:, top:top + x.shape[1], left:left + x.shape[2]] = x
        return padded

    def crop(self, grad_padded):
        """The part of a gradient w.r.t. the padded input that belongs to x (the backward of ``pad``)."""
        (top, _), (left, _) = self.pads
        return grad_padded[:, top:top + self.shape[1], left:left + self.shape[2]]

    def offsets(self):
        """For each offset (i, j) of the window, row-major, the index of its strided view."""
        (kh, kw), (sh, sw), (oh, ow) = self.pool, self.strides, self.out
        for i in range(kh):
            for j in range(kw):
                yield (slice(None), slice(i, i + sh * (oh - 1) + 1, sh), slice(j, j + sw * (ow - 1) + 1, sw))

    def counts(self, dtype):
        """How many real (not padded) pixels each window covers: (oh, ow, 1), or a number for "valid"."""
        (kh, kw), (sh, sw), (oh, ow) = self.pool, self.strides, self.out
        if self.padded_shape == self.shape:
            return kh * kw
        per_axis = []
        for n, k, s, o, (before, _) in zip(self.shape[1:3], self.pool, self.strides, self.out, self.pads):
            start = np.arange(o) * s - before                  # each window's first row (column), unpadded
            per_axis.append(np.minimum(start + k, n) - np.maximum(start, 0))
        return xp.asarray((per_axis[0][:, None] * per_axis[1][None, :])[:, :, None].astype(dtype))


def _lowest(dtype):
    """The identity of max: −∞ for floats, the smallest integer otherwise."""
    return -np.inf if np.dtype(dtype).kind == "f" else np.iinfo(dtype).min


class MaxPool2D(Function):
    """y[b, p, q, c] = max over the window (i, j) of x_pad[b, p·sh + i, q·sw + j, c].

    "same" pads with −∞, so a padded pixel is never the maximum.

    Local derivative: ∂y/∂x = 1 at the window's maximum, 0 elsewhere, so backward routes
    each ∂L/∂y to the arg-max of its window (summed where overlapping windows share it).
    Ties: the gradient goes to the FIRST maximal element in row-major window order (the
    smallest i, then the smallest j), as PyTorch's max_pool2d does — never split.

    With Numba installed the same pool runs compiled (``pool_kernels.py``), recording the
    arg-max in the forward pass instead of finding it again in the backward.
    """

    def forward(self, x, pool_size, strides=None, padding="valid"):
        self.windows = windows = PoolWindows(x.shape, pool_size, strides, padding, "max_pool")
        x_pad = windows.pad(x, _lowest(x.dtype))
        self.arg = None
        if pool_kernels.applies(x) and windows.pool[0] * windows.pool[1] <= 256:
            y, self.arg = pool_kernels.max_pool_forward(x_pad, windows.pool, windows.strides, windows.out)
            return y                                           # compiled: the arg-max is recorded
        views = windows.offsets()
        y = x_pad[next(views)].copy()
        for index in views:
            xp.maximum(y, x_pad[index], out=y)
        self.x_pad, self.y = x_pad, y
        return y

    def backward(self, grad):
        windows = self.windows
        if self.arg is not None:
            return windows.crop(pool_kernels.max_pool_backward(grad, self.arg, windows.pool, windows.strides,
                                                               windows.padded_shape, windows.tiled))
        x_pad, y = self.x_pad, self.y
        make = xp.empty if windows.tiled else xp.zeros        # tiled: every pixel is written below
        grad_pad = make(windows.padded_shape, dtype=grad.dtype)
        unclaimed = xp.ones(y.shape, dtype=bool)               # windows whose max is not yet found
        for index in windows.offsets():
            hit = x_pad[index] == y
            hit &= unclaimed                                   # the first maximal element wins a tie
            unclaimed ^= hit
            if windows.disjoint:
                xp.multiply(grad, hit, out=grad_pad[index])
            else:
                grad_pad[index] += grad * hit
        return windows.crop(grad_pad)


class AvgPool2D(Function):
    """y[b, p, q, c] = (1 / N_pq) · Σ over the window (i, j) of x_pad[b, p·sh + i, q·sw + j, c].

    N_pq counts the window's real pixels: kh·kw for "valid"; with "same", the zero padding
    is not counted (TensorFlow's rule, which Keras follows; PyTorch's ``count_include_pad``
    default counts it), so a border window is the mean of the pixels it really covers.

    Local derivative: ∂y_pq/∂x = 1/N_pq for every real pixel of the window, so backward
    spreads ∂L/∂y_pq / N_pq evenly over the window (summed where windows overlap).
    """

    def forward(self, x, pool_size, strides=None, padding="valid"):
        self.windows = windows = PoolWindows(x.shape, pool_size, strides, padding, "avg_pool")
        x_pad = windows.pad(x, 0)
        views = windows.offsets()
        total = x_pad[next(views)].astype(np.result_type(x.dtype, np.float32), copy=True)
        for index in views:
            xp.add(total, x_pad[index], out=total)
        self.counts = windows.counts(total.dtype)
        total /= self.counts
        return total

    def backward(self, grad):
        windows = self.windows
        share = grad / self.counts                             # ∂L/∂y_pq / N_pq, for each pixel of the window
        (kh, kw), (oh, ow) = windows.pool, windows.out
        n, _, _, c = windows.shape
        if windows.tiled:                                      # each pixel in exactly one window: broadcast
            tiles = xp.empty((n, oh, kh, ow, kw, c), dtype=share.dtype)
            tiles[...] = share[:, :, None, :, None, :]
            return windows.crop(tiles.reshape(windows.padded_shape))
        grad_pad = xp.zeros(windows.padded_shape, dtype=share.dtype)
        for index in windows.offsets():
            grad_pad[index] += share
        return windows.crop(grad_pad)


def pool(function, x, pool_size, strides=None, padding="valid", owner="pool") -> Tensor:
    """Apply a 2-D pooling ``function`` to a (n, h, w, c) image or a (n, t, c) sequence
    (or its 3-D twin, ``conv3d.py``, to a (n, d, h, w, c) volume).

    A sequence is pooled as an image of height 1 (the reshapes are views), with pool
    (1, k) and strides (1, s). ``pool_size`` and ``strides`` are ints or one int per axis.
    """
    x = x if isinstance(x, Tensor) else Tensor(x)
    shape = tuple(x.shape)
    if len(shape) == 3:
        rank_pool = _int_tuple(owner, "pool_size", pool_size, 1)
        rank_strides = rank_pool if strides is None else _int_tuple(owner, "strides", strides, 1)
        pool_output_shape(shape, rank_pool, rank_strides, padding, owner)     # errors in the 1-D shapes
        image = Reshape.apply(x, shape=(shape[0], 1, shape[1], shape[2]))
        y = function.apply(image, pool_size=(1, *rank_pool), strides=(1, *rank_strides), padding=padding)
        return Reshape.apply(y, shape=(shape[0], y.shape[2], shape[2]))
    if len(shape) == 5:
        from .conv3d import pool3d                              # volumes: MaxPool3D / AvgPool3D
        return pool3d(function, x, pool_size, strides, padding)
    if len(shape) != 4:
        raise ValueError(f"{owner}: expected a (batch, steps, channels) or (batch, height, width, channels) input, "
                         f"got shape {shape}")
    return function.apply(x, pool_size=pool_size, strides=strides, padding=padding)

"""Convolution, transposed convolution and pooling over three spatial axes (volumes), channels-last.

A volume is x (n, d, h, w, C): depth, height, width, then channels (a video's frames, a CT
scan's slices). Everything here is the 2-D code of ``conv_ops.py`` and ``pooling.py`` with
one more axis; what changes is only the window bookkeeping, so it is written once, for any
number of axes, by the two helpers below.

vol2col copies every window of the padded volume x̃ into one row of a matrix,

    cols[n, i, j, k, a, b, c, ch] = x̃[n, i·s_d + a·δ_d, j·s_h + b·δ_h, k·s_w + c·δ_w, ch]

(s the strides, δ the dilation), so the convolution is ONE matrix product of the
(n·od·oh·ow, kd·kh·kw·C) windows with the (kd·kh·kw·C, O) kernel. col2vol is its adjoint:
each row is added back onto the voxels it was copied from (windows overlap, hence +=), one
loop over the kd·kh·kw kernel taps — never over voxels or samples::

    a 3×3×3 window slides over the volume; at output (i, j, k) it covers
    x̃[i·s_d : i·s_d + 3, j·s_h : j·s_h + 3, k·s_w : k·s_w + 3]   (one row of cols)

Output size per axis: ⌊(n + p_before + p_after − ((f − 1)·δ + 1)) / s⌋ + 1 (``windows.py``).
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..backend import xp
from ..tensor import Function, Tensor
from .conv_ops import (_add_bias_relu, _group_kernel, _group_output, _group_rows, _per_axis, _ungroup,
                       _ungroup_kernel, column_sums)
from .pooling import AvgPool2D, MaxPool2D, _int_tuple, _lowest, pool_output_shape
from .windows import effective_size, padding_amounts, transposed_crop


# --- the window bookkeeping, for any number of spatial axes -----------------------------------
def tap_slices(taps, strides, dilation, out):
    """For each kernel tap (a, b, c), row-major, the strided slice of the padded volume it reads
    for every output position at once: axis t from a·δ to a·δ + s·(o − 1), step s."""
    for tap in np.ndindex(*taps):
        yield tap, (slice(None), *(slice(t * d, t * d + s * (o - 1) + 1, s)
                                   for t, s, d, o in zip(tap, strides, dilation, out)))


def vol2col(xpad, kernel, strides, dilation, out):
    """Every window of ``xpad`` (n, *spatial, C) as a contiguous (n, *out, *kernel, C) array.

    One strided view (no copy) of all windows, then one copy: no Python loop.
    """
    s_n, *s_spatial, s_c = xpad.strides
    view = as_strided(xpad, (xpad.shape[0], *out, *kernel, xpad.shape[-1]),
                      (s_n, *(st * s for st, s in zip(s_spatial, strides)),
                       *(st * d for st, d in zip(s_spatial, dilation)), s_c), writeable=False)
    return np.ascontiguousarray(view)


def col2vol(cols, padded_shape, strides, dilation):
    """The adjoint of ``vol2col``: cols (n, *out, *kernel, C) added back onto a zero volume."""
    rank = len(padded_shape) - 2
    out, kernel = cols.shape[1:1 + rank], cols.shape[1 + rank:1 + 2 * rank]
    volume = np.zeros(padded_shape, dtype=cols.dtype)
    spatial = (slice(None),) * rank
    for tap, index in tap_slices(kernel, strides, dilation, out):
        volume[index] += cols[(slice(None), *spatial, *tap)]
    return volume


def _check(name, x, W, b, in_axis, out_axis, groups=1):
    if x.ndim != 5 or W.ndim != 5:
        raise ValueError(f"{name}: expected x (batch, depth, height, width, channels) and a 5-D kernel, "
                         f"got shapes {x.shape} and {W.shape}")
    if x.shape[4] != W.shape[in_axis] * groups:
        raise ValueError(f"{name}: the input has {x.shape[4]} channels but the kernel {W.shape} expects "
                         f"{W.shape[in_axis] * groups}")
    if W.shape[out_axis] % groups:
        raise ValueError(f"{name}: the kernel's {W.shape[out_axis]} filters are not divisible by groups {groups}")
    if b is not None and b.shape != (W.shape[out_axis],):
        raise ValueError(f"{name}: bias of shape {b.shape} does not match the kernel's {W.shape[out_axis]} outputs")


class Conv3D(Function):
    """3-D convolution (a cross-correlation), with optional fused bias/ReLU.

        y[n, i, j, k, o] = Σ_{a, b, c, ch} x̃[n, i·s_d + a·δ_d, j·s_h + b·δ_h, k·s_w + c·δ_w, ch] · W[a, b, c, ch, o]
                           + b[o]

    x (n, d, h, w, C); W (kd, kh, kw, C / groups, O), Keras's layout; x̃ is x with ``padding``
    (three (before, after) pairs of zeros). Computed as vol2col(x̃) · W, one GEMM (G batched
    ones with groups). With g = ∂L/∂y as an (n·od·oh·ow, O) matrix:

        ∂L/∂W = colsᵀ · g,   ∂L/∂b = Σ rows of g,   ∂L/∂x = col2vol(g · Wᵀ) without the padding.
    """

    def forward(self, x, W, b=None, strides=(1, 1, 1), padding=((0, 0),) * 3, dilation=(1, 1, 1), groups=1,
                relu=False):
        _check("conv3d", x, W, b, in_axis=3, out_axis=4, groups=groups)
        *kernel, cg, out = W.shape
        if any(before or after for before, after in padding):
            x = np.pad(x, ((0, 0), *padding, (0, 0)))
        sizes = tuple((n - effective_size(k, d)) // s + 1                    # ⌊(n_padded − f_eff)/s⌋ + 1
                      for n, k, s, d in zip(x.shape[1:4], kernel, strides, dilation))
        if min(sizes) <= 0:
            raise ValueError(f"conv3d: a {kernel} kernel (dilation {tuple(dilation)}) does not fit in the padded "
                             f"{x.shape[1:4]} input")
        self.padded_shape, self.padding, self.W = x.shape, padding, W
        self.strides, self.dilation, self.groups = strides, dilation, groups
        taps = int(np.prod(kernel))
        cols = vol2col(x, kernel, strides, dilation, sizes)
        rows = cols.shape[0] * int(np.prod(sizes))
        if groups == 1:
            self.cols = cols.reshape(rows, taps * cg)
            z = self.cols @ W.reshape(-1, out)
        else:
            self.cols = _group_rows(cols.reshape(rows, taps, groups, cg))
            z = _ungroup(self.cols @ _group_kernel(W.reshape(taps, 1, cg, out), groups))
        _add_bias_relu(z, b, relu)
        self.relu_output = z if relu else None
        return z.reshape(x.shape[0], *sizes, out)

    def backward(self, grad):
        need_x, need_W, *need_b = self.needs_input_grad
        *kernel, cg, out = self.W.shape
        taps, groups = int(np.prod(kernel)), self.groups
        g = grad.reshape(-1, out)
        if self.relu_output is not None:
            g = g * (self.relu_output > 0)
        grad_x = grad_W = None
        if groups == 1:
            if need_W:
                grad_W = (self.cols.T @ g).reshape(self.W.shape)
            grad_cols = g @ self.W.reshape(-1, out).T if need_x else None
        else:
            gg, grouped_W = _group_output(g, groups), _group_kernel(self.W.reshape(taps, 1, cg, out), groups)
            if need_W:
                grad_W = _ungroup_kernel(self.cols.transpose(0, 2, 1) @ gg, self.W.shape)
            if need_x:                            # (G, rows, taps·cg) → (rows, taps, G·cg): channel g·cg + c
                grad_cols = (gg @ grouped_W.transpose(0, 2, 1)).reshape(groups, -1, taps, cg).transpose(1, 2, 0, 3)
        if need_x:
            grad_cols = grad_cols.reshape(*grad.shape[:4], *kernel, cg * groups)
            grad_x = col2vol(grad_cols, self.padded_shape, self.strides, self.dilation)
            grad_x = grad_x[(slice(None), *(slice(before, n - after) for n, (before, after)
                                            in zip(grad_x.shape[1:4], self.padding)))]
        if not need_b:
            return grad_x, grad_W
        return grad_x, grad_W, (column_sums(g) if need_b[0] else None)


class ConvTranspose3D(Function):
    """3-D transposed convolution: the adjoint (the input-gradient) of a 3-D convolution.

    Every input voxel scatters a kernel-shaped stamp onto the output:

        ỹ[n, i·s_d + a·δ_d, j·s_h + b·δ_h, k·s_w + c·δ_w, o] += Σ_ch x[n, i, j, k, ch] · W[a, b, c, o, ch]
        y = ỹ[:, window] (+ b[o])

    x (n, d, h, w, C); W (kd, kh, kw, O, C), Keras's Conv3DTranspose layout. ``crop`` is three
    (start, length) pairs choosing the output window (zeros where it reaches past ỹ).
    Computed as col2vol(x · Wᵀ), one GEMM; backward, with ỹ_grad the gradient on the canvas:

        ∂L/∂x = vol2col(ỹ_grad) · W,   ∂L/∂W = vol2col(ỹ_grad)ᵀ · x,   ∂L/∂b = Σ g.
    """

    def forward(self, x, W, b=None, strides=(1, 1, 1), dilation=(1, 1, 1), crop=None):
        _check("conv3d_transpose", x, W, b, in_axis=4, out_axis=3)
        *kernel, out, c = W.shape
        full = tuple((n - 1) * s + effective_size(k, d) for n, k, s, d in zip(x.shape[1:4], kernel, strides, dilation))
        crop = crop if crop is not None else tuple((0, n) for n in full)
        self.canvas = (x.shape[0], *(max(n, start + length) for n, (start, length) in zip(full, crop)), out)
        self.window = (slice(None), *(slice(start, start + length) for start, length in crop))
        self.x, self.W, self.strides, self.dilation = x, W, strides, dilation
        cols = x.reshape(-1, c) @ W.reshape(-1, c).T                      # (n·d·h·w, kd·kh·kw·O)
        y = col2vol(cols.reshape(*x.shape[:4], *kernel, out), self.canvas, strides, dilation)[self.window]
        return _add_bias_relu(np.ascontiguousarray(y), b, False)

    def backward(self, grad):
        need_x, need_W, *need_b = self.needs_input_grad
        *kernel, out, c = self.W.shape
        canvas_grad = np.zeros(self.canvas, dtype=grad.dtype)
        canvas_grad[self.window] = grad
        cols = vol2col(canvas_grad, kernel, self.strides, self.dilation, self.x.shape[1:4])
        cols = cols.reshape(-1, int(np.prod(self.W.shape[:4])))                 # (n·d·h·w, kd·kh·kw·O)
        grad_x = (cols @ self.W.reshape(-1, c)).reshape(self.x.shape) if need_x else None
        grad_W = (cols.T @ self.x.reshape(-1, c)).reshape(self.W.shape) if need_W else None
        if not need_b:
            return grad_x, grad_W
        return grad_x, grad_W, (column_sums(grad.reshape(-1, out)) if need_b[0] else None)


# --- pooling ------------------------------------------------------------------------------------
class VolumeWindows:
    """Where the windows of a 3-D pool over (n, d, h, w, c) lie (``pooling.PoolWindows`` for volumes).

    Attributes:
        pool, strides: (kd, kh, kw) and (sd, sh, sw).
        pads: three (before, after) pairs, the "same" padding (zeros for "valid").
        out: (od, oh, ow); padded_shape: the shape of the padded input.
    """

    def __init__(self, shape, pool_size, strides, padding, owner):
        if len(shape) != 5:
            raise ValueError(f"{owner}: expected an input of rank 5 (batch, depth, height, width, channels), "
                             f"got shape {shape}")
        self.shape = tuple(shape)
        self.pool = _int_tuple(owner, "pool_size", pool_size, 3)
        self.strides = self.pool if strides is None else _int_tuple(owner, "strides", strides, 3)
        self.out = pool_output_shape(shape, self.pool, self.strides, padding, owner)[1:4]
        self.pads = tuple(padding_amounts(n, k, padding, s) for n, k, s in zip(shape[1:4], self.pool, self.strides))
        self.padded_shape = (shape[0], *(n + a + b for n, (a, b) in zip(shape[1:4], self.pads)), shape[4])
        self.disjoint = all(s >= k for k, s in zip(self.pool, self.strides))

    def pad(self, x, fill):
        """x inside a frame of ``fill`` (x itself when there is no padding)."""
        if self.padded_shape == self.shape:
            return x
        padded = xp.full(self.padded_shape, fill, dtype=x.dtype)
        padded[self._inside()] = x
        return padded

    def _inside(self):
        return (slice(None), *(slice(a, a + n) for n, (a, _) in zip(self.shape[1:4], self.pads)))

    def crop(self, grad_padded):
        """The part of a gradient w.r.t. the padded input that belongs to x (the backward of ``pad``)."""
        return grad_padded[self._inside()]

    def offsets(self):
        """For each offset of the window, row-major, the index of its strided view."""
        return (index for _, index in tap_slices(self.pool, self.strides, (1, 1, 1), self.out))

    def counts(self, dtype):
        """How many real (not padded) voxels each window covers: (od, oh, ow, 1), or a number for "valid"."""
        if self.padded_shape == self.shape:
            return int(np.prod(self.pool))
        per_axis = []
        for n, k, s, o, (before, _) in zip(self.shape[1:4], self.pool, self.strides, self.out, self.pads):
            start = np.arange(o) * s - before
            per_axis.append(np.minimum(start + k, n) - np.maximum(start, 0))
        count = per_axis[0][:, None, None] * per_axis[1][None, :, None] * per_axis[2][None, None, :]
        return xp.asarray(count[..., None].astype(dtype))


class MaxPool3D(Function):
    """y[n, p, q, r, c] = max over the window (i, j, k) of x_pad[n, p·sd + i, q·sh + j, r·sw + k, c].

    "same" pads with −∞. Backward routes each ∂L/∂y to its window's arg-max (∂y/∂x = 1 there,
    0 elsewhere), summed where overlapping windows share it; a tie goes to the FIRST maximal
    element in row-major window order, as ``MaxPool2D``.
    """

    def forward(self, x, pool_size, strides=None, padding="valid"):
        self.windows = windows = VolumeWindows(x.shape, pool_size, strides, padding, "max_pool")
        self.x_pad = x_pad = windows.pad(x, _lowest(x.dtype))
        views = windows.offsets()
        y = x_pad[next(views)].copy()
        for index in views:
            xp.maximum(y, x_pad[index], out=y)
        self.y = y
        return y

    def backward(self, grad):
        windows = self.windows
        grad_pad = xp.zeros(windows.padded_shape, dtype=grad.dtype)
        unclaimed = xp.ones(self.y.shape, dtype=bool)          # windows whose max is not yet found
        for index in windows.offsets():
            hit = self.x_pad[index] == self.y
            hit &= unclaimed
            unclaimed ^= hit
            grad_pad[index] += grad * hit
        return windows.crop(grad_pad)


class AvgPool3D(Function):
    """y[n, p, q, r, c] = (1 / N_pqr) · Σ over the window (i, j, k) of x_pad[n, p·sd + i, q·sh + j, r·sw + k, c].

    N_pqr counts the window's real voxels ("same" padding is not counted, Keras's rule).
    Backward spreads ∂L/∂y_pqr / N_pqr evenly over the window (summed where windows overlap).
    """

    def forward(self, x, pool_size, strides=None, padding="valid"):
        self.windows = windows = VolumeWindows(x.shape, pool_size, strides, padding, "average_pool")
        x_pad = windows.pad(x, 0)
        views = windows.offsets()
        total = x_pad[next(views)].astype(np.result_type(x.dtype, np.float32), copy=True)
        for index in views:
            xp.add(total, x_pad[index], out=total)
        self.counts = windows.counts(total.dtype)
        total /= self.counts
        return total

    def backward(self, grad):
        share = grad / self.counts
        grad_pad = xp.zeros(self.windows.padded_shape, dtype=share.dtype)
        for index in self.windows.offsets():
            grad_pad[index] += share
        return self.windows.crop(grad_pad)


# --- the functional forms (``conv_ops.conv``/``conv_transpose`` and ``pooling.pool`` send 5-D input here) ----
def conv3d(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1, groups=1, relu=False):
    """3-D convolution of a channels-last (n, d, h, w, C) batch with a (kd, kh, kw, C/groups, O) kernel."""
    strides, dilation = _per_axis(strides, 3), _per_axis(dilation_rate, 3)
    pads = tuple(padding_amounts(n, k, padding, s, d)
                 for n, k, s, d in zip(x.shape[1:4], kernel.shape[:3], strides, dilation))
    return Conv3D.apply(*([x, kernel] if bias is None else [x, kernel, bias]), strides=strides, padding=pads,
                        dilation=dilation, groups=groups, relu=relu)


def conv3d_transpose(x, kernel, bias=None, strides=1, padding="valid", output_padding=None, dilation_rate=1):
    """3-D transposed convolution with Keras's output size and alignment (``windows.transposed_crop``)."""
    strides, dilation = _per_axis(strides, 3), _per_axis(dilation_rate, 3)
    extra = (None,) * 3 if output_padding is None else _per_axis(output_padding, 3)
    crop = tuple(transposed_crop(n, k, padding, s, d, e)
                 for n, k, s, d, e in zip(x.shape[1:4], kernel.shape[:3], strides, dilation, extra))
    return ConvTranspose3D.apply(*([x, kernel] if bias is None else [x, kernel, bias]), strides=strides,
                                 dilation=dilation, crop=crop)


VOLUME_POOLS = {MaxPool2D: MaxPool3D, AvgPool2D: AvgPool3D}


def pool3d(function, x, pool_size, strides=None, padding="valid") -> Tensor:
    """The 3-D twin of a 2-D pooling ``function`` (MaxPool2D or AvgPool2D) on a 5-D input."""
    return VOLUME_POOLS.get(function, function).apply(x, pool_size=pool_size, strides=strides, padding=padding)

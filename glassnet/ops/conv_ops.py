"""Convolution and transposed convolution over two spatial axes, channels-last, by im2col.

A 1-D convolution is the 2-D one on a height-1 image (the layers add that axis as a view).
Both ops take their padding as explicit (before, after) pairs; ``windows.py`` turns Keras's
"valid" / "same" / "causal" into those numbers.
"""
from __future__ import annotations

import numpy as np

from ..backend import xp
from ..tensor import Function
from . import relu_kernels
from .im2col import col2im_taps, im2col, im2col_taps
from .shape_ops import Reshape
from .windows import effective_size, padding_amounts, transposed_crop


def _check(name, x, W, b, in_axis, out_axis, groups=1):
    if x.ndim != 4 or W.ndim != 4:
        raise ValueError(f"{name}: expected x (batch, height, width, channels) and a 4-D kernel, "
                         f"got shapes {x.shape} and {W.shape}")
    if x.shape[3] != W.shape[in_axis] * groups:
        raise ValueError(f"{name}: the input has {x.shape[3]} channels but the kernel {W.shape} expects "
                         f"{W.shape[in_axis] * groups}")
    if b is not None and b.shape != (W.shape[out_axis],):
        raise ValueError(f"{name}: bias of shape {b.shape} does not match the kernel's {W.shape[out_axis]} outputs")


def _add_bias_relu(z, b, relu):
    """z + b, then max(0, ·), both in place on the product's fresh output."""
    if b is not None:
        z += b
    if relu:
        xp.maximum(z, 0, out=z)
    return z


class Conv(Function):
    """2-D convolution (a cross-correlation, as in every framework), with optional fused bias/ReLU.

        y[n, i, j, o] = Σ_{a, b, c} x̃[n, i·s_h + a·d_h, j·s_w + b·d_w, c] · W[a, b, c, o] + b[o]

    x (n, h, w, C); W (kh, kw, C / groups, O), Keras's layout; x̃ is x with ``padding``
    ((top, bottom), (left, right)) zeros; s the strides, d the dilation. With ``groups`` = G
    the channels split into G groups and output group g sees only input group g.
    Output size per axis: ⌊(n + p_before + p_after − ((k − 1)·d + 1)) / s⌋ + 1.

    Computed as im2col(x̃) · W: one (n·oh·ow, kh·kw·C) × (kh·kw·C, O) matrix product
    (G batched products with groups). Local derivatives, g = ∂L/∂y as an (n·oh·ow, O) matrix:

        ∂L/∂W = colsᵀ · g,   ∂L/∂b = Σ rows of g,   ∂L/∂x = col2im(g · Wᵀ) without the padding.
    """

    def forward(self, x, W, b=None, strides=(1, 1), padding=((0, 0), (0, 0)), dilation=(1, 1),
                groups=1, relu=False):
        _check("conv", x, W, b, in_axis=2, out_axis=3, groups=groups)
        kh, kw, cg, out = W.shape
        (top, bottom), (left, right) = padding
        if top or bottom or left or right:
            x = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
        oh = (x.shape[1] - effective_size(kh, dilation[0])) // strides[0] + 1
        ow = (x.shape[2] - effective_size(kw, dilation[1])) // strides[1] + 1
        if oh <= 0 or ow <= 0:
            raise ValueError(f"conv: a {kh}×{kw} kernel (dilation {tuple(dilation)}) does not fit in the padded "
                             f"{x.shape[1]}×{x.shape[2]} input (input shape {x.shape})")
        self.padded_shape, self.padding = x.shape, padding
        self.W, self.strides, self.dilation, self.groups = W, strides, dilation, groups
        rows = x.shape[0] * oh * ow
        if groups == 1 and x.shape[3] == 1:
            # one channel: the windows tap by tap are already the (kh·kw, rows) matrix, transposed
            self.cols = im2col_taps(x, (kh, kw), strides, dilation, (oh, ow)).reshape(kh * kw, rows).T
            z = self.cols @ W.reshape(-1, out)
        elif groups == 1:
            self.cols = im2col(x, (kh, kw), strides, dilation, (oh, ow)).reshape(rows, kh * kw * cg)
            z = self.cols @ W.reshape(-1, out)
        else:
            cols = im2col(x, (kh, kw), strides, dilation, (oh, ow))
            self.cols = _group_rows(cols.reshape(rows, kh * kw, groups, cg))
            z = _ungroup(self.cols @ _group_kernel(W, groups))
        _add_bias_relu(z, b, relu)
        self.relu_output = z if relu else None      # y > 0 exactly where the sum was: backward's mask
        return z.reshape(x.shape[0], oh, ow, out)

    def backward(self, grad):
        need_x, need_W, *need_b = self.needs_input_grad
        kh, kw, cg, out = self.W.shape
        g = grad.reshape(-1, out)
        bias_grad = None
        if self.relu_output is not None and relu_kernels.applies(g, self.relu_output):
            g, bias_grad = relu_kernels.relu_backward(g, self.relu_output)     # one compiled pass
        elif self.relu_output is not None:
            g = g * (self.relu_output > 0)
        grad_x = grad_W = None
        n, oh, ow = grad.shape[:3]
        if self.groups == 1:
            if need_W:
                grad_W = (self.cols.T @ g).reshape(self.W.shape)
            if need_x:
                # g · Wᵀ tap by tap, straight into the layout col2im adds fastest
                taps = self.W.reshape(kh * kw, cg, out)
                grad_cols = np.empty((kh * kw, g.shape[0], cg), dtype=g.dtype)
                for t in range(kh * kw):
                    np.matmul(g, taps[t].T, out=grad_cols[t])
                grad_cols = grad_cols.reshape(kh, kw, n, oh, ow, cg)
        else:
            gg = _group_output(g, self.groups)
            if need_W:
                grad_W = _ungroup_kernel(self.cols.transpose(0, 2, 1) @ gg, self.W.shape)
            if need_x:
                grad_cols = _ungroup_rows(gg @ _group_kernel(self.W, self.groups).transpose(0, 2, 1),
                                          (kh, kw, n, oh, ow, cg * self.groups))
        if need_x:
            grad_x = col2im_taps(grad_cols, self.padded_shape, self.strides, self.dilation)
            (top, bottom), (left, right) = self.padding
            grad_x = grad_x[:, top:grad_x.shape[1] - bottom, left:grad_x.shape[2] - right]
        if not need_b:
            return grad_x, grad_W
        if need_b[0] and bias_grad is None:
            bias_grad = column_sums(g)
        return grad_x, grad_W, (bias_grad if need_b[0] else None)


def column_sums(g):
    """Σ over the rows of a tall (rows, k) matrix, as one BLAS product with a vector of ones
    (NumPy's g.sum(axis=0) walks the rows in short strides, ~4× slower at 50,000 × 32)."""
    return np.ones(g.shape[0], dtype=g.dtype) @ g


# --- groups: G independent products, batched as (G, rows, k) @ (G, k, out/G) ------------------
def _group_rows(cols):
    """(rows, kh·kw, G, C/G) windows → (G, rows, kh·kw·C/G), one matrix per group."""
    rows, taps, groups, cg = cols.shape
    return np.ascontiguousarray(cols.transpose(2, 0, 1, 3)).reshape(groups, rows, taps * cg)


def _ungroup_rows(grouped, shape):
    """(G, rows, kh·kw·C/G) → (kh, kw, n, oh, ow, C), tap by tap, as col2im_taps reads them."""
    groups, rows, _ = grouped.shape
    kh, kw = shape[:2]
    return grouped.reshape(groups, rows, kh * kw, -1).transpose(2, 1, 0, 3).reshape(shape)


def _group_kernel(W, groups):
    """(kh, kw, C/G, O) kernel → (G, kh·kw·C/G, O/G): output group g's columns."""
    kh, kw, cg, out = W.shape
    return W.reshape(kh * kw * cg, groups, out // groups).transpose(1, 0, 2)


def _ungroup_kernel(grouped, shape):
    """(G, kh·kw·C/G, O/G) → (kh, kw, C/G, O): the inverse of ``_group_kernel``."""
    return grouped.transpose(1, 0, 2).reshape(shape)


def _ungroup(z):
    """(G, rows, O/G) per-group outputs → (rows, O), group g's channels at [g·O/G, (g+1)·O/G)."""
    groups, rows, og = z.shape
    return np.ascontiguousarray(z.transpose(1, 0, 2)).reshape(rows, groups * og)


def _group_output(g, groups):
    """(rows, O) → (G, rows, O/G): the inverse of ``_ungroup``."""
    return g.reshape(g.shape[0], groups, -1).transpose(1, 0, 2)


class ConvTranspose(Function):
    """2-D transposed convolution: the adjoint (the input-gradient) of a convolution.

    Every input pixel scatters a kernel-shaped stamp of its values onto the output:

        ỹ[n, i·s_h + a·d_h, j·s_w + b·d_w, o] += Σ_c x[n, i, j, c] · W[a, b, o, c]
        y = ỹ[:, top : top + out_h, left : left + out_w] (+ b[o])

    x (n, h, w, C); W (kh, kw, O, C), Keras's layout for Conv2DTranspose. The full ỹ has
    (h − 1)·s + (kh − 1)·d + 1 rows; ``crop`` = ((top, out_h), (left, out_w)) picks the output
    window (zeros where it reaches past ỹ). Computed as col2im(x · Wᵀ); backward:

        ∂L/∂x = im2col(ỹ_grad) · W,   ∂L/∂W = im2col(ỹ_grad)ᵀ · x,   ∂L/∂b = Σ g.
    """

    def forward(self, x, W, b=None, strides=(1, 1), dilation=(1, 1), crop=None):
        _check("conv_transpose", x, W, b, in_axis=3, out_axis=2)
        n, h, w, c = x.shape
        kh, kw, out, _ = W.shape
        full_h = (h - 1) * strides[0] + effective_size(kh, dilation[0])
        full_w = (w - 1) * strides[1] + effective_size(kw, dilation[1])
        (top, out_h), (left, out_w) = crop if crop is not None else ((0, full_h), (0, full_w))
        canvas = (n, max(full_h, top + out_h), max(full_w, left + out_w), out)
        self.x, self.W, self.strides, self.dilation = x, W, strides, dilation
        self.canvas, self.window = canvas, (slice(None), slice(top, top + out_h), slice(left, left + out_w))
        taps = W.reshape(kh * kw, out, c)
        cols = np.empty((kh * kw, n * h * w, out), dtype=x.dtype)
        for t in range(kh * kw):                       # x · Wᵀ, one kernel tap at a time
            np.matmul(x.reshape(-1, c), taps[t].T, out=cols[t])
        y = col2im_taps(cols.reshape(kh, kw, n, h, w, out), canvas, strides, dilation)[self.window]
        y = np.ascontiguousarray(y)
        return _add_bias_relu(y, b, False)

    def backward(self, grad):
        need_x, need_W, *need_b = self.needs_input_grad
        n, h, w, c = self.x.shape
        kh, kw, out, _ = self.W.shape
        canvas_grad = np.zeros(self.canvas, dtype=grad.dtype)
        canvas_grad[self.window] = grad
        cols = im2col(canvas_grad, (kh, kw), self.strides, self.dilation, (h, w)).reshape(n * h * w, -1)
        grad_x = (cols @ self.W.reshape(-1, c)).reshape(self.x.shape) if need_x else None
        grad_W = (cols.T @ self.x.reshape(-1, c)).reshape(self.W.shape) if need_W else None
        if not need_b:
            return grad_x, grad_W
        return grad_x, grad_W, (column_sums(grad.reshape(-1, grad.shape[-1])) if need_b[0] else None)


# --- the functional forms, with Keras's padding names and 1-D or 2-D inputs ---------------------
def _per_axis(value, rank):
    return (int(value),) * rank if np.ndim(value) == 0 else tuple(int(v) for v in value)


def _as_2d(x, kernel, rank, name):
    """A 1-D problem (n, L, C) with kernel (k, ·, ·) as a 2-D one of height 1 (views, no copies)."""
    if rank == 2:
        return x, kernel
    if rank != 1:
        raise ValueError(f"{name}: expected a 3-D (batch, steps, channels) or 4-D (batch, height, width, channels) "
                         f"input, got shape {tuple(x.shape)}")
    return Reshape.apply(x, shape=(x.shape[0], 1, *x.shape[1:])), Reshape.apply(kernel, shape=(1, *kernel.shape))


def conv(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1, groups=1, relu=False):
    """Convolution of a channels-last batch ``x`` (1, 2 or 3 spatial axes) with a Keras-layout kernel.

    ``padding`` is "valid", "same", "causal" (1-D) or an int p per side; ``relu=True`` fuses
    max(0, ·) after the bias. Returns (batch, *out_spatial, filters). A 5-D input goes to ``conv3d.py``.
    """
    if x.ndim == 5:
        from .conv3d import conv3d
        return conv3d(x, kernel, bias, strides, padding, dilation_rate, groups, relu)
    rank = x.ndim - 2
    x2, k2 = _as_2d(x, kernel, rank, "conv")
    strides, dilation = _per_axis(strides, rank), _per_axis(dilation_rate, rank)
    pads = tuple(padding_amounts(n, k, padding, s, d)
                 for n, k, s, d in zip(x.shape[1:-1], kernel.shape[:rank], strides, dilation))
    if rank == 1:
        strides, dilation, pads = (1, *strides), (1, *dilation), ((0, 0), *pads)
    y = Conv.apply(*([x2, k2] if bias is None else [x2, k2, bias]), strides=strides, padding=pads,
                   dilation=dilation, groups=groups, relu=relu)
    return y if rank == 2 else Reshape.apply(y, shape=(y.shape[0], *y.shape[2:]))


def conv_transpose(x, kernel, bias=None, strides=1, padding="valid", output_padding=None, dilation_rate=1):
    """Transposed convolution with Keras's output size and alignment (see ``transposed_crop``);
    a 5-D input goes to ``conv3d.py``."""
    if x.ndim == 5:
        from .conv3d import conv3d_transpose
        return conv3d_transpose(x, kernel, bias, strides, padding, output_padding, dilation_rate)
    rank = x.ndim - 2
    x2, k2 = _as_2d(x, kernel, rank, "conv_transpose")
    strides, dilation = _per_axis(strides, rank), _per_axis(dilation_rate, rank)
    extra = (None,) * rank if output_padding is None else _per_axis(output_padding, rank)
    crop = tuple(transposed_crop(n, k, padding, s, d, e)
                 for n, k, s, d, e in zip(x.shape[1:-1], kernel.shape[:rank], strides, dilation, extra))
    if rank == 1:
        strides, dilation, crop = (1, *strides), (1, *dilation), ((0, 1), *crop)
    y = ConvTranspose.apply(*([x2, k2] if bias is None else [x2, k2, bias]), strides=strides,
                            dilation=dilation, crop=crop)
    return y if rank == 2 else Reshape.apply(y, shape=(y.shape[0], *y.shape[2:]))

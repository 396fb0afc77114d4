"""im2col and col2im: a convolution as one matrix product.

im2col copies every window of a padded image into one row of a matrix:

    cols[n, i, j, a, b, c] = x̃[n, i·s_h + a·d_h, j·s_w + b·d_w, c]

so that the (n·oh·ow, kh·kw·c) matrix of windows times the (kh·kw·c, out) kernel is the
convolution — one BLAS call instead of a loop over pixels.

col2im is its adjoint: it adds each window's row back onto the pixels it was copied from,

    x̃_grad[n, i·s_h + a·d_h, j·s_w + b·d_w, c] += cols[n, i, j, a, b, c]

(windows overlap when the stride is smaller than the kernel, hence +=). It is the backward
of im2col, and the forward of a transposed convolution.
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

# Below this many channels, copying one kernel tap at a time beats one strided copy of the
# whole 6-D view (the view's innermost run, c numbers, is too short).
_FEW_CHANNELS = 8


def windows_view(xpad, kernel, strides, dilation, out_hw):
    """The (n, oh, ow, kh, kw, c) read-only view of every window of ``xpad`` (no copy)."""
    n, _, _, c = xpad.shape
    (kh, kw), (sh, sw), (dh, dw), (oh, ow) = kernel, strides, dilation, out_hw
    s_n, s_h, s_w, s_c = xpad.strides
    return as_strided(xpad, (n, oh, ow, kh, kw, c), (s_n, s_h * sh, s_w * sw, s_h * dh, s_w * dw, s_c),
                      writeable=False)


def _offset_slices(a, b, strides, dilation, out_hw):
    """The strided slice of the padded image that kernel tap (a, b) sees for every output pixel."""
    (sh, sw), (dh, dw), (oh, ow) = strides, dilation, out_hw
    return (slice(None), slice(a * dh, a * dh + sh * (oh - 1) + 1, sh),
            slice(b * dw, b * dw + sw * (ow - 1) + 1, sw), slice(None))


def im2col(xpad, kernel, strides, dilation, out_hw):
    """Every window of the padded image ``xpad`` (n, H, W, c), as an (n, oh, ow, kh, kw, c) array.

    A 1×1 kernel at stride 1 sees each pixel once: the windows are the image itself (a view).
    """
    if tuple(kernel) == (1, 1) and tuple(strides) == (1, 1):
        return xpad.reshape(*xpad.shape[:3], 1, 1, xpad.shape[3])
    if xpad.shape[-1] >= _FEW_CHANNELS:
        return np.ascontiguousarray(windows_view(xpad, kernel, strides, dilation, out_hw))
    return np.ascontiguousarray(im2col_taps(xpad, kernel, strides, dilation, out_hw).transpose(2, 3, 4, 0, 1, 5))


def im2col_taps(xpad, kernel, strides, dilation, out_hw):
    """The same windows ordered tap by tap: (kh, kw, n, oh, ow, c), cols[a, b] = x̃[a-th, b-th strided slice].

    Each tap's block is one strided copy of the image, so this is the fast layout when there are
    few channels (a 1-channel image's windows are then a ready (kh·kw, n·oh·ow) matrix).
    """
    kh, kw = kernel
    cols = np.empty((kh, kw, xpad.shape[0], *out_hw, xpad.shape[-1]), dtype=xpad.dtype)
    for a in range(kh):
        for b in range(kw):
            cols[a, b] = xpad[_offset_slices(a, b, strides, dilation, out_hw)]
    return cols


def col2im_taps(cols, padded_shape, strides, dilation):
    """The adjoint of im2col, for windows ordered tap by tap (kh, kw, n, oh, ow, c): each tap's block
    is added back onto the zero image of ``padded_shape`` at its strided slice."""
    kh, kw, _, oh, ow, _ = cols.shape
    image = np.zeros(padded_shape, dtype=cols.dtype)
    for a in range(kh):
        for b in range(kw):
            image[_offset_slices(a, b, strides, dilation, (oh, ow))] += cols[a, b]
    return image

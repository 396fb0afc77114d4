"""Max pooling as two compiled loops (Numba): an optional accelerator for ``pooling.MaxPool2D``.

The NumPy pool (``pooling.py``) makes kh·kw passes over strided views whose innermost
contiguous run is one pixel's c channels; NumPy pays its per-inner-loop cost for every
pixel, four times over for a 2×2 pool, and the backward recomputes which element was the
maximum. Compiled, the forward reads each input once and also records, per output, which
window offset held the maximum (one byte); the backward just follows that record:

    forward:   y[b, p, q, c] = max_{i, j} x̃[b, p·sh + i, q·sw + j, c],   arg = i·kw + j of the FIRST max
    backward:  x̃_grad[b, p·sh + i, q·sw + j, c] += g[b, p, q, c]   for (i, j) = arg[b, p, q, c]

"First" is in row-major window order — the NumPy pool's (and PyTorch's) tie rule — so both
paths give the same numbers (the tests check it). A NaN in a window makes the output NaN,
as NumPy's maximum does.
"""
from __future__ import annotations

import numpy as np

from .. import kernels as switch


def applies(x) -> bool:
    """Whether the compiled pool can take ``x``: float32/float64, at most 256 window offsets."""
    return x.dtype in (np.float32, np.float64) and switch.enabled() and _kernels() is not None


def _build():
    import types

    import numba

    @numba.njit(cache=True, nogil=True)
    def forward(x, kh, kw, sh, sw, y, arg):
        n, oh, ow, c = y.shape
        for b in range(n):
            for p in range(oh):
                for q in range(ow):
                    top, left = p * sh, q * sw
                    for ch in range(c):
                        y[b, p, q, ch] = x[b, top, left, ch]
                        arg[b, p, q, ch] = 0
                    for i in range(kh):
                        for j in range(kw):
                            k = i * kw + j
                            if k == 0:
                                continue
                            for ch in range(c):
                                v = x[b, top + i, left + j, ch]
                                current = y[b, p, q, ch]
                                if v > current or (v != v and current == current):
                                    y[b, p, q, ch] = v
                                    arg[b, p, q, ch] = k

    @numba.njit(cache=True, nogil=True)
    def backward(g, arg, kh, kw, sh, sw, tiled, out):
        n, oh, ow, c = g.shape
        zero = out.dtype.type(0)
        if tiled:                              # every pixel in exactly one window: write all of them
            for b in range(n):
                for p in range(oh):
                    for q in range(ow):
                        for i in range(kh):
                            for j in range(kw):
                                k = i * kw + j
                                for ch in range(c):
                                    out[b, p * sh + i, q * sw + j, ch] = g[b, p, q, ch] if arg[b, p, q, ch] == k else zero
            return
        out[...] = zero                        # windows overlap or leave gaps: zero, then add,
        for k in range(kh * kw):               # offset by offset as the NumPy pool adds (same sums)
            i, j = k // kw, k % kw
            for b in range(n):
                for p in range(oh):
                    for q in range(ow):
                        for ch in range(c):
                            if arg[b, p, q, ch] == k:
                                out[b, p * sh + i, q * sw + j, ch] += g[b, p, q, ch]

    return types.SimpleNamespace(forward=forward, backward=backward)


_kernels = switch.Compiled(_build).get

def max_pool_forward(x_pad, pool, strides, out_hw):
    """(y, arg): the window maxima of the padded image and the offset of each one's first maximum."""
    shape = (x_pad.shape[0], *out_hw, x_pad.shape[3])
    y, arg = np.empty(shape, dtype=x_pad.dtype), np.empty(shape, dtype=np.uint8)
    _kernels().forward(np.ascontiguousarray(x_pad), pool[0], pool[1], strides[0], strides[1], y, arg)
    return y, arg


def max_pool_backward(grad, arg, pool, strides, padded_shape, tiled):
    """The gradient w.r.t. the padded image: each ∂L/∂y added at its window's recorded maximum.

    ``tiled``: the windows cover the image exactly once (pool = stride, no remainder), so the
    kernel writes every pixel and the buffer needs no zeroing first (np.zeros of a fresh
    6 MB buffer costs more than the whole loop: the kernel zero-fills its pages on first touch).
    """
    out = np.empty(padded_shape, dtype=grad.dtype)
    _kernels().backward(np.ascontiguousarray(grad), arg, pool[0], pool[1], strides[0], strides[1], tiled, out)
    return out

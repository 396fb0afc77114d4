"""MaxPooling1D, MaxPooling2D and MaxPooling3D: keep the largest value of each window."""
from __future__ import annotations

from ... import ops
from .base_pooling import BasePooling


class MaxPooling2D(BasePooling):
    """Max pooling over images (batch, height, width, channels), channel by channel.

    Formula: y[b, p, q, c] = max_{0≤i<kh, 0≤j<kw} x[b, p·sh + i, q·sw + j, c]

    The course's example, a 2×2 pool with stride 2 keeps the largest value of each block::

        1 3 2 1
        4 6 5 0      →    6 5
        7 2 1 9           8 9
        0 8 3 4

    Output rows (and columns): ⌊(n − k)/s⌋ + 1 for ``padding="valid"``; ⌈n/s⌉ for "same",
    which pads with −∞ and puts the odd extra row/column at the bottom/right (Keras's and
    TensorFlow's rule). Backward: ∂L/∂x is ∂L/∂y at each window's arg-max and 0 elsewhere;
    a tie goes to the first maximal pixel in row-major window order (PyTorch's rule).

    Args:
        pool_size: int or (kh, kw), the window (default (2, 2)).
        strides: int or (sh, sw); None (default) means ``pool_size``: windows side by side.
        padding: "valid" (default) or "same".
        data_format: "channels_last" or "channels_first" (channels before the spatial axes; None: the
            backend's image_data_format, "channels_last" by default).

    Input shape:
        (batch, height, width, channels).

    Output shape:
        (batch, pooled_height, pooled_width, channels).
    """

    rank, pool = 2, staticmethod(ops.max_pool)

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)


class MaxPooling1D(BasePooling):
    """Max pooling over sequences (batch, steps, features), feature by feature.

    Formula: y[b, t, c] = max_{0≤i<k} x[b, t·s + i, c]   (⌊(n − k)/s⌋ + 1 steps, or ⌈n/s⌉ with "same").

    Args:
        pool_size: int, the window (default 2).
        strides: int; None (default) means ``pool_size``.
        padding: "valid" (default) or "same" (−∞ padding, the odd extra step at the end).
        data_format: "channels_last" or "channels_first" (channels before the spatial axes; None: the
            backend's image_data_format, "channels_last" by default).

    Input shape:
        (batch, steps, features).

    Output shape:
        (batch, downsampled_steps, features).
    """

    rank, pool = 1, staticmethod(ops.max_pool)

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)


class MaxPooling3D(BasePooling):
    """Max pooling over volumes (batch, depth, height, width, channels), channel by channel.

    Formula: y[b, p, q, r, c] = max_{0≤i<kd, 0≤j<kh, 0≤k<kw} x[b, p·sd + i, q·sh + j, r·sw + k, c]

    Output size per axis: ⌊(n − k)/s⌋ + 1 ("valid") or ⌈n/s⌉ ("same", −∞ padding, the odd extra
    voxel at the end). Backward: ∂L/∂y goes to each window's first arg-max (row-major).

    Args:
        pool_size: int or (kd, kh, kw) (default (2, 2, 2)).
        strides: int or (sd, sh, sw); None (default) means ``pool_size``.
        padding: "valid" (default) or "same".
        data_format: "channels_last" or "channels_first" (None: the backend's image_data_format).

    Input shape:
        (batch, depth, height, width, channels), or (batch, channels, depth, height, width).

    Output shape:
        (batch, pooled_depth, pooled_height, pooled_width, channels), or channels first.
    """

    rank, pool = 3, staticmethod(ops.max_pool)

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)

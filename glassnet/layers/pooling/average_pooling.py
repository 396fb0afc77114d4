"""AveragePooling1D, AveragePooling2D and AveragePooling3D: the mean of each window."""
from __future__ import annotations

from ... import ops
from .base_pooling import BasePooling


class AveragePooling2D(BasePooling):
    """Average pooling over images (batch, height, width, channels), channel by channel.

    Formula: y[b, p, q, c] = (1 / N_pq) · Σ_{i, j} x[b, p·sh + i, q·sw + j, c]

    N_pq is the number of real pixels under the window: kh·kw with ``padding="valid"``.
    With "same" the padding is NOT counted (Keras's and TensorFlow's rule; PyTorch's
    ``avg_pool2d`` counts it by default), so a 3×3 window over the corner of the image,
    covering 2×2 real pixels, is their mean. The 2×2 pool of the course's 4×4 example::

        1 3 2 1
        4 6 5 0      →    3.5   2
        7 2 1 9           4.25  4.25
        0 8 3 4

    Backward: ∂L/∂x spreads each ∂L/∂y_pq / N_pq evenly over the window's pixels.

    Args:
        pool_size: int or (kh, kw), the window (required, as in Keras).
        strides: int or (sh, sw); None (default) means ``pool_size``.
        padding: "valid" (default) or "same" (output ⌈n/s⌉; odd extra row/column at the end).
        data_format: "channels_last" or "channels_first" (channels before the spatial axes; None: the
            backend's image_data_format, "channels_last" by default).

    Input shape:
        (batch, height, width, channels).

    Output shape:
        (batch, pooled_height, pooled_width, channels).
    """

    rank, pool = 2, staticmethod(ops.avg_pool)

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)


class AveragePooling1D(BasePooling):
    """Average pooling over sequences (batch, steps, features), feature by feature.

    Formula: y[b, t, c] = (1 / N_t) · Σ_{0≤i<k} x[b, t·s + i, c],  N_t = the real (unpadded)
    steps under the window (k for "valid").

    Args:
        pool_size: int, the window (required, as in Keras).
        strides: int; None (default) means ``pool_size``.
        padding: "valid" (default) or "same".
        data_format: "channels_last" or "channels_first" (channels before the spatial axes; None: the
            backend's image_data_format, "channels_last" by default).

    Input shape:
        (batch, steps, features).

    Output shape:
        (batch, downsampled_steps, features).
    """

    rank, pool = 1, staticmethod(ops.avg_pool)

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)


class AveragePooling3D(BasePooling):
    """Average pooling over volumes (batch, depth, height, width, channels), channel by channel.

    Formula: y[b, p, q, r, c] = (1 / N_pqr) · Σ_{i, j, k} x[b, p·sd + i, q·sh + j, r·sw + k, c]

    N_pqr is the number of real voxels under the window (kd·kh·kw for "valid"; "same" padding is
    not counted, as in Keras). Backward spreads ∂L/∂y_pqr / N_pqr over the window.

    Args:
        pool_size: int or (kd, kh, kw), the window (required, as in Keras).
        strides: int or (sd, sh, sw); None (default) means ``pool_size``.
        padding: "valid" (default) or "same".
        data_format: "channels_last" or "channels_first" (None: the backend's image_data_format).

    Input shape:
        (batch, depth, height, width, channels), or (batch, channels, depth, height, width).

    Output shape:
        (batch, pooled_depth, pooled_height, pooled_width, channels), or channels first.
    """

    rank, pool = 3, staticmethod(ops.avg_pool)

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)

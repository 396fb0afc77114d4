"""Conv1D, Conv2D and Conv3D: the convolution layers of the CNN chapter."""
from __future__ import annotations

from .base_conv import BaseConv


class Conv2D(BaseConv):
    """2-D convolution over images (batch, height, width, channels).

    Formula: y[n, i, j, o] = a( Σ_{p, q, c} x̃[n, i·s_h + p·d_h, j·s_w + q·d_w, c] · W[p, q, c, o] + b[o] )

    Each filter W[:, :, :, o] slides over the image; at every stop the output is the sum of
    the products of the filter with the pixels under it (a cross-correlation — no framework
    flips the kernel)::

        x (6×6)                    W (3×3)          y (4×4)
        ┌─────────┐· · ·
        │ 3  0  1 │ 2  7  4        1  0  −1         y[0, 0] = 3·1 + 0·0 + 1·(−1)
        │ 1  5  8 │ 9  3  1    ⊛   1  0  −1    →             + 1·1 + 5·0 + 8·(−1)
        │ 2  7  2 │ 5  1  3        1  0  −1                 + 2·1 + 7·0 + 2·(−1) = −5
        └─────────┘· · ·                            then one column right: y[0, 1], …
          0  1  3  1  7  8
          4  2  1  6  2  8
          2  4  5  2  3  9

    The output has ⌊(n + 2p − f)/s⌋ + 1 rows and columns:

    * a 6×6 image ⊛ a 3×3 filter → 4×4 (``padding="valid"``, p = 0);
    * ``padding="same"`` pads so that stride 1 keeps 6×6 (p = 1 for a 3×3 filter); when the
      padding is odd the extra row/column goes at the bottom/right;
    * ``strides=2`` halves the size (⌈n/2⌉ with "same").

    The course's vertical-edge filter [[1, 0, −1]] × 3 rows, on an image bright on the left
    and dark on the right, gives a bright band where the edge is.

    Args:
        filters: the number of filters (output channels).
        kernel_size: int or (kh, kw).
        strides: int or (sh, sw) (default 1).
        padding: "valid" (no padding) or "same".
        data_format: "channels_last" or "channels_first" (channels before the spatial axes; None: the
            backend's image_data_format, "channels_last" by default).
        dilation_rate: int or (dh, dw): taps d apart (an "atrous" kernel); not with strides > 1.
        groups: split the input channels into this many groups, each with its own filters.
        activation, use_bias, kernel_initializer ("glorot_uniform"), bias_initializer ("zeros"),
        kernel_regularizer, bias_regularizer, activity_regularizer, kernel_constraint,
        bias_constraint: as in Dense.

    Weights: kernel (kh, kw, in_channels / groups, filters), bias (filters,).

    Input shape: (batch, height, width, channels), or (batch, channels, height, width) channels first.
    Output: (batch, new_height, new_width, filters), or (batch, filters, new_height, new_width).
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), groups=1, activation=None, use_bias=True, **kwargs):
        super().__init__(2, filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                         dilation_rate=dilation_rate, groups=groups, activation=activation, use_bias=use_bias,
                         **kwargs)


class Conv1D(BaseConv):
    """1-D convolution over sequences (batch, steps, channels).

    Formula: y[n, t, o] = a( Σ_{k, c} x̃[n, t·s + k·d, c] · W[k, c, o] + b[o] ),  ⌊(n + 2p − f)/s⌋ + 1 steps.

    ``padding="causal"`` pads (f − 1)·d zeros in front only, so output t sees inputs ≤ t
    (WaveNet's dilated causal convolutions). Other arguments as in Conv2D, with ints.

    Weights: kernel (kernel_size, in_channels / groups, filters), bias (filters,).
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 groups=1, activation=None, use_bias=True, **kwargs):
        super().__init__(1, filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                         dilation_rate=dilation_rate, groups=groups, activation=activation, use_bias=use_bias,
                         **kwargs)


class Conv3D(BaseConv):
    """3-D convolution over volumes (batch, depth, height, width, channels): video frames, CT slices.

    Formula: y[n, i, j, k, o] = a( Σ_{p, q, r, c} x̃[n, i·s_d + p·δ_d, j·s_h + q·δ_h, k·s_w + r·δ_w, c]
                                     · W[p, q, r, c, o] + b[o] )

    A kd×kh×kw×C filter slides along depth, height and width; every stop gives one output
    voxel per filter. Each spatial output size is ⌊(n + 2p − f)/s⌋ + 1 (⌈n/s⌉ with "same",
    the odd extra voxel at the end). Computed as one matrix product of all windows
    (``glassnet/ops/conv3d.py``, vol2col).

    Args:
        filters: the number of filters (output channels).
        kernel_size: int or (kd, kh, kw).
        strides: int or (sd, sh, sw) (default 1).
        padding: "valid" (no padding) or "same".
        data_format: "channels_last" (batch, d, h, w, C) or "channels_first" (batch, C, d, h, w);
            None means ``glassnet.backend.image_data_format()`` ("channels_last").
        dilation_rate: int or (δd, δh, δw); not with strides > 1.
        groups: split the input channels into this many groups, each with its own filters.
        activation, use_bias, kernel_initializer ("glorot_uniform"), bias_initializer ("zeros"),
        kernel_regularizer, bias_regularizer, activity_regularizer, kernel_constraint,
        bias_constraint: as in Dense.

    Weights: kernel (kd, kh, kw, in_channels / groups, filters), bias (filters,).

    Input shape:
        (batch, depth, height, width, channels), or (batch, channels, depth, height, width).

    Output shape:
        (batch, new_depth, new_height, new_width, filters), or channels first.
    """

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1, 1), groups=1, activation=None, use_bias=True, **kwargs):
        super().__init__(3, filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                         dilation_rate=dilation_rate, groups=groups, activation=activation, use_bias=use_bias,
                         **kwargs)

"""UpSampling1D, UpSampling2D and UpSampling3D: enlarge each sample by repeating (or interpolating) its pixels."""
from __future__ import annotations

import numpy as np

from ... import ops
from ..arguments import check_positive_int, check_spatial_rank, normalize_tuple
from ..base import Layer
from .channels import from_channels_last, shape_from_channels_last, shape_to_channels_last, \
    standardize_data_format, to_channels_last

INTERPOLATIONS = ("nearest", "bilinear")


def repeat_nearest(x, factors):
    """Each position of a channels-last (n, *spatial, c) tensor repeated f times along its axis:

        y[b, i, j, …, c] = x[b, ⌊i/f₁⌋, ⌊j/f₂⌋, …, c]

    as a view (n, s₁, 1, s₂, 1, …, c) broadcast to (n, s₁, f₁, s₂, f₂, …, c), then one reshape;
    its backward sums ∂L/∂y over each block.
    """
    n, *spatial, c = x.shape
    pairs = [m for s in spatial for m in (s, 1)]
    blocks = [m for s, f in zip(spatial, factors) for m in (s, f)]
    repeated = ops.broadcast_to(ops.reshape(x, (n, *pairs, c)), (n, *blocks, c))
    return ops.reshape(repeated, (n, *(s * f for s, f in zip(spatial, factors)), c))


def bilinear_matrix(n: int, factor: int, dtype) -> np.ndarray:
    """The (n·factor, n) matrix A of 1-D linear interpolation with half-pixel centres.

    Output pixel o sits at input coordinate u = (o + ½)/factor − ½, clamped to [0, n − 1]
    (TensorFlow's ``half_pixel_centers``, PyTorch's ``align_corners=False``); it mixes its two
    neighbours: A[o, ⌊u⌋] = 1 − (u − ⌊u⌋), A[o, ⌊u⌋ + 1] = u − ⌊u⌋. Each row sums to 1.
    """
    o = np.arange(n * factor)
    u = np.clip((o + 0.5) / factor - 0.5, 0, n - 1)
    low = np.floor(u).astype(int)
    high = np.minimum(low + 1, n - 1)
    t = u - low
    A = np.zeros((n * factor, n), dtype=dtype)
    np.add.at(A, (o, low), 1 - t)
    np.add.at(A, (o, high), t)
    return A


class UpSampling2D(Layer):
    """Enlarges each image by ``size`` = (fh, fw): every pixel becomes an fh×fw block.

    Formula ("nearest"): y[b, i, j, c] = x[b, ⌊i/fh⌋, ⌊j/fw⌋, c].
    ("bilinear"):        y[b] = A_h · x[b] · A_wᵀ per channel, with A the 1-D interpolation
                         matrices of ``bilinear_matrix`` (half-pixel centres, as Keras/TensorFlow).

    Backward: ∂L/∂x sums ∂L/∂y over each block ("nearest"), or is A_hᵀ · ∂L/∂y · A_w ("bilinear").
    The nearest case is a broadcast and a reshape; the bilinear one two matrix products.

    Args:
        size: int or (fh, fw), the factors (default (2, 2)).
        data_format: "channels_last" or "channels_first" (channels before the spatial axes; None: the
            backend's image_data_format, "channels_last" by default).
        interpolation: "nearest" (default) or "bilinear". Keras's "bicubic", "lanczos3" and
            "lanczos5" are not implemented (a ValueError says so).

    Input shape:
        (batch, height, width, channels), or (batch, channels, height, width) channels first.

    Output shape:
        (batch, fh·height, fw·width, channels), or channels first.
    """

    shape_by_arithmetic = True       # functional graphs take compute_output_shape, not a probe run

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        self.size = normalize_tuple(type(self).__name__, "size", size, 2)
        self.data_format = standardize_data_format(type(self).__name__, data_format)
        self.interpolation = interpolation.lower() if isinstance(interpolation, str) else interpolation
        if self.interpolation not in INTERPOLATIONS:
            raise ValueError(f"UpSampling2D: interpolation must be one of {INTERPOLATIONS}, got {interpolation!r} "
                             f"(Keras's bicubic and lanczos resizing are not implemented in glassnet)")

    def build(self, input_shape):
        check_spatial_rank(self, input_shape, 2)

    def call(self, inputs):
        check_spatial_rank(self, inputs.shape, 2)
        x = to_channels_last(inputs, self.data_format)
        return from_channels_last(self._upsample(x), self.data_format)

    def _upsample(self, x):
        """The formula on a channels-last x (n, h, w, c)."""
        if self.interpolation == "nearest":
            return repeat_nearest(x, self.size)
        n, h, w, c = x.shape
        (fh, fw) = self.size
        A_h = bilinear_matrix(h, fh, x.dtype)
        A_w = bilinear_matrix(w, fw, x.dtype)
        rows = ops.matmul(A_h, ops.reshape(x, (n, h, w * c)))                        # (n, fh·h, w·c)
        both = ops.matmul(A_w, ops.reshape(rows, (n * h * fh, w, c)))                # (n·fh·h, fw·w, c)
        return ops.reshape(both, (n, h * fh, w * fw, c))

    def compute_output_shape(self, input_shape):
        check_spatial_rank(self, input_shape, 2)
        b, h, w, c = shape_to_channels_last(input_shape, self.data_format)
        spatial = (None if h is None else h * self.size[0], None if w is None else w * self.size[1])
        return shape_from_channels_last((b, *spatial, c), self.data_format)

    def get_config(self) -> dict:
        return {**super().get_config(), "size": self.size, "data_format": self.data_format,
                "interpolation": self.interpolation}


class UpSampling1D(Layer):
    """Repeats each step of a sequence ``size`` times.

    Formula: y[b, t, c] = x[b, ⌊t/size⌋, c].   (Backward: ∂L/∂x sums ∂L/∂y over the repeats.)

    Args:
        size: the factor (a positive int, default 2).

    Input shape:
        (batch, steps, features).

    Output shape:
        (batch, size·steps, features).
    """

    shape_by_arithmetic = True       # functional graphs take compute_output_shape, not a probe run

    def __init__(self, size=2, **kwargs):
        super().__init__(**kwargs)
        self.size = check_positive_int(type(self).__name__, "size", size)

    def build(self, input_shape):
        check_spatial_rank(self, input_shape, 1)

    def call(self, inputs):
        check_spatial_rank(self, inputs.shape, 1)
        return repeat_nearest(inputs, (self.size,))

    def compute_output_shape(self, input_shape):
        check_spatial_rank(self, input_shape, 1)
        b, t, c = input_shape
        return (b, None if t is None else t * self.size, c)

    def get_config(self) -> dict:
        return {**super().get_config(), "size": self.size}


class UpSampling3D(Layer):
    """Enlarges each volume by ``size`` = (fd, fh, fw): every voxel becomes an fd×fh×fw block.

    Formula: y[b, i, j, k, c] = x[b, ⌊i/fd⌋, ⌊j/fh⌋, ⌊k/fw⌋, c]   (``repeat_nearest``).
    Backward: ∂L/∂x sums ∂L/∂y over each block.

    Args:
        size: int or (fd, fh, fw), the factors (default (2, 2, 2)).
        data_format: "channels_last" or "channels_first" (None: the backend's image_data_format).

    Input shape:
        (batch, depth, height, width, channels), or channels first.

    Output shape:
        (batch, fd·depth, fh·height, fw·width, channels), or channels first.
    """

    shape_by_arithmetic = True       # functional graphs take compute_output_shape, not a probe run

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.size = normalize_tuple(type(self).__name__, "size", size, 3)
        self.data_format = standardize_data_format(type(self).__name__, data_format)

    def build(self, input_shape):
        check_spatial_rank(self, input_shape, 3)

    def call(self, inputs):
        check_spatial_rank(self, inputs.shape, 3)
        y = repeat_nearest(to_channels_last(inputs, self.data_format), self.size)
        return from_channels_last(y, self.data_format)

    def compute_output_shape(self, input_shape):
        check_spatial_rank(self, input_shape, 3)
        b, *spatial, c = shape_to_channels_last(input_shape, self.data_format)
        spatial = (None if n is None else n * f for n, f in zip(spatial, self.size))
        return shape_from_channels_last((b, *spatial, c), self.data_format)

    def get_config(self) -> dict:
        return {**super().get_config(), "size": self.size, "data_format": self.data_format}

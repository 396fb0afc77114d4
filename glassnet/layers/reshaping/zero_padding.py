"""ZeroPadding1D, ZeroPadding2D and ZeroPadding3D: a frame of zeros around each sample."""
from __future__ import annotations

from ... import ops
from ..arguments import check_spatial_rank, spatial_pairs
from ..base import Layer
from .channels import shape_from_channels_last, shape_to_channels_last, standardize_data_format


class ZeroPadding(Layer):
    """The shared piece of ZeroPadding1D/2D/3D: pad the ``rank`` spatial axes with zeros.

    ``self.padding`` is stored as Keras does: (a, z) for 1 axis, ((top, bottom), (left, right))
    for 2, three such pairs for 3. "channels_first" input is padded on axes 2… instead of 1….
    Keras's ZeroPadding1D takes ``data_format`` too (unlike Cropping1D and UpSampling1D).
    """

    rank: int
    shape_by_arithmetic = True       # functional graphs take compute_output_shape, not a probe run

    def __init__(self, padding, data_format=None, **kwargs):
        super().__init__(**kwargs)
        pairs = spatial_pairs(type(self).__name__, "padding", padding, self.rank)
        self.padding = pairs if self.rank > 1 else pairs[0]
        self.data_format = standardize_data_format(type(self).__name__, data_format)

    def _pairs(self) -> tuple:
        return self.padding if self.rank > 1 else (self.padding,)

    def build(self, input_shape):
        check_spatial_rank(self, input_shape, self.rank)

    def call(self, inputs):
        check_spatial_rank(self, inputs.shape, self.rank)
        if self.data_format == "channels_first":
            return ops.pad(inputs, ((0, 0), (0, 0), *self._pairs()))
        return ops.pad(inputs, ((0, 0), *self._pairs(), (0, 0)))

    def compute_output_shape(self, input_shape):
        check_spatial_rank(self, input_shape, self.rank)
        input_shape = shape_to_channels_last(input_shape, self.data_format)
        spatial = (None if n is None else n + before + after
                   for n, (before, after) in zip(input_shape[1:-1], self._pairs()))
        return shape_from_channels_last((input_shape[0], *spatial, input_shape[-1]), self.data_format)

    def get_config(self) -> dict:
        return {**super().get_config(), "padding": self.padding, "data_format": self.data_format}


class ZeroPadding2D(ZeroPadding):
    """Adds rows and columns of zeros at the top, bottom, left and right of each image.

    Formula: y[b, top + i, left + j, c] = x[b, i, j, c]; every other y is 0.
    (Backward: ∂L/∂x is the centre crop of ∂L/∂y.)

    Args:
        padding: an int p (p on every side), a tuple (ph, pw) (ph above and below, pw left
            and right), or ((top, bottom), (left, right)). Default (1, 1).
        data_format: "channels_last" or "channels_first" (channels before the spatial axes; None: the
            backend's image_data_format, "channels_last" by default).

    Input shape:
        (batch, height, width, channels).

    Output shape:
        (batch, top + height + bottom, left + width + right, channels).
    """

    rank = 2

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


class ZeroPadding1D(ZeroPadding):
    """Adds zeros at the start and the end of each sequence.

    Formula: y[b, a + t, c] = x[b, t, c]; the a first and the z last steps of y are 0.

    Args:
        padding: an int p (p at each end) or a pair (a, z). Default 1.
        data_format: "channels_last" or "channels_first" (channels before the spatial axes; None: the
            backend's image_data_format, "channels_last" by default).

    Input shape:
        (batch, steps, features).

    Output shape:
        (batch, a + steps + z, features).
    """

    rank = 1

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


class ZeroPadding3D(ZeroPadding):
    """Adds slices of zeros on the six faces of each volume.

    Formula: y[b, d₀ + i, h₀ + j, w₀ + k, c] = x[b, i, j, k, c]; every other y is 0.
    (Backward: ∂L/∂x is the centre crop of ∂L/∂y.)

    Args:
        padding: an int p (p on every face), a triple (pd, ph, pw) (symmetric per axis), or
            ((d₀, d₁), (h₀, h₁), (w₀, w₁)). Default ((1, 1), (1, 1), (1, 1)).
        data_format: "channels_last" or "channels_first" (None: the backend's image_data_format).

    Input shape:
        (batch, depth, height, width, channels), or channels first.

    Output shape:
        (batch, d₀ + depth + d₁, h₀ + height + h₁, w₀ + width + w₁, channels), or channels first.
    """

    rank = 3

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)

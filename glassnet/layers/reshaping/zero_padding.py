"""ZeroPadding1D and ZeroPadding2D: a frame of zeros around each sample."""
from __future__ import annotations

from ... import ops
from ..arguments import check_spatial_rank, normalize_data_format, spatial_pairs
from ..base import Layer


class ZeroPadding(Layer):
    """The shared piece of ZeroPadding1D/2D: pad the ``rank`` spatial axes with zeros.

    ``self.padding`` is stored as Keras does: (a, z) for 1 axis, ((top, bottom), (left, right))
    for 2.
    """

    rank: int
    shape_by_arithmetic = True       # functional graphs take compute_output_shape, not a probe run

    def __init__(self, padding, data_format=None, **kwargs):
        super().__init__(**kwargs)
        pairs = spatial_pairs(type(self).__name__, "padding", padding, self.rank)
        self.padding = pairs if self.rank > 1 else pairs[0]
        self.data_format = normalize_data_format(type(self).__name__, data_format)

    def _pairs(self) -> tuple:
        return self.padding if self.rank > 1 else (self.padding,)

    def build(self, input_shape):
        check_spatial_rank(self, input_shape, self.rank)

    def call(self, inputs):
        check_spatial_rank(self, inputs.shape, self.rank)
        return ops.pad(inputs, ((0, 0), *self._pairs(), (0, 0)))

    def compute_output_shape(self, input_shape):
        check_spatial_rank(self, input_shape, self.rank)
        spatial = (None if n is None else n + before + after
                   for n, (before, after) in zip(input_shape[1:-1], self._pairs()))
        return (input_shape[0], *spatial, input_shape[-1])

    def get_config(self) -> dict:
        return {**super().get_config(), "padding": self.padding, "data_format": self.data_format}


class ZeroPadding2D(ZeroPadding):
    """Adds rows and columns of zeros at the top, bottom, left and right of each image.

    Formula: y[b, top + i, left + j, c] = x[b, i, j, c]; every other y is 0.
    (Backward: ∂L/∂x is the centre crop of ∂L/∂y.)

    Args:
        padding: an int p (p on every side), a tuple (ph, pw) (ph above and below, pw left
            and right), or ((top, bottom), (left, right)). Default (1, 1).
        data_format: "channels_last" only.

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
        data_format: "channels_last" only.

    Input shape:
        (batch, steps, features).

    Output shape:
        (batch, a + steps + z, features).
    """

    rank = 1

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)

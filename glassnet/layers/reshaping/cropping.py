"""Cropping1D and Cropping2D: cut rows and columns off the edges of each sample."""
from __future__ import annotations

from ... import ops
from ..arguments import check_spatial_rank, normalize_data_format, spatial_pairs
from ..base import Layer


class Cropping(Layer):
    """The shared piece of Cropping1D/2D: cut the edges of the ``rank`` spatial axes.

    ``self.cropping`` is stored as Keras does: (a, z) for 1 axis, ((top, bottom), (left, right))
    for 2. Keras's Cropping1D has no ``data_format`` argument; Cropping2D has.
    """

    rank: int
    shape_by_arithmetic = True       # functional graphs take compute_output_shape, not a probe run

    def __init__(self, cropping, **kwargs):
        super().__init__(**kwargs)
        pairs = spatial_pairs(type(self).__name__, "cropping", cropping, self.rank)
        self.cropping = pairs if self.rank > 1 else pairs[0]

    def _pairs(self) -> tuple:
        return self.cropping if self.rank > 1 else (self.cropping,)

    def _check(self, shape) -> None:
        check_spatial_rank(self, shape, self.rank)
        for axis, (n, (before, after)) in enumerate(zip(shape[1:-1], self._pairs()), start=1):
            if n is not None and before + after >= n:
                raise ValueError(f"{self.name}: cropping {self.cropping} removes {before} + {after} of the {n} "
                                 f"positions of axis {axis} of the input of shape {tuple(shape)}; at least one "
                                 f"must remain")

    def build(self, input_shape):
        self._check(input_shape)

    def call(self, inputs):
        self._check(inputs.shape)
        keep = tuple(slice(before, n - after) for n, (before, after) in zip(inputs.shape[1:-1], self._pairs()))
        return ops.getitem(inputs, (slice(None), *keep))

    def compute_output_shape(self, input_shape):
        self._check(input_shape)
        spatial = (None if n is None else n - before - after
                   for n, (before, after) in zip(input_shape[1:-1], self._pairs()))
        return (input_shape[0], *spatial, input_shape[-1])

    def get_config(self) -> dict:
        return {**super().get_config(), "cropping": self.cropping}


class Cropping2D(Cropping):
    """Removes rows at the top and bottom and columns at the left and right of each image.

    Formula: y[b, i, j, c] = x[b, top + i, left + j, c]   for i < h − top − bottom, j < w − left − right.
    (Backward: ∂L/∂x is ∂L/∂y placed back in the middle, zeros on the cut edges.)

    Args:
        cropping: an int p (p off every side), a tuple (ph, pw) (symmetric per axis), or
            ((top, bottom), (left, right)). Default ((0, 0), (0, 0)).
        data_format: "channels_last" only.

    Input shape:
        (batch, height, width, channels); each axis must be longer than what is cut off it.

    Output shape:
        (batch, height − top − bottom, width − left − right, channels).
    """

    rank = 2

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(cropping, **kwargs)
        self.data_format = normalize_data_format(type(self).__name__, data_format)

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}


class Cropping1D(Cropping):
    """Removes steps at the start and the end of each sequence.

    Formula: y[b, t, c] = x[b, a + t, c]   for t < steps − a − z.

    Args:
        cropping: an int p (p off each end) or a pair (a, z). Default (1, 1).

    Input shape:
        (batch, steps, features), steps > a + z.

    Output shape:
        (batch, steps − a − z, features).
    """

    rank = 1

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(cropping, **kwargs)

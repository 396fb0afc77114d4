"""Cropping1D, Cropping2D and Cropping3D: cut rows and columns (and slices) off the edges of each sample."""
from __future__ import annotations

from ... import ops
from ..arguments import check_spatial_rank, spatial_pairs
from ..base import Layer
from .channels import from_channels_last, shape_from_channels_last, shape_to_channels_last, \
    standardize_data_format, to_channels_last


class Cropping(Layer):
    """The shared piece of Cropping1D/2D/3D: cut the edges of the ``rank`` spatial axes.

    ``self.cropping`` is stored as Keras does: (a, z) for 1 axis, ((top, bottom), (left, right))
    for 2, three such pairs for 3. Keras's Cropping1D has no ``data_format`` argument (it is
    always channels-last); Cropping2D and Cropping3D take "channels_last" or "channels_first".
    """

    rank: int
    shape_by_arithmetic = True       # functional graphs take compute_output_shape, not a probe run

    def __init__(self, cropping, data_format=None, **kwargs):
        super().__init__(**kwargs)
        pairs = spatial_pairs(type(self).__name__, "cropping", cropping, self.rank)
        self.cropping = pairs if self.rank > 1 else pairs[0]
        self.data_format = standardize_data_format(type(self).__name__, data_format)

    def _pairs(self) -> tuple:
        return self.cropping if self.rank > 1 else (self.cropping,)

    def _check(self, shape) -> tuple:
        """Check an input shape; returns it channels-last."""
        check_spatial_rank(self, shape, self.rank)
        shape = shape_to_channels_last(shape, self.data_format)
        for axis, (n, (before, after)) in enumerate(zip(shape[1:-1], self._pairs()), start=1):
            if n is not None and before + after >= n:
                raise ValueError(f"{self.name}: cropping {self.cropping} removes {before} + {after} of the {n} "
                                 f"positions of axis {axis} of the input of shape {tuple(shape)}; at least one "
                                 f"must remain")
        return shape

    def build(self, input_shape):
        self._check(input_shape)

    def call(self, inputs):
        shape = self._check(inputs.shape)
        keep = tuple(slice(before, n - after) for n, (before, after) in zip(shape[1:-1], self._pairs()))
        return from_channels_last(ops.getitem(to_channels_last(inputs, self.data_format), (slice(None), *keep)),
                                  self.data_format)

    def compute_output_shape(self, input_shape):
        input_shape = self._check(input_shape)
        spatial = (None if n is None else n - before - after
                   for n, (before, after) in zip(input_shape[1:-1], self._pairs()))
        return shape_from_channels_last((input_shape[0], *spatial, input_shape[-1]), self.data_format)

    def get_config(self) -> dict:
        config = {**super().get_config(), "cropping": self.cropping}
        return {**config, "data_format": self.data_format} if self.rank > 1 else config


class Cropping2D(Cropping):
    """Removes rows at the top and bottom and columns at the left and right of each image.

    Formula: y[b, i, j, c] = x[b, top + i, left + j, c]   for i < h − top − bottom, j < w − left − right.
    (Backward: ∂L/∂x is ∂L/∂y placed back in the middle, zeros on the cut edges.)

    Args:
        cropping: an int p (p off every side), a tuple (ph, pw) (symmetric per axis), or
            ((top, bottom), (left, right)). Default ((0, 0), (0, 0)).
        data_format: "channels_last" or "channels_first" (channels before the spatial axes; None: the
            backend's image_data_format, "channels_last" by default).

    Input shape:
        (batch, height, width, channels); each axis must be longer than what is cut off it.

    Output shape:
        (batch, height − top − bottom, width − left − right, channels).
    """

    rank = 2

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)


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
        if "data_format" in kwargs:                 # Keras's Cropping1D has none: it always crops axis 1
            raise TypeError("Cropping1D: unknown argument(s) ['data_format']")
        super().__init__(cropping, **kwargs)


class Cropping3D(Cropping):
    """Removes slices off the six faces of each volume (depth, height and width, both ends).

    Formula: y[b, i, j, k, c] = x[b, d₀ + i, h₀ + j, w₀ + k, c]   for i < depth − d₀ − d₁, and so on.
    (Backward: ∂L/∂x is ∂L/∂y placed back in the middle, zeros on the cut faces.)

    Args:
        cropping: an int p (p off every face), a triple (pd, ph, pw) (symmetric per axis), or
            ((d₀, d₁), (h₀, h₁), (w₀, w₁)). Default ((1, 1), (1, 1), (1, 1)).
        data_format: "channels_last" or "channels_first" (None: the backend's image_data_format).

    Input shape:
        (batch, depth, height, width, channels), or channels first; each axis longer than what is cut.

    Output shape:
        (batch, depth − d₀ − d₁, height − h₀ − h₁, width − w₀ − w₁, channels), or channels first.
    """

    rank = 3

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)

"""SpatialDropout1D, SpatialDropout2D and SpatialDropout3D: dropout of whole feature maps."""
from __future__ import annotations

from ..arguments import check_spatial_rank
from ..base import Layer
from ..reshaping.channels import standardize_data_format
from .dropout import Dropout


class SpatialDropout(Dropout):
    """The shared piece: a ``Dropout`` whose mask has size 1 on the ``rank`` spatial axes.

    The mask shape (batch, 1, …, 1, channels) — (batch, channels, 1, …, 1) channels first —
    is ``Dropout``'s ``noise_shape`` machinery: one draw per sample and channel, broadcast
    over every position.
    """

    rank: int
    shape_by_arithmetic = True       # functional graphs take compute_output_shape, not a probe run

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(rate, noise_shape=(None, *(1,) * self.rank, None), seed=seed, **kwargs)

    def _check_rank(self, shape) -> None:
        check_spatial_rank(self, shape, self.rank)

    def build(self, input_shape):
        self._check_rank(input_shape)

    def call(self, inputs, training=None):
        self._check_rank(inputs.shape)
        return super().call(inputs, training=training)

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        return tuple(input_shape)

    def get_config(self) -> dict:
        # Keras's keys: rate, seed, name, dtype (no noise_shape: the class fixes it; no trainable)
        config = Layer.get_config(self)
        config.pop("trainable")
        return {**config, "rate": self.rate, "seed": self.seed}


class SpatialDropout1D(SpatialDropout):
    """Drops whole feature channels of sequences in training: each channel of each sample is
    zeroed for every step at once with probability ``rate``; the rest are scaled up.

    Formula: y[b, t, c] = x[b, t, c] · m[b, c] / (1 − rate),  m[b, c] ~ Bernoulli(1 − rate),
    in training; y = x at inference.  ∂L/∂x = ∂L/∂y · m / (1 − rate).

    Neighbouring steps of a convolution's feature map are strongly correlated, so ordinary
    dropout of single values barely regularises them; dropping the whole map does
    (Tompson et al., 2015).

    Args:
        rate: the fraction of channels to drop, in [0, 1).
        seed: int for a layer-owned random stream (repeatable); None draws from
            ``backend.rng()`` (seeded by ``glassnet.utils.set_random_seed``).

    Input shape:
        (batch, steps, channels).

    Output shape:
        Same as the input.
    """

    rank = 1

    def __init__(self, rate, seed=None, name=None, dtype=None, **kwargs):
        super().__init__(rate, seed=seed, name=name, dtype=dtype, **kwargs)


class ImageSpatialDropout(SpatialDropout):
    """The shared piece of SpatialDropout2D and 3D: a ``data_format`` argument (Keras's
    signature ``(rate, data_format=None, seed=None, name=None, dtype=None)``) kept in the config."""

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None, **kwargs):
        super().__init__(rate, seed=seed, name=name, dtype=dtype, **kwargs)
        self.data_format = standardize_data_format(type(self).__name__, data_format)
        if self.data_format == "channels_first":
            self.noise_shape = (None, None, *(1,) * self.rank)

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}


class SpatialDropout2D(ImageSpatialDropout):
    """Drops whole feature maps of images in training: each channel of each sample is zeroed
    at every pixel at once with probability ``rate``; the rest are scaled up.

    Formula: y[b, i, j, c] = x[b, i, j, c] · m[b, c] / (1 − rate),  m[b, c] ~ Bernoulli(1 − rate),
    in training; y = x at inference.  ∂L/∂x = ∂L/∂y · m / (1 − rate).

    Args:
        rate: the fraction of channels to drop, in [0, 1).
        data_format: "channels_last" or "channels_first" (channels before the spatial axes; None: the
            backend's image_data_format, "channels_last" by default).
        seed: int for a layer-owned random stream; None draws from ``backend.rng()``.

    Input shape:
        (batch, height, width, channels), or (batch, channels, height, width) channels first.

    Output shape:
        Same as the input.
    """

    rank = 2


class SpatialDropout3D(ImageSpatialDropout):
    """Drops whole feature volumes in training: each channel of each sample is zeroed at every
    voxel at once with probability ``rate``; the rest are scaled up.

    Formula: y[b, i, j, k, c] = x[b, i, j, k, c] · m[b, c] / (1 − rate),  m[b, c] ~ Bernoulli(1 − rate),
    in training; y = x at inference.  ∂L/∂x = ∂L/∂y · m / (1 − rate).

    The same layer as ``SpatialDropout2D`` (same arguments and config) with one more spatial
    axis.

    Args:
        rate: the fraction of channels to drop, in [0, 1).
        data_format: "channels_last" or "channels_first" (channels before the spatial axes; None: the
            backend's image_data_format, "channels_last" by default).
        seed: int for a layer-owned random stream; None draws from ``backend.rng()``.

    Input shape:
        (batch, depth, height, width, channels), or (batch, channels, depth, height, width).

    Output shape:
        Same as the input.
    """

    rank = 3

    def _check_rank(self, shape) -> None:
        if len(shape) != 5:
            raise ValueError(f"{self.name}: expected a 5-D input (batch, depth, height, width, channels) "
                             f"or channels first, "
                             f"got shape {tuple(shape)}")

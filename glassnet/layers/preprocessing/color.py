"""Colour augmentations: RandomGrayscale, RandomColorDegeneration, RandomSaturation, RandomHue.

Each is a ``RandomAugmentation``: a random change per image in training, the identity at
inference, with Keras 3's transformation dicts (so a test can hand the same parameters to
Keras's ``transform_images``). The colour-space formulas live in ``colour_space``.
"""
from __future__ import annotations

import numpy as np

from ... import ops
from . import colour_space
from .base_augmentation import RandomAugmentation, _is_number, parse_factor

KERAS_EPSILON = 1e-7
"""Keras's ``backend.epsilon()``, in RandomSaturation's factor map."""


class RandomGrayscale(RandomAugmentation):
    """Turns each image grey with probability ``factor`` during training; identity at inference.

    Formula: draw u ~ U[0, 1) per image; where u < factor every channel becomes the luma
        Y = 0.2989·R + 0.5870·G + 0.1140·B
    (the number of channels is kept), else the image is unchanged.

    Args:
        factor: the probability in [0, 1] of converting an image (default 0.5).
        data_format: "channels_last" (or None).
        seed: int for a layer-owned random stream, or None for ``glassnet.backend.rng()``.

    Input shape:
        (batch, height, width, 3) or (height, width, 3) (one channel passes unchanged).

    Output shape:
        Same as the input.
    """

    def __init__(self, factor=0.5, data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if not _is_number(factor) or not 0 <= factor <= 1:
            raise ValueError(f"RandomGrayscale: factor must be a number in [0, 1], got {factor!r}")
        self.factor = factor

    def get_random_transformation(self, images_shape):
        """A boolean (batch, 1, 1, 1): which images turn grey (Keras's transformation is this array)."""
        return (self.generator.uniform(0.0, 1.0, (images_shape[0],)) < self.factor).reshape(-1, 1, 1, 1)

    def transform_images(self, images, transformation, training=True):
        images = self.to_float(images)
        if not training:
            return images
        colour_space.check_rgb(type(self).__name__, images, allow_gray=True)
        gray = colour_space.rgb_to_grayscale(images)
        return ops.where(np.broadcast_to(np.asarray(transformation, bool), images.shape), gray, images)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor}


class FactorAugmentation(RandomAugmentation):
    """A random augmentation drawn from a ``factor`` within ``factor_bounds``, on pixels in
    ``value_range`` — what RandomColorDegeneration, RandomSaturation, RandomHue and
    RandomSharpness share (Keras's argument order: factor, value_range, data_format, seed)."""

    factor_bounds = (0, 1)
    _value_range = staticmethod(colour_space.sorted_value_range)   # stored sorted (RandomHue: as given)

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = parse_factor(type(self).__name__, factor, bounds=self.factor_bounds)
        self.value_range = self._value_range(type(self).__name__, value_range)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range}


class RandomColorDegeneration(FactorAugmentation):
    """Blends each image towards its grey version by a random amount during training.

    Formula: draw f ~ U[lower, upper] per image; with Y the luma (``colour_space``),
        y = clip(x + f·(Y − x), low, high)          (low, high) = value_range
    f = 0 keeps the colours, f = 1 is fully grey, a negative f exaggerates them.

    Args:
        factor: a number f in [−1, 1] (the range [−|f|, |f|]) or a pair (lower, upper).
        value_range: (low, high) the pixels live in, default (0, 255); stored sorted.
        data_format: "channels_last" (or None).
        seed: int for a layer-owned random stream, or None for ``glassnet.backend.rng()``.

    Input shape:
        (batch, height, width, 3) or (height, width, 3).

    Output shape:
        Same as the input.
    """

    factor_bounds = (-1, 1)

    def get_random_transformation(self, images_shape) -> dict:
        """{"factor": (batch, 1, 1, 1)}."""
        return {"factor": self.generator.uniform(self.factor[0], self.factor[1], (images_shape[0], 1, 1, 1))}

    def transform_images(self, images, transformation, training=True):
        images = self.to_float(images)
        if not training:
            return images
        colour_space.check_rgb(type(self).__name__, images, allow_gray=True)
        factor = np.asarray(transformation["factor"], images.dtype).reshape(-1, 1, 1, 1)
        blended = colour_space.blend(images, colour_space.rgb_to_grayscale(images), factor)
        return ops.clip(blended, *self.value_range)


class RandomSaturation(FactorAugmentation):
    """Scales each image's saturation (HSV's S) by a random factor during training.

    Formula: draw f ~ U[lower, upper] per image and map it to s = f / (1 − f + ε)
    (ε = 1e-7): f = 0.5 keeps the saturation (s ≈ 1), f → 1 saturates fully, f ≤ 0 greys;
        (H, S, V) = rgb_to_hsv(x),   y = hsv_to_rgb(H, clip(s·S, low, high), V)
    As in Keras, S is clipped to ``value_range`` (not to [0, 1]) and the image is not rescaled
    first (HSV works on any non-negative scale).

    Args:
        factor: a number f in [−1, 1] (the range [−|f|, |f|]) or a pair (lower, upper).
        value_range: (low, high) the pixels live in, default (0, 255); stored sorted.
        data_format: "channels_last" (or None).
        seed: int for a layer-owned random stream, or None for ``glassnet.backend.rng()``.

    Input shape:
        (batch, height, width, 3) or (height, width, 3).

    Output shape:
        Same as the input.
    """

    factor_bounds = (-1, 1)

    def get_random_transformation(self, images_shape) -> dict:
        """{"factor": (batch,)}: s = f / (1 − f + ε)."""
        f = self.generator.uniform(self.factor[0], self.factor[1], (images_shape[0],))
        return {"factor": f / (1.0 - f + KERAS_EPSILON)}

    def transform_images(self, images, transformation, training=True):
        images = self.to_float(images)
        if not training:
            return images
        colour_space.check_rgb(type(self).__name__, images)
        s = np.asarray(transformation["factor"], images.dtype).reshape(-1, 1, 1)
        hsv = colour_space.rgb_to_hsv(images)
        saturation = ops.clip(colour_space.channel(hsv, 1) * s, *self.value_range)
        return colour_space.hsv_to_rgb(colour_space.replace_channel(hsv, 1, saturation))


class RandomHue(FactorAugmentation):
    """Turns each image's hue (HSV's H) by a random amount during training.

    Formula: draw f ~ U[lower, upper] and a sign σ = ±1 (each with probability ½) per image;
    with δ = σ·f/2 and the image mapped from ``value_range`` onto [0, 1],
        (H, S, V) = rgb_to_hsv(x),   H' = H + δ  (− 1 if > 1, + 1 if < 0)
        y = clip(hsv_to_rgb(H', S, V), 0, 1), mapped back onto ``value_range``
    factor = 1 can turn the hue by up to half the colour wheel.

    Args:
        factor: a number f in [0, 1] (the pair (0, f)) or a pair (lower, upper).
        value_range: (low, high) the pixels live in, default (0, 255); kept as given.
        data_format: "channels_last" (or None).
        seed: int for a layer-owned random stream, or None for ``glassnet.backend.rng()``.

    Input shape:
        (batch, height, width, 3) or (height, width, 3).

    Output shape:
        Same as the input.
    """

    _value_range = staticmethod(colour_space.given_value_range)

    def get_random_transformation(self, images_shape) -> dict:
        """{"factor": (batch,)}: the hue shift δ = σ·f/2."""
        batch = images_shape[0]
        sign = np.where(self.generator.uniform(0.0, 1.0, (batch,)) > 0.5, -1.0, 1.0)
        return {"factor": sign * self.generator.uniform(self.factor[0], self.factor[1], (batch,)) * 0.5}

    def transform_images(self, images, transformation, training=True):
        images = self.to_float(images)
        if not training:
            return images
        colour_space.check_rgb(type(self).__name__, images)
        delta = np.asarray(transformation["factor"], images.dtype).reshape(-1, 1, 1)
        hsv = colour_space.rgb_to_hsv(colour_space.transform_value_range(images, self.value_range, (0, 1)))
        hue = colour_space.channel(hsv, 0) + delta
        hue = ops.where(hue.data > 1.0, hue - 1.0, hue)
        hue = ops.where(hue.data < 0.0, hue + 1.0, hue)
        rgb = ops.clip(colour_space.hsv_to_rgb(colour_space.replace_channel(hsv, 0, hue)), 0.0, 1.0)
        return colour_space.transform_value_range(rgb, (0, 1), self.value_range)

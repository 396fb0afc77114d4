"""Tone curves: RandomInvert, Solarization, RandomPosterization, AutoContrast, Equalization.

Each maps every pixel value through a curve (inversion, solarization's fold above a
threshold, posterization's staircase, a linear stretch, the histogram's cumulative
distribution), per channel. The layers that work "on a 0–255 scale" map ``value_range``
onto [0, 255] first and back after, as Keras does (``colour_space.transform_value_range``).
"""
from __future__ import annotations

import numbers

import numpy as np

from ... import ops
from ...tensor import Tensor
from . import colour_space
from .base_augmentation import ImagePreprocessingLayer, RandomAugmentation, _is_number, parse_factor

BYTE_RANGE = (0, 255)


def parse_unit_factor(owner: str, name: str, factor) -> tuple:
    """Solarization's factor rule: a number f in [0, 1] gives (0, f); a pair of numbers in [0, 1], sorted."""
    pair = factor if isinstance(factor, (tuple, list)) else (0.0, factor)
    if len(pair) != 2 or not all(_is_number(f) and 0 <= f <= 1 for f in pair):
        raise ValueError(f"{owner}: {name} must be a number or a pair of numbers in [0, 1], got {factor!r}")
    lower, upper = sorted(float(f) for f in pair)
    return lower, upper


class RandomInvert(RandomAugmentation):
    """Inverts each image with a random probability during training; identity at inference.

    Formula: draw p ~ U[lower, upper] and u ~ U[0, 1) per image; where u < p,
        y = high − x                  (low, high) = value_range
    (Keras's formula: for value_range (0, 255) the negative 255 − x).

    Args:
        factor: a number f in [0, 1] (p from [0, f]) or a pair (lower, upper); default 1.0.
        value_range: (low, high) the pixels live in, default (0, 255).
        seed: int for a layer-owned random stream, or None for ``glassnet.backend.rng()``.
        data_format: "channels_last" (or None).

    Input shape:
        (batch, height, width, channels) or (height, width, channels).

    Output shape:
        Same as the input.
    """

    def __init__(self, factor=1.0, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = parse_factor(type(self).__name__, factor, bounds=(0, 1))
        self.value_range = colour_space.given_value_range(type(self).__name__, value_range)

    def get_random_transformation(self, images_shape) -> dict:
        """{"apply_inversion": boolean (batch,)}."""
        return {"apply_inversion": colour_space.draw_apply(self.generator, self.factor, images_shape[0])}

    def transform_images(self, images, transformation, training=True):
        images = self.to_float(images)
        if not training:
            return images
        apply = np.asarray(transformation["apply_inversion"], bool).reshape(-1, 1, 1, 1)
        return ops.where(np.broadcast_to(apply, images.shape), self.value_range[1] - images, images)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range}


class Solarization(RandomAugmentation):
    """Folds the values above a random threshold back down (y = 255 − x there), in training.

    Formula: on the 0–255 scale (x mapped from ``value_range``), per image draw an addition
    a ~ U[a_lower, 255·a_upper] and a threshold t ~ U[t_lower, 255·t_upper] (Keras scales only
    the upper end), then
        z = clip(x + a, 0, 255),   y = z if z < t else 255 − z
    mapped back onto ``value_range``. With the default factors (0) every value is inverted.

    Args:
        addition_factor: a number f in [0, 1] (the pair (0, f)) or a pair; default 0.0.
        threshold_factor: a number f in [0, 1] (the pair (0, f)) or a pair; default 0.0.
        value_range: (low, high) the pixels live in, default (0, 255); stored sorted.
        seed: int for a layer-owned random stream, or None for ``glassnet.backend.rng()``.

    Input shape:
        (batch, height, width, channels) or (height, width, channels).

    Output shape:
        Same as the input.
    """

    def __init__(self, addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        owner = type(self).__name__
        self.addition_factor = parse_unit_factor(owner, "addition_factor", addition_factor)
        self.threshold_factor = parse_unit_factor(owner, "threshold_factor", threshold_factor)
        self.value_range = colour_space.sorted_value_range(owner, value_range)

    def get_random_transformation(self, images_shape) -> dict:
        """{"additions": (batch, 1, 1, 1), "thresholds": (batch, 1, 1, 1)}, on the 0–255 scale."""
        shape = (images_shape[0], 1, 1, 1)
        (a0, a1), (t0, t1) = self.addition_factor, self.threshold_factor
        return {"additions": self.generator.uniform(a0, a1 * 255, shape),
                "thresholds": self.generator.uniform(t0, t1 * 255, shape)}

    def transform_images(self, images, transformation, training=True):
        images = self.to_float(images)
        if not training:
            return images
        additions = np.asarray(transformation["additions"], images.dtype).reshape(-1, 1, 1, 1)
        thresholds = np.asarray(transformation["thresholds"], images.dtype).reshape(-1, 1, 1, 1)
        z = ops.clip(colour_space.transform_value_range(images, self.value_range, BYTE_RANGE) + additions, 0.0, 255.0)
        y = ops.where(z.data < thresholds, z, 255.0 - z)
        return colour_space.transform_value_range(y, BYTE_RANGE, self.value_range)

    def get_config(self) -> dict:
        return {**super().get_config(), "value_range": self.value_range, "addition_factor": self.addition_factor,
                "threshold_factor": self.threshold_factor}


class RandomPosterization(RandomAugmentation):
    """Keeps only the top ``bits`` bits of each 0–255 value, with ``bits`` drawn per image, in training.

    Formula: per image draw bits ∈ {lower, …, upper − 1} (an integer; bits = lower when
    lower = upper), s = 8 − bits; on the 0–255 scale (x mapped from ``value_range``)
        y = ⌊⌊x⌋ / 2^s⌋ · 2^s          (the byte x with its s low bits cleared)
    mapped back onto ``value_range``. A staircase: its gradient is zero almost everywhere
    (glassnet passes none back).

    Args:
        factor: an int in [1, 8] (the bits drawn from [1, factor)) or a pair of ints (lower, upper).
        value_range: (low, high) the pixels live in, default (0, 255); stored sorted.
        data_format: "channels_last" (or None).
        seed: int for a layer-owned random stream, or None for ``glassnet.backend.rng()``.

    Input shape:
        (batch, height, width, channels) or (height, width, channels).

    Output shape:
        Same as the input.
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        pair = factor if isinstance(factor, (tuple, list)) else (factor,)
        if not all(isinstance(f, numbers.Integral) and not isinstance(f, bool) for f in pair):
            raise ValueError(f"RandomPosterization: factor must be an int or a pair of ints in [1, 8], got {factor!r}")
        lower, upper = parse_factor(type(self).__name__, factor, bounds=(1, 8))
        self.factor = (int(lower), int(upper))
        self.value_range = colour_space.sorted_value_range(type(self).__name__, value_range)

    def get_random_transformation(self, images_shape) -> dict:
        """{"shift_factor": uint8 (batch,)}: s = 8 − bits."""
        lower, upper = self.factor
        bits = (self.generator.integers(lower, upper, (images_shape[0],)) if lower != upper
                else np.full((images_shape[0],), lower))
        return {"shift_factor": (8 - bits).astype(np.uint8)}

    def transform_images(self, images, transformation, training=True):
        images = self.to_float(images)
        if not training:
            return images
        step = 2.0 ** np.asarray(transformation["shift_factor"], np.int64).reshape(-1, 1, 1, 1)
        scaled = colour_space.transform_value_range(images.data, self.value_range, BYTE_RANGE)
        byte = np.floor(np.clip(scaled, 0, 255))
        y = colour_space.transform_value_range(np.floor(byte / step) * step, BYTE_RANGE, self.value_range)
        return Tensor(y.astype(images.dtype))

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range}


class AutoContrast(ImagePreprocessingLayer):
    """Stretches each image's channels to the full value range — in training and at inference.

    Formula: on the 0–255 scale (x mapped from ``value_range``), with m and M the minimum and
    maximum of one channel of one image,
        y = clip(255·(x − m)/(M − m), 0, 255)
    mapped back onto ``value_range``; a constant channel (M = m) is left as it is. Keras
    applies it whatever ``training`` says, and so does glassnet.

    Args:
        value_range: (low, high) the pixels live in, default (0, 255); stored sorted.

    Input shape:
        (batch, height, width, channels) or (height, width, channels).

    Output shape:
        Same as the input.
    """

    def __init__(self, value_range=(0, 255), **kwargs):
        super().__init__(**kwargs)
        self.value_range = colour_space.sorted_value_range(type(self).__name__, value_range)

    def transform_images(self, images, transformation=None, training=True):
        """The stretched images (``transformation`` and ``training`` are unused, as Keras)."""
        images = self.to_float(images)
        x = colour_space.transform_value_range(images, self.value_range, BYTE_RANGE)
        low = ops.min(x, axis=(-3, -2), keepdims=True)
        high = ops.max(x, axis=(-3, -2), keepdims=True)
        spread = (high - low).data > 0
        stretched = ops.clip((x - low) * (255.0 / ops.where(spread, high - low, 1.0)), 0.0, 255.0)
        stretched = colour_space.transform_value_range(stretched, BYTE_RANGE, self.value_range)
        return ops.where(np.broadcast_to(spread, images.shape), stretched, images)

    def call(self, inputs):
        self.check_image_shape(inputs.shape)
        return self.transform_images(inputs)

    def get_config(self) -> dict:
        return {**super().get_config(), "value_range": self.value_range}


class Equalization(ImagePreprocessingLayer):
    """Histogram equalization of each channel, in training (identity at inference, as Keras).

    Formula: on the 0–255 scale (x mapped from ``value_range``), for one channel taken over
    the whole batch (Keras's histogram spans the batch), with ``bins`` bins:
        bin(x) = ⌊x·(bins − 1)/255⌋ (clipped to [0, bins − 1]),  h = histogram of the bins
        cdf = cumulative sum of h,  c₀ = its first non-zero value,  n = cdf[−1] − c₀ (1 if 0)
        y = clip(round(255·(cdf[bin(x)] − c₀)/n), 0, 255)
    mapped back onto ``value_range``; a channel whose values all share one bin is left as it
    is. Piecewise constant in x: glassnet passes no gradient back.

    Args:
        value_range: (low, high) the pixels live in, default (0, 255); stored sorted.
        bins: the number of histogram bins (default 256).
        data_format: "channels_last" (or None).

    Input shape:
        (batch, height, width, channels) or (height, width, channels).

    Output shape:
        Same as the input.
    """

    def __init__(self, value_range=(0, 255), bins=256, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if isinstance(bins, bool) or not isinstance(bins, numbers.Integral) or bins < 2:
            raise ValueError(f"Equalization: bins must be an int ≥ 2, got {bins!r}")
        self.bins = int(bins)
        self.value_range = colour_space.sorted_value_range(type(self).__name__, value_range)

    def equalize_channel(self, x: np.ndarray) -> np.ndarray:
        """One channel (any shape) on the 0–255 scale, equalized (see the formula)."""
        bins = self.bins
        index = np.clip(np.trunc(x * (bins - 1) / 255.0), 0, bins - 1).astype(np.int64)
        histogram = np.bincount(index.ravel(), minlength=bins)
        if np.count_nonzero(histogram) <= 1:
            return x
        cdf = np.cumsum(histogram)
        c0 = cdf[np.nonzero(cdf)[0][0]]
        n = cdf[-1] - c0 if cdf[-1] != c0 else 1
        table = np.clip(np.round((cdf - c0) * 255 / n), 0, 255)
        return table[np.trunc(np.clip(x / 255.0 * (bins - 1), 0, bins - 1)).astype(np.int64)]

    def transform_images(self, images, transformation=None, training=True):
        images = self.to_float(images)
        if not training:
            return images
        x = colour_space.transform_value_range(images.data, self.value_range, BYTE_RANGE)
        y = np.stack([self.equalize_channel(x[..., c]) for c in range(x.shape[-1])], axis=-1)
        return Tensor(colour_space.transform_value_range(y, BYTE_RANGE, self.value_range).astype(images.dtype))

    def call(self, inputs, training=None):
        self.check_image_shape(inputs.shape)
        return self.transform_images(inputs, training=training)

    def get_config(self) -> dict:
        return {**super().get_config(), "bins": self.bins, "value_range": self.value_range}

"""Filtering augmentations: RandomSharpness, RandomGaussianBlur.

Both filter each channel with a small kernel K ("same" size, zeros outside the image: a
depthwise convolution, ``ops.depthwise_conv``), then blend with the input:

    (K ⋆ x)[i, j] = Σ_{u, v} K[u, v]·x[i + u − r_h, j + v − r_w]        r = (kernel size − 1)/2
"""
from __future__ import annotations

import numbers

import numpy as np

from ... import ops
from . import colour_space
from .base_augmentation import RandomAugmentation, parse_factor
from .color import FactorAugmentation


def filter_channels(images, kernel: np.ndarray):
    """Each channel of ``images`` (batch, h, w, c) filtered with the 2-D ``kernel`` (zero padding, same size)."""
    kernel = np.asarray(kernel, images.dtype)
    depthwise = np.repeat(kernel[:, :, None, None], images.shape[-1], axis=2)      # (kh, kw, c, 1)
    return ops.depthwise_conv(images, depthwise, strides=1, padding="same")


def gaussian_kernel(size: int, sigma: float) -> np.ndarray:
    """g[u] = exp(−½·((u − (size − 1)/2)/σ)²), normalised to sum to 1."""
    u = np.arange(size) - (size - 1) / 2.0
    g = np.exp(-0.5 * (u / sigma) ** 2)
    return g / g.sum()


class RandomSharpness(FactorAugmentation):
    """Sharpens or softens each image by a random amount during training; identity at inference.

    Formula: draw f ~ U[lower, upper] per image and s = 2f; with the smoothing kernel
        K = [[1, 1, 1], [1, 5, 1], [1, 1, 1]] / 13
        y = clip(x + (1 − s)·(K ⋆ x − x), low, high)            (low, high) = value_range
    f = 0.5 keeps the image, f < 0.5 blurs it, f > 0.5 sharpens it (unsharp masking).

    Args:
        factor: a number f in [0, 1] (the pair (0, f)) or a pair (lower, upper).
        value_range: (low, high) the pixels live in, default (0, 255); stored sorted.
        data_format: "channels_last" (or None).
        seed: int for a layer-owned random stream, or None for ``glassnet.backend.rng()``.

    Input shape:
        (batch, height, width, channels) or (height, width, channels).

    Output shape:
        Same as the input.
    """

    SMOOTHING = np.array([[1.0, 1.0, 1.0], [1.0, 5.0, 1.0], [1.0, 1.0, 1.0]]) / 13.0

    def get_random_transformation(self, images_shape) -> dict:
        """{"factor": (batch,)}."""
        return {"factor": self.generator.uniform(self.factor[0], self.factor[1], (images_shape[0],))}

    def transform_images(self, images, transformation, training=True):
        images = self.to_float(images)
        if not training:
            return images
        s = 2.0 * np.asarray(transformation["factor"], images.dtype).reshape(-1, 1, 1, 1)
        smoothed = filter_channels(images, self.SMOOTHING)
        return ops.clip(colour_space.blend(images, smoothed, 1.0 - s), *self.value_range)


def _odd_sizes(kernel_size) -> tuple:
    pair = kernel_size if isinstance(kernel_size, (tuple, list)) else (kernel_size, kernel_size)
    if (len(pair) != 2 or not all(isinstance(k, numbers.Integral) and not isinstance(k, bool) and k > 0 and k % 2
                                  for k in pair)):
        raise ValueError(f"RandomGaussianBlur: kernel_size must be an odd positive int or a pair of them, "
                         f"got {kernel_size!r}")
    return int(pair[0]), int(pair[1])


class RandomGaussianBlur(RandomAugmentation):
    """Blurs images with a Gaussian kernel of random width, with a random probability, in training.

    Formula: draw p ~ U[lower, upper] and u ~ U[0, 1) per image, and one pair of widths
    (σ_x, σ_y) ~ U[sigma] (+10⁻⁶) for the batch; with g_n the normalised Gaussian of
    ``gaussian_kernel`` and (k_x, k_y) = kernel_size,
        K = g_{k_y, σ_y} ⊗ g_{k_x, σ_x}        (rows: y, columns: x)
        y = clip(K ⋆ x where u < p, else x,  low, high)          (low, high) = value_range

    Args:
        factor: the probability range: a number f in [0, 1] (the pair (0, f)) or a pair; default 1.0.
        kernel_size: an odd int, or a pair of odd ints (x size, y size); default 3.
        sigma: the width range: a number s in [0, 1] (the pair (0, s)) or a pair; default 1.0.
        value_range: (low, high) the pixels live in, default (0, 255); outputs are clipped to it.
        data_format: "channels_last" (or None).
        seed: int for a layer-owned random stream, or None for ``glassnet.backend.rng()``.

    Input shape:
        (batch, height, width, channels) or (height, width, channels).

    Output shape:
        Same as the input.
    """

    def __init__(self, factor=1.0, kernel_size=3, sigma=1.0, value_range=(0, 255), data_format=None, seed=None,
                 **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        owner = type(self).__name__
        self.factor = parse_factor(owner, factor, bounds=(0, 1))
        self.kernel_size = _odd_sizes(kernel_size)
        self.sigma = parse_factor(owner, sigma, bounds=(0, 1), name="sigma")
        self.value_range = colour_space.given_value_range(owner, value_range)

    def get_random_transformation(self, images_shape) -> dict:
        """{"should_apply_blur": boolean (batch,), "blur_factor": (σ_x, σ_y)}."""
        apply = colour_space.draw_apply(self.generator, self.factor, images_shape[0])
        return {"should_apply_blur": apply, "blur_factor": self.generator.uniform(*self.sigma, (2,)) + 1e-6}

    def transform_images(self, images, transformation, training=True):
        images = self.to_float(images)
        if not training:
            return images
        sigma_x, sigma_y = np.asarray(transformation["blur_factor"], np.float64)
        kernel = np.outer(gaussian_kernel(self.kernel_size[1], sigma_y), gaussian_kernel(self.kernel_size[0], sigma_x))
        apply = np.asarray(transformation["should_apply_blur"], bool).reshape(-1, 1, 1, 1)
        blurred = ops.where(np.broadcast_to(apply, images.shape), filter_channels(images, kernel), images)
        return ops.clip(blurred, *self.value_range)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "kernel_size": self.kernel_size, "sigma": self.sigma,
                "value_range": self.value_range}

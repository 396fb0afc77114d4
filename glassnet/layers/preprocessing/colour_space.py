"""Colour-space helpers of the colour augmentation layers: value ranges, luma, RGB ↔ HSV, blending.

Everything takes channels-last float images (…, height, width, channels) as glassnet
Tensors and is written with glassnet ops, so gradients reach the pixels (the case
distinctions of RGB → HSV are masks computed from the values, constant for the gradient).
The formulas are Keras 3's (``keras.ops.image``, after dm_pix), so a layer built on them
matches Keras pixel for pixel:

    value range   y = (x − a0)/(a1 − a0)·(b1 − b0) + b0          (a0, a1) → (b0, b1)
    luma          Y = 0.2989·R + 0.5870·G + 0.1140·B              (one channel)
    RGB → HSV     V = max(R, G, B),  m = min(R, G, B),  Δ = V − m
                  S = Δ / V                       (0 where V = 0)
                  H = (G − B)/(6Δ)         if V = R   (+1 when negative)
                      (B − R)/(6Δ) + 2/6   if V = G
                      (R − G)/(6Δ) + 4/6   if V = B   (0 where Δ = 0)
    HSV → RGB     h = 6·(H mod 1),  d_R = clip(|h − 3| − 1, 0, 1),
                  d_G = clip(2 − |h − 2|, 0, 1),  d_B = clip(2 − |h − 4|, 0, 1)
                  C = V·(1 − S + S·d_C)           for C ∈ {R, G, B}
    blend         blend(a, b, t) = a + t·(b − a)   (t = 0 gives a, t = 1 gives b)

H, S lie in [0, 1]; V keeps the scale of the input (RGB → HSV → RGB is the identity on any
non-negative scale, which the saturation layer relies on).
"""
from __future__ import annotations

import numpy as np

from ... import ops
from ...tensor import Tensor
from .base_augmentation import as_config_value, check_value_range

GRAY_WEIGHTS = (0.2989, 0.5870, 0.1140)
"""The luma weights of R, G and B (Keras's, from torchvision)."""


def transform_value_range(images, original_range, target_range):
    """Map ``images`` linearly from ``original_range`` (a0, a1) onto ``target_range`` (b0, b1)."""
    (a0, a1), (b0, b1) = original_range, target_range
    if a0 == b0 and a1 == b1:
        return images
    return (images - a0) * ((b1 - b0) / (a1 - a0)) + b0


def channel(images: Tensor, index: int) -> Tensor:
    """The channel ``index`` of channels-last images, without its axis."""
    return ops.getitem(images, (Ellipsis, index))


def check_rgb(owner: str, images, allow_gray: bool = False) -> None:
    """Refuse images whose last axis is not 3 (RGB) — or 1 too with ``allow_gray``."""
    channels = images.shape[-1]
    if channels != 3 and not (allow_gray and channels == 1):
        expected = "3 (RGB) or 1 (grayscale)" if allow_gray else "3 (RGB)"
        raise ValueError(f"{owner}: expected images with {expected} channels, got shape {tuple(images.shape)}")


def rgb_to_grayscale(images: Tensor) -> Tensor:
    """Y = 0.2989·R + 0.5870·G + 0.1140·B as one channel (a one-channel image comes back as it is)."""
    if images.shape[-1] == 1:
        return images
    r, g, b = (channel(images, i) for i in range(3))
    return ops.expand_dims(GRAY_WEIGHTS[0] * r + GRAY_WEIGHTS[1] * g + GRAY_WEIGHTS[2] * b, -1)


def rgb_to_hsv(images: Tensor) -> Tensor:
    """(H, S, V) of RGB images (see the module docstring); values below the dtype's ε count as 0."""
    eps = np.finfo(np.dtype(images.dtype)).eps
    images = ops.where(np.abs(images.data) < eps, 0.0, images)
    r, g, b = (channel(images, i) for i in range(3))
    value = ops.maximum(ops.maximum(r, g), b)
    delta = value - ops.minimum(ops.minimum(r, g), b)
    V, D = value.data, delta.data
    saturation = ops.where(V > 0, delta / ops.where(V > 0, value, 1.0), 0.0)
    norm = 1.0 / (6.0 * ops.where(D > 0, delta, 1.0))
    hue = ops.where(V == g.data, norm * (b - r) + 2.0 / 6.0, norm * (r - g) + 4.0 / 6.0)
    hue = ops.where(V == r.data, norm * (g - b), hue)
    hue = ops.where(D > 0, hue, 0.0) + (hue.data < 0).astype(hue.data.dtype)
    return ops.stack([hue, saturation, value], axis=-1)


def hsv_to_rgb(images: Tensor) -> Tensor:
    """RGB images of (H, S, V) ones (see the module docstring)."""
    hue, saturation, value = (channel(images, i) for i in range(3))
    h = ops.mod(hue, 1.0) * 6.0
    d = (ops.clip(ops.abs(h - 3.0) - 1.0, 0.0, 1.0), ops.clip(2.0 - ops.abs(h - 2.0), 0.0, 1.0),
         ops.clip(2.0 - ops.abs(h - 4.0), 0.0, 1.0))
    return ops.stack([value * (1.0 - saturation + saturation * d_c) for d_c in d], axis=-1)


def blend(a, b, t):
    """a + t·(b − a): t = 0 gives ``a``, t = 1 gives ``b`` (t may broadcast per image)."""
    return a + t * (b - a)


def replace_channel(images: Tensor, index: int, new: Tensor) -> Tensor:
    """``images`` with channel ``index`` (of 3) replaced by ``new`` (…, height, width)."""
    return ops.stack([new if i == index else channel(images, i) for i in range(3)], axis=-1)


# --- the arguments the colour layers share ----------------------------------------------------
def sorted_value_range(owner: str, value_range) -> list:
    """Keras's stored form of ``value_range`` for most colour layers: the two numbers sorted, as a list."""
    check_value_range(owner, value_range, sort=True)
    return sorted(value_range)


def given_value_range(owner: str, value_range) -> tuple:
    """``value_range`` checked (low < high) and kept as given, as a tuple (RandomHue, RandomInvert, …)."""
    check_value_range(owner, value_range)
    return as_config_value(value_range)


def draw_apply(generator: np.random.Generator, factor: tuple, batch: int) -> np.ndarray:
    """Which images a probability-gated layer changes: p ~ U[factor], u ~ U[0, 1), apply where u < p."""
    probability = generator.uniform(factor[0], factor[1], (batch,))
    return generator.uniform(0.0, 1.0, (batch,)) < probability

"""RandomElasticTransform: displace every pixel by a smooth random field, in training."""
from __future__ import annotations

import numpy as np

from ... import ops
from ...tensor import Tensor
from . import colour_space, image_transform
from .base_augmentation import RandomAugmentation, _is_number, check_option, parse_factor
from .filters import filter_channels, gaussian_kernel

ELASTIC_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def smooth_field(noise: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian-blurred ``noise`` (batch, h, w): kernel size int(6σ) | 1 (odd), width σ, zeros outside."""
    size = int(6 * sigma) | 1
    kernel = np.outer(gaussian_kernel(size, sigma), gaussian_kernel(size, sigma))
    return filter_channels(Tensor(noise[..., None]), kernel).numpy()[..., 0]


class RandomElasticTransform(RandomAugmentation):
    """Elastic deformation (Simard et al., 2003) of each image, with a random probability, in training.

    Formula: draw p ~ U[factor] and u ~ U[0, 1) per image (deform when u < p), one strength
    s ~ U[scale] for the batch and two fields of N(0, 1) noise n_x, n_y per image; with
        α = 0.1·s·max(H, W),   σ = 0.05·s·min(H, W)
        d_x = G_σ ⋆ (σ·n_x),   d_y = G_σ ⋆ (σ·n_y)     (G_σ a Gaussian blur, ``smooth_field``)
    output pixel (x, y) reads the input at (x + α·d_x, y + α·d_y) (``fill_mode`` outside), and
    every image is then clipped to ``value_range``. With scale or factor (0, 0) nothing happens.

    Args:
        factor: the probability range: a number f in [0, 1] (the pair (0, f)) or a pair; default 1.0.
        scale: the strength range: a number s in [0, 1] (the pair (0, s)) or a pair; default 1.0.
        interpolation: "bilinear" (default) or "nearest".
        fill_mode: "reflect" (default), "mirror", "wrap", "constant" or "nearest".
        fill_value: the value outside the image with ``fill_mode="constant"`` (default 0.0).
        value_range: (low, high) the pixels live in, default (0, 255).
        seed: int for a layer-owned random stream, or None for ``glassnet.backend.rng()``.
        data_format: "channels_last" (or None).

    Input shape:
        (batch, height, width, channels) or (height, width, channels).

    Output shape:
        Same as the input.
    """

    def __init__(self, factor=1.0, scale=1.0, interpolation="bilinear", fill_mode="reflect", fill_value=0.0,
                 value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        owner = type(self).__name__
        self.factor = parse_factor(owner, factor, bounds=(0, 1))
        self.scale = parse_factor(owner, scale, bounds=(0, 1), name="scale")
        self.interpolation = check_option(owner, "interpolation", interpolation, image_transform.INTERPOLATIONS)
        self.fill_mode = check_option(owner, "fill_mode", fill_mode, ELASTIC_FILL_MODES)
        if not _is_number(fill_value):
            raise ValueError(f"RandomElasticTransform: fill_value must be a number, got {fill_value!r}")
        self.fill_value = fill_value
        self.value_range = colour_space.given_value_range(owner, value_range)

    def get_random_transformation(self, images_shape):
        """{"apply_transform": boolean (batch,), "distortion_factor": s, "noise": (2, batch, h, w)} (the
        fields n_x, n_y), or None when scale or factor is (0, 0)."""
        if self.scale[1] == 0 or self.factor[1] == 0:
            return None
        batch, height, width = images_shape[:3]
        apply = colour_space.draw_apply(self.generator, self.factor, batch)
        return {"apply_transform": apply, "distortion_factor": self.generator.uniform(*self.scale),
                "noise": self.generator.standard_normal((2, batch, height, width))}

    def transform_images(self, images, transformation, training=True):
        images = self.to_float(images)
        if not training or transformation is None:
            return images
        height, width = images.shape[1:3]
        s = float(transformation["distortion_factor"])
        alpha, sigma = max(height, width) * 0.1 * s, min(height, width) * 0.05 * s
        n_x, n_y = np.asarray(transformation["noise"], np.float64)
        x = np.arange(width, dtype=np.float64).reshape(1, 1, -1) + alpha * smooth_field(n_x * sigma, sigma)
        y = np.arange(height, dtype=np.float64).reshape(1, -1, 1) + alpha * smooth_field(n_y * sigma, sigma)
        deformed = image_transform.sample(images, x, y, self.interpolation, self.fill_mode, float(self.fill_value))
        apply = np.asarray(transformation["apply_transform"], bool).reshape(-1, 1, 1, 1)
        return ops.clip(ops.where(np.broadcast_to(apply, images.shape), deformed, images), *self.value_range)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "scale": self.scale,
                "interpolation": self.interpolation, "fill_mode": self.fill_mode, "fill_value": self.fill_value,
                "value_range": self.value_range}

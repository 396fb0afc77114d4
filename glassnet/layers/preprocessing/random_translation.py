"""RandomTranslation: shift images by a random fraction of their size, in training."""
from __future__ import annotations

import numpy as np

from . import image_transform
from .base_augmentation import AffineAugmentation, as_config_value, parse_shift_factor


class RandomTranslation(AffineAugmentation):
    """Shifts each image by a random number of pixels during training; the identity at inference.

    Formula: draw f_h ~ U[height_lower, height_upper], f_w ~ U[width_lower, width_upper]
    per image; dy = f_h·H, dx = f_w·W pixels, and
        y[i, j] = x[i − dy, j − dx]      (bilinear between pixels; outside: ``fill_mode``)
    A positive dx moves the picture right, a positive dy down.

    Args:
        height_factor: a number f in [−1, 1] (the range [−|f|, |f|]) or a pair (lower, upper):
            the vertical shift as a fraction of the height.
        width_factor: the same for the horizontal shift, as a fraction of the width.
        fill_mode: "reflect" (default), "wrap", "constant" or "nearest".
        interpolation: "bilinear" (default) or "nearest".
        seed: int for a layer-owned random stream, or None for ``glassnet.backend.rng()``.
        fill_value: the value outside the image with ``fill_mode="constant"`` (default 0.0).
        data_format: "channels_last" (or None).

    Input shape:
        (batch, height, width, channels) or (height, width, channels).

    Output shape:
        Same as the input.
    """

    def __init__(self, height_factor, width_factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(fill_mode=fill_mode, interpolation=interpolation, seed=seed, fill_value=fill_value,
                         data_format=data_format, **kwargs)
        owner = type(self).__name__
        self.height_lower, self.height_upper = parse_shift_factor(owner, "height_factor", height_factor)
        self.width_lower, self.width_upper = parse_shift_factor(owner, "width_factor", width_factor)
        self.height_factor = as_config_value(height_factor)
        self.width_factor = as_config_value(width_factor)

    def get_random_transformation(self, images_shape) -> dict:
        """{"translations": (batch, 2) of [dx, dy] in pixels, "input_shape": images_shape}."""
        batch, height, width = images_shape[:3]
        dy = self.generator.uniform(self.height_lower, self.height_upper, (batch, 1)) * height
        dx = self.generator.uniform(self.width_lower, self.width_upper, (batch, 1)) * width
        return {"translations": np.concatenate([dx, dy], axis=1), "input_shape": tuple(images_shape)}

    def transform_matrix(self, transformation, height, width):
        return image_transform.translation_matrix(transformation["translations"])

    def get_config(self) -> dict:
        return {**super().get_config(), "height_factor": self.height_factor, "width_factor": self.width_factor}

"""RandomZoom: zoom images in or out by a random factor per axis, in training."""
from __future__ import annotations

import numpy as np

from . import image_transform
from .base_augmentation import AffineAugmentation, as_config_value, parse_shift_factor


class RandomZoom(AffineAugmentation):
    """Zooms each image about its centre during training; the identity at inference.

    Formula: draw z_y ~ U[1 + height_lower, 1 + height_upper] (and z_x likewise from
    width_factor, or z_x = z_y when width_factor is None) per image; with the centre
    c = ((W − 1)/2, (H − 1)/2),
        y[i, j] = x[c_y + z_y·(i − c_y), c_x + z_x·(j − c_x)]
    So a positive factor (z > 1) zooms *out* (the picture shrinks, ``fill_mode`` fills the
    border) and a negative one zooms in — Keras's sign convention.

    Args:
        height_factor: a number f in (−1, 1] (the range [−|f|, |f|]) or a pair (lower, upper).
        width_factor: the same for the width, or None (default) to keep the aspect ratio.
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

    def __init__(self, height_factor, width_factor=None, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(fill_mode=fill_mode, interpolation=interpolation, seed=seed, fill_value=fill_value,
                         data_format=data_format, **kwargs)
        owner = type(self).__name__
        self.height_lower, self.height_upper = parse_shift_factor(owner, "height_factor", height_factor,
                                                                  open_below=True)
        if width_factor is not None:
            self.width_lower, self.width_upper = parse_shift_factor(owner, "width_factor", width_factor,
                                                                    open_below=True)
        self.height_factor = as_config_value(height_factor)
        self.width_factor = as_config_value(width_factor)

    def get_random_transformation(self, images_shape) -> dict:
        """{"height_zoom": (batch, 1), "width_zoom": (batch, 1), "input_shape": images_shape}."""
        shape = (images_shape[0], 1)
        height_zoom = self.generator.uniform(1.0 + self.height_lower, 1.0 + self.height_upper, shape)
        width_zoom = height_zoom
        if self.width_factor is not None:
            width_zoom = self.generator.uniform(1.0 + self.width_lower, 1.0 + self.width_upper, shape)
        return {"height_zoom": height_zoom, "width_zoom": width_zoom, "input_shape": tuple(images_shape)}

    def transform_matrix(self, transformation, height, width):
        zooms = np.concatenate([np.asarray(transformation["width_zoom"]).reshape(-1, 1),
                                np.asarray(transformation["height_zoom"]).reshape(-1, 1)], axis=1)
        return image_transform.zoom_matrix(zooms, height, width)

    def get_config(self) -> dict:
        return {**super().get_config(), "height_factor": self.height_factor, "width_factor": self.width_factor}

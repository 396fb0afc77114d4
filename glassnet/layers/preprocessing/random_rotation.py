"""RandomRotation: turn images by a random angle about their centre, in training."""
from __future__ import annotations

from . import image_transform
from .base_augmentation import AffineAugmentation, parse_factor


class RandomRotation(AffineAugmentation):
    """Rotates each image about its centre during training; the identity at inference.

    Formula: draw θ ~ U[360°·lower, 360°·upper] per image (``factor`` is a fraction of a full
    turn, 2π); with the centre c = ((W − 1)/2, (H − 1)/2), output pixel (x, y) reads
        x_in = cos θ·(x − c_x) − sin θ·(y − c_y) + c_x
        y_in = sin θ·(x − c_x) + cos θ·(y − c_y) + c_y
    A positive θ turns the picture counter-clockwise: factor=(0.25, 0.25) is np.rot90.

    Args:
        factor: a number f in [−1, 1] (the range [−|f|, |f|] of a full turn) or a pair
            (lower, upper); e.g. 0.1 turns by up to ±36°.
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

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None, fill_value=0.0,
                 data_format=None, **kwargs):
        super().__init__(fill_mode=fill_mode, interpolation=interpolation, seed=seed, fill_value=fill_value,
                         data_format=data_format, **kwargs)
        self.factor = parse_factor(type(self).__name__, factor, bounds=(-1, 1))

    def rotation_transformation(self, angle, height: int, width: int) -> dict:
        """Keras's transformation dict for ``angle`` (degrees, (batch,))."""
        return {"angle": angle, "rotation_matrix": image_transform.rotation_matrix(angle, height, width),
                "image_height": height, "image_width": width, "batch_size": len(angle)}

    def get_random_transformation(self, images_shape) -> dict:
        batch, height, width = images_shape[:3]
        angle = self.generator.uniform(self.factor[0] * 360.0, self.factor[1] * 360.0, (batch,))
        return self.rotation_transformation(angle, height, width)

    def transform_matrix(self, transformation, height, width):
        return transformation["rotation_matrix"]

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor}

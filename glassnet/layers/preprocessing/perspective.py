"""RandomPerspective: move each image's corners at random and warp it with the homography, in training."""
from __future__ import annotations

import numpy as np

from ... import ops
from . import colour_space, image_transform
from .base_augmentation import RandomAugmentation, _is_number, check_option, parse_factor


def homography(start_points, end_points) -> np.ndarray:
    """(batch, 8) rows [a0, a1, a2, b0, b1, b2, c0, c1] of the projective map sending each end point
    to its start point (so an output pixel at an end point reads the input at the start point).

    Each of the 4 point pairs (x, y) ↦ (x', y') gives two linear equations in the 8 unknowns
    (from x'·(c0·x + c1·y + 1) = a0·x + a1·y + a2, and likewise for y'):
        [x, y, 1, 0, 0, 0, −x'·x, −x'·y]·h = x'
        [0, 0, 0, x, y, 1, −y'·x, −y'·y]·h = y'
    solved as one 8×8 system per image.
    """
    start = np.asarray(start_points, np.float64).reshape(-1, 4, 2)
    end = np.asarray(end_points, np.float64).reshape(-1, 4, 2)
    x, y = end[..., 0], end[..., 1]
    xs, ys = start[..., 0], start[..., 1]
    one, zero = np.ones_like(x), np.zeros_like(x)
    rows_x = np.stack([x, y, one, zero, zero, zero, -xs * x, -xs * y], axis=-1)      # (batch, 4, 8)
    rows_y = np.stack([zero, zero, zero, x, y, one, -ys * x, -ys * y], axis=-1)
    A = np.stack([rows_x, rows_y], axis=2).reshape(-1, 8, 8)                       # equations x1, y1, x2, …
    b = np.stack([xs, ys], axis=-1).reshape(-1, 8, 1)
    return np.linalg.solve(A, b)[..., 0]


class RandomPerspective(RandomAugmentation):
    """Applies a random perspective warp to each image, with a random probability, in training.

    Formula: per image draw p ~ U[factor] and u ~ U[0, 1) (warp when u < p) and offsets
    d ~ U[−scale/2, scale/2] for each coordinate of the four corners
    P = ((0, 0), (W − 1, 0), (0, H − 1), (W − 1, H − 1)); the corners move to P' = P + P·d, and
    output pixel (x, y) reads the input through the homography taking P' to P (``homography``):
        k = c0·x + c1·y + 1,   x_in = (a0·x + a1·y + a2)/k,   y_in = (b0·x + b1·y + b2)/k
    Points outside the image read ``fill_value``.

    Args:
        factor: the warp probability range: a number f in [0, 1] (the pair (0, f)) or a pair; default 1.0.
        scale: the size of the corner moves, a number in [0, 1] (default 1.0).
        interpolation: "bilinear" (default) or "nearest".
        fill_value: the value of points outside the image (default 0.0).
        seed: int for a layer-owned random stream, or None for ``glassnet.backend.rng()``.
        data_format: "channels_last" (or None).

    Input shape:
        (batch, height, width, channels) or (height, width, channels).

    Output shape:
        Same as the input.
    """

    def __init__(self, factor=1.0, scale=1.0, interpolation="bilinear", fill_value=0.0, seed=None, data_format=None,
                 **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        owner = type(self).__name__
        self.factor = parse_factor(owner, factor, bounds=(0, 1))
        if not _is_number(scale) or not 0 <= scale <= 1:
            raise ValueError(f"RandomPerspective: scale must be a number in [0, 1], got {scale!r}")
        self.scale = scale
        self.interpolation = check_option(owner, "interpolation", interpolation, image_transform.INTERPOLATIONS)
        if not _is_number(fill_value):
            raise ValueError(f"RandomPerspective: fill_value must be a number, got {fill_value!r}")
        self.fill_value = fill_value

    def get_random_transformation(self, images_shape) -> dict:
        """{"apply_perspective": boolean (batch,), "start_points": (batch, 4, 2), "end_points": (batch, 4, 2),
        "input_shape": images_shape}."""
        batch, height, width = images_shape[:3]
        apply = colour_space.draw_apply(self.generator, self.factor, batch)
        offsets = self.generator.uniform(-0.5 * self.scale, 0.5 * self.scale, (batch, 4, 2))
        corners = np.array([[0.0, 0.0], [width - 1, 0.0], [0.0, height - 1], [width - 1, height - 1]])
        start = np.repeat(corners[None], batch, axis=0)
        return {"apply_perspective": apply, "start_points": start, "end_points": start + start * offsets,
                "input_shape": tuple(images_shape)}

    def transform_images(self, images, transformation, training=True):
        images = self.to_float(images)
        if not training:
            return images
        matrix = homography(transformation["start_points"], transformation["end_points"])
        warped = image_transform.affine_transform(images, matrix, interpolation=self.interpolation,
                                                  fill_mode="constant", fill_value=float(self.fill_value))
        apply = np.asarray(transformation["apply_perspective"], bool).reshape(-1, 1, 1, 1)
        return ops.where(np.broadcast_to(apply, images.shape), warped, images)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "scale": self.scale,
                "interpolation": self.interpolation, "fill_value": self.fill_value}

"""RandomShear: slant images horizontally and/or vertically by a random amount, in training."""
from __future__ import annotations

import numpy as np

from .base_augmentation import AffineAugmentation, _is_number


def parse_shear_factor(name: str, factor) -> tuple:
    """RandomShear's factor rule: a number f in [0, 1] gives (−f, f); a pair is sorted.

    Keras wants a pair in [0, 1] and so refuses its own config of a number (it stores
    (−f, f)); glassnet takes a pair in [−1, 1], so that config reads back.
    """
    if isinstance(factor, (tuple, list)) and len(factor) == 2 and all(_is_number(f) and -1 <= f <= 1 for f in factor):
        lower, upper = sorted(float(f) for f in factor)
        return lower, upper
    if _is_number(factor) and 0 <= factor <= 1:
        return -float(factor), float(factor)
    raise ValueError(f"RandomShear: {name} must be a number in [0, 1] or a pair of numbers in [-1, 1], "
                     f"got {factor!r}")


def shear_matrix(shear_factors) -> np.ndarray:
    """Rows [1, s_x, 0, s_y, 1, 0, 0, 0]: output (x, y) reads the input at (x + s_x·y, s_y·x + y)."""
    s = np.asarray(shear_factors, dtype=np.float64).reshape(-1, 2)
    one, zero = np.ones(len(s)), np.zeros(len(s))
    return np.stack([one, s[:, 0], zero, s[:, 1], one, zero, zero, zero], axis=1)


class RandomShear(AffineAugmentation):
    """Shears each image by a random amount during training; the identity at inference.

    Formula: per image draw s_x ~ U[x_factor], s_y ~ U[y_factor] and a sign σ = ±1 (each with
    probability ½, shared by both); output pixel (x, y) (x the column, y the row, from the
    top-left corner, as Keras) reads the input at
        x_in = x + σ·s_x·y,      y_in = σ·s_y·x + y
    Points outside the image are filled by ``fill_mode``.

    Args:
        x_factor: a number f in [0, 1] (the range [−f, f]) or a pair (lower, upper) in [−1, 1].
        y_factor: the same for the vertical shear.
        interpolation: "bilinear" (default) or "nearest".
        fill_mode: "reflect" (default), "wrap", "constant" or "nearest".
        fill_value: the value outside the image with ``fill_mode="constant"`` (default 0.0).
        data_format: "channels_last" (or None).
        seed: int for a layer-owned random stream, or None for ``glassnet.backend.rng()``.

    Input shape:
        (batch, height, width, channels) or (height, width, channels).

    Output shape:
        Same as the input.
    """

    def __init__(self, x_factor=0.0, y_factor=0.0, interpolation="bilinear", fill_mode="reflect", fill_value=0.0,
                 data_format=None, seed=None, **kwargs):
        super().__init__(fill_mode=fill_mode, interpolation=interpolation, seed=seed, fill_value=fill_value,
                         data_format=data_format, **kwargs)
        self.x_factor = parse_shear_factor("x_factor", x_factor)
        self.y_factor = parse_shear_factor("y_factor", y_factor)

    def get_random_transformation(self, images_shape) -> dict:
        """{"shear_factor": (batch, 2) of [σ·s_x, σ·s_y], "input_shape": images_shape}."""
        batch = images_shape[0]
        sign = np.where(self.generator.uniform(0.0, 1.0, (batch, 1)) > 0.5, -1.0, 1.0)
        shear_y = self.generator.uniform(*self.y_factor, (batch, 1))
        shear_x = self.generator.uniform(*self.x_factor, (batch, 1))
        return {"shear_factor": np.concatenate([shear_x, shear_y], axis=1) * sign, "input_shape": tuple(images_shape)}

    def transform_matrix(self, transformation, height, width):
        return shear_matrix(transformation["shear_factor"])

    def get_config(self) -> dict:
        return {**super().get_config(), "x_factor": self.x_factor, "y_factor": self.y_factor}

"""RandomErasing: fill a random rectangle of each image with noise or a constant, in training.

``random_boxes`` (one random rectangle per image, as a pixel mask) is shared with CutMix.
"""
from __future__ import annotations

import numpy as np

from ... import ops
from . import colour_space
from .base_augmentation import RandomAugmentation, _is_number, parse_factor


def random_boxes(generator: np.random.Generator, images_shape, width_ratio, height_ratio) -> tuple:
    """One axis-aligned box per image, as Keras draws it, and its pixel mask.

    For each axis of length L and ratio r (per image): the box length is r·L and its start
    s = u·(L − r·L), u ~ U[0, 1); pixel (i, j) is inside when x0 ≤ j < x1 and y0 ≤ i < y1.

    Returns:
        (mask, boolean (batch, height, width, channels); (x0, x1, y0, y1), each (batch,)).
    """
    batch, height, width, channels = images_shape
    corners = []
    for length, ratio in ((width, width_ratio), (height, height_ratio)):
        box = np.asarray(ratio, np.float64) * length
        start = generator.uniform(0.0, 1.0, (batch,)) * (length - box)
        corners += [start, start + box]
    x0, x1, y0, y1 = (c.reshape(-1, 1, 1, 1) for c in corners)
    rows, columns = np.arange(height).reshape(1, -1, 1, 1), np.arange(width).reshape(1, 1, -1, 1)
    inside = (columns >= x0) & (columns < x1) & (rows >= y0) & (rows < y1)
    return np.broadcast_to(inside, (batch, height, width, channels)), tuple(corners)


class RandomErasing(RandomAugmentation):
    """Erases a random rectangle of each image, with a random probability, during training.

    Formula: per image draw p ~ U[factor] and u ~ U[0, 1) (erase when u < p), and the box's
    sides as fractions r_x, r_y = √U[scale] of the width and height, placed uniformly
    (``random_boxes``); inside the box
        y = clip(v, low, high)        (low, high) = value_range
    where v is ``fill_value`` (a number, or one per channel) or, when it is None, Gaussian
    noise N(0, 1)·high drawn per pixel. Outside the box, or when not erased, y = x.

    Args:
        factor: the erasing probability range: a number f in [0, 1] (the pair (0, f)) or a pair.
        scale: the range of the box's area fraction (each side √scale), default (0.02, 0.33).
        fill_value: None (noise, default), a number, or a list of 3 numbers (one per channel).
        value_range: (low, high) the pixels live in, default (0, 255).
        seed: int for a layer-owned random stream, or None for ``glassnet.backend.rng()``.
        data_format: "channels_last" (or None).

    Input shape:
        (batch, height, width, channels) or (height, width, channels).

    Output shape:
        Same as the input.
    """

    def __init__(self, factor=1.0, scale=(0.02, 0.33), fill_value=None, value_range=(0, 255), seed=None,
                 data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        owner = type(self).__name__
        self.factor = parse_factor(owner, factor, bounds=(0, 1))
        self.scale = parse_factor(owner, scale, bounds=(0, 1), name="scale")
        if not (fill_value is None or _is_number(fill_value) or (
                isinstance(fill_value, (tuple, list)) and len(fill_value) == 3 and all(map(_is_number, fill_value)))):
            raise ValueError(f"RandomErasing: fill_value must be None, a number or a list of 3 numbers, "
                             f"got {fill_value!r}")
        self.fill_value = list(fill_value) if isinstance(fill_value, (tuple, list)) else fill_value
        self.value_range = colour_space.given_value_range(owner, value_range)

    def get_random_transformation(self, images_shape) -> dict:
        """{"apply_erasing": boolean (batch,), "batch_masks": boolean images_shape, "fill_value": images_shape}."""
        batch = images_shape[0]
        ratios = np.sqrt(self.generator.uniform(self.scale[0], self.scale[1], (batch, 2)))
        masks, _ = random_boxes(self.generator, images_shape, ratios[:, 0], ratios[:, 1])
        apply = colour_space.draw_apply(self.generator, self.factor, batch)
        if self.fill_value is None:
            fill = self.generator.standard_normal(tuple(images_shape)) * self.value_range[1]
        else:
            fill = np.broadcast_to(np.asarray(self.fill_value, np.float64), tuple(images_shape))
        return {"apply_erasing": apply, "batch_masks": masks, "fill_value": np.clip(fill, *self.value_range)}

    def transform_images(self, images, transformation, training=True):
        images = self.to_float(images)
        if not training:
            return images
        apply = np.asarray(transformation["apply_erasing"], bool).reshape(-1, 1, 1, 1)
        erased = apply & np.asarray(transformation["batch_masks"], bool)
        fill = np.asarray(transformation["fill_value"], images.dtype)
        return ops.where(np.broadcast_to(erased, images.shape), fill, images)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "scale": self.scale, "fill_value": self.fill_value,
                "value_range": self.value_range}

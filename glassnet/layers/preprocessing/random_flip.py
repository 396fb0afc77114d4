"""RandomFlip: mirror images left-right and/or top-bottom, at random, in training."""
from __future__ import annotations

import numpy as np

from ... import ops
from .base_augmentation import RandomAugmentation, check_option

HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL = "horizontal", "vertical", "horizontal_and_vertical"


class RandomFlip(RandomAugmentation):
    """Flips each image with probability ½ during training; the identity at inference.

    Formula: for each image draw u ~ U[0, 1) and flip it when u ≤ ½:
        horizontal  y[i, j] = x[i, W − 1 − j]       (left-right)
        vertical    y[i, j] = x[H − 1 − i, j]       (top-bottom)
    With "horizontal_and_vertical" (the default) one draw decides both flips, as in Keras:
    an image is either left alone or flipped both ways (turned by 180°).

    Args:
        mode: "horizontal", "vertical" or "horizontal_and_vertical".
        seed: int for a layer-owned random stream, or None for ``glassnet.backend.rng()``.
        data_format: "channels_last" (or None).

    Input shape:
        (batch, height, width, channels) or (height, width, channels); integer pixels
        come out as floats.

    Output shape:
        Same as the input.
    """

    def __init__(self, mode=HORIZONTAL_AND_VERTICAL, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.mode = check_option(type(self).__name__, "mode", mode, (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL))

    def get_random_transformation(self, images_shape) -> dict:
        """{"flips": boolean (batch, 1, 1, 1), "input_shape": images_shape}."""
        flips = self.generator.random((images_shape[0], 1, 1, 1)) <= 0.5
        return {"flips": flips, "input_shape": tuple(images_shape)}

    def transform_images(self, images, transformation, training=True):
        images = self.to_float(images)
        if not training:
            return images
        flips = np.asarray(transformation["flips"], dtype=bool)
        outputs = images
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            outputs = ops.where(flips, ops.getitem(outputs, (slice(None), slice(None), slice(None, None, -1))), outputs)
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            outputs = ops.where(flips, ops.getitem(outputs, (slice(None), slice(None, None, -1))), outputs)
        return outputs

    def get_config(self) -> dict:
        return {**super().get_config(), "mode": self.mode}

"""RandomContrast: stretch or squeeze each image's values about their mean, in training."""
from __future__ import annotations

from ... import ops
from .base_augmentation import RandomAugmentation, as_config_value, check_value_range, parse_factor


class RandomContrast(RandomAugmentation):
    """Adjusts the contrast of each image by a random factor during training; identity at inference.

    Formula: draw c ~ U[1 − lower, 1 + upper] per image; for each channel with mean μ over
    the image's pixels,
        y = clip((x − μ)·c + μ, low, high)          (low, high) = value_range

    Keras's factor rule (bounds [0, 1]) makes a single number f the pair (0, f), so
    ``RandomContrast(0.2)`` draws c from [1.0, 1.2] — it only ever *raises* contrast. Pass
    ``factor=(0.2, 0.2)`` for c in [0.8, 1.2]. (glassnet matches Keras 3's code here, whose
    docstring says otherwise.)

    Args:
        factor: a number f in [0, 1] (the pair (0, f)) or a pair (lower, upper).
        value_range: (low, high) the pixels live in, default (0, 255); outputs are clipped to it.
        seed: int for a layer-owned random stream, or None for ``glassnet.backend.rng()``.

    Input shape:
        (batch, height, width, channels) or (height, width, channels).

    Output shape:
        Same as the input.
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.factor = parse_factor(type(self).__name__, factor, bounds=(0, 1))
        self._low, self._high = check_value_range(type(self).__name__, value_range)
        self.value_range = as_config_value(value_range)

    def get_random_transformation(self, images_shape) -> dict:
        """{"contrast_factor": (batch, 1, 1, 1)}."""
        shape = (images_shape[0], 1, 1, 1)
        return {"contrast_factor": self.generator.uniform(1.0 - self.factor[0], 1.0 + self.factor[1], shape)}

    def transform_images(self, images, transformation, training=True):
        images = self.to_float(images)
        if not training:
            return images
        mean = ops.mean(images, axis=(-3, -2), keepdims=True)      # μ per image and channel
        outputs = (images - mean) * transformation["contrast_factor"] + mean
        return ops.clip(outputs, self._low, self._high)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range}

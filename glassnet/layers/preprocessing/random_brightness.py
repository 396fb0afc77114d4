"""RandomBrightness: add a random offset to every pixel of an image, in training."""
from __future__ import annotations

from ... import ops
from .base_augmentation import RandomAugmentation, check_value_range, parse_factor


class RandomBrightness(RandomAugmentation):
    """Brightens or darkens each image by a random amount during training; identity at inference.

    Formula: draw f ~ U[lower, upper] per image; with (low, high) = value_range,
        y = clip(x + f·(high − low), low, high)
    f = −1 makes the image black (low), f = 1 white (high).

    Args:
        factor: a number f in [−1, 1] (the range [−|f|, |f|]) or a pair (lower, upper).
        value_range: (low, high) the pixels live in, default (0, 255); stored sorted, as Keras.
        seed: int for a layer-owned random stream, or None for ``glassnet.backend.rng()``.

    Input shape:
        (batch, height, width, channels) or (height, width, channels); integer pixels come out
        as floats (Keras adds the offset in the integer dtype).

    Output shape:
        Same as the input.
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.factor = parse_factor(type(self).__name__, factor, bounds=(-1, 1))
        self._low, self._high = check_value_range(type(self).__name__, value_range, sort=True)
        self.value_range = [self._low, self._high]

    def get_random_transformation(self, images_shape) -> dict:
        """{"rgb_delta": (batch, 1, 1, 1)}: the offset f·(high − low)."""
        f = self.generator.uniform(self.factor[0], self.factor[1], (images_shape[0], 1, 1, 1))
        return {"rgb_delta": f * (self._high - self._low)}

    def transform_images(self, images, transformation, training=True):
        images = self.to_float(images)
        if not training:
            return images
        return ops.clip(images + transformation["rgb_delta"], self._low, self._high)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range}

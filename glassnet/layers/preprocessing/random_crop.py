"""RandomCrop: cut a random (height, width) window out of the images, in training."""
from __future__ import annotations

from ... import ops
from . import image_transform
from .base_augmentation import FixedSize, RandomAugmentation


class RandomCrop(FixedSize, RandomAugmentation):
    """Crops a random window of size (height, width) during training; a central one at inference.

    Formula (training), for images of size H × W larger than the target on both axes: draw
    top t = ⌊U[0, H − height + 1)⌋ and left l = ⌊U[0, W − width + 1)⌋ once per batch (every
    image of the batch is cut at the same place, as in Keras), and
        y[i, j] = x[t + i, l + j]
    If an axis is not larger (H ≤ height or W ≤ width), Keras's rule applies instead: the
    window starts at the corner of the largest central window with the target's aspect
    ratio, and whatever the slice [t, t + height) × [l, l + width) gives is resized
    (bilinear) to (height, width).

    At inference the images are resized and cropped "so as to return the largest possible
    window in the image that matches the target aspect ratio" (Keras's documented behaviour,
    ``smart_resize``), so the output always has the shape ``compute_output_shape`` states.
    Keras 3.15's code returns the images uncropped at inference (keras-team/keras#21868).

    Args:
        height, width: the output size (positive ints).
        seed: int for a layer-owned random stream, or None for ``glassnet.backend.rng()``.
        data_format: "channels_last" (or None).

    Input shape:
        (batch, H, W, channels) or (H, W, channels).

    Output shape:
        (batch, height, width, channels) or (height, width, channels).
    """

    def __init__(self, height, width, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.set_size(height, width)

    def call(self, inputs, training=None):
        if training:
            return super().call(inputs, training=training)
        self.check_image_shape(inputs.shape)
        return image_transform.smart_resize(self.to_float(inputs), self.height, self.width)

    def get_random_transformation(self, images_shape) -> tuple:
        """(top, left) of the window."""
        height, width = images_shape[-3], images_shape[-2]
        if height > self.height and width > self.width:
            top = int(self.generator.uniform(0, height - self.height + 1))
            left = int(self.generator.uniform(0, width - self.width + 1))
            return top, left
        top, left, _, _ = image_transform.aspect_ratio_crop_box(height, width, self.height, self.width)
        return top, left

    def transform_images(self, images, transformation, training=True):
        images = self.to_float(images)
        if not training:
            return images
        top, left = transformation
        window = (slice(top, top + self.height), slice(left, left + self.width))
        images = ops.getitem(images, (slice(None), *window) if images.ndim == 4 else window)
        if images.shape[-3:-1] != (self.height, self.width):
            images = image_transform.resize(images, self.height, self.width)
        return images

"""What the image preprocessing layers share: image shapes, argument checks, the random draw.

``ImagePreprocessingLayer`` checks channels-last images (batch, height, width, channels) or
one (height, width, channels) image and makes integer pixels float. ``RandomAugmentation``
adds Keras's training-only randomness: in training, ``call`` draws a *transformation* (a dict
of random parameters, Keras's ``get_random_transformation``) and applies it
(``transform_images``); at inference it returns the images unchanged. The two halves are
public, with Keras's names and dict keys, so a test can apply the very same parameters to
glassnet's layer and to Keras's. ``AffineAugmentation`` is the geometric family (translation,
zoom, rotation): a transformation becomes one affine matrix per image, resampled by
``image_transform.affine_transform`` with ``fill_mode``, ``interpolation`` and ``fill_value``.

Random draws come from the layer's own generator when it has a ``seed``, else from
``glassnet.backend.rng()`` (seeded by ``glassnet.utils.set_random_seed``), as Dropout.
"""
from __future__ import annotations

import numbers

import numpy as np

from ... import backend, ops
from ...tensor import Tensor
from ..arguments import normalize_data_format
from ..base import Layer
from ..regularization.dropout import random_generator
from . import image_transform


# --- argument checks (each ValueError names the layer, the argument and the value) ------------
def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_option(owner: str, name: str, value, options) -> str:
    """``value`` if it is one of ``options``; else a ValueError listing them."""
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{owner}: {name} must be one of {tuple(options)}, got {value!r}")
    return value


def parse_factor(owner: str, factor, bounds: tuple, name: str = "factor") -> tuple:
    """(lower, upper) from Keras's image-layer ``factor`` rule (``_set_factor``).

    A pair is sorted; it is refused only when it lies wholly outside ``bounds``. A number f
    must lie in ``bounds`` and gives (max(−|f|, bounds[0]), |f|) — so with bounds (0, 1),
    as RandomContrast has, f gives (0, f), not (f, f).
    """
    low, high = bounds
    message = (f"{owner}: {name} must be a number or a pair of numbers in [{low}, {high}], got {factor!r}")
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2 or not all(_is_number(f) for f in factor) or factor[0] > high or factor[1] < low:
            raise ValueError(message)
        lower, upper = sorted(float(f) for f in factor)
        return lower, upper
    if not _is_number(factor) or not low <= factor <= high:
        raise ValueError(message)
    factor = abs(float(factor))
    return max(-factor, float(low)), factor


def parse_shift_factor(owner: str, name: str, factor, open_below: bool = False) -> tuple:
    """(lower, upper) of RandomTranslation's / RandomZoom's factors: a number f gives (−|f|, |f|);
    every number must lie in [−1, 1] (in (−1, 1] for a zoom: a factor of −1 would zoom infinitely)."""
    interval = "(-1, 1]" if open_below else "[-1, 1]"

    def valid(f):
        return _is_number(f) and (f > -1 if open_below else f >= -1) and f <= 1

    if isinstance(factor, (tuple, list)):
        if len(factor) != 2 or not all(valid(f) for f in factor):
            raise ValueError(f"{owner}: {name} must be a number or a pair of numbers in {interval}, got {factor!r}")
        lower, upper = sorted(float(f) for f in factor)
        return lower, upper
    if not valid(factor):
        raise ValueError(f"{owner}: {name} must be a number or a pair of numbers in {interval}, got {factor!r}")
    return -abs(float(factor)), abs(float(factor))


def as_config_value(value):
    """A pair as a tuple (so a config read back from JSON lists compares equal), else unchanged."""
    return tuple(value) if isinstance(value, (tuple, list)) else value


def check_value_range(owner: str, value_range, sort: bool = False) -> tuple:
    """(low, high) from two numbers, with low < high (sorted first with ``sort``, as RandomBrightness)."""
    if (not isinstance(value_range, (tuple, list)) or len(value_range) != 2
            or not all(_is_number(v) for v in value_range)):
        raise ValueError(f"{owner}: value_range must be two numbers (low, high), got {value_range!r}")
    low, high = sorted(value_range) if sort else value_range
    if not low < high:
        raise ValueError(f"{owner}: value_range must have low < high, got {value_range!r}")
    return float(low), float(high)


def check_size(owner: str, height, width) -> tuple:
    """(height, width) as positive ints."""
    for name, value in (("height", height), ("width", width)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
            raise ValueError(f"{owner}: {name} must be a positive int, got {value!r}")
    return int(height), int(width)


class ImagePreprocessingLayer(Layer):
    """Base of the image layers: channels-last images of rank 3 (one image) or 4 (a batch).

    Args:
        data_format: "channels_last" (or None); glassnet refuses "channels_first".
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = normalize_data_format(type(self).__name__, data_format)

    def check_image_shape(self, shape) -> tuple:
        """The shape, if it is (batch, height, width, channels) or (height, width, channels)."""
        shape = tuple(shape)
        if len(shape) not in (3, 4):
            raise ValueError(f"{type(self).__name__} {self.name!r}: expected images of shape (batch, height, width, "
                             f"channels) or (height, width, channels), got shape {shape}")
        return shape

    def build(self, input_shape):
        self.check_image_shape(input_shape)

    def to_float(self, images) -> Tensor:
        """Integer pixels become the layer's float dtype (float images are already in it)."""
        images = images if isinstance(images, Tensor) else Tensor(np.asarray(images))
        return images if images.data.dtype.kind == "f" else ops.cast(images, self.dtype)

    def compute_output_shape(self, input_shape):
        return self.check_image_shape(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}


class FixedSize:
    """Mixin of the image layers whose output is (…, height, width, channels) whatever the input
    size (Resizing, CenterCrop, RandomCrop): the size check, the output shape and the config."""

    def set_size(self, height, width) -> None:
        self.height, self.width = check_size(type(self).__name__, height, width)

    def compute_output_shape(self, input_shape):
        shape = list(self.check_image_shape(input_shape))
        shape[-3:-1] = [self.height, self.width]
        return tuple(shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "height": self.height, "width": self.width}


class RandomAugmentation(ImagePreprocessingLayer):
    """Base of the Random* layers: a random transformation in training, the identity at inference.

    ``call(images, training)``: at inference (training False or None) the images come back
    unchanged (integer pixels as floats); in training, ``transform_images(images,
    get_random_transformation(images.shape))``. One image (rank 3) is treated as a batch of one.

    Args:
        seed: int for a layer-owned random stream (repeatable), or None to draw from
            ``glassnet.backend.rng()``.
    """

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = random_generator(seed)

    @property
    def generator(self) -> np.random.Generator:
        """The generator the next draw comes from."""
        return self.seed_generator or backend.rng()

    def get_random_transformation(self, images_shape) -> dict:
        """Draw this batch's random parameters (override); ``images_shape`` is 4-D."""
        raise NotImplementedError(f"{type(self).__name__} must implement get_random_transformation")

    def transform_images(self, images, transformation, training=True):
        """Apply drawn parameters to a batch (override); with ``training`` False return them as floats."""
        raise NotImplementedError(f"{type(self).__name__} must implement transform_images")

    def call(self, inputs, training=None):
        self.check_image_shape(inputs.shape)
        images = self.to_float(inputs)
        if not training:
            return images
        unbatched = images.ndim == 3
        if unbatched:
            images = ops.expand_dims(images, 0)
        outputs = self.transform_images(images, self.get_random_transformation(images.shape))
        return ops.squeeze(outputs, 0) if unbatched else outputs

    def get_config(self) -> dict:
        return {**super().get_config(), "seed": self.seed}


class AffineAugmentation(RandomAugmentation):
    """Base of the geometric Random* layers: one affine matrix per image (``transform_matrix``),
    resampled with ``image_transform.affine_transform``.

    Args:
        fill_mode: how points outside the image are filled: "reflect" (default), "wrap",
            "constant" or "nearest" (see ``image_transform``).
        interpolation: "bilinear" (default) or "nearest".
        seed: see ``RandomAugmentation``.
        fill_value: the value outside the image with ``fill_mode="constant"``.
    """

    def __init__(self, fill_mode="reflect", interpolation="bilinear", seed=None, fill_value=0.0, **kwargs):
        super().__init__(seed=seed, **kwargs)
        owner = type(self).__name__
        self.fill_mode = check_option(owner, "fill_mode", fill_mode, image_transform.FILL_MODES)
        self.interpolation = check_option(owner, "interpolation", interpolation, image_transform.INTERPOLATIONS)
        if not _is_number(fill_value):
            raise ValueError(f"{owner}: fill_value must be a number, got {fill_value!r}")
        self.fill_value = float(fill_value)

    def transform_matrix(self, transformation: dict, height: int, width: int) -> np.ndarray:
        """(batch, 8) rows [a0, a1, a2, b0, b1, b2, c0, c1] for ``transformation`` (override)."""
        raise NotImplementedError(f"{type(self).__name__} must implement transform_matrix")

    def transform_images(self, images, transformation, training=True):
        images = self.to_float(images)
        if not training:
            return images
        matrix = self.transform_matrix(transformation, *images.shape[-3:-1])
        return image_transform.affine_transform(images, matrix, interpolation=self.interpolation,
                                                fill_mode=self.fill_mode, fill_value=self.fill_value)

    def get_config(self) -> dict:
        return {**super().get_config(), "fill_mode": self.fill_mode, "interpolation": self.interpolation,
                "fill_value": self.fill_value}

"""Resizing and CenterCrop: bring images to a fixed (height, width)."""
from __future__ import annotations

import numpy as np

from ... import ops
from ...tensor import Tensor
from . import image_transform
from .base_augmentation import FixedSize, ImagePreprocessingLayer, check_option


class _FixedSize(FixedSize, ImagePreprocessingLayer):
    """An image layer whose output is (…, height, width, channels)."""

    def __init__(self, height, width, **kwargs):
        super().__init__(**kwargs)
        self.set_size(height, width)


class Resizing(_FixedSize):
    """Resizes images to (height, width) by interpolation (``image_transform.resize``).

    Formula: each spatial axis n_in → n_out is a weighted sum of input pixels,
        y[j] = Σ_i x[i]·M[i, j],   M[i, j] ∝ K(|(j + ½)·n_in/n_out − ½ − i|)   (half-pixel centres)
    with K the triangle kernel for "bilinear"; "nearest" reads x[⌊(j + ½)·n_in/n_out⌋].

    Integer images come out in their own dtype, rounded and clipped to its range (as Keras);
    float images in the layer's float dtype.

    Args:
        height, width: the output size (positive ints).
        interpolation: "bilinear" (default), "nearest", "bicubic", "lanczos3" or "lanczos5"
            (bicubic is Keys' a = −½, as Keras's TensorFlow/JAX/NumPy backends; torch's is −¾).
        crop_to_aspect_ratio: first crop the largest central window with the target aspect ratio
            (no distortion).
        pad_to_aspect_ratio: first pad the short side evenly with ``fill_value`` (no distortion).
        fill_mode: only "constant" (the padding of ``pad_to_aspect_ratio``).
        fill_value: the padding value (default 0.0).
        antialias: with downscaling, widen the kernel by the scale factor (a low-pass filter).
        data_format: "channels_last" (or None).

    Input shape:
        (batch, H, W, channels) or (H, W, channels).

    Output shape:
        (batch, height, width, channels) or (height, width, channels).
    """

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False, pad_to_aspect_ratio=False,
                 fill_mode="constant", fill_value=0.0, antialias=False, data_format=None, **kwargs):
        super().__init__(height, width, data_format=data_format, **kwargs)
        owner = type(self).__name__
        self.interpolation = check_option(owner, "interpolation", interpolation, image_transform.RESIZE_INTERPOLATIONS)
        self.fill_mode = check_option(owner, "fill_mode", fill_mode, ("constant",))
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError(f"{owner}: only one of crop_to_aspect_ratio and pad_to_aspect_ratio can be True")
        self.crop_to_aspect_ratio = bool(crop_to_aspect_ratio)
        self.pad_to_aspect_ratio = bool(pad_to_aspect_ratio)
        self.fill_value = float(fill_value)
        self.antialias = bool(antialias)

    def call(self, inputs):
        self.check_image_shape(inputs.shape)
        outputs = image_transform.resize(self.to_float(inputs), self.height, self.width, self.interpolation,
                                         antialias=self.antialias, crop_to_aspect_ratio=self.crop_to_aspect_ratio,
                                         pad_to_aspect_ratio=self.pad_to_aspect_ratio, fill_value=self.fill_value)
        dtype = inputs.data.dtype
        if dtype.kind in "iu":          # as Keras: round, saturate to the integer type, keep it (no gradient)
            info = np.iinfo(dtype)
            return Tensor(np.clip(np.rint(outputs.data), info.min, info.max).astype(dtype))
        return outputs

    def get_config(self) -> dict:
        return {**super().get_config(), "interpolation": self.interpolation,
                "crop_to_aspect_ratio": self.crop_to_aspect_ratio, "pad_to_aspect_ratio": self.pad_to_aspect_ratio,
                "fill_mode": self.fill_mode, "fill_value": self.fill_value, "antialias": self.antialias}


class CenterCrop(_FixedSize):
    """Cuts the central (height, width) window out of the images.

    Formula: with top t = ⌊(H − height)/2⌋ and left l = ⌊(W − width)/2⌋,
        y[i, j] = x[t + i, l + j]
    An image smaller than the target on either axis is instead resized without distortion:
    the largest central window with the target's aspect ratio, resized (bilinear) to
    (height, width) (Keras's ``smart_resize``).

    Args:
        height, width: the output size (positive ints).
        data_format: "channels_last" (or None).

    Input shape:
        (batch, H, W, channels) or (H, W, channels); integer pixels come out as floats.

    Output shape:
        (batch, height, width, channels) or (height, width, channels).
    """

    def call(self, inputs):
        shape = self.check_image_shape(inputs.shape)
        images = self.to_float(inputs)
        height, width = shape[-3], shape[-2]
        if height < self.height or width < self.width:
            return image_transform.smart_resize(images, self.height, self.width)
        top, left = (height - self.height) // 2, (width - self.width) // 2
        window = (slice(top, top + self.height), slice(left, left + self.width))
        return ops.getitem(images, (slice(None), *window) if images.ndim == 4 else window)

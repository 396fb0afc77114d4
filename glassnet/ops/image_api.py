"""keras.ops.image (part): resize, affine_transform, colour spaces, pad/crop to a size, patches.

``resize`` and ``affine_transform`` are the functions the preprocessing layers use
(``glassnet/layers/preprocessing/image_transform.py``: interpolation as matrix products and
gathers, differentiable). The rest, channels-last by default:

    rgb_to_grayscale:  Y = 0.2989·R + 0.5870·G + 0.1140·B                        (a product, differentiable)
    rgb_to_hsv:        V = max, S = (max − min)/max, H = the sector formula / 6   (a constant)
    hsv_to_rgb:        channel n ∈ (5, 3, 1): V − V·S·max(0, min(k, 4 − k, 1)), k = (n + 6H) mod 6
    pad_images / crop_images: two of (top, bottom, target height) give the third (width alike)
    extract_patches:   each size×size window (strided, dilated) flattened to (i, j, channel) order

Absent from ``keras.ops.image`` here: elastic_transform, extract_patches_3d, gaussian_blur,
map_coordinates, perspective_transform, scale_and_translate, sobel_edges, ssim.
"""
from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from .indexing import GetItem
from .keras_base import constant, float_tensor
from .matmul_ops import MatMul
from .shape_ops import Pad, Reshape
from .windows import padding_amounts

_GRAY = np.array([0.2989, 0.5870, 0.1140])


def _last(images, data_format) -> tuple:
    x = float_tensor(images)
    if data_format == "channels_first":
        from .numpy_shape import moveaxis
        return moveaxis(x, -3, -1), True
    return x, False


def _back(y, moved):
    if not moved:
        return y
    from .numpy_shape import moveaxis
    return moveaxis(y, -1, -3)


def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, data_format=None) -> Tensor:
    """Images (…, h, w, c) resized to ``size`` = (height, width)."""
    from ..layers.preprocessing.image_transform import resize as resize_images
    if fill_mode != "constant":
        raise ValueError(f"resize: fill_mode must be 'constant', got {fill_mode!r}")
    x, moved = _last(images, data_format)
    height, width = (int(n) for n in size)
    y = resize_images(x, height, width, interpolation=interpolation, antialias=antialias,
                      crop_to_aspect_ratio=crop_to_aspect_ratio, pad_to_aspect_ratio=pad_to_aspect_ratio,
                      fill_value=fill_value)
    return _back(y, moved)


def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant", fill_value=0,
                     data_format=None) -> Tensor:
    """Images resampled through the projective transforms [a0, a1, a2, b0, b1, b2, c0, c1]
    (output pixel (x, y) reads the input at ((a0·x + a1·y + a2)/k, (b0·x + b1·y + b2)/k), k = c0·x + c1·y + 1)."""
    from ..layers.preprocessing.image_transform import affine_transform as transform_images
    x, moved = _last(images, data_format)
    t = np.asarray(float_tensor(transform).data)
    return _back(transform_images(x, t, interpolation=interpolation, fill_mode=fill_mode, fill_value=fill_value), moved)


def rgb_to_grayscale(images, data_format=None) -> Tensor:
    """Luma Y = 0.2989·R + 0.5870·G + 0.1140·B, as one channel."""
    x, moved = _last(images, data_format)
    return _back(MatMul.apply(x, constant(_GRAY.astype(x.dtype)[:, None])), moved)


def rgb_to_hsv(images, data_format=None) -> Tensor:
    """Hue, saturation, value in [0, 1] of RGB images in [0, 1] (not differentiable here)."""
    x, moved = _last(images, data_format)
    rgb = x.data
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    value = rgb.max(-1)
    delta = value - rgb.min(-1)
    safe = np.where(delta > 0, delta, 1)
    hue = np.where(value == r, (g - b) / safe, np.where(value == g, 2 + (b - r) / safe, 4 + (r - g) / safe))
    hue = np.where(delta > 0, (hue / 6.0) % 1.0, 0.0)
    saturation = np.where(value > 0, delta / np.where(value > 0, value, 1), 0.0)
    return _back(constant(np.stack([hue, saturation, value], -1).astype(x.dtype)), moved)


def hsv_to_rgb(images, data_format=None) -> Tensor:
    """RGB images of HSV ones: channel n ∈ (5, 3, 1) is V − V·S·max(0, min(k, 4 − k, 1)), k = (n + 6H) mod 6."""
    x, moved = _last(images, data_format)
    h, s, v = x.data[..., 0], x.data[..., 1], x.data[..., 2]
    channels = []
    for n in (5, 3, 1):
        k = (n + 6 * h) % 6
        channels.append(v - v * s * np.clip(np.minimum(k, 4 - k), 0, 1))
    return _back(constant(np.stack(channels, -1).astype(x.dtype)), moved)


def _two_of_three(owner, first, second, target, size, names):
    given = [first, second, target]
    if given.count(None) != 1:
        raise ValueError(f"{owner}: give exactly two of {names}, got {dict(zip(names, given))}")
    if target is None:
        return int(first), int(second)
    if first is None:
        return int(target) - int(second) - size, int(second)
    return int(first), int(target) - int(first) - size


def pad_images(images, top_padding=None, left_padding=None, bottom_padding=None, right_padding=None,
               target_height=None, target_width=None, data_format=None) -> Tensor:
    """Images padded with zeros; per axis, two of (before, after, target size) give the third."""
    x, moved = _last(images, data_format)
    h, w = x.shape[-3], x.shape[-2]
    top, bottom = _two_of_three("pad_images", top_padding, bottom_padding, target_height, h,
                                ("top_padding", "bottom_padding", "target_height"))
    left, right = _two_of_three("pad_images", left_padding, right_padding, target_width, w,
                                ("left_padding", "right_padding", "target_width"))
    if min(top, bottom, left, right) < 0:
        raise ValueError(f"pad_images: the target size is smaller than the images {h}×{w}")
    width = [(0, 0)] * (x.ndim - 3) + [(top, bottom), (left, right), (0, 0)]
    return _back(Pad.apply(x, pad_width=width, constant_values=0), moved)


def crop_images(images, top_cropping=None, left_cropping=None, bottom_cropping=None, right_cropping=None,
                target_height=None, target_width=None, data_format=None) -> Tensor:
    """Images cropped; per axis, two of (before, after, target size) give the third."""
    x, moved = _last(images, data_format)
    h, w = x.shape[-3], x.shape[-2]
    top, bottom = _two_of_three("crop_images", top_cropping, bottom_cropping,
                                None if target_height is None else -int(target_height), -h,
                                ("top_cropping", "bottom_cropping", "target_height"))
    left, right = _two_of_three("crop_images", left_cropping, right_cropping,
                                None if target_width is None else -int(target_width), -w,
                                ("left_cropping", "right_cropping", "target_width"))
    if min(top, bottom, left, right) < 0 or top + bottom >= h or left + right >= w:
        raise ValueError(f"crop_images: cannot crop {top}+{bottom} rows and {left}+{right} columns from {h}×{w}")
    index = (Ellipsis, slice(top, h - bottom), slice(left, w - right), slice(None))
    return _back(GetItem.apply(x, index=index), moved)


def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid", data_format=None) -> Tensor:
    """Every size×size window of (N, H, W, C) images as one vector: (N, oh, ow, kh·kw·C)."""
    x, moved = _last(images, data_format)
    kh, kw = (int(size),) * 2 if np.ndim(size) == 0 else (int(s) for s in size)
    sh, sw = (kh, kw) if strides is None else ((int(strides),) * 2 if np.ndim(strides) == 0 else tuple(strides))
    dh, dw = (int(dilation_rate),) * 2 if np.ndim(dilation_rate) == 0 else tuple(dilation_rate)
    (pt, pb), (pl, pr) = (padding_amounts(x.shape[-3], kh, padding, sh, dh),
                          padding_amounts(x.shape[-2], kw, padding, sw, dw))
    x = Pad.apply(x, pad_width=[(0, 0)] * (x.ndim - 3) + [(pt, pb), (pl, pr), (0, 0)], constant_values=0)
    oh = (x.shape[-3] - dh * (kh - 1) - 1) // sh + 1
    ow = (x.shape[-2] - dw * (kw - 1) - 1) // sw + 1
    rows = (np.arange(oh) * sh)[:, None, None, None] + (np.arange(kh) * dh)[None, None, :, None]
    cols = (np.arange(ow) * sw)[None, :, None, None] + (np.arange(kw) * dw)[None, None, None, :]
    patches = GetItem.apply(x, index=(Ellipsis, rows, cols, slice(None)))              # (…, oh, ow, kh, kw, C)
    return _back(Reshape.apply(patches, shape=(*patches.shape[:-3], kh * kw * x.shape[-1])), moved)


__all__ = ["resize", "affine_transform", "rgb_to_grayscale", "rgb_to_hsv", "hsv_to_rgb", "pad_images", "crop_images",
           "extract_patches"]

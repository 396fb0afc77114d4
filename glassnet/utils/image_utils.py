"""Images as files, PIL images and arrays (Keras's ``load_img``, ``img_to_array``,
``array_to_img``, ``save_img``), read and written with Pillow.

Arrays are (height, width, channels) float32 ("channels_last"; (channels, height, width)
with ``data_format="channels_first"``), values as stored (0…255 for 8-bit images).
``array_to_img(x, scale=True)`` first maps the array's range onto 0…255::

    x' = (x − min x) / (max x − min x) · 255        (a constant array becomes 0)
"""
from __future__ import annotations

import numpy as np

_MODES = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}


def _pil():
    try:
        from PIL import Image
    except ImportError:
        raise ImportError("glassnet.utils image functions read and write images with Pillow: pip install pillow") \
            from None
    return Image


def _check_format(data_format, owner: str) -> str:
    data_format = data_format or "channels_last"
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"{owner}: data_format must be 'channels_last' or 'channels_first', got {data_format!r}")
    return data_format


def load_img(path, color_mode="rgb", target_size=None, interpolation="nearest", keep_aspect_ratio=False):
    """The image at ``path`` as a PIL image in ``color_mode``, resized to ``target_size``
    (height, width) if given; ``keep_aspect_ratio`` crops the centred box of the target's
    aspect ratio first.

    Raises:
        ValueError: a bad color_mode or interpolation.
    """
    Image = _pil()
    if color_mode not in _MODES:
        raise ValueError(f"load_img: color_mode must be one of {sorted(_MODES)}, got {color_mode!r}")
    methods = {"nearest": Image.NEAREST, "bilinear": Image.BILINEAR, "bicubic": Image.BICUBIC,
               "lanczos": Image.LANCZOS, "box": Image.BOX, "hamming": Image.HAMMING}
    if interpolation not in methods:
        raise ValueError(f"load_img: interpolation must be one of {sorted(methods)}, got {interpolation!r}")
    with Image.open(path) as image:
        image = image.convert(_MODES[color_mode])
    if target_size is not None:
        height, width = target_size
        if keep_aspect_ratio:
            w, h = image.size
            crop_w, crop_h = min(w, round(h * width / height)), min(h, round(w * height / width))
            left, top = (w - crop_w) // 2, (h - crop_h) // 2
            image = image.crop((left, top, left + crop_w, top + crop_h))
        if image.size != (width, height):
            image = image.resize((width, height), methods[interpolation])
    return image


def img_to_array(img, data_format=None, dtype=None) -> np.ndarray:
    """A PIL image as an array (H, W, C) of ``dtype`` (default float32); grayscale gets C = 1."""
    data_format = _check_format(data_format, "img_to_array")
    array = np.asarray(img, dtype=dtype or "float32")
    if array.ndim == 2:
        array = array[..., None]
    if array.ndim != 3:
        raise ValueError(f"img_to_array: expected an image, got an array of shape {array.shape}")
    return np.moveaxis(array, -1, 0) if data_format == "channels_first" else array


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """An array (H, W, C) with C in {1, 3, 4} (or (H, W)) as a PIL image (see the module docstring).

    Raises:
        ValueError: an array that is not 2-D or 3-D, or a channel count Pillow cannot show.
    """
    Image = _pil()
    data_format = _check_format(data_format, "array_to_img")
    x = np.asarray(x.data if hasattr(x, "data") and not isinstance(x, np.ndarray) else x, dtype="float64")
    if x.ndim == 2:
        x = x[..., None]
    if x.ndim != 3:
        raise ValueError(f"array_to_img: expected an image array of rank 3 (or 2), got shape {x.shape}")
    if data_format == "channels_first":
        x = np.moveaxis(x, 0, -1)
    if scale:
        low, high = x.min(), x.max()
        x = (x - low) / (high - low) * 255.0 if high > low else np.zeros_like(x)
    channels = x.shape[-1]
    modes = {1: "L", 3: "RGB", 4: "RGBA"}
    if channels not in modes:
        raise ValueError(f"array_to_img: an image has 1, 3 or 4 channels, got {channels}")
    pixels = np.clip(np.round(x), 0, 255).astype(np.uint8)
    return Image.fromarray(pixels[..., 0] if channels == 1 else pixels, modes[channels])


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs) -> None:
    """Write array ``x`` as an image file (``array_to_img``, then Pillow's ``save``; the format
    from ``file_format`` or the file name; JPEG gets RGB)."""
    image = array_to_img(x, data_format=data_format, scale=scale)
    if image.mode == "RGBA" and (file_format or str(path)).lower().endswith(("jpg", "jpeg")):
        image = image.convert("RGB")
    image.save(path, format=file_format, **kwargs)


__all__ = ["load_img", "img_to_array", "array_to_img", "save_img"]

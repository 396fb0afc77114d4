"""``keras.preprocessing.image``: load, convert and save images (glassnet.utils's, with Pillow),
and ``smart_resize``."""
from __future__ import annotations

import numpy as np

from ..utils import array_to_img, img_to_array, load_img, save_img


def smart_resize(x, size, interpolation="bilinear", data_format="channels_last"):
    """Resize image(s) to ``size`` = (height, width) without distorting them: crop the largest
    central window of the target aspect ratio, then resize it (Keras's ``smart_resize``).

    Args:
        x: one image (height, width, channels) or a batch (n, height, width, channels); with
            ``data_format="channels_first"``, channels come before height and width.
        size: (height, width) of the result.
        interpolation: "bilinear", "nearest", "bicubic", "area", "lanczos3" or "lanczos5" (as
            ``glassnet.layers.Resizing``).
        data_format: "channels_last" or "channels_first".

    Returns:
        A float NumPy array of the new size (a NumPy array in, as Keras returns its backend's
        tensor).
    """
    from ..layers.preprocessing.image_transform import smart_resize as resize

    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"smart_resize: data_format must be 'channels_last' or 'channels_first', got {data_format!r}")
    if not (isinstance(size, (tuple, list)) and len(size) == 2 and all(int(s) == s and s > 0 for s in size)):
        raise ValueError(f"smart_resize: size must be (height, width) of positive ints, got {size!r}")
    images = np.asarray(x)
    if images.ndim not in (3, 4):
        raise ValueError(f"smart_resize: expected a 3-D image or a 4-D batch, got shape {images.shape}")
    if data_format == "channels_first":
        images = np.moveaxis(images, -3, -1)
    if images.dtype.kind != "f":
        images = images.astype(np.float32)
    out = np.asarray(resize(images, int(size[0]), int(size[1]), interpolation=interpolation))
    return np.moveaxis(out, -1, -3) if data_format == "channels_first" else out


__all__ = ["array_to_img", "img_to_array", "load_img", "save_img", "smart_resize"]

"""Where the channels are: Keras's ``data_format`` for the layers that compute channels-last.

glassnet's convolution and pooling primitives are channels-last, (batch, *spatial, channels).
Every spatial layer (convolution, pooling, cropping, padding, upsampling, spatial dropout)
also takes ``data_format="channels_first"``, (batch, channels, *spatial), as Keras does: it
moves the channel axis to the end on the way in and back to the front on the way out:

    channels_first (n, C, d, h, w)  →  moveaxis(1, −1)  →  (n, d, h, w, C)  →  layer  →  moveaxis(−1, 1)

(moveaxis is a transpose; its backward is the inverse transpose). Shapes are moved the same way.
"""
from __future__ import annotations

from ... import backend, ops

DATA_FORMATS = ("channels_last", "channels_first")


def standardize_data_format(owner: str, value) -> str:
    """"channels_last" or "channels_first"; None means ``backend.image_data_format()``, as in Keras."""
    value = backend.image_data_format() if value is None else value
    if value not in DATA_FORMATS:
        raise ValueError(f"{owner}: data_format must be one of {DATA_FORMATS}, got {value!r}")
    return value


def to_channels_last(x, data_format):
    """(n, C, *spatial) → (n, *spatial, C) for "channels_first"; x itself otherwise."""
    return ops.moveaxis(x, 1, -1) if data_format == "channels_first" else x


def from_channels_last(y, data_format):
    """The inverse of ``to_channels_last``."""
    return ops.moveaxis(y, -1, 1) if data_format == "channels_first" else y


def shape_to_channels_last(shape, data_format) -> tuple:
    shape = tuple(shape)
    return (shape[0], *shape[2:], shape[1]) if data_format == "channels_first" and len(shape) > 2 else shape


def shape_from_channels_last(shape, data_format) -> tuple:
    shape = tuple(shape)
    return (shape[0], shape[-1], *shape[1:-1]) if data_format == "channels_first" and len(shape) > 2 else shape

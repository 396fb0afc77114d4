"""What the application models share: the input, the weights argument and the classifier head."""
from __future__ import annotations

from .. import layers


def model_input(input_shape, default, name: str, minimum: int):
    """An Input of ``input_shape`` (default ``default``), refusing images smaller than ``minimum``."""
    shape = tuple(default if input_shape is None else input_shape)
    if len(shape) != 3 or any(not isinstance(s, int) or s <= 0 for s in shape):
        raise ValueError(f"{name}: input_shape must be (height, width, channels) of positive ints, got {input_shape!r}")
    if shape[0] < minimum or shape[1] < minimum:
        raise ValueError(f"{name}: input images must be at least {minimum}×{minimum}, got input_shape {shape}")
    return layers.Input(shape)


def check_weights(weights, name: str):
    """None (random initial weights) or the path of a ``.weights.npz`` file saved by glassnet."""
    if weights is None:
        return None
    if weights == "imagenet":
        raise ValueError(f"{name}: glassnet ships no pretrained ImageNet weights and never downloads; "
                         f"pass weights=None and train, or the path of a file saved with model.save_weights()")
    return weights


def load_weights(model, weights):
    if weights is not None:
        model.load_weights(weights)
    return model


def pooled(x, pooling, name: str):
    """The include_top=False ending: None (the 4-D feature maps), "avg" or "max" (global pooling)."""
    if pooling is None:
        return x
    if pooling == "avg":
        return layers.GlobalAveragePooling2D()(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D()(x)
    raise ValueError(f"{name}: pooling must be None, 'avg' or 'max', got {pooling!r}")

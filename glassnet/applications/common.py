"""What the application models share: the input, the weights argument and the classifier head.

For the ``keras.applications`` ImageNet families also: the input by Keras's rule
(``imagenet_input``), the model from an ``input_tensor``'s source inputs (``imagenet_model``),
the top (``classifier_top``), BatchNormalization + activation (``batch_norm_act``), VGG's
layers (``vgg_network``), and MobileNet's/EfficientNet's ``correct_pad`` and ``make_divisible``.
"""
from __future__ import annotations

import numbers
import os

from .. import backend, layers
from ..layers.core.input_layer import InputLayer
from ..layers.node import SymbolicTensor
from ..models import Model


def model_input(input_shape, default, name: str, minimum: int):
    """An Input of ``input_shape`` (default ``default``), refusing images smaller than ``minimum``."""
    shape = tuple(default if input_shape is None else input_shape)
    if len(shape) != 3 or any(not isinstance(s, int) or s <= 0 for s in shape):
        raise ValueError(f"{name}: input_shape must be (height, width, channels) of positive ints, got {input_shape!r}")
    if shape[0] < minimum or shape[1] < minimum:
        raise ValueError(f"{name}: input images must be at least {minimum}×{minimum}, got input_shape {shape}")
    return layers.Input(shape)


def check_weights(weights, name: str):
    """None (random initial weights) or the path of a weights file: ``.weights.npz`` saved by
    glassnet, or ``.weights.h5`` in Keras 3's layout (saved by Keras or glassnet)."""
    if weights is None:
        return None
    if weights == "imagenet":
        raise ValueError(f"{name}: glassnet ships no pretrained ImageNet weights and never downloads; "
                         f"pass weights=None and train, or the path of a file saved with model.save_weights() — "
                         f"for Keras's ImageNet weights: build the model in Keras with weights='imagenet', "
                         f"save them with model.save_weights('{name.lower()}.weights.h5'), and pass that path")
    if not isinstance(weights, (str, os.PathLike)) or not os.path.isfile(weights):
        raise ValueError(f"{name}: weights must be None or the path of an existing weights file, got {weights!r}")
    return weights


def load_weights(model, weights):
    if weights is not None:
        model.load_weights(weights)
    return model


def pooled(x, pooling, name: str, avg_name=None, max_name=None):
    """The include_top=False ending: None (the 4-D feature maps), "avg" or "max" (global pooling)."""
    if pooling is None:
        return x
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name=avg_name)(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name=max_name)(x)
    raise ValueError(f"{name}: pooling must be None, 'avg' or 'max', got {pooling!r}")


# --- the ImageNet models (keras.applications): input, head, finishing -------------------------

def imagenet_input(input_tensor, input_shape, default_size: int, min_size: int, include_top: bool, name: str):
    """The image input of a Keras ImageNet model, by Keras's rule (``obtain_input_shape``).

    ``input_tensor`` (a symbolic tensor) is used as it is. Otherwise ``input_shape`` is
    (height, width, channels); when it is None the input is (default_size, default_size, 3)
    with the top and (None, None, 3) — any image size — without it. The top's Dense layer
    needs a fixed size, so ``include_top=True`` refuses None sides; a known side must be at
    least ``min_size`` (the network's strides and valid convolutions leave nothing of less).
    """
    if backend.image_data_format() != "channels_last":
        raise ValueError(f"{name}: the ImageNet models are built channels_last (images (height, width, "
                         f"channels)); backend.image_data_format() is {backend.image_data_format()!r}")
    if input_tensor is not None:
        if not isinstance(input_tensor, SymbolicTensor) or len(input_tensor.shape) != 4:
            raise ValueError(f"{name}: input_tensor must be a 4-D symbolic tensor (the output of Input or of a "
                             f"layer), got {input_tensor!r}")
        return input_tensor
    if input_shape is None:
        input_shape = (default_size, default_size, 3) if include_top else (None, None, 3)
    shape = tuple(input_shape) if isinstance(input_shape, (tuple, list)) else None
    if shape is None or len(shape) != 3 or shape[2] is None \
            or any(s is not None and (not isinstance(s, numbers.Integral) or s <= 0) for s in shape):
        raise ValueError(f"{name}: input_shape must be (height, width, channels): positive ints, the height and "
                         f"width may be None; got {input_shape!r}")
    if include_top and None in shape:
        raise ValueError(f"{name}: with include_top=True the input_shape must be static (the top's Dense layer "
                         f"needs a fixed size); got input_shape {shape}")
    if any(s is not None and s < min_size for s in shape[:2]):
        raise ValueError(f"{name}: input images must be at least {min_size}×{min_size}, got input_shape {shape}")
    return layers.Input(tuple(None if s is None else int(s) for s in shape))


def source_inputs(tensor) -> list:
    """The Input tensors a symbolic tensor is computed from (Keras's ``get_source_inputs``)."""
    found, seen, stack = [], set(), [tensor]
    while stack:
        t = stack.pop()
        if isinstance(t.node.layer, InputLayer):
            if id(t) not in seen:
                seen.add(id(t))
                found.append(t)
            continue
        stack.extend(reversed(t.node.input_tensors))
    return found


def classifier_top(x, include_top: bool, pooling, classes: int, classifier_activation, name: str,
                   top_pool_name=None, avg_name=None, max_name=None):
    """The end of an ImageNet model: global average pooling → Dense ``classes`` ("predictions")
    with the top, else the feature maps, pooled or not (``pooled``). Keras names the pooling
    layers in some families ("avg_pool", "max_pool") and leaves them unnamed in others."""
    if not include_top:
        return pooled(x, pooling, name, avg_name, max_name)
    if not isinstance(classes, int) or classes <= 0:
        raise ValueError(f"{name}: classes must be a positive int, got {classes!r}")
    x = layers.GlobalAveragePooling2D(name=top_pool_name)(x)
    return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)


def imagenet_model(input_tensor, inputs, outputs, name: str, weights):
    """The Model from the source inputs of ``input_tensor`` (or ``inputs``) to ``outputs``, with
    ``weights`` loaded if it is a file (``.weights.h5`` files saved by Keras load as they are)."""
    sources = source_inputs(input_tensor) if input_tensor is not None else inputs
    return load_weights(Model(sources, outputs, name=name), weights)


def batch_norm_act(x, bn_name, act_name, epsilon=1e-3, momentum=0.99, scale=True, activation="relu"):
    """BatchNormalization over the channels, then the activation: an ``Activation`` layer for a
    name ("relu"), a ``ReLU(6.0)`` layer for "relu6" (MobileNet's), none for None."""
    x = layers.BatchNormalization(axis=-1, epsilon=epsilon, momentum=momentum, scale=scale, name=bn_name)(x)
    if activation == "relu6":
        return layers.ReLU(6.0, name=act_name)(x)
    if activation is not None:
        return layers.Activation(activation, name=act_name)(x)
    return x


def vgg_network(inputs, blocks, include_top: bool, pooling, classes: int, classifier_activation, name: str):
    """VGG's layers on ``inputs``: per (filters, convolutions) of ``blocks``, that many 3×3 "same"
    ReLU convolutions ("block{b}_conv{i}") and a 2×2 max pool ("block{b}_pool"); then the top
    Flatten → "fc1" 4096 → "fc2" 4096 → "predictions", or the (pooled) feature maps."""
    x = inputs
    for block, (filters, convolutions) in enumerate(blocks, start=1):
        for i in range(1, convolutions + 1):
            x = layers.Conv2D(filters, (3, 3), activation="relu", padding="same", name=f"block{block}_conv{i}")(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
    if not include_top:
        return pooled(x, pooling, name)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(4096, activation="relu", name="fc1")(x)
    x = layers.Dense(4096, activation="relu", name="fc2")(x)
    return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)


def correct_pad(x, kernel_size: int):
    """The zero padding ((top, bottom), (left, right)) before a stride-2 "valid" k×k convolution
    that makes it see the image as TensorFlow's "same" padding does: k//2 on the far sides, one
    less on the near sides when a side is even (or unknown) — Keras's ``correct_pad``."""
    height, width = x.shape[1:3]
    adjust = (1, 1) if height is None else (1 - height % 2, 1 - width % 2)
    half = kernel_size // 2
    return (half - adjust[0], half), (half - adjust[1], half)


def make_divisible(v, divisor=8, min_value=None):
    """The multiple of ``divisor`` nearest to v (at least ``min_value``, never below 90% of v):
    MobileNet's and EfficientNet's channel counts after scaling by a width multiplier."""
    min_value = divisor if min_value is None else min_value
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    return new_v + divisor if new_v < 0.9 * v else new_v


def input_rows(input_tensor, input_shape, include_top: bool, sizes) -> int | None:
    """The image height MobileNet's default name reports, as Keras finds it: from input_shape,
    else (with the top) the input tensor's square side if it is one of ``sizes``, else 224;
    None without the top and without input_shape."""
    if input_shape is not None:
        return input_shape[0]
    if not include_top:
        return None
    if input_tensor is not None and input_tensor.shape[1] == input_tensor.shape[2] and input_tensor.shape[1] in sizes:
        return input_tensor.shape[1]
    return 224

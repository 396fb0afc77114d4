"""InceptionV3 (Szegedy et al., "Rethinking the Inception Architecture for Computer Vision", 2015),
as ``keras.applications.inception_v3`` builds it.

An Inception module runs several branches side by side on the same input — 1×1, 3×3 (or
5×5), a double 3×3, and a pooling branch — and concatenates their outputs along the
channels, letting the network mix receptive fields at each depth:

    y = [b₁(x), b₂(x), …, pool_branch(x)]       (channel concatenation)

V3 factorises large filters: 5×5 into two 3×3, and n×n into 1×n followed by n×1 (7×7 in
"mixed4"–"mixed7", 3×3 split in parallel in "mixed9", "mixed10"). Every convolution is
``conv2d_bn``: Conv2D (no bias) → BatchNormalization (no scale γ) → ReLU. Stem of five
convolutions and two 3×3/2 max pools; modules "mixed0" … "mixed10", two of which
("mixed3", "mixed8") reduce the grid. 23,851,784 weights at 299×299 with 1000 classes.

preprocess_input: "tf" mode, x / 127.5 − 1.
"""
from __future__ import annotations

from .. import layers
from . import imagenet_utils
from .common import batch_norm_act, check_weights, classifier_top, imagenet_input, imagenet_model


def conv2d_bn(x, filters, num_row, num_col, padding="same", strides=(1, 1), name=None):
    """Conv2D num_row×num_col (no bias) → BN (scale=False) → ReLU; named "{name}_conv", "{name}_bn", name."""
    conv_name, bn_name = (f"{name}_conv", f"{name}_bn") if name is not None else (None, None)
    x = layers.Conv2D(filters, (num_row, num_col), strides=strides, padding=padding, use_bias=False,
                      name=conv_name)(x)
    return batch_norm_act(x, bn_name, name, scale=False)


def _pool_branch(x, filters):
    """3×3/1 "same" average pool → 1×1 conv2d_bn."""
    return conv2d_bn(layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x), filters, 1, 1)


def _concat(branches, name=None):
    return layers.Concatenate(axis=-1, name=name)(branches)


def _module_35(x, pool_filters, name):
    """mixed0–2 (35×35): 1×1 | 1×1→5×5 | 1×1→3×3→3×3 | avg pool→1×1."""
    branch1x1 = conv2d_bn(x, 64, 1, 1)
    branch5x5 = conv2d_bn(conv2d_bn(x, 48, 1, 1), 64, 5, 5)
    branch3x3dbl = conv2d_bn(conv2d_bn(conv2d_bn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3)
    return _concat([branch1x1, branch5x5, branch3x3dbl, _pool_branch(x, pool_filters)], name)


def _module_17(x, width, name):
    """mixed4–7 (17×17): 1×1 | 1×1→1×7→7×1 | 1×1→7×1→1×7→7×1→1×7 | avg pool→1×1
    (``width``: the inner filters)."""
    branch1x1 = conv2d_bn(x, 192, 1, 1)
    branch7x7 = conv2d_bn(conv2d_bn(conv2d_bn(x, width, 1, 1), width, 1, 7), 192, 7, 1)
    branch7x7dbl = conv2d_bn(x, width, 1, 1)
    for filters, (rows, cols) in ((width, (7, 1)), (width, (1, 7)), (width, (7, 1)), (192, (1, 7))):
        branch7x7dbl = conv2d_bn(branch7x7dbl, filters, rows, cols)
    return _concat([branch1x1, branch7x7, branch7x7dbl, _pool_branch(x, 192)], name)


def _module_8(x, i):
    """mixed9, mixed10 (8×8): 1×1 | 1×1→[1×3, 3×1] | 1×1→3×3→[1×3, 3×1] | avg pool→1×1."""
    branch1x1 = conv2d_bn(x, 320, 1, 1)
    branch3x3 = conv2d_bn(x, 384, 1, 1)
    branch3x3 = _concat([conv2d_bn(branch3x3, 384, 1, 3), conv2d_bn(branch3x3, 384, 3, 1)], f"mixed9_{i}")
    branch3x3dbl = conv2d_bn(conv2d_bn(x, 448, 1, 1), 384, 3, 3)
    branch3x3dbl = _concat([conv2d_bn(branch3x3dbl, 384, 1, 3), conv2d_bn(branch3x3dbl, 384, 3, 1)])
    return _concat([branch1x1, branch3x3, branch3x3dbl, _pool_branch(x, 192)], f"mixed{9 + i}")


def InceptionV3(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
                classifier_activation="softmax", name="inception_v3"):
    """InceptionV3: a convolutional stem, then Inception modules "mixed0" … "mixed10".

    Args:
        include_top: with global average pooling and the Dense "predictions" layer (True), or
            only the convolutional base (False: any image size ≥ 75×75 when input_shape is None).
        weights: None (random initial weights) or the path of a weights file (glassnet's
            ``.weights.npz``, or a ``.weights.h5`` saved by Keras from the same model);
            "imagenet" is refused: glassnet never downloads.
        input_tensor: a symbolic tensor to build on (its source ``Input`` becomes the input).
        input_shape: (height, width, channels); default (299, 299, 3) with the top,
            (None, None, 3) without; at least 75×75.
        pooling: with include_top=False: None (4-D feature maps), "avg" or "max" (→ 2-D).
        classes: outputs of "predictions". classifier_activation: its activation (None: logits).
        name: the model's name.

    Returns:
        an uncompiled ``glassnet.Model``.
    """
    check_weights(weights, "InceptionV3")
    inputs = imagenet_input(input_tensor, input_shape, 299, 75, include_top, "InceptionV3")
    x = conv2d_bn(inputs, 32, 3, 3, strides=(2, 2), padding="valid")
    x = conv2d_bn(x, 32, 3, 3, padding="valid")
    x = conv2d_bn(x, 64, 3, 3)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = conv2d_bn(x, 80, 1, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, 3, padding="valid")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    for i, pool_filters in enumerate((32, 64, 64)):
        x = _module_35(x, pool_filters, f"mixed{i}")
    # mixed3: grid reduction 35 → 17
    branch3x3 = conv2d_bn(x, 384, 3, 3, strides=(2, 2), padding="valid")
    branch3x3dbl = conv2d_bn(conv2d_bn(conv2d_bn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, strides=(2, 2), padding="valid")
    x = _concat([branch3x3, branch3x3dbl, layers.MaxPooling2D((3, 3), strides=(2, 2))(x)], "mixed3")
    for i, width in enumerate((128, 160, 160, 192)):
        x = _module_17(x, width, f"mixed{4 + i}")
    # mixed8: grid reduction 17 → 8
    branch3x3 = conv2d_bn(conv2d_bn(x, 192, 1, 1), 320, 3, 3, strides=(2, 2), padding="valid")
    branch7x7x3 = conv2d_bn(conv2d_bn(conv2d_bn(x, 192, 1, 1), 192, 1, 7), 192, 7, 1)
    branch7x7x3 = conv2d_bn(branch7x7x3, 192, 3, 3, strides=(2, 2), padding="valid")
    x = _concat([branch3x3, branch7x7x3, layers.MaxPooling2D((3, 3), strides=(2, 2))(x)], "mixed8")
    for i in range(2):
        x = _module_8(x, i)
    x = classifier_top(x, include_top, pooling, classes, classifier_activation, "InceptionV3", top_pool_name="avg_pool")
    return imagenet_model(input_tensor, inputs, x, name, weights)


def preprocess_input(x, data_format=None):
    """InceptionV3's preprocessing, "tf" mode: x / 127.5 − 1 (see ``imagenet_utils.preprocess_input``)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions

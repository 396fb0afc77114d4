"""MobileNetV2 (Sandler et al., "MobileNetV2: Inverted Residuals and Linear Bottlenecks", 2018),
as ``keras.applications.mobilenet_v2`` builds it.

The *inverted residual* block widens, filters, then narrows again — the opposite of
ResNet's bottleneck — and keeps the narrow end linear (no ReLU: a "linear bottleneck",
because ReLU in few channels destroys information):

    h = ReLU6(BN(Conv1×1(x)))               expand to t·channels (t = 6; not in block 0)
    h = ReLU6(BN(DepthwiseConv3×3/s(h)))    filter each channel (s = 1 or 2)
    y = BN(Conv1×1(h))                      project to the block's filters, no activation
    y = x + y                               when s = 1 and the channels match

After a 3×3/2 convolution of 32 filters, 17 blocks (16, 24×2, 32×3, 64×4, 96×3, 160×3,
320 filters), then a 1×1 convolution to 1280 channels ("Conv_1"). ``alpha`` scales every
layer's channels (rounded to a multiple of 8 by ``make_divisible``); 3,538,984 weights at
alpha=1 with 1000 classes.

preprocess_input: "tf" mode, x / 127.5 − 1.
"""
from __future__ import annotations

from .. import layers
from . import imagenet_utils
from .common import (batch_norm_act, check_weights, classifier_top, correct_pad, imagenet_input, imagenet_model,
                     input_rows, make_divisible)

# (filters, stride, expansion) of the 17 inverted residual blocks
BLOCKS = ((16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6), (32, 1, 6), (64, 2, 6), (64, 1, 6),
          (64, 1, 6), (64, 1, 6), (96, 1, 6), (96, 1, 6), (96, 1, 6), (160, 2, 6), (160, 1, 6), (160, 1, 6),
          (320, 1, 6))
BN = {"epsilon": 1e-3, "momentum": 0.999}


def inverted_res_block(inputs, expansion, stride, alpha, filters, block_id):
    """Expand (1×1, ReLU6) → depthwise 3×3/stride (ReLU6) → project (1×1, linear) [+ inputs]."""
    in_channels = inputs.shape[-1]
    pointwise_filters = make_divisible(int(filters * alpha), 8)
    x = inputs
    prefix = f"block_{block_id}_"
    if block_id:
        x = layers.Conv2D(expansion * in_channels, kernel_size=1, padding="same", use_bias=False, activation=None,
                          name=f"{prefix}expand")(x)
        x = batch_norm_act(x, f"{prefix}expand_BN", f"{prefix}expand_relu", activation="relu6", **BN)
    else:
        prefix = "expanded_conv_"
    if stride == 2:
        x = layers.ZeroPadding2D(padding=correct_pad(x, 3), name=f"{prefix}pad")(x)
    x = layers.DepthwiseConv2D(kernel_size=3, strides=stride, activation=None, use_bias=False,
                               padding="same" if stride == 1 else "valid", name=f"{prefix}depthwise")(x)
    x = batch_norm_act(x, f"{prefix}depthwise_BN", f"{prefix}depthwise_relu", activation="relu6", **BN)
    x = layers.Conv2D(pointwise_filters, kernel_size=1, padding="same", use_bias=False, activation=None,
                      name=f"{prefix}project")(x)
    x = batch_norm_act(x, f"{prefix}project_BN", None, activation=None, **BN)
    if in_channels == pointwise_filters and stride == 1:
        return layers.Add(name=f"{prefix}add")([inputs, x])
    return x


def MobileNetV2(input_shape=None, alpha=1.0, include_top=True, weights=None, input_tensor=None, pooling=None,
                classes=1000, classifier_activation="softmax", name=None):
    """MobileNetV2: a 3×3/2 convolution, 17 inverted residual blocks, a 1×1 convolution to 1280.

    Args:
        input_shape: (height, width, channels); default (224, 224, 3) with the top,
            (None, None, 3) without; at least 32×32.
        alpha: the width multiplier (Keras's ImageNet weights exist for 0.35, 0.5, 0.75, 1.0,
            1.3, 1.4); above 1 it widens the last convolution too.
        include_top: with global average pooling and the Dense "predictions" layer (True), or
            only the convolutional base.
        weights: None (random initial weights) or the path of a weights file (glassnet's
            ``.weights.npz``, or a ``.weights.h5`` saved by Keras from the same model);
            "imagenet" is refused: glassnet never downloads.
        input_tensor: a symbolic tensor to build on (its source ``Input`` becomes the input).
        pooling: with include_top=False: None (4-D feature maps), "avg" or "max" (→ 2-D).
        classes: outputs of "predictions". classifier_activation: its activation (None: logits).
        name: the model's name; None: "mobilenetv2_{alpha:.2f}_{rows}".

    Returns:
        an uncompiled ``glassnet.Model``.
    """
    check_weights(weights, "MobileNetV2")
    if not alpha > 0:
        raise ValueError(f"MobileNetV2: alpha must be > 0, got {alpha!r}")
    inputs = imagenet_input(input_tensor, input_shape, 224, 32, include_top, "MobileNetV2")
    x = layers.Conv2D(make_divisible(32 * alpha, 8), kernel_size=3, strides=(2, 2), padding="same", use_bias=False,
                      name="Conv1")(inputs)
    x = batch_norm_act(x, "bn_Conv1", "Conv1_relu", activation="relu6", **BN)
    for block_id, (filters, stride, expansion) in enumerate(BLOCKS):
        x = inverted_res_block(x, filters=filters, alpha=alpha, stride=stride, expansion=expansion, block_id=block_id)
    last_block_filters = make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = layers.Conv2D(last_block_filters, kernel_size=1, use_bias=False, name="Conv_1")(x)
    x = batch_norm_act(x, "Conv_1_bn", "out_relu", activation="relu6", **BN)
    x = classifier_top(x, include_top, pooling, classes, classifier_activation, "MobileNetV2")
    if name is None:
        rows = input_rows(input_tensor, input_shape, include_top, (96, 128, 160, 192, 224))
        name = f"mobilenetv2_{alpha:0.2f}_{rows}"
    return imagenet_model(input_tensor, inputs, x, name, weights)


def preprocess_input(x, data_format=None):
    """MobileNetV2's preprocessing, "tf" mode: x / 127.5 − 1 (see ``imagenet_utils.preprocess_input``)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions

"""Xception (Chollet, "Xception: Deep Learning with Depthwise Separable Convolutions", 2017),
as ``keras.applications.xception`` builds it.

"Extreme Inception": an Inception module taken to the limit is a depthwise-separable
convolution — a 1×1 convolution mixing channels and a 3×3 filter on each channel apart
(``SeparableConv2D``, here depthwise first, as in MobileNet). Xception is a linear stack of
them with residual connections:

    entry flow   2 convolutions; 3 blocks [ReLU → SepConv → BN] ×2 → 3×3/2 max pool, each added
                 to a 1×1/2 convolution + BN of the block's input (128, 256, 728 filters)
    middle flow  8 blocks y = x + ([ReLU → SepConv 728 → BN] ×3)(x)
    exit flow    one more strided block (728 → 1024), then SepConv 1536 and 2048, BN, ReLU

22,910,480 weights at 299×299 with 1000 classes. The shortcut convolutions, their batch
norms and the additions carry no name in Keras (numbered per session).

preprocess_input: "tf" mode, x / 127.5 − 1.
"""
from __future__ import annotations

from .. import layers
from . import imagenet_utils
from .common import batch_norm_act, check_weights, classifier_top, imagenet_input, imagenet_model

MIDDLE_BLOCKS = 8


def _sepconv_bn(x, filters, name, relu_first=True, act_name=None):
    """[ReLU ("{name}_act")] → SeparableConv2D 3×3 "same" (no bias, ``name``) → BN ("{name}_bn")."""
    if relu_first:
        x = layers.Activation("relu", name=act_name or f"{name}_act")(x)
    x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=name)(x)
    return batch_norm_act(x, f"{name}_bn", None, activation=None)


def _strided_block(x, filters, block, first_relu=True):
    """y = maxpool3×3/2(BN(SepConv(ReLU(BN(SepConv(ReLU(x))))))) + BN(Conv1×1/2(x)).

    ``filters``: the two separable convolutions' (the shortcut has the second's). Block 2
    starts without the ReLU (its input has just been through one)."""
    residual = layers.Conv2D(filters[1], (1, 1), strides=(2, 2), padding="same", use_bias=False)(x)
    residual = layers.BatchNormalization(axis=-1)(residual)
    x = _sepconv_bn(x, filters[0], f"block{block}_sepconv1", relu_first=first_relu)
    x = _sepconv_bn(x, filters[1], f"block{block}_sepconv2")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same", name=f"block{block}_pool")(x)
    return layers.Add()([x, residual])


def Xception(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
             classifier_activation="softmax", name="xception"):
    """Xception: entry flow, 8 middle residual blocks of separable convolutions, exit flow.

    Args:
        include_top: with global average pooling and the Dense "predictions" layer (True), or
            only the convolutional base (False: any image size ≥ 71×71 when input_shape is None).
        weights: None (random initial weights) or the path of a weights file (glassnet's
            ``.weights.npz``, or a ``.weights.h5`` saved by Keras from the same model);
            "imagenet" is refused: glassnet never downloads.
        input_tensor: a symbolic tensor to build on (its source ``Input`` becomes the input).
        input_shape: (height, width, channels); default (299, 299, 3) with the top,
            (None, None, 3) without; at least 71×71.
        pooling: with include_top=False: None (4-D feature maps), "avg" or "max" (→ 2-D).
        classes: outputs of "predictions". classifier_activation: its activation (None: logits).
        name: the model's name.

    Returns:
        an uncompiled ``glassnet.Model``.
    """
    check_weights(weights, "Xception")
    inputs = imagenet_input(input_tensor, input_shape, 299, 71, include_top, "Xception")
    x = layers.Conv2D(32, (3, 3), strides=(2, 2), use_bias=False, name="block1_conv1")(inputs)
    x = batch_norm_act(x, "block1_conv1_bn", "block1_conv1_act")
    x = layers.Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = batch_norm_act(x, "block1_conv2_bn", "block1_conv2_act")
    x = _strided_block(x, (128, 128), 2, first_relu=False)
    x = _strided_block(x, (256, 256), 3)
    x = _strided_block(x, (728, 728), 4)
    for i in range(MIDDLE_BLOCKS):
        residual = x
        for j in (1, 2, 3):
            x = _sepconv_bn(x, 728, f"block{i + 5}_sepconv{j}")
        x = layers.Add()([x, residual])
    x = _strided_block(x, (728, 1024), 13)
    x = layers.SeparableConv2D(1536, (3, 3), padding="same", use_bias=False, name="block14_sepconv1")(x)
    x = batch_norm_act(x, "block14_sepconv1_bn", "block14_sepconv1_act")
    x = layers.SeparableConv2D(2048, (3, 3), padding="same", use_bias=False, name="block14_sepconv2")(x)
    x = batch_norm_act(x, "block14_sepconv2_bn", "block14_sepconv2_act")
    x = classifier_top(x, include_top, pooling, classes, classifier_activation, "Xception", top_pool_name="avg_pool")
    return imagenet_model(input_tensor, inputs, x, name, weights)


def preprocess_input(x, data_format=None):
    """Xception's preprocessing, "tf" mode: x / 127.5 − 1 (see ``imagenet_utils.preprocess_input``)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions

"""EfficientNetB0–B7 (Tan & Le, "EfficientNet: Rethinking Model Scaling for Convolutional Neural
Networks", 2019), as ``keras.applications.efficientnet`` builds them.

*Compound scaling*: one base network (B0) grown in width w (channels), depth d (blocks per
stage) and resolution r together, w = 1.1^φ, d = 1.2^φ, r = 1.15^φ roughly:

    B0 (1.0, 1.0, 224)  B1 (1.0, 1.1, 240)  B2 (1.1, 1.2, 260)  B3 (1.2, 1.4, 300)
    B4 (1.4, 1.8, 380)  B5 (1.6, 2.2, 456)  B6 (1.8, 2.6, 528)  B7 (2.0, 3.1, 600)

The block is MobileNetV2's inverted residual (``mobilenet_v2.py``) with swish
(x·sigmoid(x)) and a *squeeze-and-excitation* gate that reweights the channels:

    s = sigmoid(W₂ swish(W₁ GAP(h)))         (W₁: to ¼ of the block's input channels)
    h ← h ⊙ s                                 (per channel)

and, on the residual blocks, *drop connect* — Dropout of the whole branch per sample
(noise_shape (None, 1, 1, 1)), its rate growing linearly with depth up to 0.2.

The input is pixels in [0, 255]: the model itself rescales them (Rescaling 1/255) and
normalises them (a Normalization layer, whose mean and variance come with the weights), so
``preprocess_input`` returns its input unchanged. B0 has 5,330,571 weights with 1000 classes.

Differs from Keras on purpose: Keras adds a Rescaling by 1/√σ (σ: ImageNet's standard
deviations) after the Normalization only when it loads its own ImageNet weights
(weights="imagenet"), which glassnet never does; a file of Keras's ImageNet EfficientNet
weights therefore gives other predictions here unless the inputs are divided by
√(0.229, 0.224, 0.225) after normalisation.
"""
from __future__ import annotations

import math

from .. import layers
from . import imagenet_utils
from .common import (batch_norm_act, check_weights, correct_pad, imagenet_input, imagenet_model,
                     make_divisible, pooled)

# (kernel_size, repeats, filters_in, filters_out, expand_ratio, strides) of the seven stages; se_ratio 0.25
DEFAULT_BLOCKS_ARGS = ((3, 1, 32, 16, 1, 1), (3, 2, 16, 24, 6, 2), (5, 2, 24, 40, 6, 2), (3, 3, 40, 80, 6, 2),
                       (5, 3, 80, 112, 6, 1), (5, 4, 112, 192, 6, 2), (3, 1, 192, 320, 6, 1))
SE_RATIO = 0.25
CONV_KERNEL_INITIALIZER = {"class_name": "VarianceScaling",
                           "config": {"scale": 2.0, "mode": "fan_out", "distribution": "truncated_normal"}}
DENSE_KERNEL_INITIALIZER = {"class_name": "VarianceScaling",
                            "config": {"scale": 1.0 / 3.0, "mode": "fan_out", "distribution": "uniform"}}


def conv1x1(x, filters, name, activation=None, use_bias=False):
    """A 1×1 "same" convolution with EfficientNet's initializer."""
    return layers.Conv2D(filters, 1, padding="same", use_bias=use_bias, activation=activation,
                         kernel_initializer=CONV_KERNEL_INITIALIZER, name=name)(x)


def squeeze_excite(x, filters_in, activation, name, se_ratio=SE_RATIO):
    """x ⊙ sigmoid(Conv1×1(activation(Conv1×1(GAP(x))))), the inner width max(1, int(filters_in·se_ratio))."""
    filters = x.shape[-1]
    se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
    se = layers.Reshape((1, 1, filters), name=f"{name}se_reshape")(se)
    se = conv1x1(se, max(1, int(filters_in * se_ratio)), f"{name}se_reduce", activation=activation, use_bias=True)
    se = conv1x1(se, filters, f"{name}se_expand", activation="sigmoid", use_bias=True)
    return layers.Multiply(name=f"{name}se_excite")([x, se])


def residual(x, inputs, drop_rate, name):
    """x (after drop connect: Dropout of whole samples, noise_shape (None, 1, 1, 1)) + inputs."""
    if drop_rate:
        x = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
    return layers.Add(name=f"{name}add")([x, inputs])


def block(inputs, activation="swish", drop_rate=0.0, name="", filters_in=32, filters_out=16, kernel_size=3,
          strides=1, expand_ratio=1):
    """Expand (1×1) → depthwise k×k/stride → squeeze-excite → project (1×1, linear)
    [→ drop connect + inputs]."""
    x = inputs
    if expand_ratio != 1:
        x = conv1x1(x, filters_in * expand_ratio, f"{name}expand_conv")
        x = batch_norm_act(x, f"{name}expand_bn", f"{name}expand_activation", activation=activation)
    if strides == 2:
        x = layers.ZeroPadding2D(padding=correct_pad(x, kernel_size), name=f"{name}dwconv_pad")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=strides, padding="valid" if strides == 2 else "same",
                               use_bias=False, depthwise_initializer=CONV_KERNEL_INITIALIZER, name=f"{name}dwconv")(x)
    x = batch_norm_act(x, f"{name}bn", f"{name}activation", activation=activation)
    x = squeeze_excite(x, filters_in, activation, name)
    x = conv1x1(x, filters_out, f"{name}project_conv")
    x = batch_norm_act(x, f"{name}project_bn", None, activation=None)
    if strides == 1 and filters_in == filters_out:
        x = residual(x, inputs, drop_rate, name)
    return x


def EfficientNet(width_coefficient, depth_coefficient, default_size, dropout_rate=0.2, drop_connect_rate=0.2,
                 depth_divisor=8, activation="swish", blocks_args="default", name="efficientnet", include_top=True,
                 weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
                 classifier_activation="softmax", weights_name=None):
    """The EfficientNet family's builder (Keras's ``efficientnet.EfficientNet``).

    Args:
        width_coefficient: channels ×, rounded to multiples of ``depth_divisor``.
        depth_coefficient: blocks per stage ×, rounded up.
        default_size: the image side without input_shape (with the top).
        dropout_rate: before "predictions". drop_connect_rate: the last block's drop-connect rate.
        activation: of every layer but the gates. blocks_args: "default" or a sequence of
            (kernel_size, repeats, filters_in, filters_out, expand_ratio, strides).
        the rest: as ``EfficientNetB0``; weights_name is unused (nothing is downloaded).
    """
    check_weights(weights, name)
    blocks_args = DEFAULT_BLOCKS_ARGS if blocks_args == "default" else tuple(blocks_args)
    if any(args[1] <= 0 for args in blocks_args):
        raise ValueError(f"{name}: the number of repeats of every stage must be > 0, got {blocks_args!r}")
    inputs = imagenet_input(input_tensor, input_shape, default_size, 32, include_top, name)

    def round_filters(filters):
        return int(make_divisible(filters * width_coefficient, depth_divisor))

    def round_repeats(repeats):
        return int(math.ceil(depth_coefficient * repeats))

    x = layers.Rescaling(1.0 / 255.0)(inputs)
    x = layers.Normalization(axis=-1)(x)
    x = layers.ZeroPadding2D(padding=correct_pad(x, 3), name="stem_conv_pad")(x)
    x = layers.Conv2D(round_filters(32), 3, strides=2, padding="valid", use_bias=False,
                      kernel_initializer=CONV_KERNEL_INITIALIZER, name="stem_conv")(x)
    x = batch_norm_act(x, "stem_bn", "stem_activation", activation=activation)
    total, b = float(sum(round_repeats(args[1]) for args in blocks_args)), 0
    for i, (kernel_size, repeats, filters_in, filters_out, expand_ratio, strides) in enumerate(blocks_args):
        filters_in, filters_out = round_filters(filters_in), round_filters(filters_out)
        for j in range(round_repeats(repeats)):
            x = block(x, activation, drop_connect_rate * b / total, name=f"block{i + 1}{chr(j + 97)}_",
                      filters_in=filters_in if j == 0 else filters_out, filters_out=filters_out,
                      kernel_size=kernel_size, strides=strides if j == 0 else 1, expand_ratio=expand_ratio)
            b += 1
    x = conv1x1(x, round_filters(1280), "top_conv")
    x = batch_norm_act(x, "top_bn", "top_activation", activation=activation)
    x = top(x, include_top, pooling, classes, classifier_activation, dropout_rate, name)
    return imagenet_model(input_tensor, inputs, x, name, weights)


def top(x, include_top, pooling, classes, classifier_activation, dropout_rate, name):
    """GAP ("avg_pool") → Dropout ("top_dropout") → Dense ("predictions"), or the (pooled) features."""
    if not include_top:
        return pooled(x, pooling, name, "avg_pool", "max_pool")
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    if dropout_rate > 0:
        x = layers.Dropout(dropout_rate, name="top_dropout")(x)
    if not isinstance(classes, int) or classes <= 0:
        raise ValueError(f"{name}: classes must be a positive int, got {classes!r}")
    return layers.Dense(classes, activation=classifier_activation, kernel_initializer=DENSE_KERNEL_INITIALIZER,
                        name="predictions")(x)


def _variant(width, depth, size, dropout, variant, include_top, weights, input_tensor, input_shape, pooling, classes,
             classifier_activation, name):
    return EfficientNet(width, depth, size, dropout, name=name, include_top=include_top, weights=weights,
                        input_tensor=input_tensor, input_shape=input_shape, pooling=pooling, classes=classes,
                        classifier_activation=classifier_activation, weights_name=variant)


def EfficientNetB0(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
                   classifier_activation="softmax", name="efficientnetb0"):
    """EfficientNetB0: the base network, 224×224 (5,330,571 weights with 1000 classes).

    Args:
        include_top: with global average pooling, dropout and the Dense "predictions" layer
            (True), or only the convolutional base (False: any image size ≥ 32×32 when
            input_shape is None).
        weights: None (random initial weights) or the path of a weights file (glassnet's
            ``.weights.npz``, or a ``.weights.h5`` saved by Keras from the same model);
            "imagenet" is refused: glassnet never downloads.
        input_tensor: a symbolic tensor to build on (its source ``Input`` becomes the input).
        input_shape: (height, width, channels); default the variant's size with the top,
            (None, None, 3) without; at least 32×32. Pixels in [0, 255].
        pooling: with include_top=False: None (4-D feature maps), "avg" or "max" (→ 2-D).
        classes: outputs of "predictions". classifier_activation: its activation (None: logits).
        name: the model's name.

    Returns:
        an uncompiled ``glassnet.Model``.
    """
    return _variant(1.0, 1.0, 224, 0.2, "b0", include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name)


def EfficientNetB1(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
                   classifier_activation="softmax", name="efficientnetb1"):
    """EfficientNetB1: depth ×1.1, 240×240 (7,856,239 weights). Args as ``EfficientNetB0``."""
    return _variant(1.0, 1.1, 240, 0.2, "b1", include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name)


def EfficientNetB2(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
                   classifier_activation="softmax", name="efficientnetb2"):
    """EfficientNetB2: width ×1.1, depth ×1.2, 260×260 (9,177,569 weights). Args as ``EfficientNetB0``."""
    return _variant(1.1, 1.2, 260, 0.3, "b2", include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name)


def EfficientNetB3(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
                   classifier_activation="softmax", name="efficientnetb3"):
    """EfficientNetB3: width ×1.2, depth ×1.4, 300×300 (12,320,535 weights). Args as ``EfficientNetB0``."""
    return _variant(1.2, 1.4, 300, 0.3, "b3", include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name)


def EfficientNetB4(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
                   classifier_activation="softmax", name="efficientnetb4"):
    """EfficientNetB4: width ×1.4, depth ×1.8, 380×380 (19,466,823 weights). Args as ``EfficientNetB0``."""
    return _variant(1.4, 1.8, 380, 0.4, "b4", include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name)


def EfficientNetB5(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
                   classifier_activation="softmax", name="efficientnetb5"):
    """EfficientNetB5: width ×1.6, depth ×2.2, 456×456 (30,562,527 weights). Args as ``EfficientNetB0``."""
    return _variant(1.6, 2.2, 456, 0.4, "b5", include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name)


def EfficientNetB6(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
                   classifier_activation="softmax", name="efficientnetb6"):
    """EfficientNetB6: width ×1.8, depth ×2.6, 528×528 (43,265,143 weights). Args as ``EfficientNetB0``."""
    return _variant(1.8, 2.6, 528, 0.5, "b6", include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name)


def EfficientNetB7(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
                   classifier_activation="softmax", name="efficientnetb7"):
    """EfficientNetB7: width ×2.0, depth ×3.1, 600×600 (66,658,687 weights). Args as ``EfficientNetB0``."""
    return _variant(2.0, 3.1, 600, 0.5, "b7", include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name)


def preprocess_input(x, data_format=None):
    """EfficientNet's preprocessing: none — the model rescales and normalises its [0, 255] input
    itself; ``x`` is returned unchanged (Keras's placeholder, kept for compatibility)."""
    return x


decode_predictions = imagenet_utils.decode_predictions

"""EfficientNetV2 B0–B3, S, M, L (Tan & Le, "EfficientNetV2: Smaller Models and Faster Training",
2021), as ``keras.applications.efficientnet_v2`` builds them.

EfficientNet (``efficientnet.py``) retuned for training speed: the early stages use the
*fused* MBConv block, where one ordinary k×k convolution replaces the 1×1 expansion and the
depthwise k×k (depthwise convolutions are slow on accelerators when channels are few):

    MBConv       x → Conv1×1 (expand) → DepthwiseConv k×k/s → [squeeze-excite] → Conv1×1 (project)
    FusedMBConv  x → Conv k×k/s (expand) → [squeeze-excite] → Conv1×1 (project)
                 (expand ratio 1: the k×k/s convolution projects directly, then the activation)

each BN'd (momentum 0.9), swish-activated, residual when the shape allows, with drop connect
on the residual branch. Smaller expansion ratios (4) early, no squeeze-excite in fused
blocks, 3×3 kernels everywhere. B0–B3 scale one table by width and depth; S, M, L have their
own. The model rescales its [0, 255] input itself (``include_preprocessing``: B variants to
ImageNet's mean and deviation, S/M/L to [−1, 1)), so ``preprocess_input`` returns its input.

As in Keras: the drop-connect Dropout's rate is ``drop_connect_rate · b / blocks`` (Keras
names it a survival probability but uses it as the drop rate), and no Dropout where it is 0.
"""
from __future__ import annotations

import math

from .. import layers
from . import imagenet_utils
from .common import batch_norm_act, check_weights, imagenet_input, imagenet_model
from .efficientnet import CONV_KERNEL_INITIALIZER, conv1x1, residual, squeeze_excite, top

# (kernel_size, num_repeat, input_filters, output_filters, expand_ratio, se_ratio, strides, fused) per stage
_B = ((3, 1, 32, 16, 1, 0, 1, True), (3, 2, 16, 32, 4, 0, 2, True), (3, 2, 32, 48, 4, 0, 2, True),
      (3, 3, 48, 96, 4, 0.25, 2, False), (3, 5, 96, 112, 6, 0.25, 1, False), (3, 8, 112, 192, 6, 0.25, 2, False))
DEFAULT_BLOCKS_ARGS = {
    "b0": _B, "b1": _B, "b2": _B, "b3": _B,
    "s": ((3, 2, 24, 24, 1, 0, 1, True), (3, 4, 24, 48, 4, 0, 2, True), (3, 4, 48, 64, 4, 0, 2, True),
          (3, 6, 64, 128, 4, 0.25, 2, False), (3, 9, 128, 160, 6, 0.25, 1, False),
          (3, 15, 160, 256, 6, 0.25, 2, False)),
    "m": ((3, 3, 24, 24, 1, 0, 1, True), (3, 5, 24, 48, 4, 0, 2, True), (3, 5, 48, 80, 4, 0, 2, True),
          (3, 7, 80, 160, 4, 0.25, 2, False), (3, 14, 160, 176, 6, 0.25, 1, False),
          (3, 18, 176, 304, 6, 0.25, 2, False), (3, 5, 304, 512, 6, 0.25, 1, False)),
    "l": ((3, 4, 32, 32, 1, 0, 1, True), (3, 7, 32, 64, 4, 0, 2, True), (3, 7, 64, 96, 4, 0, 2, True),
          (3, 10, 96, 192, 4, 0.25, 2, False), (3, 19, 192, 224, 6, 0.25, 1, False),
          (3, 25, 224, 384, 6, 0.25, 2, False), (3, 7, 384, 640, 6, 0.25, 1, False)),
}
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_VARIANCE = (0.229 ** 2, 0.224 ** 2, 0.225 ** 2)


def round_filters(filters, width_coefficient, min_depth, depth_divisor):
    """filters·width rounded to the nearest multiple of depth_divisor (at least min_depth)."""
    filters *= width_coefficient
    minimum_depth = min_depth or depth_divisor
    return int(max(minimum_depth, int(filters + depth_divisor / 2) // depth_divisor * depth_divisor))


def mb_conv_block(x, input_filters, output_filters, expand_ratio, kernel_size, strides, se_ratio, fused, bn_momentum,
                  activation, drop_rate, name):
    """One MBConv or FusedMBConv block (see the module's docstring)."""
    inputs, filters = x, input_filters * expand_ratio
    bn = {"momentum": bn_momentum, "activation": activation}
    if expand_ratio != 1:
        x = layers.Conv2D(filters, kernel_size=kernel_size if fused else 1, strides=strides if fused else 1,
                          kernel_initializer=CONV_KERNEL_INITIALIZER, padding="same", use_bias=False,
                          name=f"{name}expand_conv")(x)
        x = batch_norm_act(x, f"{name}expand_bn", f"{name}expand_activation", **bn)
    if not fused:
        x = layers.DepthwiseConv2D(kernel_size=kernel_size, strides=strides, padding="same", use_bias=False,
                                   depthwise_initializer=CONV_KERNEL_INITIALIZER, name=f"{name}dwconv2")(x)
        x = batch_norm_act(x, f"{name}bn", f"{name}activation", **bn)
    if 0 < se_ratio <= 1:
        x = squeeze_excite(x, input_filters, activation, name, se_ratio)
    direct = fused and expand_ratio == 1            # the k×k/s convolution projects, then activates
    x = layers.Conv2D(output_filters, kernel_size=kernel_size if direct else 1, strides=strides if direct else 1,
                      kernel_initializer=CONV_KERNEL_INITIALIZER, padding="same", use_bias=False,
                      name=f"{name}project_conv")(x)
    x = batch_norm_act(x, f"{name}project_bn", f"{name}project_activation" if direct else None,
                       momentum=bn_momentum, activation=activation if direct else None)
    if strides == 1 and input_filters == output_filters:
        x = residual(x, inputs, drop_rate, name)
    return x


def EfficientNetV2(width_coefficient, depth_coefficient, default_size, dropout_rate=0.2, drop_connect_rate=0.2,
                   depth_divisor=8, min_depth=8, bn_momentum=0.9, activation="swish", blocks_args="default",
                   name="efficientnetv2", include_top=True, weights=None, input_tensor=None, input_shape=None,
                   pooling=None, classes=1000, classifier_activation="softmax", include_preprocessing=True,
                   weights_name=None):
    """The EfficientNetV2 builder (Keras's ``efficientnet_v2.EfficientNetV2``).

    Args:
        width_coefficient, depth_coefficient, default_size, dropout_rate, drop_connect_rate,
            depth_divisor, activation: as ``efficientnet.EfficientNet``.
        min_depth: the fewest channels a layer is rounded to. bn_momentum: every BatchNormalization's.
        blocks_args: "default" (the table of ``weights_name``, or of the variant ending ``name``:
            "b0"…"b3", "s", "m", "l") or a sequence of (kernel_size, num_repeat, input_filters,
            output_filters, expand_ratio, se_ratio, strides, fused).
        include_preprocessing: Rescaling (and, for the B variants, Normalization) inside the model.
        the rest: as ``EfficientNetV2B0``.
    """
    check_weights(weights, name)
    variant = weights_name or name.split("-")[-1]
    if blocks_args == "default":
        if variant not in DEFAULT_BLOCKS_ARGS:
            raise ValueError(f"{name}: no default blocks_args for {variant!r} (one of {sorted(DEFAULT_BLOCKS_ARGS)})")
        blocks_args = DEFAULT_BLOCKS_ARGS[variant]
    if any(args[1] <= 0 for args in blocks_args):
        raise ValueError(f"{name}: the number of repeats of every stage must be > 0, got {blocks_args!r}")
    inputs = imagenet_input(input_tensor, input_shape, default_size, 32, include_top, name)
    x = inputs
    if include_preprocessing:
        if variant.startswith("b") and inputs.shape[-1] == 3:
            x = layers.Rescaling(scale=1.0 / 255)(x)
            x = layers.Normalization(mean=list(IMAGENET_MEAN), variance=list(IMAGENET_VARIANCE), axis=-1)(x)
        else:
            x = layers.Rescaling(scale=1.0 / 128.0, offset=-1)(x)

    def rounded(filters):
        return round_filters(filters, width_coefficient, min_depth, depth_divisor)

    x = layers.Conv2D(rounded(blocks_args[0][2]), kernel_size=3, strides=2, kernel_initializer=CONV_KERNEL_INITIALIZER,
                      padding="same", use_bias=False, name="stem_conv")(x)
    x = batch_norm_act(x, "stem_bn", "stem_activation", momentum=bn_momentum, activation=activation)
    total, b = float(sum(args[1] for args in blocks_args)), 0
    for i, (kernel_size, repeats, filters_in, filters_out, expand_ratio, se_ratio, strides, fused) in \
            enumerate(blocks_args):
        filters_in, filters_out = rounded(filters_in), rounded(filters_out)
        for j in range(int(math.ceil(depth_coefficient * repeats))):
            x = mb_conv_block(x, filters_in if j == 0 else filters_out, filters_out, expand_ratio, kernel_size,
                              strides if j == 0 else 1, se_ratio, fused, bn_momentum, activation,
                              drop_connect_rate * b / total, name=f"block{i + 1}{chr(j + 97)}_")
            b += 1
    x = conv1x1(x, rounded(1280), "top_conv")
    x = batch_norm_act(x, "top_bn", "top_activation", momentum=bn_momentum, activation=activation)
    x = top(x, include_top, pooling, classes, classifier_activation, dropout_rate, name)
    return imagenet_model(input_tensor, inputs, x, name, weights)


def _variant(width, depth, size, variant, include_top, weights, input_tensor, input_shape, pooling, classes,
             classifier_activation, include_preprocessing, name):
    return EfficientNetV2(width, depth, size, name=name, include_top=include_top, weights=weights,
                          input_tensor=input_tensor, input_shape=input_shape, pooling=pooling, classes=classes,
                          classifier_activation=classifier_activation, include_preprocessing=include_preprocessing,
                          weights_name=variant)


def EfficientNetV2B0(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
                     classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-b0"):
    """EfficientNetV2B0: the B table at width and depth 1, 224×224 (7,200,312 weights with 1000 classes).

    Args:
        include_top: with global average pooling, dropout and the Dense "predictions" layer
            (True), or only the convolutional base (False: any image size ≥ 32×32 when
            input_shape is None).
        weights: None (random initial weights) or the path of a weights file (glassnet's
            ``.weights.npz``, or a ``.weights.h5`` saved by Keras from the same model);
            "imagenet" is refused: glassnet never downloads.
        input_tensor: a symbolic tensor to build on (its source ``Input`` becomes the input).
        input_shape: (height, width, channels); default the variant's size with the top,
            (None, None, 3) without; at least 32×32.
        pooling: with include_top=False: None (4-D feature maps), "avg" or "max" (→ 2-D).
        classes: outputs of "predictions". classifier_activation: its activation (None: logits).
        include_preprocessing: rescale [0, 255] pixels inside the model.
        name: the model's name.

    Returns:
        an uncompiled ``glassnet.Model``.
    """
    return _variant(1.0, 1.0, 224, "b0", include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, include_preprocessing, name)


def EfficientNetV2B1(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
                     classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-b1"):
    """EfficientNetV2B1: depth ×1.1, 240×240 (8,212,124 weights). Args as ``EfficientNetV2B0``."""
    return _variant(1.0, 1.1, 240, "b1", include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, include_preprocessing, name)


def EfficientNetV2B2(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
                     classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-b2"):
    """EfficientNetV2B2: width ×1.1, depth ×1.2, 260×260 (10,178,374 weights). Args as ``EfficientNetV2B0``."""
    return _variant(1.1, 1.2, 260, "b2", include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, include_preprocessing, name)


def EfficientNetV2B3(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
                     classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-b3"):
    """EfficientNetV2B3: width ×1.2, depth ×1.4, 300×300 (14,467,622 weights). Args as ``EfficientNetV2B0``."""
    return _variant(1.2, 1.4, 300, "b3", include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, include_preprocessing, name)


def EfficientNetV2S(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
                    classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-s"):
    """EfficientNetV2S: its own table, 384×384 (21,612,360 weights). Args as ``EfficientNetV2B0``."""
    return _variant(1.0, 1.0, 384, "s", include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, include_preprocessing, name)


def EfficientNetV2M(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
                    classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-m"):
    """EfficientNetV2M: its own table, 480×480 (54,431,388 weights). Args as ``EfficientNetV2B0``."""
    return _variant(1.0, 1.0, 480, "m", include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, include_preprocessing, name)


def EfficientNetV2L(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
                    classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-l"):
    """EfficientNetV2L: its own table, 480×480 (119,027,848 weights). Args as ``EfficientNetV2B0``."""
    return _variant(1.0, 1.0, 480, "l", include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, include_preprocessing, name)


def preprocess_input(x, data_format=None):
    """EfficientNetV2's preprocessing: none — the model rescales its [0, 255] input itself
    (``include_preprocessing``); ``x`` is returned unchanged, as in Keras."""
    return x


decode_predictions = imagenet_utils.decode_predictions

"""MobileNetV3Small and MobileNetV3Large (Howard et al., "Searching for MobileNetV3", 2019), as
``keras.applications.mobilenet_v3`` builds them.

MobileNetV2's inverted residual block (``mobilenet_v2.py``), found per layer by architecture
search, with two additions:

    hard_sigmoid(x) = ReLU6(x + 3) / 6            a piecewise-linear sigmoid, cheap on phones
    hard_swish(x)   = x · hard_sigmoid(x)          the deeper layers' activation

and a squeeze-and-excitation gate in some blocks, x ← x ⊙ hard_sigmoid(W₂ relu(W₁ GAP(x)))
(W₁ to ¼ of the expanded channels). ``minimalistic=True`` drops the gates, hard_swish and
the 5×5 kernels (ReLU and 3×3 everywhere). The top: a 1×1 convolution after global
pooling ("conv_2", 1024 or 1280 channels), dropout, a 1×1 convolution "logits", Flatten.
The model rescales its [0, 255] input itself (``include_preprocessing``), so
``preprocess_input`` returns its input unchanged. 2,554,968 weights (Small) and 5,507,432
(Large) with 1000 classes.

Differs from Keras on purpose: Keras writes hard_sigmoid's "+ 3" and "/ 6" as tensor
arithmetic, which glassnet's functional graph records only through layers — here each is a
``Rescaling`` layer (scale 1, offset 3; scale 1/6), so ``model.layers`` lists two more
weightless layers per gate than Keras's (the weights, their order and the outputs are the same).
"""
from __future__ import annotations

from .. import layers
from . import imagenet_utils
from .common import batch_norm_act, check_weights, correct_pad, imagenet_input, imagenet_model, make_divisible, pooled

BN = {"epsilon": 1e-3, "momentum": 0.999}
SMALL = ((1, 16, 3, 2, True, "relu"), (72 / 16, 24, 3, 2, False, "relu"), (88 / 24, 24, 3, 1, False, "relu"),
         (4, 40, "k", 2, True, "act"), (6, 40, "k", 1, True, "act"), (6, 40, "k", 1, True, "act"),
         (3, 48, "k", 1, True, "act"), (3, 48, "k", 1, True, "act"), (6, 96, "k", 2, True, "act"),
         (6, 96, "k", 1, True, "act"), (6, 96, "k", 1, True, "act"))
LARGE = ((1, 16, 3, 1, False, "relu"), (4, 24, 3, 2, False, "relu"), (3, 24, 3, 1, False, "relu"),
         (3, 40, "k", 2, True, "relu"), (3, 40, "k", 1, True, "relu"), (3, 40, "k", 1, True, "relu"),
         (6, 80, 3, 2, False, "act"), (2.5, 80, 3, 1, False, "act"), (2.3, 80, 3, 1, False, "act"),
         (2.3, 80, 3, 1, False, "act"), (6, 112, 3, 1, True, "act"), (6, 112, 3, 1, True, "act"),
         (6, 160, "k", 2, True, "act"), (6, 160, "k", 1, True, "act"), (6, 160, "k", 1, True, "act"))
"""(expansion, filters, kernel size — "k": 5, or 3 when minimalistic —, stride, squeeze-excite,
activation — "act": hard_swish, or ReLU when minimalistic) of each block."""


def relu(x):
    return layers.ReLU()(x)


def hard_sigmoid(x):
    """ReLU6(x + 3) / 6."""
    x = layers.Rescaling(1.0, offset=3.0)(x)
    return layers.Rescaling(1.0 / 6.0)(layers.ReLU(6.0)(x))


def hard_swish(x):
    return layers.Activation("hard_swish")(x)


def se_block(inputs, filters, se_ratio, prefix):
    """inputs ⊙ hard_sigmoid(Conv1×1(ReLU(Conv1×1(GAP(inputs)))))."""
    x = layers.GlobalAveragePooling2D(keepdims=True, name=f"{prefix}squeeze_excite_avg_pool")(inputs)
    x = layers.Conv2D(make_divisible(filters * se_ratio), kernel_size=1, padding="same",
                      name=f"{prefix}squeeze_excite_conv")(x)
    x = layers.ReLU(name=f"{prefix}squeeze_excite_relu")(x)
    x = layers.Conv2D(filters, kernel_size=1, padding="same", name=f"{prefix}squeeze_excite_conv_1")(x)
    return layers.Multiply(name=f"{prefix}squeeze_excite_mul")([inputs, hard_sigmoid(x)])


def inverted_res_block(x, expansion, filters, kernel_size, stride, se_ratio, activation, block_id):
    """Expand (1×1) → depthwise k×k/stride → [squeeze-excite] → project (1×1, linear) [+ x]."""
    shortcut, infilters = x, x.shape[-1]
    prefix = f"expanded_conv_{block_id}_" if block_id else "expanded_conv_"
    if block_id:
        x = layers.Conv2D(make_divisible(infilters * expansion), kernel_size=1, padding="same", use_bias=False,
                          name=f"{prefix}expand")(x)
        x = activation(batch_norm_act(x, f"{prefix}expand_bn", None, activation=None, **BN))
    if stride == 2:
        x = layers.ZeroPadding2D(padding=correct_pad(x, kernel_size), name=f"{prefix}depthwise_pad")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=stride, padding="same" if stride == 1 else "valid",
                               use_bias=False, name=f"{prefix}depthwise")(x)
    x = activation(batch_norm_act(x, f"{prefix}depthwise_bn", None, activation=None, **BN))
    if se_ratio:
        x = se_block(x, make_divisible(infilters * expansion), se_ratio, prefix)
    x = layers.Conv2D(filters, kernel_size=1, padding="same", use_bias=False, name=f"{prefix}project")(x)
    x = batch_norm_act(x, f"{prefix}project_bn", None, activation=None, **BN)
    if stride == 1 and infilters == filters:
        x = layers.Add(name=f"{prefix}add")([shortcut, x])
    return x


def MobileNetV3(blocks, last_point_ch, input_shape=None, alpha=1.0, minimalistic=False, include_top=True,
                weights=None, input_tensor=None, classes=1000, pooling=None, dropout_rate=0.2,
                classifier_activation="softmax", include_preprocessing=True, name=None):
    """The MobileNetV3 builder: ``blocks`` (``SMALL`` or ``LARGE``) and the top's width ``last_point_ch``."""
    check_weights(weights, name)
    if not alpha > 0:
        raise ValueError(f"{name}: alpha must be > 0, got {alpha!r}")
    # Keras's rule here: any image size (≥ 32×32) even with the top, which ends in 1×1 convolutions
    inputs = imagenet_input(input_tensor, input_shape, 224, 32, False, name)
    kernel, activation, se_ratio = (3, relu, None) if minimalistic else (5, hard_swish, 0.25)
    x = layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(inputs) if include_preprocessing else inputs
    x = layers.Conv2D(16, kernel_size=3, strides=(2, 2), padding="same", use_bias=False, name="conv")(x)
    x = activation(batch_norm_act(x, "conv_bn", None, activation=None, **BN))
    for block_id, (expansion, filters, size, stride, squeeze, act) in enumerate(blocks):
        x = inverted_res_block(x, expansion, make_divisible(filters * alpha), kernel if size == "k" else size, stride,
                               se_ratio if squeeze else None, activation if act == "act" else relu, block_id)
    last_conv_ch = make_divisible(x.shape[-1] * 6)
    if alpha > 1.0:
        last_point_ch = make_divisible(last_point_ch * alpha)
    x = layers.Conv2D(last_conv_ch, kernel_size=1, padding="same", use_bias=False, name="conv_1")(x)
    x = activation(batch_norm_act(x, "conv_1_bn", None, activation=None, **BN))
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = activation(layers.Conv2D(last_point_ch, kernel_size=1, padding="same", use_bias=True, name="conv_2")(x))
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate)(x)
        x = layers.Conv2D(classes, kernel_size=1, padding="same", name="logits")(x)
        x = layers.Flatten()(x)
        x = layers.Activation(classifier_activation, name="predictions")(x)
    else:
        x = pooled(x, pooling, name, "avg_pool", "max_pool")
    return imagenet_model(input_tensor, inputs, x, name, weights)


def MobileNetV3Small(input_shape=None, alpha=1.0, minimalistic=False, include_top=True, weights=None,
                     input_tensor=None, classes=1000, pooling=None, dropout_rate=0.2, classifier_activation="softmax",
                     include_preprocessing=True, name="MobileNetV3Small"):
    """MobileNetV3Small: 11 blocks, top width 1024 (2,554,968 weights with 1000 classes).

    Args:
        input_shape: (height, width, channels); default (None, None, 3), with or without the
            top; at least 32×32.
        alpha: the width multiplier (Keras's ImageNet weights exist for 0.75 and 1.0).
        minimalistic: without squeeze-excite, hard_swish and 5×5 kernels.
        include_top: with the classifier (True) or only the convolutional base.
        weights: None (random initial weights) or the path of a weights file (glassnet's
            ``.weights.npz``, or a ``.weights.h5`` saved by Keras from the same model);
            "imagenet" is refused: glassnet never downloads.
        input_tensor: a symbolic tensor to build on (its source ``Input`` becomes the input).
        classes: outputs of the top. pooling: with include_top=False: None, "avg" or "max".
        dropout_rate: before "logits". classifier_activation: the top's (None: logits).
        include_preprocessing: rescale [0, 255] pixels to [−1, 1] inside the model.
        name: the model's name.

    Returns:
        an uncompiled ``glassnet.Model``.
    """
    return MobileNetV3(SMALL, 1024, input_shape, alpha, minimalistic, include_top, weights, input_tensor, classes,
                       pooling, dropout_rate, classifier_activation, include_preprocessing, name)


def MobileNetV3Large(input_shape=None, alpha=1.0, minimalistic=False, include_top=True, weights=None,
                     input_tensor=None, classes=1000, pooling=None, dropout_rate=0.2, classifier_activation="softmax",
                     include_preprocessing=True, name="MobileNetV3Large"):
    """MobileNetV3Large: 15 blocks, top width 1280 (5,507,432 weights). Args as ``MobileNetV3Small``."""
    return MobileNetV3(LARGE, 1280, input_shape, alpha, minimalistic, include_top, weights, input_tensor, classes,
                       pooling, dropout_rate, classifier_activation, include_preprocessing, name)


def preprocess_input(x, data_format=None):
    """MobileNetV3's preprocessing: none — the model rescales its [0, 255] input itself
    (``include_preprocessing``); ``x`` is returned unchanged, as in Keras."""
    return x


decode_predictions = imagenet_utils.decode_predictions

"""DenseNet121, DenseNet169, DenseNet201 (Huang et al., "Densely Connected Convolutional Networks",
2017), as ``keras.applications.densenet`` builds them.

In a dense block every layer sees the feature maps of *all* layers before it, concatenated:

    x_ℓ = [x_{ℓ−1}, H_ℓ(x_{ℓ−1})],   H = BN → ReLU → Conv1×1 (4k) → BN → ReLU → Conv3×3 (k)

so a block of L layers on c channels ends with c + L·k channels (growth rate k = 32).
Reusing features this way needs far fewer weights than a ResNet of the same depth. A
*transition* between blocks halves the channels and the image: BN → ReLU → Conv1×1
(channels/2) → 2×2 average pool.

Stem 7×7/2 convolution (64) and 3×3/2 max pool; dense blocks of 6, 12, 24, 16 layers
(DenseNet121: 8,062,504 weights), 6, 12, 32, 32 (DenseNet169: 14,307,880), 6, 12, 48, 32
(DenseNet201: 20,242,984); BN → ReLU at the end.

preprocess_input: "torch" mode, (x / 255 − mean) / std with ImageNet's per-channel statistics.
"""
from __future__ import annotations

from .. import layers
from . import imagenet_utils
from .common import batch_norm_act, check_weights, classifier_top, imagenet_input, imagenet_model

EPSILON = 1.001e-5
GROWTH_RATE = 32
BLOCKS = {"densenet121": (6, 12, 24, 16), "densenet169": (6, 12, 32, 32), "densenet201": (6, 12, 48, 32)}


def conv_block(x, growth_rate, name):
    """One layer of a dense block: x → [x, Conv3×3(k)(ReLU(BN(Conv1×1(4k)(ReLU(BN(x))))))]."""
    x1 = batch_norm_act(x, f"{name}_0_bn", f"{name}_0_relu", epsilon=EPSILON)
    x1 = layers.Conv2D(4 * growth_rate, 1, use_bias=False, name=f"{name}_1_conv")(x1)
    x1 = batch_norm_act(x1, f"{name}_1_bn", f"{name}_1_relu", epsilon=EPSILON)
    x1 = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False, name=f"{name}_2_conv")(x1)
    return layers.Concatenate(axis=-1, name=f"{name}_concat")([x, x1])


def dense_block(x, blocks, name):
    """``blocks`` conv_blocks, each adding ``GROWTH_RATE`` channels."""
    for i in range(blocks):
        x = conv_block(x, GROWTH_RATE, name=f"{name}_block{i + 1}")
    return x


def transition_block(x, reduction, name):
    """BN → ReLU → Conv1×1 to int(channels·reduction) → 2×2/2 average pool."""
    x = batch_norm_act(x, f"{name}_bn", f"{name}_relu", epsilon=EPSILON)
    x = layers.Conv2D(int(x.shape[-1] * reduction), 1, use_bias=False, name=f"{name}_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)


def DenseNet(blocks, include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None,
             classes=1000, classifier_activation="softmax", name="densenet"):
    """A DenseNet with dense blocks of ``blocks`` (four counts) layers; other arguments as ``DenseNet121``."""
    check_weights(weights, name)
    if len(blocks) != 4 or any(not isinstance(b, int) or b < 1 for b in blocks):
        raise ValueError(f"DenseNet: blocks must be four positive ints, got {blocks!r}")
    inputs = imagenet_input(input_tensor, input_shape, 224, 32, include_top, name)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(inputs)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = batch_norm_act(x, "conv1_bn", "conv1_relu", epsilon=EPSILON)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for i, count in enumerate(blocks):
        x = dense_block(x, count, name=f"conv{i + 2}")
        if i < 3:
            x = transition_block(x, 0.5, name=f"pool{i + 2}")
    x = batch_norm_act(x, "bn", "relu", epsilon=EPSILON)
    x = classifier_top(x, include_top, pooling, classes, classifier_activation, name,
                       top_pool_name="avg_pool", avg_name="avg_pool", max_name="max_pool")
    return imagenet_model(input_tensor, inputs, x, name, weights)


def DenseNet121(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
                classifier_activation="softmax", name="densenet121"):
    """DenseNet121: dense blocks of 6, 12, 24, 16 layers (8,062,504 weights at 1000 classes).

    Args:
        include_top: with global average pooling and the Dense "predictions" layer (True), or
            only the convolutional base (False: any image size ≥ 32×32 when input_shape is None).
        weights: None (random initial weights) or the path of a weights file (glassnet's
            ``.weights.npz``, or a ``.weights.h5`` saved by Keras from the same model);
            "imagenet" is refused: glassnet never downloads.
        input_tensor: a symbolic tensor to build on (its source ``Input`` becomes the input).
        input_shape: (height, width, channels); default (224, 224, 3) with the top,
            (None, None, 3) without; at least 32×32.
        pooling: with include_top=False: None (4-D feature maps), "avg" or "max" (→ 2-D).
        classes: outputs of "predictions". classifier_activation: its activation (None: logits).
        name: the model's name.

    Returns:
        an uncompiled ``glassnet.Model``.
    """
    return DenseNet(BLOCKS["densenet121"], include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name=name)


def DenseNet169(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
                classifier_activation="softmax", name="densenet169"):
    """DenseNet169: dense blocks of 6, 12, 32, 32 layers (14,307,880 weights). Args as ``DenseNet121``."""
    return DenseNet(BLOCKS["densenet169"], include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name=name)


def DenseNet201(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
                classifier_activation="softmax", name="densenet201"):
    """DenseNet201: dense blocks of 6, 12, 48, 32 layers (20,242,984 weights). Args as ``DenseNet121``."""
    return DenseNet(BLOCKS["densenet201"], include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name=name)


def preprocess_input(x, data_format=None):
    """DenseNet's preprocessing, "torch" mode: x / 255, minus ImageNet's mean, over its standard
    deviation, per channel (see ``imagenet_utils.preprocess_input``)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="torch")


decode_predictions = imagenet_utils.decode_predictions

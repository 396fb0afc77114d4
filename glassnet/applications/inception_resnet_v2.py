"""InceptionResNetV2 (Szegedy et al., "Inception-v4, Inception-ResNet and the Impact of Residual
Connections on Learning", 2016), as ``keras.applications.inception_resnet_v2`` builds it.

Inception modules (``inception_v3.py``) made residual: each block runs a few parallel
branches, concatenates them, projects back to the input's width with a 1×1 convolution
(linear, with bias) and adds the result, *scaled down*, to its input:

    y = relu(x + s · Conv1×1([b₁(x), b₂(x), …]))

s (0.17, 0.1, 0.2) keeps the sum of many residuals from blowing up early in training — the
paper found very deep residual Inceptions "died" without it. The stem ("mixed_5b") is
Inception-like; then 10 "block35" blocks (35×35 grid), a reduction ("mixed_6a"), 20
"block17", a reduction ("mixed_7a"), 10 "block8" (the last one linear, s = 1), and a 1×1
convolution to 1536 channels ("conv_7b"). 55,873,736 weights at 299×299 with 1000 classes.

preprocess_input: "tf" mode, x / 127.5 − 1.
"""
from __future__ import annotations

from .. import layers
from ..layers.base import Layer
from . import imagenet_utils
from .common import batch_norm_act, check_weights, classifier_top, imagenet_input, imagenet_model


class CustomScaleLayer(Layer):
    """The scaled residual sum of an Inception-ResNet block (Keras's ``CustomScaleLayer``).

    Formula: y = x + scale · r, for inputs [x, r];  ∂y/∂x = 1, ∂y/∂r = scale.

    Args:
        scale: the residual's factor (a number).

    Input shape:
        A list of two tensors of the same shape: the shortcut x and the residual r.

    Output shape:
        The same shape.
    """

    def __init__(self, scale, **kwargs):
        super().__init__(**kwargs)
        if isinstance(scale, bool) or not isinstance(scale, (int, float)):
            raise ValueError(f"{type(self).__name__}: scale must be a number, got {scale!r}")
        self.scale = float(scale)

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) != 2:
            raise ValueError(f"{self.name}: expects a list of two tensors [x, residual], got {inputs!r}")
        x, r = inputs
        return x + r * self.scale

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[0])

    def get_config(self) -> dict:
        return {**super().get_config(), "scale": self.scale}


def conv2d_bn(x, filters, kernel_size, strides=1, padding="same", activation="relu", use_bias=False, name=None):
    """Conv2D ("{name}") → BatchNormalization (scale=False, "{name}_bn"; only without bias) →
    the activation ("{name}_ac"; none for None)."""
    x = layers.Conv2D(filters, kernel_size, strides=strides, padding=padding, use_bias=use_bias, name=name)(x)
    if not use_bias:
        x = batch_norm_act(x, None if name is None else f"{name}_bn", None, scale=False, activation=None)
    if activation is not None:
        x = layers.Activation(activation, name=None if name is None else f"{name}_ac")(x)
    return x


def _chain(x, specs):
    """conv2d_bn applied for each (filters, kernel_size) in turn."""
    for filters, kernel_size in specs:
        x = conv2d_bn(x, filters, kernel_size)
    return x


BRANCHES = {
    "block35": (((32, 1),), ((32, 1), (32, 3)), ((32, 1), (48, 3), (64, 3))),
    "block17": (((192, 1),), ((128, 1), (160, (1, 7)), (192, (7, 1)))),
    "block8": (((192, 1),), ((192, 1), (224, (1, 3)), (256, (3, 1)))),
}
"""The parallel branches of each block type: a chain of (filters, kernel size) per branch."""


def inception_resnet_block(x, scale, block_type, block_idx, activation="relu"):
    """y = activation(x + scale · Conv1×1(concat(branches(x)))), named "{block_type}_{block_idx}_…"."""
    if block_type not in BRANCHES:
        raise ValueError(f"inception_resnet_block: block_type must be 'block35', 'block17' or 'block8', "
                         f"got {block_type!r}")
    block_name = f"{block_type}_{block_idx}"
    mixed = layers.Concatenate(axis=-1, name=f"{block_name}_mixed")([_chain(x, b) for b in BRANCHES[block_type]])
    up = conv2d_bn(mixed, x.shape[-1], 1, activation=None, use_bias=True, name=f"{block_name}_conv")
    x = CustomScaleLayer(scale)([x, up])
    if activation is not None:
        x = layers.Activation(activation, name=f"{block_name}_ac")(x)
    return x


def InceptionResNetV2(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None,
                      classes=1000, classifier_activation="softmax", name="inception_resnet_v2"):
    """InceptionResNetV2: an Inception stem, then 10 + 20 + 10 scaled residual Inception blocks.

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
    check_weights(weights, "InceptionResNetV2")
    inputs = imagenet_input(input_tensor, input_shape, 299, 75, include_top, "InceptionResNetV2")
    x = conv2d_bn(inputs, 32, 3, strides=2, padding="valid")
    x = conv2d_bn(x, 32, 3, padding="valid")
    x = conv2d_bn(x, 64, 3)
    x = layers.MaxPooling2D(3, strides=2)(x)
    x = conv2d_bn(x, 80, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, padding="valid")
    x = layers.MaxPooling2D(3, strides=2)(x)
    pool = conv2d_bn(layers.AveragePooling2D(3, strides=1, padding="same")(x), 64, 1)
    x = layers.Concatenate(axis=-1, name="mixed_5b")(
        [_chain(x, ((96, 1),)), _chain(x, ((48, 1), (64, 5))), _chain(x, ((64, 1), (96, 3), (96, 3))), pool])
    for block_idx in range(1, 11):
        x = inception_resnet_block(x, scale=0.17, block_type="block35", block_idx=block_idx)
    x = layers.Concatenate(axis=-1, name="mixed_6a")([
        conv2d_bn(x, 384, 3, strides=2, padding="valid"),
        conv2d_bn(_chain(x, ((256, 1), (256, 3))), 384, 3, strides=2, padding="valid"),
        layers.MaxPooling2D(3, strides=2, padding="valid")(x)])
    for block_idx in range(1, 21):
        x = inception_resnet_block(x, scale=0.1, block_type="block17", block_idx=block_idx)
    x = layers.Concatenate(axis=-1, name="mixed_7a")([
        conv2d_bn(conv2d_bn(x, 256, 1), 384, 3, strides=2, padding="valid"),
        conv2d_bn(conv2d_bn(x, 256, 1), 288, 3, strides=2, padding="valid"),
        conv2d_bn(_chain(x, ((256, 1), (288, 3))), 320, 3, strides=2, padding="valid"),
        layers.MaxPooling2D(3, strides=2, padding="valid")(x)])
    for block_idx in range(1, 10):
        x = inception_resnet_block(x, scale=0.2, block_type="block8", block_idx=block_idx)
    x = inception_resnet_block(x, scale=1.0, activation=None, block_type="block8", block_idx=10)
    x = conv2d_bn(x, 1536, 1, name="conv_7b")
    x = classifier_top(x, include_top, pooling, classes, classifier_activation, "InceptionResNetV2",
                       top_pool_name="avg_pool")
    return imagenet_model(input_tensor, inputs, x, name, weights)


def preprocess_input(x, data_format=None):
    """InceptionResNetV2's preprocessing, "tf" mode: x / 127.5 − 1 (see ``imagenet_utils.preprocess_input``)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions

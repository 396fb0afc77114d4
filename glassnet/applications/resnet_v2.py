"""ResNet50V2, ResNet101V2, ResNet152V2 (He et al., "Identity Mappings in Deep Residual Networks", 2016).

The pre-activation residual block (``resnet.residual_block_v2``): batch norm and ReLU come
*before* each convolution, and nothing follows the addition,

    a = relu(BN(x)),   y = shortcut + conv1×1(relu(BN(conv3×3(relu(BN(conv1×1(a))))))),

so the shortcut path from the first block to the last is a chain of pure identities. The
stem has no batch norm (the first block's pre-activation does it); "post_bn", "post_relu"
close the network. A stack strides in its *last* block (Keras's layout, that of the
original TF-Slim weights), and the conv5 stack does not stride.

preprocess_input: "tf" mode, x / 127.5 − 1.
"""
from __future__ import annotations

from . import imagenet_utils
from .resnet import FILTERS, STACKS, ResNet, stack_residual_blocks_v2


def _v2_stacks(blocks):
    def stack_fn(x):
        for i, (filters, count) in enumerate(zip(FILTERS, blocks)):
            x = stack_residual_blocks_v2(x, filters, count, stride1=1 if i == 3 else 2, name=f"conv{i + 2}")
        return x
    return stack_fn


def _resnet_v2(variant, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
               name):
    return ResNet(_v2_stacks(STACKS[variant]), True, True, include_top=include_top, weights=weights,
                  input_tensor=input_tensor, input_shape=input_shape, pooling=pooling, classes=classes,
                  classifier_activation=classifier_activation, name=name, weights_name=f"{variant}v2")


def ResNet50V2(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
               classifier_activation="softmax", name="resnet50v2"):
    """ResNet50V2: 3, 4, 6, 3 pre-activation bottleneck blocks (25,613,800 weights at 1000 classes).

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
    return _resnet_v2("resnet50", include_top, weights, input_tensor, input_shape, pooling, classes,
                      classifier_activation, name)


def ResNet101V2(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
                classifier_activation="softmax", name="resnet101v2"):
    """ResNet101V2: 3, 4, 23, 3 pre-activation blocks (44,675,560 weights). Args as ``ResNet50V2``."""
    return _resnet_v2("resnet101", include_top, weights, input_tensor, input_shape, pooling, classes,
                      classifier_activation, name)


def ResNet152V2(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
                classifier_activation="softmax", name="resnet152v2"):
    """ResNet152V2: 3, 8, 36, 3 pre-activation blocks (60,380,648 weights). Args as ``ResNet50V2``."""
    return _resnet_v2("resnet152", include_top, weights, input_tensor, input_shape, pooling, classes,
                      classifier_activation, name)


def preprocess_input(x, data_format=None):
    """ResNetV2's preprocessing, "tf" mode: x / 127.5 − 1, pixels to [−1, 1]
    (see ``imagenet_utils.preprocess_input``)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions

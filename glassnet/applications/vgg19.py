"""VGG19 (Simonyan & Zisserman, "Very Deep Convolutional Networks for Large-Scale Image Recognition", 2014).

VGG16's design (see ``vgg16.py``) one convolution deeper in each of the last three blocks:
2, 2, 4, 4, 4 convolutions of 64, 128, 256, 512, 512 filters — 16 convolutions + 3 dense
layers = 19 weight layers, 143,667,240 weights at 224×224 with 1000 classes (20,024,384 in
the convolutional base).

preprocess_input: "caffe" mode (RGB → BGR, minus ImageNet's mean per channel).
"""
from __future__ import annotations

from . import imagenet_utils
from .common import check_weights, imagenet_input, imagenet_model, vgg_network

BLOCKS = ((64, 2), (128, 2), (256, 4), (512, 4), (512, 4))      # (filters, convolutions) per block


def VGG19(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
          classifier_activation="softmax", name="vgg19"):
    """VGG19: five blocks of 3×3 "same" ReLU convolutions, each ended by a 2×2 max pool, then
    Flatten → Dense 4096 ("fc1") → Dense 4096 ("fc2") → Dense ``classes`` ("predictions").

    Layer names are Keras's ("block1_conv1" … "block5_conv4", "block5_pool", "flatten", "fc1",
    "fc2", "predictions"), so a ``.weights.h5`` saved by Keras loads as it is.

    Args:
        include_top: with the three dense layers (True) or only the convolutional base.
        weights: None (random initial weights) or the path of a weights file (glassnet's
            ``.weights.npz``, or a ``.weights.h5`` saved by Keras); "imagenet" is refused
            (nothing is downloaded).
        input_tensor: a symbolic tensor to build on (its source ``Input`` becomes the input).
        input_shape: (height, width, channels), default (224, 224, 3) with the top and
            (None, None, 3) without; at least 32×32.
        pooling: with include_top=False: None (4-D output), "avg" or "max" (global pooling → 2-D).
        classes: outputs of "predictions". classifier_activation: its activation.
        name: the model's name.

    Returns:
        an uncompiled ``glassnet.Model``.
    """
    check_weights(weights, "VGG19")
    inputs = imagenet_input(input_tensor, input_shape, 224, 32, include_top, "VGG19")
    x = vgg_network(inputs, BLOCKS, include_top, pooling, classes, classifier_activation, "VGG19")
    return imagenet_model(input_tensor, inputs, x, name, weights)


def preprocess_input(x, data_format=None):
    """VGG19's preprocessing, "caffe" mode: RGB → BGR, minus ImageNet's mean per channel, no scaling
    (see ``imagenet_utils.preprocess_input``)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


decode_predictions = imagenet_utils.decode_predictions

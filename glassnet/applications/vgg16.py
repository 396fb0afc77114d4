"""VGG16 (Simonyan & Zisserman, "Very Deep Convolutional Networks for Large-Scale Image Recognition", 2014)."""
from __future__ import annotations

from ..models import Model
from . import imagenet_utils
from .common import check_weights, load_weights, model_input, vgg_network

BLOCKS = ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3))      # (filters, convolutions) per block


def VGG16(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
          classifier_activation="softmax", name="vgg16"):
    """VGG16: five blocks of 3×3 "same" convolutions (stride 1, ReLU), each ended by a 2×2 max pool.

    Block b has 2 or 3 convolutions of 64, 128, 256, 512, 512 filters; the top is
    Flatten → Dense 4096 ReLU ("fc1") → Dense 4096 ReLU ("fc2") → Dense ``classes`` ("predictions").
    13 convolutions + 3 dense layers = 16 weight layers. Stacking 3×3 filters is the paper's
    point: two see a 5×5 patch and three a 7×7 one, with fewer weights and more nonlinearities.

    At 224×224×3 with 1000 classes: 138,357,544 weights (14,714,688 in the convolutional base,
    102,764,544 in fc1 alone); 7×7×512 feature maps before the top. Layer names are Keras's
    ("block1_conv1" … "block5_pool", "flatten", "fc1", "fc2", "predictions"), so feature
    extraction reads ``model.get_layer("block4_pool").output``.

    Args:
        include_top: with the three dense layers (True) or only the convolutional base.
        weights: None (random initial weights) or the path of weights saved with
            ``model.save_weights``; "imagenet" is refused (nothing is downloaded).
        input_tensor: an ``Input`` to build on (instead of a new one).
        input_shape: (height, width, channels), default (224, 224, 3); at least 32×32.
        pooling: with include_top=False: None (4-D output), "avg" or "max" (global pooling → 2-D).
        classes: outputs of "predictions". classifier_activation: its activation.
        name: the model's name.

    Returns:
        an uncompiled ``glassnet.Model``.
    """
    check_weights(weights, "VGG16")
    inputs = input_tensor if input_tensor is not None else model_input(input_shape, (224, 224, 3), "VGG16", 32)
    x = vgg_network(inputs, BLOCKS, include_top, pooling, classes, classifier_activation, "VGG16")
    return load_weights(Model(inputs, x, name=name), weights)


def preprocess_input(x, data_format=None):
    """VGG16's preprocessing, "caffe" mode: RGB → BGR, minus ImageNet's mean per channel, no scaling
    (see ``imagenet_utils.preprocess_input``)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


decode_predictions = imagenet_utils.decode_predictions

"""AlexNet (Krizhevsky, Sutskever & Hinton, "ImageNet Classification with Deep Convolutional Neural Networks", 2012)."""
from __future__ import annotations

from .. import layers
from ..models import Model
from .common import check_weights, load_weights, model_input


def AlexNet(input_shape=(227, 227, 3), num_classes=1000, dropout=0.5, normalization="batch",
            classifier_activation="softmax", weights=None, name="alexnet"):
    """AlexNet: 5 convolutions, 3 max pools, 2 normalization layers, 3 dense layers, softmax.

        conv1 96 11×11 stride 4, ReLU → 55×55×96  → norm1 → pool1 3×3 stride 2 → 27×27×96
        conv2 256 5×5 "same", ReLU    → 27×27×256 → norm2 → pool2 3×3 stride 2 → 13×13×256
        conv3 384 3×3 "same", ReLU → conv4 384 3×3 "same", ReLU → conv5 256 3×3 "same", ReLU
        pool5 3×3 stride 2 → 6×6×256 → fc6 4096 ReLU → dropout → fc7 4096 ReLU → dropout
        → predictions ``num_classes`` softmax

    The output sizes follow ⌊(n + 2p − f)/s⌋ + 1: (227 − 11)/4 + 1 = 55, (55 − 3)/2 + 1 = 27, …
    The pools overlap (3×3 windows, stride 2), as in the paper. With 1000 classes: 62,381,344
    weights with batch normalization (62,378,344 without).

    Normalization: the original applies *local response normalization* after the ReLU of
    conv1 and conv2 (before their pools): each activation is divided by
    (k + α·Σ of the squares of n = 5 neighbouring channels)^β, with k = 2, α = 1e-4, β = 0.75.
    LRN fell out of use — VGG found it did not help, and batch normalization does its job
    better — so ``normalization="batch"`` (default) puts a BatchNormalization in those two
    places ("norm1", "norm2"); ``normalization=None`` leaves them out. The paper's two-GPU
    split (grouped conv2, conv4, conv5) is not reproduced: every convolution sees all channels.

    Args:
        input_shape: (height, width, channels), default (227, 227, 3); at least 67×67.
        num_classes: outputs. dropout: rate before fc7 and the output (0.5 as in the paper).
        normalization: "batch" or None. classifier_activation: of the output layer.
        weights: None or the path of weights saved with ``model.save_weights``.
    """
    check_weights(weights, "AlexNet")
    if normalization not in ("batch", None):
        raise ValueError(f"AlexNet: normalization must be 'batch' or None, got {normalization!r}")
    inputs = model_input(input_shape, (227, 227, 3), "AlexNet", 67)

    def norm(x, label):
        return layers.BatchNormalization(name=label)(x) if normalization == "batch" else x

    x = layers.Conv2D(96, 11, strides=4, activation="relu", name="conv1")(inputs)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(norm(x, "norm1"))
    x = layers.Conv2D(256, 5, padding="same", activation="relu", name="conv2")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool2")(norm(x, "norm2"))
    x = layers.Conv2D(384, 3, padding="same", activation="relu", name="conv3")(x)
    x = layers.Conv2D(384, 3, padding="same", activation="relu", name="conv4")(x)
    x = layers.Conv2D(256, 3, padding="same", activation="relu", name="conv5")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool5")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(4096, activation="relu", name="fc6")(x)
    x = layers.Dropout(dropout, name="dropout6")(x)
    x = layers.Dense(4096, activation="relu", name="fc7")(x)
    x = layers.Dropout(dropout, name="dropout7")(x)
    x = layers.Dense(num_classes, activation=classifier_activation, name="predictions")(x)
    return load_weights(Model(inputs, x, name=name), weights)

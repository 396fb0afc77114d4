"""MobileNet (Howard et al., "MobileNets: Efficient Convolutional Neural Networks for Mobile
Vision Applications", 2017), as ``keras.applications.mobilenet`` builds it.

A k×k convolution from M to N channels costs k²·M·N multiplications per pixel. MobileNet
splits it into a *depthwise* k×k convolution (one filter per input channel: k²·M) and a
*pointwise* 1×1 convolution mixing the channels (M·N) — about 1/N + 1/k² of the cost, 8–9×
fewer for 3×3. Each depthwise-separable block is

    x → DepthwiseConv2D 3×3 → BN → ReLU6 → Conv2D 1×1 → BN → ReLU6,   ReLU6(z) = min(max(z, 0), 6)

13 of them after a 3×3/2 convolution of 32 filters; the width multiplier ``alpha`` scales
every layer's channels (int(filters·alpha)) and ``depth_multiplier`` the depthwise filters per
channel. A stride-2 block pads ((0, 1), (0, 1)) then convolves "valid", as the TensorFlow
weights were trained. The top is global average pooling (kept 4-D) → Dropout → 1×1
convolution "conv_preds" → Reshape → the classifier activation: 4,253,864 weights at alpha=1.

preprocess_input: "tf" mode, x / 127.5 − 1.
"""
from __future__ import annotations

from .. import layers
from . import imagenet_utils
from .common import batch_norm_act, check_weights, imagenet_input, imagenet_model, input_rows, pooled

# (pointwise filters, stride) of the 13 depthwise-separable blocks
BLOCKS = ((64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1), (512, 1),
          (512, 1), (1024, 2), (1024, 1))


def depthwise_conv_block(x, pointwise_conv_filters, alpha, depth_multiplier=1, strides=(1, 1), block_id=1):
    """DepthwiseConv2D 3×3 → BN → ReLU6 → Conv2D 1×1 (int(filters·alpha)) → BN → ReLU6."""
    if strides != (1, 1):
        x = layers.ZeroPadding2D(((0, 1), (0, 1)), name=f"conv_pad_{block_id}")(x)
    x = layers.DepthwiseConv2D((3, 3), padding="same" if strides == (1, 1) else "valid",
                               depth_multiplier=depth_multiplier, strides=strides, use_bias=False,
                               name=f"conv_dw_{block_id}")(x)
    x = batch_norm_act(x, f"conv_dw_{block_id}_bn", f"conv_dw_{block_id}_relu", activation="relu6")
    x = layers.Conv2D(int(pointwise_conv_filters * alpha), (1, 1), padding="same", use_bias=False, strides=(1, 1),
                      name=f"conv_pw_{block_id}")(x)
    return batch_norm_act(x, f"conv_pw_{block_id}_bn", f"conv_pw_{block_id}_relu", activation="relu6")


def MobileNet(input_shape=None, alpha=1.0, depth_multiplier=1, dropout=0.001, include_top=True, weights=None,
              input_tensor=None, pooling=None, classes=1000, classifier_activation="softmax", name=None):
    """MobileNet (v1): a 3×3/2 convolution, then 13 depthwise-separable blocks.

    Args:
        input_shape: (height, width, channels); default (224, 224, 3) with the top,
            (None, None, 3) without; at least 32×32.
        alpha: the width multiplier (Keras's ImageNet weights exist for 0.25, 0.5, 0.75, 1.0).
        depth_multiplier: depthwise filters per input channel.
        dropout: the dropout rate before "conv_preds".
        include_top: with the classifier (True) or only the convolutional base.
        weights: None (random initial weights) or the path of a weights file (glassnet's
            ``.weights.npz``, or a ``.weights.h5`` saved by Keras from the same model);
            "imagenet" is refused: glassnet never downloads.
        input_tensor: a symbolic tensor to build on (its source ``Input`` becomes the input).
        pooling: with include_top=False: None (4-D feature maps), "avg" or "max" (→ 2-D).
        classes: outputs of the top. classifier_activation: its activation (None: logits).
        name: the model's name; None: "mobilenet_{alpha:.2f}_{rows}".

    Returns:
        an uncompiled ``glassnet.Model``.
    """
    check_weights(weights, "MobileNet")
    if not alpha > 0 or not isinstance(depth_multiplier, int) or depth_multiplier < 1:
        raise ValueError(f"MobileNet: alpha must be > 0 and depth_multiplier a positive int, got alpha={alpha!r}, "
                         f"depth_multiplier={depth_multiplier!r}")
    inputs = imagenet_input(input_tensor, input_shape, 224, 32, include_top, "MobileNet")
    x = layers.Conv2D(int(32 * alpha), (3, 3), padding="same", use_bias=False, strides=(2, 2), name="conv1")(inputs)
    x = batch_norm_act(x, "conv1_bn", "conv1_relu", activation="relu6")
    for block_id, (filters, stride) in enumerate(BLOCKS, start=1):
        x = depthwise_conv_block(x, filters, alpha, depth_multiplier, strides=(stride, stride), block_id=block_id)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Dropout(dropout, name="dropout")(x)
        x = layers.Conv2D(classes, (1, 1), padding="same", name="conv_preds")(x)
        x = layers.Reshape((classes,), name="reshape_2")(x)
        x = layers.Activation(classifier_activation, name="predictions")(x)
    else:
        x = pooled(x, pooling, "MobileNet")
    if name is None:
        name = f"mobilenet_{alpha:0.2f}_{input_rows(None, input_shape, include_top, (128, 160, 192, 224))}"
    return imagenet_model(input_tensor, inputs, x, name, weights)


def preprocess_input(x, data_format=None):
    """MobileNet's preprocessing, "tf" mode: x / 127.5 − 1 (see ``imagenet_utils.preprocess_input``)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions

"""ResNet (He et al., "Deep Residual Learning for Image Recognition", 2015) and ResNetV2
(He et al., "Identity Mappings in Deep Residual Networks", 2016), as ``keras.applications`` builds them.

A residual block learns the *change* F(x) to its input instead of the whole mapping:

    y = relu(x + F(x))                  v1 ("post-activation"): F = conv-BN-relu ×2, conv-BN
    y = x + F(relu(BN(x)))              v2 ("pre-activation"): F = conv-BN-relu ×2, conv

The shortcut x is the identity, or a 1×1 convolution when the shape changes. Gradients flow
through the "+ x" unchanged, which is what lets 50–152 layers train. Each block is a
*bottleneck*: 1×1 conv to ``filters`` → 3×3 conv → 1×1 conv to 4·``filters``.

The stem: 7×7/2 convolution (64), 3×3/2 max pool; then four stacks ("conv2" … "conv5") of
3, 4, 6, 3 blocks (ResNet50), 3, 4, 23, 3 (ResNet101), 3, 8, 36, 3 (ResNet152), with 64,
128, 256, 512 bottleneck filters; the image shrinks 32× in all (224 → 7). Layer names are
Keras's ("conv1_conv", "conv2_block1_1_conv", …, "conv5_block3_out", "avg_pool",
"predictions"), so a ``.weights.h5`` saved by Keras loads as it is.

preprocess_input: "caffe" mode for v1 (here), "tf" for v2 (``resnet_v2``).
"""
from __future__ import annotations

from .. import layers
from . import imagenet_utils
from .common import batch_norm_act, check_weights, classifier_top, imagenet_input, imagenet_model

EPSILON = 1.001e-5                                   # Keras's BatchNormalization epsilon in ResNet
STACKS = {"resnet50": (3, 4, 6, 3), "resnet101": (3, 4, 23, 3), "resnet152": (3, 8, 36, 3)}
FILTERS = (64, 128, 256, 512)


def residual_block_v1(x, filters, kernel_size=3, stride=1, conv_shortcut=True, name=None):
    """y = relu(shortcut(x) + BN(conv1×1(relu(BN(conv3×3(relu(BN(conv1×1/stride(x)))))))))."""
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(x)
        shortcut = batch_norm_act(shortcut, f"{name}_0_bn", None, epsilon=EPSILON, activation=None)
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, strides=stride, name=f"{name}_1_conv")(x)
    x = batch_norm_act(x, f"{name}_1_bn", f"{name}_1_relu", epsilon=EPSILON)
    x = layers.Conv2D(filters, kernel_size, padding="same", name=f"{name}_2_conv")(x)
    x = batch_norm_act(x, f"{name}_2_bn", f"{name}_2_relu", epsilon=EPSILON)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    x = batch_norm_act(x, f"{name}_3_bn", None, epsilon=EPSILON, activation=None)
    x = layers.Add(name=f"{name}_add")([shortcut, x])
    return layers.Activation("relu", name=f"{name}_out")(x)


def residual_block_v2(x, filters, kernel_size=3, stride=1, conv_shortcut=False, name=None):
    """y = shortcut + conv1×1(relu(BN(conv3×3/stride(pad(relu(BN(conv1×1(a)))))))), a = relu(BN(x)).

    The shortcut is conv1×1/stride(a) with ``conv_shortcut``, else x (max-pooled 1×1/stride
    when the block strides)."""
    preact = batch_norm_act(x, f"{name}_preact_bn", f"{name}_preact_relu", epsilon=EPSILON)
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(preact)
    else:
        shortcut = layers.MaxPooling2D(1, strides=stride)(x) if stride > 1 else x
    x = layers.Conv2D(filters, 1, strides=1, use_bias=False, name=f"{name}_1_conv")(preact)
    x = batch_norm_act(x, f"{name}_1_bn", f"{name}_1_relu", epsilon=EPSILON)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=f"{name}_2_pad")(x)
    x = layers.Conv2D(filters, kernel_size, strides=stride, use_bias=False, name=f"{name}_2_conv")(x)
    x = batch_norm_act(x, f"{name}_2_bn", f"{name}_2_relu", epsilon=EPSILON)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    return layers.Add(name=f"{name}_out")([shortcut, x])


def stack_residual_blocks_v1(x, filters, blocks, stride1=2, name=None):
    """``blocks`` v1 blocks; the first strides by ``stride1`` and has the convolution shortcut."""
    x = residual_block_v1(x, filters, stride=stride1, name=f"{name}_block1")
    for i in range(2, blocks + 1):
        x = residual_block_v1(x, filters, conv_shortcut=False, name=f"{name}_block{i}")
    return x


def stack_residual_blocks_v2(x, filters, blocks, stride1=2, name=None):
    """``blocks`` v2 blocks; the first has the convolution shortcut, the *last* strides by ``stride1``."""
    x = residual_block_v2(x, filters, conv_shortcut=True, name=f"{name}_block1")
    for i in range(2, blocks):
        x = residual_block_v2(x, filters, name=f"{name}_block{i}")
    return residual_block_v2(x, filters, stride=stride1, name=f"{name}_block{blocks}")


def ResNet(stack_fn, preact, use_bias, include_top=True, weights=None, input_tensor=None, input_shape=None,
           pooling=None, classes=1000, classifier_activation="softmax", name="resnet", weights_name=None):
    """The ResNet skeleton around ``stack_fn`` (the residual stacks), as Keras's ``resnet.ResNet``.

    Args:
        stack_fn: tensor → tensor, the four stacks of residual blocks.
        preact: True for v2 (batch norm + relu after the stacks instead of after the stem).
        use_bias: whether the stem convolution has a bias.
        include_top, weights, input_tensor, input_shape, pooling, classes,
            classifier_activation, name: as ``ResNet50``.
        weights_name: Keras's name of the ImageNet weights (unused: nothing is downloaded).
    """
    check_weights(weights, name)
    inputs = imagenet_input(input_tensor, input_shape, 224, 32, include_top, name)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(inputs)
    x = layers.Conv2D(64, 7, strides=2, use_bias=use_bias, name="conv1_conv")(x)
    if not preact:
        x = batch_norm_act(x, "conv1_bn", "conv1_relu", epsilon=EPSILON)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    x = stack_fn(x)
    if preact:
        x = batch_norm_act(x, "post_bn", "post_relu", epsilon=EPSILON)
    x = classifier_top(x, include_top, pooling, classes, classifier_activation, name,
                       top_pool_name="avg_pool", avg_name="avg_pool", max_name="max_pool")
    return imagenet_model(input_tensor, inputs, x, name, weights)


def _v1_stacks(blocks):
    def stack_fn(x):
        for i, (filters, count) in enumerate(zip(FILTERS, blocks)):
            x = stack_residual_blocks_v1(x, filters, count, stride1=1 if i == 0 else 2, name=f"conv{i + 2}")
        return x
    return stack_fn


def _resnet_v1(variant, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
               name):
    return ResNet(_v1_stacks(STACKS[variant]), False, True, include_top=include_top, weights=weights,
                  input_tensor=input_tensor, input_shape=input_shape, pooling=pooling, classes=classes,
                  classifier_activation=classifier_activation, name=name, weights_name=variant)


def ResNet50(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
             classifier_activation="softmax", name="resnet50"):
    """ResNet50: stacks of 3, 4, 6, 3 bottleneck blocks (25,636,712 weights at 1000 classes).

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
    return _resnet_v1("resnet50", include_top, weights, input_tensor, input_shape, pooling, classes,
                      classifier_activation, name)


def ResNet101(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
              classifier_activation="softmax", name="resnet101"):
    """ResNet101: stacks of 3, 4, 23, 3 bottleneck blocks (44,707,176 weights). Args as ``ResNet50``."""
    return _resnet_v1("resnet101", include_top, weights, input_tensor, input_shape, pooling, classes,
                      classifier_activation, name)


def ResNet152(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None, classes=1000,
              classifier_activation="softmax", name="resnet152"):
    """ResNet152: stacks of 3, 8, 36, 3 bottleneck blocks (60,419,944 weights). Args as ``ResNet50``."""
    return _resnet_v1("resnet152", include_top, weights, input_tensor, input_shape, pooling, classes,
                      classifier_activation, name)


def preprocess_input(x, data_format=None):
    """ResNet's preprocessing, "caffe" mode: RGB → BGR, minus ImageNet's mean per channel, no scaling
    (see ``imagenet_utils.preprocess_input``)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


decode_predictions = imagenet_utils.decode_predictions

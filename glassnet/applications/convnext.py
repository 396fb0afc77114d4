"""ConvNeXt Tiny, Small, Base, Large, XLarge (Liu et al., "A ConvNet for the 2020s", 2022), as
``keras.applications.convnext`` builds them.

A ResNet modernised step by step towards a vision Transformer's design, still all
convolutions. The block (inverted bottleneck, Transformer-like):

    y = x + γ ⊙ Dense(GELU(Dense₄(LayerNorm(DepthwiseConv7×7(x)))))

with a 7×7 depthwise convolution (a grouped Conv2D, groups = channels), LayerNorm instead
of BatchNorm, a 4× wider pointwise MLP (Dense layers on the channel axis), GELU, and a
learned per-channel *layer scale* γ (initialised to 10⁻⁶, so each block starts close to
the identity). A "patchify" stem (4×4/4 convolution + LayerNorm) and between the four
stages a LayerNorm + 2×2/2 convolution, each a nested ``Sequential`` as in Keras. Depths
(3, 3, 9, 3) for Tiny, (3, 3, 27, 3) for the others; widths 96 → 768 (Tiny, Small) up to
256 → 2048 (XLarge). The model normalises its [0, 255] input itself (ImageNet's mean and
deviation, ``include_preprocessing``), so ``preprocess_input`` returns its input.

Differs from Keras on purpose: Keras writes the block's residual sum as tensor arithmetic,
which glassnet's functional graph records only through layers — here an ``Add`` layer per
block, so ``model.layers`` lists one more weightless layer per block than Keras's.
"""
from __future__ import annotations

import numpy as np

from .. import backend, layers
from ..layers.base import Layer
from ..models import Sequential
from . import imagenet_utils
from .common import check_weights, imagenet_input, imagenet_model

MODEL_CONFIGS = {
    "tiny": {"depths": [3, 3, 9, 3], "projection_dims": [96, 192, 384, 768], "default_size": 224},
    "small": {"depths": [3, 3, 27, 3], "projection_dims": [96, 192, 384, 768], "default_size": 224},
    "base": {"depths": [3, 3, 27, 3], "projection_dims": [128, 256, 512, 1024], "default_size": 224},
    "large": {"depths": [3, 3, 27, 3], "projection_dims": [192, 384, 768, 1536], "default_size": 224},
    "xlarge": {"depths": [3, 3, 27, 3], "projection_dims": [256, 512, 1024, 2048], "default_size": 224},
}
EPSILON = 1e-6


class StochasticDepth(Layer):
    """Drops a residual branch for whole samples in training (Keras's ``StochasticDepth``).

    Formula (training): y = x / p · ⌊p + u⌋, u ~ U(0, 1) per sample, p = 1 − drop_path_rate
    (so y = x / p with probability p, else 0; E[y] = x). At inference y = x.

    Args:
        drop_path_rate: the probability of dropping a sample's branch, in [0, 1).

    Input shape:
        Any, batch first. Output shape: the same.
    """

    def __init__(self, drop_path_rate, **kwargs):
        super().__init__(**kwargs)
        if isinstance(drop_path_rate, bool) or not isinstance(drop_path_rate, (int, float)) \
                or not 0 <= drop_path_rate < 1:
            raise ValueError(f"{type(self).__name__}: drop_path_rate must be a number in [0, 1), "
                             f"got {drop_path_rate!r}")
        self.drop_path_rate = float(drop_path_rate)

    def call(self, x, training=None):
        if not training or self.drop_path_rate == 0:
            return x
        keep_prob = 1.0 - self.drop_path_rate
        u = backend.rng().random((x.shape[0],) + (1,) * (len(x.shape) - 1))
        return x / keep_prob * np.floor(keep_prob + u).astype(x.dtype)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "drop_path_rate": self.drop_path_rate}


class LayerScale(Layer):
    """A learned per-channel scale (Keras's ``LayerScale``): y = x ⊙ γ, ∂y/∂x = γ, ∂y/∂γ = x.

    Args:
        init_values: γ's initial value (every channel).
        projection_dim: the number of channels (γ's length).

    Input shape:
        (..., projection_dim). Output shape: the same.
    """

    def __init__(self, init_values, projection_dim, **kwargs):
        super().__init__(**kwargs)
        if isinstance(projection_dim, bool) or not isinstance(projection_dim, (int, np.integer)) or projection_dim < 1:
            raise ValueError(f"{type(self).__name__}: projection_dim must be a positive int, got {projection_dim!r}")
        self.init_values = float(init_values)
        self.projection_dim = int(projection_dim)

    def build(self, input_shape):
        if input_shape[-1] != self.projection_dim:
            raise ValueError(f"{self.name}: the input's last axis ({input_shape[-1]}) must be projection_dim "
                             f"({self.projection_dim})")
        self.gamma = self.add_weight(shape=(self.projection_dim,), initializer=self._constant, trainable=True,
                                     name="gamma")

    def _constant(self, shape, dtype=None):
        return np.full(shape, self.init_values, dtype=dtype or self.dtype)

    def call(self, x):
        return x * self.gamma

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "init_values": self.init_values, "projection_dim": self.projection_dim}


def convnext_block(x, projection_dim, drop_path_rate=0.0, layer_scale_init_value=1e-6, name=None):
    """x + [StochasticDepth](γ ⊙ Dense(GELU(Dense(4·dim)(LayerNorm(DepthwiseConv7×7(x))))))."""
    inputs = x
    x = layers.Conv2D(projection_dim, kernel_size=7, padding="same", groups=projection_dim,
                      name=f"{name}_depthwise_conv")(x)
    x = layers.LayerNormalization(epsilon=EPSILON, name=f"{name}_layernorm")(x)
    x = layers.Dense(4 * projection_dim, name=f"{name}_pointwise_conv_1")(x)
    x = layers.Activation("gelu", name=f"{name}_gelu")(x)
    x = layers.Dense(projection_dim, name=f"{name}_pointwise_conv_2")(x)
    if layer_scale_init_value is not None:
        x = LayerScale(layer_scale_init_value, projection_dim, name=f"{name}_layer_scale")(x)
    if drop_path_rate:
        x = StochasticDepth(drop_path_rate, name=f"{name}_stochastic_depth")(x)
    else:
        x = layers.Activation("linear", name=f"{name}_identity")(x)
    return layers.Add()([inputs, x])


def ConvNeXt(depths, projection_dims, drop_path_rate=0.0, layer_scale_init_value=1e-6, default_size=224,
             name="convnext", include_preprocessing=True, include_top=True, weights=None, input_tensor=None,
             input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", weights_name=None):
    """The ConvNeXt builder (Keras's ``convnext.ConvNeXt``).

    Args:
        depths: blocks in each of the four stages. projection_dims: their channels.
        drop_path_rate: the last block's stochastic-depth rate (0 at the first, linear between).
        layer_scale_init_value: γ's initial value (None: no layer scale).
        default_size: the image side without input_shape (with the top).
        the rest: as ``ConvNeXtTiny``; weights_name is unused (nothing is downloaded).
    """
    check_weights(weights, name)
    if len(depths) != 4 or len(projection_dims) != 4:
        raise ValueError(f"{name}: depths and projection_dims must have four entries each, got {depths!r}, "
                         f"{projection_dims!r}")
    inputs = imagenet_input(input_tensor, input_shape, default_size, 32, include_top, name)
    x = inputs
    if include_preprocessing and inputs.shape[-1] == 3:
        x = layers.Normalization(mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],
                                 variance=[(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2],
                                 name=f"{name}_prestem_normalization")(x)
    stem = Sequential([layers.Conv2D(projection_dims[0], kernel_size=4, strides=4, name=f"{name}_stem_conv"),
                       layers.LayerNormalization(epsilon=EPSILON, name=f"{name}_stem_layernorm")], name=f"{name}_stem")
    downsample_layers = [stem]
    for i in range(3):
        downsample_layers.append(Sequential(
            [layers.LayerNormalization(epsilon=EPSILON, name=f"{name}_downsampling_layernorm_{i}"),
             layers.Conv2D(projection_dims[i + 1], kernel_size=2, strides=2, name=f"{name}_downsampling_conv_{i}")],
            name=f"{name}_downsampling_block_{i}"))
    depth_drop_rates = [float(r) for r in np.linspace(0.0, drop_path_rate, sum(depths))]
    cur = 0
    for i in range(4):
        x = downsample_layers[i](x)
        for j in range(depths[i]):
            x = convnext_block(x, projection_dims[i], depth_drop_rates[cur + j], layer_scale_init_value,
                               name=f"{name}_stage_{i}_block_{j}")
        cur += depths[i]
    if include_top:
        if not isinstance(classes, int) or classes <= 0:
            raise ValueError(f"{name}: classes must be a positive int, got {classes!r}")
        x = layers.GlobalAveragePooling2D(name=f"{name}_head_gap")(x)
        x = layers.LayerNormalization(epsilon=EPSILON, name=f"{name}_head_layernorm")(x)
        x = layers.Dense(classes, activation=classifier_activation, name=f"{name}_head_dense")(x)
    else:
        if pooling == "avg":
            x = layers.GlobalAveragePooling2D()(x)
        elif pooling == "max":
            x = layers.GlobalMaxPooling2D()(x)
        elif pooling is not None:
            raise ValueError(f"{name}: pooling must be None, 'avg' or 'max', got {pooling!r}")
        x = layers.LayerNormalization(epsilon=EPSILON)(x)
    return imagenet_model(input_tensor, inputs, x, name, weights)


def _variant(size, include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes,
             classifier_activation, name):
    config = MODEL_CONFIGS[size]
    return ConvNeXt(config["depths"], config["projection_dims"], default_size=config["default_size"], name=name,
                    include_top=include_top, include_preprocessing=include_preprocessing, weights=weights,
                    input_tensor=input_tensor, input_shape=input_shape, pooling=pooling, classes=classes,
                    classifier_activation=classifier_activation, weights_name=f"convnext_{size}")


def ConvNeXtTiny(include_top=True, include_preprocessing=True, weights=None, input_tensor=None, input_shape=None,
                 pooling=None, classes=1000, classifier_activation="softmax", name="convnext_tiny"):
    """ConvNeXtTiny: depths 3, 3, 9, 3, widths 96–768 (28,589,128 weights with 1000 classes).

    Args:
        include_top: with global average pooling, LayerNorm and the Dense "{name}_head_dense"
            (True), or only the base, ended by a LayerNorm (False: any image size ≥ 32×32 when
            input_shape is None).
        include_preprocessing: normalise [0, 255] pixels inside the model.
        weights: None (random initial weights) or the path of a weights file (glassnet's
            ``.weights.npz``, or a ``.weights.h5`` saved by Keras from the same model);
            "imagenet" is refused: glassnet never downloads.
        input_tensor: a symbolic tensor to build on (its source ``Input`` becomes the input).
        input_shape: (height, width, channels); default (224, 224, 3) with the top,
            (None, None, 3) without; at least 32×32.
        pooling: with include_top=False: None (4-D feature maps), "avg" or "max" (→ 2-D).
        classes: outputs of the top. classifier_activation: its activation (None: logits).
        name: the model's name.

    Returns:
        an uncompiled ``glassnet.Model``.
    """
    return _variant("tiny", include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name)


def ConvNeXtSmall(include_top=True, include_preprocessing=True, weights=None, input_tensor=None, input_shape=None,
                  pooling=None, classes=1000, classifier_activation="softmax", name="convnext_small"):
    """ConvNeXtSmall: depths 3, 3, 27, 3, widths 96–768 (50,223,688 weights). Args as ``ConvNeXtTiny``."""
    return _variant("small", include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name)


def ConvNeXtBase(include_top=True, include_preprocessing=True, weights=None, input_tensor=None, input_shape=None,
                 pooling=None, classes=1000, classifier_activation="softmax", name="convnext_base"):
    """ConvNeXtBase: depths 3, 3, 27, 3, widths 128–1024 (88,591,464 weights). Args as ``ConvNeXtTiny``."""
    return _variant("base", include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name)


def ConvNeXtLarge(include_top=True, include_preprocessing=True, weights=None, input_tensor=None, input_shape=None,
                  pooling=None, classes=1000, classifier_activation="softmax", name="convnext_large"):
    """ConvNeXtLarge: depths 3, 3, 27, 3, widths 192–1536 (197,767,336 weights). Args as ``ConvNeXtTiny``."""
    return _variant("large", include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name)


def ConvNeXtXLarge(include_top=True, include_preprocessing=True, weights=None, input_tensor=None, input_shape=None,
                   pooling=None, classes=1000, classifier_activation="softmax", name="convnext_xlarge"):
    """ConvNeXtXLarge: depths 3, 3, 27, 3, widths 256–2048 (350,196,968 weights). Args as ``ConvNeXtTiny``."""
    return _variant("xlarge", include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name)


def preprocess_input(x, data_format=None):
    """ConvNeXt's preprocessing: none — the model normalises its [0, 255] input itself
    (``include_preprocessing``); ``x`` is returned unchanged, as in Keras."""
    return x


decode_predictions = imagenet_utils.decode_predictions

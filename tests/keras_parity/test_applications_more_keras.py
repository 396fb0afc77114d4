"""The ImageNet families against keras.applications with the same weights (skipped without keras).

Each family is built on both sides with weights=None at the smallest size it allows; the
layers must match one for one (class, and name where Keras names the layer — the unnamed
ones are numbered per session), so Keras's weights copy into ours layer by layer. Batch
norms get random statistics first (fresh ones are the identity and would hide a wrong
epsilon or axis). Then both predict the same images, in float32, to a tolerance. The deep
families are compared through their builders with few, narrow blocks (see CASES);
InceptionResNetV2 through its three block types. A ``.weights.h5`` written by Keras loads
into ours and one written by glassnet into Keras's.
"""
import re

import numpy as np
import pytest

import glassnet as gn
from glassnet import applications
from glassnet import layers as gn_layers
from glassnet.applications import (convnext, densenet, efficientnet, efficientnet_v2, inception_resnet_v2, inception_v3,
                                   mobilenet, mobilenet_v2, mobilenet_v3, resnet, vgg19, xception)

keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")
torch.set_num_threads(1)   # tiny tensors: one thread is faster than several contending on 2 cores



def _keras_auto_name(layer) -> bool:
    """Whether Keras numbered this layer's name from its class (e.g. "conv2d_17")."""
    from keras.src.utils.naming import to_snake_case

    return re.fullmatch(rf"{to_snake_case(type(layer).__name__)}(_\d+)?", layer.name) is not None


def _randomise_batch_norms(model, rng):
    """γ and the moving variance in [0.5, 1.5], β and the moving mean ~ N(0, 0.1²); a
    Normalization layer's mean ~ N(0.5, 0.1²) and variance in [0.02, 0.1] (pixels / 255)."""
    for layer in model.layers:
        if isinstance(layer, keras.Sequential):
            _randomise_batch_norms(layer, rng)
        if type(layer).__name__ == "LayerScale":                               # ConvNeXt's γ, 1e-6 at first
            layer.set_weights([rng.uniform(0.5, 1.5, w.shape).astype("float32") for w in layer.get_weights()])
        if isinstance(layer, keras.layers.Normalization) and layer.weights:     # not fixed at construction
            mean, variance, count = layer.get_weights()
            layer.set_weights([rng.normal(0.5, 0.1, mean.shape).astype("float32"),
                               rng.uniform(0.02, 0.1, variance.shape).astype("float32"), count])
        if isinstance(layer, keras.layers.BatchNormalization):
            arrays = [rng.normal(0, 0.1, w.shape) for w in layer.get_weights()]
            arrays[-1] = rng.uniform(0.5, 1.5, arrays[-1].shape)           # the moving variance is last
            if layer.scale:
                arrays[0] = rng.uniform(0.5, 1.5, arrays[0].shape)         # γ is first
            layer.set_weights([a.astype("float32") for a in arrays])


def _copy_by_layer(ours, theirs):
    """Keras's weights into ours, layer by layer. Keras's graph also holds tensor arithmetic
    (MobileNetV3's hard_sigmoid: "+ 3", "/ 6"; ConvNeXt's residual "+"), which glassnet writes
    as Rescaling and Add layers."""
    assert len(ours.layers) == len(theirs.operations)
    for mine, keras_layer in zip(ours.layers, theirs.operations):
        if not isinstance(keras_layer, keras.layers.Layer):
            assert type(keras_layer).__name__ in ("Add", "Multiply")
            assert isinstance(mine, (gn_layers.Rescaling, gn_layers.Add))
            continue
        assert type(mine).__name__ == type(keras_layer).__name__, (mine.name, keras_layer.name)
        if not _keras_auto_name(keras_layer):
            assert mine.name == keras_layer.name
        mine.set_weights(keras_layer.get_weights())


def _stacks(module, version):
    """Two small residual stacks (8 and 16 filters, 2 blocks) from ``module``'s (ours or Keras's)
    stack function; v1 strides in the second, v2 in the first (as in their last and first)."""
    stack = getattr(module, f"stack_residual_blocks_{version}")
    strides = (1, 2) if version == "v1" else (2, 1)

    def stack_fn(x):
        for i, (filters, stride) in enumerate(zip((8, 16), strides)):
            x = stack(x, filters, 2, stride1=stride, name=f"conv{i + 2}")
        return x
    return stack_fn


def _keras(module_name):
    """Keras's module of a family (its builders are not exported)."""
    from importlib import import_module

    return import_module(f"keras.src.applications.{module_name}")


# The deep families are compared through their builders with few blocks (the variants only
# choose block counts, checked by the published weight counts in tests/applications): the
# ResNet skeleton with two small stacks of v1 or v2 blocks, DenseNet with one layer per dense
# block, EfficientNet and EfficientNetV2 (B table) at width and depth 0.5, ConvNeXt with
# one or two blocks a stage and 8–32 channels. InceptionV3,
# Xception and the rest: whole.
CASES = {
    "ResNet": (lambda **kw: resnet.ResNet(_stacks(resnet, "v1"), False, True, **kw),
               lambda **kw: _keras("resnet").ResNet(_stacks(_keras("resnet"), "v1"), False, True, **kw),
               {"input_shape": (32, 32, 3)}),
    "ResNetV2": (lambda **kw: resnet.ResNet(_stacks(resnet, "v2"), True, True, **kw),
                 lambda **kw: _keras("resnet").ResNet(_stacks(_keras("resnet"), "v2"), True, True, **kw),
                 {"input_shape": (32, 32, 3)}),
    "VGG19": (vgg19.VGG19, keras.applications.VGG19, {"input_shape": (32, 32, 3), "include_top": False,
                                                      "pooling": "avg"}),
    "MobileNet": (mobilenet.MobileNet, keras.applications.MobileNet,
                  {"input_shape": (32, 32, 3), "alpha": 0.25, "depth_multiplier": 2}),
    "MobileNetV2": (mobilenet_v2.MobileNetV2, keras.applications.MobileNetV2, {"input_shape": (33, 33, 3),
                                                                              "alpha": 0.35}),
    "MobileNetV3Small": (mobilenet_v3.MobileNetV3Small, keras.applications.MobileNetV3Small,
                         {"input_shape": (32, 32, 3), "alpha": 0.75}),
    "DenseNet": (lambda **kw: densenet.DenseNet((1, 1, 1, 1), **kw),
                 lambda **kw: _keras("densenet").DenseNet([1, 1, 1, 1], **kw), {"input_shape": (32, 32, 3)}),
    "InceptionV3": (inception_v3.InceptionV3, keras.applications.InceptionV3, {"input_shape": (75, 75, 3)}),
    "EfficientNet": (lambda **kw: efficientnet.EfficientNet(0.5, 0.5, 224, **kw),
                     lambda **kw: _keras("efficientnet").EfficientNet(0.5, 0.5, 224, **kw),
                     {"input_shape": (32, 32, 3)}),
    "EfficientNetV2": (lambda **kw: efficientnet_v2.EfficientNetV2(0.5, 0.5, 224, name="efficientnetv2-b0", **kw),
                       lambda **kw: _keras("efficientnet_v2").EfficientNetV2(0.5, 0.5, 224, name="efficientnetv2-b0",
                                                                             **kw),
                       {"input_shape": (32, 32, 3)}),
    "ConvNeXt": (lambda **kw: convnext.ConvNeXt([1, 1, 2, 1], [8, 16, 24, 32], **kw),
                 lambda **kw: _keras("convnext").ConvNeXt([1, 1, 2, 1], [8, 16, 24, 32], **kw),
                 {"input_shape": (32, 32, 3)}),
    "Xception": (xception.Xception, keras.applications.Xception, {"input_shape": (71, 71, 3), "include_top": False,
                                                                  "pooling": "max"}),
}


@pytest.mark.parametrize("family", list(CASES))
def test_family_predicts_as_keras_with_keras_weights(family):
    ours_fn, theirs_fn, kwargs = CASES[family]
    kwargs = {"classes": 5, "classifier_activation": None, **kwargs}
    theirs = theirs_fn(weights=None, **kwargs)
    ours = ours_fn(weights=None, **kwargs)
    rng = np.random.default_rng(0)
    _randomise_batch_norms(theirs, rng)
    _copy_by_layer(ours, theirs)
    assert ours.count_params() == theirs.count_params()
    assert ours.output.shape == tuple(theirs.output.shape)
    x = rng.uniform(-1, 1, (2, *kwargs["input_shape"])).astype("float32")
    expected = keras.ops.convert_to_numpy(theirs(x, training=False))
    got = ours(x, training=False).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-3, atol=1e-4 * np.abs(expected).max())


def test_inception_resnet_blocks_match_keras():
    """InceptionResNetV2's three residual block types, chained on a small input (the whole
    network's 780 layers, checked by name and weight count in tests/applications, would cost
    seconds in Keras); the last block linear and unscaled, as the network's last."""
    def blocks(module, inputs):
        x = module.inception_resnet_block(inputs, 0.17, "block35", 1)
        x = module.inception_resnet_block(x, 0.1, "block17", 1)
        return module.inception_resnet_block(x, 1.0, "block8", 10, activation=None)

    theirs_in, ours_in = keras.layers.Input((5, 5, 16)), gn_layers.Input((5, 5, 16))
    theirs = keras.Model(theirs_in, blocks(_keras("inception_resnet_v2"), theirs_in))
    ours = gn.Model(ours_in, blocks(inception_resnet_v2, ours_in))
    rng = np.random.default_rng(4)
    _randomise_batch_norms(theirs, rng)
    _copy_by_layer(ours, theirs)
    x = rng.uniform(-1, 1, (2, 5, 5, 16)).astype("float32")
    expected = keras.ops.convert_to_numpy(theirs(x, training=False))
    np.testing.assert_allclose(ours(x, training=False).numpy(), expected, rtol=1e-4, atol=1e-5 * np.abs(expected).max())


def test_keras_weights_file_loads_into_ours_and_ours_into_keras(tmp_path):
    # ConvNeXt: model.layers differ from Keras's (an Add layer for each residual "+", as
    # MobileNetV3's Rescaling layers), and it nests Sequential models
    ours_fn, theirs_fn, kwargs = CASES["ConvNeXt"]
    kwargs = {**kwargs, "classes": 3}
    theirs = theirs_fn(weights=None, **kwargs)
    _randomise_batch_norms(theirs, np.random.default_rng(1))
    theirs.save_weights(tmp_path / "keras.weights.h5")
    ours = ours_fn(weights=str(tmp_path / "keras.weights.h5"), **kwargs)
    x = np.random.default_rng(2).uniform(-1, 1, (2, 32, 32, 3)).astype("float32")
    expected = keras.ops.convert_to_numpy(theirs(x))
    np.testing.assert_allclose(ours.predict(x, verbose=0), expected, rtol=1e-4, atol=1e-6)

    ours_again = ours_fn(**kwargs)                            # fresh random weights, saved by glassnet
    ours_again.save_weights(tmp_path / "ours.weights.h5")
    theirs.load_weights(tmp_path / "ours.weights.h5")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(theirs(x)), ours_again.predict(x, verbose=0), rtol=1e-4,
                               atol=1e-6)


def test_preprocess_input_matches_keras():
    from keras.applications import imagenet_utils as keras_utils

    rng = np.random.default_rng(3)
    for data_format, shape in (("channels_last", (2, 3, 4, 3)), ("channels_first", (2, 3, 4, 4))):
        x = rng.uniform(0, 255, shape).astype("float32")
        for mode in ("caffe", "tf", "torch"):
            for images in (x, x[0]):                                # a batch, and one image
                expected = keras_utils.preprocess_input(images.copy(), data_format=data_format, mode=mode)
                got = applications.imagenet_utils.preprocess_input(images.copy(), data_format=data_format, mode=mode)
                np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-5)

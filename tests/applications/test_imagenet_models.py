"""The keras.applications ImageNet families: Keras's published weight counts, shapes, names,
arguments, preprocess_input by hand and decode_predictions from a local class index.

A model without Flatten has as many weights at any input size (global average pooling
before the top), so the published counts (at 224×224 or 299×299) are checked on the
smallest images each model accepts: nothing runs at full size.
"""
import json

import numpy as np
import pytest

import glassnet as gn
from glassnet import applications
from glassnet.applications import imagenet_utils
# layer classes imported by name: this file calls layer_gradcheck (for the applications' own
# layers) and tests/layers/test_every_layer_gradchecked.py takes every class written after
# "layers." in such a file as gradient-checked
from glassnet.layers import (Conv2D, Flatten, Input, LayerNormalization, Multiply, Normalization, Rescaling,
                             deserialize, serialize)
from glassnet.testing import layer_gradcheck


@pytest.mark.parametrize("model_fn, input_shape, weights", [
    (applications.ResNet50, (32, 32, 3), 25_636_712),
    (applications.ResNet50V2, (32, 32, 3), 25_613_800),
    (applications.MobileNet, (32, 32, 3), 4_253_864),
    (applications.MobileNetV2, (32, 32, 3), 3_538_984),
    (applications.DenseNet121, (32, 32, 3), 8_062_504),
    (applications.InceptionV3, (75, 75, 3), 23_851_784),
    (applications.Xception, (71, 71, 3), 22_910_480),
    (applications.EfficientNetB0, (32, 32, 3), 5_330_571),
    (applications.MobileNetV3Small, (32, 32, 3), 2_554_968),
    (applications.MobileNetV3Large, (32, 32, 3), 5_507_432),
    (applications.EfficientNetV2B0, (32, 32, 3), 7_200_312),
    (applications.InceptionResNetV2, (75, 75, 3), 55_873_736),
])
def test_published_weight_counts(model_fn, input_shape, weights):
    model = model_fn(input_shape=input_shape)
    assert model.count_params() == weights
    assert model.output.shape == (None, 1000)
    assert model.layers[-1].name == "predictions"


def test_vgg19_weight_count_is_the_base_plus_the_top():
    base = applications.VGG19(include_top=False, input_shape=(32, 32, 3))
    assert sum(isinstance(layer, Conv2D) for layer in base.layers) == 16
    assert base.output.shape == (None, 1, 1, 512)           # 32×32 → 1×1 after five 2×2 pools (224 → 7)
    assert base.count_params() == 20_024_384                # the convolutions' count, the same at any size
    # at 224×224 with 1000 classes, without allocating the top's 123 million weights:
    # fc1 (7·7·512 + 1)·4096, fc2 (4096 + 1)·4096, predictions (4096 + 1)·1000
    assert base.count_params() + (7 * 7 * 512 + 1) * 4096 + (4096 + 1) * 4096 + (4096 + 1) * 1000 == 143_667_240
    inputs = Input((2, 2, 3))                        # the top on one tiny block: Keras's names
    tiny = gn.Model(inputs, applications.common.vgg_network(inputs, ((4, 1),), True, None, 3, "softmax", "VGG19"))
    assert [layer.name for layer in tiny.layers[1:]] == ["block1_conv1", "block1_pool", "flatten", "fc1", "fc2",
                                                         "predictions"]
    assert tiny.get_layer("fc1").count_params() == (4 + 1) * 4096


@pytest.mark.parametrize("model_fn, stacks, last", [
    (applications.ResNet101, (3, 4, 23, 3), "conv5_block3_out"),
    (applications.ResNet152V2, (3, 8, 36, 3), "post_relu"),
])
def test_deeper_resnets_have_their_block_counts(model_fn, stacks, last, monkeypatch):
    # only the block counts differ from ResNet50: build them with the stacks' filters shrunk
    for module in (applications.resnet, applications.resnet_v2):
        monkeypatch.setattr(module, "FILTERS", (1, 1, 1, 1))
    model = model_fn(include_top=False, input_shape=(32, 32, 3))
    names = {layer.name for layer in model.layers}
    for stack, blocks in enumerate(stacks, start=2):
        assert f"conv{stack}_block{blocks}_3_conv" in names and f"conv{stack}_block{blocks + 1}_3_conv" not in names
    assert model.layers[-1].name == last


def test_densenet_grows_by_32_channels_a_layer():
    dense = applications.DenseNet121(include_top=False, input_shape=(32, 32, 3), pooling="max")
    assert dense.get_layer("conv2_block6_concat").output.shape == (None, 8, 8, 64 + 6 * 32)
    assert dense.get_layer("pool2_conv").filters == 128                             # halved by the transition
    assert dense.get_layer("conv5_block16_concat").output.shape == (None, 1, 1, 1024)   # 512 + 16·32
    assert dense.layers[-1].name == "max_pool"


def test_mobilenets_scale_by_alpha_and_name_by_size():
    v1 = applications.MobileNet(input_shape=(64, 64, 3), alpha=0.5, depth_multiplier=2, classes=4)
    assert v1.name == "mobilenet_0.50_64"
    assert v1.get_layer("conv_dw_1").depth_multiplier == 2
    assert v1.get_layer("conv_pw_13").filters == 512                       # int(1024·0.5)
    assert [layer.name for layer in v1.layers[-4:]] == ["dropout", "conv_preds", "reshape_2", "predictions"]
    assert v1.output.shape == (None, 4)
    v2 = applications.MobileNetV2(include_top=False, alpha=1.4)
    assert v2.name == "mobilenetv2_1.40_None" and v2.input.shape == (None, None, None, 3)
    assert v2.get_layer("Conv1").filters == 48                              # make_divisible(32·1.4, 8)
    assert v2.get_layer("Conv_1").filters == 1792                           # 1280·1.4 when alpha > 1
    assert applications.common.make_divisible(0.35 * 16, 8) == 8
    assert applications.common.make_divisible(0.75 * 24, 8) == 24          # 18 → 16 < 0.9·18, so 24


@pytest.mark.parametrize("model_fn, kwargs, size", [
    (applications.MobileNet, {"alpha": 0.25}, 64),
    (applications.MobileNetV2, {"alpha": 0.35}, 64),
])
def test_base_accepts_any_size_and_pools(model_fn, kwargs, size):
    base = model_fn(include_top=False, weights=None, **kwargs)
    assert base.input.shape == (None, None, None, 3)
    x = np.random.default_rng(0).random((2, size, size, 3), dtype=np.float32)
    assert base.predict(x, verbose=0).shape[:3] == (2, 2, 2)
    pooled = model_fn(include_top=False, pooling="avg", input_shape=(size, size, 3), **kwargs)
    assert pooled.predict(x, verbose=0).shape == (2, base.output.shape[-1])


def test_input_tensor_builds_on_its_source_input():
    inputs = Input((32, 32, 3))
    scaled = Rescaling(1 / 127.5, offset=-1)(inputs)
    model = applications.MobileNetV2(input_tensor=scaled, alpha=0.35, include_top=False, pooling="avg")
    assert model.inputs[0] is inputs
    assert isinstance(model.layers[1], Rescaling)
    images = np.random.default_rng(1).uniform(0, 255, (1, 32, 32, 3)).astype(np.float32)
    assert model.predict(images, verbose=0).shape == (1, 1280)


def test_small_model_trains_one_step():
    gn.utils.set_random_seed(0)
    model = applications.MobileNetV2(input_shape=(32, 32, 3), alpha=0.35, classes=3)
    model.compile("sgd", "sparse_categorical_crossentropy")
    loss = model.train_on_batch(np.random.default_rng(0).random((2, 32, 32, 3), dtype=np.float32), np.array([0, 2]))
    assert np.isfinite(loss)


def test_weights_from_a_file(tmp_path):
    model = applications.MobileNet(input_shape=(32, 32, 3), alpha=0.25, classes=2)
    model.save_weights(tmp_path / "m.weights.npz")
    again = applications.MobileNet(input_shape=(32, 32, 3), alpha=0.25, classes=2, weights=tmp_path / "m.weights.npz")
    for a, b in zip(model.get_weights(), again.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_bad_arguments():
    with pytest.raises(ValueError, match="never downloads.*save_weights"):
        applications.ResNet50(weights="imagenet")
    with pytest.raises(ValueError, match="existing weights file"):
        applications.Xception(weights="no/such/file.weights.h5")
    with pytest.raises(ValueError, match="at least 75×75"):
        applications.InceptionV3(include_top=False, input_shape=(64, 64, 3))
    with pytest.raises(ValueError, match="at least 71×71"):
        applications.Xception(include_top=False, input_shape=(None, 70, 3))
    with pytest.raises(ValueError, match="include_top=True the input_shape must be static"):
        applications.DenseNet121(input_shape=(None, None, 3))
    with pytest.raises(ValueError, match="input_shape must be"):
        applications.ResNet50V2(input_shape=(32, 32))
    with pytest.raises(ValueError, match="pooling"):
        applications.MobileNet(include_top=False, input_shape=(32, 32, 3), pooling="mean")
    with pytest.raises(ValueError, match="classes"):
        applications.MobileNetV2(input_shape=(32, 32, 3), classes=0)
    with pytest.raises(ValueError, match="alpha"):
        applications.MobileNetV2(alpha=0)
    with pytest.raises(ValueError, match="input_tensor"):
        applications.ResNet50(input_tensor=np.zeros((1, 32, 32, 3)))
    gn.backend.set_image_data_format("channels_first")
    try:
        with pytest.raises(ValueError, match="channels_last"):
            applications.MobileNetV2(input_shape=(32, 32, 3))
    finally:
        gn.backend.set_image_data_format("channels_last")


# --- preprocess_input, worked by hand -------------------------------------------------------

def test_preprocess_input_modes_by_hand():
    rgb = np.array([[[[10.0, 20.0, 30.0], [0.0, 127.5, 255.0]]]])            # (1, 1, 2, 3)
    caffe = applications.resnet50.preprocess_input(rgb.copy())
    # BGR order, minus (103.939, 116.779, 123.68): (30 − 103.939, 20 − 116.779, 10 − 123.68)
    np.testing.assert_allclose(caffe[0, 0, 0], [-73.939, -96.779, -113.68])
    tf = applications.mobilenet_v2.preprocess_input(rgb.copy())
    np.testing.assert_allclose(tf[0, 0, 1], [-1.0, 0.0, 1.0])                 # x / 127.5 − 1
    torch_mode = applications.densenet.preprocess_input(rgb.copy())
    # (255/255 − 0.406) / 0.225 = 2.64
    np.testing.assert_allclose(torch_mode[0, 0, 1, 2], (1 - 0.406) / 0.225)
    first = applications.vgg19.preprocess_input(np.array([[[[10.0]], [[20.0]], [[30.0]]]]),
                                                data_format="channels_first")  # (1, 3, 1, 1): channels on axis 1
    np.testing.assert_allclose(first[0, :, 0, 0], [-73.939, -96.779, -113.68])


def test_preprocess_input_in_place_for_floats_and_floatx_for_ints():
    x = np.full((2, 2, 3), 255.0, dtype=np.float32)
    out = imagenet_utils.preprocess_input(x, mode="tf")
    assert out is x and np.all(x == 1.0)                                     # Keras overwrites float input
    pixels = np.full((1, 2, 2, 3), 255, dtype=np.uint8)
    out = applications.xception.preprocess_input(pixels)
    assert out.dtype == np.float32 and np.all(out == 1.0) and np.all(pixels == 255)


def test_preprocess_input_on_tensors_and_in_a_model():
    x = np.random.default_rng(2).uniform(0, 255, (2, 4, 4, 3)).astype(np.float32)
    expected = applications.resnet.preprocess_input(x.copy())
    tensor = applications.resnet.preprocess_input(gn.Tensor(x))
    np.testing.assert_allclose(tensor.numpy(), expected, rtol=1e-6)
    inputs = Input((4, 4, 3))
    model = gn.Model(inputs, applications.resnet.preprocess_input(inputs))
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-6)
    again = gn.models.model_from_json(model.to_json())
    np.testing.assert_allclose(again.predict(x, verbose=0), expected, rtol=1e-6)


def test_preprocess_input_refuses_unknown_mode_and_format():
    with pytest.raises(ValueError, match="mode"):
        imagenet_utils.preprocess_input(np.zeros((1, 2, 2, 3)), mode="keras")
    with pytest.raises(ValueError, match="data_format"):
        imagenet_utils.preprocess_input(np.zeros((1, 2, 2, 3)), data_format="nhwc")


# --- decode_predictions -------------------------------------------------------------------

def _class_index(tmp_path):
    path = tmp_path / "imagenet_class_index.json"
    path.write_text(json.dumps({str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}))
    return path


def test_decode_predictions_from_a_local_class_index(tmp_path, monkeypatch):
    preds = np.zeros((2, 1000))
    preds[0, [7, 3, 999]] = [0.5, 0.3, 0.2]
    preds[1, 42] = 1.0
    decoded = applications.resnet50.decode_predictions(preds, top=2, class_index_path=_class_index(tmp_path))
    assert [(wnid, name) for wnid, name, _ in decoded[0]] == [("n00000007", "class_7"), ("n00000003", "class_3")]
    assert decoded[0][0][2] == 0.5 and decoded[1][0][:2] == ("n00000042", "class_42")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))          # Keras's cache directory: $KERAS_HOME/models
    (tmp_path / "models").mkdir()
    _class_index(tmp_path / "models")
    assert len(applications.mobilenet.decode_predictions(preds)[1]) == 5


def test_decode_predictions_never_downloads(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(ValueError, match="never downloads"):
        imagenet_utils.decode_predictions(np.zeros((1, 1000)))
    with pytest.raises(ValueError, match=r"\(samples, 1000\)"):
        imagenet_utils.decode_predictions(np.zeros((1, 10)), class_index_path=_class_index(tmp_path))
    bad = tmp_path / "bad.json"
    bad.write_text("[]")
    with pytest.raises(ValueError, match="not ImageNet's class index"):
        imagenet_utils.decode_predictions(np.zeros((1, 1000)), class_index_path=bad)


def test_efficientnet_scales_width_and_depth_and_preprocesses_inside():
    b2 = applications.EfficientNetB2(include_top=False, input_shape=(32, 32, 3), pooling="avg")
    assert b2.get_layer("stem_conv").filters == 32                          # round_filters(32·1.1) = 32
    assert b2.get_layer("top_conv").filters == 1408                         # 1280·1.1
    assert [layer.name for layer in b2.layers if layer.name.endswith("_add")][:2] == ["block1b_add", "block2b_add"]
    assert b2.get_layer("block2c_drop").noise_shape == (None, 1, 1, 1)     # ceil(2·1.2) = 3 blocks in stage 2
    assert isinstance(b2.layers[1], Rescaling) and isinstance(b2.layers[2], Normalization)
    x = np.arange(12.0).reshape(1, 2, 2, 3)
    assert applications.efficientnet.preprocess_input(x) is x
    with pytest.raises(ValueError, match="repeats"):
        applications.efficientnet.EfficientNet(1.0, 1.0, 224, blocks_args=[(3, 0, 32, 16, 1, 1)])


def test_mobilenet_v3_hard_sigmoid_gates_and_any_size_top():
    inputs = Input((5,))
    gate = gn.Model(inputs, applications.mobilenet_v3.hard_sigmoid(inputs))
    # ReLU6(x + 3) / 6: 0 below −3, 1 above 3, linear between
    np.testing.assert_allclose(gate.predict(np.array([[-4.0, -3.0, 0.0, 1.5, 4.0]]), verbose=0),
                               [[0.0, 0.0, 0.5, 0.75, 1.0]])
    small = applications.MobileNetV3Small(minimalistic=True, classes=4)      # Keras: (None, None, 3) with the top
    assert small.input.shape == (None, None, None, 3)
    assert not any(isinstance(layer, Multiply) for layer in small.layers)   # no squeeze-excite
    assert isinstance(small.layers[-2], Flatten) and small.layers[-1].name == "predictions"
    x = np.random.default_rng(3).uniform(0, 255, (1, 40, 48, 3)).astype(np.float32)
    y = small.predict(x, verbose=0)
    assert y.shape == (1, 4) and abs(float(y.sum()) - 1.0) < 1e-5
    assert applications.mobilenet_v3.preprocess_input(x) is x
    large = applications.MobileNetV3Large(include_top=False, pooling="max", alpha=0.75, input_shape=(32, 32, 3))
    assert large.layers[-1].name == "max_pool" and large.output.shape == (None, 720)   # make_divisible(120·6)


def test_efficientnet_v2_fuses_early_blocks_and_preprocesses_by_variant():
    b0 = applications.EfficientNetV2B0(include_top=False, input_shape=(32, 32, 3))
    names = {layer.name for layer in b0.layers}
    assert "block1a_project_activation" in names and "block1a_dwconv2" not in names      # fused, ratio 1
    assert "block2a_expand_conv" in names and "block4a_dwconv2" in names and "block4a_se_excite" in names
    assert b0.get_layer("block2a_expand_conv").kernel_size == (3, 3)                     # fused: k×k expands
    assert isinstance(b0.layers[2], Normalization)                                # B: ImageNet statistics
    assert "block1a_drop" not in names and b0.get_layer("block2b_drop").rate == pytest.approx(0.2 * 2 / 21)
    s_like = applications.efficientnet_v2.EfficientNetV2(0.25, 0.25, 384, name="efficientnetv2-s", include_top=False,
                                                        input_shape=(32, 32, 3))
    rescaling = s_like.layers[1]                                                         # S/M/L: x / 128 − 1
    assert isinstance(rescaling, Rescaling) and not isinstance(s_like.layers[2], Normalization)
    assert rescaling.get_config()["scale"] == 1 / 128 and rescaling.get_config()["offset"] == -1
    with pytest.raises(ValueError, match="no default blocks_args"):
        applications.efficientnet_v2.EfficientNetV2(1.0, 1.0, 224, name="my_net")


def test_custom_scale_layer_adds_the_scaled_residual():
    from glassnet.applications.inception_resnet_v2 import CustomScaleLayer

    layer = CustomScaleLayer(0.5)
    x, r = np.array([[1.0, 2.0]]), np.array([[4.0, -6.0]])
    np.testing.assert_allclose(layer([x, r]).numpy(), [[1 + 0.5 * 4, 2 - 0.5 * 6]])       # x + 0.5·r
    rng = np.random.default_rng(5)
    layer_gradcheck(CustomScaleLayer(0.17, dtype="float64"), [rng.normal(size=(2, 3, 3, 4)),
                                                              rng.normal(size=(2, 3, 3, 4))])
    again = deserialize(json.loads(json.dumps(serialize(CustomScaleLayer(0.1, name="s")))))
    assert isinstance(again, CustomScaleLayer) and again.scale == 0.1 and again.name == "s"
    with pytest.raises(ValueError, match="scale must be a number"):
        CustomScaleLayer("big")
    with pytest.raises(ValueError, match="two tensors"):
        layer(x)


def test_convnext_layer_scale_and_stochastic_depth():
    from glassnet.applications.convnext import LayerScale, StochasticDepth

    scale = LayerScale(0.5, 3, dtype="float64")
    np.testing.assert_allclose(scale(np.array([[2.0, 4.0, 6.0]])).numpy(), [[1.0, 2.0, 3.0]])   # x ⊙ γ, γ = 0.5
    rng = np.random.default_rng(6)
    layer_gradcheck(LayerScale(0.3, 4, dtype="float64"), rng.normal(size=(2, 3, 4)))
    drop = StochasticDepth(0.5, dtype="float64")
    x = np.ones((400, 2, 2, 1))
    np.testing.assert_array_equal(drop(x).numpy(), x)                                         # inference: identity
    gn.utils.set_random_seed(0)
    y = drop(x, training=True).numpy()
    assert set(np.unique(y)) == {0.0, 2.0} and np.all(y == y[:, :1, :1])                   # x / p or 0, per sample
    assert 0.4 < y.mean() / 2 < 0.6
    layer_gradcheck(StochasticDepth(0.25, dtype="float64"), rng.normal(size=(3, 2)), training=True,
                    before_call=lambda: gn.utils.set_random_seed(1))
    for layer in (LayerScale(1e-6, 8, name="ls"), StochasticDepth(0.1, name="sd")):
        again = deserialize(json.loads(json.dumps(serialize(layer))))
        assert type(again) is type(layer) and again.get_config() == layer.get_config()
    with pytest.raises(ValueError, match="drop_path_rate"):
        StochasticDepth(1.0)
    with pytest.raises(ValueError, match="projection_dim"):
        LayerScale(0.1, 0)
    with pytest.raises(ValueError, match="projection_dim"):
        LayerScale(0.1, 3)(np.ones((1, 4)))


def _convnext_weights(depths, dims, classes=None):
    """ConvNeXt's weight count from its table: stem 4·4·3·d₀ + d₀ + LN 2d₀; per block of width
    d: depthwise 7·7·d + d, LN 2d, Dense d→4d and 4d→d with biases, γ d; between stages LN 2d
    + 2·2·d·d' + d'; the end: LN 2d₃ (+ Dense d₃ → classes with the top)."""
    count = 4 * 4 * 3 * dims[0] + dims[0] + 2 * dims[0]
    for i, (depth, d) in enumerate(zip(depths, dims)):
        if i:
            count += 2 * dims[i - 1] + 2 * 2 * dims[i - 1] * d + d
        count += depth * (49 * d + d + 2 * d + (d * 4 * d + 4 * d) + (4 * d * d + d) + d)
    return count + 2 * dims[-1] + (0 if classes is None else dims[-1] * classes + classes)


def test_convnext_variant_tables_give_the_published_counts():
    # without building them (ConvNeXtTiny alone takes ~2 s); the builder's count is checked
    # below on a small table, and against Keras in tests/keras_parity
    published = {"tiny": 28_589_128, "small": 50_223_688, "base": 88_591_464, "large": 197_767_336,
                 "xlarge": 350_196_968}
    for size, config in applications.convnext.MODEL_CONFIGS.items():
        assert _convnext_weights(config["depths"], config["projection_dims"], 1000) == published[size]


def test_convnext_nests_keras_sequential_stages():
    base = applications.convnext.ConvNeXt([1, 1, 1, 1], [8, 16, 24, 32], include_top=False, pooling="avg",
                                          input_shape=(32, 32, 3))
    assert base.get_layer("convnext_stem").__class__.__name__ == "Sequential"
    assert [layer.name for layer in base.get_layer("convnext_downsampling_block_2").layers] == [
        "convnext_downsampling_layernorm_2", "convnext_downsampling_conv_2"]
    assert base.get_layer("convnext_stage_0_block_0_depthwise_conv").groups == 8      # depthwise: groups = channels
    assert isinstance(base.layers[-1], LayerNormalization) and base.output.shape == (None, 32)
    assert base.count_params() == _convnext_weights([1, 1, 1, 1], [8, 16, 24, 32])
    assert isinstance(base.layers[1], Normalization)                           # ImageNet's statistics, ×255
    x = np.random.default_rng(7).uniform(0, 255, (2, 32, 32, 3)).astype(np.float32)
    assert base.predict(x, verbose=0).shape == (2, 32)
    assert applications.convnext.preprocess_input(x) is x


def test_keras_submodules_are_mirrored():
    assert applications.resnet50.ResNet50 is applications.ResNet50 is applications.resnet.ResNet50
    assert applications.resnet_v2.ResNet152V2 is applications.ResNet152V2
    assert applications.densenet.DenseNet201 is applications.DenseNet201
    for module in (applications.resnet, applications.resnet_v2, applications.vgg19, applications.mobilenet,
                   applications.mobilenet_v2, applications.densenet, applications.inception_v3,
                   applications.xception, applications.efficientnet, applications.mobilenet_v3,
                   applications.efficientnet_v2, applications.inception_resnet_v2, applications.convnext):
        assert callable(module.preprocess_input) and module.decode_predictions is imagenet_utils.decode_predictions

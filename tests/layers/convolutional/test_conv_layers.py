"""Convolution layers: gradient checks, shapes, configs, bad input, training and saving."""
import json

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers
from glassnet.testing import layer_gradcheck

rng = np.random.default_rng(0)
F64 = {"dtype": "float64"}


# --- float64 gradient checks: valid/same, strides 1/2, dilation 2, groups 2, odd/even, 1-D/2-D -----
@pytest.mark.parametrize("kwargs, shape", [
    ({"filters": 3, "kernel_size": 3}, (2, 5, 6, 2)),
    ({"filters": 3, "kernel_size": 3, "padding": "same"}, (2, 5, 5, 2)),
    ({"filters": 2, "kernel_size": (2, 3), "strides": 2, "padding": "same"}, (2, 6, 7, 2)),
    ({"filters": 2, "kernel_size": 2, "strides": 2}, (1, 7, 6, 3)),
    ({"filters": 2, "kernel_size": 3, "dilation_rate": 2, "padding": "same"}, (1, 7, 6, 2)),
    ({"filters": 4, "kernel_size": 3, "groups": 2, "activation": "relu"}, (2, 5, 5, 4)),
    ({"filters": 2, "kernel_size": 3, "activation": "tanh", "use_bias": False}, (1, 4, 4, 2)),
])
def test_conv2d_gradcheck(kwargs, shape):
    layer_gradcheck(layers.Conv2D(**kwargs, **F64), rng.standard_normal(shape))


@pytest.mark.parametrize("kwargs", [
    {"filters": 3, "kernel_size": 3}, {"filters": 2, "kernel_size": 2, "strides": 2, "padding": "same"},
    {"filters": 2, "kernel_size": 3, "padding": "causal", "dilation_rate": 2}, {"filters": 4, "kernel_size": 3, "groups": 2},
])
def test_conv1d_gradcheck(kwargs):
    layer_gradcheck(layers.Conv1D(**kwargs, **F64), rng.standard_normal((2, 9, 4)))


@pytest.mark.parametrize("kwargs, shape", [
    ({"filters": 2, "kernel_size": 3}, (2, 3, 4, 2)),
    ({"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, (2, 3, 3, 2)),
    ({"filters": 2, "kernel_size": 2, "strides": 2, "output_padding": 1}, (1, 3, 2, 3)),
    ({"filters": 2, "kernel_size": 3, "dilation_rate": 2, "padding": "same", "activation": "relu"}, (1, 3, 3, 2)),
])
def test_conv2d_transpose_gradcheck(kwargs, shape):
    layer_gradcheck(layers.Conv2DTranspose(**kwargs, **F64), rng.standard_normal(shape))


def test_conv1d_transpose_gradcheck():
    layer_gradcheck(layers.Conv1DTranspose(3, 3, strides=2, padding="same", **F64), rng.standard_normal((2, 4, 2)))
    layer_gradcheck(layers.Conv1DTranspose(2, 2, **F64), rng.standard_normal((1, 5, 3)))


@pytest.mark.parametrize("kwargs, shape", [
    ({"kernel_size": 3}, (2, 5, 6, 3)),
    ({"kernel_size": 3, "depth_multiplier": 2, "padding": "same", "strides": 2}, (1, 6, 5, 2)),
    ({"kernel_size": 2, "dilation_rate": 2}, (1, 6, 6, 2)),
])
def test_depthwise_conv2d_gradcheck(kwargs, shape):
    layer_gradcheck(layers.DepthwiseConv2D(**kwargs, **F64), rng.standard_normal(shape))


def test_depthwise_conv1d_gradcheck():
    layer_gradcheck(layers.DepthwiseConv1D(3, depth_multiplier=2, padding="same", **F64), rng.standard_normal((2, 7, 3)))


@pytest.mark.parametrize("kwargs, shape", [
    ({"filters": 4, "kernel_size": 3}, (2, 5, 6, 3)),
    ({"filters": 2, "kernel_size": 3, "depth_multiplier": 2, "padding": "same", "strides": 2}, (1, 6, 5, 2)),
])
def test_separable_conv2d_gradcheck(kwargs, shape):
    layer_gradcheck(layers.SeparableConv2D(**kwargs, **F64), rng.standard_normal(shape))


def test_separable_conv1d_gradcheck():
    layer_gradcheck(layers.SeparableConv1D(3, 3, dilation_rate=2, **F64), rng.standard_normal((2, 9, 2)))


# --- shapes and weights ------------------------------------------------------------------------------
@pytest.mark.parametrize("layer, shape, expected", [
    (layers.Conv2D(8, 3), (None, 6, 6, 1), (None, 4, 4, 8)),                      # the course's 6×6 ⊛ 3×3
    (layers.Conv2D(8, 3, padding="same"), (None, 6, 6, 1), (None, 6, 6, 8)),
    (layers.Conv2D(8, 3, strides=2), (None, 7, 7, 1), (None, 3, 3, 8)),
    (layers.Conv2D(8, 3, strides=2, padding="same"), (None, 7, 8, 1), (None, 4, 4, 8)),
    (layers.Conv2D(96, 11, strides=4), (None, 227, 227, 3), (None, 55, 55, 96)),   # AlexNet
    (layers.Conv1D(5, 3, padding="causal", dilation_rate=4), (None, 10, 2), (None, 10, 5)),
    (layers.Conv2DTranspose(4, 3, strides=2, padding="same"), (None, 7, 7, 2), (None, 14, 14, 4)),
    (layers.Conv2DTranspose(4, 3, strides=2), (None, 7, 7, 2), (None, 15, 15, 4)),
    (layers.Conv2DTranspose(4, 3, strides=2, output_padding=1), (None, 7, 7, 2), (None, 16, 16, 4)),
    (layers.DepthwiseConv2D(3, depth_multiplier=3), (None, 6, 6, 2), (None, 4, 4, 6)),
    (layers.SeparableConv2D(9, 3, padding="same"), (None, 6, 6, 2), (None, 6, 6, 9)),
])
def test_output_shapes_are_the_computed_ones(layer, shape, expected):
    assert layer.compute_output_shape(shape) == expected
    y = layer(np.zeros((2, *shape[1:]), dtype="float32"))
    assert y.shape == (2, *expected[1:])


def test_weight_shapes_and_names():
    cases = [
        (layers.Conv2D(6, (3, 2), groups=2), (None, 8, 8, 4), [("kernel", (3, 2, 2, 6)), ("bias", (6,))]),
        (layers.Conv1D(6, 3), (None, 8, 4), [("kernel", (3, 4, 6)), ("bias", (6,))]),
        (layers.Conv2DTranspose(6, 3), (None, 8, 8, 4), [("kernel", (3, 3, 6, 4)), ("bias", (6,))]),
        (layers.DepthwiseConv2D(3, depth_multiplier=2), (None, 8, 8, 4), [("kernel", (3, 3, 4, 2)), ("bias", (8,))]),
        (layers.SeparableConv2D(5, 3, depth_multiplier=2), (None, 8, 8, 4),
         [("depthwise_kernel", (3, 3, 4, 2)), ("pointwise_kernel", (1, 1, 8, 5)), ("bias", (5,))]),
    ]
    for layer, shape, expected in cases:
        layer.build(shape)
        assert [(w.name, w.shape) for w in layer.weights] == expected


def test_summary_counts_like_keras():
    model = gn.Sequential([layers.Input((28, 28, 1)), layers.Conv2D(32, 3, padding="same"),
                           layers.SeparableConv2D(16, 3), layers.DepthwiseConv2D(3), layers.Conv2DTranspose(4, 2)])
    # 3·3·1·32 + 32; 3·3·32 + 32·16 + 16; 3·3·16 + 16; 2·2·4·16 + 4
    assert [layer.count_params() for layer in model.layers] == [320, 816, 160, 260]


def test_fused_relu_equals_relu_after_the_convolution():
    x = rng.standard_normal((2, 6, 6, 3)).astype("float32")
    fused = layers.Conv2D(4, 3, activation="relu")
    plain = layers.Conv2D(4, 3)
    fused.build(x.shape)
    plain.build(x.shape)
    plain.set_weights(fused.get_weights())
    np.testing.assert_array_equal(fused(x).numpy(), np.maximum(plain(x).numpy(), 0))


def test_causal_conv1d_does_not_look_ahead():
    layer = layers.Conv1D(2, 3, padding="causal", dilation_rate=2)
    x = rng.standard_normal((1, 12, 2)).astype("float32")
    y = layer(x).numpy()
    x2 = x.copy()
    x2[:, 7:] += 5.0                                    # change the future after step 6
    np.testing.assert_array_equal(layer(x2).numpy()[:, :7], y[:, :7])


def test_config_round_trip_rebuilds_the_same_layer():
    for layer in [layers.Conv2D(4, (3, 2), strides=2, padding="same", groups=2, activation="relu",
                                kernel_regularizer="l2", bias_constraint="non_neg"),
                  layers.Conv1D(3, 5, padding="causal", dilation_rate=2),
                  layers.Conv2DTranspose(3, 3, strides=2, output_padding=1),
                  layers.Conv1DTranspose(3, 3, padding="same"),
                  layers.DepthwiseConv2D(3, depth_multiplier=2, depthwise_regularizer="l1"),
                  layers.DepthwiseConv1D(3),
                  layers.SeparableConv2D(4, 3, pointwise_initializer="he_normal"),
                  layers.SeparableConv1D(4, 3)]:
        twin = layers.deserialize(json.loads(json.dumps(layers.serialize(layer))))   # via JSON: tuples → lists
        assert type(twin) is type(layer)
        assert twin.get_config() == layer.get_config()


# --- bad input: a clear error naming the shapes, before anything changes ------------------------------
def test_kernel_larger_than_the_padded_input():
    layer = layers.Conv2D(2, 5)
    with pytest.raises(ValueError, match=r"larger than the padded input.*\(2, 3, 3, 1\)"):
        layer(np.zeros((2, 3, 3, 1), "float32"))
    assert not layer.built and layer.weights == []
    with pytest.raises(ValueError, match="larger than the padded input"):
        gn.Sequential([layers.Input((4, 4, 1)), layers.Conv2D(2, 5)])


def test_channel_count_different_from_the_built_layer():
    layer = layers.Conv2D(2, 3)
    layer(np.zeros((1, 5, 5, 3), "float32"))
    kernel = layer.kernel.numpy().copy()
    with pytest.raises(ValueError, match=r"expected 3 input channels.*\(1, 5, 5, 4\)"):
        layer(np.zeros((1, 5, 5, 4), "float32"))
    np.testing.assert_array_equal(layer.kernel.numpy(), kernel)


def test_non_4d_input_to_conv2d():
    with pytest.raises(ValueError, match=r"4-D input.*\(5, 5, 3\)"):
        layers.Conv2D(2, 3)(np.zeros((5, 5, 3), "float32"))
    with pytest.raises(ValueError, match=r"3-D input.*\(2, 5, 5, 3\)"):
        layers.Conv1D(2, 3)(np.zeros((2, 5, 5, 3), "float32"))


@pytest.mark.parametrize("bad", [{"strides": 0}, {"strides": -1}, {"kernel_size": 0}, {"dilation_rate": (1, 0)},
                                 {"padding": "full"}, {"filters": 0}, {"groups": 0}, {"filters": 3, "groups": 2},
                                 {"strides": 2, "dilation_rate": 2}, {"data_format": "NCHW"},
                                 {"padding": "causal"}])
def test_bad_arguments_are_refused(bad):
    arguments = {"filters": 4, "kernel_size": 3, **bad}
    with pytest.raises(ValueError, match="Conv2D"):
        layers.Conv2D(**arguments)


def test_bad_transpose_and_depthwise_arguments():
    with pytest.raises(ValueError, match="output_padding must be smaller than strides"):
        layers.Conv2DTranspose(2, 3, strides=2, output_padding=2)
    with pytest.raises(ValueError, match="depth_multiplier"):
        layers.DepthwiseConv2D(3, depth_multiplier=0)
    with pytest.raises(ValueError, match="groups"):
        layers.Conv2D(4, 3, groups=2)(np.zeros((1, 5, 5, 3), "float32"))


# --- training, freezing, saving ----------------------------------------------------------------------
def bars(n, seed=0):
    """8×8 images with one bright vertical (class 0) or horizontal (class 1) bar."""
    r = np.random.default_rng(seed)
    x = r.normal(0, 0.1, (n, 8, 8, 1)).astype("float32")
    y = r.integers(0, 2, n)
    where = r.integers(1, 7, n)
    for i in range(n):
        if y[i] == 0:
            x[i, :, where[i], 0] += 1.0
        else:
            x[i, where[i], :, 0] += 1.0
    return x, y


def small_cnn():
    return gn.Sequential([layers.Input((8, 8, 1)), layers.Conv2D(4, 3, padding="same", activation="relu"),
                          layers.Conv2D(4, 3, strides=2, activation="relu"), layers.Flatten(), layers.Dense(2)])


def test_a_cnn_learns_bars_and_saves(tmp_path):
    gn.utils.set_random_seed(0)
    x, y = bars(256)
    model = small_cnn()
    model.compile(gn.optimizers.Adam(0.01), gn.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    model.fit(x, y, epochs=15, batch_size=32, verbose=0)
    x_test, y_test = bars(128, seed=1)
    assert model.evaluate(x_test, y_test, verbose=0)[1] >= 0.95
    model.save(tmp_path / "cnn.glassnet")
    loaded = gn.models.load_model(tmp_path / "cnn.glassnet")
    np.testing.assert_array_equal(loaded.predict(x_test, verbose=0), model.predict(x_test, verbose=0))


def test_frozen_convolution_does_not_change():
    gn.utils.set_random_seed(1)
    x, y = bars(64)
    model = small_cnn()
    model.layers[0].trainable = False
    frozen = model.layers[0].get_weights()
    model.compile("adam", gn.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    for before, after in zip(frozen, model.layers[0].get_weights()):
        np.testing.assert_array_equal(before, after)
    assert model.layers[1].get_weights()[0].shape == (3, 3, 4, 4)

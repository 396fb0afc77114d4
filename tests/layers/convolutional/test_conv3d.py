"""Conv3D and Conv3DTranspose: gradient checks, a hand-worked example, shapes, configs, bad input, saving."""
import json

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers
from glassnet.testing import layer_gradcheck

rng = np.random.default_rng(0)
F64 = {"dtype": "float64"}


@pytest.mark.parametrize("kwargs, shape", [
    ({"filters": 2, "kernel_size": 2}, (1, 3, 4, 3, 2)),
    ({"filters": 2, "kernel_size": (2, 3, 2), "strides": 2, "padding": "same"}, (1, 3, 4, 3, 2)),
    ({"filters": 2, "kernel_size": 2, "dilation_rate": (1, 2, 1), "activation": "relu"}, (1, 3, 4, 3, 2)),
    ({"filters": 4, "kernel_size": 2, "groups": 2, "use_bias": False}, (1, 3, 3, 3, 2)),
    ({"filters": 2, "kernel_size": 2, "data_format": "channels_first", "activation": "tanh"}, (1, 2, 3, 3, 4)),
])
def test_conv3d_gradcheck(kwargs, shape):
    layer_gradcheck(layers.Conv3D(**kwargs, **F64), rng.standard_normal(shape))


@pytest.mark.parametrize("kwargs, shape", [
    ({"filters": 2, "kernel_size": 2}, (1, 2, 3, 2, 2)),
    ({"filters": 2, "kernel_size": 3, "strides": (2, 1, 2), "padding": "same"}, (1, 2, 2, 2, 2)),
    ({"filters": 2, "kernel_size": 2, "strides": 2, "output_padding": 1}, (1, 2, 1, 2, 2)),
    ({"filters": 2, "kernel_size": 2, "data_format": "channels_first"}, (1, 3, 2, 2, 2)),
])
def test_conv3d_transpose_gradcheck(kwargs, shape):
    layer_gradcheck(layers.Conv3DTranspose(**kwargs, **F64), rng.standard_normal(shape))


def test_hand_worked_conv3d():
    # a 2×2×2 kernel of ones on a 3×3×3 volume holding 0…26: each output is the sum of a 2×2×2 cube.
    # Output (0, 0, 0) sums x at depth 0/1, rows 0/1, columns 0/1: (0 + 1 + 3 + 4) + (9 + 10 + 12 + 13) = 52
    layer = layers.Conv3D(1, 2, kernel_initializer="ones", bias_initializer="zeros", **F64)
    y = layer(np.arange(27.0).reshape(1, 3, 3, 3, 1)).numpy()
    assert y.shape == (1, 2, 2, 2, 1)
    assert y[0, 0, 0, 0, 0] == 52.0
    assert y[0, 1, 1, 1, 0] == 52.0 + 8 * 13        # one step on every axis adds 9 + 3 + 1 = 13 to each of 8 voxels


@pytest.mark.parametrize("layer, shape, expected", [
    (layers.Conv3D(4, 3), (None, 8, 9, 10, 2), (None, 6, 7, 8, 4)),
    (layers.Conv3D(4, 3, strides=2, padding="same"), (None, 7, 8, 9, 2), (None, 4, 4, 5, 4)),
    (layers.Conv3D(4, 3, data_format="channels_first"), (None, 2, 8, 9, 10), (None, 4, 6, 7, 8)),
    (layers.Conv3DTranspose(4, 3, strides=2, padding="same"), (None, 3, 4, 5, 2), (None, 6, 8, 10, 4)),
    (layers.Conv3DTranspose(4, 3, strides=2), (None, 3, 4, 5, 2), (None, 7, 9, 11, 4)),
    (layers.Conv3DTranspose(4, 2, data_format="channels_first"), (None, 2, 3, 4, 5), (None, 4, 4, 5, 6)),
])
def test_output_shapes(layer, shape, expected):
    assert layer.compute_output_shape(shape) == expected
    x = rng.standard_normal((2, *shape[1:])).astype("float32")
    assert layer(x).shape == (2, *expected[1:])


def test_weights_and_channels_first_equal_channels_last():
    last = layers.Conv3D(3, (2, 3, 2), padding="same", **F64)
    first = layers.Conv3D(3, (2, 3, 2), padding="same", data_format="channels_first", **F64)
    x = rng.standard_normal((2, 4, 5, 3, 2))
    last.build(x.shape)
    first.build((2, 2, 4, 5, 3))
    assert [(w.name, w.shape) for w in last.weights] == [("kernel", (2, 3, 2, 2, 3)), ("bias", (3,))]
    first.set_weights(last.get_weights())
    np.testing.assert_allclose(first(np.moveaxis(x, -1, 1)).numpy(), np.moveaxis(last(x).numpy(), -1, 1))
    up = layers.Conv3DTranspose(5, 2)
    up.build((None, 3, 3, 3, 2))
    assert [(w.name, w.shape) for w in up.weights] == [("kernel", (2, 2, 2, 5, 2)), ("bias", (5,))]


def test_config_round_trip():
    for layer in [layers.Conv3D(4, (3, 2, 1), strides=2, padding="same", groups=2, activation="relu",
                                kernel_regularizer="l2", data_format="channels_first"),
                  layers.Conv3DTranspose(3, 3, strides=2, output_padding=1, data_format="channels_last")]:
        twin = layers.deserialize(json.loads(json.dumps(layers.serialize(layer))))
        assert type(twin) is type(layer)
        assert twin.get_config() == layer.get_config()
    assert layers.Conv3D(2, 3).get_config()["data_format"] == "channels_last"


def test_bad_input_and_arguments():
    with pytest.raises(ValueError, match=r"5-D input.*\(2, 5, 5, 3\)"):
        layers.Conv3D(2, 3)(np.zeros((2, 5, 5, 3), "float32"))
    layer = layers.Conv3D(2, 4)
    with pytest.raises(ValueError, match=r"larger than the padded input"):
        layer(np.zeros((1, 3, 5, 5, 1), "float32"))
    assert not layer.built
    with pytest.raises(ValueError, match=r"Conv3D: kernel_size"):
        layers.Conv3D(2, (3, 3))
    with pytest.raises(ValueError, match=r"Conv3D: data_format must be one of"):
        layers.Conv3D(2, 3, data_format="NDHWC")
    with pytest.raises(ValueError, match=r"Conv3DTranspose: output_padding must be smaller than strides"):
        layers.Conv3DTranspose(2, 3, strides=2, output_padding=2)
    built = layers.Conv3D(2, 2, data_format="channels_first")
    built(np.zeros((1, 3, 4, 4, 4), "float32"))
    with pytest.raises(ValueError, match=r"expected 3 input channels \(axis 1\)"):
        built(np.zeros((1, 4, 4, 4, 4), "float32"))


def test_model_with_conv3d_trains_saves_and_loads(tmp_path):
    model = gn.Sequential([layers.Input((4, 6, 6, 1)), layers.Conv3D(3, 3, padding="same", activation="relu"),
                           layers.MaxPooling3D(2), layers.Conv3DTranspose(2, 2, strides=2),
                           layers.GlobalAveragePooling3D(), layers.Dense(1)])
    x = rng.standard_normal((8, 4, 6, 6, 1)).astype("float32")
    y = rng.standard_normal((8, 1)).astype("float32")
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=1, batch_size=4, verbose=0)
    expected = model.predict(x, verbose=0)
    for name in ("model.glassnet", "model.keras"):              # glassnet's own format and Keras's
        model.save(tmp_path / name)
        loaded = gn.models.load_model(tmp_path / name)
        assert [type(layer) for layer in loaded.layers] == [type(layer) for layer in model.layers]
        np.testing.assert_allclose(loaded.predict(x, verbose=0), expected, rtol=1e-6, atol=1e-6)

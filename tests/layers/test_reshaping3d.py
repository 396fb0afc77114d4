"""Cropping3D, ZeroPadding3D, UpSampling3D: gradient checks, hand-worked examples, shapes, configs, bad input."""
import json

import numpy as np
import pytest

from glassnet import layers
from glassnet.testing import layer_gradcheck

rng = np.random.default_rng(0)
F64 = {"dtype": "float64"}


@pytest.mark.parametrize("make, shape", [
    (lambda: layers.Cropping3D(**F64), (1, 3, 4, 3, 2)),
    (lambda: layers.Cropping3D(((0, 1), (2, 0), (1, 1)), data_format="channels_first", **F64), (1, 2, 3, 4, 3)),
    (lambda: layers.ZeroPadding3D(**F64), (1, 2, 2, 3, 2)),
    (lambda: layers.ZeroPadding3D((1, 0, 2), data_format="channels_first", **F64), (1, 2, 2, 2, 1)),
    (lambda: layers.UpSampling3D(**F64), (1, 2, 2, 3, 2)),
    (lambda: layers.UpSampling3D((1, 3, 2), data_format="channels_first", **F64), (1, 2, 2, 2, 2)),
])
def test_reshaping3d_gradcheck(make, shape):
    layer_gradcheck(make(), rng.standard_normal(shape))


def test_hand_worked_examples():
    x = np.arange(8.0).reshape(1, 2, 2, 2, 1)
    up = layers.UpSampling3D((2, 1, 3))(x).numpy()[0, ..., 0]
    assert up.shape == (4, 2, 6)
    np.testing.assert_array_equal(up[3, 1], [6, 6, 6, 7, 7, 7])            # x[1, 1, :] = [6, 7], each 3 times
    padded = layers.ZeroPadding3D(((1, 0), (0, 2), (1, 1)))(x).numpy()[0, ..., 0]
    assert padded.shape == (3, 4, 4)
    assert padded.sum() == x.sum() and padded[0].sum() == 0 and padded[1, 0, 1] == 0.0 and padded[2, 1, 2] == 7.0
    v = np.arange(64.0).reshape(1, 4, 4, 4, 1)
    np.testing.assert_array_equal(layers.Cropping3D(((1, 2), (0, 3), 1))(v).numpy()[0, ..., 0],
                                  v[0, 1:2, 0:1, 1:3, 0])


@pytest.mark.parametrize("layer, shape, expected", [
    (layers.Cropping3D(), (None, 5, 6, 7, 3), (None, 3, 4, 5, 3)),
    (layers.Cropping3D(2, data_format="channels_first"), (None, 3, 5, 6, 7), (None, 3, 1, 2, 3)),
    (layers.ZeroPadding3D(((0, 1), 2, (3, 0))), (None, 5, 6, 7, 3), (None, 6, 10, 10, 3)),
    (layers.ZeroPadding3D(1, data_format="channels_first"), (None, 3, 5, 6, 7), (None, 3, 7, 8, 9)),
    (layers.UpSampling3D(), (None, 5, 6, 7, 3), (None, 10, 12, 14, 3)),
    (layers.UpSampling3D(3, data_format="channels_first"), (None, 3, 2, 1, 2), (None, 3, 6, 3, 6)),
])
def test_output_shapes(layer, shape, expected):
    assert layer.compute_output_shape(shape) == expected
    assert layer(rng.standard_normal((2, *shape[1:])).astype("float32")).shape == (2, *expected[1:])


def test_channels_first_moves_only_the_channel_axis():
    x = rng.standard_normal((2, 3, 4, 5, 6))
    for make in (lambda f: layers.Cropping3D((1, 0, 2), data_format=f),
                 lambda f: layers.ZeroPadding3D(1, data_format=f),
                 lambda f: layers.UpSampling3D((2, 1, 2), data_format=f)):
        first = make("channels_first")(np.moveaxis(x, -1, 1)).numpy()
        np.testing.assert_array_equal(first, np.moveaxis(make("channels_last")(x).numpy(), -1, 1))


def test_config_round_trip_stores_keras_forms():
    for layer in [layers.Cropping3D(((0, 1), 2, (3, 0))), layers.ZeroPadding3D(2, data_format="channels_first"),
                  layers.UpSampling3D((1, 2, 3))]:
        twin = layers.deserialize(json.loads(json.dumps(layers.serialize(layer))))
        assert type(twin) is type(layer) and twin.get_config() == layer.get_config()
    assert layers.Cropping3D(2).get_config()["cropping"] == ((2, 2),) * 3
    assert layers.ZeroPadding3D().get_config()["padding"] == ((1, 1),) * 3
    assert layers.UpSampling3D().get_config()["size"] == (2, 2, 2)


def test_bad_input_and_arguments():
    with pytest.raises(ValueError, match=r"Cropping3D: cropping"):
        layers.Cropping3D((1, 2))
    with pytest.raises(ValueError, match=r"removes 2 \+ 2 of the 4 positions"):
        layers.Cropping3D(((0, 0), (2, 2), (0, 0)))(np.zeros((1, 3, 4, 3, 1), "float32"))
    with pytest.raises(ValueError, match=r"ZeroPadding3D: padding"):
        layers.ZeroPadding3D(-1)
    with pytest.raises(ValueError, match=r"UpSampling3D: size"):
        layers.UpSampling3D((2, 2))
    with pytest.raises(ValueError, match=r"5-D input.*\(1, 3, 3, 1\)"):
        layers.UpSampling3D()(np.zeros((1, 3, 3, 1), "float32"))
    with pytest.raises(ValueError, match=r"ZeroPadding3D: data_format must be one of"):
        layers.ZeroPadding3D(data_format="channels_middle")

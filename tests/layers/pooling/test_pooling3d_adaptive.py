"""3-D pooling and adaptive pooling layers: gradient checks, hand-worked examples, shapes, configs, bad input."""
import json

import numpy as np
import pytest

from glassnet import Tensor, layers, ops
from glassnet.ops.adaptive_pooling import AdaptiveMaxAlongAxis
from glassnet.testing import gradcheck, layer_gradcheck

rng = np.random.default_rng(0)
F64 = {"dtype": "float64"}


@pytest.mark.parametrize("make, shape", [
    (lambda: layers.MaxPooling3D(2, **F64), (1, 4, 4, 5, 2)),
    (lambda: layers.MaxPooling3D((2, 3, 2), strides=(1, 2, 2), padding="same", **F64), (1, 3, 4, 3, 2)),
    (lambda: layers.MaxPooling3D(2, data_format="channels_first", **F64), (1, 2, 4, 2, 4)),
    (lambda: layers.AveragePooling3D(2, **F64), (1, 4, 4, 2, 2)),
    (lambda: layers.AveragePooling3D(3, strides=2, padding="same", **F64), (1, 3, 4, 5, 1)),
    (lambda: layers.AveragePooling3D(2, data_format="channels_first", **F64), (1, 2, 2, 4, 2)),
    (lambda: layers.GlobalMaxPooling3D(**F64), (2, 2, 3, 2, 3)),
    (lambda: layers.GlobalMaxPooling3D(keepdims=True, data_format="channels_first", **F64), (2, 3, 2, 3, 2)),
    (lambda: layers.GlobalAveragePooling3D(**F64), (2, 2, 3, 2, 3)),
    (lambda: layers.GlobalAveragePooling3D(keepdims=True, data_format="channels_first", **F64), (2, 3, 2, 2, 2)),
])
def test_pooling3d_gradcheck(make, shape):
    layer_gradcheck(make(), rng.standard_normal(shape))


@pytest.mark.parametrize("make, shape", [
    (lambda: layers.AdaptiveAveragePooling1D(3, **F64), (2, 7, 2)),
    (lambda: layers.AdaptiveAveragePooling2D((2, 3), data_format="channels_first", **F64), (1, 2, 5, 7)),
    (lambda: layers.AdaptiveAveragePooling3D((2, 2, 3), **F64), (1, 3, 5, 4, 2)),
    (lambda: layers.AdaptiveMaxPooling1D(4, **F64), (2, 9, 2)),
    (lambda: layers.AdaptiveMaxPooling2D(3, **F64), (1, 5, 7, 2)),
    (lambda: layers.AdaptiveMaxPooling3D(2, data_format="channels_first", **F64), (1, 2, 3, 5, 4)),
])
def test_adaptive_pooling_gradcheck(make, shape):
    layer_gradcheck(make(), rng.standard_normal(shape))


@pytest.mark.parametrize("shape, size", [((2, 7, 3), 3), ((1, 9, 5, 2), (4, 5)), ((1, 5, 3, 7, 2), (3, 2, 4)),
                                         ((1, 3, 6, 2), (5, 4))])          # the last: more cells than positions
def test_adaptive_pooling_equals_the_cell_by_cell_op(shape, size):
    x = rng.standard_normal(shape)
    rank = len(shape) - 2
    for name, op in (("Max", ops.adaptive_max_pool), ("Average", ops.adaptive_average_pool)):
        layer = getattr(layers, f"Adaptive{name}Pooling{rank}D")(size, dtype="float64")
        np.testing.assert_allclose(layer(x).numpy(), op(x, size).numpy(), rtol=1e-12, atol=1e-12)


def test_max_along_axis_gradcheck_and_first_maximum():
    assert gradcheck(lambda x: AdaptiveMaxAlongAxis.apply(x, size=3), [rng.standard_normal((2, 7, 3))])
    x = Tensor(np.array([[[1.0], [3.0], [3.0], [0.0]]]), requires_grad=True)      # one cell, a tie
    AdaptiveMaxAlongAxis.apply(x, size=1).backward(np.ones((1, 1, 1)))
    np.testing.assert_array_equal(x.grad.ravel(), [0, 1, 0, 0])                  # the first maximum only


def test_hand_worked_adaptive_bins():
    # L = 5 → m = 3: cells [⌊0⌋, ⌈5/3⌉) = [0, 2), [⌊5/3⌋, ⌈10/3⌉) = [1, 4), [⌊10/3⌋, 5) = [3, 5)
    x = np.array([1.0, 5.0, 2.0, 4.0, 3.0]).reshape(1, 5, 1)
    np.testing.assert_allclose(layers.AdaptiveAveragePooling1D(3)(x).numpy().ravel(),
                               [(1 + 5) / 2, (5 + 2 + 4) / 3, (4 + 3) / 2])
    np.testing.assert_allclose(layers.AdaptiveMaxPooling1D(3)(x).numpy().ravel(), [5, 5, 4])
    # an output as large as the input is the input itself
    v = rng.standard_normal((1, 3, 4, 2, 2))
    np.testing.assert_allclose(layers.AdaptiveMaxPooling3D((3, 4, 2))(v).numpy(), v, rtol=1e-6)


def test_hand_worked_pool3d():
    # 0…63 in a 4×4×4 volume: x[d, h, w] = 16d + 4h + w. A 2×2×2 max pool keeps each cube's far corner,
    # 16·(2i + 1) + 4·(2j + 1) + (2k + 1); the mean is the cube's centre, 16·(2i + ½) + 4·(2j + ½) + 2k + ½
    x = np.arange(64.0).reshape(1, 4, 4, 4, 1)
    i, j, k = np.meshgrid(*[np.arange(2)] * 3, indexing="ij")
    np.testing.assert_array_equal(layers.MaxPooling3D()(x).numpy()[0, ..., 0],
                                  16 * (2 * i + 1) + 4 * (2 * j + 1) + 2 * k + 1)
    np.testing.assert_allclose(layers.AveragePooling3D(2)(x).numpy()[0, ..., 0],
                               16 * (2 * i + 0.5) + 4 * (2 * j + 0.5) + 2 * k + 0.5)
    assert layers.GlobalAveragePooling3D()(x).numpy().item() == 31.5


@pytest.mark.parametrize("layer, shape, expected", [
    (layers.MaxPooling3D(), (None, 5, 6, 7, 3), (None, 2, 3, 3, 3)),
    (layers.MaxPooling3D(2, padding="same"), (None, 5, 6, 7, 3), (None, 3, 3, 4, 3)),
    (layers.AveragePooling3D(2, data_format="channels_first"), (None, 3, 5, 6, 7), (None, 3, 2, 3, 3)),
    (layers.GlobalMaxPooling3D(keepdims=True), (None, 5, 6, 7, 3), (None, 1, 1, 1, 3)),
    (layers.GlobalAveragePooling3D(data_format="channels_first"), (None, 3, 5, 6, 7), (None, 3)),
    (layers.AdaptiveAveragePooling3D(2), (None, 5, 6, 7, 3), (None, 2, 2, 2, 3)),
    (layers.AdaptiveMaxPooling2D((2, 3), data_format="channels_first"), (None, 3, 5, 6), (None, 3, 2, 3)),
])
def test_output_shapes(layer, shape, expected):
    assert layer.compute_output_shape(shape) == expected
    assert layer(rng.standard_normal((2, *shape[1:])).astype("float32")).shape == (2, *expected[1:])


def test_config_round_trip():
    for layer in [layers.MaxPooling3D((2, 1, 2), strides=1, padding="same", data_format="channels_first"),
                  layers.AveragePooling3D(3), layers.GlobalMaxPooling3D(keepdims=True),
                  layers.GlobalAveragePooling3D(data_format="channels_first"),
                  layers.AdaptiveAveragePooling1D(4), layers.AdaptiveMaxPooling2D((2, 3)),
                  layers.AdaptiveAveragePooling3D(2, data_format="channels_first"), layers.AdaptiveMaxPooling3D(1)]:
        twin = layers.deserialize(json.loads(json.dumps(layers.serialize(layer))))
        assert type(twin) is type(layer)
        assert twin.get_config() == layer.get_config()
    assert layers.AdaptiveMaxPooling3D(2).get_config()["output_size"] == (2, 2, 2)


def test_bad_input_and_arguments():
    with pytest.raises(ValueError, match=r"5-D input.*\(2, 4, 4, 3\)"):
        layers.GlobalMaxPooling3D()(np.zeros((2, 4, 4, 3), "float32"))
    with pytest.raises(ValueError, match=r"pool_size \(3, 3, 3\) does not fit"):
        layers.MaxPooling3D(3)(np.zeros((1, 2, 4, 4, 1), "float32"))
    with pytest.raises(ValueError, match=r"MaxPooling3D: pool_size"):
        layers.MaxPooling3D((2, 2))
    with pytest.raises(ValueError, match=r"AveragePooling3D: data_format must be one of"):
        layers.AveragePooling3D(2, data_format="NDHWC")
    with pytest.raises(ValueError, match=r"AdaptiveAveragePooling2D: output_size"):
        layers.AdaptiveAveragePooling2D((2, 2, 2))
    with pytest.raises(ValueError, match=r"AdaptiveMaxPooling1D: output_size"):
        layers.AdaptiveMaxPooling1D(0)
    with pytest.raises(ValueError, match=r"4-D input.*\(2, 5, 3\)"):
        layers.AdaptiveMaxPooling2D(2)(np.zeros((2, 5, 3), "float32"))

"""Rescaling and Normalization: the formulas, adapt against NumPy, gradients, configs, saving, bad input."""
import json

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers
from glassnet.testing import layer_gradcheck

rng = np.random.default_rng(2)
DATA = rng.normal(3.0, 2.0, (50, 4, 3)).astype("float32")


def test_rescaling_by_one_over_255():
    pixels = np.array([0, 51, 255], "uint8")
    out = layers.Rescaling(1 / 255)(pixels)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.numpy(), [0.0, 0.2, 1.0], rtol=1e-6)
    np.testing.assert_allclose(layers.Rescaling(1 / 127.5, offset=-1)(pixels).numpy(), [-1.0, -0.6, 1.0], rtol=1e-6)
    per_channel = layers.Rescaling([1.0, 0.5], offset=[0.0, 1.0])(np.ones((2, 2, 2)))
    np.testing.assert_allclose(per_channel.numpy()[..., 0], 1.0)
    np.testing.assert_allclose(per_channel.numpy()[..., 1], 1.5)


@pytest.mark.parametrize("axis", [-1, None, (1, 2), 1])
def test_normalization_adapt_matches_numpy(axis):
    layer = layers.Normalization(axis=axis)
    layer.adapt(DATA)
    kept = () if axis is None else tuple(a % 3 for a in np.atleast_1d(axis))
    reduce = tuple(d for d in range(3) if d not in kept)
    np.testing.assert_allclose(layer.adapt_mean.numpy(), DATA.mean(axis=reduce), rtol=1e-5)
    np.testing.assert_allclose(layer.adapt_variance.numpy(), DATA.var(axis=reduce), rtol=1e-5)   # population var
    out = layer(DATA).numpy()
    np.testing.assert_allclose(out.mean(axis=reduce), 0.0, atol=1e-5)
    np.testing.assert_allclose(out.var(axis=reduce), 1.0, rtol=1e-4)


def test_normalization_adapt_on_batches_equals_adapt_on_the_array():
    whole = layers.Normalization()
    whole.adapt(DATA)
    labels = np.zeros(len(DATA))
    streams = [
        gn.data.Dataset.from_tensor_slices(DATA).batch(7),                     # batched Dataset
        gn.data.Dataset.from_tensor_slices(DATA),                              # unbatched: batched by 128
        gn.data.Dataset.from_tensor_slices((DATA, labels)).batch(16),          # (x, y) batches
        (DATA[i:i + 9] for i in range(0, 50, 9)),                               # a generator of arrays
        [gn.Tensor(DATA[:20]), DATA[20:]],                                      # a list of batches
    ]
    for stream in streams:
        layer = layers.Normalization()
        layer.adapt(stream)
        np.testing.assert_allclose(layer.adapt_mean.numpy(), whole.adapt_mean.numpy(), rtol=1e-5)
        np.testing.assert_allclose(layer.adapt_variance.numpy(), whole.adapt_variance.numpy(), rtol=1e-5)


def test_normalization_by_hand_floor_and_invert():
    # Keras's docstring example: adapt on [1..5] (axis None): μ = 3, σ² = 2
    layer = layers.Normalization(axis=None)
    layer.adapt(np.array([1.0, 2.0, 3.0, 4.0, 5.0], "float32"))
    np.testing.assert_allclose(layer(np.array([1.0, 2.0, 3.0])).numpy(), [-1.4142135, -0.70710677, 0.0], rtol=1e-6)
    # a constant feature has σ² = 0: divided by the floor 1e-7, not by 0
    constant = layers.Normalization(dtype="float64")
    constant.adapt(np.array([[2.0, 1.0], [2.0, 3.0]]))
    out = constant(np.array([[2.0, 2.0], [2.0 + 1e-7, 3.0]])).numpy()
    np.testing.assert_allclose(out, [[0.0, 0.0], [1.0, 1.0]], atol=1e-5)
    inverse = layers.Normalization(mean=[0.0, 7.0, 4.0], variance=[1.0, 1.0, 4.0], invert=True)
    np.testing.assert_allclose(inverse(np.array([[1.0, 2.0, 3.0]])).numpy(), [[1.0, 9.0, 10.0]])


def test_normalization_given_statistics_broadcast():
    layer = layers.Normalization(mean=3.0, variance=2.0)
    np.testing.assert_allclose(layer(np.array([[1.0], [2.0], [3.0]])).numpy().ravel(),
                               [-1.4142135, -0.70710677, 0.0], rtol=1e-6)
    layer = layers.Normalization(axis=(1, 2), mean=[1.0, 2.0, 3.0], variance=[1.0, 4.0, 9.0])
    out = layer(np.ones((2, 4, 3))).numpy()                 # mean aligned with the last kept axis
    np.testing.assert_allclose(out[0, 0], [0.0, -0.5, -2 / 3], rtol=1e-6)
    assert layer.weights == []


@pytest.mark.parametrize("make", [
    lambda: layers.Rescaling(0.5, offset=-1.0, dtype="float64"),
    lambda: layers.Rescaling([1.0, 2.0, 3.0], dtype="float64"),
    lambda: layers.Normalization(mean=[1.0, 2.0, 3.0], variance=[2.0, 1.0, 0.5], dtype="float64"),
    lambda: layers.Normalization(axis=None, mean=1.0, variance=3.0, invert=True, dtype="float64"),
])
def test_gradcheck(make):
    layer_gradcheck(make(), rng.standard_normal((2, 4, 3)))


def test_adapted_normalization_gradcheck():
    layer = layers.Normalization(axis=(1, 2), dtype="float64")
    layer.adapt(DATA.astype("float64"))
    layer_gradcheck(layer, rng.standard_normal((2, 4, 3)))


def test_config_round_trips():
    for original in (layers.Rescaling(1 / 255, offset=0.5), layers.Rescaling([0.5, 2.0]),
                     layers.Normalization(axis=(1, 2), mean=[[1.0, 2.0]], variance=[[1.0, 4.0]], invert=True),
                     layers.Normalization(axis=None)):
        copy = layers.deserialize(json.loads(json.dumps(layers.serialize(original))))
        assert copy.get_config() == original.get_config()
        x = rng.random((3, 4, 2)).astype("float32")
        np.testing.assert_array_equal(copy(x).numpy(), original(x).numpy())
    config = layers.Normalization().get_config()
    assert {k: config[k] for k in ("axis", "invert", "mean", "variance")} == {
        "axis": (-1,), "invert": False, "mean": None, "variance": None}


def test_adapted_statistics_travel_with_the_weights(tmp_path):
    model = gn.Sequential([layers.Input((4, 3)), layers.Normalization(), layers.Flatten(), layers.Dense(2)])
    model.layers[0].adapt(DATA)
    path = tmp_path / "normalized.glassnet"
    model.save(path)
    loaded = gn.models.load_model(path)
    np.testing.assert_array_equal(loaded.predict(DATA[:5], verbose=0), model.predict(DATA[:5], verbose=0))
    np.testing.assert_array_equal(loaded.layers[0].adapt_mean.numpy(), model.layers[0].adapt_mean.numpy())
    assert [w.name for w in loaded.layers[0].weights] == ["mean", "variance", "count"]


@pytest.mark.parametrize("make, match", [
    (lambda: layers.Normalization(mean=1.0), "both mean and variance"),
    (lambda: layers.Normalization(mean=[1.0, 2.0], variance=[1.0]), "same shape"),
    (lambda: layers.Normalization(axis=-1, mean=[[1.0]], variance=[[1.0]]), "at most as many axes"),
    (lambda: layers.Normalization(axis="last"), "Normalization: axis"),
    (lambda: layers.Rescaling("half"), "Rescaling: scale"),
    (lambda: layers.Rescaling(1.0, offset=None), "Rescaling: offset"),
])
def test_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_adapt_data():
    with pytest.raises(ValueError, match="no batches"):
        layers.Normalization().adapt([])
    with pytest.raises(TypeError, match="adapt"):
        layers.Normalization().adapt(3.0)
    with pytest.raises(ValueError, match="fixed mean and variance"):
        layers.Normalization(mean=1.0, variance=1.0).adapt(DATA)
    layer = layers.Normalization()
    layer.adapt(DATA)
    with pytest.raises(ValueError, match=r"incompatible shape \(5, 4, 2\)"):
        layer.adapt(np.zeros((5, 4, 2)))
    with pytest.raises(ValueError, match="a batch has the incompatible shape"):
        layers.Normalization().adapt([DATA[:5], DATA[:5, :, :2]])
    with pytest.raises(ValueError, match="axis must be in"):
        layers.Normalization(axis=3).adapt(DATA)

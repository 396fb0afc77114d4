"""Discretization: bins given, or learned by adapt with Keras's approximate quantiles."""
import json

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers
from glassnet.layers.preprocessing.discretization import compress_summary, summarize

X = np.array([[-1.5, 1.0, 3.4, .5], [0.0, 3.0, 1.3, 0.0]])


def test_keras_docstring_examples():
    layer = layers.Discretization(bin_boundaries=[0., 1., 2.])
    output = layer(X)
    assert output.dtype == "int32"
    np.testing.assert_array_equal(output.numpy(), [[0, 2, 3, 1], [1, 3, 2, 1]])
    layer = layers.Discretization(num_bins=4, epsilon=0.01)
    layer.adapt(X)
    np.testing.assert_array_equal(np.float32(layer.bin_boundaries), np.float32([0.0, 0.5, 1.3]))  # in float32
    np.testing.assert_array_equal(layer(X).numpy(), [[0, 2, 3, 2], [1, 3, 3, 1]])


def test_by_hand_bins_are_closed_on_the_left():
    # b = [0, 1, 2]:  x < 0 → 0;  0 ≤ x < 1 → 1;  1 ≤ x < 2 → 2;  x ≥ 2 → 3
    layer = layers.Discretization(bin_boundaries=[0., 1., 2.])
    assert layer([-0.1, 0.0, 0.99, 1.0, 2.0, 7.0]).numpy().tolist() == [0, 1, 1, 2, 3, 3]
    hot = layers.Discretization(bin_boundaries=[0., 1., 2.], output_mode="one_hot")([[-1.0], [1.5]])
    np.testing.assert_array_equal(hot.numpy(), [[1, 0, 0, 0], [0, 0, 1, 0]])
    counts = layers.Discretization(bin_boundaries=[0., 1., 2.], output_mode="count")([[-1.0, 0.5, 0.7]])
    np.testing.assert_array_equal(counts.numpy(), [[1, 2, 0, 0]])
    assert counts.dtype == "float32"


def test_quantile_summary_by_hand():
    # 10 values, ε = 0.25: step = max(10·0.25, 1) = 2.5 → every 2nd value from index 1, weight 2.5
    summary = summarize(np.arange(10.0)[::-1], 0.25)
    np.testing.assert_array_equal(summary, [[1, 3, 5, 7, 9], [2.5] * 5])
    # compress to quartiles: fractions of the cumulative weight 0.2, 0.4, …, 1.0 interpolated at 0.25, 0.5, …
    compressed = compress_summary(summary, 0.25)
    np.testing.assert_allclose(compressed[0], [1 + 2 * 0.25, 3 + 2 * 0.5, 5 + 2 * 0.75, 9])
    layer = layers.Discretization(num_bins=4, epsilon=0.25)
    layer.adapt(np.arange(10.0))
    np.testing.assert_allclose(layer.bin_boundaries, [1.5, 4.0, 6.5])


def test_adapt_on_batches_merges_summaries():
    rng = np.random.default_rng(0)
    data = rng.standard_normal(3000).astype("float32")
    whole = layers.Discretization(num_bins=4)
    whole.adapt(data)
    batched = layers.Discretization(num_bins=4)
    batched.adapt(list(data.reshape(6, 500)))         # a list is an iterable of batches, as in Keras
    np.testing.assert_allclose(whole.bin_boundaries, np.quantile(data, [.25, .5, .75]), atol=0.05)
    np.testing.assert_allclose(batched.bin_boundaries, whole.bin_boundaries, atol=0.05)
    first_two = layers.Discretization(num_bins=4)
    first_two.adapt(iter(data.reshape(6, 500)), steps=2)
    reference = layers.Discretization(num_bins=4)
    reference.adapt(list(data.reshape(6, 500)[:2]))
    assert first_two.bin_boundaries == reference.bin_boundaries


@pytest.mark.parametrize("kwargs, match", [
    (dict(), "either num_bins"), (dict(num_bins=2, bin_boundaries=[0.]), "not both"),
    (dict(num_bins=-1), "num_bins"), (dict(bin_boundaries=[1., 0.]), "ascending"),
    (dict(num_bins=2, output_mode="tf_idf"), "output_mode"), (dict(num_bins=2, sparse=True), "sparse"),
    (dict(num_bins=2, epsilon=0), "epsilon"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        layers.Discretization(**kwargs)


def test_bad_use():
    with pytest.raises(ValueError, match="bin_boundaries"):
        layers.Discretization(bin_boundaries=[0.]).adapt(X)
    with pytest.raises(ValueError, match="adapt"):
        layers.Discretization(num_bins=3)(X)
    with pytest.raises(ValueError, match="numbers"):
        layers.Discretization(num_bins=3).adapt(np.array(["a", "b"]))
    with pytest.raises(ValueError, match="empty"):
        layers.Discretization(num_bins=3).adapt(np.zeros(0))
    with pytest.raises(TypeError, match="numbers"):
        layers.Discretization(bin_boundaries=[0.])(np.array(["a"]))


def test_config_round_trip_after_adapt():
    layer = layers.Discretization(num_bins=3, output_mode="multi_hot")
    layer.adapt(np.arange(20.0))
    config = json.loads(json.dumps(layer.get_config()))
    assert set(config) == {"bin_boundaries", "num_bins", "epsilon", "output_mode", "sparse", "name", "dtype"}
    clone = layers.Discretization.from_config(config)
    assert clone.bin_boundaries == layer.bin_boundaries and clone.num_bins == 3
    np.testing.assert_array_equal(clone(X).numpy(), layer(X).numpy())


def test_in_a_functional_model_saved_and_loaded(tmp_path):
    inputs = gn.Input(shape=(4,))
    layer = layers.Discretization(num_bins=3)
    layer.adapt(X)
    outputs = layers.Dense(1, kernel_initializer="ones")(layers.CategoryEncoding(3, output_mode="count")(layer(inputs)))
    model = gn.Model(inputs, outputs)
    expected = model.predict(X, verbose=0)
    model.save(tmp_path / "model.glassnet")
    loaded = gn.models.load_model(tmp_path / "model.glassnet")
    np.testing.assert_array_equal(loaded.predict(X, verbose=0), expected)

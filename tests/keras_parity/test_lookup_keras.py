"""Categorical preprocessing layers against Keras 3 itself (skipped without keras).

CategoryEncoding and Discretization run on Keras's torch backend: outputs, dtypes, shapes,
adapted boundaries (bit for bit: the same quantile-summary arithmetic) and config keys are
compared, and a ``.keras`` file goes both ways. StringLookup, IntegerLookup, Hashing and
HashedCrossing need TensorFlow inside Keras (``ImportError: Layer StringLookup requires
TensorFlow``); their comparisons run only where TensorFlow is installed, and are skipped here
— tests/layers/preprocessing checks them on the outputs Keras's docstrings print.
"""
import warnings

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers as G

keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")

K = keras.layers
rng = np.random.default_rng(0)


def numpy(x):
    return x.numpy() if isinstance(x, gn.Tensor) else keras.ops.convert_to_numpy(x)


def keras_adapt(layer, batches):
    """Keras's Discretization.adapt without its tf.data check (which imports TensorFlow)."""
    layer.reset_state()
    for batch in batches:
        layer.update_state(batch)
    layer.finalize_state()


def keras_layer_or_skip(name, **kwargs):
    try:
        return getattr(K, name)(**kwargs)
    except ImportError as error:
        pytest.skip(f"Keras's {name} needs TensorFlow: {error}")


def keys(layer):
    return set(layer.get_config()) - {"name", "dtype", "trainable"}


def test_category_encoding():
    # one test for all cases: the conftest's Keras clean-up after each test costs about a second
    for mode in ("one_hot", "multi_hot", "count"):
        for ids in (np.array([3, 2, 0, 1]), np.array([[0, 1], [0, 0], [1, 2], [3, 1]]), np.array([[1], [2]]),
                    np.array(2)):
            expected = numpy(K.CategoryEncoding(num_tokens=4, output_mode=mode)(ids))
            got = G.CategoryEncoding(num_tokens=4, output_mode=mode)(ids).numpy()
            assert got.shape == expected.shape and got.dtype == expected.dtype, (mode, ids.shape)
            np.testing.assert_array_equal(got, expected)
            k_layer = K.CategoryEncoding(num_tokens=4, output_mode=mode)
            g_layer = G.CategoryEncoding(4, output_mode=mode)
            assert tuple(g_layer.compute_output_shape(ids.shape)) == tuple(k_layer.compute_output_shape(ids.shape))
            assert keys(g_layer) == keys(k_layer)
    ids, weights = np.array([[0, 1], [0, 0], [1, 2], [3, 1]]), rng.uniform(size=(4, 2)).astype("float32")   # weighted
    expected = numpy(K.CategoryEncoding(num_tokens=4, output_mode="count")(ids, count_weights=weights))
    got = G.CategoryEncoding(num_tokens=4, output_mode="count")(ids, count_weights=weights).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-6)


DATA = {
    "docstring": [np.array([[-1.5, 1.0, 3.4, .5], [0.0, 3.0, 1.3, 0.0]])],
    "normal": [rng.standard_normal(1000)],
    "columns": [rng.standard_normal((300, 3))],
    "batches": [rng.standard_normal(50) * (i + 1) for i in range(5)],
    "ties": [np.array([1., 1., 1., 2., 2., 5., 5., 5., 5., 9.])],
}


def test_discretization_adapt_finds_the_same_boundaries():
    for name, batches in DATA.items():
        for num_bins, epsilon in ((2, 0.01), (3, 0.01), (4, 0.1), (7, 0.01)):
            k_layer = K.Discretization(num_bins=num_bins, epsilon=epsilon)
            keras_adapt(k_layer, batches)
            g_layer = G.Discretization(num_bins=num_bins, epsilon=epsilon)
            g_layer.adapt(batches if len(batches) > 1 else batches[0])
            # exactly: the same float32 arithmetic
            assert g_layer.bin_boundaries == k_layer.bin_boundaries, (name, num_bins, epsilon)


def test_discretization_outputs():
    for mode in ("int", "one_hot", "multi_hot", "count"):
        for shape in ((2, 4), (5, 1), (6,)):
            x = rng.uniform(-1, 3, shape).astype("float32")
            k_layer = K.Discretization(bin_boundaries=[0., 1., 2.], output_mode=mode)
            g_layer = G.Discretization(bin_boundaries=[0., 1., 2.], output_mode=mode)
            expected, got = numpy(k_layer(x)), g_layer(x).numpy()
            assert got.shape == expected.shape and got.dtype == expected.dtype, (mode, shape)
            np.testing.assert_array_equal(got, expected)
            assert tuple(g_layer.compute_output_shape(shape)) == tuple(k_layer.compute_output_shape(shape))
            assert g_layer.get_config() == {**k_layer.get_config(), "name": g_layer.name}


def test_keras_files_both_ways(tmp_path):
    pytest.importorskip("h5py")
    inputs = keras.Input(shape=(4,))
    discretization = K.Discretization(num_bins=3)
    keras_adapt(discretization, [np.arange(20.0)])
    encoded = K.CategoryEncoding(num_tokens=3, output_mode="count")(discretization(inputs))
    model = keras.Model(inputs, K.Dense(1)(encoded))
    x = np.array([[-1.5, 1.0, 3.4, .5], [0.0, 3.0, 13.0, 0.0]], dtype="float32")
    expected = numpy(model.predict(x, verbose=0))
    model.save(tmp_path / "keras.keras")
    ours = gn.models.load_model(tmp_path / "keras.keras")
    np.testing.assert_allclose(ours.predict(x, verbose=0), expected, rtol=1e-6)
    with warnings.catch_warnings():       # glassnet may warn that Keras lacks classes it does have
        warnings.simplefilter("ignore")
        ours.save(tmp_path / "glassnet.keras")
    theirs = keras.models.load_model(tmp_path / "glassnet.keras")
    np.testing.assert_allclose(numpy(theirs.predict(x, verbose=0)), expected, rtol=1e-6)


# --- the layers Keras runs through TensorFlow (skipped without it) --------------------------------
def test_lookups_hashing_and_crossing():
    k_layer = keras_layer_or_skip("StringLookup", output_mode="tf_idf")
    data = np.array([["a", "b", "b"], ["c", "a", "é"]])
    k_layer.adapt(data)
    g_layer = G.StringLookup(output_mode="tf_idf")
    g_layer.adapt(data)
    assert g_layer.get_vocabulary() == k_layer.get_vocabulary()
    np.testing.assert_allclose(g_layer(data).numpy(), numpy(k_layer(data)), rtol=1e-6)
    k_layer = keras_layer_or_skip("IntegerLookup", vocabulary=[10, 20], num_oov_indices=5, oov_method="farmhash")
    g_layer = G.IntegerLookup(vocabulary=[10, 20], num_oov_indices=5, oov_method="farmhash")
    x = np.arange(-50, 50)
    np.testing.assert_array_equal(g_layer(x).numpy(), numpy(k_layer(x)))
    words = np.array([["alpha"], ["β"], [""], ["a" * 70], ["x" * 200]])
    for salt in (None, 7, [3, 11]):
        k_hashing = keras_layer_or_skip("Hashing", num_bins=13, salt=salt)
        np.testing.assert_array_equal(G.Hashing(num_bins=13, salt=salt)(words).numpy(), numpy(k_hashing(words)))
    crossing = keras_layer_or_skip("HashedCrossing", num_bins=11)
    features = (np.array(["a", "b", "c"]), np.array([1, -2, 3]))
    np.testing.assert_array_equal(G.HashedCrossing(num_bins=11)(features).numpy(), numpy(crossing(features)))

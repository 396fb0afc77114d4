"""CategoryEncoding (and encode_categorical, the encoder every categorical layer shares)."""
import json

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers
from glassnet.layers.preprocessing.category_encoding import encode_categorical


def test_keras_docstring_examples():
    one_hot = layers.CategoryEncoding(num_tokens=4, output_mode="one_hot")([3, 2, 0, 1])
    np.testing.assert_array_equal(one_hot.numpy(), np.eye(4)[[3, 2, 0, 1]])
    multi_hot = layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot")([[0, 1], [0, 0], [1, 2], [3, 1]])
    np.testing.assert_array_equal(multi_hot.numpy(), [[1, 1, 0, 0], [1, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]])
    count_weights = np.array([[.1, .2], [.1, .1], [.2, .3], [.4, .2]])
    counts = layers.CategoryEncoding(num_tokens=4, output_mode="count")([[0, 1], [0, 0], [1, 2], [3, 1]],
                                                                         count_weights=count_weights)
    np.testing.assert_allclose(counts.numpy(), [[.1, .2, 0, 0], [.2, 0, 0, 0], [0, .2, .3, 0], [0, .2, 0, .4]],
                               rtol=1e-6)
    assert counts.dtype == "float32" and multi_hot.dtype == "float32"


def test_by_hand_counts_and_shapes():
    # sample [2, 2, 0]: token 0 once, token 2 twice  →  count [1, 0, 2], multi-hot [1, 0, 1]
    x = np.array([[2, 2, 0]])
    assert layers.CategoryEncoding(3, output_mode="count")(x).numpy().tolist() == [[1, 0, 2]]
    assert layers.CategoryEncoding(3)(x).numpy().tolist() == [[1, 0, 1]]
    one_hot = layers.CategoryEncoding(3, output_mode="one_hot")
    assert one_hot(np.array([[1], [2]])).shape == (2, 3)          # a trailing axis of 1 is replaced
    assert one_hot(np.array([[1, 2]])).shape == (1, 2, 3)         # otherwise one is added
    assert one_hot.compute_output_shape((None, 1)) == (None, 3)
    assert one_hot.compute_output_shape((None, 4)) == (None, 4, 3)
    assert layers.CategoryEncoding(3).compute_output_shape((None, 4)) == (None, 3)
    assert layers.CategoryEncoding(3)(np.array(2)).numpy().tolist() == [0, 0, 1]   # a scalar is one sample
    assert layers.CategoryEncoding(3, dtype="float64")([1]).dtype == "float64"


def test_encoder_drops_negative_ids():
    # −1 is the lookups' "no token" (a mask token outside "int" mode): no slot, no count
    np.testing.assert_array_equal(encode_categorical([[0, -1, 0]], "count", 2, "float32"), [[2, 0]])
    np.testing.assert_array_equal(encode_categorical([[-1], [1]], "one_hot", 2, "float32"), [[0, 0], [0, 1]])
    np.testing.assert_array_equal(encode_categorical(np.zeros((2, 0)), "multi_hot", 2, "float32"), np.zeros((2, 2)))


@pytest.mark.parametrize("kwargs, match", [
    (dict(), "num_tokens"), (dict(num_tokens=0), "num_tokens"), (dict(num_tokens=2.5), "num_tokens"),
    (dict(num_tokens=3, output_mode="int"), "output_mode"), (dict(num_tokens=3, sparse=True), "sparse"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        layers.CategoryEncoding(**kwargs)


def test_bad_inputs():
    layer = layers.CategoryEncoding(num_tokens=3, output_mode="count")
    with pytest.raises(ValueError, match=r"\[0, 3\).*from 0 to 3"):
        layer([0, 3])
    with pytest.raises(ValueError, match=r"from -1"):
        layer([-1, 2])
    with pytest.raises(ValueError, match="integers"):
        layer([0.5, 1.0])
    with pytest.raises(ValueError, match="shape of the inputs"):
        layer([[0, 1]], count_weights=[[1.0]])
    with pytest.raises(ValueError, match="count_weights is used only"):
        layers.CategoryEncoding(num_tokens=3)([0, 1], count_weights=[1.0, 1.0])


def test_config_round_trip_and_keras_keys():
    layer = layers.CategoryEncoding(num_tokens=5, output_mode="binary")
    config = json.loads(json.dumps(layer.get_config()))
    assert config["output_mode"] == "multi_hot"
    assert set(config) == {"name", "trainable", "dtype", "num_tokens", "output_mode"}   # Keras has no "sparse" key
    clone = layers.CategoryEncoding.from_config(config)
    np.testing.assert_array_equal(clone([[1, 4]]).numpy(), layer([[1, 4]]).numpy())


def test_in_a_functional_model():
    ids = gn.Input(shape=(2,), dtype="int64")
    encoded = layers.CategoryEncoding(num_tokens=4, output_mode="count")(ids)
    assert encoded.shape == (None, 4)
    model = gn.Model(ids, layers.Dense(1, kernel_initializer="ones")(encoded))
    np.testing.assert_allclose(model.predict(np.array([[0, 3], [1, 1]]), verbose=0), [[2], [2]])

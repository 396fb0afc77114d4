"""Position embeddings: gradient checks, the sinusoidal table worked by hand, what they return
(keras_hub's convention: the positions alone, shaped like the input), masks, configs, bad input."""
import json
import math

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers
from glassnet.testing import layer_gradcheck
from tests.layers.helpers import data

pytestmark = pytest.mark.usefixtures("float64")    # tests/conftest.py


class PlusPositions(layers.Layer):
    """x + positions(x), how the two position layers are used."""

    def __init__(self, inner, **options):
        super().__init__(dtype="float64")
        self.inner = inner
        self.options = options

    def call(self, inputs):
        return inputs + self.inner(inputs, **self.options)


# --- tier (a): gradient checks ------------------------------------------------------------------
def test_position_embedding_gradcheck():
    layer_gradcheck(PlusPositions(layers.PositionEmbedding(6, dtype="float64"), start_index=1), data(2, 4, 3))


def test_sine_position_encoding_gradcheck():
    """A constant: the gradient of x + PE is the identity."""
    layer_gradcheck(PlusPositions(layers.SinePositionEncoding(dtype="float64")), data(2, 4, 3))


def test_token_and_position_embedding_gradcheck():
    layer = layers.TokenAndPositionEmbedding(7, 5, 3, mask_zero=True, dtype="float64")
    layer_gradcheck(layer, np.array([[1, 2, 0, 0], [6, 6, 3, 0]]))      # ids: the weights are checked


# --- tier (b): values by hand -------------------------------------------------------------------
def test_sinusoidal_values_by_hand():
    """d = 4: columns sin(pos), cos(pos), sin(pos/100), cos(pos/100), as 10000^(2/4) = 100."""
    out = layers.SinePositionEncoding()(np.zeros((1, 3, 4))).numpy()[0]
    expected = [[0.0, 1.0, 0.0, 1.0],
                [0.8414709848, 0.5403023059, 0.0099998333, 0.9999500004],     # sin 1, cos 1, sin .01, cos .01
                [0.9092974268, -0.4161468365, 0.0199986667, 0.9998000067]]    # sin 2, cos 2, sin .02, cos .02
    np.testing.assert_allclose(out, expected, atol=1e-10)
    # odd d = 3: sin(pos), cos(pos), sin(pos / 10000^(2/3)); start_index shifts pos
    out = layers.SinePositionEncoding()(np.zeros((2, 2, 3)), start_index=5).numpy()
    for pos, row in zip((5, 6), out[1]):
        np.testing.assert_allclose(row, [math.sin(pos), math.cos(pos), math.sin(pos / 10000 ** (2 / 3))], atol=1e-12)
    # max_wavelength replaces 10000: d = 2 has one frequency, 1/max_wavelength^0 = 1
    np.testing.assert_allclose(layers.SinePositionEncoding(max_wavelength=7)(np.zeros((1, 2, 4))).numpy()[0, 1, 2],
                               math.sin(1 / 7 ** 0.5), atol=1e-12)


def test_position_embedding_returns_the_table_rows_and_its_gradient_sums_the_batch():
    layer = layers.PositionEmbedding(6)
    x = gn.Tensor(data(3, 4, 2))
    out = layer(x, start_index=2)
    table = layer.get_weights()[0]
    assert out.shape == (3, 4, 2)
    np.testing.assert_array_equal(out.numpy(), np.broadcast_to(table[2:6], (3, 4, 2)))
    out.backward(np.ones((3, 4, 2)))
    expected = np.zeros((6, 2))
    expected[2:6] = 3.0                                     # three samples add into each used row
    np.testing.assert_array_equal(layer.position_embeddings.grad, expected)


def test_token_and_position_embedding_adds_both_tables_and_makes_the_mask():
    layer = layers.TokenAndPositionEmbedding(10, 5, 3, mask_zero=True)
    ids = np.array([[4, 2, 0], [1, 0, 0]])
    out = layer(ids)
    E, P = layer.get_weights()
    assert E.shape == (10, 3) and P.shape == (5, 3)
    np.testing.assert_allclose(out.numpy(), E[ids] + P[:3], rtol=1e-15)
    np.testing.assert_array_equal(out._keras_mask, ids != 0)
    np.testing.assert_allclose(layer(ids, start_index=2).numpy(), E[ids] + P[2:5], rtol=1e-15)
    assert layers.TokenAndPositionEmbedding(10, 5, 3)(ids)._keras_mask is None


def test_masks_pass_through_the_position_layers():
    x = gn.Tensor(data(2, 3, 4))
    x._keras_mask = np.array([[True, False, False], [True, True, False]])
    for layer in (layers.PositionEmbedding(3), layers.SinePositionEncoding()):
        np.testing.assert_array_equal(layer(x)._keras_mask, x._keras_mask)


# --- shapes, configs, bad input --------------------------------------------------------------------
def test_shapes_and_config_round_trip():
    cases = [(layers.PositionEmbedding(8, initializer="he_normal"), data(2, 5, 3)),
             (layers.SinePositionEncoding(max_wavelength=500), data(2, 5, 3)),
             (layers.TokenAndPositionEmbedding(9, 8, 4, mask_zero=True, embeddings_initializer="glorot_uniform"),
              np.array([[1, 2, 3, 0, 0], [5, 6, 7, 8, 0]]))]
    for original, x in cases:
        expected = original(x).numpy()
        assert original.compute_output_shape(x.shape) == expected.shape
        saved = json.loads(json.dumps(layers.serialize(original)))
        for copy in (type(original).from_config(original.get_config()), layers.deserialize(saved)):
            assert copy.get_config() == original.get_config()
            copy(x)
            copy.set_weights(original.get_weights())
            np.testing.assert_array_equal(copy(x).numpy(), expected)


def test_bad_input():
    with pytest.raises(ValueError, match="sequence_length must be a positive int"):
        layers.PositionEmbedding(0)
    with pytest.raises(ValueError, match="max_wavelength"):
        layers.SinePositionEncoding(max_wavelength=-1)
    with pytest.raises(ValueError, match="embedding_dim must be a positive int"):
        layers.TokenAndPositionEmbedding(10, 4, 0)
    layer = layers.PositionEmbedding(4)
    with pytest.raises(ValueError, match="length 5 starting at position 0 does not fit in sequence_length=4"):
        layer(data(2, 5, 3))
    with pytest.raises(ValueError, match="length 3 starting at position 2 does not fit"):
        layer(data(2, 3, 3), start_index=2)
    with pytest.raises(ValueError, match="start_index must be an int ≥ 0"):
        layer(data(2, 3, 3), start_index=-1)
    with pytest.raises(ValueError, match="built for 3 features"):
        layer(data(2, 3, 5))
    with pytest.raises(ValueError, match="rank ≥ 2"):
        layers.SinePositionEncoding()(data(4))
    embedding = layers.TokenAndPositionEmbedding(10, 4, 3)
    with pytest.raises(ValueError, match="does not fit in sequence_length=4"):
        embedding(np.ones((2, 6), dtype=int))
    with pytest.raises(ValueError):
        embedding(np.array([[1, 12]]))                       # an id beyond the vocabulary

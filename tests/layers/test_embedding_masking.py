"""Embedding and Masking, and how a mask travels with a tensor from layer to layer."""
import json

import numpy as np
import pytest

import glassnet as gn
from glassnet import Tensor, layers
from glassnet.testing import gradcheck, layer_gradcheck
from glassnet.ops.embedding import embedding_lookup

rng = np.random.default_rng(0)


def test_embedding_gradcheck_with_repeated_ids():
    ids = np.array([[0, 2, 2, 4], [1, 0, 3, 3]])
    layer = layers.Embedding(5, 3, dtype="float64")
    layer_gradcheck(layer, ids)          # the ids are integers: only the table is checked
    assert gradcheck(lambda W: embedding_lookup(W, ids), [rng.standard_normal((5, 3))])


def test_embedding_gradient_is_a_scatter_add():
    layer = layers.Embedding(4, 2)
    ids = np.array([[1, 1, 3]])
    y = layer(ids)
    y.backward(np.ones(y.shape, dtype="float32"))
    np.testing.assert_array_equal(layer.embeddings.grad, [[0, 0], [2, 2], [0, 0], [1, 1]])


def test_embedding_values_shapes_and_initializer():
    layer = layers.Embedding(1000, 8)
    y = layer(np.array([[3, 7], [7, 0]]))
    table = layer.embeddings.numpy()
    assert y.shape == (2, 2, 8) and table.shape == (1000, 8)
    np.testing.assert_array_equal(y.numpy()[0, 1], table[7])
    assert np.abs(table).max() <= 0.05                     # Keras's "uniform": U(−0.05, 0.05)
    assert layer.compute_output_shape((None, 5)) == (None, 5, 8)
    assert layers.Embedding(10, 4)(np.array([1.0, 2.0], dtype="float32")).shape == (2, 4)   # whole floats


def test_mask_zero_masks_the_padding_and_travels():
    layer = layers.Embedding(10, 4, mask_zero=True)
    y = layer(np.array([[1, 2, 0, 0], [3, 0, 0, 0]]))
    np.testing.assert_array_equal(y._keras_mask, [[True, True, False, False], [True, False, False, False]])
    z = layers.Dense(3)(y)                                 # Dense keeps the time axis: the mask passes on
    np.testing.assert_array_equal(z._keras_mask, y._keras_mask)
    assert layers.Flatten()(z)._keras_mask is None         # Flatten does not support masking: dropped
    assert layers.Embedding(10, 4)(np.array([[1, 0]]))._keras_mask is None


def test_a_mask_reaches_a_layer_that_takes_one():
    model = gn.Sequential([layers.Input((4,)), layers.Embedding(10, 3, mask_zero=True),
                           layers.GlobalAveragePooling1D()])
    emb = model.layers[0].embeddings.numpy()
    out = model.predict(np.array([[1, 2, 0, 0]]), verbose=0)
    np.testing.assert_allclose(out[0], (emb[1] + emb[2]) / 2, rtol=1e-6)   # the padding is not averaged


def test_a_dtype_cast_on_entry_keeps_the_mask():
    y = layers.Embedding(10, 4, mask_zero=True)(np.array([[1, 2, 0], [3, 0, 0]]))      # float32
    pooled = layers.GlobalAveragePooling1D(dtype="float64")(y)            # cast to float64 on entry
    expected = np.stack([y.numpy()[0, :2].mean(axis=0), y.numpy()[1, 0]])
    np.testing.assert_allclose(pooled.numpy(), expected, rtol=1e-6)      # padding still left out
    z = layers.Dense(2, dtype="float64")(y)
    assert z.dtype == np.float64
    np.testing.assert_array_equal(z._keras_mask, y._keras_mask)


def test_masking_layer():
    x = np.array([[[1.0, 2.0], [0.0, 0.0], [0.0, 3.0]]], dtype="float32")
    y = layers.Masking()(x)
    np.testing.assert_array_equal(y._keras_mask, [[True, False, True]])
    np.testing.assert_array_equal(y.numpy(), x)
    y = layers.Masking(mask_value=1.0)(np.array([[[1.0, 1.0], [2.0, 1.0]]], dtype="float32"))
    np.testing.assert_array_equal(y._keras_mask, [[False, True]])
    np.testing.assert_array_equal(y.numpy()[0, 0], [0, 0])
    # finite differences cannot step on a masked step (any change unmasks it): check a real step,
    # and a masked step's zero gradient directly
    layer_gradcheck(layers.Masking(mask_value=0.5, dtype="float64"), np.array([[[0.7, 0.5], [1.0, 2.0]]]))
    x = Tensor(np.array([[[0.5, 0.5], [1.0, 2.0]]]), requires_grad=True)
    layers.Masking(mask_value=0.5, dtype="float64")(x).sum().backward()
    np.testing.assert_array_equal(x.grad, [[[0, 0], [1, 1]]])


@pytest.mark.parametrize("ids, message", [
    (np.array([[1, 10]]), r"id 10 at index \(0, 1\) is outside \[0, 10\)"),
    (np.array([[-1, 2]]), r"id -1 at index \(0, 0\) is outside \[0, 10\)"),
    (np.array([[1.5, 2.0]]), "whole numbers"),
])
def test_bad_ids_are_refused_before_anything_changes(ids, message):
    layer = layers.Embedding(10, 4)
    layer(np.array([[1, 2]]))
    before = layer.embeddings.numpy().copy()
    with pytest.raises(ValueError, match=message):
        layer(ids)
    np.testing.assert_array_equal(layer.embeddings.numpy(), before)


def test_bad_arguments():
    for kwargs in ({"input_dim": 0, "output_dim": 2}, {"input_dim": 3, "output_dim": -1}):
        with pytest.raises(ValueError, match="Embedding"):
            layers.Embedding(**kwargs)


def test_config_round_trip_and_weights_argument():
    layer = layers.Embedding(6, 2, mask_zero=True, embeddings_regularizer="l2")
    twin = layers.deserialize(json.loads(json.dumps(layers.serialize(layer))))
    assert twin.get_config() == layer.get_config()
    table = np.arange(12, dtype="float32").reshape(6, 2)
    given = layers.Embedding(6, 2, weights=[table])
    np.testing.assert_array_equal(given(np.array([[5]])).numpy()[0, 0], [10, 11])
    masking = layers.Masking(2.0)
    assert layers.deserialize(layers.serialize(masking)).mask_value == 2.0


def test_text_model_trains_and_saves(tmp_path):
    gn.utils.set_random_seed(0)
    x = rng.integers(1, 20, (64, 6))
    x[:, 4:] = 0                                            # padding
    y = (x[:, 0] > 10).astype(int)
    model = gn.Sequential([layers.Input((6,)), layers.Embedding(20, 8, mask_zero=True),
                           layers.GlobalAveragePooling1D(), layers.Dense(2, activation="softmax")])
    model.compile(gn.optimizers.Adam(0.05), "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=20, verbose=0)
    assert history.history["accuracy"][-1] > 0.85
    model.save(tmp_path / "text.glassnet")
    again = gn.models.load_model(tmp_path / "text.glassnet")
    np.testing.assert_array_equal(again.predict(x, verbose=0), model.predict(x, verbose=0))

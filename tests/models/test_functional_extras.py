"""Layer.input / Layer.output: feature extraction from a trained model."""
import numpy as np
import pytest

import glassnet as gn
from glassnet import layers


def test_feature_extractor_from_inner_layer_output():
    inputs = layers.Input((4,))
    hidden = layers.Dense(3, activation="relu", name="features")(inputs)
    outputs = layers.Dense(2)(hidden)
    model = gn.Model(inputs, outputs)
    features = model.layers[1]
    assert features.name == "features"
    extractor = gn.Model(model.inputs, features.output)
    x = np.random.default_rng(0).standard_normal((5, 4)).astype("float32")
    W, b = features.get_weights()
    np.testing.assert_allclose(extractor.predict(x, verbose=0), np.maximum(x @ W + b, 0), rtol=1e-5, atol=1e-6)


def test_sequential_layer_output_after_input():
    model = gn.Sequential([layers.Input((4,)), layers.Dense(3, name="a"), layers.Dense(1)])
    extractor = gn.Model(model.inputs, model.layers[0].output)
    assert extractor.predict(np.zeros((2, 4), "float32"), verbose=0).shape == (2, 3)


def test_output_of_uncalled_or_shared_layer_is_a_clear_error():
    dense = layers.Dense(2)
    with pytest.raises(AttributeError, match="symbolic Input"):
        dense.output
    a, b = layers.Input((3,)), layers.Input((3,))
    dense(a)
    dense(b)
    with pytest.raises(AttributeError, match="called 2 times"):
        dense.output


def test_frozen_layer_adds_no_weight_penalty():
    dense = layers.Dense(2, kernel_regularizer="l2")
    dense(np.ones((1, 3), "float32"))
    assert len(dense.losses) == 1
    dense.trainable = False
    assert dense.losses == []


def test_evaluate_and_predict_keep_the_fit_history():
    model = gn.Sequential([layers.Input((2,)), layers.Dense(1)])
    model.compile("sgd", "mse")
    history = model.fit(np.ones((4, 2)), np.ones(4), epochs=3, verbose=0)
    model.evaluate(np.ones((4, 2)), np.ones(4), verbose=0)
    model.predict(np.ones((4, 2)), verbose=0)
    assert model.history is history and history.epoch == [0, 1, 2]

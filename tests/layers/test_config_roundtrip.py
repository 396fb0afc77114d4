"""Every layer: get_config → (JSON) → from_config gives a layer with the same output on the same weights."""
import json

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers

rng = np.random.default_rng(0)
VECTORS = rng.standard_normal((4, 3))
SEQUENCES = rng.standard_normal((2, 3, 4))
PAIR = [rng.standard_normal((4, 3)), rng.standard_normal((4, 3))]


@gn.layers.register_serializable(package="TestRoundTrip")
def halve(x):
    return x * 0.5


CASES = [
    (lambda: layers.Dense(2, activation="tanh", kernel_regularizer=gn.regularizers.L2(0.1),
                          kernel_constraint="max_norm", bias_initializer="ones", activity_regularizer="l1"), VECTORS),
    (lambda: layers.Maxout(2, pieces=3, use_bias=False), VECTORS),
    (lambda: layers.Activation("softplus"), VECTORS),
    (lambda: layers.ReLU(max_value=1.0, negative_slope=0.1, threshold=0.2), VECTORS),
    (lambda: layers.LeakyReLU(negative_slope=0.05), VECTORS),
    (lambda: layers.PReLU(alpha_initializer=gn.initializers.Constant(0.25), shared_axes=[1]), SEQUENCES),
    (lambda: layers.ELU(alpha=0.7), VECTORS),
    (lambda: layers.Softmax(axis=(1, 2)), SEQUENCES),
    (lambda: layers.Dropout(0.3, noise_shape=[None, 1], seed=4), VECTORS),
    (lambda: layers.GaussianNoise(0.1, seed=1), VECTORS),
    (lambda: layers.ActivityRegularization(l1=0.01, l2=0.02), VECTORS),
    (lambda: layers.BatchNormalization(axis=1, momentum=0.9, epsilon=1e-2, gamma_regularizer="l1"), SEQUENCES),
    (lambda: layers.LayerNormalization(axis=[1, 2], epsilon=1e-4, center=False), SEQUENCES),
    (lambda: layers.Flatten(), SEQUENCES),
    (lambda: layers.Reshape((-1, 2)), SEQUENCES),
    (lambda: layers.Permute((2, 1)), SEQUENCES),
    (lambda: layers.RepeatVector(3), VECTORS),
    (lambda: layers.Lambda(halve, output_shape=(3,)), VECTORS),
    (lambda: layers.Add(), PAIR),
    (lambda: layers.Subtract(), PAIR),
    (lambda: layers.Multiply(), PAIR),
    (lambda: layers.Average(), PAIR),
    (lambda: layers.Maximum(), PAIR),
    (lambda: layers.Minimum(), PAIR),
    (lambda: layers.Concatenate(axis=0), PAIR),
    (lambda: layers.Dot(axes=[1, 1], normalize=True), PAIR),
]


@pytest.mark.parametrize("make, inputs", CASES, ids=[type(make()).__name__ for make, _ in CASES])
def test_config_round_trip(make, inputs):
    original = make()
    expected = original(inputs, training=False).numpy()
    weights = [w + 0.1 * rng.standard_normal(w.shape) for w in original.get_weights()]
    if weights:
        original.set_weights(weights)
        expected = original(inputs, training=False).numpy()
    saved = json.loads(json.dumps(layers.serialize(original)))
    for copy in (type(original).from_config(original.get_config()), layers.deserialize(saved)):
        assert type(copy) is type(original)
        assert copy.get_config() == original.get_config()
        copy(inputs, training=False)
        copy.set_weights(original.get_weights())
        np.testing.assert_array_equal(copy(inputs, training=False).numpy(), expected)

"""Dense and Maxout: the course neuron, a hand-worked example, gradient checks, bad input."""
import numpy as np
import pytest

import glassnet as gn
from glassnet import layers
from glassnet.testing import layer_gradcheck


def test_course_neuron_sigmoid():
    # z = 0.9·2 + 0.2·3 + 0.3·(−1) + 0.5 = 1.8 + 0.6 − 0.3 + 0.5 = 2.6;  σ(2.6) = 0.93086
    neuron = layers.Dense(1, activation="sigmoid", dtype="float64")
    x = np.array([[2.0, 3.0, -1.0]])
    neuron.build(x.shape)
    neuron.set_weights([np.array([[0.9], [0.2], [0.3]]), np.array([0.5])])
    y = neuron(x).numpy()
    assert y.shape == (1, 1)
    assert y[0, 0] == pytest.approx(1 / (1 + np.exp(-2.6)), abs=1e-12)
    assert round(float(y[0, 0]), 4) == 0.9309


def test_hand_worked_two_by_two():
    # x = [[1, 2], [3, 4]], W = [[1, −1], [2, 0.5]], b = [0.5, −1]
    # row 1: [1·1 + 2·2, 1·(−1) + 2·0.5] + b = [5, 0] + [0.5, −1] = [5.5, −1]
    # row 2: [3·1 + 4·2, 3·(−1) + 4·0.5] + b = [11, −1] + [0.5, −1] = [11.5, −2]
    dense = layers.Dense(2)
    dense.build((2, 2))
    dense.set_weights([np.array([[1.0, -1.0], [2.0, 0.5]]), np.array([0.5, -1.0])])
    y = dense(np.array([[1.0, 2.0], [3.0, 4.0]], dtype="float32"))
    np.testing.assert_array_equal(y.numpy(), [[5.5, -1.0], [11.5, -2.0]])
    relu = layers.Dense(2, activation="relu")
    relu.build((2, 2))
    relu.set_weights(dense.get_weights())
    np.testing.assert_array_equal(relu(np.array([[1.0, 2.0], [3.0, 4.0]])).numpy(), [[5.5, 0.0], [11.5, 0.0]])


def test_weights_shapes_order_and_names():
    dense = layers.Dense(3)
    dense(np.zeros((2, 5)))
    assert [w.shape for w in dense.get_weights()] == [(5, 3), (3,)]
    assert [w.name for w in dense.weights] == ["kernel", "bias"]
    assert dense.count_params() == 18
    assert dense.kernel.dtype == np.float32
    no_bias = layers.Dense(3, use_bias=False)
    no_bias(np.zeros((2, 5)))
    assert [w.name for w in no_bias.weights] == ["kernel"] and no_bias.bias is None


def test_gradcheck_2d_with_activation():
    layer = layers.Dense(2, activation="tanh", dtype="float64")
    layer_gradcheck(layer, np.random.default_rng(0).standard_normal((3, 4)))


def test_gradcheck_rank_3_applies_to_last_axis():
    x = np.random.default_rng(1).standard_normal((2, 3, 4))
    layer = layers.Dense(2, dtype="float64")
    layer_gradcheck(layer, x)
    y = layer(x).numpy()
    assert y.shape == (2, 3, 2)
    np.testing.assert_allclose(y, x @ layer.kernel.data + layer.bias.data, rtol=1e-12)
    assert layer.compute_output_shape((None, 3, 4)) == (None, 3, 2)


def test_integer_input_is_cast():
    dense = layers.Dense(2, kernel_initializer="ones")
    assert dense(np.array([[1, 2]])).dtype == np.float32


def test_built_dense_rejects_wrong_size_and_rank():
    dense = layers.Dense(2)
    dense(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"\(batch, \.\.\., 3\).*\(4, 5\)"):
        dense(np.zeros((4, 5)))
    with pytest.raises(ValueError, match=r"\(batch, \.\.\., 3\).*\(3,\)"):
        dense(np.zeros(3))


def test_bad_arguments():
    with pytest.raises(ValueError, match="units must be a positive int, got 0"):
        layers.Dense(0)
    with pytest.raises(ValueError, match="units"):
        layers.Dense(2.5)
    with pytest.raises(ValueError, match="activation"):
        layers.Dense(2, activation="no_such_activation")
    with pytest.raises(TypeError, match="unknown argument"):
        layers.Dense(2, kernel_init="ones")


def test_regularizers_add_losses():
    dense = layers.Dense(2, kernel_regularizer="l2", activity_regularizer=gn.regularizers.L1(0.1),
                         kernel_initializer="ones")
    y = dense(np.array([[1.0, -1.0, 2.0]]))
    losses = dense.losses
    # activity: 0.1 · Σ|y| = 0.1 · (2 + 2) = 0.4;  kernel: 0.01 · Σ W² = 0.01 · 6 = 0.06
    assert sorted(round(float(l.item()), 6) for l in losses) == [0.06, 0.4]
    np.testing.assert_allclose(y.numpy(), [[2.0, 2.0]])


def test_symbolic_call_gives_output_shape():
    x = layers.Input((7,))
    y = layers.Dense(4)(x)
    assert y.shape == (None, 4)


def test_maxout_is_max_over_pieces():
    # two pieces per unit: piece 0 = x·W₁ (identity), piece 1 = −x·W₁ → |x|
    maxout = layers.Maxout(2, pieces=2, use_bias=False)
    maxout.build((None, 2))
    eye = np.eye(2)
    maxout.set_weights([np.concatenate([eye, -eye], axis=1)])
    np.testing.assert_array_equal(maxout(np.array([[-3.0, 2.0]])).numpy(), [[3.0, 2.0]])
    assert maxout.kernel.shape == (2, 4)
    assert maxout.compute_output_shape((None, 2)) == (None, 2)


def test_maxout_gradcheck_and_errors():
    layer_gradcheck(layers.Maxout(2, pieces=3, dtype="float64"), np.random.default_rng(2).standard_normal((3, 4)))
    with pytest.raises(ValueError, match="pieces must be a positive int"):
        layers.Maxout(2, pieces=0)
    with pytest.raises(TypeError, match="no activation"):
        layers.Maxout(2, activation="relu")


def test_build_called_directly_marks_the_layer_built():
    dense = layers.Dense(2)
    dense.build((None, 3))
    assert dense.built
    kernel = dense.kernel
    dense(np.ones((1, 3)))
    assert dense.kernel is kernel and len(dense.weights) == 2

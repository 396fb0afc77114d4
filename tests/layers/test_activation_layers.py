"""Activation, ReLU, LeakyReLU, PReLU, ELU, Softmax as layers: values, gradients, arguments."""
import numpy as np
import pytest

from glassnet import layers
from glassnet.testing import layer_gradcheck

# away from the kinks at 0 (and the ReLU threshold/ceiling), so finite differences are clean
X = np.array([[-2.5, -0.7, 0.4, 1.3], [3.1, -1.6, 0.9, -0.2], [6.7, 2.2, -3.3, 0.6]])


def test_activation_layer():
    np.testing.assert_allclose(layers.Activation("tanh")(X).numpy(), np.tanh(X.astype("float32")), rtol=1e-6)
    layer_gradcheck(layers.Activation("sigmoid", dtype="float64"), X)
    with pytest.raises(ValueError, match="unknown activation"):
        layers.Activation("nope")


def test_relu_keras_example_and_arguments():
    x = np.array([-10.0, -5.0, 0.0, 5.0, 10.0])
    np.testing.assert_array_equal(layers.ReLU()(x).numpy(), [0, 0, 0, 5, 10])
    np.testing.assert_array_equal(layers.ReLU(negative_slope=0.5)(x).numpy(), [-5, -2.5, 0, 5, 10])
    np.testing.assert_array_equal(layers.ReLU(max_value=5.0)(x).numpy(), [0, 0, 0, 5, 5])
    np.testing.assert_array_equal(layers.ReLU(threshold=5.0)(x).numpy(), [0, 0, 0, 0, 10])
    layer_gradcheck(layers.ReLU(max_value=6.0, negative_slope=0.1, threshold=0.5, dtype="float64"), X)
    for bad in ({"max_value": -1.0}, {"negative_slope": -0.1}, {"threshold": None}):
        with pytest.raises(ValueError, match=list(bad)[0]):
            layers.ReLU(**bad)


def test_leaky_relu_layer_default_is_keras_0_3():
    x = np.array([-3.0, -1.0, 0.0, 2.0])
    np.testing.assert_allclose(layers.LeakyReLU()(x).numpy(), [-0.9, -0.3, 0.0, 2.0], rtol=1e-6)
    np.testing.assert_allclose(layers.LeakyReLU(negative_slope=0.01)(x).numpy(), [-0.03, -0.01, 0, 2], rtol=1e-6)
    assert layers.LeakyReLU(alpha=0.1).negative_slope == 0.1  # Keras 2 spelling
    layer_gradcheck(layers.LeakyReLU(dtype="float64"), X)
    with pytest.raises(ValueError, match="negative_slope"):
        layers.LeakyReLU(negative_slope=-1)


def test_prelu_values_shapes_and_gradcheck():
    prelu = layers.PReLU(alpha_initializer="zeros", dtype="float64")
    np.testing.assert_array_equal(prelu(X).numpy(), np.maximum(X, 0))  # starts as a ReLU
    assert prelu.alpha.shape == (4,)
    prelu.set_weights([np.array([0.1, 0.2, 0.3, 0.4])])
    np.testing.assert_allclose(prelu(X).numpy(), np.where(X > 0, X, X * [0.1, 0.2, 0.3, 0.4]), rtol=1e-12)
    layer_gradcheck(prelu, X)  # ∂y/∂α = min(0, x)
    shared = layers.PReLU(shared_axes=[1, 2], dtype="float64")
    images = np.random.default_rng(0).standard_normal((2, 3, 3, 2))
    shared(images)
    assert shared.alpha.shape == (1, 1, 2)
    shared.set_weights([np.array([[[0.25, -0.5]]])])
    layer_gradcheck(shared, images)
    with pytest.raises(ValueError, match="shared_axes"):
        layers.PReLU(shared_axes=[0])
    with pytest.raises(ValueError, match="shared axis 3"):
        layers.PReLU(shared_axes=3)(X)


def test_elu():
    np.testing.assert_allclose(layers.ELU(alpha=2.0)(np.array([-1.0, 0.0, 2.0])).numpy(),
                               [2 * (np.exp(-1) - 1), 0, 2], rtol=1e-6)
    layer_gradcheck(layers.ELU(alpha=0.5, dtype="float64"), X)


def test_softmax_axis_and_mask():
    y = layers.Softmax()(X).numpy()
    np.testing.assert_allclose(y.sum(-1), 1, rtol=1e-6)
    np.testing.assert_allclose(y[0], np.exp(X[0]) / np.exp(X[0]).sum(), rtol=1e-5)
    both = layers.Softmax(axis=(1, 2), dtype="float64")(X.reshape(1, 3, 4)).numpy()
    np.testing.assert_allclose(both, (np.exp(X) / np.exp(X).sum()).reshape(1, 3, 4), rtol=1e-12)
    mask = np.array([[True, True, False, False]] * 3)
    masked = layers.Softmax(dtype="float64")(X, mask=mask).numpy()
    np.testing.assert_array_equal(masked[:, 2:], 0)
    np.testing.assert_allclose(masked[0, :2], np.exp(X[0, :2]) / np.exp(X[0, :2]).sum(), rtol=1e-12)
    layer_gradcheck(layers.Softmax(axis=0, dtype="float64"), X)
    layer_gradcheck(layers.Softmax(axis=(0, 1), dtype="float64"), X)
    layer_gradcheck(layers.Softmax(dtype="float64"), X, mask=mask)

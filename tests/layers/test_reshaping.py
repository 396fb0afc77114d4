"""Flatten, Reshape, Permute, RepeatVector: values, gradients, shapes, bad input."""
import numpy as np
import pytest

from glassnet import layers
from glassnet.testing import layer_gradcheck

X = np.arange(24.0).reshape(2, 3, 4)


def test_flatten():
    np.testing.assert_array_equal(layers.Flatten()(X).numpy(), X.reshape(2, 12))
    cf = layers.Flatten(data_format="channels_first")(X).numpy()
    np.testing.assert_array_equal(cf, X.transpose(0, 2, 1).reshape(2, 12))
    assert layers.Flatten()(np.arange(3.0)).shape == (3, 1)
    assert layers.Flatten().compute_output_shape((None, 3, 4)) == (None, 12)
    assert layers.Flatten().compute_output_shape((None, None, 4)) == (None, None)
    layer_gradcheck(layers.Flatten(dtype="float64"), X / 10)
    with pytest.raises(ValueError, match="data_format"):
        layers.Flatten(data_format="nchw")


def test_reshape():
    np.testing.assert_array_equal(layers.Reshape((4, 3))(X).numpy(), X.reshape(2, 4, 3))
    np.testing.assert_array_equal(layers.Reshape((-1, 2))(X).numpy(), X.reshape(2, 6, 2))
    assert layers.Reshape((-1, 2)).compute_output_shape((None, 3, 4)) == (None, 6, 2)
    assert layers.Reshape((-1, 2)).compute_output_shape((None, None, 4)) == (None, None, 2)
    layer_gradcheck(layers.Reshape((12,), dtype="float64"), X / 10)
    with pytest.raises(ValueError, match=r"cannot reshape samples of shape \(3, 4\) \(12 elements\) into target_shape \(5,\)"):
        layers.Reshape((5,))(X)
    with pytest.raises(ValueError, match="at most one -1"):
        layers.Reshape((-1, -1))
    with pytest.raises(ValueError, match="positive ints"):
        layers.Reshape((0, 3))


def test_permute_is_one_indexed():
    y = layers.Permute((2, 1))(X)
    np.testing.assert_array_equal(y.numpy(), X.transpose(0, 2, 1))
    assert layers.Permute((2, 1)).compute_output_shape((None, 3, 4)) == (None, 4, 3)
    layer_gradcheck(layers.Permute((2, 1), dtype="float64"), X / 10)
    with pytest.raises(ValueError, match="permutation of 1..2"):
        layers.Permute((0, 1))
    with pytest.raises(ValueError, match=r"rank 3.*\(2, 12\)"):
        layers.Permute((2, 1))(X.reshape(2, 12))


def test_repeat_vector():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    y = layers.RepeatVector(3)(x).numpy()
    assert y.shape == (2, 3, 2)
    np.testing.assert_array_equal(y[:, 1], x)
    assert layers.RepeatVector(3).compute_output_shape((None, 2)) == (None, 3, 2)
    layer_gradcheck(layers.RepeatVector(3, dtype="float64"), x)  # backward sums the 3 copies
    with pytest.raises(ValueError, match=r"\(batch, features\), got shape \(2, 3, 4\)"):
        layers.RepeatVector(2)(X)
    with pytest.raises(ValueError, match="n must be a positive int"):
        layers.RepeatVector(0)


def test_symbolic_shapes():
    inp = layers.Input((3, 4))
    assert layers.Flatten()(inp).shape == (None, 12)
    assert layers.Permute((2, 1))(inp).shape == (None, 4, 3)
    assert layers.Reshape((2, 6))(inp).shape == (None, 2, 6)

"""VGG16 against keras.applications.VGG16 with the same weights (skipped without keras).

The same layer names in the same order, so Keras takes glassnet's weights with one
``set_weights(get_weights())``; then both must give the same outputs (float64 on both sides:
``keras_float64`` in conftest.py).
"""
import numpy as np
import pytest

from glassnet import applications

keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")

pytestmark = pytest.mark.usefixtures("keras_float64")


@pytest.mark.parametrize("pooling", [None, "avg"])
def test_vgg16_base_matches_keras(pooling):
    ours = applications.VGG16(include_top=False, input_shape=(32, 32, 3), pooling=pooling)
    theirs = keras.applications.VGG16(include_top=False, weights=None, input_shape=(32, 32, 3), pooling=pooling)
    # the block layers carry Keras's fixed names; the input and global-pooling layers are numbered per session
    named = slice(1, 19)
    assert [layer.name for layer in ours.layers[named]] == [layer.name for layer in theirs.layers[named]]
    assert len(ours.layers) == len(theirs.layers)
    assert ours.count_params() == theirs.count_params()
    theirs.set_weights(ours.get_weights())
    x = np.random.default_rng(0).random((2, 32, 32, 3)) * 255
    expected = keras.ops.convert_to_numpy(theirs(x))
    got = ours.predict(x, verbose=0)
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-9 * np.abs(expected).max())


def test_vgg16_with_top_has_keras_shapes():
    ours = applications.VGG16(input_shape=(32, 32, 3), classes=7)
    theirs = keras.applications.VGG16(weights=None, input_shape=(32, 32, 3), classes=7)
    assert [w.shape for w in ours.get_weights()] == [tuple(w.shape) for w in theirs.get_weights()]
    theirs.set_weights(ours.get_weights())
    x = np.random.default_rng(1).random((2, 32, 32, 3))
    np.testing.assert_allclose(ours.predict(x, verbose=0), keras.ops.convert_to_numpy(theirs(x)), rtol=1e-9, atol=1e-12)

"""BatchNormalization and LayerNormalization: Keras's statistics, gradients in both modes."""
import numpy as np
import pytest

from glassnet import layers
from glassnet.testing import layer_gradcheck

X = np.array([[1.0, 10.0], [3.0, 20.0], [5.0, 60.0]])


def randomize(layer, seed=0):
    """Give every weight random values (γ around 1, variances positive) so checks see all paths."""
    rng = np.random.default_rng(seed)
    layer.set_weights([
        1 + 0.5 * np.abs(rng.standard_normal(w.shape)) if "variance" in w.name or w.name == "gamma"
        else rng.standard_normal(w.shape) for w in layer.weights
    ])


def test_moving_statistics_after_one_step():
    # batch mean μ = [3, 30]; biased variance σ² = Σ(x − μ)²/3 = [8/3, 1400/3]
    # moving_mean = 0.99·0 + 0.01·μ = [0.03, 0.3]
    # moving_variance = 0.99·1 + 0.01·σ² = [0.99 + 0.02667, 0.99 + 4.66667]
    bn = layers.BatchNormalization(dtype="float64")
    y = bn(X, training=True).numpy()
    np.testing.assert_allclose(bn.moving_mean.numpy(), [0.03, 0.3], rtol=1e-12)
    np.testing.assert_allclose(bn.moving_variance.numpy(), [0.99 + 0.08 / 3, 0.99 + 14.0 / 3], rtol=1e-12)
    # training output: (x − μ)/√(σ² + 0.001), γ = 1, β = 0
    np.testing.assert_allclose(y[:, 0], np.array([-2.0, 0.0, 2.0]) / np.sqrt(8.0 / 3.0 + 1e-3), rtol=1e-12)


def test_inference_uses_moving_statistics_and_does_not_update():
    bn = layers.BatchNormalization(dtype="float64")
    bn.build(X.shape)
    bn.set_weights([np.array([2.0, 1.0]), np.array([0.5, 0.0]), np.array([1.0, 2.0]), np.array([4.0, 9.0])])
    for training in (False, None):
        y = bn(X, training=training).numpy()
        np.testing.assert_allclose(y, 2 * 0 + np.array([2.0, 1.0]) * (X - [1.0, 2.0]) / np.sqrt([4.001, 9.001])
                                   + [0.5, 0.0], rtol=1e-12)
    np.testing.assert_array_equal(bn.moving_mean.numpy(), [1.0, 2.0])


def test_frozen_layer_runs_in_inference_mode():
    bn = layers.BatchNormalization()
    bn(X)
    bn.trainable = False
    y = bn(X, training=True).numpy()
    np.testing.assert_array_equal(bn.moving_mean.numpy(), [0.0, 0.0])
    np.testing.assert_allclose(y, X / np.sqrt(1.001), rtol=1e-6)


def test_weights_order_and_trainability():
    bn = layers.BatchNormalization()
    bn(np.zeros((2, 4, 4, 3)))
    assert [w.name for w in bn.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert [w.name for w in bn.trainable_weights] == ["gamma", "beta"]
    assert all(w.shape == (3,) for w in bn.weights)
    bare = layers.BatchNormalization(center=False, scale=False)
    bare(np.zeros((2, 3)))
    assert [w.name for w in bare.weights] == ["moving_mean", "moving_variance"]


@pytest.mark.parametrize("training", [True, False])
def test_batchnorm_gradcheck(training):
    bn = layers.BatchNormalization(dtype="float64")
    bn.build((4, 3))
    randomize(bn)
    layer_gradcheck(bn, np.random.default_rng(3).standard_normal((4, 3)), training=training)


@pytest.mark.parametrize("training", [True, False])
def test_batchnorm_gradcheck_channels_first_images(training):
    bn = layers.BatchNormalization(axis=1, dtype="float64")
    bn.build((2, 2, 2, 3))
    randomize(bn, seed=1)
    layer_gradcheck(bn, np.random.default_rng(4).standard_normal((2, 2, 2, 3)), training=training)


def test_batchnorm_without_scale_and_center_gradcheck():
    for center, scale in ((False, True), (True, False), (False, False)):
        bn = layers.BatchNormalization(center=center, scale=scale, dtype="float64")
        x = np.random.default_rng(5).standard_normal((5, 2))
        if center or scale:
            layer_gradcheck(bn, x, training=True)
        y = bn(x, training=True).numpy()
        np.testing.assert_allclose(y.mean(0), 0, atol=1e-12)


def test_batchnorm_bad_input():
    bn = layers.BatchNormalization()
    bn(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"expected 3 features on axis -1, got input shape \(2, 4\)"):
        bn(np.zeros((2, 4)))
    with pytest.raises(ValueError, match="momentum"):
        layers.BatchNormalization(momentum=-1)
    with pytest.raises(ValueError, match="axis 3"):
        layers.BatchNormalization(axis=3)(np.zeros((2, 3)))


def test_layernorm_values():
    # each row normalised by its own mean and biased variance: row [1, 10] → μ 5.5, σ² 20.25
    ln = layers.LayerNormalization(dtype="float64")
    y = ln(X).numpy()
    np.testing.assert_allclose(y[0], np.array([-4.5, 4.5]) / np.sqrt(20.25 + 1e-3), rtol=1e-12)
    assert [w.name for w in ln.weights] == ["gamma", "beta"]
    np.testing.assert_array_equal(ln(X, training=True).numpy(), y)


@pytest.mark.parametrize("axis, param_shape", [(-1, (4,)), ([1, 2], (3, 4)), (1, (3,))])
def test_layernorm_gradcheck(axis, param_shape):
    ln = layers.LayerNormalization(axis=axis, dtype="float64")
    ln.build((2, 3, 4))
    assert ln.gamma.shape == param_shape
    randomize(ln)
    layer_gradcheck(ln, np.random.default_rng(6).standard_normal((2, 3, 4)))


def test_layernorm_bad_input():
    with pytest.raises(ValueError, match="axis"):
        layers.LayerNormalization(axis="last")
    ln = layers.LayerNormalization()
    ln(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"\(3,\).*\(2, 5\)"):
        ln(np.zeros((2, 5)))

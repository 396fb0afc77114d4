"""Dropout, GaussianNoise and ActivityRegularization: training-only behaviour and gradients."""
import numpy as np
import pytest

import glassnet as gn
from glassnet import layers
from glassnet.testing import layer_gradcheck


def test_dropout_is_identity_at_inference():
    x = np.random.default_rng(0).standard_normal((4, 5)).astype("float32")
    drop = layers.Dropout(0.5)
    for training in (False, None):
        np.testing.assert_array_equal(drop(x, training=training).numpy(), x)


def test_dropout_scaling_preserves_the_mean():
    rate = 0.3
    x = np.ones((400, 500))
    y = layers.Dropout(rate, dtype="float64")(x, training=True).numpy()
    kept = y != 0
    assert abs((~kept).mean() - rate) < 0.01  # zeros fraction ≈ rate (200,000 draws)
    np.testing.assert_allclose(y[kept], 1 / (1 - rate), rtol=1e-12)  # kept units scaled by 1/(1 − rate)
    assert abs(y.mean() - 1.0) < 0.01  # E[y] = x


def test_dropout_seeded_repeats_and_global_seed_repeats():
    x = np.ones((10, 10))
    a = layers.Dropout(0.5, seed=7)(x, training=True).numpy()
    b = layers.Dropout(0.5, seed=7)(x, training=True).numpy()
    np.testing.assert_array_equal(a, b)
    gn.utils.set_random_seed(3)
    c = layers.Dropout(0.5)(x, training=True).numpy()
    gn.utils.set_random_seed(3)
    d = layers.Dropout(0.5)(x, training=True).numpy()
    np.testing.assert_array_equal(c, d)


def test_dropout_noise_shape_shares_the_mask():
    y = layers.Dropout(0.5, noise_shape=(None, 1, 4), seed=1)(np.ones((3, 5, 4)), training=True).numpy()
    assert (y == y[:, :1, :]).all()  # same mask at every time step
    with pytest.raises(ValueError, match="noise_shape"):
        layers.Dropout(0.5, noise_shape=(None, 2, 4))(np.ones((3, 5, 4)), training=True)


def test_dropout_gradcheck_with_fixed_mask():
    drop = layers.Dropout(0.4, seed=11, dtype="float64")

    def reseed():
        drop.seed_generator = np.random.default_rng(11)

    layer_gradcheck(drop, np.random.default_rng(1).standard_normal((4, 5)), training=True, before_call=reseed)


@pytest.mark.parametrize("rate", [1.5, 1.0, -0.1, "0.5", None])
def test_dropout_bad_rate(rate):
    with pytest.raises(ValueError, match=r"rate must be a number in \[0, 1\)"):
        layers.Dropout(rate)


def test_training_flag_reaches_dropout_inside_a_layer():
    class Block(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.drop = layers.Dropout(0.5, seed=0)

        def call(self, inputs):
            return self.drop(inputs)

    x = np.ones((20, 20))
    assert (Block()(x, training=True).numpy() == 0).any()
    np.testing.assert_array_equal(Block()(x, training=False).numpy(), x)


def test_gaussian_noise():
    x = np.zeros((300, 300))
    noise = layers.GaussianNoise(0.5, dtype="float64")
    np.testing.assert_array_equal(noise(x).numpy(), x)
    y = noise(x, training=True).numpy()
    assert abs(y.mean()) < 0.01 and abs(y.std() - 0.5) < 0.01
    seeded = [layers.GaussianNoise(0.1, seed=2)(np.ones((3, 3)), training=True).numpy() for _ in range(2)]
    np.testing.assert_array_equal(*seeded)
    g = layers.GaussianNoise(0.2, seed=5, dtype="float64")
    layer_gradcheck(g, np.random.default_rng(2).standard_normal((3, 4)), training=True,
                    before_call=lambda: setattr(g, "seed_generator", np.random.default_rng(5)))
    with pytest.raises(ValueError, match=r"stddev must be a number in \[0, 1\], got 2"):
        layers.GaussianNoise(2)


def test_activity_regularization():
    # penalty = 0.1 · Σ|x| + 0.01 · Σx² = 0.1·(1 + 2 + 3) + 0.01·(1 + 4 + 9) = 0.6 + 0.14
    reg = layers.ActivityRegularization(l1=0.1, l2=0.01, dtype="float64")
    x = gn.Tensor(np.array([[1.0, -2.0, 3.0]]), requires_grad=True)
    y = reg(x)
    np.testing.assert_array_equal(y.numpy(), x.numpy())
    (penalty,) = reg.losses
    assert penalty.item() == pytest.approx(0.74, abs=1e-12)
    penalty.backward()
    np.testing.assert_allclose(x.grad, 0.1 * np.sign(x.data) + 0.02 * x.data)
    assert reg.get_config()["l1"] == 0.1
    with pytest.raises(ValueError, match="l1"):
        layers.ActivityRegularization(l1=-1.0)
    layer_gradcheck(reg, np.random.default_rng(3).standard_normal((2, 3)))

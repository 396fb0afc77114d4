"""GaussianDropout, AlphaDropout and SpatialDropout3D: training-only noise, its statistics,
gradients with the noise held fixed, configs and bad input."""
import json

import numpy as np
import pytest

from glassnet import layers
from glassnet.layers.regularization.alpha_dropout import SELU_ALPHA, SELU_SCALE
from glassnet.testing import layer_gradcheck


def data(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def round_trip(layer):
    copy = layers.deserialize(json.loads(json.dumps(layers.serialize(layer))))
    assert type(copy) is type(layer) and copy.get_config() == layer.get_config()
    return copy


def reseeding(layer, seed):
    def before_call():
        layer.seed_generator = np.random.default_rng(seed)
    return before_call


@pytest.mark.parametrize("make", [lambda: layers.GaussianDropout(0.4, dtype="float64"),
                                  lambda: layers.AlphaDropout(0.4, dtype="float64"),
                                  lambda: layers.SpatialDropout3D(0.4, dtype="float64")])
def test_identity_at_inference(make):
    x = data(2, 3, 3, 3, 4)
    for training in (False, None):
        np.testing.assert_array_equal(make()(x, training=training).numpy(), x)


# --- GaussianDropout ----------------------------------------------------------------------
def test_gaussian_dropout_noise_has_mean_one_and_variance_rate_over_one_minus_rate():
    rate = 0.2                                   # σ² = 0.2/0.8 = 0.25
    y = layers.GaussianDropout(rate, seed=0, dtype="float64")(np.ones((500, 400)), training=True).numpy()
    assert abs(y.mean() - 1.0) < 0.005 and abs(y.var() - 0.25) < 0.005


def test_gaussian_dropout_multiplies_by_the_same_noise_it_draws():
    x = data(3, 4, seed=1)
    y = layers.GaussianDropout(0.5, seed=3, dtype="float64")(x, training=True).numpy()
    epsilon = 1.0 + np.random.default_rng(3).standard_normal((3, 4))   # σ = √(0.5/0.5) = 1
    np.testing.assert_allclose(y, x * epsilon, rtol=1e-12)


def test_gaussian_dropout_gradcheck_with_fixed_noise():
    layer = layers.GaussianDropout(0.3, seed=5, dtype="float64")
    layer_gradcheck(layer, data(4, 5), training=True, before_call=reseeding(layer, 5))


def test_gaussian_dropout_config_and_bad_rate():
    assert round_trip(layers.GaussianDropout(0.25, seed=4)).rate == 0.25
    for rate in (1.0, -0.1, "0.5", None):
        with pytest.raises(ValueError, match=r"GaussianDropout: rate must be a number in \[0, 1\)"):
            layers.GaussianDropout(rate)


# --- AlphaDropout -------------------------------------------------------------------------
def test_alpha_dropout_affine_parameters_by_hand():
    # rate 0.5: α' = −λα = −1.7580993…; a = (0.5·(1 + 0.5·α'²))^(−1/2); b = −a·α'·0.5.
    # A kept unit x becomes a·x + b, a dropped one a·α' + b.
    rate, alpha_p = 0.5, -SELU_ALPHA * SELU_SCALE
    a = (0.5 * (1 + 0.5 * alpha_p ** 2)) ** -0.5
    b = -a * alpha_p * 0.5
    x = np.full((50, 40), 2.0)
    y = layers.AlphaDropout(rate, seed=1, dtype="float64")(x, training=True).numpy()
    kept = np.isclose(y, a * 2.0 + b)
    np.testing.assert_allclose(y[~kept], a * alpha_p + b, rtol=1e-12)
    assert abs(kept.mean() - 0.5) < 0.05
    np.testing.assert_allclose(alpha_p, -1.7580993408473766, rtol=1e-15)


def test_alpha_dropout_keeps_mean_zero_and_variance_one():
    x = np.random.default_rng(2).standard_normal((600, 500))
    y = layers.AlphaDropout(0.3, seed=2, dtype="float64")(x, training=True).numpy()
    assert abs(y.mean()) < 0.01 and abs(y.var() - 1.0) < 0.01


def test_alpha_dropout_noise_shape_and_gradcheck():
    layer = layers.AlphaDropout(0.5, noise_shape=(None, 1, 4), seed=3, dtype="float64")
    y = layer(np.ones((3, 5, 4)), training=True).numpy()
    assert (y == y[:, :1, :]).all()                               # one mask for every step
    layer_gradcheck(layer, data(3, 5, 4), training=True, before_call=reseeding(layer, 3))


def test_alpha_dropout_config_and_bad_rate():
    copy = round_trip(layers.AlphaDropout(0.1, noise_shape=[None, 1, 3], seed=2))
    assert copy.noise_shape == (None, 1, 3) and set(copy.get_config()) >= {"rate", "noise_shape", "seed"}
    for rate in (1.0, 1.5, True):
        with pytest.raises(ValueError, match=r"AlphaDropout: rate must be a number in \[0, 1\)"):
            layers.AlphaDropout(rate)


# --- SpatialDropout3D ---------------------------------------------------------------------
def test_spatial_dropout3d_drops_whole_channels():
    rate = 0.5
    y = layers.SpatialDropout3D(rate, seed=4, dtype="float64")(np.ones((8, 2, 3, 2, 16)), training=True).numpy()
    per_channel = y.reshape(8, -1, 16)
    assert (per_channel == per_channel[:, :1, :]).all()           # one draw per sample and channel
    assert set(np.unique(y)) <= {0.0, 2.0}                        # kept: 1/(1 − 0.5)
    assert 0 < (per_channel[:, 0] == 0).mean() < 1


def test_spatial_dropout3d_gradcheck_config_and_bad_input():
    layer = layers.SpatialDropout3D(0.3, seed=6, dtype="float64")
    layer_gradcheck(layer, data(2, 2, 2, 3, 3), training=True, before_call=reseeding(layer, 6))
    config = round_trip(layers.SpatialDropout3D(0.3, seed=1)).get_config()
    assert set(config) == {"rate", "seed", "name", "dtype", "data_format"}   # Keras's keys
    with pytest.raises(ValueError, match=r"5-D input \(batch, depth, height, width, channels\)"):
        layers.SpatialDropout3D(0.3)(np.ones((2, 3, 3, 3)), training=True)
    with pytest.raises(ValueError, match="data_format"):
        layers.SpatialDropout3D(0.3, data_format="channels_middle")


def test_dropout_layers_save_and_load_in_a_glassnet_file(tmp_path):
    import glassnet as gn
    model = gn.Sequential([layers.Input((2, 2, 2, 3)), layers.SpatialDropout3D(0.3, seed=1),
                           layers.GaussianDropout(0.2, seed=2),
                           layers.AlphaDropout(0.1, noise_shape=(None, 1, 1, 1, 3)),
                           layers.Flatten(), layers.Dense(2)])
    x = data(4, 2, 2, 2, 3).astype("float32")
    model.save(tmp_path / "m.glassnet")
    loaded = gn.saving.load_model(tmp_path / "m.glassnet")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.layers[2].noise_shape == (None, 1, 1, 1, 3) and loaded.layers[0].seed == 1

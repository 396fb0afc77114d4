"""Autoencoder builders, the Sampling layer and the VAE's loss (reconstruction + Gaussian KL)."""
import math

import numpy as np
import pytest

import glassnet as gn
from glassnet import backend, layers
from glassnet.applications import (
    VAE,
    conv_autoencoder,
    dense_autoencoder,
    denoising_autoencoder,
    vae_loss,
    variational_autoencoder,
)
from glassnet.applications.autoencoders import dense_decoder, vae_encoder
from glassnet.testing import layer_gradcheck
from tests.gradcheck import gradcheck


@pytest.fixture
def float64():
    previous = backend.floatx()
    backend.set_floatx("float64")
    yield
    backend.set_floatx(previous)


IMAGES = np.random.default_rng(0).random((6, 8, 8, 1))


@pytest.mark.parametrize("build", [dense_autoencoder, conv_autoencoder,
                                   lambda s, d: denoising_autoencoder(s, d, kind="conv", seed=0)])
def test_builders_shapes(build):
    model = build((8, 8, 1), 3)
    assert model.output_shape == (None, 8, 8, 1)
    assert model.get_layer("encoder").output_shape == (None, 3)
    assert model.get_layer("decoder").input_shape == (None, 3)
    out = model.predict(IMAGES.astype("float32"), verbose=0)
    assert out.shape == (6, 8, 8, 1) and out.min() > 0 and out.max() < 1      # the sigmoid output


def test_denoising_noise_only_in_training():
    model = denoising_autoencoder((8, 8, 1), 3, noise_stddev=0.5, seed=0)
    noise = model.get_layer("noise")
    x = IMAGES.astype("float32")
    np.testing.assert_array_equal(noise(x, training=False).numpy(), x)
    assert np.abs(noise(x, training=True).numpy() - x).std() > 0.3


def test_builders_refuse_bad_arguments():
    with pytest.raises(ValueError, match="kind must be 'dense' or 'conv'"):
        denoising_autoencoder((8, 8, 1), 3, kind="lstm")
    with pytest.raises(ValueError, match="latent_dim must be a positive int"):
        dense_autoencoder((8, 8, 1), 0)
    with pytest.raises(ValueError, match="divisible by"):
        conv_autoencoder((10, 10, 1), 3)
    with pytest.raises(ValueError, match="input_shape must be"):
        dense_autoencoder((8, 8), 3)


def test_vae_loss_by_hand(float64):
    # sample 1: x = [1, 0], x̂ = [0.8, 0.4]   BCE = −ln 0.8 − ln 0.6 = 0.223144 + 0.510826 = 0.733969
    #           μ = 0.5, log σ² = ln 2       KL = ½(2 + 0.25 − 1 − ln 2) = ½(1.25 − 0.693147) = 0.278426
    # sample 2: x = [0, 1], x̂ = [0.5, 0.5]   BCE = 2 ln 2 = 1.386294;  μ = 0, log σ² = 0: KL = 0
    # means:    reconstruction = 1.060132, KL = 0.139213, total = 1.199345
    x = np.array([[1.0, 0.0], [0.0, 1.0]])
    x_hat = np.array([[0.8, 0.4], [0.5, 0.5]])
    z_mean = np.array([[0.5], [0.0]])
    z_log_var = np.array([[math.log(2.0)], [0.0]])
    total, reconstruction, kl = vae_loss(x, gn.Tensor(x_hat), gn.Tensor(z_mean), gn.Tensor(z_log_var))
    assert reconstruction.numpy() == pytest.approx((-math.log(0.8) - math.log(0.6) + 2 * math.log(2)) / 2, abs=1e-6)
    assert kl.numpy() == pytest.approx(0.5 * (2 + 0.25 - 1 - math.log(2)) / 2, abs=1e-9)
    assert total.numpy() == pytest.approx(1.199345, abs=1e-6)


def _tiny_vae(seed=3):
    gn.utils.set_random_seed(0)
    encoder = vae_encoder((4, 4, 1), 2, kind="dense", seed=seed)
    return VAE(encoder, dense_decoder((4, 4, 1), 2, hidden_units=(8,)))


def _reseed(vae, seed=3):
    vae.encoder.get_layer("z").seed_generator = np.random.default_rng(seed)


def test_vae_step_loss_is_reconstruction_plus_kl(float64):
    vae = _tiny_vae()
    vae.compile(optimizer=gn.optimizers.SGD(0.01))
    x = np.random.default_rng(1).random((5, 4, 4, 1))
    _reseed(vae)
    out = vae.losses_of(x, training=True)
    mu, log_var, x_hat = out["z_mean"].numpy(), out["z_log_var"].numpy(), out["reconstruction"].numpy()
    bce = -(x * np.log(x_hat) + (1 - x) * np.log(1 - x_hat))
    reconstruction = bce.reshape(5, -1).sum(axis=1).mean()
    kl = (0.5 * (np.exp(log_var) + mu ** 2 - 1 - log_var)).sum(axis=1).mean()
    assert out["reconstruction_loss"].numpy() == pytest.approx(reconstruction, abs=1e-9)
    assert out["kl_loss"].numpy() == pytest.approx(kl, abs=1e-9)
    assert out["loss"].numpy() == pytest.approx(reconstruction + kl, abs=1e-9)
    # z = μ + exp(½ log σ²)·ε with the same ε the layer drew
    epsilon = np.random.default_rng(3).standard_normal((5, 2))
    np.testing.assert_allclose(out["z"].numpy(), mu + np.exp(0.5 * log_var) * epsilon, atol=1e-12)

    # fit's first (and only) step reports that same loss, computed before its update, and moves the weights
    before = [w.numpy().copy() for w in vae.trainable_weights]
    _reseed(vae)
    history = vae.fit(x, batch_size=5, epochs=1, shuffle=False, verbose=0).history
    assert history["loss"][0] == pytest.approx(reconstruction + kl, abs=1e-9)
    assert history["kl_loss"][0] == pytest.approx(kl, abs=1e-9)
    assert all(not np.array_equal(b, w.numpy()) for b, w in zip(before, vae.trainable_weights))


def test_sampling_gradcheck_and_formula(float64):
    layer = layers.Sampling(seed=7, dtype="float64")
    rng = np.random.default_rng(0)
    mu, log_var = rng.standard_normal((3, 2)), rng.standard_normal((3, 2))
    z = layer([mu, log_var]).numpy()
    np.testing.assert_allclose(z, mu + np.exp(0.5 * log_var) * np.random.default_rng(7).standard_normal((3, 2)),
                               atol=1e-12)

    def reseed():
        layer.seed_generator = np.random.default_rng(7)

    assert layer_gradcheck(layer, [mu, log_var], before_call=reseed)

    def sample(m, v):             # the same check through tests/gradcheck.py
        reseed()
        return layer([m, v])

    assert gradcheck(sample, [mu, log_var])


def test_sampling_refuses_mismatched_inputs():
    with pytest.raises(ValueError, match="same shape"):
        layers.Sampling()([np.zeros((2, 3)), np.zeros((2, 2))])
    with pytest.raises(ValueError, match=r"list \[z_mean, z_log_var\]"):
        layers.Sampling()(np.zeros((2, 3)))


def test_vae_save_load_round_trip(tmp_path):
    vae = variational_autoencoder((4, 4, 1), 2, kind="dense", seed=0)
    vae.compile(optimizer="adam")
    x = np.random.default_rng(2).random((4, 4, 4, 1)).astype("float32")
    vae.fit(x, epochs=1, batch_size=4, verbose=0)
    with pytest.warns(UserWarning, match="Keras 3 cannot rebuild"):
        vae.save(tmp_path / "vae.keras")
    loaded = gn.models.load_model(tmp_path / "vae.keras")
    assert type(loaded) is VAE
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), vae.predict(x, verbose=0))   # decoder(μ)
    assert loaded.evaluate(x, verbose=0, return_dict=True).keys() == {"loss", "reconstruction_loss", "kl_loss"}


def test_vae_refuses_non_models():
    with pytest.raises(ValueError, match="encoder and decoder must be glassnet Models"):
        VAE(layers.Dense(2), layers.Dense(2))

"""The DCGAN's builders and its two-optimizer train_step."""
import numpy as np
import pytest

import glassnet as gn
from glassnet.applications import DCGAN, dcgan_discriminator, dcgan_generator


def small_gan(smoothing=0.1):
    gn.utils.set_random_seed(0)
    gan = DCGAN(dcgan_generator(4, (8, 8, 1), filters=(8, 4)), dcgan_discriminator((8, 8, 1), filters=(4, 8)),
                latent_dim=4, label_smoothing=smoothing, seed=0)
    gan.compile()
    return gan


def test_builders_shapes():
    generator = dcgan_generator(16, (28, 28, 1), filters=(16, 8))
    discriminator = dcgan_discriminator((28, 28, 1), filters=(8, 16))
    assert generator.output_shape == (None, 28, 28, 1)
    assert discriminator.output_shape == (None, 1)
    kinds = [type(layer).__name__ for layer in generator.layers]
    assert kinds.count("Conv2DTranspose") == 2 and "BatchNormalization" in kinds and "LeakyReLU" in kinds
    images = generator.predict(np.random.default_rng(0).standard_normal((3, 16)).astype("float32"), verbose=0)
    assert images.shape == (3, 28, 28, 1) and np.abs(images).max() <= 1.0       # tanh
    p = discriminator.predict(images, verbose=0)
    assert ((p > 0) & (p < 1)).all()


def test_train_step_updates_both_networks():
    gan = small_gan()
    assert (gan.d_optimizer.learning_rate, gan.d_optimizer.beta_1) == (pytest.approx(2e-4), 0.5)
    x = np.random.default_rng(0).uniform(-1, 1, (32, 8, 8, 1)).astype("float32")
    g_before = [w.numpy().copy() for w in gan.generator.trainable_weights]
    d_before = [w.numpy().copy() for w in gan.discriminator.trainable_weights]
    history = gan.fit(x, batch_size=16, epochs=2, verbose=0).history
    assert set(history) == {"d_loss", "g_loss", "d_real", "d_fake"}
    assert all(len(v) == 2 and np.isfinite(v).all() for v in history.values())
    assert all(0 < v < 1 for v in history["d_real"] + history["d_fake"])
    assert all(not np.array_equal(b, w.numpy()) for b, w in zip(g_before, gan.generator.trainable_weights))
    assert all(not np.array_equal(b, w.numpy()) for b, w in zip(d_before, gan.discriminator.trainable_weights))
    # each optimizer took exactly its own network's steps: 2 batches × 2 epochs
    assert gan.d_optimizer.iterations == 4 and gan.g_optimizer.iterations == 4
    assert gan.predict(np.zeros((2, 4), "float32"), verbose=0).shape == (2, 8, 8, 1)


def test_discriminator_loss_uses_smoothed_real_labels():
    # with D's output fixed at p for every image, L_D = −ln(p)(1 − s) − ln(1 − p)s − ln(1 − p)
    gan = small_gan(smoothing=0.1)
    dense = gan.discriminator.layers[-1]
    dense.kernel.assign(np.zeros(dense.kernel.shape))
    dense.bias.assign(np.array([np.log(0.6 / 0.4)]))          # σ(bias) = 0.6 for every image
    gan.d_optimizer = gn.optimizers.SGD(0.0)                    # keep D fixed during the step
    d_before = [w.numpy().copy() for w in gan.discriminator.trainable_weights]
    logs = gan.train_step(np.zeros((4, 8, 8, 1), "float32"))
    # G's step ran through D but moved only G's weights
    assert all(np.array_equal(b, w.numpy()) for b, w in zip(d_before, gan.discriminator.trainable_weights))
    expected = -(0.9 * np.log(0.6) + 0.1 * np.log(0.4)) - np.log(0.4)
    assert logs["d_loss"] == pytest.approx(expected, abs=1e-5)
    assert logs["d_real"] == pytest.approx(0.6, abs=1e-6) and logs["d_fake"] == pytest.approx(0.6, abs=1e-6)
    assert logs["g_loss"] == pytest.approx(-np.log(0.6), abs=1e-5)


def test_bad_arguments():
    with pytest.raises(ValueError, match="label_smoothing must be a number in"):
        DCGAN(dcgan_generator(4, (8, 8, 1)), dcgan_discriminator((8, 8, 1)), 4, label_smoothing=0.7)
    with pytest.raises(ValueError, match="divisible by 4"):
        dcgan_generator(4, (10, 10, 1))
    with pytest.raises(ValueError, match="must be glassnet Models"):
        DCGAN(gn.layers.Dense(2), dcgan_discriminator((8, 8, 1)), 4)


def test_save_load_round_trip(tmp_path):
    gan = small_gan()
    gan.fit(np.random.default_rng(1).uniform(-1, 1, (16, 8, 8, 1)).astype("float32"), batch_size=16, verbose=0)
    with pytest.warns(UserWarning):                 # a glassnet-only class: Keras could not rebuild it
        gan.save(tmp_path / "gan.keras")
    loaded = gn.models.load_model(tmp_path / "gan.keras")
    assert type(loaded) is DCGAN and loaded.latent_dim == 4 and loaded.label_smoothing == 0.1
    for a, b in zip(gan.generator.get_weights() + gan.discriminator.get_weights(),
                    loaded.generator.get_weights() + loaded.discriminator.get_weights()):
        np.testing.assert_array_equal(a, b)

"""Augmentation inside a model: active in fit, silent in predict, saved and loaded with the model."""
import numpy as np

import glassnet as gn
from glassnet import layers


def augmented_model(seed=0):
    return gn.Sequential([
        layers.Input((28, 28, 1)),
        layers.RandomFlip("horizontal", seed=seed),
        layers.RandomRotation(0.1, seed=seed + 1),
        layers.Rescaling(1 / 255),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ])


def data(n=64):
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, (n, 28, 28, 1)).astype("uint8"), rng.integers(0, 10, n)


def test_fit_one_epoch_then_save_and_load(tmp_path):
    gn.utils.set_random_seed(0)
    x, y = data()
    model = augmented_model()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    assert model.output_shape == (None, 10)
    # augmentation only in training: predict is deterministic, a training call is not
    np.testing.assert_array_equal(model.predict(x[:8], verbose=0), model.predict(x[:8], verbose=0))
    a, b = model(x[:8], training=True).numpy(), model(x[:8], training=True).numpy()
    assert not np.allclose(a, b)
    np.testing.assert_allclose(model(x[:8], training=False).numpy(), model.predict(x[:8], verbose=0), rtol=1e-6)
    path = tmp_path / "augmented.glassnet"
    model.save(path)
    loaded = gn.models.load_model(path)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert [type(layer).__name__ for layer in loaded.layers] == [type(layer).__name__ for layer in model.layers]
    assert loaded.layers[1].get_config() == model.layers[1].get_config()


def test_seeded_training_runs_repeat():
    x, y = data(32)
    losses = []
    for _ in range(2):
        gn.utils.set_random_seed(1)
        model = augmented_model()
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
        losses.append(model.fit(x, y, batch_size=8, epochs=1, verbose=0).history["loss"])
    assert losses[0] == losses[1]


def test_functional_pipeline_with_resizing_and_crop():
    inputs = layers.Input((28, 28, 1))
    x = layers.Resizing(32, 32)(inputs)
    x = layers.RandomCrop(24, 24, seed=0)(x)
    x = layers.RandomZoom(0.1, seed=1)(x)
    x = layers.RandomTranslation(0.1, 0.1, seed=2)(x)
    x = layers.RandomContrast(0.2, seed=3)(x)
    x = layers.RandomBrightness(0.1, seed=4)(x)
    x = layers.CenterCrop(20, 20)(x)
    outputs = layers.Dense(3)(layers.Flatten()(layers.Rescaling(1 / 255)(x)))
    model = gn.Model(inputs, outputs)
    images, _ = data(8)
    assert model.predict(images, verbose=0).shape == (8, 3)
    assert model(images, training=True).shape == (8, 3)

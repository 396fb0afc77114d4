"""The pooling, spatial reshaping and spatial dropout layers in configs and in models.

Every class round-trips through get_config → JSON → from_config / deserialize with the same
output; Sequential models built from them fit one epoch, save and load with identical
predictions.
"""
import json

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers

rng = np.random.default_rng(0)
IMAGES = rng.standard_normal((2, 6, 5, 3))
SEQUENCES = rng.standard_normal((2, 7, 3))

CASES = [
    (lambda: layers.MaxPooling2D((3, 2), strides=(2, 1), padding="same"), IMAGES),
    (lambda: layers.MaxPooling1D(3, strides=2, padding="same"), SEQUENCES),
    (lambda: layers.AveragePooling2D(3, strides=2, padding="same"), IMAGES),
    (lambda: layers.AveragePooling1D(2, strides=1), SEQUENCES),
    (lambda: layers.GlobalMaxPooling2D(keepdims=True), IMAGES),
    (lambda: layers.GlobalMaxPooling1D(), SEQUENCES),
    (lambda: layers.GlobalAveragePooling2D(), IMAGES),
    (lambda: layers.GlobalAveragePooling1D(keepdims=True), SEQUENCES),
    (lambda: layers.UpSampling2D((2, 3), interpolation="bilinear"), IMAGES),
    (lambda: layers.UpSampling1D(3), SEQUENCES),
    (lambda: layers.ZeroPadding2D(((1, 2), (0, 3))), IMAGES),
    (lambda: layers.ZeroPadding1D((2, 0)), SEQUENCES),
    (lambda: layers.Cropping2D(((1, 2), (0, 3))), IMAGES),
    (lambda: layers.Cropping1D((0, 2)), SEQUENCES),
    (lambda: layers.SpatialDropout2D(0.3, seed=2), IMAGES),
    (lambda: layers.SpatialDropout1D(0.3, seed=2), SEQUENCES),
]


@pytest.mark.parametrize("make, inputs", CASES, ids=[type(make()).__name__ for make, _ in CASES])
def test_config_round_trip(make, inputs):
    original = make()
    expected = original(inputs, training=False).numpy()
    saved = json.loads(json.dumps(layers.serialize(original)))
    for copy in (type(original).from_config(original.get_config()), layers.deserialize(saved)):
        assert type(copy) is type(original)
        assert copy.get_config() == original.get_config()
        np.testing.assert_array_equal(copy(inputs, training=False).numpy(), expected)


def _fit_save_load(model, x, y, tmp_path):
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    before = [w.copy() for w in model.get_weights()]
    history = model.fit(x, y, epochs=1, batch_size=8, verbose=0).history
    assert np.isfinite(history["loss"][0])
    assert any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights()))   # it trained
    path = str(tmp_path / "model.glassnet")
    model.save(path)
    loaded = gn.models.load_model(path)
    assert [type(layer) for layer in loaded.layers] == [type(layer) for layer in model.layers]
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_image_model_fits_saves_and_loads(tmp_path):
    model = gn.Sequential([
        layers.Input((8, 8, 2)),
        layers.Dense(4, activation="relu"),                  # per pixel: a 1×1 convolution
        layers.ZeroPadding2D(((1, 0), (0, 1))),              # 9×9
        layers.MaxPooling2D(3, strides=2, padding="same"),   # 5×5
        layers.SpatialDropout2D(0.2, seed=1),
        layers.UpSampling2D(2, interpolation="bilinear"),    # 10×10
        layers.Cropping2D(((1, 1), (2, 0))),                 # 8×8
        layers.AveragePooling2D(2),                          # 4×4
        layers.UpSampling2D(),                               # 8×8
        layers.MaxPooling2D(),                               # 4×4
        layers.GlobalAveragePooling2D(keepdims=True),        # 1×1
        layers.Flatten(),
        layers.Dense(3, activation="softmax"),
    ])
    assert model.layers[-3].compute_output_shape((None, 4, 4, 4)) == (None, 1, 1, 4)
    x = rng.standard_normal((24, 8, 8, 2)).astype("float32")
    _fit_save_load(model, x, rng.integers(0, 3, 24), tmp_path)


def test_sequence_model_fits_saves_and_loads(tmp_path):
    model = gn.Sequential([
        layers.Input((10, 3)),
        layers.Dense(4, activation="tanh"),
        layers.ZeroPadding1D(1),                             # 12
        layers.MaxPooling1D(3, strides=2, padding="same"),   # 6
        layers.SpatialDropout1D(0.2, seed=1),
        layers.UpSampling1D(2),                              # 12
        layers.Cropping1D((1, 2)),                           # 9
        layers.AveragePooling1D(2, padding="same"),          # 5
        layers.GlobalMaxPooling1D(),
        layers.Dense(2, activation="softmax"),
    ])
    x = rng.standard_normal((24, 10, 3)).astype("float32")
    _fit_save_load(model, x, rng.integers(0, 2, 24), tmp_path)


def test_functional_model_with_global_average_pooling(tmp_path):
    inputs = layers.Input((6, 3))
    pooled = layers.GlobalAveragePooling1D()(layers.Dense(4)(inputs))
    model = gn.Model(inputs, layers.Dense(2, activation="softmax")(pooled))
    x = rng.standard_normal((16, 6, 3)).astype("float32")
    _fit_save_load(model, x, rng.integers(0, 2, 16), tmp_path)


def test_functional_graphs_keep_unknown_lengths_unknown():
    # the output shapes come from compute_output_shape, not from running the layers on zeros of
    # length 2 and 3 (which would give a length 1 for a pool of 2, and fail for a pool of 4)
    steps = layers.Input((None, 3))
    assert layers.MaxPooling1D(2)(steps).shape == (None, None, 3)
    assert layers.AveragePooling1D(4, padding="same")(steps).shape == (None, None, 3)
    assert layers.Cropping1D(3)(steps).shape == (None, None, 3)
    assert layers.SpatialDropout1D(0.5)(steps).shape == (None, None, 3)
    images = layers.Input((None, 6, 2))
    assert layers.MaxPooling2D(3, strides=2, padding="same")(images).shape == (None, None, 3, 2)
    assert layers.UpSampling2D((2, 3))(images).shape == (None, None, 18, 2)
    assert layers.ZeroPadding2D(((1, 0), (2, 2)))(images).shape == (None, None, 10, 2)
    assert layers.GlobalAveragePooling2D(keepdims=True)(images).shape == (None, 1, 1, 2)


def test_a_model_over_sequences_of_any_length(tmp_path):
    inputs = layers.Input((None, 3))
    hidden = layers.MaxPooling1D(4, strides=2)(layers.Dense(5, activation="relu")(inputs))
    model = gn.Model(inputs, layers.Dense(2, activation="softmax")(layers.GlobalMaxPooling1D()(hidden)))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(rng.standard_normal((16, 9, 3)).astype("float32"), rng.integers(0, 2, 16), epochs=1, verbose=0)
    for length in (4, 13):
        assert model.predict(rng.standard_normal((3, length, 3)).astype("float32"), verbose=0).shape == (3, 2)
    with pytest.raises(ValueError, match=r"pool_size \(4,\) does not fit the input of shape \(3, 2, 5\)"):
        model.predict(rng.standard_normal((3, 2, 3)).astype("float32"), verbose=0)

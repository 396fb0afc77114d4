"""The Random* augmentation layers: training-only randomness, hand-worked cases, gradients, configs, bad input."""
import json
import re

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers
from glassnet.testing import layer_gradcheck

rng = np.random.default_rng(0)
IMAGES = rng.uniform(0, 1, (3, 6, 7, 2)).astype("float32")

RANDOM_LAYERS = [
    lambda **kw: layers.RandomFlip(**kw),
    lambda **kw: layers.RandomTranslation(0.3, (-0.2, 0.4), **kw),
    lambda **kw: layers.RandomZoom(0.3, **kw),
    lambda **kw: layers.RandomRotation(0.2, **kw),
    lambda **kw: layers.RandomContrast((0.5, 0.5), value_range=(0, 1), **kw),
    lambda **kw: layers.RandomBrightness(0.3, value_range=(0, 1), **kw),
    lambda **kw: layers.RandomCrop(4, 5, **kw),
]
IDS = ["flip", "translation", "zoom", "rotation", "contrast", "brightness", "crop"]


@pytest.mark.parametrize("make", RANDOM_LAYERS[:-1], ids=IDS[:-1])
def test_identity_at_inference(make):
    layer = make(seed=1)
    x = gn.Tensor(IMAGES)
    for training in (False, None):
        assert layer(x, training=training) is x            # the same tensor, untouched
    assert layer(IMAGES).dtype == np.float32


@pytest.mark.parametrize("make", RANDOM_LAYERS, ids=IDS)
def test_seeded_runs_repeat_and_differ_from_the_input(make):
    a, b = make(seed=3), make(seed=3)
    first = a(IMAGES, training=True).numpy()
    np.testing.assert_array_equal(first, b(IMAGES, training=True).numpy())       # same seed, same output
    assert first.shape == a.compute_output_shape(IMAGES.shape)
    if first.shape == IMAGES.shape:
        assert not np.allclose(first, IMAGES)
    gn.utils.set_random_seed(11)
    c = make()(IMAGES, training=True).numpy()
    gn.utils.set_random_seed(11)
    np.testing.assert_array_equal(c, make()(IMAGES, training=True).numpy())     # global seed repeats too


@pytest.mark.parametrize("make", RANDOM_LAYERS, ids=IDS)
def test_one_image_and_integer_pixels(make):
    layer = make(seed=5)
    single = layer(IMAGES[0], training=True)
    assert single.shape == layer.compute_output_shape(IMAGES[0].shape)
    pixels = (IMAGES * 255).astype("uint8")
    for training in (True, False):
        out = layer(pixels, training=training)
        assert out.dtype == np.float32                      # integer pixels come out as floats


def test_random_flip_of_a_2x3_image():
    image = np.arange(6.0).reshape(1, 2, 3, 1)       # [[0 1 2], [3 4 5]]
    flips = {"flips": np.ones((1, 1, 1, 1), bool)}
    cases = {"horizontal": [[2, 1, 0], [5, 4, 3]], "vertical": [[3, 4, 5], [0, 1, 2]],
             "horizontal_and_vertical": [[5, 4, 3], [2, 1, 0]]}
    for mode, expected in cases.items():
        out = layers.RandomFlip(mode).transform_images(image, flips).numpy()
        np.testing.assert_array_equal(out[0, :, :, 0], expected)
    kept = layers.RandomFlip().transform_images(image, {"flips": np.zeros((1, 1, 1, 1), bool)}).numpy()
    np.testing.assert_array_equal(kept, image)


def test_random_flip_flips_about_half_the_images():
    x = np.arange(4.0).reshape(1, 1, 4, 1).repeat(400, axis=0)
    out = layers.RandomFlip("horizontal", seed=0)(x, training=True).numpy()
    flipped = (out[:, 0, 0, 0] == 3).mean()
    assert 0.4 < flipped < 0.6
    assert set(out[:, 0, 0, 0]) == {0.0, 3.0}


def test_random_rotation_by_a_quarter_turn_is_rot90():
    image = rng.random((2, 5, 5, 3)).astype("float32")
    out = layers.RandomRotation((0.25, 0.25), seed=0)(image, training=True).numpy()
    np.testing.assert_allclose(out, np.rot90(image, k=1, axes=(1, 2)), atol=1e-5)     # counter-clockwise
    out = layers.RandomRotation((-0.25, -0.25), seed=0)(image, training=True).numpy()
    np.testing.assert_allclose(out, np.rot90(image, k=-1, axes=(1, 2)), atol=1e-5)


def test_random_translation_by_exactly_one_pixel():
    image = np.arange(1.0, 13.0).reshape(1, 3, 4, 1)
    # width_factor 0.25 of a width of 4 = one pixel right; height 0
    layer = layers.RandomTranslation((0.0, 0.0), (0.25, 0.25), fill_mode="constant", fill_value=-1.0, seed=0)
    out = layer(image, training=True).numpy()
    np.testing.assert_array_equal(out[0, :, :, 0], [[-1, 1, 2, 3], [-1, 5, 6, 7], [-1, 9, 10, 11]])
    layer = layers.RandomTranslation((1 / 3, 1 / 3), 0.0, fill_mode="wrap", seed=0)     # one row down, wrapping
    np.testing.assert_allclose(layer(image, training=True).numpy(), np.roll(image, 1, axis=1), atol=1e-12)


def test_random_zoom_of_zero_is_the_identity_and_signs_follow_keras():
    x = rng.random((2, 6, 6, 1))
    np.testing.assert_allclose(layers.RandomZoom(0.0, seed=0)(x, training=True).numpy(), x, atol=1e-6)
    image = np.zeros((1, 9, 9, 1))
    image[0, 2:7, 2:7] = 1.0                                   # a 5×5 square in the middle
    zoom_out = layers.RandomZoom((0.5, 0.5), fill_mode="constant", seed=0)(image, training=True).numpy()
    zoom_in = layers.RandomZoom((-0.5, -0.5), fill_mode="constant", seed=0)(image, training=True).numpy()
    assert zoom_out.sum() < image.sum() < zoom_in.sum()          # positive factor = zoom out (smaller square)


def test_random_contrast_formula_and_clipping():
    image = np.array([0.2, 0.4, 0.6, 1.0]).reshape(1, 2, 2, 1)            # mean 0.55
    layer = layers.RandomContrast((0.0, 1.0), value_range=(0, 1))
    out = layer.transform_images(image, {"contrast_factor": np.full((1, 1, 1, 1), 2.0)}).numpy()
    # (x − 0.55)·2 + 0.55 = −0.15, 0.25, 0.65, 1.45 → clipped to [0, 1]
    np.testing.assert_allclose(out.ravel(), [0.0, 0.25, 0.65, 1.0], atol=1e-12)
    out = layers.RandomContrast(1.0, value_range=(0, 1), seed=0)(IMAGES, training=True).numpy()
    assert out.min() >= 0 and out.max() <= 1
    assert layers.RandomContrast(0.2).factor == (0.0, 0.2)      # Keras's rule: one number f → (0, f)


def test_random_brightness_formula_and_clipping():
    image = np.array([0.0, 100.0, 200.0, 255.0]).reshape(1, 2, 2, 1)
    layer = layers.RandomBrightness(0.5)
    out = layer.transform_images(image, {"rgb_delta": np.full((1, 1, 1, 1), 0.2 * 255)}).numpy()
    np.testing.assert_allclose(out.ravel(), [51.0, 151.0, 251.0, 255.0])          # + 0.2·255, clipped at 255
    out = layers.RandomBrightness(1.0, value_range=(0, 1), seed=2)(IMAGES, training=True).numpy()
    assert out.min() >= 0 and out.max() <= 1
    assert layers.RandomBrightness(0.3).factor == (-0.3, 0.3)
    assert layers.RandomBrightness((-0.1, 0.4), value_range=(255, 0)).value_range == [0.0, 255.0]


def test_random_crop_windows_and_inference():
    image = np.arange(48.0).reshape(1, 6, 8, 1)
    layer = layers.RandomCrop(3, 4, seed=0)
    out = layer.transform_images(image, (2, 1)).numpy()
    np.testing.assert_array_equal(out[0, :, :, 0], image[0, 2:5, 1:5, 0])
    crops = np.stack([layer(image, training=True).numpy() for _ in range(30)])
    assert len({c.tobytes() for c in crops}) > 5                  # different windows
    for c in crops:                                               # each a window of the image
        top, left = divmod(int(c[0, 0, 0, 0]), 8)
        np.testing.assert_array_equal(c[0, :, :, 0], image[0, top:top + 3, left:left + 4, 0])
    # inference: the largest central 6×8 window of aspect 3:4, resized to 3×4
    expected = gn.layers.Resizing(3, 4)(image).numpy()
    np.testing.assert_allclose(layer(image).numpy(), expected)
    # an image too small is resized up in training too
    assert layers.RandomCrop(10, 10, seed=0)(image, training=True).shape == (1, 10, 10, 1)


# --- gradients: identity at inference, and the fixed-seed transform in training -----------------
GRADCHECKED = [
    (lambda: layers.RandomFlip(seed=1, dtype="float64"), {}),
    (lambda: layers.RandomTranslation(0.3, 0.3, seed=2, dtype="float64"), {}),
    (lambda: layers.RandomTranslation(0.3, 0.3, fill_mode="constant", fill_value=0.5, interpolation="nearest",
                                      seed=2, dtype="float64"), {}),
    (lambda: layers.RandomZoom(0.4, 0.3, fill_mode="wrap", seed=3, dtype="float64"), {}),
    (lambda: layers.RandomRotation(0.3, fill_mode="nearest", seed=4, dtype="float64"), {}),
    (lambda: layers.RandomContrast(0.5, value_range=(-100, 100), seed=5, dtype="float64"), {}),
    (lambda: layers.RandomBrightness(0.5, value_range=(-100, 100), seed=6, dtype="float64"), {}),
    (lambda: layers.RandomCrop(3, 4, seed=7, dtype="float64"), {}),
    (lambda: layers.RandomCrop(5, 7, seed=7, dtype="float64"), {}),           # the resizing branch
]


@pytest.mark.parametrize("make, _", GRADCHECKED, ids=lambda v: "" if isinstance(v, dict) else None)
def test_random_layers_gradcheck(make, _):
    x = rng.standard_normal((2, 4, 6, 2))
    layer_gradcheck(make(), x, training=False)            # inference (identity; RandomCrop: smart resize)
    layer = make()

    def reseed():                                         # every evaluation draws the same transformation
        layer.seed_generator = np.random.default_rng(layer.seed)

    layer_gradcheck(layer, x, training=True, before_call=reseed)


# --- configs -------------------------------------------------------------------------------------
CONFIGURED = [
    lambda: layers.RandomFlip("vertical", seed=3),
    lambda: layers.RandomTranslation((-0.1, 0.2), 0.3, fill_mode="constant", interpolation="nearest", seed=1,
                                     fill_value=0.5),
    lambda: layers.RandomZoom((-0.2, 0.1), None, fill_mode="wrap", seed=2),
    lambda: layers.RandomRotation((-0.1, 0.3), fill_mode="nearest", fill_value=1.0, seed=4),
    lambda: layers.RandomContrast(0.3, value_range=(0, 1), seed=5),
    lambda: layers.RandomBrightness((-0.2, 0.1), value_range=(1, 0), seed=6),
    lambda: layers.RandomCrop(3, 4, seed=7),
]


@pytest.mark.parametrize("make", CONFIGURED, ids=IDS)
def test_config_round_trip_repeats_the_seeded_output(make):
    original = make()
    saved = json.loads(json.dumps(layers.serialize(original)))
    copy = layers.deserialize(saved)
    assert type(copy) is type(original) and copy.get_config() == original.get_config()
    assert type(original).from_config(original.get_config()).get_config() == original.get_config()
    np.testing.assert_array_equal(copy(IMAGES, training=True).numpy(), original(IMAGES, training=True).numpy())
    assert original.get_config()["data_format"] == "channels_last"


def test_keras_config_keys():
    assert set(layers.RandomRotation(0.1).get_config()) == {"name", "trainable", "dtype", "data_format", "factor",
                                                           "fill_mode", "fill_value", "interpolation", "seed"}
    assert layers.RandomRotation(0.1).get_config()["factor"] == (-0.1, 0.1)
    assert set(layers.RandomZoom(0.1).get_config()) >= {"height_factor", "width_factor", "fill_mode", "interpolation",
                                                         "seed", "fill_value", "data_format"}


# --- bad input -------------------------------------------------------------------------------------
@pytest.mark.parametrize("make, match", [
    (lambda: layers.RandomRotation(1.5), r"RandomRotation: factor .*1\.5"),
    (lambda: layers.RandomRotation("0.1"), "RandomRotation: factor"),
    (lambda: layers.RandomRotation((0.1, 0.2, 0.3)), "RandomRotation: factor"),
    (lambda: layers.RandomRotation(0.1, fill_mode="reflekt"), "RandomRotation: fill_mode .*'reflekt'"),
    (lambda: layers.RandomRotation(0.1, interpolation="bilinaer"), "RandomRotation: interpolation .*'bilinaer'"),
    (lambda: layers.RandomRotation(0.1, fill_value="black"), "RandomRotation: fill_value"),
    (lambda: layers.RandomTranslation(1.2, 0.1), r"RandomTranslation: height_factor .*1\.2"),
    (lambda: layers.RandomTranslation(0.1, (-1.5, 0)), "RandomTranslation: width_factor"),
    (lambda: layers.RandomZoom(-1.0), r"RandomZoom: height_factor .*\(-1, 1\]"),
    (lambda: layers.RandomZoom(0.1, 2.0), "RandomZoom: width_factor"),
    (lambda: layers.RandomFlip("diagonal"), "RandomFlip: mode .*'diagonal'"),
    (lambda: layers.RandomContrast(-0.1), "RandomContrast: factor"),
    (lambda: layers.RandomContrast(1.5), "RandomContrast: factor"),
    (lambda: layers.RandomContrast(0.2, value_range=(1, 0)), "RandomContrast: value_range"),
    (lambda: layers.RandomContrast(0.2, value_range=(0,)), "RandomContrast: value_range"),
    (lambda: layers.RandomBrightness(2.0), "RandomBrightness: factor"),
    (lambda: layers.RandomBrightness((1.5, 2.0)), "RandomBrightness: factor"),
    (lambda: layers.RandomBrightness(0.1, value_range=(3, 3)), "RandomBrightness: value_range"),
    (lambda: layers.RandomBrightness(0.1, value_range="0-255"), "RandomBrightness: value_range"),
    (lambda: layers.RandomCrop(0, 3), "RandomCrop: height"),
    (lambda: layers.RandomCrop(3, 2.5), "RandomCrop: width"),
    (lambda: layers.RandomFlip(seed=-1), "seed"),
    (lambda: layers.RandomFlip(data_format="channels_first"), "channels_first"),
])
def test_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize("make", RANDOM_LAYERS, ids=IDS)
def test_wrong_rank_names_the_layer(make):
    layer = make()
    for shape in ((4, 5), (2, 3, 4, 5, 1)):
        with pytest.raises(ValueError, match=rf"{type(layer).__name__} .*got shape {re.escape(str(shape))}"):
            layer(np.zeros(shape, "float32"), training=True)

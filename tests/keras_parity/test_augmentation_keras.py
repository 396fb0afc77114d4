"""Keras 3's colour, tone, filter, geometric and mixing augmentations against glassnet's.

The layers draw from different random streams, so each is compared through its
transformation: the same fixed parameters (Keras's dict, or Keras's array for
RandomGrayscale) go to Keras's ``transform_images`` and to glassnet's, in float64 on both
sides (fixture ``keras_float64``). The deterministic layers (AutoContrast, Equalization) are
called on the same images. The configs must have Keras's keys.
"""
import numpy as np
import pytest

import glassnet as gn
from glassnet import layers as G

keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")
torch.set_num_threads(1)

K = keras.layers
rng = np.random.default_rng(0)
IMAGES = rng.uniform(0, 255, (3, 6, 7, 3))
UNIT = IMAGES / 255.0
TOL = {"atol": 1e-9, "rtol": 1e-9}


def numpy(x):
    return x.numpy() if isinstance(x, gn.Tensor) else keras.ops.convert_to_numpy(x)


def to_keras(value):
    if isinstance(value, dict):
        return {k: to_keras(v) for k, v in value.items()}
    return keras.ops.convert_to_tensor(value) if isinstance(value, np.ndarray) else value


def transforms(g_layer, k_layer, transformation, images=IMAGES):
    """(glassnet's, Keras's) output for the same transformation."""
    expected = numpy(k_layer.transform_images(keras.ops.convert_to_tensor(images), to_keras(transformation),
                                              training=True))
    got = g_layer.transform_images(gn.Tensor(images), transformation, training=True).numpy()
    assert got.shape == expected.shape
    return got, expected


def assert_same_transform(g_layer, k_layer, transformation, images=IMAGES, **tolerance):
    got, expected = transforms(g_layer, k_layer, transformation, images)
    np.testing.assert_allclose(got, expected, **(tolerance or TOL))


def assert_same_config(g_layer, k_layer, extra=()):
    g, k = g_layer.get_config(), k_layer.get_config()
    assert set(g) - {"dtype", "name", "trainable"} - set(extra) == set(k) - {"dtype", "name", "trainable"}
    for key in set(k) - {"dtype", "name", "trainable", "data_format", "seed"}:
        assert g[key] == (tuple(k[key]) if isinstance(k[key], tuple) else k[key]), key


pytestmark = pytest.mark.usefixtures("keras_float64")


# --- colour ----------------------------------------------------------------------------------
def test_random_grayscale():
    g, k = G.RandomGrayscale(0.7), K.RandomGrayscale(0.7)
    assert_same_transform(g, k, np.array([True, False, True]).reshape(3, 1, 1, 1))
    assert_same_config(g, k, extra={"seed"})                   # glassnet keeps the seed in the config


@pytest.mark.parametrize("factor, value_range", [(0.5, (0, 255)), ((-0.3, 0.9), (255, 0))])
def test_random_color_degeneration(factor, value_range):
    g = G.RandomColorDegeneration(factor, value_range=value_range)
    k = K.RandomColorDegeneration(factor, value_range=value_range)
    assert_same_transform(g, k, {"factor": np.array([-0.4, 0.3, 1.0]).reshape(3, 1, 1, 1)})
    assert_same_config(g, k)


@pytest.mark.parametrize("value_range, images", [((0, 255), IMAGES), ((0, 1), UNIT)])
def test_random_saturation(value_range, images):
    g, k = G.RandomSaturation(0.5, value_range=value_range), K.RandomSaturation(0.5, value_range=value_range)
    f = np.array([0.1, 0.5, 0.9])
    assert_same_transform(g, k, {"factor": f / (1 - f + 1e-7)}, images=images)
    assert_same_config(g, k)


@pytest.mark.parametrize("value_range, images", [((0, 255), IMAGES), ((0, 1), UNIT), ((-1, 1), UNIT * 2 - 1)])
def test_random_hue(value_range, images):
    g, k = G.RandomHue(0.8, value_range=value_range), K.RandomHue(0.8, value_range=value_range)
    # Keras maps the value range in float32 here (its _transform_value_range default)
    assert_same_transform(g, k, {"factor": np.array([-0.4, 0.15, 0.37])}, images=images,
                          atol=1e-5 * np.abs(images).max(), rtol=1e-5)
    assert_same_config(g, k)


def test_rgb_hsv_round_trip_matches_keras():
    from glassnet.layers.preprocessing import colour_space
    images = UNIT.copy()
    images[0, 0, :3] = [[0.5, 0.5, 0.5], [0.0, 0.0, 0.0], [1.0, 0.0, 0.0]]      # grey, black, pure red
    hsv = colour_space.rgb_to_hsv(gn.Tensor(images)).numpy()
    np.testing.assert_allclose(hsv, numpy(keras.ops.image.rgb_to_hsv(images)), **TOL)
    np.testing.assert_allclose(colour_space.hsv_to_rgb(gn.Tensor(hsv)).numpy(),
                               numpy(keras.ops.image.hsv_to_rgb(hsv)), **TOL)


def test_random_color_jitter_config():
    options = dict(value_range=(0, 1), brightness_factor=0.2, contrast_factor=(0.1, 0.3), saturation_factor=0.4,
                   hue_factor=0.1, seed=4)
    assert_same_config(G.RandomColorJitter(**options), K.RandomColorJitter(**options))


# --- tone ------------------------------------------------------------------------------------
@pytest.mark.parametrize("value_range", [(0, 255), (-10, 300)])
def test_random_invert(value_range):
    g, k = G.RandomInvert(0.6, value_range=value_range), K.RandomInvert(0.6, value_range=value_range)
    assert_same_transform(g, k, {"apply_inversion": np.array([True, False, True])})
    assert_same_config(g, k)


@pytest.mark.parametrize("value_range, images", [((0, 255), IMAGES), ((1, 0), UNIT)])
def test_solarization(value_range, images):
    g = G.Solarization(0.3, (0.2, 0.9), value_range=value_range)
    k = K.Solarization(0.3, (0.2, 0.9), value_range=value_range)
    transformation = {"additions": np.array([0.0, 20.0, 70.0]).reshape(3, 1, 1, 1),
                      "thresholds": np.array([0.0, 128.0, 200.0]).reshape(3, 1, 1, 1)}
    assert_same_transform(g, k, transformation, images=images)
    assert_same_config(g, k)


@pytest.mark.parametrize("value_range, images", [((0, 255), np.round(IMAGES, 2)), ((0, 1), UNIT)])
def test_random_posterization(value_range, images):
    g, k = G.RandomPosterization((2, 7), value_range=value_range), K.RandomPosterization((2, 7), value_range=value_range)
    assert_same_transform(g, k, {"shift_factor": np.array([1, 4, 6], np.uint8)}, images=images)
    assert_same_config(g, k)
    assert G.RandomPosterization(4).factor == K.RandomPosterization(4).factor == (1, 4)


@pytest.mark.parametrize("value_range, images", [((0, 255), IMAGES), ((0, 1), UNIT)])
def test_auto_contrast(value_range, images):
    images = images.copy()
    images[1, ..., 2] = 0.5                                      # a constant channel stays as it is
    g, k = G.AutoContrast(value_range=value_range), K.AutoContrast(value_range=value_range)
    np.testing.assert_allclose(g(images).numpy(), numpy(k(images)), **TOL)
    assert_same_config(g, k)


@pytest.mark.parametrize("bins, value_range, images", [(256, (0, 255), IMAGES), (16, (0, 1), UNIT),
                                                       (64, (0, 255), np.round(IMAGES / 40) * 40)])
def test_equalization(bins, value_range, images):
    g, k = G.Equalization(value_range=value_range, bins=bins), K.Equalization(value_range=value_range, bins=bins)
    np.testing.assert_allclose(g(images, training=True).numpy(), numpy(k(images, training=True)), **TOL)
    assert_same_config(g, k)

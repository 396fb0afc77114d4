"""Keras 3's colour, tone, filter, geometric and mixing augmentations against glassnet's.

The layers draw from different random streams, so each is compared through its
transformation: the same fixed parameters (Keras's dict, or Keras's array for
RandomGrayscale) go to Keras's ``transform_images`` and to glassnet's, in float64 on both
sides (fixture ``keras_float64``). The deterministic layers (AutoContrast, Equalization) are
called on the same images. The configs must have Keras's keys. Each test covers a family of
layers in loops (Keras's per-test teardown, ``clear_session``, costs about a second).
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
    if isinstance(value, list):
        return [to_keras(v) for v in value]
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
def test_colour_layers():
    g, k = G.RandomGrayscale(0.7), K.RandomGrayscale(0.7)
    assert_same_transform(g, k, np.array([True, False, True]).reshape(3, 1, 1, 1))
    assert_same_config(g, k, extra={"seed"})                   # glassnet keeps the seed in the config
    for factor, value_range in [(0.5, (0, 255)), ((-0.3, 0.9), (255, 0))]:
        g = G.RandomColorDegeneration(factor, value_range=value_range)
        k = K.RandomColorDegeneration(factor, value_range=value_range)
        assert_same_transform(g, k, {"factor": np.array([-0.4, 0.3, 1.0]).reshape(3, 1, 1, 1)})
        assert_same_config(g, k)
    f = np.array([0.1, 0.5, 0.9])
    for value_range, images in [((0, 255), IMAGES), ((0, 1), UNIT)]:
        g, k = G.RandomSaturation(0.5, value_range=value_range), K.RandomSaturation(0.5, value_range=value_range)
        assert_same_transform(g, k, {"factor": f / (1 - f + 1e-7)}, images=images)
        assert_same_config(g, k)
    for value_range, images in [((0, 255), IMAGES), ((0, 1), UNIT), ((-1, 1), UNIT * 2 - 1)]:
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


# --- tone ------------------------------------------------------------------------------------
def test_tone_layers():
    for value_range in [(0, 255), (-10, 300)]:
        g, k = G.RandomInvert(0.6, value_range=value_range), K.RandomInvert(0.6, value_range=value_range)
        assert_same_transform(g, k, {"apply_inversion": np.array([True, False, True])})
        assert_same_config(g, k)
    transformation = {"additions": np.array([0.0, 20.0, 70.0]).reshape(3, 1, 1, 1),
                      "thresholds": np.array([0.0, 128.0, 200.0]).reshape(3, 1, 1, 1)}
    for value_range, images in [((0, 255), IMAGES), ((1, 0), UNIT)]:
        g = G.Solarization(0.3, (0.2, 0.9), value_range=value_range)
        k = K.Solarization(0.3, (0.2, 0.9), value_range=value_range)
        assert_same_transform(g, k, transformation, images=images)
        assert_same_config(g, k)
    for value_range, images in [((0, 255), np.round(IMAGES, 2)), ((0, 1), UNIT)]:
        g = G.RandomPosterization((2, 7), value_range=value_range)
        k = K.RandomPosterization((2, 7), value_range=value_range)
        assert_same_transform(g, k, {"shift_factor": np.array([1, 4, 6], np.uint8)}, images=images)
        assert_same_config(g, k)
    assert G.RandomPosterization(4).factor == K.RandomPosterization(4).factor == (1, 4)
    for value_range, images in [((0, 255), IMAGES), ((0, 1), UNIT)]:
        images = images.copy()
        images[1, ..., 2] = 0.5                                      # a constant channel stays as it is
        g, k = G.AutoContrast(value_range=value_range), K.AutoContrast(value_range=value_range)
        np.testing.assert_allclose(g(images).numpy(), numpy(k(images)), **TOL)
        assert_same_config(g, k)
    for bins, value_range, images in [(256, (0, 255), IMAGES), (16, (0, 1), UNIT),
                                      (64, (0, 255), np.round(IMAGES / 40) * 40)]:
        g, k = G.Equalization(value_range=value_range, bins=bins), K.Equalization(value_range=value_range, bins=bins)
        np.testing.assert_allclose(g(images, training=True).numpy(), numpy(k(images, training=True)), **TOL)
        assert_same_config(g, k)


# --- filters ---------------------------------------------------------------------------------
def test_filters():
    for value_range, images in [((0, 255), IMAGES), ((0, 1), UNIT)]:
        g, k = G.RandomSharpness(0.9, value_range=value_range), K.RandomSharpness(0.9, value_range=value_range)
        assert_same_transform(g, k, {"factor": np.array([0.0, 0.5, 0.95])}, images=images)
        assert_same_config(g, k)
    for kernel_size, sigma in [(3, (0.3, 1.7)), (5, (2.0, 0.8))]:
        g = G.RandomGaussianBlur(0.5, kernel_size=kernel_size, sigma=(0.2, 2.0), value_range=(0, 255))
        k = K.RandomGaussianBlur(0.5, kernel_size=kernel_size, sigma=(0.2, 2.0), value_range=(0, 255))
        transformation = {"should_apply_blur": np.array([True, False, True]), "blur_factor": np.array(sigma)}
        assert_same_transform(g, k, transformation)
        assert_same_config(g, k)


# --- erasing, mixing ---------------------------------------------------------------------------
def test_erasing_and_mixing():
    g = G.RandomErasing(0.5, scale=(0.1, 0.4), fill_value=7.0)
    k = K.RandomErasing(0.5, scale=(0.1, 0.4), fill_value=7.0)
    transformation = g.get_random_transformation(IMAGES.shape)
    transformation["apply_erasing"] = np.array([True, False, True])
    assert_same_transform(g, k, transformation)
    assert_same_config(g, k)
    assert_same_config(G.RandomErasing(fill_value=[1, 2, 3]), K.RandomErasing(fill_value=[1, 2, 3]))

    labels = np.eye(3)[[0, 2, 1]]
    g, k = G.MixUp(0.4), K.MixUp(0.4)
    mix_up = {"mix_weight": np.array([0.1, 0.7, 0.95]), "permutation_order": np.array([2, 0, 1])}
    g_cut, k_cut = G.CutMix(0.6), K.CutMix(0.6)
    cut_mix = g_cut.get_random_transformation(IMAGES.shape)
    cut_mix["permutation_order"] = np.array([1, 2, 0])
    for g, k, transformation in [(g, k, mix_up), (g_cut, k_cut, cut_mix)]:
        assert_same_transform(g, k, transformation)
        expected = numpy(k.transform_labels(keras.ops.convert_to_tensor(labels), to_keras(transformation)))
        np.testing.assert_allclose(g.transform_labels(labels, transformation).numpy(), expected, **TOL)
        assert_same_config(g, k)


def test_cut_mix_box_mask_matches_keras():
    from glassnet.layers.preprocessing.erasing import random_boxes
    masks, corners = random_boxes(np.random.default_rng(3), IMAGES.shape, np.array([0.3, 0.5, 0.9]),
                                  np.array([0.3, 0.5, 0.9]))
    k_masks, k_weight = K.CutMix()._generate_batch_mask(IMAGES.shape,
                                                        tuple(keras.ops.convert_to_tensor(c) for c in corners))
    np.testing.assert_array_equal(masks, numpy(k_masks))
    x0, x1, y0, y1 = corners
    np.testing.assert_allclose(1 - (x1 - x0) * (y1 - y0) / (7 * 6), numpy(k_weight).ravel(), **TOL)


# --- geometry --------------------------------------------------------------------------------
FILLS = [(m, i) for m in ("reflect", "wrap", "constant", "nearest") for i in ("bilinear", "nearest")]


def test_geometry():
    shear = np.array([[0.3, -0.2], [-0.45, 0.0], [0.1, 0.25]])
    for fill_mode, interpolation in FILLS:
        options = {"fill_mode": fill_mode, "interpolation": interpolation, "fill_value": 11.0}
        g, k = G.RandomShear(0.5, (0.1, 0.3), **options), K.RandomShear(0.5, (0.1, 0.3), **options)
        assert_same_transform(g, k, {"shear_factor": shear, "input_shape": IMAGES.shape})
        assert_same_config(g, k)
    for interpolation in ("bilinear", "nearest"):
        g = G.RandomPerspective(0.7, scale=0.6, interpolation=interpolation, fill_value=3.0)
        k = K.RandomPerspective(0.7, scale=0.6, interpolation=interpolation, fill_value=3.0)
        transformation = g.get_random_transformation(IMAGES.shape)
        transformation["apply_perspective"] = np.array([True, True, False])
        got, expected = transforms(g, k, transformation)
        if interpolation == "bilinear":
            np.testing.assert_allclose(got, expected, atol=1e-6, rtol=1e-6)
        else:    # Keras solves the homography in torch: a point on a pixel's edge may round the other way
            assert np.isclose(got, expected, atol=1e-7, rtol=1e-7).mean() > 0.97
        assert_same_config(g, k)
    from glassnet.layers.preprocessing.perspective import homography
    from keras.src import backend as keras_backend
    start = np.array([[[0.0, 0.0], [6.0, 0.0], [0.0, 5.0], [6.0, 5.0]]] * 2)
    end = start + start * rng.uniform(-0.3, 0.3, (2, 4, 2))
    expected = numpy(keras_backend.image.compute_homography_matrix(start, end))
    np.testing.assert_allclose(homography(start, end), expected, atol=1e-9)


# --- composites ------------------------------------------------------------------------------
def test_composites():
    options = dict(value_range=(0, 1), brightness_factor=0.2, contrast_factor=(0.1, 0.3), saturation_factor=0.4,
                   hue_factor=0.1, seed=4)
    g, k = G.RandomColorJitter(**options), K.RandomColorJitter(**options)
    assert_same_config(g, k)
    transformation = g.get_random_transformation(UNIT.shape)       # Keras draws inside its call: apply its steps
    expected = keras.ops.convert_to_tensor(UNIT)
    for name in g.steps:
        expected = getattr(k, name).transform_images(expected, to_keras(transformation[name]))
    got = g.transform_images(gn.Tensor(UNIT), transformation).numpy()
    np.testing.assert_allclose(got, numpy(expected), atol=1e-6)      # Keras's hue maps the range in float32

    g = G.RandAugment(value_range=(0, 255), num_ops=1, factor=0.6, seed=0)
    k = K.RandAugment(value_range=(0, 255), num_ops=1, factor=0.6)
    assert_same_config(g, k)
    transformation = g.get_random_transformation(IMAGES.shape)
    # Keras runs every operation and keeps the chosen one, and on torch two of them write into
    # their inputs: RandomBrightness adds its delta in place (images += delta), whatever was
    # chosen, so no delta here (RandomBrightness is compared in test_preprocessing_keras.py); and
    # affine_transform swaps entries of the rotation matrix in place, so a second operation
    # would read a corrupted matrix: one operation per call (the chaining is tested in
    # tests/layers/preprocessing/test_mix_augmentations.py)
    transformation["transforms"]["random_brightness"]["rgb_delta"] *= 0.0
    for index in range(11):
        transformation["layer_idxes"] = np.array([index])
        got, expected = transforms(g, k, transformation)
        np.testing.assert_allclose(got, expected, atol=1e-6, err_msg=g.AUGMENT_LAYERS[index])

    for all_ops in (True, False):
        g = G.AugMix(value_range=(0, 255), num_chains=3, chain_depth=4, factor=0.4, all_ops=all_ops, seed=1)
        k = K.AugMix(value_range=(0, 255), num_chains=3, chain_depth=4, factor=0.4, all_ops=all_ops)
        assert_same_config(g, k)
        transformation = g.get_random_transformation(IMAGES.shape)
        assert sum(len(chain) for chain in transformation["chain_transforms"]) > 3
        got, expected = transforms(g, k, transformation)
        np.testing.assert_allclose(got, expected, atol=1e-6)


def test_random_elastic_transform():
    # Keras draws its noise inside ops.image.elastic_transform from torch's global stream:
    # draw the same two fields after the same torch seed and hand them to glassnet
    images = rng.uniform(0, 255, (3, 16, 14, 3))
    apply, strength = np.array([True, False, True]), 1.0
    for fill_mode in ("reflect", "mirror", "wrap", "constant", "nearest"):
        for interpolation in ("bilinear", "nearest"):
            options = dict(scale=(0.3, 1.0), fill_mode=fill_mode, interpolation=interpolation, fill_value=9.0)
            g, k = G.RandomElasticTransform(0.5, **options), K.RandomElasticTransform(0.5, **options)
            torch.manual_seed(3)
            noise = np.stack([torch.normal(0.0, 1.0, size=(3, 16, 14), dtype=torch.float64).numpy() for _ in "xy"])
            torch.manual_seed(3)
            expected = numpy(k.transform_images(keras.ops.convert_to_tensor(images), {
                "apply_transform": to_keras(apply), "distortion_factor": to_keras(np.array(strength)), "seed": None}))
            got = g.transform_images(images, {"apply_transform": apply, "distortion_factor": strength, "noise": noise})
            np.testing.assert_allclose(got.numpy(), expected, **TOL, err_msg=f"{fill_mode} {interpolation}")
            assert_same_config(g, k)


def test_configs_cross_over():
    """Each side rebuilds the other's config (dtype policies aside) to the same config."""
    made = [("RandomGrayscale", (0.3,)), ("RandomColorDegeneration", ((-0.2, 0.5),)), ("RandomSaturation", (0.4,)),
            ("RandomHue", (0.3,)), ("RandomInvert", (0.6,)), ("Solarization", (0.2, (0.1, 0.5))),
            ("RandomPosterization", (5,)), ("AutoContrast", ()), ("Equalization", ((0, 1), 64)),
            ("RandomSharpness", (0.7,)), ("RandomGaussianBlur", (0.5, 5, (0.2, 0.8))),
            ("RandomErasing", (0.5, (0.1, 0.3), 3.0)), ("RandomShear", ((0.1, 0.3), (0.0, 0.2))),
            ("RandomPerspective", (0.8, 0.4)), ("MixUp", (0.3,)), ("CutMix", (0.7,)),
            ("RandomColorJitter", ((0, 1), 0.1, 0.2, 0.3, 0.1)), ("RandAugment", ((0, 1), 3, 0.4)),
            ("AugMix", ((0, 255), 2, 2, 0.5, 0.5, False)), ("RandomElasticTransform", (0.6, 0.8))]

    def plain(config):
        return {key: list(v) if isinstance(v, tuple) else v for key, v in config.items() if key not in ("dtype", "name")}

    for name, args in made:
        seed = {} if name in ("AutoContrast", "Equalization") else {"seed": 1}      # no randomness
        g, k = getattr(G, name)(*args, **seed), getattr(K, name)(*args, **seed)
        if name == "RandomGrayscale":                               # Keras leaves its seed out of the config
            k.seed = 1
        g_config, k_config = plain(g.get_config()), plain(k.get_config())
        if name == "RandomGrayscale":
            k_config["seed"] = 1
        assert plain(getattr(K, name).from_config(g_config).get_config()).keys() <= g_config.keys(), name
        assert plain(getattr(G, name).from_config(k_config).get_config()) == g_config, name

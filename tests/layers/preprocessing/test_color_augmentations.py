"""Colour, tone and filter augmentations: hand-worked formulas, training-only randomness, ranges, gradients,
configs, bad input."""
import json

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers
from glassnet.layers.preprocessing import colour_space
from glassnet.testing import layer_gradcheck

rng = np.random.default_rng(0)
IMAGES = rng.uniform(0, 255, (3, 5, 6, 3)).astype("float32")

RANDOM_LAYERS = {
    "grayscale": lambda **kw: layers.RandomGrayscale(0.8, **kw),
    "degeneration": lambda **kw: layers.RandomColorDegeneration(0.6, **kw),
    "saturation": lambda **kw: layers.RandomSaturation(0.7, **kw),
    "hue": lambda **kw: layers.RandomHue(0.6, **kw),
    "jitter": lambda **kw: layers.RandomColorJitter(brightness_factor=0.2, contrast_factor=0.3,
                                                    saturation_factor=0.5, hue_factor=0.2, **kw),
    "invert": lambda **kw: layers.RandomInvert(**kw),
    "solarization": lambda **kw: layers.Solarization(0.2, (0.3, 0.8), **kw),
    "posterization": lambda **kw: layers.RandomPosterization((2, 6), **kw),
    "sharpness": lambda **kw: layers.RandomSharpness(1.0, **kw),
    "blur": lambda **kw: layers.RandomGaussianBlur(kernel_size=3, sigma=(0.5, 1.5), **kw),
}


@pytest.mark.parametrize("name", RANDOM_LAYERS)
def test_training_only_seeded_in_range_and_one_image(name):
    make = RANDOM_LAYERS[name]
    layer = make(seed=3)
    x = gn.Tensor(IMAGES)
    assert layer(x, training=False) is x and layer(x) is x          # the identity at inference
    first = layer(IMAGES, training=True).numpy()
    np.testing.assert_array_equal(first, make(seed=3)(IMAGES, training=True).numpy())      # the seed repeats
    assert first.dtype == np.float32 and first.shape == IMAGES.shape
    assert not np.allclose(first, IMAGES)
    assert first.min() >= -1e-3 and first.max() <= 255 + 1e-3                         # the value range is kept
    gn.utils.set_random_seed(5)
    again = make()(IMAGES, training=True).numpy()
    gn.utils.set_random_seed(5)
    np.testing.assert_array_equal(again, make()(IMAGES, training=True).numpy())
    assert layer(IMAGES[0], training=True).shape == IMAGES[0].shape                   # one unbatched image
    assert layer((IMAGES[:1]).astype("uint8"), training=True).dtype == np.float32


# --- hand-worked -------------------------------------------------------------------------------------
def test_grayscale_is_the_luma_in_every_channel():
    image = np.array([255.0, 0.0, 0.0, 0.0, 255.0, 0.0, 10.0, 20.0, 30.0]).reshape(1, 1, 3, 3)
    out = layers.RandomGrayscale().transform_images(image, np.ones((1, 1, 1, 1), bool)).numpy()
    # 0.2989·255 = 76.2195; 0.587·255 = 149.685; 0.2989·10 + 0.587·20 + 0.114·30 = 2.989 + 11.74 + 3.42
    np.testing.assert_allclose(out[0, 0], [[76.2195] * 3, [149.685] * 3, [18.149] * 3], rtol=1e-6)
    assert layers.RandomGrayscale().transform_images(image, np.zeros((1, 1, 1, 1), bool)).numpy().tolist() == \
        image.tolist()


def test_rgb_hsv_by_hand_and_round_trip():
    rgb = gn.Tensor(np.array([[1.0, 0.0, 0.0], [0.0, 0.5, 0.5], [0.2, 0.2, 0.2], [0.9, 0.6, 0.3]]).reshape(1, 2, 2, 3))
    hsv = colour_space.rgb_to_hsv(rgb).numpy().reshape(4, 3)
    # red: H 0, S 1, V 1; teal: H = 4/6 + (0 − 0.5)/(6·0.5) = 1/2, S 1, V .5; grey: S 0;
    # orange: H = (0.6 − 0.3)/(6·0.6) = 1/12
    np.testing.assert_allclose(hsv, [[0, 1, 1], [0.5, 1, 0.5], [0, 0, 0.2], [1 / 12, 2 / 3, 0.9]], atol=1e-12)
    np.testing.assert_allclose(colour_space.hsv_to_rgb(gn.Tensor(hsv.reshape(1, 2, 2, 3))).numpy(), rgb.numpy(),
                               atol=1e-12)


def test_hue_shift_of_a_third_turns_red_into_green():
    red = np.array([255.0, 0.0, 0.0]).reshape(1, 1, 1, 3)
    out = layers.RandomHue(1.0).transform_images(red, {"factor": np.array([1 / 3])}).numpy()
    np.testing.assert_allclose(out.ravel(), [0, 255, 0], atol=1e-9)
    out = layers.RandomHue(1.0).transform_images(red, {"factor": np.array([-1 / 3])}).numpy()    # wraps to blue
    np.testing.assert_allclose(out.ravel(), [0, 0, 255], atol=1e-9)


def test_saturation_zero_is_grey_and_half_keeps_the_image():
    layer = layers.RandomSaturation(0.5, value_range=(0, 1))
    image = IMAGES[:1] / 255
    out = layer.transform_images(image, {"factor": np.zeros(1)}).numpy()
    np.testing.assert_allclose(out, np.repeat(image.max(-1, keepdims=True), 3, -1), atol=1e-6)   # S = 0: R = G = B = V
    kept = layer.transform_images(image, {"factor": np.array([0.5 / (1 - 0.5 + 1e-7)])}).numpy()
    np.testing.assert_allclose(kept, image, atol=1e-5)


def test_color_degeneration_and_sharpness_blends():
    image = IMAGES[:1]
    gray = colour_space.rgb_to_grayscale(gn.Tensor(image)).numpy()
    out = layers.RandomColorDegeneration(1.0).transform_images(image, {"factor": np.ones((1, 1, 1, 1))}).numpy()
    np.testing.assert_allclose(out, np.repeat(gray, 3, -1), rtol=1e-6)                     # f = 1: fully grey
    sharp = layers.RandomSharpness(1.0)
    np.testing.assert_allclose(sharp.transform_images(image, {"factor": np.array([0.5])}).numpy(), image)   # s = 1
    # f = 0 (s = 0): the smoothed image; the centre pixel of a 3×3 block is (5·c + Σ 8 neighbours)/13
    block = np.arange(9.0).reshape(1, 3, 3, 1)
    smooth = layers.RandomSharpness(1.0).transform_images(block, {"factor": np.zeros(1)}).numpy()
    assert smooth[0, 1, 1, 0] == pytest.approx((5 * 4 + (36 - 4)) / 13)


def test_invert_solarize_posterize_by_hand():
    x = np.array([0.0, 100.0, 200.0, 255.0]).reshape(1, 2, 2, 1)
    out = layers.RandomInvert().transform_images(x, {"apply_inversion": np.array([True])}).numpy()
    np.testing.assert_array_equal(out.ravel(), [255, 155, 55, 0])
    solarized = layers.Solarization().transform_images(x, {"additions": np.full((1, 1, 1, 1), 10.0),
                                                          "thresholds": np.full((1, 1, 1, 1), 150.0)}).numpy()
    # x + 10 = 10, 110, 210, 265 → clip 255; below 150 kept, else 255 − z
    np.testing.assert_array_equal(solarized.ravel(), [10, 110, 45, 0])
    posterized = layers.RandomPosterization(3).transform_images(
        np.array([0.0, 37.5, 200.0, 255.0]).reshape(1, 2, 2, 1), {"shift_factor": np.array([5], np.uint8)}).numpy()
    np.testing.assert_array_equal(posterized.ravel(), [0, 32, 192, 224])                # bits ≥ 32 kept (3 bits)


def test_auto_contrast_stretches_each_channel_always():
    x = np.array([50.0, 100.0, 150.0, 250.0]).reshape(1, 2, 2, 1)
    out = layers.AutoContrast()(x).numpy()
    np.testing.assert_allclose(out.ravel(), [0, 63.75, 127.5, 255])                  # 255·(x − 50)/200
    flat = np.full((1, 2, 2, 1), 0.3, "float32")
    np.testing.assert_array_equal(layers.AutoContrast(value_range=(0, 1))(flat).numpy(), flat)


def test_equalization_flattens_the_histogram():
    x = np.array([10.0, 10.0, 20.0, 200.0]).reshape(1, 2, 2, 1)
    out = layers.Equalization()(x, training=True).numpy()
    # bins 10, 20, 200 with counts 2, 1, 1: cdf 2, 3, 4; c0 = 2, n = 2 → 0, 127.5→128, 255
    np.testing.assert_array_equal(out.ravel(), [0, 0, 128, 255])
    assert layers.Equalization()(x).numpy().tolist() == x.tolist()                       # identity at inference


def test_gaussian_blur_kernel_and_flat_image():
    g = layers.RandomGaussianBlur()
    flat = np.full((1, 5, 5, 2), 7.0)
    out = g.transform_images(flat, {"should_apply_blur": np.array([True]), "blur_factor": np.array([1.0, 1.0])})
    assert out.numpy()[0, 2, 2, 0] == pytest.approx(7.0)                         # the kernel sums to 1
    from glassnet.layers.preprocessing.filters import gaussian_kernel
    e = np.exp(-0.5)
    np.testing.assert_allclose(gaussian_kernel(3, 1.0), [e / (1 + 2 * e), 1 / (1 + 2 * e), e / (1 + 2 * e)])


def test_color_jitter_steps_in_keras_order():
    jitter = layers.RandomColorJitter(value_range=(0, 255), brightness_factor=0.3, hue_factor=0.2, seed=0)
    assert jitter.steps == ["random_brightness", "random_hue"]
    transformation = jitter.get_random_transformation(IMAGES.shape)
    expected = layers.RandomHue(0.2).transform_images(
        layers.RandomBrightness(0.3).transform_images(IMAGES, transformation["random_brightness"]),
        transformation["random_hue"])
    np.testing.assert_allclose(jitter.transform_images(IMAGES, transformation).numpy(), expected.numpy())


# --- gradients -----------------------------------------------------------------------------------------
GRADCHECKED = [
    lambda: layers.RandomGrayscale(0.5, seed=1, dtype="float64"),
    lambda: layers.RandomColorDegeneration(0.5, value_range=(-50, 50), seed=1, dtype="float64"),
    lambda: layers.RandomSaturation((0.2, 0.8), value_range=(0, 1), seed=2, dtype="float64"),
    lambda: layers.RandomHue(0.5, value_range=(0, 1), seed=3, dtype="float64"),
    lambda: layers.RandomColorJitter(value_range=(0, 1), brightness_factor=0.1, contrast_factor=0.2,
                                     saturation_factor=0.4, hue_factor=0.3, seed=4, dtype="float64"),
    lambda: layers.RandomInvert(0.7, value_range=(0, 1), seed=5, dtype="float64"),
    lambda: layers.Solarization(0.1, (0.2, 0.6), value_range=(0, 1), seed=6, dtype="float64"),
    lambda: layers.RandomSharpness(1.0, value_range=(-50, 50), seed=7, dtype="float64"),
    lambda: layers.RandomGaussianBlur(0.8, kernel_size=3, value_range=(-50, 50), seed=8, dtype="float64"),
    lambda: layers.AutoContrast(value_range=(0, 1), dtype="float64"),
]


@pytest.mark.parametrize("make", GRADCHECKED)
def test_gradcheck(make):
    x = rng.uniform(0.05, 0.95, (2, 3, 4, 3))
    layer_gradcheck(make(), x, training=False)
    layer = make()

    def reseed():                                         # every evaluation draws the same transformation
        if getattr(layer, "seed", None) is not None:          # AutoContrast has no randomness
            layer.seed_generator = np.random.default_rng(layer.seed)

    layer_gradcheck(layer, x, training=True, before_call=reseed)


@pytest.mark.parametrize("make", [lambda: layers.RandomPosterization(4, value_range=(0, 1), dtype="float64"),
                                  lambda: layers.Equalization(value_range=(0, 1), dtype="float64")])
def test_staircases_are_identity_at_inference_and_pass_no_gradient(make):
    x = rng.uniform(0.05, 0.95, (2, 3, 4, 3))
    layer_gradcheck(make(), x, training=False)
    images = gn.Tensor(x, requires_grad=True)
    out = make()(images, training=True)
    assert not out.requires_grad                      # piecewise constant: no gradient flows back


# --- configs and bad input -----------------------------------------------------------------------------
CONFIGURED = [
    lambda: layers.RandomGrayscale(0.3, seed=1),
    lambda: layers.RandomColorDegeneration((-0.2, 0.5), value_range=(1, 0), seed=2),
    lambda: layers.RandomSaturation(0.4, value_range=[0, 1], seed=3),
    lambda: layers.RandomHue((0.1, 0.4), value_range=(0, 1), seed=4),
    lambda: layers.RandomColorJitter((0, 255), 0.2, 0.3, 0.4, 0.1, seed=5),
    lambda: layers.RandomInvert((0.2, 0.6), value_range=(-1, 1), seed=6),
    lambda: layers.Solarization((0.1, 0.3), 0.5, value_range=(0, 255), seed=7),
    lambda: layers.RandomPosterization((3, 7), seed=8),
    lambda: layers.AutoContrast(value_range=(0, 255)),
    lambda: layers.Equalization(value_range=(0, 255), bins=64),
    lambda: layers.RandomSharpness(0.7, seed=9),
    lambda: layers.RandomGaussianBlur(0.5, kernel_size=(3, 5), sigma=(0.4, 2.0), seed=10),
]


@pytest.mark.parametrize("make", CONFIGURED)
def test_config_round_trip_repeats_the_seeded_output(make):
    original = make()
    saved = json.loads(json.dumps(layers.serialize(original)))
    copy = layers.deserialize(saved)
    assert type(copy) is type(original) and copy.get_config() == original.get_config()
    np.testing.assert_array_equal(copy(IMAGES, training=True).numpy(), original(IMAGES, training=True).numpy())


@pytest.mark.parametrize("make, match", [
    (lambda: layers.RandomGrayscale(1.5), "RandomGrayscale: factor"),
    (lambda: layers.RandomColorDegeneration(2.0), "RandomColorDegeneration: factor"),
    (lambda: layers.RandomSaturation(0.5, value_range=(1, 1)), "RandomSaturation: value_range"),
    (lambda: layers.RandomHue(-0.5), "RandomHue: factor"),
    (lambda: layers.RandomHue(0.5, value_range=(255, 0)), "RandomHue: value_range"),
    (lambda: layers.RandomColorJitter(hue_factor=2.0), "RandomColorJitter: hue_factor"),
    (lambda: layers.RandomInvert(1.5), "RandomInvert: factor"),
    (lambda: layers.Solarization(addition_factor=1.5), "Solarization: addition_factor"),
    (lambda: layers.Solarization(threshold_factor=(0.1, 0.2, 0.3)), "Solarization: threshold_factor"),
    (lambda: layers.RandomPosterization(9), "RandomPosterization: factor"),
    (lambda: layers.RandomPosterization(2.5), "RandomPosterization: factor"),
    (lambda: layers.AutoContrast(value_range="0-255"), "AutoContrast: value_range"),
    (lambda: layers.Equalization(bins=1), "Equalization: bins"),
    (lambda: layers.RandomSharpness(-0.1), "RandomSharpness: factor"),
    (lambda: layers.RandomGaussianBlur(kernel_size=4), "RandomGaussianBlur: kernel_size"),
    (lambda: layers.RandomGaussianBlur(sigma=-1.0), "RandomGaussianBlur: sigma"),
    (lambda: layers.RandomGrayscale(data_format="channels_first"), "channels_first"),
])
def test_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_images_are_refused_naming_the_layer():
    for layer in (layers.RandomHue(0.5, seed=0), layers.RandomSaturation(0.5, seed=0),
                  layers.RandomGrayscale(1.0, seed=0)):
        with pytest.raises(ValueError, match=f"{type(layer).__name__}: expected images with 3"):
            layer(np.zeros((1, 4, 4, 2), "float32"), training=True)
        with pytest.raises(ValueError, match=f"{type(layer).__name__} .*got shape"):
            layer(np.zeros((4, 4), "float32"), training=True)

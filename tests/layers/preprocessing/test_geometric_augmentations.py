"""RandomShear, RandomPerspective, RandomErasing and RandomElasticTransform: hand-worked cases, training-only randomness, gradients,
configs, bad input."""
import json

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers
from glassnet.layers.preprocessing.erasing import random_boxes
from glassnet.layers.preprocessing.perspective import homography
from glassnet.testing import layer_gradcheck

rng = np.random.default_rng(0)
IMAGES = rng.uniform(0, 255, (3, 6, 7, 2)).astype("float32")

RANDOM_LAYERS = {
    "shear": lambda **kw: layers.RandomShear(0.4, 0.3, **kw),
    "perspective": lambda **kw: layers.RandomPerspective(scale=0.5, **kw),
    "erasing": lambda **kw: layers.RandomErasing(scale=(0.2, 0.5), **kw),
    "elastic": lambda **kw: layers.RandomElasticTransform(factor=(0.8, 1.0), **kw),
}


@pytest.mark.parametrize("name", RANDOM_LAYERS)
def test_training_only_seeded_and_one_image(name):
    make = RANDOM_LAYERS[name]
    layer = make(seed=3)
    x = gn.Tensor(IMAGES)
    assert layer(x, training=False) is x and layer(x) is x
    first = layer(IMAGES, training=True).numpy()
    np.testing.assert_array_equal(first, make(seed=3)(IMAGES, training=True).numpy())
    assert first.shape == IMAGES.shape and first.dtype == np.float32 and not np.allclose(first, IMAGES)
    gn.utils.set_random_seed(5)
    again = make()(IMAGES, training=True).numpy()
    gn.utils.set_random_seed(5)
    np.testing.assert_array_equal(again, make()(IMAGES, training=True).numpy())
    assert layer(IMAGES[0], training=True).shape == IMAGES[0].shape
    assert layer(IMAGES.astype("uint8"), training=True).dtype == np.float32


def test_shear_by_one_pixel_per_row():
    image = np.arange(12.0).reshape(1, 3, 4, 1)
    layer = layers.RandomShear(1.0, fill_mode="constant", fill_value=-1.0)
    out = layer.transform_images(image, {"shear_factor": np.array([[1.0, 0.0]])}).numpy()[0, :, :, 0]
    # output (x, y) reads (x + y, y): row y moves y pixels left, the right end filled
    np.testing.assert_array_equal(out, [[0, 1, 2, 3], [5, 6, 7, -1], [10, 11, -1, -1]])
    layer = layers.RandomShear(0.0, 1.0, fill_mode="wrap")
    out = layer.transform_images(image, {"shear_factor": np.array([[0.0, 1.0]])}).numpy()[0, :, :, 0]
    np.testing.assert_array_equal(out[:, 1], np.roll(image[0, :, 1, 0], -1))          # column x moves x rows up


def test_shear_factor_signs_and_ranges():
    layer = layers.RandomShear((0.2, 0.4), 0.0, seed=0)
    shear = layer.get_random_transformation((200, 5, 5, 1))["shear_factor"]
    assert np.all((np.abs(shear[:, 0]) >= 0.2) & (np.abs(shear[:, 0]) <= 0.4)) and np.all(shear[:, 1] == 0)
    assert (shear[:, 0] < 0).any() and (shear[:, 0] > 0).any()                   # the random sign
    assert layers.RandomShear(0.3).y_factor == (0.0, 0.0) and layers.RandomShear(0.3).x_factor == (-0.3, 0.3)


def test_homography_maps_the_moved_corners_back():
    start = np.array([[0.0, 0.0], [6.0, 0.0], [0.0, 5.0], [6.0, 5.0]])
    end = start + np.array([[0.5, 0.3], [-0.4, 0.2], [0.3, -0.6], [-0.2, -0.1]])
    a0, a1, a2, b0, b1, b2, c0, c1 = homography(start, end)[0]
    for (x, y), (xs, ys) in zip(end, start):
        k = c0 * x + c1 * y + 1
        assert (a0 * x + a1 * y + a2) / k == pytest.approx(xs) and (b0 * x + b1 * y + b2) / k == pytest.approx(ys)
    np.testing.assert_allclose(homography(start, start)[0], [1, 0, 0, 0, 1, 0, 0, 0], atol=1e-12)


def test_perspective_with_unmoved_corners_is_the_identity():
    layer = layers.RandomPerspective(scale=0.0, seed=0)
    np.testing.assert_allclose(layer(IMAGES, training=True).numpy(), IMAGES, rtol=1e-6)
    transformation = layers.RandomPerspective(seed=1).get_random_transformation(IMAGES.shape)
    transformation["apply_perspective"] = np.array([False, True, False])
    out = layers.RandomPerspective().transform_images(IMAGES, transformation).numpy()
    np.testing.assert_array_equal(out[[0, 2]], IMAGES[[0, 2]])                    # not chosen: unchanged
    assert not np.allclose(out[1], IMAGES[1])


def test_erasing_fills_one_box_per_image():
    image = np.zeros((2, 6, 8, 3))
    layer = layers.RandomErasing((1.0, 1.0), scale=(0.25, 0.25), fill_value=[1.0, 2.0, 3.0], seed=0)
    out = layer(image, training=True).numpy()
    for n in range(2):
        inside = out[n, :, :, 0] != 0
        rows, cols = np.nonzero(inside)
        assert inside.sum() == (rows.max() - rows.min() + 1) * (cols.max() - cols.min() + 1)   # a rectangle
        np.testing.assert_array_equal(out[n][inside], [[1.0, 2.0, 3.0]] * int(inside.sum()))
        assert 4 <= inside.sum() <= 20                              # sides ½ of 6 and 8: 3×4 up to rounding
    noise = layers.RandomErasing((1.0, 1.0), value_range=(0, 1), seed=0)(image + 0.5, training=True).numpy()
    assert noise.min() >= 0 and noise.max() <= 1                    # the noise is clipped to value_range


def test_random_boxes_hand_worked():
    class Fixed:
        def uniform(self, low, high, shape):
            return np.full(shape, 0.5)
    masks, (x0, x1, y0, y1) = random_boxes(Fixed(), (1, 4, 6, 1), np.array([0.5]), np.array([0.5]))
    # width 6: box 3 long starting at 0.5·3 = 1.5 → columns 2, 3, 4; height 4: 2 long from 1 → rows 1, 2
    assert (x0[0], x1[0], y0[0], y1[0]) == (1.5, 4.5, 1.0, 3.0)
    np.testing.assert_array_equal(np.argwhere(masks[0, :, :, 0]), [[1, 2], [1, 3], [1, 4], [2, 2], [2, 3], [2, 4]])


def test_elastic_transform_by_hand():
    image = np.arange(20.0).reshape(1, 4, 5, 1)
    layer = layers.RandomElasticTransform(value_range=(0, 100))
    quiet = {"apply_transform": np.array([True]), "distortion_factor": 1.0, "noise": np.zeros((2, 1, 4, 5))}
    np.testing.assert_allclose(layer.transform_images(image, quiet).numpy(), image, atol=1e-12)   # no noise: kept
    from glassnet.layers.preprocessing.elastic import smooth_field
    # σ = 0.05·4 = 0.2: a kernel of int(1.2) | 1 = 1 tap, so the field is σ·n itself; α = 0.1·5 = 0.5
    noise = np.zeros((2, 1, 4, 5))
    noise[0] = 1.0 / (0.2 * 0.2)                                      # d_x = σ·n = 5 → α·d_x = 2.5 px to the right
    np.testing.assert_allclose(smooth_field(noise[0] * 0.2, 0.2), 5.0)
    moved = layers.RandomElasticTransform(fill_mode="nearest", value_range=(0, 100)).transform_images(
        image, {"apply_transform": np.array([True]), "distortion_factor": 1.0, "noise": noise}).numpy()[0, :, :, 0]
    np.testing.assert_allclose(moved[:, 0], image[0, :, 0, 0] + 2.5)             # reads x = 2.5
    np.testing.assert_allclose(moved[:, 4], image[0, :, 4, 0])                   # past the edge: the last column
    assert layers.RandomElasticTransform(scale=0.0).get_random_transformation((1, 4, 5, 1)) is None


GRADCHECKED = [
    lambda: layers.RandomShear(0.3, 0.2, seed=1, dtype="float64"),
    lambda: layers.RandomShear(0.3, 0.2, fill_mode="constant", interpolation="nearest", fill_value=0.5, seed=2,
                               dtype="float64"),
    lambda: layers.RandomPerspective(scale=0.4, seed=3, dtype="float64"),
    lambda: layers.RandomErasing(scale=(0.2, 0.4), fill_value=0.0, seed=4, dtype="float64"),
    lambda: layers.RandomElasticTransform((0.9, 1.0), scale=(0.5, 1.0), value_range=(-50, 50), seed=5,
                                          dtype="float64"),
]


@pytest.mark.parametrize("make", GRADCHECKED)
def test_gradcheck(make):
    x = rng.standard_normal((2, 4, 5, 2))
    layer_gradcheck(make(), x, training=False)
    layer = make()

    def reseed():
        layer.seed_generator = np.random.default_rng(layer.seed)

    layer_gradcheck(layer, x, training=True, before_call=reseed)


CONFIGURED = [
    lambda: layers.RandomShear((0.1, 0.3), 0.2, interpolation="nearest", fill_mode="constant", fill_value=1.0, seed=1),
    lambda: layers.RandomPerspective((0.2, 0.9), scale=0.3, interpolation="nearest", fill_value=2.0, seed=2),
    lambda: layers.RandomErasing(0.8, scale=0.4, fill_value=7.0, value_range=(0, 255), seed=3),
    lambda: layers.RandomElasticTransform((0.5, 1.0), 0.7, "nearest", "mirror", 3.0, (0, 255), seed=4),
]


@pytest.mark.parametrize("make", CONFIGURED)
def test_config_round_trip_repeats_the_seeded_output(make):
    original = make()
    copy = layers.deserialize(json.loads(json.dumps(layers.serialize(original))))
    assert type(copy) is type(original) and copy.get_config() == original.get_config()
    np.testing.assert_array_equal(copy(IMAGES, training=True).numpy(), original(IMAGES, training=True).numpy())


@pytest.mark.parametrize("make, match", [
    (lambda: layers.RandomShear(1.5), "RandomShear: x_factor"),
    (lambda: layers.RandomShear(0.1, (-1.5, 0.1)), "RandomShear: y_factor"),
    (lambda: layers.RandomShear(-0.1), "RandomShear: x_factor"),
    (lambda: layers.RandomShear(0.1, fill_mode="mirror"), "RandomShear: fill_mode"),
    (lambda: layers.RandomShear(0.1, interpolation="bicubic"), "RandomShear: interpolation"),
    (lambda: layers.RandomPerspective(scale=1.5), "RandomPerspective: scale"),
    (lambda: layers.RandomPerspective(factor=-0.5), "RandomPerspective: factor"),
    (lambda: layers.RandomPerspective(interpolation="bicubic"), "RandomPerspective: interpolation"),
    (lambda: layers.RandomPerspective(fill_value="black"), "RandomPerspective: fill_value"),
    (lambda: layers.RandomErasing(scale=(1.5, 2.0)), "RandomErasing: scale"),
    (lambda: layers.RandomErasing(fill_value=[1, 2]), "RandomErasing: fill_value"),
    (lambda: layers.RandomErasing(value_range=(1, 0)), "RandomErasing: value_range"),
    (lambda: layers.RandomElasticTransform(scale=2.0), "RandomElasticTransform: scale"),
    (lambda: layers.RandomElasticTransform(fill_mode="edge"), "RandomElasticTransform: fill_mode"),
    (lambda: layers.RandomElasticTransform(interpolation="area"), "RandomElasticTransform: interpolation"),
    (lambda: layers.RandomElasticTransform(fill_value=None), "RandomElasticTransform: fill_value"),
])
def test_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize("name", RANDOM_LAYERS)
def test_wrong_rank_names_the_layer(name):
    layer = RANDOM_LAYERS[name]()
    with pytest.raises(ValueError, match=f"{type(layer).__name__} .*got shape"):
        layer(np.zeros((4, 5), "float32"), training=True)

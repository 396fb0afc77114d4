"""Resizing and CenterCrop: exact small cases, dtypes, gradients, configs, bad input."""
import json

import numpy as np
import pytest

from glassnet import layers
from glassnet.testing import layer_gradcheck

rng = np.random.default_rng(1)


def test_resizing_a_constant_image_stays_constant():
    image = np.full((2, 7, 5, 3), 0.7, "float32")
    for layer in (layers.Resizing(3, 11), layers.Resizing(14, 2, interpolation="nearest"),
                  layers.Resizing(4, 4, crop_to_aspect_ratio=True), layers.Resizing(9, 6, interpolation="bicubic")):
        out = layer(image).numpy()
        assert out.shape == layer.compute_output_shape(image.shape)
        np.testing.assert_allclose(out, 0.7, rtol=1e-6)


def test_resizing_doubles_a_row_by_hand():
    image = np.array([0.0, 4.0]).reshape(1, 1, 2, 1)
    # bilinear, half-pixel centres: outputs sample x = −¼, ¼, ¾, 1¼ → 0, 1, 3, 4 (clamped at the ends)
    np.testing.assert_allclose(layers.Resizing(1, 4)(image).numpy().ravel(), [0.0, 1.0, 3.0, 4.0])
    np.testing.assert_array_equal(layers.Resizing(1, 4, interpolation="nearest")(image).numpy().ravel(),
                                  [0.0, 0.0, 4.0, 4.0])
    # halving averages pairs: sample points 0.5 and 2.5
    row = np.array([1.0, 3.0, 5.0, 9.0]).reshape(1, 1, 4, 1)
    np.testing.assert_allclose(layers.Resizing(1, 2)(row).numpy().ravel(), [2.0, 7.0])


def test_resizing_integer_pixels_keep_their_dtype_like_keras():
    pixels = np.array([[0, 255], [10, 21]], "uint8").reshape(1, 2, 2, 1)
    out = layers.Resizing(2, 3)(pixels)
    assert out.dtype == np.uint8                                     # rounded, saturated, same dtype
    np.testing.assert_array_equal(out.numpy()[0, :, :, 0], [[0, 128, 255], [10, 16, 21]])
    assert layers.Resizing(2, 3)(pixels.astype("float64")).dtype == np.float32


def test_center_crop_takes_the_central_pixels():
    image = np.arange(42.0).reshape(6, 7, 1)
    out = layers.CenterCrop(2, 3)(image).numpy()
    np.testing.assert_array_equal(out[:, :, 0], image[2:4, 2:5, 0])          # top ⌊4/2⌋ = 2, left ⌊4/2⌋ = 2
    out = layers.CenterCrop(3, 4)(image[None]).numpy()
    np.testing.assert_array_equal(out[0, :, :, 0], image[1:4, 1:5, 0])        # ⌊3/2⌋ = 1, ⌊3/2⌋ = 1
    assert layers.CenterCrop(2, 2)(np.ones((1, 4, 4, 1), "uint8")).dtype == np.float32


def test_center_crop_of_a_small_image_resizes_without_distortion():
    image = rng.random((1, 4, 8, 2)).astype("float32")
    out = layers.CenterCrop(6, 6)(image).numpy()          # larger than the height: smart resize
    expected = layers.Resizing(6, 6, crop_to_aspect_ratio=True)(image).numpy()
    np.testing.assert_allclose(out, expected)
    assert out.shape == (1, 6, 6, 2)


@pytest.mark.parametrize("make", [
    lambda: layers.Resizing(3, 7, dtype="float64"),
    lambda: layers.Resizing(5, 2, interpolation="nearest", dtype="float64"),
    lambda: layers.Resizing(3, 3, crop_to_aspect_ratio=True, antialias=True, dtype="float64"),
    lambda: layers.Resizing(6, 3, pad_to_aspect_ratio=True, fill_value=1.0, dtype="float64"),
    lambda: layers.CenterCrop(2, 3, dtype="float64"),
    lambda: layers.CenterCrop(6, 6, dtype="float64"),
])
def test_gradcheck(make):
    layer_gradcheck(make(), rng.standard_normal((2, 4, 5, 2)))


@pytest.mark.parametrize("make", [
    lambda: layers.Resizing(3, 7, interpolation="lanczos3", crop_to_aspect_ratio=True, antialias=True),
    lambda: layers.Resizing(5, 2, pad_to_aspect_ratio=True, fill_value=0.5),
    lambda: layers.CenterCrop(2, 3),
])
def test_config_round_trip(make):
    original = make()
    x = rng.random((2, 4, 5, 2)).astype("float32")
    copy = layers.deserialize(json.loads(json.dumps(layers.serialize(original))))
    assert copy.get_config() == original.get_config()
    np.testing.assert_array_equal(copy(x).numpy(), original(x).numpy())


def test_keras_config_keys():
    assert set(layers.Resizing(2, 2).get_config()) == {
        "name", "trainable", "dtype", "data_format", "height", "width", "interpolation", "crop_to_aspect_ratio",
        "pad_to_aspect_ratio", "fill_mode", "fill_value", "antialias"}
    assert set(layers.CenterCrop(2, 2).get_config()) == {"name", "trainable", "dtype", "data_format", "height",
                                                         "width"}


@pytest.mark.parametrize("make, match", [
    (lambda: layers.Resizing(0, 3), "Resizing: height must be a positive int, got 0"),
    (lambda: layers.Resizing(3, None), "Resizing: width"),
    (lambda: layers.Resizing(3, 3, interpolation="cubic"), "Resizing: interpolation .*'cubic'"),
    (lambda: layers.Resizing(3, 3, fill_mode="reflect"), "Resizing: fill_mode"),
    (lambda: layers.Resizing(3, 3, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True), "only one of"),
    (lambda: layers.CenterCrop(-2, 3), "CenterCrop: height"),
])
def test_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_wrong_rank():
    for layer in (layers.Resizing(2, 2), layers.CenterCrop(2, 2)):
        with pytest.raises(ValueError, match=r"expected images .*got shape \(3, 4\)"):
            layer(np.zeros((3, 4), "float32"))
        with pytest.raises(ValueError, match="expected images"):
            layer.compute_output_shape((None, 3))

"""image_transform: fill modes, the affine map, resizing — small cases worked by hand, and gradients."""
import numpy as np
import pytest

import glassnet as gn
from glassnet.layers.preprocessing import image_transform as T
from glassnet.testing import gradcheck

rng = np.random.default_rng(0)


@pytest.mark.parametrize("fill_mode, expected", [
    # indices −3 … 6 of a row a b c d (0 … 3)
    ("reflect", [2, 1, 0, 0, 1, 2, 3, 3, 2, 1]),     # d c b a | a b c d | d c b a
    ("mirror", [3, 2, 1, 0, 1, 2, 3, 2, 1, 0]),      # d c b | a b c d | c b a
    ("wrap", [1, 2, 3, 0, 1, 2, 3, 0, 1, 2]),        # a b c d | a b c d | a b c d
    ("nearest", [0, 0, 0, 0, 1, 2, 3, 3, 3, 3]),     # a a a | a b c d | d d d
])
def test_fill_modes_map_an_index_back_into_the_row(fill_mode, expected):
    np.testing.assert_array_equal(T.fix_index(np.arange(-3, 7), 4, fill_mode), expected)


def test_a_one_pixel_row_maps_everything_to_its_pixel():
    for mode in ("reflect", "mirror", "wrap", "nearest"):
        np.testing.assert_array_equal(T.fix_index(np.arange(-3, 4), 1, mode), np.zeros(7))


def test_translation_by_one_pixel_with_constant_fill():
    image = np.arange(1.0, 13.0).reshape(1, 3, 4, 1)
    # dx = 1: the output at column j reads column j − 1; column 0 reads outside → fill_value 9
    out = T.affine_transform(image, T.translation_matrix([[1.0, 0.0]]), fill_mode="constant", fill_value=9.0).numpy()
    np.testing.assert_array_equal(out[0, :, :, 0], [[9, 1, 2, 3], [9, 5, 6, 7], [9, 9, 10, 11]])
    # dy = −1: the picture moves up; the bottom row reads outside
    out = T.affine_transform(image, T.translation_matrix([[0.0, -1.0]]), fill_mode="constant").numpy()
    np.testing.assert_array_equal(out[0, :, :, 0], [[5, 6, 7, 8], [9, 10, 11, 12], [0, 0, 0, 0]])


def test_half_a_pixel_is_the_average_of_the_two_neighbours():
    image = np.array([[0.0, 2.0, 4.0, 6.0]]).reshape(1, 1, 4, 1)
    out = T.affine_transform(image, T.translation_matrix([[0.5, 0.0]]), fill_mode="nearest").numpy()
    # x_in = x − ½: (a a | a b ...) so pixel 0 averages a with a
    np.testing.assert_allclose(out.ravel(), [0.0, 1.0, 3.0, 5.0])
    out = T.affine_transform(image, T.translation_matrix([[0.5, 0.0]]), fill_mode="constant", fill_value=4.0).numpy()
    np.testing.assert_allclose(out.ravel(), [2.0, 1.0, 3.0, 5.0])      # ½·fill + ½·a at the border


def test_identity_transforms_give_the_image_back():
    image = rng.random((2, 5, 6, 3))
    for matrix in (T.zoom_matrix([[1.0, 1.0]], 5, 6), T.translation_matrix([[0.0, 0.0]]),
                   T.rotation_matrix([0.0], 5, 6)):
        for interpolation in T.INTERPOLATIONS:
            out = T.affine_transform(image, matrix, interpolation=interpolation)
            np.testing.assert_allclose(out.numpy(), image, atol=1e-12)


@pytest.mark.parametrize("degrees, turns", [(90.0, 1), (180.0, 2), (-90.0, -1)])
def test_rotation_by_quarter_turns_is_rot90(degrees, turns):
    image = rng.random((1, 4, 4, 2))
    out = T.affine_transform(image, T.rotation_matrix([degrees], 4, 4)).numpy()
    np.testing.assert_allclose(out[0], np.rot90(image[0], k=turns, axes=(0, 1)), atol=1e-12)


def test_zoom_by_two_reads_every_other_pixel_about_the_centre():
    image = np.arange(5.0).reshape(1, 1, 5, 1)
    # c = 2: x_in = 2·(x − 2) + 2 = 2x − 2 → −2, 0, 2, 4, 6; reflect maps −2 → 1 and 6 → 3
    out = T.affine_transform(image, T.zoom_matrix([[2.0, 1.0]], 1, 5), fill_mode="reflect").numpy()
    np.testing.assert_array_equal(out.ravel(), [1.0, 0.0, 2.0, 4.0, 3.0])


def test_unbatched_image_and_one_transform_for_a_batch():
    images = rng.random((3, 4, 5, 2))
    matrix = T.rotation_matrix([30.0], 4, 5)
    batch = T.affine_transform(images, matrix[0]).numpy()
    for i in range(3):
        np.testing.assert_allclose(T.affine_transform(images[i], matrix).numpy(), batch[i], atol=1e-12)


def test_affine_transform_bad_arguments():
    with pytest.raises(ValueError, match="fill_mode"):
        T.affine_transform(np.zeros((1, 2, 2, 1)), np.eye(3).ravel()[:8], fill_mode="reflekt")
    with pytest.raises(ValueError, match="interpolation"):
        T.affine_transform(np.zeros((1, 2, 2, 1)), np.eye(3).ravel()[:8], interpolation="cubic")
    with pytest.raises(ValueError, match="transform must have shape"):
        T.affine_transform(np.zeros((2, 2, 2, 1)), np.zeros((3, 8)))
    with pytest.raises(ValueError, match="height, width, channels"):
        T.affine_transform(np.zeros((2, 2)), np.zeros(8))


@pytest.mark.parametrize("fill_mode", T.FILL_MODES + ("mirror",))
@pytest.mark.parametrize("interpolation", T.INTERPOLATIONS)
def test_affine_transform_gradcheck(fill_mode, interpolation):
    matrix = T.rotation_matrix([27.0, -61.0], 4, 5)
    matrix[:, 2] += [0.3, -1.7]

    def f(images):
        return T.affine_transform(images, matrix, interpolation, fill_mode, fill_value=0.5)

    gradcheck(f, [rng.standard_normal((2, 4, 5, 2))])


def test_resize_weights_average_neighbours_and_sum_to_one():
    M = T.resize_weights(2, 4)     # sample points (j + ½)/2 − ½ = −¼, ¼, ¾, 1¼
    np.testing.assert_allclose(M, [[1.0, 0.75, 0.25, 0.0], [0.0, 0.25, 0.75, 1.0]])
    for interpolation in ("bilinear", "bicubic", "lanczos3", "lanczos5"):
        for n_in, n_out in ((7, 3), (3, 7), (10, 10)):
            np.testing.assert_allclose(T.resize_weights(n_in, n_out, interpolation).sum(axis=0), 1.0, atol=1e-12)


def test_nearest_indices_are_exact():
    np.testing.assert_array_equal(T.nearest_indices(4, 6), [0, 1, 1, 2, 3, 3])   # ⌊(2j+1)·4/12⌋
    np.testing.assert_array_equal(T.nearest_indices(6, 3), [1, 3, 5])


@pytest.mark.parametrize("interpolation", T.RESIZE_INTERPOLATIONS)
def test_resizing_a_constant_image_keeps_it_constant(interpolation):
    image = np.full((2, 5, 7, 3), 0.25)
    for size in ((3, 3), (11, 4), (5, 7)):
        out = T.resize(image, *size, interpolation=interpolation, antialias=True).numpy()
        assert out.shape == (2, *size, 3)
        np.testing.assert_allclose(out, 0.25, atol=1e-12)


def test_resize_aspect_ratio_crop_and_pad():
    image = np.arange(24.0).reshape(1, 4, 6, 1)
    cropped = T.resize(image, 2, 2, interpolation="nearest", crop_to_aspect_ratio=True).numpy()
    np.testing.assert_array_equal(cropped[0, :, :, 0], image[0, 0:4, 1:5, 0][1::2, 1::2])   # the central 4×4, halved
    padded = T.resize(image, 6, 6, interpolation="nearest", pad_to_aspect_ratio=True, fill_value=-1.0).numpy()
    np.testing.assert_array_equal(padded[0, :, :, 0], np.pad(image[0, :, :, 0], ((1, 1), (0, 0)), constant_values=-1))
    with pytest.raises(ValueError, match="only one of"):
        T.resize(image, 2, 2, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest", "bicubic"])
def test_resize_gradcheck(interpolation):
    gradcheck(lambda x: T.resize(x, 3, 7, interpolation=interpolation, antialias=True),
              [rng.standard_normal((2, 5, 4, 2))])

"""UpSampling1D/2D, ZeroPadding1D/2D, Cropping1D/2D: worked examples, gradients, shapes, bad input."""
import numpy as np
import pytest

from glassnet import layers
from glassnet.layers.reshaping.up_sampling import bilinear_matrix
from glassnet.testing import layer_gradcheck

rng = np.random.default_rng(0)


def test_up_sampling_2d_nearest_repeats_each_pixel_into_a_block():
    x = np.array([[1., 2.], [3., 4.]]).reshape(1, 2, 2, 1)
    y = layers.UpSampling2D((2, 3))(x).numpy()[0, :, :, 0]
    np.testing.assert_array_equal(y, [[1, 1, 1, 2, 2, 2], [1, 1, 1, 2, 2, 2], [3, 3, 3, 4, 4, 4], [3, 3, 3, 4, 4, 4]])


def test_up_sampling_1d_repeats_each_step():
    x = np.arange(6.0).reshape(1, 3, 2)
    np.testing.assert_array_equal(layers.UpSampling1D(2)(x).numpy()[0], [[0, 1], [0, 1], [2, 3], [2, 3], [4, 5], [4, 5]])


def test_bilinear_interpolation_with_half_pixel_centres():
    # [0, 1] doubled: output pixel o sits at u = (o + ½)/2 − ½ = −¼, ¼, ¾, 1¼, clamped to [0, 1]
    np.testing.assert_allclose(bilinear_matrix(2, 2, "float64") @ [0.0, 1.0], [0.0, 0.25, 0.75, 1.0])
    # 3 → 9 (factor 3): u = 0, 0, 1/3, 2/3, 1, 4/3, 5/3, 2, 2 (the ends clamp)
    np.testing.assert_allclose(bilinear_matrix(3, 3, "float64") @ [0.0, 3.0, 6.0], [0, 0, 1, 2, 3, 4, 5, 6, 6])
    A = bilinear_matrix(5, 4, "float64")
    np.testing.assert_allclose(A.sum(axis=1), 1.0)                           # every row is a weighted mean
    x = rng.standard_normal((2, 3, 4, 2))
    y = layers.UpSampling2D((2, 3), interpolation="bilinear", dtype="float64")(x).numpy()
    expected = np.einsum("ph,bhwc,qw->bpqc", bilinear_matrix(3, 2, "float64"), x, bilinear_matrix(4, 3, "float64"))
    np.testing.assert_allclose(y, expected, rtol=1e-13)


def test_up_sampling_2d_refuses_the_interpolations_it_does_not_have():
    assert layers.UpSampling2D(interpolation="BILINEAR").interpolation == "bilinear"
    with pytest.raises(ValueError, match=r"interpolation must be one of \('nearest', 'bilinear'\), got 'bicubic'"):
        layers.UpSampling2D(interpolation="bicubic")


def test_zero_padding_2d_forms():
    x = np.ones((1, 2, 3, 1))
    y = layers.ZeroPadding2D(((1, 0), (2, 1)))(x).numpy()[0, :, :, 0]
    np.testing.assert_array_equal(y, [[0, 0, 0, 0, 0, 0], [0, 0, 1, 1, 1, 0], [0, 0, 1, 1, 1, 0]])
    assert layers.ZeroPadding2D(2).padding == ((2, 2), (2, 2))
    assert layers.ZeroPadding2D((1, 3)).padding == ((1, 1), (3, 3))
    assert layers.ZeroPadding2D(((1, 2), 3)).padding == ((1, 2), (3, 3))
    assert layers.ZeroPadding1D().padding == (1, 1)
    assert layers.ZeroPadding1D((0, 2)).padding == (0, 2)
    np.testing.assert_array_equal(layers.ZeroPadding1D((2, 1))(np.ones((1, 2, 1))).numpy()[0, :, 0], [0, 0, 1, 1, 0])


def test_cropping_2d_forms():
    x = np.arange(30.0).reshape(1, 5, 6, 1)
    y = layers.Cropping2D(((1, 2), (0, 3)))(x).numpy()[0, :, :, 0]
    np.testing.assert_array_equal(y, x[0, 1:3, 0:3, 0])
    assert layers.Cropping2D(1).cropping == ((1, 1), (1, 1))
    assert layers.Cropping2D((1, 2)).cropping == ((1, 1), (2, 2))
    assert layers.Cropping1D().cropping == (1, 1)
    np.testing.assert_array_equal(layers.Cropping1D((0, 2))(np.arange(5.0).reshape(1, 5, 1)).numpy()[0, :, 0], [0, 1, 2])


CASES = [
    (layers.UpSampling1D, {}, (2, 3, 2)),
    (layers.UpSampling1D, {"size": 3}, (1, 4, 2)),
    (layers.UpSampling2D, {}, (2, 2, 3, 2)),
    (layers.UpSampling2D, {"size": (3, 2)}, (1, 3, 2, 2)),
    (layers.UpSampling2D, {"size": (2, 3), "interpolation": "bilinear"}, (1, 3, 4, 2)),
    (layers.UpSampling2D, {"size": 2, "interpolation": "bilinear"}, (2, 2, 2, 1)),
    (layers.ZeroPadding1D, {}, (2, 3, 2)),
    (layers.ZeroPadding1D, {"padding": (0, 2)}, (2, 3, 2)),
    (layers.ZeroPadding2D, {}, (2, 2, 3, 2)),
    (layers.ZeroPadding2D, {"padding": ((1, 0), (2, 3))}, (1, 3, 2, 2)),
    (layers.Cropping1D, {}, (2, 5, 2)),
    (layers.Cropping1D, {"cropping": (0, 2)}, (2, 4, 2)),
    (layers.Cropping2D, {"cropping": 1}, (1, 4, 5, 2)),
    (layers.Cropping2D, {"cropping": ((2, 0), (1, 2))}, (2, 4, 5, 1)),
]
IDS = [f"{cls.__name__}-{i}" for i, (cls, _, _) in enumerate(CASES)]


@pytest.mark.parametrize("cls, arguments, shape", CASES, ids=IDS)
def test_layer_gradcheck(cls, arguments, shape):
    layer_gradcheck(cls(dtype="float64", **arguments), rng.standard_normal(shape))


@pytest.mark.parametrize("cls, arguments, shape", CASES, ids=IDS)
def test_layer_output_shape(cls, arguments, shape):
    layer = cls(**arguments)
    y = layer(rng.standard_normal(shape))
    assert y.dtype == np.float32 and tuple(y.shape) == layer.compute_output_shape(shape)
    unknown = (None,) * (len(shape) - 1) + (shape[-1],)
    assert layer.compute_output_shape(unknown) == (None,) * (len(shape) - 1) + (shape[-1],)


@pytest.mark.parametrize("make, shape, message", [
    (lambda: layers.UpSampling2D(), (2, 3, 4), r"expected a 4-D input \(batch, height, width, channels\), got shape "
                                               r"\(2, 3, 4\)"),
    (lambda: layers.UpSampling1D(), (2, 3, 4, 1), r"expected a 3-D input \(batch, steps, channels\), got shape"),
    (lambda: layers.ZeroPadding2D(), (2, 3), r"expected a 4-D input.*got shape \(2, 3\)"),
    (lambda: layers.ZeroPadding1D(), (2, 3, 3, 3), r"expected a 3-D input.*got shape \(2, 3, 3, 3\)"),
    (lambda: layers.Cropping2D(((1, 2), (0, 0))), (1, 3, 4, 1), r"cropping \(\(1, 2\), \(0, 0\)\) removes 1 \+ 2 of "
                                                                r"the 3 positions of axis 1 of the input of shape "
                                                                r"\(1, 3, 4, 1\)"),
    (lambda: layers.Cropping1D(2), (1, 4, 1), r"cropping \(2, 2\) removes 2 \+ 2 of the 4 positions of axis 1"),
    (lambda: layers.Cropping1D(), (1, 4), r"expected a 3-D input"),
])
def test_bad_input_raises_before_the_layer_is_built(make, shape, message):
    layer = make()
    with pytest.raises(ValueError, match=layer.name + ": " + message):
        layer(np.zeros(shape, "float32"))
    assert not layer.built
    with pytest.raises(ValueError, match=message):
        layer.compute_output_shape(shape)


@pytest.mark.parametrize("make, message", [
    (lambda: layers.UpSampling1D(0), r"UpSampling1D: size must be a positive int, got 0"),
    (lambda: layers.UpSampling2D((2, 0)), r"UpSampling2D: size must be positive ints"),
    (lambda: layers.ZeroPadding2D(-1), r"ZeroPadding2D: padding must be non-negative ints, got -1"),
    (lambda: layers.ZeroPadding2D((1, 2, 3)), r"ZeroPadding2D: padding must be an int, a tuple of 2 ints, or a tuple "
                                              r"of 2 \(before, after\) pairs"),
    (lambda: layers.ZeroPadding2D(((1, 2, 3), 1)), r"ZeroPadding2D: padding\[0\] must be an int or a tuple of 2 ints"),
    (lambda: layers.ZeroPadding1D((1, 2, 3)), r"ZeroPadding1D: padding must be an int or a tuple of 2 ints"),
    (lambda: layers.Cropping2D("1"), r"Cropping2D: cropping must be an int, a tuple of 2 ints"),
    (lambda: layers.Cropping1D(-2), r"Cropping1D: cropping must be non-negative ints"),
    # "channels_first" is accepted (tests/layers/test_channels_first.py); anything else is refused by name
    (lambda: layers.Cropping2D(data_format="channels_middle"), r"Cropping2D: data_format must be one of"),
    (lambda: layers.UpSampling2D(data_format="NCHW"), r"UpSampling2D: data_format must be one of"),
    (lambda: layers.ZeroPadding1D(data_format="NCW"), r"ZeroPadding1D: data_format must be one of"),
])
def test_bad_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()

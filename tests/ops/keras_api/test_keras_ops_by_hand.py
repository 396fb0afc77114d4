"""Keras-named ops checked by hand: control flow, conversion, dtype rules, factorizations, errors."""
import numpy as np
import pytest

import glassnet as gn
from glassnet import Tensor, ops
from tests.gradcheck import gradcheck

BY_HAND = {"cond", "fori_loop", "while_loop", "scan", "map", "vectorized_map", "switch", "associative_scan",
           "vectorize", "custom_gradient", "convert_to_numpy", "is_tensor", "dtype", "shape", "ndim", "size",
           "argpartition", "lu_factor", "top_k", "cast", "jvp"}


# --- conversion and the dtype rules ------------------------------------------------------------------
def test_shape_is_a_function_returning_a_tuple():
    x = Tensor(np.zeros((2, 3, 4)))
    assert ops.shape(x) == (2, 3, 4) and isinstance(ops.shape(x), tuple)
    assert ops.ndim(x) == 3 and ops.size(x) == 24
    assert ops.shape([[1, 2, 3]]) == (1, 3)


def test_conversion_rules():
    assert ops.convert_to_tensor([1.0, 2.0]).dtype == np.float32           # Python floats: floatx
    assert ops.convert_to_tensor([1, 2]).dtype == np.int32                 # Python ints: int32
    assert ops.convert_to_tensor(np.arange(3)).dtype == np.int64           # arrays keep their dtype
    assert ops.convert_to_tensor([True]).dtype == bool
    assert ops.is_tensor(ops.convert_to_tensor(1.0)) and not ops.is_tensor(np.ones(2))
    assert ops.dtype(Tensor(np.ones(2, np.float64))) == "float64"
    out = ops.convert_to_numpy(ops.add(Tensor(np.ones(2)), 1.0))
    assert isinstance(out, np.ndarray) and out.tolist() == [2.0, 2.0]


def test_promotion_rules():
    i32 = ops.convert_to_tensor([1, 2])
    f32 = ops.convert_to_tensor([0.5, 0.25])
    assert ops.add(i32, f32).dtype == np.float32                           # int + float -> that float (NumPy: float64)
    assert ops.add(i32, 1).dtype == np.int32                               # a Python int is weak
    assert ops.add(i32, 1.5).dtype == np.float32                           # a Python float makes floatx
    assert ops.multiply(f32, np.ones(2, np.float64)).dtype == np.float32   # an array next to a Tensor is weak
    assert ops.add(Tensor(np.ones(2, np.float64)), f32).dtype == np.float64   # two Tensors: the wider float
    assert ops.divide(i32, i32).dtype == np.float32                        # true division of ints: floatx
    assert ops.sqrt(i32).dtype == np.float32 and ops.mean(i32).dtype == np.float32
    assert ops.abs(ops.convert_to_tensor([-3])).dtype == np.int32
    assert ops.sum(ops.convert_to_tensor([True, True, False])).item() == 2
    assert ops.argmax(f32).dtype == np.int32
    assert ops.cast(f32, "float64").dtype == np.float64 and ops.cast(f32, "int32").dtype == np.int32
    assert ops.result_type(i32, 1.5) == np.float32


def test_cast_keeps_the_gradient_between_floats():
    assert gradcheck(lambda x: ops.cast(ops.cast(x, "float32"), "float64") * 1.0, [np.array([0.5, -1.0])],
                     eps=1e-2, atol=1e-4)


# --- control flow: Python loops with gradients through the steps taken -------------------------------------
def test_cond_and_switch():
    x = Tensor(np.array([2.0]), requires_grad=True)
    y = ops.cond(ops.greater(ops.sum(x), 1.0), lambda: x * 3.0, lambda: x * 5.0)
    y.sum().backward()
    assert y.tolist() == [6.0] and x.grad.tolist() == [3.0]
    assert ops.switch(1, [lambda a: a + 1, lambda a: a * 10], 4) == 40
    assert ops.switch(7, [lambda a: a + 1, lambda a: a * 10], 4) == 40          # the index is clipped


def test_fori_loop_and_while_loop():
    assert ops.fori_loop(0, 5, lambda i, v: v + i, 0) == 10
    x = Tensor(np.array(1.5), requires_grad=True)
    y = ops.fori_loop(0, 3, lambda i, v: v * x, Tensor(np.array(1.0)))          # x³
    y.backward()
    assert np.isclose(y.item(), 3.375) and np.isclose(x.grad, 3 * 1.5 ** 2)
    i, total = ops.while_loop(lambda i, t: i < 4, lambda i, t: (i + 1, t + i), (0, 0))
    assert (i, total) == (4, 6)
    assert ops.while_loop(lambda v: v < 100, lambda v: v * 2, 1) == 128
    assert ops.while_loop(lambda v: v < 100, lambda v: v * 2, 1, maximum_iterations=3) == 8


def test_scan_cumulative_sum_and_its_gradient():
    xs = np.array([1.0, 2.0, 3.0, 4.0])
    carry, ys = ops.scan(lambda c, x: (c + x, c * x), Tensor(np.array(0.0)), xs)
    assert carry.item() == 10.0 and ys.tolist() == [0.0, 2.0, 9.0, 24.0]
    carry, ys = ops.scan(lambda c, x: (c + x, c), Tensor(np.array(0.0)), xs, reverse=True)
    assert ys.tolist() == [9.0, 7.0, 4.0, 0.0]
    assert gradcheck(lambda x: ops.scan(lambda c, v: (c * v + 1.0, c), ops.ones(()), x)[1], [np.array([0.5, -1.2, 2.0])])
    carry, ys = ops.scan(lambda c, _: (c + 1, c), 0, None, length=3)
    assert carry == 3 and ys.tolist() == [0, 1, 2]


def test_map_vectorized_map_associative_scan():
    xs = np.arange(6.0).reshape(3, 2)
    assert ops.map(lambda r: ops.sum(r), xs).tolist() == [1.0, 5.0, 9.0]
    assert ops.vectorized_map(lambda r: r * 2.0, xs).tolist() == (xs * 2).tolist()
    pair = ops.vectorized_map(lambda e: e[0] + e[1], (xs, xs))
    assert pair.tolist() == (2 * xs).tolist()
    assert ops.associative_scan(lambda a, b: a + b, np.array([1.0, 2.0, 3.0])).tolist() == [1.0, 3.0, 6.0]
    assert ops.associative_scan(lambda a, b: a * b, np.array([1.0, 2.0, 3.0]), reverse=True).tolist() == [6.0, 6.0, 3.0]
    assert gradcheck(lambda x: ops.associative_scan(ops.multiply, x), [np.array([0.5, 1.5, -2.0])])


def test_vectorize():
    f = ops.vectorize(lambda a, b: a * 2 + b)
    assert f(np.array([1.0, 2.0]), np.array([10.0, 20.0])).tolist() == [12.0, 24.0]
    dot = ops.vectorize(lambda a, b: ops.sum(a * b), signature="(n),(n)->()")
    assert dot(np.ones((3, 2)), np.full((3, 2), 2.0)).tolist() == [4.0, 4.0, 4.0]


def test_custom_gradient_uses_the_given_backward():
    @ops.custom_gradient
    def log1pexp(x):
        e = ops.exp(x)

        def grad(upstream):
            return upstream * (1 - 1 / (1 + e))
        return ops.log(1 + e), grad

    x = Tensor(np.array([0.0, 2.0, 100.0]), requires_grad=True)
    y = log1pexp(x)
    y.sum().backward()
    np.testing.assert_allclose(x.grad, 1 / (1 + np.exp(-x.data)), rtol=1e-12)
    assert gradcheck(lambda t: log1pexp(t), [np.array([0.3, -1.0])])


# --- factorizations and sorting details ------------------------------------------------------------------
def test_argpartition_and_top_k():
    x = np.array([3.0, 1.0, 2.0, 0.5])
    part = ops.argpartition(x, 1).numpy()
    assert set(part[:2].tolist()) == {1, 3} and part.dtype == np.int32
    values, indices = ops.top_k(np.array([[1.0, 5.0, 3.0]]), 2)
    assert values.tolist() == [[5.0, 3.0]] and indices.tolist() == [[1, 2]] and indices.dtype == np.int32


def test_lu_factor_rebuilds_the_matrix():
    a = np.array([[4.0, 3.0], [6.0, 3.0]])
    lu, piv = ops.lu_factor(a)
    lower = np.tril(lu.numpy(), -1) + np.eye(2)
    upper = np.triu(lu.numpy())
    permuted = a.copy()
    for i, p in enumerate(piv.numpy()):
        permuted[[i, p]] = permuted[[p, i]]
    np.testing.assert_allclose(lower @ upper, permuted)


def test_namespaces_like_keras():
    assert ops.nn.relu is ops.relu and ops.linalg.inv is ops.inv


# --- errors ----------------------------------------------------------------------------------------
def test_clear_errors():
    with pytest.raises(ValueError, match="x_min"):
        ops.clip(np.ones(2), 1.0, 0.0)
    with pytest.raises(ValueError, match="cannot be split"):
        ops.split(np.ones(5), 2)
    with pytest.raises(ValueError, match="4-D"):
        ops.dot_product_attention(np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match="same shape|differs"):
        ops.binary_crossentropy(np.ones(3), np.ones(2) * 0.5)
    with pytest.raises(ValueError, match="unknown mode"):
        ops.pad(np.ones(3), 1, mode="circular")
    with pytest.raises(ValueError, match="q must be in"):
        ops.quantile(np.ones(3), 1.5)
    with pytest.raises(ValueError, match="ellipsis"):
        ops.einsum("...i,i->...", np.ones((2, 3)), np.ones(3))
    with pytest.raises(ValueError, match="positive definite"):
        ops.cholesky(-np.eye(2))
    with pytest.raises(TypeError, match="integer"):
        ops.bitwise_and(np.ones(2), np.ones(2))


def test_conv_reads_glassnets_older_bias_third_form():
    x, w, b = np.random.default_rng(0).standard_normal((1, 4, 4, 2)), np.ones((3, 3, 2, 1)), np.array([0.5])
    keras_form = ops.conv(x, w, 1, "valid") + 0.5
    older_form = ops.conv(Tensor(x), Tensor(w), Tensor(b), strides=1, padding="valid")
    np.testing.assert_allclose(older_form.numpy(), keras_form.numpy())
    with pytest.raises(TypeError, match="both by position and by keyword"):
        ops.conv(x, w, 2, strides=2)
    channels_first = ops.conv(np.moveaxis(x, -1, 1), w, data_format="channels_first")
    np.testing.assert_allclose(np.moveaxis(channels_first.numpy(), 1, -1), (keras_form - 0.5).numpy())


def test_ops_compose_in_a_custom_layer_style_loss():
    """A Keras-3-style snippet, written with ops only, trains its weight toward the answer."""
    gn.backend.set_floatx("float64")
    try:
        w = gn.Variable(np.zeros((3, 1)))
        x = np.random.default_rng(1).standard_normal((16, 3))
        y = x @ np.array([[1.0], [-2.0], [0.5]])
        for _ in range(1000):
            pred = ops.matmul(x, w)
            loss = ops.mean(ops.square(ops.subtract(pred, y)))
            w.grad = None
            loss.backward()
            w.data -= 0.1 * w.grad
        np.testing.assert_allclose(w.numpy().ravel(), [1.0, -2.0, 0.5], atol=1e-6)
    finally:
        gn.backend.set_floatx("float32")


def test_jvp_is_the_jacobian_times_the_tangent():
    x, t = np.array([1.0, 2.0, -0.5]), np.array([0.3, -1.0, 2.0])
    out, tangent = ops.jvp(lambda a: ops.sin(a) * a, (x,), (t,))
    np.testing.assert_allclose(out.numpy(), np.sin(x) * x)
    np.testing.assert_allclose(tangent.numpy(), (np.cos(x) * x + np.sin(x)) * t, rtol=1e-12)
    out, tangent, aux = ops.jvp(lambda a, b: (ops.sum(a * b), "aux"), (x, t), (t, x), has_aux=True)
    assert aux == "aux" and np.isclose(tangent.item(), np.dot(t, t) + np.dot(x, x))   # Σ (b·t_a + a·t_b)
    with pytest.raises(ValueError, match="tangents"):
        ops.jvp(lambda a: a, (x,), ())


def test_ctc_decode_only_greedy():
    with pytest.raises(ValueError, match="greedy"):
        ops.ctc_decode(np.zeros((1, 2, 3)), np.array([2]), strategy="beam_search")


def test_a_list_of_tensors_converts_with_its_gradient():
    a = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    stacked = ops.convert_to_tensor([a, a * 3.0])
    ops.sum(stacked).backward()
    assert stacked.shape == (2, 2) and a.grad.tolist() == [4.0, 4.0]


def test_image_namespace_by_hand():
    white = np.ones((1, 2, 2, 3))
    np.testing.assert_allclose(ops.image.rgb_to_grayscale(white).numpy(), np.full((1, 2, 2, 1), 0.9999), rtol=1e-12)
    red = np.array([[[[1.0, 0.0, 0.0]]]])
    np.testing.assert_allclose(ops.image.rgb_to_hsv(red).numpy(), [[[[0.0, 1.0, 1.0]]]])
    np.testing.assert_allclose(ops.image.hsv_to_rgb(ops.image.rgb_to_hsv(red)).numpy(), red)
    first = ops.image.rgb_to_grayscale(np.moveaxis(white, -1, 1), data_format="channels_first")
    assert first.shape == (1, 1, 2, 2)
    with pytest.raises(ValueError, match="exactly two"):
        ops.image.pad_images(white, top_padding=1)
    with pytest.raises(ValueError, match="cannot crop"):
        ops.image.crop_images(white, top_cropping=1, bottom_cropping=1, left_cropping=0, right_cropping=0)

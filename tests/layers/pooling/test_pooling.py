"""Max and average pooling: the ops and the layers.

Gradient checks (float64), the course's worked examples, a loop-by-loop reference for
every padding and stride, the tie rule of max-pool backward, and bad input.
"""
import math

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers, ops
from glassnet.testing import gradcheck, layer_gradcheck


def distinct(*shape, seed=0):
    """Values 0.1 apart or more, shuffled: no window holds a tie, so a max is differentiable
    there and finite differences (ε = 1e-6) never cross from one arg-max to another."""
    return np.random.default_rng(seed).permutation(math.prod(shape)).reshape(shape) * 0.1 - 1.0


def reference_pool(x, pool_size, strides, padding, kind):
    """Pooling by hand: one window at a time, over the real pixels it covers.

    "same" is written out here on its own (not with glassnet's windows.py): the output is
    ⌈n/s⌉, the total padding max((out − 1)·s + k − n, 0), the smaller half before.
    """
    n, h, w, c = x.shape
    out, before = [], []
    for size, k, s in zip((h, w), pool_size, strides):
        if padding == "valid":
            out.append((size - k) // s + 1)
            before.append(0)
        else:
            o = -(-size // s)
            out.append(o)
            before.append(max((o - 1) * s + k - size, 0) // 2)
    y = np.empty((n, out[0], out[1], c))
    for p in range(out[0]):
        for q in range(out[1]):
            top, left = p * strides[0] - before[0], q * strides[1] - before[1]
            window = x[:, max(top, 0):top + pool_size[0], max(left, 0):left + pool_size[1], :]
            y[:, p, q, :] = window.max(axis=(1, 2)) if kind == "max" else window.mean(axis=(1, 2))
    return y


# pool_size, strides, padding, input shape (n, h, w, c)
CASES = [
    ((2, 2), None, "valid", (2, 4, 6, 2)),      # the common case: windows tile the image
    ((2, 2), None, "valid", (2, 5, 7, 2)),      # odd sizes: the last row and column are dropped
    ((2, 2), None, "same", (2, 5, 7, 2)),       # odd sizes: one row/column of padding at the bottom/right
    ((3, 3), (2, 2), "valid", (1, 7, 6, 2)),    # overlapping windows
    ((3, 3), (2, 2), "same", (1, 6, 5, 2)),     # overlapping, even and odd sizes padded
    ((2, 3), (1, 1), "same", (1, 4, 5, 2)),     # stride 1: "same" keeps the size
    ((3, 3), (1, 1), "same", (1, 5, 4, 1)),     # padding on both sides
    ((2, 2), (3, 3), "valid", (1, 7, 8, 1)),    # gaps between the windows
    ((3, 1), (1, 2), "valid", (2, 5, 5, 1)),
    ((4, 4), (1, 3), "same", (1, 5, 7, 1)),     # padding (1, 2): more after than before
]
IDS = [f"{p}-{s}-{pad}-{'x'.join(map(str, shape))}" for p, s, pad, shape in CASES]


# --- ops -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("pool_size, strides, padding, shape", CASES, ids=IDS)
def test_op_matches_the_loop_reference(kind, pool_size, strides, padding, shape):
    x = np.random.default_rng(1).standard_normal(shape) - 2.0     # negative: a zero pad would win a max
    op = ops.max_pool if kind == "max" else ops.avg_pool
    y = op(x, pool_size, strides, padding).numpy()
    expected = reference_pool(x, pool_size, strides or pool_size, padding, "max" if kind == "max" else "mean")
    np.testing.assert_allclose(y, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("op", [ops.max_pool, ops.avg_pool], ids=["max_pool", "avg_pool"])
@pytest.mark.parametrize("pool_size, strides, padding, shape", CASES, ids=IDS)
def test_op_gradcheck(op, pool_size, strides, padding, shape):
    gradcheck(lambda x: op(x, pool_size, strides, padding), [distinct(*shape)])


@pytest.mark.parametrize("op", [ops.max_pool, ops.avg_pool], ids=["max_pool", "avg_pool"])
@pytest.mark.parametrize("pool_size, strides, padding, steps", [(2, None, "valid", 7), (2, None, "same", 7),
                                                                 (3, 2, "same", 8), (3, 1, "valid", 6)])
def test_op_on_sequences_gradcheck(op, pool_size, strides, padding, steps):
    x = distinct(2, steps, 3)
    gradcheck(lambda t: op(t, pool_size, strides, padding), [x])
    image = op(x[:, None], (1, pool_size), (1, strides or pool_size), padding).numpy()[:, 0]
    np.testing.assert_array_equal(op(x, pool_size, strides, padding).numpy(), image)   # a height-1 image


COURSE = np.array([[1., 3., 2., 1.],
                   [4., 6., 5., 0.],
                   [7., 2., 1., 9.],
                   [0., 8., 3., 4.]])


def test_the_course_4x4_max_pool():
    # 2×2 windows, stride 2: max{1,3,4,6} = 6, max{2,1,5,0} = 5, max{7,2,0,8} = 8, max{1,9,3,4} = 9
    y = ops.max_pool(COURSE.reshape(1, 4, 4, 1), 2).numpy()
    np.testing.assert_array_equal(y[0, :, :, 0], [[6, 5], [8, 9]])


def test_the_course_4x4_average_pool():
    # (1+3+4+6)/4 = 3.5, (2+1+5+0)/4 = 2, (7+2+0+8)/4 = 4.25, (1+9+3+4)/4 = 4.25
    y = ops.avg_pool(COURSE.reshape(1, 4, 4, 1), 2).numpy()
    np.testing.assert_array_equal(y[0, :, :, 0], [[3.5, 2.0], [4.25, 4.25]])


def test_same_average_pool_counts_only_real_pixels():
    # 3×3 image 1..9, 2×2 windows, stride 2, "same": one row and one column of padding at the end.
    # (1+2+4+5)/4 = 3, (3+6)/2 = 4.5, (7+8)/2 = 7.5, 9/1 = 9   (PyTorch's default would give 2.25, 2.25, ...)
    x = np.arange(1.0, 10.0).reshape(1, 3, 3, 1)
    np.testing.assert_array_equal(ops.avg_pool(x, 2, padding="same").numpy()[0, :, :, 0], [[3.0, 4.5], [7.5, 9.0]])


def test_same_max_pool_pads_with_minus_infinity():
    # Keras's docstring example (3×3, pool 2, stride 1, "same"), negated: a zero pad would win.
    x = np.arange(1.0, 10.0).reshape(1, 3, 3, 1)
    y = ops.max_pool(x, 2, 1, "same").numpy()[0, :, :, 0]
    np.testing.assert_array_equal(y, [[5, 6, 6], [8, 9, 9], [8, 9, 9]])
    y = ops.max_pool(-x, 2, 1, "same").numpy()[0, :, :, 0]
    np.testing.assert_array_equal(y, [[-1, -2, -3], [-4, -5, -6], [-7, -8, -9]])


def _max_pool_input_grad(x, pool_size, strides=None, padding="valid"):
    t = gn.Tensor(x, requires_grad=True)
    y = ops.max_pool(t, pool_size, strides, padding)
    y.backward(np.ones(y.shape))
    return t.grad


def test_max_pool_backward_sends_a_tie_to_the_first_maximum_in_row_major_order():
    # a window of equal values: all of the gradient goes to its top-left pixel
    np.testing.assert_array_equal(_max_pool_input_grad(np.ones((1, 2, 2, 1)), 2)[0, :, :, 0], [[1, 0], [0, 0]])
    # a tie between (0, 1) and (1, 0): (0, 1) comes first in row-major order
    x = np.array([[0., 5.], [5., 1.]]).reshape(1, 2, 2, 1)
    np.testing.assert_array_equal(_max_pool_input_grad(x, 2)[0, :, :, 0], [[0, 1], [0, 0]])
    # overlapping windows over a constant image (pool 2, stride 1): each window picks its own
    # top-left pixel; none is split
    g = _max_pool_input_grad(np.ones((1, 3, 3, 1)), 2, 1)[0, :, :, 0]
    np.testing.assert_array_equal(g, [[1, 1, 0], [1, 1, 0], [0, 0, 0]])


def test_max_pool_backward_adds_where_overlapping_windows_share_their_maximum():
    x = np.zeros((1, 3, 3, 1))
    x[0, 1, 1, 0] = 9.0                 # the centre is the max of all four 2×2 windows
    np.testing.assert_array_equal(_max_pool_input_grad(x, 2, 1)[0, :, :, 0], [[0, 0, 0], [0, 4, 0], [0, 0, 0]])


def test_average_pool_backward_spreads_over_the_real_pixels():
    t = gn.Tensor(np.arange(1.0, 10.0).reshape(1, 3, 3, 1), requires_grad=True)
    ops.avg_pool(t, 2, padding="same").backward(np.ones((1, 2, 2, 1)))
    # windows of 4, 2, 2 and 1 real pixels: each spreads 1 over what it covers
    np.testing.assert_array_equal(t.grad[0, :, :, 0], [[0.25, 0.25, 0.5], [0.25, 0.25, 0.5], [0.5, 0.5, 1.0]])


def test_float32_stays_float32():
    x = np.random.default_rng(0).standard_normal((2, 6, 6, 3)).astype("float32")
    for op in (ops.max_pool, ops.avg_pool):
        t = gn.Tensor(x, requires_grad=True)
        y = op(t, 3, 2, "same")
        y.backward(np.ones(y.shape, "float32"))
        assert y.dtype == np.float32 and t.grad.dtype == np.float32


@pytest.mark.parametrize("call, message", [
    (lambda: ops.max_pool(np.zeros((2, 3, 3)), 4), r"max_pool: pool_size \(4,\) does not fit the input of shape "
                                                   r"\(2, 3, 3\).*window of 4 is larger than axis 1's 3"),
    (lambda: ops.avg_pool(np.zeros((1, 4, 3, 2)), (2, 4)), r"avg_pool: pool_size \(2, 4\) does not fit the input of "
                                                           r"shape \(1, 4, 3, 2\).*axis 2's 3"),
    (lambda: ops.max_pool(np.zeros((4, 4)), 2), r"max_pool: expected a \(batch, steps, channels\) or \(batch, height, "
                                                r"width, channels\) input, got shape \(4, 4\)"),
    (lambda: ops.max_pool(np.zeros((1, 4, 4, 1)), 0), r"max_pool: pool_size must be a positive int"),
    (lambda: ops.max_pool(np.zeros((1, 4, 4, 1)), 2, (1, 0)), r"max_pool: strides must be a positive int.*\(1, 0\)"),
    (lambda: ops.avg_pool(np.zeros((1, 4, 4, 1)), 2, padding="full"), r"avg_pool: padding must be one of"),
])
def test_op_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- layers --------------------------------------------------------------------------------------
LAYER_CASES = [
    (layers.MaxPooling2D, {}, (2, 4, 6, 2)),
    (layers.MaxPooling2D, {"pool_size": 3, "strides": 2, "padding": "same"}, (1, 6, 5, 2)),
    (layers.MaxPooling2D, {"pool_size": (2, 3), "strides": 1, "padding": "valid"}, (2, 5, 5, 1)),
    (layers.MaxPooling2D, {"pool_size": 2, "padding": "same"}, (1, 5, 7, 2)),
    (layers.AveragePooling2D, {"pool_size": 2}, (2, 4, 6, 2)),
    (layers.AveragePooling2D, {"pool_size": 3, "strides": 2, "padding": "same"}, (1, 6, 5, 2)),
    (layers.AveragePooling2D, {"pool_size": (3, 2), "strides": (1, 2), "padding": "same"}, (1, 5, 5, 2)),
    (layers.AveragePooling2D, {"pool_size": 2, "padding": "valid"}, (2, 5, 7, 1)),
    (layers.MaxPooling1D, {}, (2, 6, 3)),
    (layers.MaxPooling1D, {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 8, 2)),
    (layers.MaxPooling1D, {"pool_size": 2, "strides": 1, "padding": "valid"}, (2, 7, 2)),
    (layers.AveragePooling1D, {"pool_size": 2}, (2, 7, 3)),
    (layers.AveragePooling1D, {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 8, 2)),
    (layers.AveragePooling1D, {"pool_size": 4, "strides": 1, "padding": "same"}, (1, 5, 2)),
    (layers.GlobalMaxPooling2D, {}, (2, 3, 4, 2)),
    (layers.GlobalMaxPooling2D, {"keepdims": True}, (2, 3, 3, 2)),
    (layers.GlobalAveragePooling2D, {}, (2, 3, 4, 2)),
    (layers.GlobalAveragePooling2D, {"keepdims": True}, (2, 3, 3, 2)),
    (layers.GlobalMaxPooling1D, {}, (2, 5, 3)),
    (layers.GlobalMaxPooling1D, {"keepdims": True}, (2, 5, 3)),
    (layers.GlobalAveragePooling1D, {}, (2, 5, 3)),
    (layers.GlobalAveragePooling1D, {"keepdims": True}, (2, 5, 3)),
]
LAYER_IDS = [f"{cls.__name__}-{i}" for i, (cls, _, _) in enumerate(LAYER_CASES)]


@pytest.mark.parametrize("cls, arguments, shape", LAYER_CASES, ids=LAYER_IDS)
def test_layer_gradcheck(cls, arguments, shape):
    layer_gradcheck(cls(dtype="float64", **arguments), distinct(*shape, seed=len(shape)))


@pytest.mark.parametrize("cls, arguments, shape", LAYER_CASES, ids=LAYER_IDS)
def test_layer_output_shape(cls, arguments, shape):
    layer = cls(**arguments)
    y = layer(np.random.default_rng(0).standard_normal(shape))
    assert y.dtype == np.float32
    assert tuple(y.shape) == layer.compute_output_shape(shape)
    unknown = (None, *shape[1:-1], shape[-1])
    assert layer.compute_output_shape(unknown) == (None, *y.shape[1:])


def test_layers_compute_what_the_ops_compute():
    x = np.random.default_rng(3).standard_normal((2, 7, 5, 3))
    for cls, op in ((layers.MaxPooling2D, ops.max_pool), (layers.AveragePooling2D, ops.avg_pool)):
        layer = cls(3, strides=2, padding="same", dtype="float64")
        np.testing.assert_array_equal(layer(x).numpy(), op(x, 3, 2, "same").numpy())
    np.testing.assert_array_equal(layers.GlobalMaxPooling2D(dtype="float64")(x).numpy(), x.max(axis=(1, 2)))
    np.testing.assert_array_equal(layers.GlobalAveragePooling1D(dtype="float64")(x[:, 0]).numpy(), x[:, 0].mean(axis=1))


def test_global_average_pooling_1d_with_a_mask():
    x = np.arange(12.0).reshape(2, 3, 2)
    mask = np.array([[True, True, False], [False, True, True]])
    y = layers.GlobalAveragePooling1D(dtype="float64")(x, mask=mask).numpy()
    # sample 0: mean of steps 0, 1 = ([0, 1] + [2, 3]) / 2; sample 1: ([8, 9] + [10, 11]) / 2
    np.testing.assert_array_equal(y, [[1.0, 2.0], [9.0, 10.0]])
    layer = layers.GlobalAveragePooling1D(keepdims=True, dtype="float64")
    layer_gradcheck(layer, distinct(2, 3, 2), mask=mask)
    with pytest.raises(ValueError, match=r"mask of shape \(2, 2\) does not match the input's \(batch, steps\) \(2, 3\)"):
        layer(x, mask=mask[:, :2])


def test_defaults_and_config():
    assert layers.MaxPooling2D().get_config()["pool_size"] == (2, 2)
    assert layers.MaxPooling2D().get_config()["strides"] == (2, 2)          # None → pool_size, as Keras
    assert layers.MaxPooling1D(3, strides=1).get_config()["strides"] == (1,)
    assert layers.AveragePooling2D(3, padding="SAME").padding == "same"
    with pytest.raises(TypeError):
        layers.AveragePooling2D()                                           # pool_size is required, as in Keras


@pytest.mark.parametrize("make, shape, message", [
    (lambda: layers.MaxPooling2D(), (2, 6, 3), r"expected an input of rank 4 \(batch, 2 spatial axes, channels\), "
                                               r"got shape \(2, 6, 3\)"),
    (lambda: layers.MaxPooling1D(), (2, 6, 6, 3), r"expected an input of rank 3.*got shape \(2, 6, 6, 3\)"),
    (lambda: layers.AveragePooling2D(5), (1, 4, 6, 2), r"pool_size \(5, 5\) does not fit the input of shape "
                                                       r"\(1, 4, 6, 2\).*axis 1's 4 \(padded: 4\)"),
    (lambda: layers.MaxPooling1D(4, padding="valid"), (2, 3, 1), r"pool_size \(4,\) does not fit the input of "
                                                                 r"shape \(2, 3, 1\)"),
    (lambda: layers.GlobalMaxPooling2D(), (2, 6, 3), r"expected a 4-D input \(batch, height, width, channels\), "
                                                     r"got shape \(2, 6, 3\)"),
    (lambda: layers.GlobalAveragePooling1D(), (2, 6), r"expected a 3-D input \(batch, steps, channels\), got "
                                                      r"shape \(2, 6\)"),
])
def test_layer_bad_input_raises_before_the_layer_is_built(make, shape, message):
    layer = make()
    with pytest.raises(ValueError, match=layer.name + ": " + message):
        layer(np.zeros(shape, "float32"))
    assert not layer.built
    with pytest.raises(ValueError, match=message):
        layer.compute_output_shape(shape)


def test_a_built_layer_checks_every_call():
    layer = layers.MaxPooling2D(3)
    layer(np.zeros((1, 6, 6, 1)))
    with pytest.raises(ValueError, match=r"pool_size \(3, 3\) does not fit the input of shape \(1, 2, 6, 1\)"):
        layer(np.zeros((1, 2, 6, 1)))


@pytest.mark.parametrize("make, message", [
    (lambda: layers.MaxPooling2D(0), r"MaxPooling2D: pool_size must be positive ints, got 0"),
    (lambda: layers.MaxPooling2D((2, -1)), r"MaxPooling2D: pool_size must be positive ints"),
    (lambda: layers.AveragePooling1D(2, strides=0), r"AveragePooling1D: strides must be positive ints, got 0"),
    (lambda: layers.MaxPooling2D(2, strides=(1, 2, 3)), r"MaxPooling2D: strides must be an int or a tuple of 2"),
    (lambda: layers.MaxPooling1D(2, padding="causal"), r"MaxPooling1D: padding must be one of \('valid', 'same'\)"),
    # "channels_first" is accepted (tests/layers/test_channels_first.py); anything else is refused by name
    (lambda: layers.AveragePooling2D(2, data_format="channels_middle"), r"AveragePooling2D: data_format must be one "
                                                                        r"of \('channels_last', 'channels_first'\)"),
    (lambda: layers.GlobalMaxPooling1D(data_format="NCW"), r"GlobalMaxPooling1D: data_format must be one of"),
])
def test_bad_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()

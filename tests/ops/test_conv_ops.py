"""ops.conv / ops.conv_transpose: course examples, gradient checks, the composed twin, im2col's adjoint."""
import numpy as np
import pytest

from glassnet import Function, Tensor, ops
from glassnet.ops.im2col import col2im_taps, im2col, im2col_taps
from glassnet.ops.windows import conv_output_length, padding_amounts, transposed_output_length
from glassnet.testing import gradcheck

rng = np.random.default_rng(0)


# --- the course's sizes: ⌊(n + 2p − f)/s⌋ + 1 ----------------------------------------------------
def test_course_output_sizes():
    assert conv_output_length(6, 3) == 4                   # 6×6 ⊛ 3×3 → 4×4
    assert conv_output_length(6, 3, padding=1) == 6        # p = 1 keeps 6×6
    assert conv_output_length(6, 3, padding="same") == 6
    assert conv_output_length(7, 3, stride=2) == 3         # ⌊(7 − 3)/2⌋ + 1
    assert conv_output_length(7, 3, padding=1, stride=2) == 4
    assert conv_output_length(28, 5) == 24                 # LeNet's first layer
    assert conv_output_length(227, 11, stride=4) == 55     # AlexNet's first layer
    assert conv_output_length(None, 3) is None


def test_same_padding_puts_the_extra_pixel_at_the_end():
    assert padding_amounts(6, 2, "same") == (0, 1)
    assert padding_amounts(7, 3, "same", stride=2) == (1, 1)
    assert padding_amounts(6, 3, "same", stride=2) == (0, 1)
    assert padding_amounts(5, 3, "causal", dilation=2) == (4, 0)
    for n in range(1, 12):
        for f in range(1, 6):
            for s in range(1, 4):
                assert conv_output_length(n, f, "same", s) == -(-n // s)


def test_transposed_lengths_invert_the_convolution():
    for n in range(1, 8):
        for f in range(1, 5):
            for s in range(1, 4):
                assert transposed_output_length(n, f, "same", s) == n * s
                out = transposed_output_length(n, f, "valid", s)
                assert out == n * s + max(f - s, 0)
                assert conv_output_length(out, f, "valid", s) == n


def test_vertical_edge_filter_gives_a_bright_band_in_the_middle():
    # the notes' 6×6 image: bright (10) on the left half, dark (0) on the right
    image = np.array([[10, 10, 10, 0, 0, 0]] * 6, dtype=float)
    edge = np.array([[1, 0, -1]] * 3, dtype=float)
    y = ops.conv(Tensor(image[None, :, :, None]), Tensor(edge[:, :, None, None])).numpy()[0, :, :, 0]
    np.testing.assert_array_equal(y, [[0, 30, 30, 0]] * 4)
    # the same on the notes' 0/1 image
    y01 = ops.conv(Tensor((image > 0)[None, :, :, None] * 1.0), Tensor(edge[:, :, None, None])).numpy()[0, :, :, 0]
    np.testing.assert_array_equal(y01, [[0, 3, 3, 0]] * 4)


def test_a_worked_example_by_hand():
    x = np.arange(16, dtype=float).reshape(1, 4, 4, 1)
    w = np.array([[1, 2], [3, 4]], dtype=float)[:, :, None, None]
    y = ops.conv(Tensor(x), Tensor(w), strides=2).numpy()[0, :, :, 0]
    # top-left window [[0, 1], [4, 5]] · [[1, 2], [3, 4]] = 0 + 2 + 12 + 20 = 34
    np.testing.assert_array_equal(y, [[34, 54], [114, 134]])


# --- gradients ---------------------------------------------------------------------------------
CONV_CASES = [
    # (x shape, kernel shape, strides, padding, dilation, groups)
    ((2, 5, 6, 3), (3, 3, 3, 4), 1, "valid", 1, 1),
    ((2, 5, 6, 3), (3, 3, 3, 4), 1, "same", 1, 1),
    ((2, 6, 7, 3), (3, 2, 3, 2), 2, "same", 1, 1),
    ((2, 7, 6, 2), (2, 2, 2, 3), 2, "valid", 1, 1),
    ((1, 7, 7, 2), (3, 3, 2, 2), 1, "same", 2, 1),
    ((1, 7, 8, 2), (3, 3, 2, 2), 1, "valid", 2, 1),
    ((2, 5, 5, 4), (3, 3, 2, 4), 1, "same", 1, 2),
    ((2, 6, 5, 4), (3, 3, 2, 6), 2, "valid", 1, 2),
    ((2, 5, 5, 3), (3, 3, 1, 6), 1, "same", 1, 3),     # depthwise, multiplier 2
    ((2, 9, 3), (3, 3, 2), 1, "causal", 2, 1),          # 1-D
    ((2, 8, 4), (4, 2, 4), 2, "same", 1, 2),
    ((2, 8, 3), (1, 3, 5), 1, "valid", 1, 1),           # 1×1: windows are the input itself
    ((2, 4, 4, 9), (1, 1, 9, 2), 1, "valid", 1, 1),
    ((2, 6, 6, 1), (3, 3, 1, 3), 1, "same", 1, 1),        # one channel: windows tap by tap
    ((1, 5, 6, 8), (3, 3, 8, 2), 2, "same", 1, 1),        # ≥ 8 channels: one strided copy
    ((1, 5, 5, 8), (3, 3, 4, 4), 1, "valid", 1, 2),
]


@pytest.mark.parametrize("x_shape, k_shape, strides, padding, dilation, groups", CONV_CASES)
@pytest.mark.parametrize("relu", [False, True])
def test_conv_gradcheck(x_shape, k_shape, strides, padding, dilation, groups, relu):
    x, W, b = rng.standard_normal(x_shape), rng.standard_normal(k_shape), rng.standard_normal(k_shape[-1])
    assert gradcheck(lambda x, W, b: ops.conv(x, W, b, strides=strides, padding=padding, dilation_rate=dilation,
                                              groups=groups, relu=relu), [x, W, b])


def test_conv_without_bias_gradcheck():
    x, W = rng.standard_normal((2, 5, 5, 2)), rng.standard_normal((3, 3, 2, 3))
    assert gradcheck(lambda x, W: ops.conv(x, W, padding="same"), [x, W])


TRANSPOSE_CASES = [
    ((2, 3, 4, 3), (3, 3, 2, 3), 1, "valid", None, 1),
    ((2, 3, 4, 3), (3, 3, 2, 3), 2, "same", None, 1),
    ((2, 3, 3, 2), (2, 2, 3, 2), 2, "valid", None, 1),
    ((1, 3, 4, 2), (3, 2, 2, 2), 2, "same", 1, 1),
    ((1, 3, 3, 2), (3, 3, 2, 2), 1, "same", None, 2),
    ((1, 3, 3, 2), (2, 2, 2, 2), 3, "valid", 1, 1),      # kernel < stride: zero gaps
    ((2, 4, 3), (3, 2, 3), 2, "same", None, 1),          # 1-D
]


@pytest.mark.parametrize("x_shape, k_shape, strides, padding, output_padding, dilation", TRANSPOSE_CASES)
def test_conv_transpose_gradcheck(x_shape, k_shape, strides, padding, output_padding, dilation):
    x, W, b = rng.standard_normal(x_shape), rng.standard_normal(k_shape), rng.standard_normal(k_shape[-2])
    assert gradcheck(lambda x, W, b: ops.conv_transpose(x, W, b, strides=strides, padding=padding,
                                                        output_padding=output_padding, dilation_rate=dilation),
                     [x, W, b])


# --- the fused op against its composed twin ------------------------------------------------------
def composed_conv(x, W, strides, padding, dilation):
    """Σ over kernel taps (a, b) of x̃[strided slice] · W[a, b], from pad, getitem and matmul."""
    kh, kw = W.shape[:2]
    pads = [padding_amounts(n, k, padding, strides, dilation) for n, k in zip(x.shape[1:3], (kh, kw))]
    xp = ops.pad(x, ((0, 0), pads[0], pads[1], (0, 0)))
    oh = conv_output_length(x.shape[1], kh, padding, strides, dilation)
    ow = conv_output_length(x.shape[2], kw, padding, strides, dilation)
    total = None
    for a in range(kh):
        for b in range(kw):
            window = ops.getitem(xp, (slice(None), slice(a * dilation, a * dilation + strides * (oh - 1) + 1, strides),
                                      slice(b * dilation, b * dilation + strides * (ow - 1) + 1, strides)))
            term = ops.matmul(window, ops.getitem(W, (a, b)))
            total = term if total is None else total + term
    return total


@pytest.mark.parametrize("strides, padding, dilation", [(1, "valid", 1), (2, "same", 1), (1, "same", 2), (3, "valid", 1)])
def test_conv_matches_its_composed_twin(strides, padding, dilation):
    x, W = rng.standard_normal((2, 8, 7, 3)), rng.standard_normal((3, 3, 3, 4))
    tensors = [Tensor(x, requires_grad=True), Tensor(W, requires_grad=True)]
    twins = [Tensor(x, requires_grad=True), Tensor(W, requires_grad=True)]
    y = ops.conv(*tensors, strides=strides, padding=padding, dilation_rate=dilation)
    z = composed_conv(*twins, strides, padding, dilation)
    np.testing.assert_allclose(y.numpy(), z.numpy(), rtol=1e-12, atol=1e-12)
    r = rng.standard_normal(y.shape)
    y.backward(r)
    z.backward(r)
    for a, b in zip(tensors, twins):
        np.testing.assert_allclose(a.grad, b.grad, rtol=1e-12, atol=1e-12)


def test_col2im_is_the_adjoint_of_im2col():
    x = rng.standard_normal((2, 9, 8, 10))   # ≥ 8 channels: im2col's one-copy path
    for kernel, strides, dilation in [((3, 3), (1, 1), (1, 1)), ((2, 3), (2, 3), (1, 1)), ((3, 2), (1, 1), (2, 3))]:
        oh = (9 - (kernel[0] - 1) * dilation[0] - 1) // strides[0] + 1
        ow = (8 - (kernel[1] - 1) * dilation[1] - 1) // strides[1] + 1
        cols = im2col_taps(x, kernel, strides, dilation, (oh, ow))
        np.testing.assert_array_equal(im2col(x, kernel, strides, dilation, (oh, ow)), cols.transpose(2, 3, 4, 0, 1, 5))
        c = rng.standard_normal(cols.shape)
        np.testing.assert_allclose(np.sum(cols * c), np.sum(x * col2im_taps(c, x.shape, strides, dilation)), rtol=1e-12)


def test_transpose_is_the_adjoint_of_the_convolution():
    # <conv(x), y> = <x, conv_transpose(y)> for the same kernel array, stride and "same" padding:
    # Keras's transposed layout (kh, kw, filters, in) is the convolution's (kh, kw, in, out) read backwards
    x, W = rng.standard_normal((2, 8, 6, 3)), rng.standard_normal((3, 3, 3, 4))
    y = rng.standard_normal((2, 4, 3, 4))
    forward = ops.conv(Tensor(x), Tensor(W), strides=2, padding="same").numpy()
    backward = ops.conv_transpose(Tensor(y), Tensor(W), strides=2, padding="same").numpy()
    np.testing.assert_allclose(np.sum(forward * y), np.sum(x * backward), rtol=1e-12)


def test_errors_name_the_shapes():
    with pytest.raises(ValueError, match=r"does not fit.*\(1, 2, 2, 1\)"):
        ops.conv(Tensor(np.ones((1, 2, 2, 1))), Tensor(np.ones((3, 3, 1, 1))))
    with pytest.raises(ValueError, match="3 channels.*expects 2"):
        ops.conv(Tensor(np.ones((1, 4, 4, 3))), Tensor(np.ones((3, 3, 2, 1))))
    with pytest.raises(ValueError, match=r"\(4, 4\)"):
        ops.conv(Tensor(np.ones((4, 4))), Tensor(np.ones((3, 3, 2, 1))))


def test_the_docstring_picture_worked_by_hand():
    # Conv2D's docstring: the course's 6×6 image ⊛ the vertical-edge filter; y[0, 0] = −5 by hand
    x = np.array([[3, 0, 1, 2, 7, 4], [1, 5, 8, 9, 3, 1], [2, 7, 2, 5, 1, 3],
                  [0, 1, 3, 1, 7, 8], [4, 2, 1, 6, 2, 8], [2, 4, 5, 2, 3, 9]], dtype=float)
    edge = np.array([[1, 0, -1]] * 3, dtype=float)
    y = ops.conv(Tensor(x[None, :, :, None]), Tensor(edge[:, :, None, None])).numpy()[0, :, :, 0]
    np.testing.assert_array_equal(y, [[-5, -4, 0, 8], [-10, -2, 2, 3], [0, -2, -4, -7], [-3, -2, -3, -16]])


class Im2col(Function):
    """im2col as an op of its own, with col2im as its backward: gradient-checked below."""

    def forward(self, x, kernel, strides, dilation):
        self.shape, self.strides, self.dilation = x.shape, strides, dilation
        out = tuple((n - (k - 1) * d - 1) // s + 1 for n, k, s, d in zip(x.shape[1:3], kernel, strides, dilation))
        return im2col_taps(x, kernel, strides, dilation, out)

    def backward(self, grad):
        return col2im_taps(grad, self.shape, self.strides, self.dilation)


@pytest.mark.parametrize("kernel, strides, dilation", [((3, 3), (1, 1), (1, 1)), ((2, 3), (2, 1), (1, 1)),
                                                       ((2, 2), (1, 1), (2, 2))])
def test_im2col_and_col2im_gradcheck(kernel, strides, dilation):
    assert gradcheck(lambda x: Im2col.apply(x, kernel=kernel, strides=strides, dilation=dilation),
                     [rng.standard_normal((2, 6, 5, 2))])

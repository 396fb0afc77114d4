"""The 3-D ops of glassnet/ops/conv3d.py: gradient checks (float64) and checks against a direct loop.

The reference is the formula itself, written as a loop over the output voxels (slow, tiny
sizes only): y[n, i, j, k, o] = Σ x̃[n, i·s + a·δ, j·s + b·δ, k·s + c·δ, ch] · W[a, b, c, ch, o] + b[o].
"""
import numpy as np
import pytest

from glassnet import Tensor, ops
from glassnet.ops.conv3d import col2vol, vol2col
from glassnet.testing import gradcheck

rng = np.random.default_rng(0)


def loop_conv3d(x, W, b, strides, pads, dilation, groups=1):
    x = np.pad(x, ((0, 0), *pads, (0, 0)))
    *kernel, cg, out = W.shape
    span = [(k - 1) * d + 1 for k, d in zip(kernel, dilation)]
    sizes = [(n - e) // s + 1 for n, e, s in zip(x.shape[1:4], span, strides)]
    y = np.zeros((x.shape[0], *sizes, out))
    og = out // groups
    for i, j, k in np.ndindex(*sizes):
        window = x[:, i * strides[0]:i * strides[0] + span[0]:dilation[0],
                   j * strides[1]:j * strides[1] + span[1]:dilation[1],
                   k * strides[2]:k * strides[2] + span[2]:dilation[2]]
        for g in range(groups):
            part = window[..., g * cg:(g + 1) * cg]
            y[:, i, j, k, g * og:(g + 1) * og] = np.einsum("nabcz,abczo->no", part, W[..., g * og:(g + 1) * og])
    return y + (0 if b is None else b)


def loop_conv3d_transpose(x, W, strides):
    """The scatter form: every input voxel stamps x · W[a, b, c]ᵀ onto the full output."""
    n, d, h, w, _ = x.shape
    kd, kh, kw, out, _ = W.shape
    full = np.zeros((n, (d - 1) * strides[0] + kd, (h - 1) * strides[1] + kh, (w - 1) * strides[2] + kw, out))
    for i, j, k in np.ndindex(d, h, w):
        full[:, i * strides[0]:i * strides[0] + kd, j * strides[1]:j * strides[1] + kh,
             k * strides[2]:k * strides[2] + kw] += np.einsum("nz,abcoz->nabco", x[:, i, j, k], W)
    return full


def loop_pool3d(x, pool, strides, reduce):
    sizes = [(n - k) // s + 1 for n, k, s in zip(x.shape[1:4], pool, strides)]
    y = np.zeros((x.shape[0], *sizes, x.shape[-1]))
    for i, j, k in np.ndindex(*sizes):
        window = x[:, i * strides[0]:i * strides[0] + pool[0], j * strides[1]:j * strides[1] + pool[1],
                   k * strides[2]:k * strides[2] + pool[2]]
        y[:, i, j, k] = reduce(window.reshape(x.shape[0], -1, x.shape[-1]), axis=1)
    return y


@pytest.mark.parametrize("strides, padding, dilation", [
    ((1, 1, 1), "valid", (1, 1, 1)), ((2, 1, 2), "valid", (1, 1, 1)), ((1, 1, 1), "valid", (2, 1, 2)),
])
def test_conv3d_equals_the_loop_formula(strides, padding, dilation):
    x, W, b = rng.standard_normal((2, 6, 5, 6, 3)), rng.standard_normal((3, 2, 2, 3, 4)), rng.standard_normal(4)
    y = ops.conv(x, W, b, strides=strides, padding=padding, dilation_rate=dilation).numpy()
    np.testing.assert_allclose(y, loop_conv3d(x, W, b, strides, ((0, 0),) * 3, dilation), rtol=1e-10, atol=1e-10)


def test_conv3d_same_padding_puts_the_odd_voxel_at_the_end_and_groups_split_channels():
    x, W = rng.standard_normal((1, 5, 4, 5, 4)), rng.standard_normal((2, 3, 2, 2, 6))
    y = ops.conv(x, W, strides=(2, 1, 1), padding="same").numpy()
    # "same", stride 2 on 5: output 3, total padding (3−1)·2 + 2 − 5 = 1 → (0, 1); kh 3: (1, 1); kw 2: (0, 1)
    assert y.shape == (1, 3, 4, 5, 6)
    np.testing.assert_allclose(y, loop_conv3d(x, W, None, (2, 1, 1), ((0, 1), (1, 1), (0, 1)), (1, 1, 1), groups=2),
                               rtol=1e-10, atol=1e-10)


def test_conv3d_gradcheck():
    assert gradcheck(lambda x, W, b: ops.conv(x, W, b, strides=(2, 1, 1), padding="same"),
                     [rng.standard_normal((1, 4, 3, 3, 2)), rng.standard_normal((2, 2, 2, 2, 3)),
                      rng.standard_normal(3)])
    assert gradcheck(lambda x, W: ops.conv(x, W, dilation_rate=(1, 2, 1), relu=True),
                     [rng.standard_normal((1, 3, 5, 3, 2)), rng.standard_normal((2, 2, 2, 1, 4))])   # groups=2


def test_vol2col_and_col2vol_are_adjoint():
    # <vol2col(x), c> = <x, col2vol(c)> for every x and c: col2vol is vol2col's transpose
    x = rng.standard_normal((2, 5, 4, 6, 3))
    cols = vol2col(x, (2, 3, 2), (2, 1, 2), (1, 1, 2), (2, 2, 2))
    c = rng.standard_normal(cols.shape)
    assert np.isclose(np.sum(cols * c), np.sum(x * col2vol(c, x.shape, (2, 1, 2), (1, 1, 2))))


@pytest.mark.parametrize("strides", [(1, 1, 1), (2, 1, 3)])
def test_conv3d_transpose_equals_the_scatter_loop(strides):
    x, W = rng.standard_normal((2, 3, 2, 3, 4)), rng.standard_normal((2, 3, 2, 5, 4))
    y = ops.conv_transpose(x, W, strides=strides, padding="valid").numpy()
    ref = loop_conv3d_transpose(x, W, strides)
    pad = [max(k, s) - k for k, s in zip(W.shape[:3], strides)]           # "valid": n·s + max(k − s, 0)
    ref = np.pad(ref, ((0, 0), *((0, p) for p in pad), (0, 0)))
    np.testing.assert_allclose(y, ref, rtol=1e-10, atol=1e-10)


def test_conv3d_transpose_is_the_input_gradient_of_conv3d():
    # ⟨conv(x, W), g⟩ = ⟨x, conv_transpose(g, W)⟩ with "same" padding and stride 2
    x, W = rng.standard_normal((1, 6, 4, 6, 3)), rng.standard_normal((3, 3, 3, 3, 2))
    y = ops.conv(x, W, strides=2, padding="same").numpy()
    g = rng.standard_normal(y.shape)
    back = ops.conv_transpose(g, W, strides=2, padding="same").numpy()      # Keras's layouts: the same array
    assert back.shape == x.shape
    assert np.isclose(np.sum(y * g), np.sum(x * back))


def test_conv3d_transpose_gradcheck():
    assert gradcheck(lambda x, W, b: ops.conv_transpose(x, W, b, strides=(2, 1, 2), padding="same"),
                     [rng.standard_normal((1, 2, 3, 2, 2)), rng.standard_normal((3, 2, 2, 3, 2)),
                      rng.standard_normal(3)])


def test_pool3d_equals_the_loop_formula():
    x = rng.standard_normal((2, 5, 6, 4, 3))
    np.testing.assert_allclose(ops.max_pool(x, (2, 3, 2), strides=(1, 2, 2)).numpy(),
                               loop_pool3d(x, (2, 3, 2), (1, 2, 2), np.max))
    np.testing.assert_allclose(ops.average_pool(x, 2).numpy(), loop_pool3d(x, (2, 2, 2), (2, 2, 2), np.mean))


def test_average_pool3d_same_does_not_count_the_padding():
    # a 3×3×3 volume of ones, 2×2×2 "same" pool stride 2: each corner window covers only real voxels → 1
    y = ops.average_pool(np.ones((1, 3, 3, 3, 1)), 2, padding="same").numpy()
    assert y.shape == (1, 2, 2, 2, 1)
    np.testing.assert_allclose(y, 1.0)
    assert ops.max_pool(-np.ones((1, 3, 3, 3, 1)), 2, padding="same").numpy().max() == -1.0   # −∞ padding


def test_max_pool3d_tie_goes_to_the_first_maximum():
    x = np.zeros((1, 2, 2, 2, 1))
    t = Tensor(x, requires_grad=True)
    ops.max_pool(t, 2).backward(np.ones((1, 1, 1, 1, 1)))
    expected = np.zeros_like(x)
    expected[0, 0, 0, 0, 0] = 1
    np.testing.assert_array_equal(t.grad, expected)


@pytest.mark.parametrize("call", [
    lambda x: ops.max_pool(x, (2, 2, 1), strides=(1, 2, 1), padding="same"),
    lambda x: ops.average_pool(x, (3, 2, 2), strides=(2, 1, 1), padding="same"),
    lambda x: ops.average_pool(x, 2),
])
def test_pool3d_gradcheck(call):
    assert gradcheck(call, [rng.standard_normal((1, 4, 3, 4, 2))])


def test_channels_first_dispatch_and_bad_input():
    x = rng.standard_normal((1, 2, 4, 4, 4))                 # (n, C, d, h, w)
    W = rng.standard_normal((2, 2, 2, 2, 3))
    y = ops.conv(x, W, data_format="channels_first").numpy()
    np.testing.assert_allclose(y, np.moveaxis(ops.conv(np.moveaxis(x, 1, -1), W).numpy(), -1, 1))
    with pytest.raises(ValueError, match="conv3d: the kernel's 3 filters are not divisible by groups 2"):
        ops.conv(rng.standard_normal((1, 3, 3, 3, 4)), W)                 # 4 channels: groups = 4 / 2
    with pytest.raises(ValueError, match="conv3d_transpose: the input has 4 channels"):
        ops.conv_transpose(rng.standard_normal((1, 3, 3, 3, 4)), W)       # the kernel's last axis: 3 inputs
    with pytest.raises(ValueError, match="does not fit"):
        ops.conv(rng.standard_normal((1, 1, 3, 3, 2)), W)
    with pytest.raises(ValueError, match="max_pool: pool_size"):
        ops.max_pool(rng.standard_normal((1, 3, 3, 3, 2)), (2, 2))

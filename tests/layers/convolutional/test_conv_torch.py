"""Convolutions against torch.nn.functional on identical weights (skipped without torch).

Layouts: glassnet is channels-last with Keras's kernels (kh, kw, in/groups, out) and, for the
transposed convolution, (kh, kw, out, in); torch is channels-first with (out, in/groups, kh, kw)
and (in, out, kh, kw). Keras's "same" padding (extra pixel at the end) is given to torch as an
explicit F.pad.
"""
import numpy as np
import pytest

from glassnet import Tensor, ops
from glassnet.ops.windows import padding_amounts, transposed_crop, transposed_output_length

torch = pytest.importorskip("torch")
F = torch.nn.functional

rng = np.random.default_rng(0)


def _glassnet(fn, *arrays):
    tensors = [Tensor(a, requires_grad=True) for a in arrays]
    y = fn(*tensors)
    r = rng.standard_normal(y.shape)
    y.backward(r)
    return y.numpy(), [t.grad for t in tensors], r


@pytest.mark.parametrize("shape, k, s, padding, d, groups", [
    ((2, 9, 8, 4), (3, 3), 1, "valid", 1, 1),
    ((2, 9, 8, 4), (3, 2), 2, "same", 1, 1),
    ((2, 8, 9, 4), (3, 3), 1, "same", 2, 1),
    ((2, 8, 9, 4), (3, 3), 2, "valid", 1, 2),
    ((2, 8, 9, 4), (3, 3), 1, "same", 1, 4),
    ((2, 8, 9, 12), (2, 2), 2, "same", 1, 3),
    ((3, 28, 28, 1), (5, 5), 1, "valid", 1, 1),
])
def test_conv2d_matches_torch(shape, k, s, padding, d, groups):
    out = 12
    x, W, b = rng.standard_normal(shape), rng.standard_normal((*k, shape[-1] // groups, out)), rng.standard_normal(out)
    y, (gx, gW, gb), r = _glassnet(lambda x, W, b: ops.conv(x, W, bias=b, strides=s, padding=padding,
                                                           dilation_rate=d, groups=groups), x, W, b)
    X = torch.tensor(x.transpose(0, 3, 1, 2), requires_grad=True)
    K = torch.tensor(W.transpose(3, 2, 0, 1), requires_grad=True)
    B = torch.tensor(b, requires_grad=True)
    (top, bottom), (left, right) = (padding_amounts(n, f, padding, s, d) for n, f in zip(shape[1:3], k))
    Y = F.conv2d(F.pad(X, (left, right, top, bottom)), K, B, stride=s, dilation=d, groups=groups)
    Y.backward(torch.tensor(r.transpose(0, 3, 1, 2)))
    np.testing.assert_allclose(y, Y.detach().numpy().transpose(0, 2, 3, 1), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(gx, X.grad.numpy().transpose(0, 2, 3, 1), rtol=1e-11, atol=1e-12)
    np.testing.assert_allclose(gW, K.grad.numpy().transpose(2, 3, 1, 0), rtol=1e-11, atol=1e-12)
    np.testing.assert_allclose(gb, B.grad.numpy(), rtol=1e-11)


@pytest.mark.parametrize("k, s, padding, d", [(3, 1, "valid", 1), (3, 2, "same", 1), (3, 1, "causal", 2), (4, 1, "same", 1)])
def test_conv1d_matches_torch(k, s, padding, d):
    x, W, b = rng.standard_normal((2, 11, 3)), rng.standard_normal((k, 3, 5)), rng.standard_normal(5)
    y, (gx, gW, gb), r = _glassnet(lambda x, W, b: ops.conv(x, W, bias=b, strides=s, padding=padding, dilation_rate=d),
                                   x, W, b)
    X = torch.tensor(x.transpose(0, 2, 1), requires_grad=True)
    K = torch.tensor(W.transpose(2, 1, 0), requires_grad=True)
    Y = F.conv1d(F.pad(X, padding_amounts(11, k, padding, s, d)), K, torch.tensor(b), stride=s, dilation=d)
    Y.backward(torch.tensor(r.transpose(0, 2, 1)))
    np.testing.assert_allclose(y, Y.detach().numpy().transpose(0, 2, 1), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(gx, X.grad.numpy().transpose(0, 2, 1), rtol=1e-11, atol=1e-12)
    np.testing.assert_allclose(gW, K.grad.numpy().transpose(2, 1, 0), rtol=1e-11, atol=1e-12)


@pytest.mark.parametrize("k, s, padding, output_padding", [
    (k, s, padding, output_padding)
    for k in [(3, 3), (2, 2), (4, 3), (1, 1)] for s in [1, 2, 3]
    for padding, output_padding in [("valid", None), ("valid", 1), ("same", None), ("same", 0), ("same", 1)]
    if output_padding is None or output_padding < s])                # output_padding < stride, as Keras requires
def test_conv_transpose2d_matches_torch(k, s, padding, output_padding):
    """torch computes the full transposed convolution; Keras's window of it is then cut out."""
    x, W, b = rng.standard_normal((2, 5, 4, 3)), rng.standard_normal((*k, 2, 3)), rng.standard_normal(2)
    y, (gx, gW, gb), r = _glassnet(lambda x, W, b: ops.conv_transpose(
        x, W, bias=b, strides=s, padding=padding, output_padding=output_padding), x, W, b)
    X = torch.tensor(x.transpose(0, 3, 1, 2), requires_grad=True)
    K = torch.tensor(W.transpose(3, 2, 0, 1), requires_grad=True)
    full = F.conv_transpose2d(X, K, stride=s)
    (top, h), (left, w) = (transposed_crop(n, f, padding, s, 1, output_padding) for n, f in zip((5, 4), k))
    assert (h, w) == tuple(transposed_output_length(n, f, padding, s, 1, output_padding) for n, f in zip((5, 4), k))
    grown = F.pad(full, (0, max(left + w - full.shape[3], 0), 0, max(top + h - full.shape[2], 0)))
    Y = grown[:, :, top:top + h, left:left + w] + torch.tensor(b)[None, :, None, None]
    Y.backward(torch.tensor(r.transpose(0, 3, 1, 2)))
    np.testing.assert_allclose(y, Y.detach().numpy().transpose(0, 2, 3, 1), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(gx, X.grad.numpy().transpose(0, 2, 3, 1), rtol=1e-11, atol=1e-12)
    np.testing.assert_allclose(gW, K.grad.numpy().transpose(2, 3, 1, 0), rtol=1e-11, atol=1e-12)


def test_conv_transpose_same_padding_is_torch_padding_when_it_can_be():
    """Keras's "same" with an odd kernel at stride 1 is torch's padding = k // 2 exactly."""
    x, W = rng.standard_normal((2, 6, 5, 3)), rng.standard_normal((5, 3, 4, 3))
    y = ops.conv_transpose(Tensor(x), Tensor(W), padding="same").numpy()
    Y = F.conv_transpose2d(torch.tensor(x.transpose(0, 3, 1, 2)), torch.tensor(W.transpose(3, 2, 0, 1)), padding=(2, 1))
    np.testing.assert_allclose(y, Y.numpy().transpose(0, 2, 3, 1), rtol=1e-12, atol=1e-12)


def test_a_whole_cnn_matches_torch_loss_and_every_gradient(float64):
    """W3's network shape in small (float64): conv-relu-pool-conv-relu-pool-flatten-dense, softmax CE."""
    import glassnet as gn
    from glassnet import layers

    nn = torch.nn
    gn.utils.set_random_seed(0)
    model = gn.Sequential([layers.Input((8, 8, 1)), layers.Conv2D(4, 3, padding="same", activation="relu"),
                           layers.MaxPooling2D(2), layers.Conv2D(6, 3, padding="same", activation="relu"),
                           layers.MaxPooling2D(2), layers.Flatten(), layers.Dense(3)])
    x = rng.standard_normal((5, 8, 8, 1))
    y = np.array([0, 2, 1, 1, 0])
    k1, b1, k2, b2, d, c = model.get_weights()
    net = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(4, 6, 3, padding=1),
                        nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(24, 3)).double()
    values = [k1.transpose(3, 2, 0, 1), b1, k2.transpose(3, 2, 0, 1), b2,
              d.reshape(2, 2, 6, 3).transpose(3, 2, 0, 1).reshape(3, 24), c]   # (h, w, c) → (c, h, w) rows
    with torch.no_grad():
        for parameter, value in zip(net.parameters(), values):
            parameter.copy_(torch.tensor(np.ascontiguousarray(value)))
    loss_fn = gn.losses.SparseCategoricalCrossentropy(from_logits=True)
    loss = loss_fn(y, model(gn.Tensor(x)))
    loss.backward()
    theirs = nn.functional.cross_entropy(net(torch.tensor(x.transpose(0, 3, 1, 2))), torch.tensor(y))
    theirs.backward()
    np.testing.assert_allclose(float(loss.numpy()), theirs.item(), rtol=1e-12)
    grads = [w.grad for w in model.trainable_weights]
    torch_grads = [p.grad.numpy() for p in net.parameters()]
    expected = [torch_grads[0].transpose(2, 3, 1, 0), torch_grads[1], torch_grads[2].transpose(2, 3, 1, 0),
                torch_grads[3], torch_grads[4].reshape(3, 6, 2, 2).transpose(2, 3, 1, 0).reshape(24, 3), torch_grads[5]]
    for ours, reference in zip(grads, expected):
        np.testing.assert_allclose(ours, reference, rtol=1e-10, atol=1e-12)

"""Pooling against PyTorch (skipped without torch): outputs and input gradients in float64.

PyTorch is channels-first and pads symmetrically, so each comparison transposes NHWC → NCHW
and writes Keras's "same" padding out by hand: for max pooling, F.pad with −∞ (the odd
extra row/column at the bottom/right) then max_pool; for average pooling, the sum-pool of
the zero-padded input divided by the sum-pool of a zero-padded image of ones (the number
of real pixels under each window) — PyTorch's own avg_pool would count the padding.
"""
import math

import numpy as np
import pytest

from glassnet import Tensor, ops

torch = pytest.importorskip("torch")
F = torch.nn.functional

RTOL = 1e-12


def same_pads(n, k, s):
    out = -(-n // s)
    total = max((out - 1) * s + k - n, 0)
    return total // 2, total - total // 2


def torch_pool(x_nchw, kind, pool, strides, padding):
    """Keras's pooling written with torch ops on a channels-first tensor of 1 or 2 spatial axes."""
    spatial = x_nchw.shape[2:]
    pads = [same_pads(n, k, s) if padding == "same" else (0, 0) for n, k, s in zip(spatial, pool, strides)]
    torch_pads = [p for pair in reversed(pads) for p in pair]                 # F.pad: last axis first
    pool_fn = {1: (F.max_pool1d, F.avg_pool1d), 2: (F.max_pool2d, F.avg_pool2d)}[len(spatial)]
    if kind == "max":
        return pool_fn[0](F.pad(x_nchw, torch_pads, value=-math.inf), pool, strides)
    def sum_pool(t):                                                          # mean of k·k values × k·k
        return pool_fn[1](F.pad(t, torch_pads), pool, strides) * math.prod(pool)

    return sum_pool(x_nchw) / sum_pool(torch.ones((1, 1, *spatial), dtype=x_nchw.dtype))


CASES = [((2, 2), (2, 2), "valid", (3, 6, 8, 4)), ((2, 2), (2, 2), "valid", (2, 7, 5, 3)),
         ((3, 3), (2, 2), "valid", (2, 9, 8, 3)), ((3, 2), (1, 2), "valid", (2, 5, 6, 2)),
         ((2, 2), (2, 2), "same", (2, 7, 5, 3)), ((3, 3), (2, 2), "same", (2, 8, 7, 3)),
         ((3, 3), (1, 1), "same", (2, 5, 6, 2)), ((4, 2), (3, 1), "same", (2, 7, 5, 2)),
         ((2, 2), (3, 3), "valid", (1, 8, 8, 2))]


def compare(kind, x, pool, strides, padding, nchw_axes):
    op = ops.max_pool if kind == "max" else ops.avg_pool
    g = Tensor(x.copy(), requires_grad=True)
    y = op(g, pool, strides, padding)
    upstream = np.random.default_rng(5).standard_normal(y.shape)
    y.backward(upstream)
    t = torch.tensor(np.ascontiguousarray(np.transpose(x, nchw_axes)), requires_grad=True)
    y_t = torch_pool(t, kind, pool, strides, padding)
    back = np.argsort(nchw_axes)
    y_t.backward(torch.tensor(np.ascontiguousarray(np.transpose(upstream, nchw_axes))))
    np.testing.assert_allclose(y.numpy(), np.transpose(y_t.detach().numpy(), back), rtol=RTOL, atol=1e-14)
    np.testing.assert_allclose(g.grad, np.transpose(t.grad.numpy(), back), rtol=RTOL, atol=1e-14)


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("pool, strides, padding, shape", CASES)
def test_2d_pooling_matches_torch(kind, pool, strides, padding, shape):
    x = np.random.default_rng(0).standard_normal(shape) - 1.0
    compare(kind, x, pool, strides, padding, (0, 3, 1, 2))


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("pool, strides, padding, steps", [(2, 2, "valid", 9), (3, 2, "valid", 10), (2, 2, "same", 9),
                                                           (3, 2, "same", 10), (4, 1, "same", 6), (5, 3, "same", 11)])
def test_1d_pooling_matches_torch(kind, pool, strides, padding, steps):
    x = np.random.default_rng(1).standard_normal((3, steps, 4)) - 1.0
    compare(kind, x, (pool,), (strides,), padding, (0, 2, 1))


def test_valid_pooling_matches_torch_own_layers_directly():
    x = np.random.default_rng(2).standard_normal((2, 6, 7, 3))
    nchw = torch.tensor(np.transpose(x, (0, 3, 1, 2)))
    np.testing.assert_allclose(ops.max_pool(x, 3, 2).numpy(), F.max_pool2d(nchw, 3, 2).numpy().transpose(0, 2, 3, 1),
                               rtol=RTOL)
    np.testing.assert_allclose(ops.avg_pool(x, 3, 2).numpy(), F.avg_pool2d(nchw, 3, 2).numpy().transpose(0, 2, 3, 1),
                               rtol=RTOL)


def test_max_pool_ties_route_like_torch():
    # rounded values: many ties inside windows, overlapping windows share them
    x = np.round(np.random.default_rng(3).standard_normal((2, 7, 7, 3)))
    for pool, strides in (((2, 2), (2, 2)), ((3, 3), (1, 1)), ((3, 3), (2, 2))):
        compare("max", x, pool, strides, "valid", (0, 3, 1, 2))

"""The compiled max pool (Numba) gives exactly the NumPy pool's outputs and gradients."""
import numpy as np
import pytest

from glassnet import Tensor, kernels, ops
from glassnet.ops import pool_kernels

pytest.importorskip("numba")


pytestmark = pytest.mark.usefixtures("kernels_on")    # tests/ops/conftest.py


def run(x, use_kernels, **kwargs):
    kernels.set_enabled(use_kernels)
    try:
        t = Tensor(x, requires_grad=True)
        y = ops.max_pool(t, **kwargs)
        y.backward(np.random.default_rng(1).standard_normal(y.shape).astype(x.dtype))
        return y.numpy(), t.grad
    finally:
        kernels.set_enabled(True)                 # back to the fixture's state


@pytest.mark.parametrize("shape, kwargs", [
    ((2, 8, 8, 3), {"pool_size": 2}),                                    # tiled: every pixel written
    ((2, 9, 7, 4), {"pool_size": 2}),                                    # a remainder row/column
    ((2, 9, 8, 3), {"pool_size": 3, "strides": 2}),                      # overlapping windows
    ((1, 7, 7, 2), {"pool_size": (2, 3), "strides": (1, 2), "padding": "same"}),
    ((3, 10, 5), {"pool_size": 3, "strides": 1}),                        # 1-D
])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_compiled_max_pool_equals_numpy(shape, kwargs, dtype):
    x = np.random.default_rng(0).standard_normal(shape).astype(dtype)
    x = np.maximum(x, 0)                       # ReLU outputs: many tied zeros
    assert pool_kernels.applies(x)
    y_k, g_k = run(x, True, **kwargs)
    y_n, g_n = run(x, False, **kwargs)
    np.testing.assert_array_equal(y_k, y_n)
    np.testing.assert_array_equal(g_k, g_n)


def test_ties_go_to_the_first_maximum_in_row_major_order():
    x = np.zeros((1, 2, 2, 1), np.float32)     # all four tie
    for use in (True, False):
        _, grad = run(x, use, pool_size=2)
        assert grad[0, :, :, 0].tolist() == [[grad[0, 0, 0, 0], 0], [0, 0]] and grad[0, 0, 0, 0] != 0


def test_nan_propagates_like_numpy():
    x = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    x[0, 1, 1, 0] = np.nan
    y_k, _ = run(x, True, pool_size=2)
    y_n, _ = run(x, False, pool_size=2)
    np.testing.assert_array_equal(np.isnan(y_k), np.isnan(y_n))
    np.testing.assert_array_equal(y_k[~np.isnan(y_k)], y_n[~np.isnan(y_n)])

"""The compiled fused-ReLU backward (Numba) against NumPy's g ⊙ [y > 0] and its column sums."""
import numpy as np
import pytest

from glassnet import Tensor, kernels, ops
from glassnet.ops import relu_kernels

pytest.importorskip("numba")


pytestmark = pytest.mark.usefixtures("kernels_on")    # tests/ops/conftest.py


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_masked_gradient_is_identical_and_sums_agree(dtype):
    rng = np.random.default_rng(0)
    y = np.maximum(rng.standard_normal((70_000, 3)), 0).astype(dtype)
    g = rng.standard_normal((70_000, 3)).astype(dtype)
    assert relu_kernels.applies(g, y)
    masked, sums = relu_kernels.relu_backward(g, y)
    np.testing.assert_array_equal(masked, g * (y > 0))
    np.testing.assert_allclose(sums, (g * (y > 0)).astype(np.float64).sum(axis=0), rtol=1e-6 if dtype == np.float32 else 1e-12)
    assert sums.dtype == dtype


def test_a_relu_convolution_has_the_same_gradients_with_and_without_the_kernel():
    rng = np.random.default_rng(1)
    x, W, b = rng.standard_normal((8, 30, 30, 1)), rng.standard_normal((3, 3, 1, 16)), rng.standard_normal(16)
    results = []
    for use in (True, False):
        kernels.set_enabled(use)
        try:
            tensors = [Tensor(a, requires_grad=True) for a in (x, W, b)]
            y = ops.conv(*tensors, padding="same", relu=True)
            y.backward(np.ones(y.shape))
            results.append([t.grad for t in tensors])
        finally:
            kernels.set_enabled(True)
    for with_kernel, without in zip(*results):
        np.testing.assert_allclose(with_kernel, without, rtol=1e-12, atol=1e-12)

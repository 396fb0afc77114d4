"""The compiled softmax row passes (Numba) against the NumPy passes they replace."""
import numpy as np
import pytest

from glassnet import Tensor, kernels, ops
from glassnet.ops import softmax_kernels

pytest.importorskip("numba")

pytestmark = pytest.mark.usefixtures("kernels_on")    # tests/ops/conftest.py


@pytest.mark.parametrize("n", [1, 3, 8, 13, 64])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_row_passes_give_numpys_softmax(n, dtype):
    e = (np.random.default_rng(n).standard_normal((50, n)) * 30).astype(dtype)   # large spread: the max matters
    rows = e.copy()
    softmax_kernels.kernels().row_max_subtract(rows)
    np.testing.assert_array_equal(rows, e - e.max(axis=1, keepdims=True))          # the max is exact
    np.exp(rows, out=rows)
    softmax_kernels.kernels().row_normalize(rows)
    expected = np.exp(e - e.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(rows, expected, rtol=5 * np.finfo(dtype).eps, atol=1e-300)
    np.testing.assert_allclose(rows.sum(axis=1), 1.0, rtol=10 * np.finfo(dtype).eps)


def test_a_nan_score_makes_its_row_nan():
    e = np.random.default_rng(0).standard_normal((4, 64)).astype(np.float32)
    e[1, 37] = np.nan
    softmax_kernels.kernels().row_max_subtract(e)
    np.exp(e, out=e)
    softmax_kernels.kernels().row_normalize(e)
    assert np.isnan(e[1]).all() and np.isfinite(e[[0, 2, 3]]).all()


def test_applies_only_to_large_contiguous_float_scores():
    big = np.zeros((8, 64, 64), np.float32)
    assert softmax_kernels.applies(big)
    assert not softmax_kernels.applies(big[..., :32])                  # a strided view
    assert not softmax_kernels.applies(np.zeros((4, 4), np.float32))   # too small to pay for a launch
    assert not softmax_kernels.applies(big.astype(np.float16))
    kernels.set_enabled(False)
    assert not softmax_kernels.applies(big)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_attention_with_and_without_kernels_agree(dtype):
    rng = np.random.default_rng(5)
    q, k, v = [rng.standard_normal((6, 4, 40, 16)).astype(dtype) * 2 for _ in range(3)]
    mask = rng.random((6, 1, 40, 40)) > 0.3
    mask[0, 0, 3] = False                                               # a fully masked query row
    assert softmax_kernels.applies(np.zeros((6, 4, 40, 40), dtype))    # one block of scores: the kernels run
    results = []
    for enabled in (True, False):
        kernels.set_enabled(enabled)
        tensors = [Tensor(a, requires_grad=True) for a in (q, k, v)]
        out = ops.scaled_dot_product_attention(*tensors, mask=mask)
        ops.sum(ops.mul(out, out)).backward()
        results.append([out.data] + [t.grad for t in tensors])
    for a, b in zip(*results):       # float32: peaked rows amplify the sums' rounding in the gradients
        scale = np.abs(b).max()
        np.testing.assert_allclose(a, b, rtol=0, atol=(3e-5 if dtype == np.float32 else 1e-13) * scale)

"""The compiled layer-norm rows (Numba) against the NumPy passes of ``Normalize``."""
import numpy as np
import pytest

from glassnet import Tensor, kernels, ops
from glassnet.ops import normalization_kernels
from glassnet.ops.normalization import Normalize

pytest.importorskip("numba")

pytestmark = pytest.mark.usefixtures("kernels_on")    # tests/ops/conftest.py


def run(x, gamma, beta, use_kernels):
    kernels.set_enabled(use_kernels)
    tensors = [Tensor(a, requires_grad=True) for a in (x, gamma, beta)]
    y = Normalize.apply(*tensors, axes=(-1,), epsilon=1e-5, statistics=(statistics := {}))
    weights = np.random.default_rng(1).standard_normal(x.shape).astype(x.dtype)
    ops.sum(ops.mul(y, weights)).backward()
    return [y.data, statistics["mean"], statistics["variance"]] + [t.grad for t in tensors]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("scalar_parameters", [False, True])
def test_compiled_rows_agree_with_numpy(dtype, scalar_parameters):
    rng = np.random.default_rng(0)
    x = (rng.standard_normal((40, 30, 24)) * 3 + 1).astype(dtype)          # 28,800 elements ≥ MIN_SIZE
    shape = () if scalar_parameters else (24,)
    gamma, beta = (rng.standard_normal(shape).astype(dtype) for _ in range(2))
    assert normalization_kernels.applies(x.reshape(-1, 24), np.ones(24, dtype), np.zeros(24, dtype))
    compiled, reference = run(x, gamma, beta, True), run(x, gamma, beta, False)
    for a, b in zip(compiled, reference):
        assert a.shape == b.shape and a.dtype == b.dtype
        np.testing.assert_allclose(a, b, rtol=0, atol=(2e-5 if dtype == np.float32 else 1e-12) * np.abs(b).max())


def test_a_nan_row_stays_nan_and_others_are_untouched():
    x = np.random.default_rng(2).standard_normal((1000, 32)).astype(np.float32)
    x[7, 3] = np.nan
    y = Normalize.apply(Tensor(x), Tensor(np.ones(32, np.float32)), Tensor(np.zeros(32, np.float32)),
                        axes=(-1,), epsilon=1e-5).data
    assert np.isnan(y[7]).all() and np.isfinite(np.delete(y, 7, axis=0)).all()


def test_applies_only_to_contiguous_rows_with_vector_parameters():
    x = np.zeros((1000, 32), np.float32)
    ones, zeros = np.ones(32, np.float32), np.zeros(32, np.float32)
    assert normalization_kernels.applies(x, ones, zeros)
    assert not normalization_kernels.applies(x[:, :16], ones[:16], zeros[:16])          # strided view
    assert not normalization_kernels.applies(x[:10], ones, zeros)                       # too small
    assert not normalization_kernels.applies(x, ones.astype(np.float64), zeros)         # mixed dtypes
    kernels.set_enabled(False)
    assert not normalization_kernels.applies(x, ones, zeros)

"""The compiled LSTM BPTT step (Numba) against the NumPy step it replaces."""
import numpy as np
import pytest

from glassnet import Tensor, kernels, ops
from glassnet.ops import recurrent_kernels

pytest.importorskip("numba")


pytestmark = pytest.mark.usefixtures("kernels_on")    # tests/ops/conftest.py


def run_lstm(arrays, use_kernels, **options):
    kernels.set_enabled(use_kernels)
    tensors = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    result = ops.lstm_sequence(*tensors, **options)
    rng = np.random.default_rng(1)
    loss = None
    for piece in result:
        term = ops.sum(ops.mul(piece, rng.standard_normal(piece.shape).astype(piece.dtype)))
        loss = term if loss is None else ops.add(loss, term)
    loss.backward()
    return [r.data for r in result] + [t.grad for t in tensors]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("masked", [False, True])
def test_compiled_backward_is_identical_to_numpy(dtype, masked):
    rng = np.random.default_rng(0)
    n, T, u = 5, 6, 7
    arrays = [rng.standard_normal(s).astype(dtype) for s in [(n, T, 4 * u), (n, u), (n, u), (u, 4 * u)]]
    options = {}
    if masked:
        mask = np.ones((n, T), dtype=bool)
        mask[0, :2] = mask[1, -3:] = False
        options = {"mask": mask, "go_backwards": True, "recurrent_dropout": (rng.random((4, n, u)) > 0.3) / 0.7}
    assert recurrent_kernels.applies("tanh", "sigmoid", np.dtype(dtype))
    with_kernel = run_lstm(arrays, True, **options)
    without = run_lstm(arrays, False, **options)
    for a, b in zip(with_kernel, without):
        assert a.dtype == dtype
        np.testing.assert_array_equal(a, b)


def test_kernel_applies_only_to_the_default_activations_and_when_switched_on():
    assert not recurrent_kernels.applies("relu", "sigmoid", np.dtype(np.float64))
    assert not recurrent_kernels.applies("tanh", "hard_sigmoid", np.dtype(np.float64))
    kernels.set_enabled(False)
    assert not recurrent_kernels.applies("tanh", "sigmoid", np.dtype(np.float64))

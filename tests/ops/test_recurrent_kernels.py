"""The compiled LSTM steps (Numba) against the NumPy steps they replace."""
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


def assert_agree(with_kernel, without, dtype):
    """float64: only the backward is compiled, with NumPy's grouping: identical numbers.
    float32: the forward's rational tanh (≤ 4.4 ulp) moves the results by round-off."""
    for a, b in zip(with_kernel, without):
        assert a.dtype == dtype
        if dtype == np.float64:
            np.testing.assert_array_equal(a, b)
        else:
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=2e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("masked", [False, True])
def test_compiled_steps_agree_with_numpy(dtype, masked):
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
    assert_agree(with_kernel, without, dtype)


def test_float32_tanh_is_within_five_ulp_and_keeps_nan_and_limits():
    tanh = recurrent_kernels.kernels().tanh_float32
    x = np.linspace(-12, 12, 1_000_001, dtype=np.float32)
    x = np.concatenate([x, np.float32(1e-30) * np.arange(-5, 6, dtype=np.float32), [np.float32(3e-8)]])
    out = np.empty_like(x)
    tanh(x, out)
    exact = np.tanh(x.astype(np.float64))
    ulp = np.spacing(np.abs(exact).astype(np.float32)).astype(np.float64)
    assert np.max(np.abs(out - exact) / ulp) <= 5.0
    np.testing.assert_array_equal(out[x >= 9], 1.0)                    # saturates exactly
    grid = out[:1_000_001]                                            # the symmetric grid: tanh is odd
    np.testing.assert_array_equal(grid[::-1], -grid)
    special = np.array([np.nan, np.inf, -np.inf, 0.0], dtype=np.float32)
    tanh(special, out[:4])
    assert np.isnan(out[0]) and out[1] == 1.0 and out[2] == -1.0 and out[3] == 0.0


def test_a_nan_input_gives_nan_outputs_with_the_compiled_forward():
    rng = np.random.default_rng(2)
    n, T, u = 2, 3, 4
    x_proj = rng.standard_normal((n, T, 4 * u)).astype(np.float32)
    x_proj[0, 1, 5] = np.nan
    zeros = np.zeros((n, u), np.float32)
    outputs, h, c = ops.lstm_sequence(x_proj, zeros, zeros, rng.standard_normal((u, 4 * u)).astype(np.float32))
    # column 5 is unit 1's forget gate: NaN in unit 1 at step 1, then everywhere through U
    assert np.isnan(outputs.data[0, 1, 1]) and np.isnan(outputs.data[0, 2]).all()
    assert np.isfinite(outputs.data[0, 0]).all() and np.isfinite(outputs.data[1]).all()
    assert np.isnan(c.data[0]).all()


def run_gru(arrays, use_kernels, **options):
    kernels.set_enabled(use_kernels)
    tensors = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    result = ops.gru_sequence(*tensors, **options)
    rng = np.random.default_rng(1)
    loss = ops.add(ops.sum(ops.mul(result[0], rng.standard_normal(result[0].shape).astype(result[0].dtype))),
                   ops.sum(ops.mul(result[1], 2.0)))
    loss.backward()
    return [r.data for r in result] + [t.grad for t in tensors]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("bias", [False, True])
def test_compiled_gru_steps_agree_with_numpy(dtype, masked, bias):
    rng = np.random.default_rng(3)
    n, T, u = 4, 6, 5
    shapes = [(n, T, 3 * u), (n, u), (u, 3 * u)] + ([(3 * u,)] if bias else [])
    arrays = [rng.standard_normal(s).astype(dtype) for s in shapes]
    options = {}
    if masked:
        mask = np.ones((n, T), dtype=bool)
        mask[0, :2] = mask[1, -3:] = False
        options = {"mask": mask, "go_backwards": True, "recurrent_dropout": (rng.random((3, n, u)) > 0.3) / 0.7}
    with_kernel, without = run_gru(arrays, True, **options), run_gru(arrays, False, **options)
    assert_agree(with_kernel, without, dtype)


def test_kernel_applies_only_to_the_default_activations_and_when_switched_on():
    assert not recurrent_kernels.applies("relu", "sigmoid", np.dtype(np.float64))
    assert not recurrent_kernels.applies("tanh", "hard_sigmoid", np.dtype(np.float64))
    kernels.set_enabled(False)
    assert not recurrent_kernels.applies("tanh", "sigmoid", np.dtype(np.float64))

"""The fused Normalize op against its composition from primitive ops, and a gradient check."""
import numpy as np
import pytest

from glassnet import Tensor, ops
from glassnet.ops.normalization import normalize
from glassnet.testing import gradcheck


def composed(x, gamma, beta, axes, epsilon):
    """y = γ·(x − μ)/√(σ² + ε) + β written with the primitive ops (the reference)."""
    mu = ops.mean(x, axis=axes, keepdims=True)
    var = ops.var(x, axis=axes, keepdims=True)
    return gamma * ((x - mu) / ops.sqrt(var + epsilon)) + beta


CASES = [
    # (x shape, reduced axes, γ/β shape): batch norm (N, C), batch norm channels-last images,
    # batch norm channels-first, layer norm over the last axis, layer norm over two axes
    ((6, 3), (0,), (3,)),
    ((2, 3, 3, 2), (0, 1, 2), (2,)),
    ((3, 2, 4), (0, 2), (1, 2, 1)),
    ((2, 3, 4), (2,), (4,)),
    ((2, 3, 4), (1, 2), (3, 4)),
    ((2, 3, 4), (0, 1), (4,)),
    ((2, 3, 4), (0, 1), (1, 1, 4)),
    ((37, 5), (0,), (5,)),  # rows not a multiple of column_sum's fold
]


@pytest.mark.parametrize("shape, axes, param_shape", CASES)
def test_matches_composition_values_and_gradients(shape, axes, param_shape):
    rng = np.random.default_rng(0)
    x0 = rng.standard_normal(shape) * 3 + 1
    g0, b0 = rng.standard_normal(param_shape), rng.standard_normal(param_shape)
    r = rng.standard_normal(shape)
    results = []
    for fn in (lambda x, g, b: normalize(x, g, b, axes, 1e-3)[0], lambda x, g, b: composed(x, g, b, axes, 1e-3)):
        x, g, b = (Tensor(a, requires_grad=True) for a in (x0, g0, b0))
        y = fn(x, g, b)
        y.backward(r)
        results.append((y.numpy(), x.grad, g.grad, b.grad))
    for fused, reference in zip(*results):
        np.testing.assert_allclose(fused, reference, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("shape, axes, param_shape", CASES[:5])
def test_gradcheck(shape, axes, param_shape):
    rng = np.random.default_rng(1)
    gradcheck(lambda x, g, b: normalize(x, g, b, axes, 1e-3)[0],
              [rng.standard_normal(shape), rng.standard_normal(param_shape), rng.standard_normal(param_shape)])


def test_statistics_are_mean_and_biased_variance():
    x = np.array([[1.0, 10.0], [3.0, 20.0], [5.0, 60.0]])
    y, mean, variance = normalize(Tensor(x), None, None, (0,), 0.0)
    np.testing.assert_allclose(mean, [[3.0, 30.0]])
    np.testing.assert_allclose(variance, [[8.0 / 3.0, 1400.0 / 3.0]])  # Σ(x − μ)²/n, not /(n − 1)
    np.testing.assert_allclose(y.numpy()[:, 0], np.array([-2.0, 0.0, 2.0]) / np.sqrt(8.0 / 3.0))
    gradcheck(lambda x: normalize(x, None, None, (0,), 1e-3)[0], [x])


@pytest.mark.parametrize("shape, axes, gamma_shape, beta_shape", [
    ((4, 3), (0,), (), (3,)), ((4, 3), (0,), (3,), ()), ((2, 3, 4), (1, 2), (), (3, 4)),
    ((2, 3, 4), (1, 2), (3, 4), ()), ((2, 3, 4), (0, 2), (), (1, 3, 1)),
])
def test_scalar_and_tensor_parameters_mixed(shape, axes, gamma_shape, beta_shape):
    rng = np.random.default_rng(2)
    gradcheck(lambda x, g, b: normalize(x, g, b, axes, 1e-3)[0],
              [rng.standard_normal(shape), rng.standard_normal(gamma_shape), rng.standard_normal(beta_shape)])


def test_folded_layout_statistics_for_many_rows_and_few_channels():
    # 4096 rows of 16 channels are viewed as 16 rows of 4096 (k = 256 rows folded into one)
    rng = np.random.default_rng(3)
    x0 = rng.standard_normal((16, 16, 16, 16)) * np.arange(1, 17) + np.arange(16)
    g0, b0 = rng.standard_normal(16), rng.standard_normal(16)
    r = rng.standard_normal(x0.shape)
    outputs = []
    for fn in (lambda x, g, b: normalize(x, g, b, (0, 1, 2), 1e-3), lambda x, g, b: (composed(x, g, b, (0, 1, 2), 1e-3),)):
        x, g, b = (Tensor(a, requires_grad=True) for a in (x0, g0, b0))
        out = fn(x, g, b)
        out[0].backward(r)
        outputs.append((out[0].numpy(), x.grad, g.grad, b.grad))
    for fused, reference in zip(*outputs):
        np.testing.assert_allclose(fused, reference, rtol=1e-9, atol=1e-10)
    _, mean, variance = normalize(Tensor(x0), None, None, (0, 1, 2), 1e-3)
    np.testing.assert_allclose(mean.reshape(16), x0.mean(axis=(0, 1, 2)), rtol=1e-12)
    np.testing.assert_allclose(variance.reshape(16), x0.var(axis=(0, 1, 2)), rtol=1e-12)

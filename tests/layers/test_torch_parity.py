"""Parity with PyTorch on identical weights (skipped when torch is absent).

Conventions mapped: torch.nn.Linear stores W transposed (out, in); BatchNorm1d's momentum
is the weight of the NEW batch (Keras 0.99 ↔ torch 0.01), its default ε is 1e-5 (Keras 1e-3),
and its running variance is fed the UNBIASED batch variance (Keras: biased).
"""
import numpy as np
import pytest

from glassnet import Tensor, layers

torch = pytest.importorskip("torch")

rng = np.random.default_rng(0)


def run_glassnet(layer, x, **kwargs):
    xt = Tensor(x, requires_grad=True)
    y = layer(xt, **kwargs)
    r = np.random.default_rng(1).standard_normal(y.shape)
    y.backward(r)
    return y.numpy(), xt.grad, [w.grad for w in layer.trainable_weights], r


def run_torch(module, x, r):
    xt = torch.tensor(x, requires_grad=True)
    y = module(xt)
    y.backward(torch.tensor(r))
    return y.detach().numpy(), xt.grad.numpy()


def test_dense_matches_linear():
    x = rng.standard_normal((5, 4))
    dense = layers.Dense(3, dtype="float64")
    dense(x)
    y, gx, (gW, gb), r = run_glassnet(dense, x)
    linear = torch.nn.Linear(4, 3).double()
    with torch.no_grad():
        linear.weight.copy_(torch.tensor(dense.kernel.numpy().T))
        linear.bias.copy_(torch.tensor(dense.bias.numpy()))
    ty, tgx = run_torch(linear, x, r)
    np.testing.assert_allclose(y, ty, rtol=1e-12)
    np.testing.assert_allclose(gx, tgx, rtol=1e-10)
    np.testing.assert_allclose(gW, linear.weight.grad.numpy().T, rtol=1e-10)
    np.testing.assert_allclose(gb, linear.bias.grad.numpy(), rtol=1e-10)


def test_batchnorm_matches_batchnorm1d_training_and_inference():
    n = 6
    x = rng.standard_normal((n, 3)) * 2 + 1
    gamma, beta = rng.standard_normal(3), rng.standard_normal(3)
    bn = layers.BatchNormalization(dtype="float64")
    bn.build(x.shape)
    bn.set_weights([gamma, beta, np.zeros(3), np.ones(3)])
    y, gx, (g_gamma, g_beta), r = run_glassnet(bn, x, training=True)
    tbn = torch.nn.BatchNorm1d(3, momentum=0.01, eps=1e-3).double()
    with torch.no_grad():
        tbn.weight.copy_(torch.tensor(gamma))
        tbn.bias.copy_(torch.tensor(beta))
    tbn.train()
    ty, tgx = run_torch(tbn, x, r)
    np.testing.assert_allclose(y, ty, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(gx, tgx, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(g_gamma, tbn.weight.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(g_beta, tbn.bias.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(bn.moving_mean.numpy(), tbn.running_mean.numpy(), rtol=1e-12)
    # torch: 0.99 + 0.01·unbiased;  Keras/glassnet: 0.99 + 0.01·biased = 0.99 + 0.01·unbiased·(n − 1)/n
    unbiased = (tbn.running_var.numpy() - 0.99) / 0.01
    np.testing.assert_allclose(bn.moving_variance.numpy(), 0.99 + 0.01 * unbiased * (n - 1) / n, rtol=1e-12)
    tbn.eval()
    with torch.no_grad():
        tbn.running_var.copy_(torch.tensor(bn.moving_variance.numpy()))
    y_eval, gx_eval, _, r_eval = run_glassnet(bn, x, training=False)
    ty_eval, tgx_eval = run_torch(tbn, x, r_eval)
    np.testing.assert_allclose(y_eval, ty_eval, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(gx_eval, tgx_eval, rtol=1e-10)


def test_layernorm_matches():
    x = rng.standard_normal((2, 3, 4))
    gamma, beta = rng.standard_normal(4), rng.standard_normal(4)
    ln = layers.LayerNormalization(dtype="float64")
    ln.build(x.shape)
    ln.set_weights([gamma, beta])
    y, gx, (g_gamma, g_beta), r = run_glassnet(ln, x)
    tln = torch.nn.LayerNorm(4, eps=1e-3).double()
    with torch.no_grad():
        tln.weight.copy_(torch.tensor(gamma))
        tln.bias.copy_(torch.tensor(beta))
    ty, tgx = run_torch(tln, x, r)
    np.testing.assert_allclose(y, ty, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(gx, tgx, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(g_gamma, tln.weight.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(g_beta, tln.bias.grad.numpy(), rtol=1e-10)


def test_prelu_matches():
    x = rng.standard_normal((5, 3))
    alpha = np.array([0.1, 0.25, -0.3])
    prelu = layers.PReLU(dtype="float64")
    prelu.build(x.shape)
    prelu.set_weights([alpha])
    y, gx, (g_alpha,), r = run_glassnet(prelu, x)
    tprelu = torch.nn.PReLU(num_parameters=3).double()
    with torch.no_grad():
        tprelu.weight.copy_(torch.tensor(alpha))
    ty, tgx = run_torch(tprelu, x, r)
    np.testing.assert_allclose(y, ty, rtol=1e-12)
    np.testing.assert_allclose(gx, tgx, rtol=1e-12)
    np.testing.assert_allclose(g_alpha, tprelu.weight.grad.numpy(), rtol=1e-10)

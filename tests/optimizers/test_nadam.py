"""Nadam golden values: 20 steps against the update equations written out in NumPy."""
import numpy as np
import pytest

from glassnet.optimizers import Nadam

from .helpers import GRADS, W0, assert_trajectory, run


def reference_nadam(lr, beta_1, beta_2, eps):
    """μ_t = β1(1 − ½·0.96^t);  Π_t = Π μ_i;
    m̂ = μ_{t+1}·m/(1 − Π_t·μ_{t+1}) + (1 − μ_t)·g/(1 − Π_t);  v̂ = v/(1 − β2^t);  w ← w − η·m̂/(√v̂ + ε)."""
    def mu(t):
        return beta_1 * (1 - 0.5 * 0.96**t)

    w, m, v, product, out = W0.copy(), np.zeros_like(W0), np.zeros_like(W0), 1.0, []
    for t, g in enumerate(GRADS, start=1):
        product = product * mu(t)
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g**2
        m_hat = mu(t + 1) * m / (1 - product * mu(t + 1)) + (1 - mu(t)) * g / (1 - product)
        v_hat = v / (1 - beta_2**t)
        w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
        out.append(w)
    return np.array(out), product


def test_defaults_match_keras():
    opt = Nadam()
    assert (opt.learning_rate, opt.beta_1, opt.beta_2, opt.epsilon) == (0.001, 0.9, 0.999, 1e-7)


@pytest.mark.parametrize("beta_1, beta_2, eps", [(0.9, 0.999, 1e-7), (0.6, 0.95, 1e-4)])
def test_golden(beta_1, beta_2, eps):
    opt = Nadam(learning_rate=0.01, beta_1=beta_1, beta_2=beta_2, epsilon=eps)
    _, path = run(opt)
    expected, product = reference_nadam(0.01, beta_1, beta_2, eps)
    assert_trajectory(path, expected)
    assert opt.u_product == pytest.approx(product, rel=1e-14)


def test_u_product_is_saved_and_restored():
    opt = Nadam(learning_rate=0.01)
    w, _ = run(opt)
    state = opt.variables()
    assert state[1] == pytest.approx(opt.u_product)   # [iterations, Π, m, v]
    assert len(state) == 4


@pytest.mark.parametrize("argument, value", [("beta_1", 1.0), ("beta_2", 1.0), ("epsilon", -1e-7)])
def test_bad_arguments(argument, value):
    with pytest.raises(ValueError, match=argument):
        Nadam(**{argument: value})

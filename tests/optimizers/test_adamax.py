"""Adamax golden values: 20 steps against the update equations written out in NumPy."""
import numpy as np
import pytest

from glassnet.optimizers import Adamax

from .helpers import GRADS, W0, assert_trajectory, run


def reference_adamax(lr, beta_1, beta_2, eps):
    """m ← β1m + (1−β1)g;  u ← max(β2u, |g|);  w ← w − η/(1−β1^t)·m/(u + ε)."""
    w, m, u, out = W0.copy(), np.zeros_like(W0), np.zeros_like(W0), []
    for t, g in enumerate(GRADS, start=1):
        m = beta_1 * m + (1 - beta_1) * g
        u = np.maximum(beta_2 * u, np.abs(g))
        w = w - lr / (1 - beta_1**t) * m / (u + eps)
        out.append(w)
    return np.array(out), m, u


def test_defaults_match_keras():
    opt = Adamax()
    assert (opt.learning_rate, opt.beta_1, opt.beta_2, opt.epsilon) == (0.001, 0.9, 0.999, 1e-7)


@pytest.mark.parametrize("beta_1, beta_2, eps", [(0.9, 0.999, 1e-7), (0.5, 0.8, 1e-2)])
def test_golden(beta_1, beta_2, eps):
    opt = Adamax(learning_rate=0.02, beta_1=beta_1, beta_2=beta_2, epsilon=eps)
    w, path = run(opt)
    expected, m, u = reference_adamax(0.02, beta_1, beta_2, eps)
    assert_trajectory(path, expected)
    np.testing.assert_allclose(opt.get_slot(w, "u"), u, rtol=1e-12)


@pytest.mark.parametrize("argument, value", [("beta_1", 1.0), ("beta_2", -0.1), ("epsilon", -1.0)])
def test_bad_arguments(argument, value):
    with pytest.raises(ValueError, match=argument):
        Adamax(**{argument: value})

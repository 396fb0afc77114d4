"""Adadelta golden values: 20 steps against the update equations written out in NumPy."""
import numpy as np
import pytest

from glassnet.optimizers import Adadelta

from .helpers import GRADS, W0, assert_trajectory, run


def reference_adadelta(lr, rho, eps):
    """E[g²] ← ρE[g²] + (1−ρ)g²;  Δw = −√(E[Δw²]+ε)/√(E[g²]+ε)·g;  E[Δw²] ← ρE[Δw²] + (1−ρ)Δw²;  w ← w + ηΔw."""
    w, Eg2, Edw2, out = W0.copy(), np.zeros_like(W0), np.zeros_like(W0), []
    for g in GRADS:
        Eg2 = rho * Eg2 + (1 - rho) * g**2
        delta = -np.sqrt(Edw2 + eps) / np.sqrt(Eg2 + eps) * g
        Edw2 = rho * Edw2 + (1 - rho) * delta**2
        w = w + lr * delta
        out.append(w)
    return np.array(out), Eg2, Edw2


def test_defaults_match_keras():
    opt = Adadelta()
    assert (opt.learning_rate, opt.rho, opt.epsilon) == (0.001, 0.95, 1e-7)


@pytest.mark.parametrize("lr, rho, eps", [(1.0, 0.95, 1e-6), (0.5, 0.9, 1e-3), (0.001, 0.0, 1e-7)])
def test_golden(lr, rho, eps):
    opt = Adadelta(learning_rate=lr, rho=rho, epsilon=eps)
    w, path = run(opt)
    expected, Eg2, Edw2 = reference_adadelta(lr, rho, eps)
    assert_trajectory(path, expected)
    np.testing.assert_allclose(opt.get_slot(w, "s"), Eg2, rtol=1e-12)
    np.testing.assert_allclose(opt.get_slot(w, "d"), Edw2, rtol=1e-12)


@pytest.mark.parametrize("rho", [-0.1, 1.0, 1.5])
def test_bad_rho(rho):
    with pytest.raises(ValueError, match="rho"):
        Adadelta(rho=rho)


def test_bad_epsilon():
    with pytest.raises(ValueError, match="epsilon"):
        Adadelta(epsilon=-1e-7)

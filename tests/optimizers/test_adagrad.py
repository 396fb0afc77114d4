"""Adagrad golden values: 20 steps against the update equations written out in NumPy."""
import numpy as np
import pytest

from glassnet.optimizers import Adagrad

from .helpers import GRADS, W0, assert_trajectory, run


def reference_adagrad(lr, s0, eps):
    """s ← s + g²;  w ← w − η·g / √(s + ε)."""
    w, s, out = W0.copy(), np.full_like(W0, s0), []
    for g in GRADS:
        s = s + g * g
        w = w - lr * g / np.sqrt(s + eps)
        out.append(w)
    return np.array(out), s


def test_defaults_match_keras():
    opt = Adagrad()
    assert (opt.learning_rate, opt.initial_accumulator_value, opt.epsilon) == (0.001, 0.1, 1e-7)


def test_hand_worked_step():
    # s = 0.1 + 0.3² = 0.19;  w ← 1 − 0.1·0.3/√(0.19 + 1e-7)
    _, path = run(Adagrad(learning_rate=0.1), w0=np.array([1.0]), grads=[np.array([0.3])])
    assert path[0, 0] == pytest.approx(1 - 0.03 / np.sqrt(0.19 + 1e-7), abs=1e-15)


@pytest.mark.parametrize("s0, eps", [(0.1, 1e-7), (0.0, 1e-3), (1.0, 0.0)])
def test_golden(s0, eps):
    opt = Adagrad(learning_rate=0.1, initial_accumulator_value=s0, epsilon=eps)
    w, path = run(opt)
    expected, s = reference_adagrad(0.1, s0, eps)
    assert_trajectory(path, expected)
    np.testing.assert_allclose(opt.get_slot(w, "s"), s, rtol=1e-12)


@pytest.mark.parametrize("argument", ["initial_accumulator_value", "epsilon", "learning_rate"])
def test_negative_arguments(argument):
    with pytest.raises(ValueError, match=argument):
        Adagrad(**{argument: -0.1})

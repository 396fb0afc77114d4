"""RMSprop golden values: 20 steps against the update equations written out in NumPy."""
import numpy as np
import pytest

import glassnet as gn
from glassnet.optimizers import RMSprop

from .helpers import GRADS, W0, assert_trajectory, run


def reference_rmsprop(lr, rho, momentum, eps, centered):
    """v ← ρv + (1−ρ)g²; centered: ḡ ← ρḡ + (1−ρ)g, denominator √(v − ḡ² + ε);
    inc = η·g/√(...);  momentum: m ← γm + inc, w ← w − m;  else w ← w − inc."""
    w, v, g_bar, m, out = W0.copy(), np.zeros_like(W0), np.zeros_like(W0), np.zeros_like(W0), []
    for g in GRADS:
        v = rho * v + (1 - rho) * g**2
        if centered:
            g_bar = rho * g_bar + (1 - rho) * g
            increment = lr * g / np.sqrt(v - g_bar**2 + eps)
        else:
            increment = lr * g / np.sqrt(v + eps)
        if momentum > 0:
            m = momentum * m + increment
            w = w - m
        else:
            w = w - increment
        out.append(w)
    return np.array(out)


def test_defaults_match_keras():
    opt = RMSprop()
    assert (opt.learning_rate, opt.rho, opt.momentum, opt.epsilon, opt.centered) == (0.001, 0.9, 0.0, 1e-7, False)


def test_keras_docstring_example():
    # loss = w²/2, so g = w = 10:  v = 0.1·100 = 10;  w ← 10 − 0.1·10/√(10 + 1e-7) = 9.683772...
    opt = RMSprop(learning_rate=0.1)
    w = gn.Variable(np.array(10.0), dtype="float64")
    opt.apply_gradients([(w.data.copy(), w)])
    assert float(w.data) == pytest.approx(10 - 1 / np.sqrt(10 + 1e-7), abs=1e-14)
    assert float(w.data) == pytest.approx(9.683772, abs=1e-6)


@pytest.mark.parametrize("momentum, centered", [(0.0, False), (0.9, False), (0.0, True), (0.7, True)])
def test_golden(momentum, centered):
    opt = RMSprop(learning_rate=0.01, rho=0.8, momentum=momentum, epsilon=1e-6, centered=centered)
    _, path = run(opt)
    assert_trajectory(path, reference_rmsprop(0.01, 0.8, momentum, 1e-6, centered))


def test_slots_follow_options():
    assert RMSprop().slot_names() == ("s",)
    assert RMSprop(momentum=0.5, centered=True).slot_names() == ("s", "m", "g_bar")


@pytest.mark.parametrize("argument, value", [("rho", 1.0), ("rho", -0.5), ("momentum", -0.1), ("epsilon", -1.0)])
def test_bad_arguments(argument, value):
    with pytest.raises(ValueError, match=argument):
        RMSprop(**{argument: value})

"""Convergence: every optimizer minimises a convex quadratic; Adam and RMSprop solve Rosenbrock."""
import numpy as np
import pytest

import glassnet as gn
from glassnet.optimizers import (SGD, Adadelta, Adagrad, Adam, Adamax, AdamW, Lion, Nadam, RMSprop,
                                 schedules)

# f(w) = ½ Σ a_i (w_i − c_i)²: an elongated bowl (condition number 10), minimum at c
A = np.array([1.0, 10.0])
C = np.array([3.0, -2.0])


def quadratic_gradient(w):
    return A * (w - C)


def rosenbrock_gradient(w):
    """f(x, y) = (1 − x)² + 100·(y − x²)²; minimum at (1, 1)."""
    x, y = w
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


def minimise(optimizer, gradient, start, steps):
    w = gn.Variable(np.array(start, dtype=np.float64), name="w", dtype="float64")
    for _ in range(steps):
        optimizer.apply_gradients([(gradient(w.data), w)])
    return w.data


CONVEX_CASES = {
    "gd": SGD(learning_rate=0.1),
    "momentum": SGD(learning_rate=0.05, momentum=0.9),
    "nesterov": SGD(learning_rate=0.05, momentum=0.9, nesterov=True),
    "adagrad": Adagrad(learning_rate=1.0),
    "adadelta": Adadelta(learning_rate=1.0, epsilon=1e-3),
    "rmsprop": RMSprop(learning_rate=0.01),
    "rmsprop-centered": RMSprop(learning_rate=0.01, centered=True),
    "rmsprop-centered-momentum-decay": RMSprop(learning_rate=schedules.InverseTimeDecay(0.05, 10, 1.0),
                                               momentum=0.5, centered=True),
    "adam": Adam(learning_rate=0.1),
    "amsgrad": Adam(learning_rate=0.1, amsgrad=True),
    "adamw-no-decay": AdamW(learning_rate=0.1, weight_decay=0.0),
    "adamax": Adamax(learning_rate=0.1),
    "nadam": Nadam(learning_rate=0.1),
    "lion-cosine": Lion(learning_rate=schedules.CosineDecay(0.05, 1000)),
}


@pytest.mark.parametrize("optimizer", CONVEX_CASES.values(), ids=CONVEX_CASES.keys())
def test_convex_quadratic(optimizer):
    w = minimise(optimizer, quadratic_gradient, [0.0, 0.0], 2000)
    assert np.linalg.norm(w - C) < 1e-3


def test_adamw_decay_pulls_the_minimum_towards_zero():
    # fixed point: the Adam step balances the decay, so |w| < |c| component-wise
    w = minimise(AdamW(learning_rate=0.05, weight_decay=0.1), quadratic_gradient, [0.0, 0.0], 3000)
    assert np.all(np.abs(w) < np.abs(C)) and np.linalg.norm(w - C) < 0.5


@pytest.mark.parametrize("optimizer, steps", [
    (Adam(learning_rate=0.02), 3000),
    (RMSprop(learning_rate=0.003), 5000),
    (RMSprop(learning_rate=0.001, momentum=0.9), 1000),
])
def test_rosenbrock_from_the_classic_start(optimizer, steps):
    w = minimise(optimizer, rosenbrock_gradient, [-1.2, 1.0], steps)
    assert np.linalg.norm(w - 1.0) < 1e-2


def test_driven_by_autograd_and_step():
    # the same bowl through Tensor ops, backward() and optimizer.step()
    w = gn.Variable(np.zeros(2), name="w", dtype="float64")
    a, c = gn.Tensor(A), gn.Tensor(C)
    opt = Adam(learning_rate=0.1)
    for _ in range(500):
        loss = (0.5 * a * (w - c) ** 2).sum()
        opt.zero_grad([w])
        loss.backward()
        opt.step([w])
    assert np.linalg.norm(w.data - C) < 1e-3

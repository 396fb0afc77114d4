"""Shared fixtures of the optimizer tests: a fixed gradient sequence and a runner."""
from __future__ import annotations

import numpy as np

import glassnet as gn

STEPS = 20
W0 = np.array([[0.5, -1.5], [2.0, 0.25], [-0.75, 1.0]])
GRADS = np.random.default_rng(1234).normal(size=(STEPS, 3, 2))   # fixed: same every run


def run(optimizer, w0=W0, grads=GRADS, dtype="float64", name="w"):
    """Apply ``grads`` one by one to a Variable starting at ``w0``; returns (variable, trajectory)."""
    w = gn.Variable(np.array(w0), name=name, dtype=dtype)
    trajectory = []
    for g in grads:
        optimizer.apply_gradients([(np.asarray(g, dtype=dtype), w)])
        trajectory.append(w.data.copy())
    return w, np.array(trajectory)


def assert_trajectory(actual, expected, tol=1e-12):
    """Every step of the trajectory agrees with the reference (float64)."""
    assert actual.shape == expected.shape
    np.testing.assert_allclose(actual, expected, rtol=tol, atol=tol)

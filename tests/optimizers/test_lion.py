"""Lion golden values: 20 steps against the update equations written out in NumPy."""
import numpy as np
import pytest

from glassnet.optimizers import Lion

from .helpers import GRADS, W0, assert_trajectory, run


def reference_lion(lr, beta_1, beta_2, weight_decay=None):
    """c = β1m + (1−β1)g;  w ← w − η·sign(c);  m ← β2m + (1−β2)g."""
    w, m, out = W0.copy(), np.zeros_like(W0), []
    for g in GRADS:
        if weight_decay:
            w = w - lr * weight_decay * w
        w = w - lr * np.sign(beta_1 * m + (1 - beta_1) * g)
        m = beta_2 * m + (1 - beta_2) * g
        out.append(w)
    return np.array(out), m


def test_defaults_match_keras():
    opt = Lion()
    assert (opt.learning_rate, opt.beta_1, opt.beta_2) == (0.001, 0.9, 0.99)


@pytest.mark.parametrize("beta_1, beta_2, wd", [(0.9, 0.99, None), (1.0, 0.5, None), (0.5, 0.9, 0.3)])
def test_golden(beta_1, beta_2, wd):
    opt = Lion(learning_rate=0.01, beta_1=beta_1, beta_2=beta_2, weight_decay=wd)
    w, path = run(opt)
    expected, m = reference_lion(0.01, beta_1, beta_2, wd)
    assert_trajectory(path, expected)
    np.testing.assert_allclose(opt.get_slot(w, "m"), m, rtol=1e-12, atol=1e-15)


def test_every_step_has_size_eta():
    _, path = run(Lion(learning_rate=0.01))
    steps = np.abs(np.diff(np.concatenate([W0[None], path]), axis=0))
    np.testing.assert_allclose(steps, 0.01, rtol=1e-9)


@pytest.mark.parametrize("argument, value", [("beta_1", 0.0), ("beta_1", 1.1), ("beta_2", 1.0)])
def test_bad_arguments(argument, value):
    with pytest.raises(ValueError, match=argument):
        Lion(**{argument: value})

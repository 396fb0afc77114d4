"""SGD golden values: 20 steps against the update equations written out in NumPy."""
import numpy as np
import pytest

from glassnet.optimizers import SGD

from .helpers import GRADS, W0, assert_trajectory, run


def reference_sgd(lr, momentum=0.0, nesterov=False, weight_decay=None):
    """w ← w − η·g;  momentum: v ← γ·v − η·g, w ← w + v;  Nesterov: w ← w + γ·v − η·g."""
    w, v, out = W0.copy(), np.zeros_like(W0), []
    for g in GRADS:
        if weight_decay:
            w = w - lr * weight_decay * w
        if momentum == 0:
            w = w - lr * g
        else:
            v = momentum * v - lr * g
            w = w + momentum * v - lr * g if nesterov else w + v
        out.append(w)
    return np.array(out), v


def test_defaults_match_keras():
    opt = SGD()
    assert (opt.learning_rate, opt.momentum, opt.nesterov, opt.name) == (0.01, 0.0, False, "sgd")


def test_hand_worked_step():
    # w = 1, g = 0.5, η = 0.1:  w ← 1 − 0.1·0.5 = 0.95
    _, path = run(SGD(learning_rate=0.1), w0=np.array([1.0]), grads=[np.array([0.5])])
    assert path[0, 0] == pytest.approx(0.95, abs=1e-15)


@pytest.mark.parametrize("momentum, nesterov", [(0.0, False), (0.9, False), (0.9, True), (0.5, True)])
def test_golden(momentum, nesterov):
    opt = SGD(learning_rate=0.05, momentum=momentum, nesterov=nesterov)
    w, path = run(opt)
    expected, v = reference_sgd(0.05, momentum, nesterov)
    assert_trajectory(path, expected)
    if momentum:
        np.testing.assert_allclose(opt.get_slot(w, "v"), v, rtol=1e-12, atol=1e-12)
    assert opt.iterations == len(GRADS)


def test_golden_with_weight_decay():
    _, path = run(SGD(learning_rate=0.05, momentum=0.9, weight_decay=0.1))
    assert_trajectory(path, reference_sgd(0.05, 0.9, weight_decay=0.1)[0])


def test_no_slot_without_momentum():
    opt = SGD()
    run(opt)
    assert len(opt.variables()) == 1   # only the iteration counter


@pytest.mark.parametrize("momentum", [-0.1, 1.5, "0.9"])
def test_bad_momentum(momentum):
    with pytest.raises(ValueError, match="momentum"):
        SGD(momentum=momentum)

"""Parity with torch.optim on identical weights and gradients (skipped without PyTorch).

Keras and PyTorch differ in where ε goes (see each optimizer's docstring); with ε = 0 the
update rules are algebraically identical, so those comparisons are exact to rounding.
"""
import numpy as np
import pytest

from glassnet import optimizers

from .helpers import GRADS, W0, run

torch = pytest.importorskip("torch")


def torch_trajectory(make_optimizer):
    w = torch.tensor(W0.copy(), dtype=torch.float64, requires_grad=True)
    opt = make_optimizer([w])
    path = []
    for g in GRADS:
        w.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        path.append(w.detach().numpy().copy())
    return np.array(path)


@pytest.mark.parametrize("momentum, nesterov", [(0.0, False), (0.9, False), (0.9, True)])
def test_sgd(momentum, nesterov):
    # PyTorch: b ← γb + g, w ← w − ηb;  Keras: v ← γv − ηg, w ← w + v  (v = −ηb)
    _, ours = run(optimizers.SGD(learning_rate=0.05, momentum=momentum, nesterov=nesterov))
    theirs = torch_trajectory(lambda p: torch.optim.SGD(p, lr=0.05, momentum=momentum, nesterov=nesterov))
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam_with_zero_epsilon_is_exact(amsgrad):
    _, ours = run(optimizers.Adam(learning_rate=0.01, epsilon=0.0, amsgrad=amsgrad))
    theirs = torch_trajectory(lambda p: torch.optim.Adam(p, lr=0.01, eps=0.0, amsgrad=amsgrad))
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


def test_adam_epsilon_difference_is_small_but_real():
    # Keras ε = 1e-7 ("ε-hat") vs PyTorch ε = 1e-8 (on √v̂): nearly but not exactly the same steps
    _, ours = run(optimizers.Adam(learning_rate=0.01))
    theirs = torch_trajectory(lambda p: torch.optim.Adam(p, lr=0.01))
    assert 0 < np.abs(ours - theirs).max() < 1e-6


def test_adamw_with_zero_epsilon_is_exact():
    _, ours = run(optimizers.AdamW(learning_rate=0.01, weight_decay=0.1, epsilon=0.0))
    theirs = torch_trajectory(lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1, eps=0.0))
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("momentum, centered", [(0.0, False), (0.9, True)])
def test_rmsprop_with_zero_epsilon_is_exact(momentum, centered):
    _, ours = run(optimizers.RMSprop(learning_rate=0.01, rho=0.9, momentum=momentum, epsilon=0.0, centered=centered))
    theirs = torch_trajectory(lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, momentum=momentum, eps=0.0,
                                                            centered=centered))
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


def test_adagrad_with_zero_epsilon_is_exact():
    _, ours = run(optimizers.Adagrad(learning_rate=0.1, initial_accumulator_value=0.1, epsilon=0.0))
    theirs = torch_trajectory(lambda p: torch.optim.Adagrad(p, lr=0.1, initial_accumulator_value=0.1, eps=0.0))
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)

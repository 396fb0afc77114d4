"""Adam golden values: 20 steps against the update equations written out in NumPy."""
import numpy as np
import pytest

from glassnet.optimizers import Adam

from .helpers import GRADS, W0, assert_trajectory, run


def reference_adam(lr, beta_1, beta_2, eps, amsgrad=False, weight_decay=None):
    """Algorithm 1 form: m̂ = m/(1−β1^t), v̂ = v/(1−β2^t), w ← w − η·m̂/(√v̂ + ε/√(1−β2^t))."""
    w, m, v, v_max, out = W0.copy(), np.zeros_like(W0), np.zeros_like(W0), np.zeros_like(W0), []
    for t, g in enumerate(GRADS, start=1):
        if weight_decay:
            w = w - lr * weight_decay * w
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g**2
        v_max = np.maximum(v_max, v)
        m_hat = m / (1 - beta_1**t)
        v_hat = (v_max if amsgrad else v) / (1 - beta_2**t)
        eps_prime = eps / np.sqrt(1 - beta_2**t)
        w = w - lr * m_hat / (np.sqrt(v_hat) + eps_prime)
        out.append(w)
    return np.array(out), m, v, v_max


def test_defaults_match_keras():
    opt = Adam()
    assert (opt.learning_rate, opt.beta_1, opt.beta_2, opt.epsilon, opt.amsgrad) == (0.001, 0.9, 0.999, 1e-7, False)


def test_first_step_moves_by_about_eta():
    # t = 1: m = 0.1·g, v = 0.001·g², α = η·√0.001/0.1  ⇒  w ← w − η·|g|/(|g| + ε/√0.001)·sign(g)
    g = np.array([0.5, -2.0])
    _, path = run(Adam(learning_rate=0.01), w0=np.zeros(2), grads=[g])
    expected = -0.01 * g / (np.abs(g) + 1e-7 / np.sqrt(0.001))
    np.testing.assert_allclose(path[0], expected, rtol=1e-12)


@pytest.mark.parametrize("amsgrad", [False, True])
@pytest.mark.parametrize("beta_1, beta_2, eps", [(0.9, 0.999, 1e-7), (0.5, 0.9, 1e-3), (0.0, 0.0, 0.0)])
def test_golden(amsgrad, beta_1, beta_2, eps):
    opt = Adam(learning_rate=0.01, beta_1=beta_1, beta_2=beta_2, epsilon=eps, amsgrad=amsgrad)
    w, path = run(opt)
    expected, m, v, v_max = reference_adam(0.01, beta_1, beta_2, eps, amsgrad)
    assert_trajectory(path, expected)
    np.testing.assert_allclose(opt.get_slot(w, "m"), m, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(opt.get_slot(w, "v"), v, rtol=1e-12)
    if amsgrad:
        np.testing.assert_allclose(opt.get_slot(w, "v_max"), v_max, rtol=1e-12)


def test_golden_with_weight_decay():
    _, path = run(Adam(learning_rate=0.01, weight_decay=0.1))
    assert_trajectory(path, reference_adam(0.01, 0.9, 0.999, 1e-7, weight_decay=0.1)[0])


def test_float32_variable_stays_float32():
    opt = Adam(learning_rate=0.01)
    w, path = run(opt, dtype="float32")
    assert w.dtype == np.float32 and opt.get_slot(w, "m").dtype == np.float32
    np.testing.assert_allclose(path, reference_adam(0.01, 0.9, 0.999, 1e-7)[0], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("argument, value", [("beta_1", 1.0), ("beta_1", -0.1), ("beta_2", 1.2),
                                             ("epsilon", -1e-8), ("learning_rate", -0.001)])
def test_bad_arguments(argument, value):
    with pytest.raises(ValueError, match=argument):
        Adam(**{argument: value})

"""AdamW golden values: 20 steps against the update equations written out in NumPy."""
import numpy as np
import pytest

from glassnet.optimizers import Adam, AdamW

from .helpers import GRADS, W0, assert_trajectory, run


def reference_adamw(lr, wd, beta_1=0.9, beta_2=0.999, eps=1e-7, amsgrad=False):
    """w ← w − η·λ·w, then the Adam step α = η√(1−β2^t)/(1−β1^t), w ← w − α·m/(√v + ε)."""
    w, m, v, v_max, out = W0.copy(), np.zeros_like(W0), np.zeros_like(W0), np.zeros_like(W0), []
    for t, g in enumerate(GRADS, start=1):
        w = w - lr * wd * w
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g * g
        v_max = np.maximum(v_max, v)
        alpha = lr * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        w = w - alpha * m / (np.sqrt(v_max if amsgrad else v) + eps)
        out.append(w)
    return np.array(out)


def test_defaults_match_keras():
    opt = AdamW()
    assert (opt.learning_rate, opt.weight_decay, opt.beta_1, opt.beta_2, opt.epsilon) == (0.001, 0.004, 0.9, 0.999,
                                                                                          1e-7)
    assert isinstance(opt, Adam) and opt.name == "adamw"


@pytest.mark.parametrize("wd, amsgrad", [(0.004, False), (0.5, False), (0.1, True)])
def test_golden(wd, amsgrad):
    _, path = run(AdamW(learning_rate=0.02, weight_decay=wd, amsgrad=amsgrad))
    assert_trajectory(path, reference_adamw(0.02, wd, amsgrad=amsgrad))


def test_decay_shrinks_weights_with_zero_gradient():
    # g = 0 ⇒ m = v = 0 and the Adam step is 0; only w ← (1 − η·λ)·w remains
    _, path = run(AdamW(learning_rate=0.1, weight_decay=0.5), w0=np.array([2.0]), grads=np.zeros((3, 1)))
    np.testing.assert_allclose(path[:, 0], 2.0 * 0.95 ** np.arange(1, 4), rtol=1e-14)


def test_weight_decay_required():
    with pytest.raises(ValueError, match="weight_decay"):
        AdamW(weight_decay=None)
    with pytest.raises(ValueError, match="weight_decay"):
        AdamW(weight_decay=-0.1)

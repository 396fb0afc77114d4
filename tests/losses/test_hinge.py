"""Hinge losses: zero past the margin, label conversion, hand values, gradients, parity."""
import numpy as np
import pytest

from glassnet import Tensor, losses
from tests.gradcheck import gradcheck

rng = np.random.default_rng(2)


def f64(x):
    return np.asarray(x, dtype=np.float64)


def test_hinge_is_zero_for_correct_confident_predictions():
    # y·ŷ ≥ 1 on both entries → no loss and no gradient
    y_hat = Tensor(f64([[2.0, -1.5]]), requires_grad=True)
    loss = losses.Hinge()(f64([[1.0, -1.0]]), y_hat)
    loss.backward()
    assert loss.item() == 0.0
    np.testing.assert_array_equal(y_hat.grad, 0.0)


def test_hinge_hand_values_and_label_conversion():
    # y = +1: ŷ = 0.5 → 0.5 ;  ŷ = −1 → 2   (mean 1.25)
    assert losses.hinge(f64([[1, 1]]), f64([[0.5, -1.0]])).item() == pytest.approx(1.25)
    # {0, 1} labels are mapped to {−1, +1}: label 0 with ŷ = 0.3 → max(1 + 0.3, 0) = 1.3
    assert losses.hinge(f64([[0, 1]]), f64([[0.3, 2.0]])).item() == pytest.approx(1.3 / 2)
    assert losses.squared_hinge(f64([[0, 1]]), f64([[0.3, 0.5]])).item() == pytest.approx((1.3 ** 2 + 0.5 ** 2) / 2)


def test_categorical_hinge():
    # true class score 2, best wrong 1.5 → max(1.5 − 2 + 1, 0) = 0.5 ; margin met → 0
    value = losses.categorical_hinge(f64([[0, 1, 0], [1, 0, 0]]), f64([[1.5, 2.0, 0.1], [3.0, 1.0, 1.9]])).numpy()
    np.testing.assert_allclose(value, [0.5, 0.0])


@pytest.mark.parametrize("fn", [losses.hinge, losses.squared_hinge, losses.categorical_hinge])
def test_gradcheck(fn):
    y = np.eye(4)[rng.integers(0, 4, 3)]
    # keep every margin 1 − y·ŷ (and neg − pos + 1) away from the kink at 0
    y_hat = rng.choice([-1.0, 1.0], (3, 4)) * rng.uniform(0.1, 0.8, (3, 4)) + np.where(y == 1, -0.3, 0.3)
    assert gradcheck(fn, [y, y_hat], wrt=[1])


@pytest.mark.parametrize("cls", [losses.Hinge, losses.SquaredHinge, losses.CategoricalHinge])
def test_gradcheck_class_form_with_sample_weights(cls):
    y = np.eye(3)[rng.integers(0, 3, 4)]
    y_hat = rng.choice([-1.0, 1.0], (4, 3)) * rng.uniform(0.1, 0.8, (4, 3)) + np.where(y == 1, -0.3, 0.3)
    weights = rng.uniform(0.5, 2.0, 4)
    assert gradcheck(lambda t, p: cls()(t, p, sample_weight=weights), [y, y_hat], wrt=[1])


def test_torch_parity_squared_hinge():
    torch = pytest.importorskip("torch")
    y = rng.choice([-1.0, 1.0], (5, 3))
    p = rng.normal(size=(5, 3))
    y_hat = Tensor(p, requires_grad=True)
    value = losses.SquaredHinge()(y, y_hat)
    value.backward()
    tp = torch.tensor(p, requires_grad=True)
    reference = torch.clamp(1 - torch.tensor(y) * tp, min=0).pow(2).mean()
    reference.backward()
    assert value.item() == pytest.approx(reference.item(), rel=1e-12)
    np.testing.assert_allclose(y_hat.grad, tp.grad.numpy(), rtol=1e-10)

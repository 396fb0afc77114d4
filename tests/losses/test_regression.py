"""Regression losses: hand-worked values, Huber's two pieces, stability, gradients, PyTorch parity."""
import math

import numpy as np
import pytest

from glassnet import Tensor, losses
from tests.gradcheck import gradcheck

rng = np.random.default_rng(0)


def f64(x):
    return np.asarray(x, dtype=np.float64)


# --- hand-worked values ------------------------------------------------------------------
def test_mse_mae_rmse_on_a_hand_worked_pair():
    # y = [1, 2, 3], ŷ = [1, 3, 5]: errors 0, 1, 2
    y, y_hat = f64([[1, 2, 3]]), f64([[1, 3, 5]])
    assert losses.mean_squared_error(y, y_hat).item() == pytest.approx(5 / 3)      # (0 + 1 + 4)/3
    assert losses.mean_absolute_error(y, y_hat).item() == pytest.approx(1.0)       # (0 + 1 + 2)/3
    assert losses.root_mean_squared_error(y, y_hat).item() == pytest.approx(math.sqrt(5 / 3))
    assert losses.MeanSquaredError()(y, y_hat).item() == pytest.approx(5 / 3)


def test_rmse_class_is_the_root_of_the_batch_mse_not_the_mean_of_sample_rmses():
    # sample 1 errors (0, 2): MSE 2;  sample 2 errors (1, 1): MSE 1  → batch MSE 1.5
    y, y_hat = f64([[0, 0], [0, 0]]), f64([[0, 2], [1, 1]])
    assert losses.RootMeanSquaredError()(y, y_hat).item() == pytest.approx(math.sqrt(1.5))
    per_sample = losses.RootMeanSquaredError(reduction="none")(y, y_hat).numpy()
    np.testing.assert_allclose(per_sample, [math.sqrt(2), 1.0])
    # weighted: √((3·2 + 1·1)/2)
    assert losses.RootMeanSquaredError()(y, y_hat, sample_weight=[3, 1]).item() == pytest.approx(math.sqrt(3.5))


def test_rmse_gradient_is_finite_at_a_perfect_fit():
    y_hat = Tensor(f64([[1.0, 2.0]]), requires_grad=True)
    loss = losses.RootMeanSquaredError()(f64([[1.0, 2.0]]), y_hat)
    loss.backward()
    assert loss.item() == pytest.approx(1e-7)
    assert np.all(np.isfinite(y_hat.grad))


def test_mape_and_msle_values():
    y, y_hat = f64([[2.0, 4.0]]), f64([[1.0, 5.0]])
    # 100·(|2−1|/2 + |4−5|/4)/2 = 100·(0.5 + 0.25)/2 = 37.5
    assert losses.mean_absolute_percentage_error(y, y_hat).item() == pytest.approx(37.5)
    expected = ((math.log(2) - math.log(3)) ** 2 + (math.log(6) - math.log(5)) ** 2) / 2
    assert losses.mean_squared_logarithmic_error(y, y_hat).item() == pytest.approx(expected)
    # Keras's example: y = [[0, 1], [0, 0]], ŷ = [[1, 1], [0, 0]] → MAPE 2.5e8 (÷ ε for y = 0)
    value = losses.MeanAbsolutePercentageError()(f64([[0, 1], [0, 0]]), f64([[1, 1], [0, 0]])).item()
    assert value == pytest.approx(2.5e8)


@pytest.mark.parametrize("delta", [1.0, 2.5])
def test_huber_quadratic_inside_linear_outside_and_continuous(delta):
    def h(e):
        return losses.huber(f64([[0.0]]), f64([[e]]), delta=delta).item()

    assert h(0.5) == pytest.approx(0.5 * 0.5 ** 2)                    # ½e² inside
    assert h(-0.5) == pytest.approx(0.125)
    assert h(3 * delta) == pytest.approx(delta * (3 * delta - 0.5 * delta))   # δ(|e| − ½δ) outside
    assert h(-3 * delta) == pytest.approx(delta * (3 * delta - 0.5 * delta))
    # continuity of value and slope at |e| = δ
    assert h(delta) == pytest.approx(0.5 * delta ** 2)
    assert h(delta + 1e-9) == pytest.approx(h(delta), abs=1e-8)
    for e in (delta - 1e-4, delta + 1e-4):
        y_hat = Tensor(f64([[e]]), requires_grad=True)
        losses.huber(f64([[0.0]]), y_hat, delta=delta).sum().backward()
        assert y_hat.grad[0, 0] == pytest.approx(delta, abs=2e-4)


def test_huber_keras_example():
    # Keras docstring: huber([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]) → 0.155 after the mean
    loss = losses.Huber()(f64([[0, 1], [0, 0]]), f64([[0.6, 0.4], [0.4, 0.6]]))
    assert loss.item() == pytest.approx(0.155)


def test_log_cosh_values_and_finite_at_huge_errors():
    assert losses.log_cosh(f64([[0.0]]), f64([[1.0]])).item() == pytest.approx(math.log(math.cosh(1.0)))
    big = losses.log_cosh(f64([[0.0, 0.0]]), f64([[1e4, -1e4]]))
    assert np.isfinite(big.item())
    assert big.item() == pytest.approx(1e4 - math.log(2))           # |e| − ln 2 for large e
    y_hat = Tensor(f64([[1e4]]), requires_grad=True)
    losses.LogCosh()(f64([[0.0]]), y_hat).backward()
    assert y_hat.grad[0, 0] == pytest.approx(1.0)                    # tanh(1e4) = 1
    # float32 too
    assert np.isfinite(losses.log_cosh(np.zeros((1, 1), np.float32), np.full((1, 1), 1e4, np.float32)).item())
    # Keras's example: mean of logcosh over [[1, 0], [0, 0]] errors = log cosh(1)/4 = 0.108
    assert losses.LogCosh()(f64([[0, 1], [0, 0]]), f64([[1, 1], [0, 0]])).item() == pytest.approx(0.10844, abs=1e-5)


def test_cosine_similarity_sign_convention():
    value = losses.cosine_similarity(f64([[0, 1], [1, 1], [1, 1]]), f64([[1, 0], [1, 1], [-1, -1]])).numpy()
    np.testing.assert_allclose(value, [0.0, -1.0, 1.0], atol=1e-12)
    zero = losses.cosine_similarity(f64([[0, 0]]), f64([[1, 2]])).numpy()
    np.testing.assert_allclose(zero, [0.0])
    axis0 = losses.cosine_similarity(f64([[1, 0], [0, 1]]), f64([[2, 0], [0, 3]]), axis=0).numpy()
    np.testing.assert_allclose(axis0, [-1.0, -1.0])


def test_function_form_is_per_sample_and_sequences_keep_time():
    y, y_hat = rng.normal(size=(4, 5, 3)), rng.normal(size=(4, 5, 3))
    assert losses.mean_squared_error(y, y_hat).shape == (4, 5)
    # the class averages over batch and time
    expected = np.mean((y - y_hat) ** 2)
    assert losses.MeanSquaredError()(y, y_hat).item() == pytest.approx(expected)


def test_targets_of_shape_n_against_predictions_n_by_1():
    y, y_hat = f64([1, 2, 3]), f64([[1], [3], [5]])
    np.testing.assert_allclose(losses.mean_squared_error(y, y_hat).numpy(), [0, 1, 4])
    np.testing.assert_allclose(losses.mean_squared_error(y_hat, y).numpy(), [0, 1, 4])


def test_mismatched_shapes_raise_naming_both():
    with pytest.raises(ValueError, match=r"\(4, 3\).*\(4, 2\)"):
        losses.mean_squared_error(np.zeros((4, 3)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match="y_true has shape"):
        losses.MeanAbsoluteError()(np.zeros((4, 1)), np.zeros((4, 3)))
    with pytest.raises(ValueError, match="delta"):
        losses.Huber(delta=0)
    with pytest.raises(ValueError, match="axis"):
        losses.cosine_similarity(np.ones((2, 2)), np.ones((2, 2)), axis=1.5)
    with pytest.raises(TypeError, match="y_true"):
        losses.mean_squared_error(np.array([["a"]]), np.zeros((1, 1)))


def test_dtype_follows_y_pred_and_integer_predictions_become_floatx():
    assert losses.mean_squared_error(np.zeros((2, 2)), np.zeros((2, 2), np.float32)).dtype == np.float32
    assert losses.mean_squared_error(np.zeros((2, 2), np.float32), np.zeros((2, 2))).dtype == np.float64
    assert losses.mean_squared_error([[1, 2]], np.array([[1, 2]])).dtype == np.float32
    assert losses.MeanSquaredError(dtype="float64")(np.zeros((2, 2)), np.zeros((2, 2), np.float32)).dtype == np.float64


# --- gradients ---------------------------------------------------------------------------
def away(shape, low=0.2, high=2.0):
    return rng.uniform(low, high, shape) * rng.choice([-1.0, 1.0], shape)


GRAD_CASES = [
    ("mse", losses.mean_squared_error, rng.normal(size=(3, 4))),
    ("mae", losses.mean_absolute_error, away((3, 4))),
    ("mape", losses.mean_absolute_percentage_error, away((3, 4))),
    ("msle", losses.mean_squared_logarithmic_error, rng.uniform(0.1, 2.0, (3, 4))),
    ("rmse", losses.root_mean_squared_error, rng.normal(size=(3, 4))),
    ("huber", lambda y, p: losses.huber(y, p, delta=0.7), away((3, 4), 0.05, 2.0)),
    ("log_cosh", losses.log_cosh, rng.normal(size=(3, 4))),
    ("cosine", losses.cosine_similarity, rng.normal(size=(3, 4))),
    ("cosine_axis0", lambda y, p: losses.cosine_similarity(y, p, axis=0), rng.normal(size=(3, 4))),
]


@pytest.mark.parametrize("name, fn, errors", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_gradcheck_function_form(name, fn, errors):
    y = rng.uniform(0.5, 1.5, errors.shape) if name in ("msle", "mape") else rng.normal(size=errors.shape)
    y_pred = np.abs(y + errors) if name == "msle" else y + errors
    if name == "huber":  # keep |e| away from δ = 0.7, where the second derivative jumps
        errors = np.where(np.abs(np.abs(errors) - 0.7) < 0.05, errors * 1.2, errors)
        y_pred = y + errors
    assert gradcheck(fn, [y, y_pred], wrt=[1])


@pytest.mark.parametrize("cls", [losses.MeanSquaredError, losses.MeanAbsoluteError, losses.Huber, losses.LogCosh,
                                 losses.RootMeanSquaredError, losses.CosineSimilarity,
                                 losses.MeanAbsolutePercentageError, losses.MeanSquaredLogarithmicError])
def test_gradcheck_class_form_with_sample_weights(cls):
    y = rng.uniform(0.5, 1.5, (4, 3))
    y_pred = y + away((4, 3), 0.1, 0.5)
    weights = rng.uniform(0.5, 2.0, 4)
    assert gradcheck(lambda t, p: cls()(t, p, sample_weight=weights), [y, y_pred], wrt=[1])


def test_log_cosh_gradient_at_zero_error_is_zero():
    y_hat = Tensor(f64([[0.0, 1.0]]), requires_grad=True)
    losses.log_cosh(f64([[0.0, 1.0]]), y_hat).sum().backward()
    np.testing.assert_allclose(y_hat.grad, [[0.0, 0.0]])


# --- PyTorch parity ----------------------------------------------------------------------
def test_torch_parity_regression():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    y, p = rng.normal(size=(6, 5)), rng.normal(size=(6, 5)) * 2
    cases = [
        (losses.MeanSquaredError(), lambda a, b: F.mse_loss(b, a)),
        (losses.MeanAbsoluteError(), lambda a, b: F.l1_loss(b, a)),
        (losses.Huber(delta=0.8), lambda a, b: F.huber_loss(b, a, delta=0.8)),
        (losses.CosineSimilarity(), lambda a, b: -F.cosine_similarity(a, b, dim=-1).mean()),
    ]
    for ours, theirs in cases:
        y_hat = Tensor(p, requires_grad=True)
        value = ours(y, y_hat)
        value.backward()
        tp = torch.tensor(p, requires_grad=True)
        reference = theirs(torch.tensor(y), tp)
        reference.backward()
        assert value.item() == pytest.approx(reference.item(), rel=1e-10), ours.name
        np.testing.assert_allclose(y_hat.grad, tp.grad.numpy(), rtol=1e-8, atol=1e-12)

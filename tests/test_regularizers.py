"""Tests of glassnet.regularizers: hand-worked penalties, gradients, configs, bad factors."""
import numpy as np
import pytest

from glassnet import Tensor, regularizers
from glassnet.testing import gradcheck

# A small weight to work by hand: Σ|w| = 1 + 2 + 0.5 + 3 = 6.5, Σw² = 1 + 4 + 0.25 + 9 = 14.25
W = np.array([[1.0, -2.0], [0.5, -3.0]])


def test_l1_hand_worked():
    # 0.1 · Σ|w| = 0.1 · 6.5 = 0.65
    assert regularizers.L1(0.1)(W).item() == pytest.approx(0.65, abs=1e-12)
    assert regularizers.L1()(W).item() == pytest.approx(0.065, abs=1e-12)  # Keras default 0.01


def test_l2_hand_worked():
    # 0.1 · Σw² = 0.1 · 14.25 = 1.425 (no ½, as Keras)
    assert regularizers.L2(0.1)(W).item() == pytest.approx(1.425, abs=1e-12)
    assert regularizers.L2()(W).item() == pytest.approx(0.1425, abs=1e-12)


def test_l1l2_hand_worked():
    # 0.1 · 6.5 + 0.2 · 14.25 = 0.65 + 2.85 = 3.5
    assert regularizers.L1L2(l1=0.1, l2=0.2)(W).item() == pytest.approx(3.5, abs=1e-12)
    assert regularizers.L1L2()(W).item() == 0.0  # class defaults are 0
    assert regularizers.L1L2(l2=0.1)(W).item() == pytest.approx(1.425, abs=1e-12)


def test_keras_doc_example():
    # keras: L2(2.0) on a 5×5 matrix of ones = 2 · 25 = 50
    assert regularizers.L2(2.0)(np.ones((5, 5))).item() == pytest.approx(50.0)


def test_gradients_by_hand():
    w = Tensor(W.copy(), requires_grad=True)
    regularizers.L1L2(l1=0.1, l2=0.2)(w).backward()
    # ∂/∂w = l1 · sign(w) + 2 · l2 · w
    np.testing.assert_allclose(w.grad, 0.1 * np.sign(W) + 0.4 * W, rtol=1e-12)


@pytest.mark.parametrize("regularizer", [
    regularizers.L1(0.3), regularizers.L2(0.7), regularizers.L1L2(l1=0.2, l2=0.5),
    regularizers.OrthogonalRegularizer(factor=0.4), regularizers.OrthogonalRegularizer(factor=0.4, mode="columns"),
], ids=lambda r: repr(r))
def test_gradcheck(regularizer):
    rng = np.random.default_rng(0)
    w = rng.uniform(0.1, 1.0, (4, 3)) * rng.choice([-1.0, 1.0], (4, 3))  # away from the kink of |w| at 0
    assert gradcheck(lambda t: regularizer(t), [w])


def test_returns_scalar_tensor_in_weight_dtype():
    penalty = regularizers.L2()(W.astype(np.float32))
    assert isinstance(penalty, Tensor) and penalty.shape == () and penalty.dtype == np.float32


def test_orthogonal_regularizer_values():
    # orthogonal rows: every cosine between distinct rows is 0 → penalty 0
    assert regularizers.OrthogonalRegularizer(1.0)(np.eye(3)).item() == pytest.approx(0.0, abs=1e-12)
    # two parallel rows: |cos| = 1 for the one pair → 1.0 · ½ · (1 + 1) / 1 = 1
    assert regularizers.OrthogonalRegularizer(1.0)(np.array([[1.0, 2.0], [2.0, 4.0]])).item() == pytest.approx(
        1.0, rel=1e-6)
    # columns (1, 0) and (1, 1)/√2: cos = 1/√2 → 0.5 · ½ · 2/√2 / 1 = 0.5/√2
    value = regularizers.OrthogonalRegularizer(0.5, mode="columns")(np.array([[1.0, 1.0], [0.0, 1.0]])).item()
    assert value == pytest.approx(0.5 / np.sqrt(2), rel=1e-6)
    with pytest.raises(ValueError, match="2-D"):
        regularizers.OrthogonalRegularizer()(np.ones(3))
    with pytest.raises(ValueError, match="mode"):
        regularizers.OrthogonalRegularizer(mode="diagonal")


@pytest.mark.parametrize("make", [
    lambda: regularizers.L1(-0.1), lambda: regularizers.L2(-1), lambda: regularizers.L1L2(l1=-0.01),
    lambda: regularizers.L1L2(l2=float("nan")), lambda: regularizers.L2(float("inf")), lambda: regularizers.L1("0.1"),
    lambda: regularizers.OrthogonalRegularizer(factor=-1.0),
])
def test_bad_factor_raises(make):
    with pytest.raises(ValueError, match="non-negative"):
        make()


def test_string_ids():
    assert regularizers.get("l1").get_config() == {"l1": 0.01}
    assert regularizers.get("l2").get_config() == {"l2": 0.01}
    assert regularizers.get("l1_l2").get_config() == {"l1": 0.01, "l2": 0.01}
    assert isinstance(regularizers.get("L1L2"), regularizers.L1L2)
    assert isinstance(regularizers.get("orthogonal_regularizer"), regularizers.OrthogonalRegularizer)


def test_get_none_instance_callable_and_errors():
    assert regularizers.get(None) is None
    reg = regularizers.L2(0.3)
    assert regularizers.get(reg) is reg
    assert isinstance(regularizers.get(regularizers.L1), regularizers.L1)

    def custom(w):
        return 0.01 * (w * w).sum()

    assert regularizers.get(custom) is custom
    with pytest.raises(ValueError, match="l1_l2"):
        regularizers.get("l3")
    with pytest.raises(ValueError, match="identifier"):
        regularizers.get(0.01)


@pytest.mark.parametrize("reg", [
    regularizers.L1(0.2), regularizers.L2(0.3), regularizers.L1L2(0.1, 0.4),
    regularizers.OrthogonalRegularizer(0.2, mode="columns"),
], ids=lambda r: type(r).__name__)
def test_config_round_trip(reg):
    config = regularizers.serialize(reg)
    clone = regularizers.deserialize(config)
    assert type(clone) is type(reg) and clone.get_config() == reg.get_config()
    assert clone(W).item() == reg(W).item()
    assert type(reg).from_config(reg.get_config()).get_config() == reg.get_config()

"""Tests of glassnet.constraints: exact values of each projection, configs, look-up."""
import numpy as np
import pytest

from glassnet import Tensor, constraints

EPS = 1e-7  # Keras adds backend.epsilon() to the norm before dividing

# Columns (axis=0 norms): (3, 4) has norm 5; (0, 0.5) has norm 0.5
W = np.array([[3.0, 0.0], [4.0, 0.5]])


def test_max_norm_exact():
    out = constraints.MaxNorm(max_value=2)(W)
    # column 0: 3, 4 · 2/(5 + ε); column 1 (norm 0.5 ≤ 2): unchanged up to 0.5/(0.5 + ε)
    np.testing.assert_allclose(out[:, 0], [3 * 2 / (5 + EPS), 4 * 2 / (5 + EPS)], rtol=1e-15)
    np.testing.assert_allclose(out[:, 1], [0.0, 0.5 * 0.5 / (0.5 + EPS)], rtol=1e-15)
    np.testing.assert_allclose(np.linalg.norm(out, axis=0), [2, 0.5], rtol=1e-6)


def test_max_norm_along_other_axes():
    out = constraints.MaxNorm(max_value=1, axis=1)(W)
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), [1, 1], rtol=1e-6)
    kernel = np.random.default_rng(0).normal(size=(3, 3, 4, 5))
    out = constraints.MaxNorm(max_value=1.5, axis=[0, 1, 2])(kernel)
    np.testing.assert_allclose(np.sqrt((out**2).sum(axis=(0, 1, 2))), 1.5, rtol=1e-6)


def test_non_neg_exact():
    np.testing.assert_array_equal(constraints.NonNeg()(np.array([-1.0, 0.0, 2.0])), [0, 0, 2])


def test_unit_norm_exact():
    out = constraints.UnitNorm()(W)
    np.testing.assert_allclose(out, [[3 / (5 + EPS), 0], [4 / (5 + EPS), 0.5 / (0.5 + EPS)]], rtol=1e-15)
    np.testing.assert_array_equal(constraints.UnitNorm()(np.zeros((2, 2))), np.zeros((2, 2)))  # no 0/0


def test_min_max_norm_exact():
    out = constraints.MinMaxNorm(min_value=1.0, max_value=2.0)(W)
    # column 0: norm 5 → 2; column 1: norm 0.5 → 1
    np.testing.assert_allclose(out, [[3 * 2 / (5 + EPS), 0], [4 * 2 / (5 + EPS), 0.5 / (0.5 + EPS)]], rtol=1e-15)
    half = constraints.MinMaxNorm(min_value=1.0, max_value=2.0, rate=0.5)(W)
    # desired = 0.5 · clip + 0.5 · norm: column 0: 0.5·2 + 0.5·5 = 3.5; column 1: 0.5·1 + 0.5·0.5 = 0.75
    np.testing.assert_allclose(half[:, 0], np.array([3, 4]) * 3.5 / (5 + EPS), rtol=1e-15)
    np.testing.assert_allclose(half[1, 1], 0.5 * 0.75 / (0.5 + EPS), rtol=1e-15)


def test_keeps_dtype_and_accepts_tensors():
    w32 = W.astype(np.float32)
    for c in (constraints.MaxNorm(), constraints.UnitNorm(), constraints.MinMaxNorm(), constraints.NonNeg()):
        out = c(w32)
        assert isinstance(out, np.ndarray) and out.dtype == np.float32 and out.shape == W.shape
        np.testing.assert_array_equal(c(Tensor(w32)), out)


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="max_value"):
        constraints.MaxNorm(max_value=-1)
    with pytest.raises(ValueError, match="min_value"):
        constraints.MinMaxNorm(min_value=2.0, max_value=1.0)
    with pytest.raises(ValueError, match="rate"):
        constraints.MinMaxNorm(rate=1.5)


def test_string_ids_and_get():
    expected = {"max_norm": constraints.MaxNorm, "non_neg": constraints.NonNeg, "unit_norm": constraints.UnitNorm,
                "min_max_norm": constraints.MinMaxNorm, "MaxNorm": constraints.MaxNorm}
    for name, cls in expected.items():
        assert type(constraints.get(name)) is cls
    assert constraints.get(None) is None
    c = constraints.MaxNorm(3)
    assert constraints.get(c) is c
    assert isinstance(constraints.get(constraints.NonNeg), constraints.NonNeg)
    with pytest.raises(ValueError, match="max_norm"):
        constraints.get("maxnorm")
    with pytest.raises(ValueError, match="identifier"):
        constraints.get(2)


@pytest.mark.parametrize("c", [
    constraints.MaxNorm(3, axis=[0, 1]), constraints.NonNeg(), constraints.UnitNorm(axis=1),
    constraints.MinMaxNorm(0.5, 2.0, rate=0.3, axis=0),
], ids=lambda c: type(c).__name__)
def test_config_round_trip(c):
    config = constraints.serialize(c)
    clone = constraints.deserialize(config)
    assert type(clone) is type(c) and clone.get_config() == c.get_config()
    kernel = np.random.default_rng(1).normal(size=(3, 4))
    np.testing.assert_array_equal(clone(kernel), c(kernel))

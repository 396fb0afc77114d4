"""Tests of glassnet.initializers: statistics of the draws, seeding, fans, look-up."""
import math

import numpy as np
import pytest

from glassnet import backend, initializers, utils
from glassnet.initializers import compute_fans

SHAPE = (1000, 1000)
TRUNCATED_STD = 0.87962566103423978


def _check_std(W, expected, tolerance=0.02):
    """Mean near 0 (within 5 standard errors) and std within ``tolerance`` of ``expected``."""
    assert abs(W.mean()) < 5 * expected / math.sqrt(W.size)
    assert abs(W.std() / expected - 1) < tolerance


# --- fans -------------------------------------------------------------------------------
def test_compute_fans_like_keras():
    assert compute_fans(()) == (1, 1)
    assert compute_fans((7,)) == (7, 7)
    assert compute_fans((784, 128)) == (784, 128)
    # 3×3 conv from 16 to 32 channels: receptive field 9 → fan_in 16·9, fan_out 32·9
    assert compute_fans((3, 3, 16, 32)) == (144, 288)
    assert compute_fans((5, 4, 3)) == (20, 15)  # Conv1D kernel (k=5, in=4, out=3)
    assert compute_fans((2, 3, 3, 4, 8)) == (72, 144)  # Conv3D
    assert all(isinstance(f, int) for f in compute_fans((3, 3, 16, 32)))


def test_bad_shape_raises():
    with pytest.raises(ValueError, match="shape"):
        initializers.GlorotUniform()((3, -1))
    with pytest.raises(ValueError, match="shape"):
        initializers.Zeros()("3x3")


# --- constant initializers ----------------------------------------------------------------
def test_zeros_ones_constant_identity():
    assert np.array_equal(initializers.Zeros()((2, 3)), np.zeros((2, 3)))
    assert np.array_equal(initializers.Ones()((4,)), np.ones(4))
    assert np.array_equal(initializers.Constant(2.5)((2, 2)), np.full((2, 2), 2.5))
    assert np.array_equal(initializers.Constant([1.0, 2.0])((3, 2)), [[1, 2]] * 3)
    assert np.array_equal(initializers.Identity(gain=3.0)((2, 3)), [[3, 0, 0], [0, 3, 0]])
    assert initializers.Zeros()((2,), dtype="int32").dtype == np.int32
    assert initializers.Ones()((2,)).dtype == np.dtype(backend.floatx())


def test_constant_and_identity_errors():
    with pytest.raises(ValueError, match="broadcast"):
        initializers.Constant([1.0, 2.0])((3, 3))
    with pytest.raises(ValueError, match="value"):
        initializers.Constant("a")
    with pytest.raises(ValueError, match="2-D"):
        initializers.Identity()((2, 2, 2))


# --- random initializers: statistics ------------------------------------------------------
def test_random_normal_statistics():
    W = initializers.RandomNormal(mean=0.0, stddev=0.05, seed=1)(SHAPE)
    _check_std(W, 0.05)
    W = initializers.RandomNormal(mean=3.0, stddev=2.0, seed=2)(SHAPE)
    assert abs(W.mean() - 3.0) < 0.01 and abs(W.std() / 2.0 - 1) < 0.02


def test_random_uniform_statistics_and_bounds():
    W = initializers.RandomUniform(seed=1)(SHAPE)
    assert W.min() >= -0.05 and W.max() < 0.05
    _check_std(W, 0.1 / math.sqrt(12))  # std of U(a, b) = (b − a)/√12


def test_truncated_normal_statistics_and_bounds():
    W = initializers.TruncatedNormal(mean=0.0, stddev=0.05, seed=1)(SHAPE)
    assert np.abs(W).max() <= 2 * 0.05 + 1e-7  # cut at 2σ of the pre-cut std
    _check_std(W, 0.05 * TRUNCATED_STD)


@pytest.mark.parametrize("name,fan_in,fan_out", [("mlp", 1000, 1000), ("conv", 3 * 3 * 100, 3 * 3 * 200)])
def test_named_schemes_match_their_formulas(name, fan_in, fan_out):
    shape = SHAPE if name == "mlp" else (3, 3, 100, 200)
    uniform = {  # name → limit √(3·scale/n)
        "glorot_uniform": math.sqrt(6 / (fan_in + fan_out)),
        "he_uniform": math.sqrt(6 / fan_in),
        "lecun_uniform": math.sqrt(3 / fan_in),
        "fan_in_uniform": 1 / math.sqrt(fan_in),
    }
    for key, limit in uniform.items():
        W = initializers.get({"class_name": key, "config": {"seed": 5}})(shape)
        assert W.min() >= -limit and W.max() <= limit, key
        _check_std(W, limit / math.sqrt(3))
    normal = {  # name → std after the cut, √(scale/n)
        "glorot_normal": math.sqrt(2 / (fan_in + fan_out)),
        "he_normal": math.sqrt(2 / fan_in),
        "lecun_normal": math.sqrt(1 / fan_in),
    }
    for key, std in normal.items():
        W = initializers.get({"class_name": key, "config": {"seed": 6}})(shape)
        assert np.abs(W).max() <= 2 * std / TRUNCATED_STD + 1e-7, key  # 2σ of the pre-cut std
        _check_std(W, std)


def test_variance_scaling_general_form():
    vs = initializers.VarianceScaling
    W = vs(scale=2.0, mode="fan_out", distribution="untruncated_normal", seed=1)((500, 2000))
    _check_std(W, math.sqrt(2.0 / 2000))
    W = vs(scale=0.5, mode="fan_avg", distribution="uniform", seed=1)((400, 1600))
    limit = math.sqrt(3 * 0.5 / 1000)
    assert np.abs(W).max() <= limit
    _check_std(W, limit / math.sqrt(3))
    assert vs(distribution="normal").distribution == "truncated_normal"


def test_variance_scaling_errors():
    with pytest.raises(ValueError, match="scale"):
        initializers.VarianceScaling(scale=0.0)
    with pytest.raises(ValueError, match="mode"):
        initializers.VarianceScaling(mode="fan_sum")
    with pytest.raises(ValueError, match="distribution"):
        initializers.VarianceScaling(distribution="cauchy")
    with pytest.raises(ValueError, match="seed"):
        initializers.HeNormal(seed=1.5)
    with pytest.raises(ValueError, match="dtype"):
        initializers.HeNormal()((2, 2), dtype="int32")


def test_fan_in_uniform_with_explicit_fan_in_for_biases():
    b = initializers.FanInUniform(fan_in=100, seed=3)((10000,))
    assert np.abs(b).max() <= 0.1
    _check_std(b, 0.1 / math.sqrt(3), tolerance=0.03)
    with pytest.raises(ValueError, match="fan_in"):
        initializers.FanInUniform(fan_in=0)


# --- orthogonal ---------------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(64, 64), (100, 30), (30, 100), (3, 3, 8, 16)])
def test_orthogonal_is_orthogonal(shape):
    Q = initializers.Orthogonal(seed=0)(shape, dtype="float64")
    assert Q.shape == shape
    M = Q.reshape(-1, shape[-1])
    if M.shape[0] >= M.shape[1]:
        np.testing.assert_allclose(M.T @ M, np.eye(M.shape[1]), atol=1e-12)  # QᵀQ = I
    else:
        np.testing.assert_allclose(M @ M.T, np.eye(M.shape[0]), atol=1e-12)  # rows orthonormal


def test_orthogonal_gain_and_rank_error():
    Q = initializers.Orthogonal(gain=2.0, seed=0)((10, 10), dtype="float64")
    np.testing.assert_allclose(Q.T @ Q, 4 * np.eye(10), atol=1e-12)
    with pytest.raises(ValueError, match="two dimensions"):
        initializers.Orthogonal()((5,))


# --- seeding and dtypes -------------------------------------------------------------------
RANDOM_NAMES = ["random_normal", "random_uniform", "truncated_normal", "variance_scaling", "glorot_uniform",
                "glorot_normal", "he_uniform", "he_normal", "lecun_uniform", "lecun_normal", "fan_in_uniform",
                "orthogonal"]


@pytest.mark.parametrize("name", RANDOM_NAMES)
def test_int_seed_repeats_and_none_uses_the_shared_stream(name):
    seeded = initializers.get({"class_name": name, "config": {"seed": 42}})
    np.testing.assert_array_equal(seeded((20, 30)), seeded((20, 30)))
    other = initializers.get({"class_name": name, "config": {"seed": 43}})
    assert not np.array_equal(seeded((20, 30)), other((20, 30)))
    unseeded = initializers.get(name)
    utils.set_random_seed(7)
    first = unseeded((20, 30))
    assert not np.array_equal(first, unseeded((20, 30)))  # the shared stream moves on
    utils.set_random_seed(7)
    np.testing.assert_array_equal(first, unseeded((20, 30)))  # and repeats from the seed


def test_dtype_default_and_explicit():
    assert initializers.GlorotUniform(seed=0)((3, 4)).dtype == np.dtype(backend.floatx())
    assert initializers.GlorotUniform(seed=0)((3, 4), dtype="float64").dtype == np.float64
    previous = backend.floatx()
    backend.set_floatx("float64")
    try:
        assert initializers.HeNormal(seed=0)((3, 4)).dtype == np.float64
    finally:
        backend.set_floatx(previous)


# --- look-up and configs ------------------------------------------------------------------
def test_get_keras_string_ids():
    expected = {
        "zeros": initializers.Zeros, "ones": initializers.Ones, "constant": initializers.Constant,
        "identity": initializers.Identity, "glorot_uniform": initializers.GlorotUniform,
        "glorot_normal": initializers.GlorotNormal, "he_normal": initializers.HeNormal,
        "he_uniform": initializers.HeUniform, "lecun_normal": initializers.LecunNormal,
        "lecun_uniform": initializers.LecunUniform, "orthogonal": initializers.Orthogonal,
        "random_normal": initializers.RandomNormal, "random_uniform": initializers.RandomUniform,
        "truncated_normal": initializers.TruncatedNormal, "variance_scaling": initializers.VarianceScaling,
        "fan_in_uniform": initializers.FanInUniform, "uniform": initializers.RandomUniform,
        "normal": initializers.RandomNormal, "GlorotUniform": initializers.GlorotUniform,
        "OrthogonalInitializer": initializers.Orthogonal,
    }
    for name, cls in expected.items():
        assert type(initializers.get(name)) is cls, name
    assert initializers.glorot_uniform is initializers.GlorotUniform


def test_get_none_class_callable_and_errors():
    assert initializers.get(None) is None
    assert isinstance(initializers.get(initializers.HeNormal), initializers.HeNormal)
    instance = initializers.Orthogonal()
    assert initializers.get(instance) is instance
    with pytest.raises(ValueError, match="glorot_uniform"):
        initializers.get("glorot_uniformm")
    with pytest.raises(ValueError, match="identifier"):
        initializers.get(1.0)
    with pytest.raises(ValueError, match="get_config"):
        initializers.serialize(lambda shape, dtype=None: np.zeros(shape))


ALL_INSTANCES = [
    initializers.Zeros(), initializers.Ones(), initializers.Constant(0.3), initializers.Identity(gain=2.0),
    initializers.RandomNormal(mean=1.0, stddev=0.2, seed=3), initializers.RandomUniform(-1.0, 2.0, seed=4),
    initializers.TruncatedNormal(stddev=0.3, seed=5),
    initializers.VarianceScaling(scale=3.0, mode="fan_avg", distribution="uniform", seed=6),
    initializers.GlorotUniform(seed=7), initializers.GlorotNormal(seed=8), initializers.HeUniform(seed=9),
    initializers.HeNormal(seed=10), initializers.LecunUniform(seed=11), initializers.LecunNormal(seed=12),
    initializers.FanInUniform(fan_in=7, seed=13), initializers.Orthogonal(gain=0.5, seed=14),
]


@pytest.mark.parametrize("init", ALL_INSTANCES, ids=lambda i: type(i).__name__)
def test_config_round_trip(init):
    config = initializers.serialize(init)
    assert config["class_name"] == type(init).__name__
    clone = initializers.deserialize(config)
    assert type(clone) is type(init) and clone.get_config() == init.get_config()
    np.testing.assert_array_equal(clone((6, 6)), init((6, 6)))
    assert type(init).from_config(init.get_config()).get_config() == init.get_config()


def test_glorot_config_is_only_the_seed_like_keras():
    assert initializers.GlorotUniform(seed=3).get_config() == {"seed": 3}
    assert initializers.VarianceScaling().get_config() == {
        "scale": 1.0, "mode": "fan_in", "distribution": "truncated_normal", "seed": None}

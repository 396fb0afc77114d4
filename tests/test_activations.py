"""Tests of glassnet.activations: gradients, the course's values, stability, look-up, parity."""
import functools
import math

import numpy as np
import pytest
from scipy import special as scipy_special

from glassnet import Tensor, activations, backend
from glassnet.ops import special
from glassnet.testing import gradcheck


def _away_from(kinks, shape=(3, 4), low=-5.0, high=5.0, margin=0.05, seed=0):
    """Uniform samples in [low, high] at least ``margin`` from every kink."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(low, high, shape)
    for _ in range(100):
        near = np.zeros(shape, dtype=bool)
        for k in kinks:
            near |= np.abs(x - k) < margin
        if not near.any():
            return x
        x[near] = rng.uniform(low, high, int(near.sum()))
    raise AssertionError("could not sample away from the kinks")


# name, function of a Tensor, the points where its derivative jumps
GRADCHECK_CASES = [
    ("linear", activations.linear, []),
    ("binary_step", activations.binary_step, [0.0]),
    ("sigmoid", activations.sigmoid, []),
    ("hard_sigmoid", activations.hard_sigmoid, [-3.0, 3.0]),
    ("tanh", activations.tanh, []),
    ("softsign", activations.softsign, []),
    ("relu", activations.relu, [0.0]),
    ("relu_slope_max_threshold",
     lambda x: activations.relu(x, negative_slope=0.1, max_value=3.0, threshold=0.5), [0.5, 3.0]),
    ("relu_negative_threshold", lambda x: activations.relu(x, threshold=-1.0, max_value=2.0), [-1.0, 0.0, 2.0]),
    ("relu_slope_only", lambda x: activations.relu(x, negative_slope=0.3), [0.0]),
    ("leaky_relu", activations.leaky_relu, [0.0]),
    ("relu6", activations.relu6, [0.0, 6.0]),
    ("elu", activations.elu, [0.0]),
    ("elu_alpha", lambda x: activations.elu(x, alpha=0.5), [0.0]),
    ("selu", activations.selu, [0.0]),
    ("gelu", activations.gelu, []),
    ("gelu_tanh", lambda x: activations.gelu(x, approximate=True), []),
    ("silu", activations.silu, []),
    ("hard_silu", activations.hard_silu, [-3.0, 3.0]),
    ("softplus", activations.softplus, []),
    ("mish", activations.mish, []),
    ("exponential", activations.exponential, []),
    ("crelu", activations.crelu, [0.0]),
    ("softmax", activations.softmax, []),
    ("softmax_axis0", lambda x: activations.softmax(x, axis=0), []),
    ("log_softmax", activations.log_softmax, []),
    ("celu", activations.celu, []),
    ("celu_alpha", lambda x: activations.celu(x, alpha=0.5), []),
    ("hard_tanh", activations.hard_tanh, [-1.0, 1.0]),
    ("log_sigmoid", activations.log_sigmoid, []),
    ("tanh_shrink", activations.tanh_shrink, []),
    ("hard_shrink", activations.hard_shrink, [-0.5, 0.5]),
    ("soft_shrink", lambda x: activations.soft_shrink(x, threshold=1.0), [-1.0, 1.0]),
    ("threshold", lambda x: activations.threshold(x, 0.5, -2.0), [0.5]),
    ("squareplus", activations.squareplus, []),
    ("sparse_plus", activations.sparse_plus, [-1.0, 1.0]),
    ("sparse_sigmoid", activations.sparse_sigmoid, [-1.0, 1.0]),
    ("sparsemax", lambda x: activations.sparsemax(x * 0.3), []),
    ("glu", activations.glu, []),
    ("glu_axis0", lambda x: activations.glu(x[:2] if x.shape[0] % 2 else x, axis=0), []),
]


@pytest.mark.parametrize("name,fn,kinks", GRADCHECK_CASES, ids=[c[0] for c in GRADCHECK_CASES])
def test_gradcheck_float64(name, fn, kinks):
    x = _away_from(kinks, low=-7.0, high=7.0)
    assert gradcheck(fn, [x])


def test_every_registered_activation_is_gradchecked():
    checked = {name for name, _, _ in GRADCHECK_CASES}
    assert set(activations._ACTIVATIONS) <= checked


# --- the course's values --------------------------------------------------------------------
def test_sigmoid_of_zero_is_one_half():
    assert activations.sigmoid(0.0).item() == 0.5


def test_sigmoid_derivative_is_s_times_one_minus_s():
    x = Tensor(np.array([-3.0, -0.5, 0.0, 0.7, 4.0]), requires_grad=True)
    s = activations.sigmoid(x)
    s.backward(np.ones(5))
    np.testing.assert_allclose(x.grad, s.data * (1 - s.data), rtol=1e-12)
    assert x.grad[2] == 0.25  # sigmoid'(0) = 0.5 · 0.5


def test_tanh_derivative_is_one_minus_a_squared():
    x = Tensor(np.array([-2.0, -0.3, 0.0, 1.1]), requires_grad=True)
    a = activations.tanh(x)
    a.backward(np.ones(4))
    np.testing.assert_allclose(x.grad, 1 - a.data**2, rtol=1e-12)
    assert x.grad[2] == 1.0


def test_relu_derivative_is_zero_for_negative_and_one_for_positive():
    x = Tensor(np.array([-2.0, -0.1, 0.0, 0.1, 3.0]), requires_grad=True)
    activations.relu(x).backward(np.ones(5))
    np.testing.assert_array_equal(x.grad, [0, 0, 0, 1, 1])


@pytest.mark.parametrize("a", [0.01, 0.2, 0.3])
def test_leaky_relu_of_minus_one_is_minus_slope(a):
    assert activations.leaky_relu(-1.0, negative_slope=a).item() == pytest.approx(-a, abs=1e-7)
    x = Tensor(np.array([-1.0, 2.0]), requires_grad=True)
    activations.leaky_relu(x, negative_slope=a).backward(np.ones(2))
    np.testing.assert_allclose(x.grad, [a, 1.0])


def test_leaky_relu_keras_default_slope_is_0_2():
    assert activations.leaky_relu(-1.0).item() == pytest.approx(-0.2)


def test_neuron_example():
    # One neuron with weights w = (0.9, 0.2, 0.3), bias b = 0.5 and input x = (2, 3, −1):
    # z = 0.9·2 + 0.2·3 + 0.3·(−1) + 0.5 = 1.8 + 0.6 − 0.3 + 0.5 = 2.6
    # a = sigmoid(2.6) = 1/(1 + e^(−2.6)) = 1/(1 + 0.0742736) = 0.930862
    w = Tensor(np.array([0.9, 0.2, 0.3]))
    x = Tensor(np.array([2.0, 3.0, -1.0]))
    z = (w * x).sum() + 0.5
    assert z.item() == pytest.approx(2.6, abs=1e-12)
    assert activations.sigmoid(z).item() == pytest.approx(0.9309, abs=1e-4)


def test_keras_relu_examples():
    x = [-10.0, -5.0, 0.0, 5.0, 10.0]
    np.testing.assert_array_equal(activations.relu(x).numpy(), [0, 0, 0, 5, 10])
    np.testing.assert_array_equal(activations.relu(x, negative_slope=0.5).numpy(), [-5, -2.5, 0, 5, 10])
    np.testing.assert_array_equal(activations.relu(x, max_value=5.0).numpy(), [0, 0, 0, 5, 5])
    np.testing.assert_array_equal(activations.relu(x, threshold=5.0).numpy(), [0, 0, 0, 0, 10])
    # slope below the threshold: a·(x − θ) = 0.5·(−10 − 5) = −7.5, ...
    np.testing.assert_array_equal(activations.relu(x, negative_slope=0.5, threshold=5.0).numpy(),
                                  [-7.5, -5, -2.5, 0, 10])


def test_relu6_hard_sigmoid_and_hard_silu_values():
    x = np.array([-4.0, -3.0, 0.0, 1.5, 3.0, 7.0])
    np.testing.assert_allclose(activations.relu6(x * 2).numpy(), [0, 0, 0, 3, 6, 6])
    # hard_sigmoid = relu6(x + 3)/6: −4 → 0, −3 → 0, 0 → 0.5, 1.5 → 0.75, 3 → 1, 7 → 1
    np.testing.assert_allclose(activations.hard_sigmoid(x).numpy(), [0, 0, 0.5, 0.75, 1, 1])
    np.testing.assert_allclose(activations.hard_silu(x).numpy(), x * np.array([0, 0, 0.5, 0.75, 1, 1]))


def test_elu_selu_values():
    alpha, scale = 1.6732632423543772, 1.0507009873554805
    x = np.array([-1.0, 0.0, 2.0])
    np.testing.assert_allclose(activations.elu(x, alpha=0.5).numpy(), [0.5 * (math.exp(-1) - 1), 0, 2])
    np.testing.assert_allclose(activations.selu(x).numpy(), [scale * alpha * (math.exp(-1) - 1), 0, 2 * scale])


def test_elu_has_no_overflow_for_large_input():
    x = Tensor(np.array([1000.0, -1000.0], dtype=np.float32), requires_grad=True)
    y = activations.elu(x)
    y.backward(np.ones(2, dtype=np.float32))
    np.testing.assert_array_equal(y.data, [1000.0, -1.0])
    assert np.all(np.isfinite(x.grad))


def test_gelu_exact_and_tanh_approximation():
    x = np.array([-2.0, -0.5, 0.0, 1.0, 3.0])
    exact = 0.5 * x * (1 + scipy_special.erf(x / math.sqrt(2)))
    np.testing.assert_allclose(activations.gelu(x).numpy(), exact, rtol=1e-12)
    assert activations.gelu(1.0).item() == pytest.approx(0.8413447, abs=1e-6)  # Φ(1)
    u = math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)
    np.testing.assert_allclose(activations.gelu(x, approximate=True).numpy(), 0.5 * x * (1 + np.tanh(u)), rtol=1e-12)


def test_simple_formulas():
    x = np.array([-2.0, -0.5, 0.0, 1.0, 3.0])
    s = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(activations.silu(x).numpy(), x * s, rtol=1e-12)
    np.testing.assert_allclose(activations.softsign(x).numpy(), x / (1 + np.abs(x)), rtol=1e-12)
    np.testing.assert_allclose(activations.softplus(x).numpy(), np.log1p(np.exp(x)), rtol=1e-12)
    np.testing.assert_allclose(activations.mish(x).numpy(), x * np.tanh(np.log1p(np.exp(x))), rtol=1e-12)
    np.testing.assert_allclose(activations.exponential(x).numpy(), np.exp(x), rtol=1e-12)
    np.testing.assert_array_equal(activations.crelu(np.array([[-1.0, 2.0]])).numpy(), [[0, 2, 1, 0]])


def test_shrinkage_and_sparse_activations_by_hand():
    x = np.array([-2.0, -1.0, -0.25, 0.0, 0.25, 1.0, 2.0])
    # soft_shrink moves everything 0.5 toward 0 and stops there; hard_shrink keeps |x| > 0.5
    np.testing.assert_allclose(activations.soft_shrink(x).numpy(), [-1.5, -0.5, 0, 0, 0, 0.5, 1.5])
    np.testing.assert_allclose(activations.hard_shrink(x).numpy(), [-2, -1, 0, 0, 0, 1, 2])
    np.testing.assert_allclose(activations.hard_tanh(x).numpy(), [-1, -1, -0.25, 0, 0.25, 1, 1])
    # sparse_plus: (x + 1)²/4 inside (−1, 1): (0.75)²/4 = 0.140625, (1.25)²/4 = 0.390625
    np.testing.assert_allclose(activations.sparse_plus(x).numpy(), [0, 0, 0.140625, 0.25, 0.390625, 1, 2])
    np.testing.assert_allclose(activations.sparse_sigmoid(x).numpy(), [0, 0, 0.375, 0.5, 0.625, 1, 1])
    # squareplus(0) = √4/2 = 1; squareplus(2) = (2 + √8)/2
    np.testing.assert_allclose(activations.squareplus(np.array([0.0, 2.0])).numpy(), [1.0, (2 + math.sqrt(8)) / 2])
    np.testing.assert_allclose(activations.threshold(x, 0.0, 9.0).numpy(), [9, 9, 9, 9, 0.25, 1, 2])
    np.testing.assert_allclose(activations.log_sigmoid(np.array([0.0])).numpy(), [-math.log(2)])
    # celu(−1, α=2) = 2(e^(−1/2) − 1)
    np.testing.assert_allclose(activations.celu(np.array([-1.0, 3.0]), alpha=2.0).numpy(),
                               [2 * (math.exp(-0.5) - 1), 3.0])
    # sparsemax of (1, 0.5, −1): τ = (1 + 0.5 − 1)/2 = 0.25 → (0.75, 0.25, 0); softmax would give all three > 0
    np.testing.assert_allclose(activations.sparsemax(np.array([[1.0, 0.5, -1.0]])).numpy(), [[0.75, 0.25, 0.0]])
    # glu of (a, b) = (2, 0): 2·σ(0) = 1
    np.testing.assert_allclose(activations.glu(np.array([[2.0, 0.0]])).numpy(), [[1.0]])


def test_glu_needs_an_even_axis_and_squareplus_a_non_negative_b():
    with pytest.raises(ValueError, match="even"):
        activations.glu(np.ones((2, 3)))
    with pytest.raises(ValueError, match="b must be a non-negative"):
        activations.squareplus(np.ones(2), b=-1.0)


def test_binary_step_values_and_zero_gradient():
    x = Tensor(np.array([-2.0, -1e-9, 0.0, 0.5]), requires_grad=True)
    y = activations.binary_step(x)
    np.testing.assert_array_equal(y.numpy(), [0, 0, 1, 1])
    y.backward(np.ones(4))
    np.testing.assert_array_equal(x.grad, np.zeros(4))


# --- stability ------------------------------------------------------------------------------
def test_softmax_rows_sum_to_one():
    logits = np.random.default_rng(1).normal(size=(5, 7)) * 3
    p = activations.softmax(logits).numpy()
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-12)
    assert np.all(p > 0)


def test_softmax_is_stable_for_huge_logits():
    logits = np.array([[1e4, 1e4 - 1.0, 0.0], [-1e4, 0.0, 1e4]])
    p = activations.softmax(logits).numpy()
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=-1), 1.0)
    e = math.exp(-1.0)
    np.testing.assert_allclose(p[0], [1 / (1 + e), e / (1 + e), 0.0], rtol=1e-12)
    np.testing.assert_allclose(p[1], [0, 0, 1])
    log_p = activations.log_softmax(logits).numpy()
    assert np.all(np.isfinite(log_p))
    np.testing.assert_allclose(log_p[0, :2], [-math.log1p(e), -1 - math.log1p(e)], rtol=1e-12)


def test_softplus_is_finite_for_large_inputs():
    x = Tensor(np.array([1000.0, -1000.0, 50.0, -50.0]), requires_grad=True)
    y = activations.softplus(x)
    y.backward(np.ones(4))
    np.testing.assert_allclose(y.data, [1000.0, 0.0, 50.0, math.exp(-50)], rtol=1e-12)
    np.testing.assert_allclose(x.grad, [1.0, 0.0, 1.0, math.exp(-50)], rtol=1e-12)
    assert np.isfinite(activations.softplus(np.float32(1000.0)).item())
    assert np.isfinite(activations.mish(np.array([1000.0, -1000.0])).numpy()).all()


def test_softplus_primitive_matches_composed_form():
    x = np.random.default_rng(2).uniform(-30, 30, 50)
    composed = np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))
    np.testing.assert_allclose(special.softplus(x).numpy(), composed, rtol=1e-12)
    assert gradcheck(special.softplus, [x[:10]])


def test_erf_primitive_matches_scipy_and_gradchecks():
    x = np.linspace(-3, 3, 13)
    np.testing.assert_allclose(special.erf(x).numpy(), scipy_special.erf(x), rtol=1e-14)
    assert gradcheck(special.erf, [x.reshape(13, 1)])
    t = Tensor(np.array([0.0]), requires_grad=True)
    special.erf(t).backward(np.ones(1))
    assert t.grad[0] == pytest.approx(2 / math.sqrt(math.pi))


# --- input and dtypes -----------------------------------------------------------------------
def test_numpy_and_list_inputs_give_tensors():
    assert isinstance(activations.relu(np.array([-1.0, 1.0])), Tensor)
    y = activations.sigmoid([0, 1, 2])  # integers become floatx
    assert isinstance(y, Tensor) and y.dtype == np.dtype(backend.floatx())


@pytest.mark.parametrize("name", sorted(activations._ACTIVATIONS))
def test_float32_in_float32_out(name):
    x = np.linspace(-2, 2, 8, dtype=np.float32).reshape(2, 4)
    arguments = {"threshold": 0.5, "default_value": 0.0} if name == "threshold" else {}
    assert activations.get(name)(x, **arguments).dtype == np.float32


def test_linear_returns_the_same_tensor():
    x = Tensor(np.ones(3))
    assert activations.linear(x) is x


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="max_value"):
        activations.relu(np.ones(2), max_value=-1.0)
    with pytest.raises(ValueError, match="negative_slope"):
        activations.leaky_relu(np.ones(2), negative_slope=-0.1)


# --- look-up --------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(activations._ACTIVATIONS))
def test_get_and_serialize_round_trip(name):
    fn = activations.get(name)
    assert callable(fn)
    assert activations.serialize(fn) == name
    assert activations.get(activations.serialize(fn)) is fn
    assert activations.deserialize({"class_name": "function", "config": name}) is fn


def test_get_none_aliases_and_callables():
    assert activations.get(None) is activations.linear
    assert activations.get("swish") is activations.silu
    assert activations.serialize(activations.swish) == "silu"
    assert activations.get("hard_swish") is activations.hard_silu
    # "identity" is the course's name for linear: f(x) = x, f'(x) = 1; it serializes as "linear"
    assert activations.get("identity") is activations.linear
    assert activations.serialize(activations.get("identity")) == "linear"

    def custom(x):
        return x

    assert activations.get(custom) is custom


def test_get_unknown_name_lists_valid_names():
    with pytest.raises(ValueError, match="relu.*") as error:
        activations.get("rleu")
    assert "'rleu'" in str(error.value) and "sigmoid" in str(error.value)
    with pytest.raises(ValueError, match="identifier"):
        activations.get(3)


def test_partial_activation_config_round_trip():
    fn = activations.get({"class_name": "leaky_relu", "config": {"negative_slope": 0.1}})
    assert fn(-1.0).item() == pytest.approx(-0.1)
    config = activations.serialize(fn)
    assert config == {"class_name": "leaky_relu", "config": {"negative_slope": 0.1}}
    assert activations.get(config)(-2.0).item() == pytest.approx(-0.2)
    assert activations.serialize(functools.partial(activations.relu, max_value=6.0)) == {
        "class_name": "relu", "config": {"max_value": 6.0}}
    with pytest.raises(ValueError, match="bad arguments"):
        activations.get({"class_name": "relu", "config": {"alpha": 1.0}})


def test_serialize_custom_function_raises():
    with pytest.raises(ValueError, match="cannot serialize"):
        activations.serialize(lambda x: x)


# --- parity with PyTorch --------------------------------------------------------------------
def _torch_cases(F, torch):
    return [
        ("sigmoid", activations.sigmoid, torch.sigmoid),
        ("tanh", activations.tanh, torch.tanh),
        ("relu", activations.relu, F.relu),
        ("leaky_relu", activations.leaky_relu, lambda t: F.leaky_relu(t, 0.2)),
        ("elu", activations.elu, F.elu),
        ("selu", activations.selu, F.selu),
        ("gelu", activations.gelu, F.gelu),
        ("gelu_tanh", lambda x: activations.gelu(x, approximate=True), lambda t: F.gelu(t, approximate="tanh")),
        ("silu", activations.silu, F.silu),
        ("softplus", activations.softplus, F.softplus),
        ("softsign", activations.softsign, F.softsign),
        ("mish", activations.mish, F.mish),
        ("relu6", activations.relu6, F.relu6),
        ("hard_sigmoid", activations.hard_sigmoid, F.hardsigmoid),
        ("hard_silu", activations.hard_silu, F.hardswish),
        ("exponential", activations.exponential, torch.exp),
        ("softmax", activations.softmax, lambda t: F.softmax(t, dim=-1)),
        ("log_softmax", activations.log_softmax, lambda t: F.log_softmax(t, dim=-1)),
    ]


def test_parity_with_torch():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    x = _away_from([-3.0, 0.0, 3.0, 6.0], shape=(4, 6), low=-8, high=8, seed=3)
    g = np.random.default_rng(4).normal(size=x.shape)
    for name, ours, theirs in _torch_cases(F, torch):
        xt = torch.tensor(x, requires_grad=True)
        yt = theirs(xt)
        yt.backward(torch.tensor(g))
        xg = Tensor(x, requires_grad=True)
        y = ours(xg)
        y.backward(g)
        np.testing.assert_allclose(y.numpy(), yt.detach().numpy(), rtol=1e-10, atol=1e-12, err_msg=name)
        # rtol 1e-7: PyTorch's hardsigmoid/hardswish backward multiplies by a float32 1/6
        np.testing.assert_allclose(xg.grad, xt.grad.numpy(), rtol=1e-7, atol=1e-12, err_msg=name)


def test_slopes_at_the_kinks_follow_pytorch():
    # elu'(0) = celu'(0) = α·e^0 (the x ≤ 0 piece, not half of it); hard_tanh and sparse_sigmoid are flat at ±1
    cases = [(lambda x: activations.elu(x, alpha=0.5), [0.0], [0.5]), (lambda x: activations.celu(x, alpha=0.5), [0.0], [1.0]),
             (activations.hard_tanh, [-1.0, 1.0], [0.0, 0.0]), (activations.sparse_sigmoid, [-1.0, 1.0], [0.0, 0.0])]
    for fn, points, slopes in cases:
        x = Tensor(np.array(points), requires_grad=True)
        fn(x).sum().backward()
        np.testing.assert_allclose(x.grad, slopes)

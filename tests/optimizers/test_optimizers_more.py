"""Lamb, Ftrl, Adafactor, Muon, ScheduleFreeAdamW: hand-worked steps, the rules' special parts,
config round trips, saved state, bad input. (Keras parity: tests/keras_parity/test_optimizers_more_keras.py.)"""
import json
import math

import numpy as np
import pytest

import glassnet as gn
from glassnet import optimizers
from glassnet.optimizers import Adafactor, Ftrl, Lamb, Muon, ScheduleFreeAdamW
from glassnet.optimizers.muon import newton_schulz

from .helpers import GRADS, W0, run

NEW = [Lamb, Ftrl, Adafactor, Muon, ScheduleFreeAdamW]


def variable(value, name="w"):
    return gn.Variable(np.array(value, dtype=np.float64), name=name, dtype="float64")


def step(optimizer, w, g):
    optimizer.apply_gradients([(np.array(g, dtype=np.float64), w)])
    return w.data


# --- hand-worked first steps ----------------------------------------------------------------
def test_lamb_first_step_by_hand():
    # w = (3, 4): ‖w‖ = 5;  g = (1, 1), t = 1: m_hat = g, v_hat = g² → r = g / (1 + ε) = (1, 1)/(1 + ε)
    # ratio = ‖w‖/‖r‖ = 5(1 + ε)/√2  →  w ← w − η·ratio·r = w − η·5/√2·(1, 1)
    w = variable([3.0, 4.0])
    np.testing.assert_allclose(step(Lamb(0.1), w, [1.0, 1.0]), [3 - 0.5 / math.sqrt(2), 4 - 0.5 / math.sqrt(2)],
                               rtol=1e-12)


def test_lamb_trust_ratio_is_one_for_zero_weights():
    w = variable([0.0, 0.0])                 # ‖w‖ = 0 → ratio 1: the plain Adam step η·(1, −1)
    np.testing.assert_allclose(step(Lamb(0.1, epsilon=0.0), w, [2.0, -3.0]), [-0.1, 0.1], rtol=1e-12)


def test_ftrl_first_step_by_hand_and_l1_sparsity():
    # w = 0, g = 1, η = 1, p = −½, n_0 = 0.1:  n' = 1.1, z = 1, q = √1.1
    # →  w = (clip(1, −λ1, λ1) − 1)/√1.1
    assert step(Ftrl(1.0), variable([0.0]), [1.0])[0] == pytest.approx(-1 / math.sqrt(1.1), rel=1e-12)
    assert step(Ftrl(1.0, l1_regularization_strength=2.0), variable([0.0]), [1.0])[0] == 0.0   # |z| ≤ λ1


def test_adafactor_first_step_by_hand():
    # rank 1, w = (1, 1): RMS(w) = 1, ρ_1 = min(η, 1) = η, α = η;  β2_1 = 1 − 1 = 0 → v = g² + ε1 = 4
    # u = g/√v = 1, RMS(u) = 1 ≤ d → w ← 1 − η
    np.testing.assert_allclose(step(Adafactor(0.01), variable([1.0, 1.0]), [2.0, 2.0]), [0.99, 0.99], rtol=1e-12)


def test_adafactor_factors_the_last_two_axes():
    w = variable(np.ones((2, 3, 4)))
    opt = Adafactor()
    step(opt, w, np.random.default_rng(0).normal(size=(2, 3, 4)))
    assert opt.get_slot(w, "r").shape == (2, 3) and opt.get_slot(w, "c").shape == (2, 4)
    bias = variable(np.ones(3), name="b")
    step(opt, bias, np.ones(3))
    assert opt.get_slot(bias, "r").shape == () and opt.get_slot(bias, "v").shape == (3,)


def test_schedule_free_first_two_steps_by_hand():
    eta, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    y0, g1, g2 = np.array([1.0, -2.0]), np.array([0.5, -1.0]), np.array([2.0, 1.0])
    w = variable(y0)
    opt = ScheduleFreeAdamW(eta)
    # t = 1: v̂ = g², z' = y0 − η·g/(|g| + ε); x = z' (weight 1/t = 1), so y = z'
    z1 = y0 - eta * g1 / (np.abs(g1) + eps)
    np.testing.assert_allclose(step(opt, w, g1), z1, rtol=1e-12)
    # t = 2: x_old = (y − (1 − β1)·z1)/β1 = z1;  x = ½·x_old + ½·z2;  y = (1 − β1)·z2 + β1·x
    v = b2 * (1 - b2) * g1**2 + (1 - b2) * g2**2
    z2 = z1 - eta * g2 / (np.sqrt(v / (1 - b2**2)) + eps)
    x = 0.5 * z1 + 0.5 * z2
    np.testing.assert_allclose(step(opt, w, g2), (1 - b1) * z2 + b1 * x, rtol=1e-12)


def test_schedule_free_warmup_scales_the_first_steps():
    # warmup 4: the first step uses η/4, so it moves a quarter as far
    plain, warm = variable([1.0]), variable([1.0])
    step(ScheduleFreeAdamW(0.1), plain, [1.0])
    step(ScheduleFreeAdamW(0.1, warmup_steps=4), warm, [1.0])
    assert 1 - warm.data[0] == pytest.approx((1 - plain.data[0]) / 4, rel=1e-12)


# --- Muon -----------------------------------------------------------------------------------
def test_newton_schulz_makes_the_singular_values_about_one():
    G = np.random.default_rng(0).normal(size=(8, 5)) * np.array([8.0, 4.0, 2.0, 1.0, 0.5])
    X = newton_schulz(G, 5, 3.4445, -4.7750, 2.0315)
    singular_values = np.linalg.svd(X, compute_uv=False)
    assert X.shape == G.shape
    assert np.all(singular_values > 0.3) and np.all(singular_values < 1.3)    # a spread of 16 → ~1


def test_muon_routes_variables_as_keras():
    model = gn.models.Sequential([gn.layers.Input((3,), dtype="int32"), gn.layers.Embedding(10, 4, name="embedding"),
                                  gn.layers.Flatten(), gn.layers.Dense(5, name="dense"),
                                  gn.layers.Dense(2, name="head")])   # names fixed: other tests' layers count too
    opt = Muon(exclude_layers=["head"])
    kinds = {v.path: opt.should_use_adamw(v) for v in model.trainable_weights}
    assert kinds == {"embedding/embeddings": True, "dense/kernel": False, "dense/bias": True,
                     "head/kernel": True, "head/bias": True}
    assert Muon(exclude_embeddings=False).should_use_adamw(model.trainable_weights[0]) is False


def test_muon_matrix_step_by_hand():
    # one step, μ = 0, no Nesterov, no rms_rate, no decay: w ← w − η·NS(g)
    g = np.array([[3.0, 0.0], [0.0, 1.0]])
    w = variable(np.zeros((2, 2)), name="kernel")
    opt = Muon(0.1, momentum=0.0, nesterov=False, rms_rate=None, weight_decay=None)
    np.testing.assert_allclose(step(opt, w, g), -0.1 * newton_schulz(g, 5, 3.4445, -4.7750, 2.0315), rtol=1e-12)
    assert sorted(opt._slots[0]) == ["m"]


def test_muon_decays_each_kind_with_its_own_rate():
    kernel, bias = variable(np.ones((2, 2)), name="kernel"), variable(np.ones(2), name="bias")
    opt = Muon(0.5, weight_decay=0.2, adam_weight_decay=0.0)
    opt.apply_gradients([(np.zeros((2, 2)), kernel), (np.zeros(2), bias)])
    np.testing.assert_allclose(kernel.data, 0.9)          # 1 − η·λ = 1 − 0.5·0.2; the step of g = 0 is 0
    np.testing.assert_allclose(bias.data, 1.0)


# --- shared behaviour -----------------------------------------------------------------------
@pytest.mark.parametrize("cls", NEW, ids=lambda c: c.__name__)
def test_config_json_round_trip_and_string_id(cls):
    opt = cls(learning_rate=0.01, use_ema=True)
    config = json.loads(json.dumps(optimizers.serialize(opt)))
    again = optimizers.deserialize(config)
    assert type(again) is cls and again.get_config() == opt.get_config()
    assert type(optimizers.get(cls.__name__.lower())) is cls


@pytest.mark.parametrize("cls", NEW, ids=lambda c: c.__name__)
def test_state_saves_and_loads(cls):
    w = variable(W0, name="kernel")
    opt = cls(0.05)
    for g in GRADS[:3]:
        opt.apply_gradients([(g, w)])
    w2 = variable(w.data.copy(), name="kernel")
    opt2 = cls(0.05)
    opt2.build([w2])
    opt2.load_own_variables(opt.variables())
    for g in GRADS[3:6]:
        opt.apply_gradients([(g, w)])
        opt2.apply_gradients([(g, w2)])
    np.testing.assert_array_equal(w.data, w2.data)


@pytest.mark.parametrize("cls", NEW, ids=lambda c: c.__name__)
def test_trains_a_quadratic_down(cls):
    # f(w) = ½‖w‖², ∇f = w: every optimizer shrinks ‖w‖ over 100 steps
    w = variable(W0)
    opt = cls(0.05)
    for _ in range(100):
        opt.apply_gradients([(w.data.copy(), w)])
    assert np.linalg.norm(w.data) < 0.5 * np.linalg.norm(W0)


def test_float32_trajectory_close_to_float64():
    _, t64 = run(Lamb(0.01))
    _, t32 = run(Lamb(0.01), dtype="float32")
    np.testing.assert_allclose(t32, t64, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("make, match", [
    (lambda: Lamb(beta_1=1.0), "beta_1"),
    (lambda: Ftrl(learning_rate_power=0.5), "learning_rate_power"),
    (lambda: Ftrl(initial_accumulator_value=-1.0), "initial_accumulator_value"),
    (lambda: Ftrl(l1_regularization_strength=-0.1), "l1_regularization_strength"),
    (lambda: Adafactor(clip_threshold=0.0), "clip_threshold"),
    (lambda: Adafactor(epsilon_2="small"), "epsilon_2"),
    (lambda: Muon(ns_steps=2.5), "ns_steps"),
    (lambda: Muon(momentum=-0.1), "momentum"),
    (lambda: ScheduleFreeAdamW(beta_1=0.0), "beta_1"),
    (lambda: ScheduleFreeAdamW(warmup_steps=-1), "warmup_steps"),
    (lambda: Lamb(unknown=1), "not recognized"),
])
def test_bad_arguments_refused(make, match):
    with pytest.raises(ValueError, match=match):
        make()


# --- LossScaleOptimizer ---------------------------------------------------------------------
def test_loss_scale_by_hand():
    # S = 4, N = 2, SGD η = 0.1: gradients arrive scaled by S
    w = variable([1.0])
    opt = optimizers.LossScaleOptimizer(optimizers.SGD(0.1), initial_scale=4.0, dynamic_growth_steps=2)
    assert opt.scale_loss(3.0) == 12.0
    opt.apply([np.array([8.0])], [w])              # g = 8/4 = 2: w = 1 − 0.2;  k = 1
    assert w.data[0] == pytest.approx(0.8) and (opt.dynamic_scale, opt.step_counter) == (4.0, 1)
    opt.apply([np.array([4.0])], [w])              # g = 1: w = 0.7;  k = N − 1 → S = 8, k = 0
    assert w.data[0] == pytest.approx(0.7) and (opt.dynamic_scale, opt.step_counter) == (8.0, 0)
    opt.apply([np.array([np.inf])], [w])           # overflow: skipped, S = 4
    assert w.data[0] == pytest.approx(0.7) and (opt.dynamic_scale, opt.step_counter) == (4.0, 0)
    assert opt.iterations == 2 and opt.scale_loss(1.0) == 4.0


def test_loss_scale_optimizer_in_fit_and_state():
    model = gn.models.Sequential([gn.layers.Input((2,)), gn.layers.Dense(1)])
    model.compile(optimizer=optimizers.LossScaleOptimizer(optimizers.Adam(0.01), dynamic_growth_steps=2), loss="mse")
    x = np.random.default_rng(0).normal(size=(16, 2)).astype("float32")
    model.fit(x, x.sum(axis=1, keepdims=True), epochs=2, batch_size=4, verbose=0)
    opt = model.optimizer
    assert opt.iterations == 8 and opt.dynamic_scale == 2.0**15 * 2**4       # 8 finite steps, N = 2
    state = opt.variables()
    again = optimizers.LossScaleOptimizer(optimizers.Adam(0.01))
    again.build(model.trainable_weights)
    again.load_own_variables(state)
    assert again.dynamic_scale == opt.dynamic_scale and again.iterations == 8


def test_loss_scale_optimizer_config_round_trip():
    opt = optimizers.LossScaleOptimizer(optimizers.Lamb(0.02), initial_scale=128.0, dynamic_growth_steps=5)
    config = json.loads(json.dumps(optimizers.serialize(opt)))
    again = optimizers.deserialize(config)
    assert type(again.inner_optimizer) is Lamb and again.get_config() == opt.get_config()
    assert again.learning_rate == pytest.approx(0.02)


@pytest.mark.parametrize("kwargs, match", [
    (dict(dynamic=False), "dynamic"), (dict(clipnorm=1.0), "clipnorm"), (dict(use_ema=True), "use_ema"),
    (dict(dynamic_growth_steps=0), "dynamic_growth_steps"), (dict(initial_scale=-1.0), "initial_scale"),
    (dict(foo=1), "does not support"),
])
def test_loss_scale_optimizer_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        optimizers.LossScaleOptimizer(optimizers.SGD(), **kwargs)
    with pytest.raises(ValueError, match="inner_optimizer"):
        optimizers.LossScaleOptimizer("adam")


# --- MultiOptimizer / OptimizerMap ----------------------------------------------------------
def test_optimizer_map_lookup_rules():
    sgd, adam, lion = optimizers.SGD(), optimizers.Adam(), optimizers.Lion()
    opt_map = optimizers.OptimizerMap(sgd, {"encoder/.*": adam})
    opt_map["encoder/dense/kernel"] = lion
    assert opt_map["encoder/dense/kernel"] is lion          # an exact key first
    assert opt_map["encoder/dense/bias"] is adam            # then a full regular-expression match
    assert opt_map["encoder"] is sgd and opt_map["decoder/dense/kernel"] is sgd
    opt_map["enc.*"] = adam
    with pytest.raises(ValueError, match="multiple optimizers"):
        opt_map["encoder/x"]
    with pytest.raises(ValueError, match="already exists"):
        opt_map["enc.*"] = sgd
    with pytest.raises(ValueError, match="LossScaleOptimizer"):
        opt_map["x"] = optimizers.LossScaleOptimizer(optimizers.SGD())
    with pytest.raises(TypeError, match="default_optimizer"):
        optimizers.OptimizerMap("sgd")


def test_multi_optimizer_by_hand():
    # kernel → SGD(η = 0.1), bias → SGD(η = 1): each moves by its own η·g
    kernel, bias = variable([1.0, 1.0], name="kernel"), variable([1.0], name="bias")
    slow, fast = optimizers.SGD(0.1), optimizers.SGD(1.0)
    opt = optimizers.MultiOptimizer(lambda v: fast if v.path == "bias" else slow)
    opt.apply([np.array([1.0, 2.0]), np.array([0.5])], [kernel, bias])
    np.testing.assert_allclose(kernel.data, [0.9, 0.8])
    np.testing.assert_allclose(bias.data, [0.5])
    assert opt.iterations == 1 and slow.iterations == 1 and opt.optimizers == [slow, fast]
    with pytest.raises(AttributeError, match="learning rate"):
        opt.learning_rate
    with pytest.raises(ValueError, match="OptimizerMap"):
        opt.get_config()


def test_multi_optimizer_in_fit_state_and_config():
    model = gn.models.Sequential([gn.layers.Input((2,)), gn.layers.Dense(3, name="hidden"), gn.layers.Dense(1)])
    opt = optimizers.MultiOptimizer(optimizers.OptimizerMap(optimizers.SGD(0.01), {"hidden/.*": optimizers.Adam()}),
                                    loss_scale_factor=2.0)
    model.compile(optimizer=opt, loss="mse")
    x = np.random.default_rng(0).normal(size=(8, 2)).astype("float32")
    model.fit(x, x[:, :1], epochs=1, batch_size=4, verbose=0)
    assert opt.iterations == 2 and [o.iterations for o in opt.optimizers] == [2, 2]
    assert all(o.loss_scale_factor == 2.0 for o in opt.optimizers)
    assert opt.optimizers[0].get_slot(model.layers[0].kernel, "m").shape == (2, 3)
    config = json.loads(json.dumps(optimizers.serialize(opt)))
    again = optimizers.deserialize(config)
    assert again.get_config() == opt.get_config()
    again.build(model.trainable_weights)
    again.load_own_variables(opt.variables())
    for a, b in zip(again.variables(), opt.variables()):
        np.testing.assert_array_equal(a, b)


def test_multi_optimizer_bad_input():
    with pytest.raises(ValueError, match="optimizer_map"):
        optimizers.MultiOptimizer("adam")
    nested = optimizers.MultiOptimizer(lambda v: optimizers.MultiOptimizer(lambda u: optimizers.SGD()))
    with pytest.raises(ValueError, match="MultiOptimizer"):
        nested.build([variable([1.0])])

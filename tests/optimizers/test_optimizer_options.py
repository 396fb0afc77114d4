"""The Keras options every optimizer takes: use_ema, gradient accumulation, loss_scale_factor."""
import json

import numpy as np
import pytest

import glassnet as gn
from glassnet import optimizers
from glassnet.optimizers import SGD, Adam

from .helpers import GRADS, W0, assert_trajectory, run


def variable(value, name="w"):
    return gn.Variable(np.array(value, dtype=np.float64), name=name, dtype="float64")


# --- EMA -----------------------------------------------------------------------------------
def test_ema_by_hand():
    # SGD η = 1, g = 1 each step, μ = 0.5:  w: 0 → −1 → −2 → −3
    # w̄: first step w̄ ← w = −1;  then 0.5·(−1) + 0.5·(−2) = −1.5;  0.5·(−1.5) + 0.5·(−3) = −2.25
    w = variable([0.0])
    opt = SGD(1.0, use_ema=True, ema_momentum=0.5)
    expected = [-1.0, -1.5, -2.25]
    for average in expected:
        opt.apply_gradients([(np.ones(1), w)])
        assert opt._model_variables_moving_average[0][0] == average
    assert w.data[0] == -3.0
    opt.finalize_variable_values([w])
    assert w.data[0] == -2.25


def test_ema_overwrite_frequency_sets_the_weights_to_the_average():
    # frequency 2: after the 2nd update w ← w̄ = −1.5, so the 3rd update starts from −1.5
    w = variable([0.0])
    opt = SGD(1.0, use_ema=True, ema_momentum=0.5, ema_overwrite_frequency=2)
    for _ in range(2):
        opt.apply_gradients([(np.ones(1), w)])
    assert w.data[0] == -1.5
    opt.apply_gradients([(np.ones(1), w)])
    assert w.data[0] == -2.5


def test_ema_off_keeps_no_averages_and_finalize_does_nothing():
    w = variable([1.0])
    opt = SGD(1.0)
    opt.apply_gradients([(np.ones(1), w)])
    assert opt._model_variables_moving_average == [] and len(opt.variables()) == 1
    opt.finalize_variable_values([w])
    assert w.data[0] == 0.0


def test_finalize_refuses_an_unknown_variable():
    opt = SGD(1.0, use_ema=True)
    opt.apply_gradients([(np.ones(1), variable([1.0]))])
    with pytest.raises(ValueError, match="not tracked"):
        opt.finalize_variable_values([variable([2.0], name="other")])


# --- gradient accumulation ------------------------------------------------------------------
def test_accumulation_by_hand():
    # N = 2, SGD η = 1: g = 1 then 3 → one update with (1 + 3)/2 = 2;  w: 0 → 0 → −2
    w = variable([0.0])
    opt = SGD(1.0, gradient_accumulation_steps=2)
    opt.apply_gradients([(np.array([1.0]), w)])
    assert w.data[0] == 0.0 and opt.iterations == 0 and opt._iterations == 1
    opt.apply_gradients([(np.array([3.0]), w)])
    assert w.data[0] == -2.0 and opt.iterations == 1 and opt._iterations == 2
    np.testing.assert_array_equal(opt.variables()[1], [0.0])            # A reset to 0


def test_accumulation_equals_averaged_gradients_without_it():
    # Adam with N = 4 on g_1..g_8 = Adam on the means of (g_1..g_4) and (g_5..g_8): t counts updates
    grads = GRADS[:8]
    _, accumulated = run(Adam(0.05, gradient_accumulation_steps=4), grads=grads)
    _, plain = run(Adam(0.05), grads=grads.reshape(2, 4, 3, 2).mean(axis=1))
    assert_trajectory(accumulated[[3, 7]], plain)


# --- loss scaling ---------------------------------------------------------------------------
def test_loss_scale_factor_unscales_the_gradients():
    _, scaled = run(Adam(0.05, loss_scale_factor=1024.0), grads=GRADS * 1024.0)
    _, plain = run(Adam(0.05))
    assert_trajectory(scaled, plain)
    assert Adam(loss_scale_factor=8.0).scale_loss(gn.Tensor(np.array(0.5))).data == 4.0


# --- config, state, bad input ---------------------------------------------------------------
def test_options_in_config_and_json_round_trip():
    opt = Adam(0.01, use_ema=True, ema_momentum=0.9, ema_overwrite_frequency=5, loss_scale_factor=2.0,
               gradient_accumulation_steps=3)
    config = json.loads(json.dumps(optimizers.serialize(opt)))
    again = optimizers.deserialize(config)
    assert again.get_config() == opt.get_config()
    assert (again.use_ema, again.ema_momentum, again.ema_overwrite_frequency, again.loss_scale_factor,
            again.gradient_accumulation_steps) == (True, 0.9, 5, 2.0, 3)


def test_state_with_averages_and_accumulators_saves_and_loads():
    def fresh():
        return Adam(0.05, use_ema=True, gradient_accumulation_steps=2)
    w = variable(W0)
    opt = fresh()
    for g in GRADS[:3]:
        opt.apply_gradients([(g, w)])
    state = opt.variables()
    assert len(state) == 1 + 1 + 1 + 2                   # iterations, w̄, A, m, v
    w2 = variable(w.data.copy())
    opt2 = fresh()
    opt2.build([w2])
    opt2.load_own_variables(state)
    for g in GRADS[3:6]:
        opt.apply_gradients([(g, w)])
        opt2.apply_gradients([(g, w2)])
    np.testing.assert_array_equal(w.data, w2.data)


@pytest.mark.parametrize("kwargs, match", [
    (dict(use_ema=True, ema_momentum=1.5), "ema_momentum"),
    (dict(use_ema=True, ema_overwrite_frequency=0), "ema_overwrite_frequency"),
    (dict(use_ema=True, ema_overwrite_frequency=2.5), "ema_overwrite_frequency"),
    (dict(use_ema="yes"), "use_ema"),
    (dict(gradient_accumulation_steps=1), "gradient_accumulation_steps"),
    (dict(gradient_accumulation_steps=2.0), "gradient_accumulation_steps"),
    (dict(loss_scale_factor=0.0), "loss_scale_factor"),
    (dict(loss_scale_factor="big"), "loss_scale_factor"),
])
def test_bad_options_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        SGD(**kwargs)


def test_ema_settings_unchecked_when_ema_is_off_as_in_keras():
    assert SGD(use_ema=False, ema_momentum=5.0).get_config()["ema_momentum"] == 5.0

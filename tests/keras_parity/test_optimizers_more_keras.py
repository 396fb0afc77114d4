"""The Keras optimizer options and the newer optimizers against Keras 3 itself (skipped without keras).

As ``test_optimizers_keras.py``: the same starting weights and the same random gradients
go through both optimizers; the variables, and here also the optimizer's own state (EMA,
accumulators, slots, in Keras's order), must agree after every step.
"""
import numpy as np
import pytest

import glassnet as gn
from glassnet import optimizers as G

keras = pytest.importorskip("keras")
pytest.importorskip("torch")

K = keras.optimizers
KS = keras.optimizers.schedules
GS = G.schedules

STEPS = 8
SHAPES = [(3, 4), (5,), (2, 3, 2)]
NAMES = ["kernel", "bias", "embeddings"]
TOLERANCE = {"float64": 1e-10, "float32": 2e-6}
DTYPES = ("float64", "float32")      # one test runs both (Keras's float64 promotion: the keras_float64 fixture)


def _numpy(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


def run_both(make_keras, make_glassnet, dtype, steps=STEPS, shapes=SHAPES, scale=2.0, check_state=True,
             names=None, rtol=None):
    """Step both optimizers on the same gradients; assert the weights (and state) agree at every step.

    Returns (keras optimizer, keras variables, glassnet optimizer, glassnet variables).
    """
    rtol = rtol or TOLERANCE[dtype]
    keras.config.set_floatx(dtype)
    gn.backend.set_floatx(dtype)
    rng = np.random.default_rng(3)
    w0 = [rng.normal(size=shape).astype(dtype) for shape in shapes]
    names = names or (NAMES * 2)[:len(shapes)]
    keras_vars = [keras.Variable(w, dtype=dtype, name=name) for w, name in zip(w0, names)]
    glassnet_vars = [gn.Variable(w.copy(), dtype=dtype, name=name) for w, name in zip(w0, names)]
    keras_opt, glassnet_opt = make_keras(), make_glassnet()
    for step in range(steps):
        grads = [(scale * rng.normal(size=shape)).astype(dtype) for shape in shapes]
        keras_opt.apply_gradients(zip([keras.ops.convert_to_tensor(g) for g in grads], keras_vars))
        glassnet_opt.apply_gradients(zip(grads, glassnet_vars))
        for k, (theirs, ours) in enumerate(zip(keras_vars, glassnet_vars)):
            np.testing.assert_allclose(ours.data, _numpy(theirs), rtol=rtol, atol=rtol,
                                       err_msg=f"variable {k} after step {step + 1}")
    assert glassnet_opt.iterations == int(_numpy(keras_opt.iterations))
    if check_state and not glassnet_opt.global_state():     # Nadam keeps its Π u elsewhere
        theirs = [_numpy(v) for v in keras_opt.variables]
        if not callable(getattr(keras_opt, "_learning_rate", None)):
            del theirs[1]                                   # Keras's learning_rate variable
        ours = glassnet_opt.variables()
        assert [a.shape for a in ours] == [a.shape for a in theirs]
        for k, (a, b) in enumerate(zip(ours, theirs)):
            np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol, err_msg=f"optimizer variable {k}")
    return keras_opt, keras_vars, glassnet_opt, glassnet_vars


def _pair(keras_cls, glassnet_cls, *args, **kwargs):
    return (lambda: keras_cls(*args, **kwargs)), (lambda: glassnet_cls(*args, **kwargs))


OPTION_CASES = {
    "adam_ema": _pair(K.Adam, G.Adam, 0.01, use_ema=True, ema_momentum=0.9),
    "sgd_ema_overwrite": _pair(K.SGD, G.SGD, 0.05, momentum=0.9, use_ema=True, ema_momentum=0.8,
                               ema_overwrite_frequency=3),
    "adam_accumulation": _pair(K.Adam, G.Adam, 0.01, gradient_accumulation_steps=3),
    "rmsprop_accumulation_clip_decay": _pair(K.RMSprop, G.RMSprop, 0.01, gradient_accumulation_steps=2,
                                             clipnorm=1.0, weight_decay=0.1),
    "nadam_accumulation_ema": _pair(K.Nadam, G.Nadam, 0.01, gradient_accumulation_steps=2, use_ema=True,
                                    ema_overwrite_frequency=2),
    "adam_loss_scale": _pair(K.Adam, G.Adam, 0.01, loss_scale_factor=128.0),
    "sgd_loss_scale_accumulation": _pair(K.SGD, G.SGD, 0.05, loss_scale_factor=8.0, gradient_accumulation_steps=4),
    "adam_schedule_accumulation": (
        lambda: K.Adam(KS.ExponentialDecay(0.02, 2, 0.7), gradient_accumulation_steps=2),
        lambda: G.Adam(GS.ExponentialDecay(0.02, 2, 0.7), gradient_accumulation_steps=2)),
}


@pytest.mark.parametrize("case", sorted(OPTION_CASES))
def test_options_trajectory_and_state_match_keras(case, keras_float64):
    for dtype in DTYPES:
        run_both(*OPTION_CASES[case], dtype)


def test_finalize_variable_values_matches_keras(keras_float64):
    keras_opt, keras_vars, glassnet_opt, glassnet_vars = run_both(*OPTION_CASES["adam_ema"], "float64")
    keras_opt.finalize_variable_values(keras_vars)
    glassnet_opt.finalize_variable_values(glassnet_vars)
    for theirs, ours in zip(keras_vars, glassnet_vars):
        np.testing.assert_allclose(ours.data, _numpy(theirs), rtol=1e-12)


def test_scale_loss_matches_keras():
    assert G.Adam(loss_scale_factor=4.0).scale_loss(2.5) == float(K.Adam(loss_scale_factor=4.0).scale_loss(2.5))
    assert G.Adam().scale_loss(2.5) == 2.5


def assert_configs_match(cases):
    """get_config of each (keras, glassnet) pair agrees, less the name (and a schedule's dict)."""
    for case, (make_keras, make_glassnet) in sorted(cases.items()):
        theirs, ours = make_keras().get_config(), make_glassnet().get_config()
        assert ours.pop("name") == make_glassnet()._default_name
        theirs.pop("name")
        if isinstance(theirs["learning_rate"], dict):
            theirs.pop("learning_rate"), ours.pop("learning_rate")
        assert ours.pop("exclude_layers", None) == theirs.pop("exclude_layers", None), case
        assert ours == pytest.approx(theirs), case


def test_options_config_matches_keras():
    assert_configs_match(OPTION_CASES)


# --- schedules ------------------------------------------------------------------------------
SCHEDULES = {
    "polynomial": (KS.PolynomialDecay, GS.PolynomialDecay, dict(initial_learning_rate=0.1, decay_steps=20)),
    "polynomial_power": (KS.PolynomialDecay, GS.PolynomialDecay,
                         dict(initial_learning_rate=0.1, decay_steps=15, end_learning_rate=0.01, power=0.5)),
    "polynomial_cycle": (KS.PolynomialDecay, GS.PolynomialDecay,
                         dict(initial_learning_rate=0.1, decay_steps=7, end_learning_rate=0.002, power=2.0,
                              cycle=True)),
    "restarts": (KS.CosineDecayRestarts, GS.CosineDecayRestarts, dict(initial_learning_rate=0.1,
                                                                      first_decay_steps=5)),
    "restarts_t_mul_1": (KS.CosineDecayRestarts, GS.CosineDecayRestarts,
                         dict(initial_learning_rate=0.1, first_decay_steps=6, t_mul=1.0, m_mul=0.8, alpha=0.1)),
    "restarts_options": (KS.CosineDecayRestarts, GS.CosineDecayRestarts,
                         dict(initial_learning_rate=0.05, first_decay_steps=4, t_mul=1.5, m_mul=0.5, alpha=0.02)),
}


def test_schedule_values_match_keras(keras_float64):
    for case, (keras_cls, glassnet_cls, arguments) in sorted(SCHEDULES.items()):
        theirs, ours = keras_cls(**arguments), glassnet_cls(**arguments)
        for step in list(range(0, 61)) + [100, 1000]:
            expected = float(_numpy(theirs(step)))
            assert ours(step) == pytest.approx(expected, rel=1e-12, abs=1e-15), f"{case}, step {step}"
        assert ours.get_config() == theirs.get_config(), case


# --- initializers (the STFT kernels) -------------------------------------------------------
@pytest.mark.parametrize("arguments", [dict(), dict(side="imag"), dict(window="hamming", scaling="spectrum"),
                                       dict(window=None), dict(scaling=None, periodic=True)],
                         ids=["default", "imag", "hamming_spectrum", "no_window", "periodic"])
def test_stft_initializer_matches_keras(arguments):
    for dtype in ("float32", "float64"):
        theirs = _numpy(keras.initializers.STFT(**arguments)((32, 1, 17), dtype=dtype))
        ours = gn.initializers.STFT(**arguments)((32, 1, 17), dtype=dtype)
        assert ours.dtype == theirs.dtype
        np.testing.assert_allclose(ours, theirs, rtol=1e-5 if dtype == "float32" else 1e-12,
                                   atol=1e-6 if dtype == "float32" else 1e-14)
    assert gn.initializers.STFT(**arguments).get_config() == keras.initializers.STFT(**arguments).get_config()


def test_identity_initializer_matches_keras():
    theirs = _numpy(keras.initializers.IdentityInitializer(gain=3.0)((3, 4)))
    np.testing.assert_array_equal(gn.initializers.IdentityInitializer(gain=3.0)((3, 4)), theirs)


# --- the newer optimizers -------------------------------------------------------------------
NEW_CASES = {
    "lamb": _pair(K.Lamb, G.Lamb, 0.01),
    "lamb_options": _pair(K.Lamb, G.Lamb, 0.02, beta_1=0.8, beta_2=0.99, epsilon=1e-4, weight_decay=0.1),
    "ftrl": _pair(K.Ftrl, G.Ftrl, 0.05),
    "ftrl_options": _pair(K.Ftrl, G.Ftrl, 0.05, learning_rate_power=-0.7, initial_accumulator_value=0.3,
                          l1_regularization_strength=0.2, l2_regularization_strength=0.1,
                          l2_shrinkage_regularization_strength=0.05, beta=0.5),
    "adafactor": _pair(K.Adafactor, G.Adafactor, 0.01),
    "adafactor_options": _pair(K.Adafactor, G.Adafactor, 0.3, beta_2_decay=-0.6, epsilon_2=1e-2,
                               clip_threshold=0.5),
    "adafactor_schedule": (lambda: K.Adafactor(KS.ExponentialDecay(0.5, 3, 0.5)),
                           lambda: G.Adafactor(GS.ExponentialDecay(0.5, 3, 0.5))),
}


@pytest.mark.parametrize("case", sorted(NEW_CASES))
def test_new_optimizers_trajectory_and_state_match_keras(case, keras_float64):
    for dtype in DTYPES:
        run_both(*NEW_CASES[case], dtype)


def test_new_optimizers_config_matches_keras():
    assert_configs_match(NEW_CASES)


MUON_SHAPES = [(3, 4), (5,), (6, 2), (5, 3), (2, 3, 2)]
MUON_NAMES = ["kernel", "bias", "embeddings", "dense_kernel", "conv_kernel"]
MUON_CASES = {
    "muon": _pair(K.Muon, G.Muon, 0.01),
    "muon_options": _pair(K.Muon, G.Muon, 0.02, momentum=0.9, nesterov=False, ns_steps=3, rms_rate=None,
                          adam_lr_ratio=0.5, weight_decay=0.1, adam_weight_decay=0.01, exclude_layers=["dense"],
                          exclude_embeddings=False),
    "schedule_free_adamw": _pair(K.ScheduleFreeAdamW, G.ScheduleFreeAdamW, 0.01),
    "schedule_free_adamw_warmup": _pair(K.ScheduleFreeAdamW, G.ScheduleFreeAdamW, 0.02, beta_1=0.8, beta_2=0.99,
                                        epsilon=1e-4, warmup_steps=3, weight_decay=0.05),
}


@pytest.fixture
def keras_variables_as_values(monkeypatch):
    """Keras's torch variables rebind a new tensor on assign instead of writing in place.

    ScheduleFreeAdamW keeps ``momentum_old = momentum.value`` and then updates momentum: on
    torch that is one buffer, so Keras reads the *updated* z; with values (JAX's semantics,
    and the algorithm's) it reads the old z. This makes torch behave as values.
    """
    import torch
    from keras.src.backend.torch import core

    def rebind(self, value):
        self._value = torch.nn.Parameter(torch.as_tensor(value).detach().clone(), requires_grad=self.trainable)

    monkeypatch.setattr(core.Variable, "_direct_assign", rebind)


@pytest.mark.parametrize("case", sorted(MUON_CASES))
def test_muon_and_schedule_free_match_keras(case, keras_float64, keras_variables_as_values):
    for dtype in DTYPES:
        # Keras's Moonlight factor √max(n, m) is computed in float32 even under float64
        # (ops.sqrt of an int): √5 is off by 3e-8 there, which the float64 weights show at ~1e-9
        rtol = 1e-8 if case.startswith("muon") and dtype == "float64" else None
        run_both(*MUON_CASES[case], dtype, shapes=MUON_SHAPES, names=MUON_NAMES, rtol=rtol)


def test_muon_and_schedule_free_config_matches_keras():
    assert_configs_match(MUON_CASES)


# --- LossScaleOptimizer ---------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_loss_scale_optimizer_matches_keras(dtype, keras_float64):
    keras.config.set_floatx(dtype)
    gn.backend.set_floatx(dtype)
    rng = np.random.default_rng(5)
    w0 = rng.normal(size=(3, 2)).astype(dtype)
    theirs_w, ours_w = keras.Variable(w0, dtype=dtype), gn.Variable(w0.copy(), dtype=dtype)
    theirs = K.LossScaleOptimizer(K.Adam(0.01), initial_scale=64.0, dynamic_growth_steps=3)
    ours = G.LossScaleOptimizer(G.Adam(0.01), initial_scale=64.0, dynamic_growth_steps=3)
    for k in range(10):
        g = (rng.normal(size=(3, 2)) * 64.0).astype(dtype)
        if k in (4, 5):
            g[0, 1] = np.inf if k == 4 else np.nan
        theirs.apply([keras.ops.convert_to_tensor(g)], [theirs_w])
        ours.apply([g], [ours_w])
        np.testing.assert_allclose(ours_w.data, _numpy(theirs_w), rtol=TOLERANCE[dtype], atol=TOLERANCE[dtype])
        assert ours.dynamic_scale == float(_numpy(theirs.dynamic_scale)), f"step {k}"
        assert ours.step_counter == int(_numpy(theirs.step_counter))
        assert ours.iterations == int(_numpy(theirs.iterations))
    assert float(_numpy(theirs.scale_loss(2.0))) == ours.scale_loss(2.0)


def test_loss_scale_optimizer_config_matches_keras():
    theirs = K.LossScaleOptimizer(K.SGD(0.1), initial_scale=8.0, dynamic_growth_steps=10).get_config()
    ours = G.LossScaleOptimizer(G.SGD(0.1), initial_scale=8.0, dynamic_growth_steps=10).get_config()
    assert set(ours) == set(theirs)
    assert (ours["initial_scale"], ours["dynamic_growth_steps"]) == (theirs["initial_scale"],
                                                                      theirs["dynamic_growth_steps"])
    inner_theirs, inner_ours = theirs["inner_optimizer"]["config"], ours["inner_optimizer"]["config"]
    inner_theirs.pop("name"), inner_ours.pop("name")
    assert inner_ours == pytest.approx(inner_theirs)
    assert theirs["inner_optimizer"]["class_name"] == ours["inner_optimizer"]["class_name"]
    # a Keras config (with its "module" and "registered_name" keys) loads
    again = G.LossScaleOptimizer.from_config(theirs)
    assert type(again.inner_optimizer) is G.SGD and again.dynamic_growth_steps == 10


# --- MultiOptimizer / OptimizerMap ----------------------------------------------------------
def _multi(module):
    optimizer_map = module.OptimizerMap(module.SGD(0.05, momentum=0.9), {"kern.*": module.Adam(0.01)})
    optimizer_map["embeddings"] = module.Lion(0.01)
    return module.MultiOptimizer(optimizer_map)


def test_multi_optimizer_matches_keras(keras_float64):
    for dtype in DTYPES:
        keras_opt, _, glassnet_opt, _ = run_both(lambda: _multi(K), lambda: _multi(G), dtype, check_state=False)
        for theirs, ours in zip(keras_opt.optimizers, glassnet_opt.optimizers):
            assert type(theirs).__name__ == type(ours).__name__
            assert int(_numpy(theirs.iterations)) == ours.iterations == STEPS
        assert int(_numpy(keras_opt.iterations)) == glassnet_opt.iterations == STEPS


def test_multi_optimizer_keras_config_loads():
    config = _multi(K).get_config()
    ours = G.MultiOptimizer.from_config(config)
    assert [type(o).__name__ for o in ours.optimizers] == [type(o).__name__ for o in _multi(K).optimizers]
    assert set(ours.get_config()) == set(config)


# --- the options inside fit -----------------------------------------------------------------
FIT_CASES = {
    "ema": (lambda m: m.optimizers.Adam(0.05, use_ema=True, ema_momentum=0.9)),
    "loss_scale_factor": (lambda m: m.optimizers.Adam(0.05, loss_scale_factor=64.0)),
    "gradient_accumulation": (lambda m: m.optimizers.Adam(0.05, gradient_accumulation_steps=2)),
    "loss_scale_optimizer": (lambda m: m.optimizers.LossScaleOptimizer(m.optimizers.SGD(0.05),
                                                                       dynamic_growth_steps=3)),
}


@pytest.mark.parametrize("case", sorted(FIT_CASES))
def test_fit_with_the_options_matches_keras(case, keras_float64):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 3))
    y = x @ np.array([[1.0], [2.0], [-1.0]])
    w0 = [rng.normal(size=(3, 1)), np.zeros(1)]
    weights = []
    for module in (gn, keras):
        model = module.Sequential([module.Input((3,)), module.layers.Dense(1)])
        model.set_weights(w0)
        model.compile(optimizer=FIT_CASES[case](module), loss="mse")
        model.fit(x, y, epochs=2, batch_size=4, shuffle=False, verbose=0)
        weights.append(model.get_weights())
    for ours, theirs in zip(*weights):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


# --- SwapEMAWeights -------------------------------------------------------------------------
def test_swap_ema_weights_validation_matches_keras(keras_float64):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(16, 3))
    y = x @ np.array([[1.0], [2.0], [-1.0]])
    w0 = [rng.normal(size=(3, 1)), np.zeros(1)]
    histories = []
    for module in (gn, keras):
        model = module.Sequential([module.Input((3,)), module.layers.Dense(1)])
        model.set_weights(w0)
        model.compile(optimizer=module.optimizers.SGD(0.05, use_ema=True, ema_momentum=0.8), loss="mse")
        history = model.fit(x, y, epochs=3, batch_size=4, shuffle=False, verbose=0, validation_data=(x, y),
                            callbacks=[module.callbacks.SwapEMAWeights()])
        histories.append(history.history)
    ours, theirs = histories
    np.testing.assert_allclose(ours["loss"], theirs["loss"], rtol=1e-10)
    np.testing.assert_allclose(ours["val_loss"], theirs["val_loss"], rtol=1e-10)    # evaluated at w̄

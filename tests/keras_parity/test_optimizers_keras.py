"""Optimizers and learning-rate schedules against Keras 3 itself (skipped without keras).

The same starting weights (three variables of different shapes) and the same sequence of
random gradients go through ``keras_opt.apply_gradients`` and
``glassnet_opt.apply_gradients``; the variables must agree after every step.
"""
import math
import re

import numpy as np
import pytest

import glassnet as gn
from glassnet import optimizers as gopt

keras = pytest.importorskip("keras")
pytest.importorskip("torch")

STEPS = 25
SHAPES = [(3, 4), (5,), (2, 3, 2)]
TOLERANCE = {"float64": 1e-10, "float32": 1e-6}

K = keras.optimizers
KS = keras.optimizers.schedules
G = gopt
GS = gopt.schedules

# name -> (keras factory, glassnet factory); both take the same arguments.
CASES = {
    "sgd": (lambda: K.SGD(0.05), lambda: G.SGD(0.05)),
    "sgd_momentum": (lambda: K.SGD(0.05, momentum=0.9), lambda: G.SGD(0.05, momentum=0.9)),
    "sgd_nesterov": (lambda: K.SGD(0.05, momentum=0.9, nesterov=True),
                     lambda: G.SGD(0.05, momentum=0.9, nesterov=True)),
    "adagrad": (lambda: K.Adagrad(0.05), lambda: G.Adagrad(0.05)),
    "adagrad_options": (lambda: K.Adagrad(0.05, initial_accumulator_value=0.5, epsilon=1e-3),
                        lambda: G.Adagrad(0.05, initial_accumulator_value=0.5, epsilon=1e-3)),
    "adadelta": (lambda: K.Adadelta(1.0), lambda: G.Adadelta(1.0)),
    "adadelta_options": (lambda: K.Adadelta(0.5, rho=0.8, epsilon=1e-4),
                         lambda: G.Adadelta(0.5, rho=0.8, epsilon=1e-4)),
    "rmsprop": (lambda: K.RMSprop(0.01), lambda: G.RMSprop(0.01)),
    "rmsprop_momentum": (lambda: K.RMSprop(0.01, momentum=0.9), lambda: G.RMSprop(0.01, momentum=0.9)),
    "rmsprop_centered": (lambda: K.RMSprop(0.01, centered=True), lambda: G.RMSprop(0.01, centered=True)),
    "rmsprop_momentum_centered": (lambda: K.RMSprop(0.01, rho=0.8, momentum=0.5, centered=True),
                                  lambda: G.RMSprop(0.01, rho=0.8, momentum=0.5, centered=True)),
    "adam": (lambda: K.Adam(0.01), lambda: G.Adam(0.01)),
    "adam_options": (lambda: K.Adam(0.02, beta_1=0.8, beta_2=0.99, epsilon=1e-4),
                     lambda: G.Adam(0.02, beta_1=0.8, beta_2=0.99, epsilon=1e-4)),
    "adam_amsgrad": (lambda: K.Adam(0.01, amsgrad=True), lambda: G.Adam(0.01, amsgrad=True)),
    "adamw": (lambda: K.AdamW(0.01), lambda: G.AdamW(0.01)),
    "adamw_strong_decay_amsgrad": (lambda: K.AdamW(0.01, weight_decay=0.1, amsgrad=True),
                                   lambda: G.AdamW(0.01, weight_decay=0.1, amsgrad=True)),
    "adamax": (lambda: K.Adamax(0.01), lambda: G.Adamax(0.01)),
    "nadam": (lambda: K.Nadam(0.01), lambda: G.Nadam(0.01)),
    "nadam_options": (lambda: K.Nadam(0.02, beta_1=0.8, beta_2=0.99, epsilon=1e-4),
                      lambda: G.Nadam(0.02, beta_1=0.8, beta_2=0.99, epsilon=1e-4)),
    "lion": (lambda: K.Lion(0.01), lambda: G.Lion(0.01)),
    "lion_options": (lambda: K.Lion(0.01, beta_1=0.5, beta_2=0.9), lambda: G.Lion(0.01, beta_1=0.5, beta_2=0.9)),
    # the options every optimizer shares
    "adam_clipvalue": (lambda: K.Adam(0.01, clipvalue=0.5), lambda: G.Adam(0.01, clipvalue=0.5)),
    "adam_clipnorm": (lambda: K.Adam(0.01, clipnorm=1.0), lambda: G.Adam(0.01, clipnorm=1.0)),
    "sgd_clipnorm": (lambda: K.SGD(0.05, momentum=0.9, clipnorm=2.0),
                     lambda: G.SGD(0.05, momentum=0.9, clipnorm=2.0)),
    "sgd_global_clipnorm": (lambda: K.SGD(0.05, global_clipnorm=1.0), lambda: G.SGD(0.05, global_clipnorm=1.0)),
    "rmsprop_global_clipnorm": (lambda: K.RMSprop(0.01, global_clipnorm=3.0),
                                lambda: G.RMSprop(0.01, global_clipnorm=3.0)),
    "sgd_weight_decay": (lambda: K.SGD(0.05, momentum=0.5, weight_decay=0.1),
                         lambda: G.SGD(0.05, momentum=0.5, weight_decay=0.1)),
    "adam_weight_decay": (lambda: K.Adam(0.01, weight_decay=0.05), lambda: G.Adam(0.01, weight_decay=0.05)),
    "lion_weight_decay": (lambda: K.Lion(0.01, weight_decay=0.5), lambda: G.Lion(0.01, weight_decay=0.5)),
    "adam_exponential_decay": (lambda: K.Adam(KS.ExponentialDecay(0.01, 5, 0.5)),
                               lambda: G.Adam(GS.ExponentialDecay(0.01, 5, 0.5))),
    "sgd_piecewise_weight_decay": (
        lambda: K.SGD(KS.PiecewiseConstantDecay([5, 12], [0.1, 0.05, 0.01]), momentum=0.9, weight_decay=0.1),
        lambda: G.SGD(GS.PiecewiseConstantDecay([5, 12], [0.1, 0.05, 0.01]), momentum=0.9, weight_decay=0.1)),
    "rmsprop_cosine_warmup": (
        lambda: K.RMSprop(KS.CosineDecay(0.0, 15, alpha=0.1, warmup_target=0.02, warmup_steps=5)),
        lambda: G.RMSprop(GS.CosineDecay(0.0, 15, alpha=0.1, warmup_target=0.02, warmup_steps=5))),
    "nadam_inverse_time": (lambda: K.Nadam(KS.InverseTimeDecay(0.01, 3, 0.5, staircase=True)),
                           lambda: G.Nadam(GS.InverseTimeDecay(0.01, 3, 0.5, staircase=True))),
}

NAMES = ["kernel", "bias", "embeddings"]


def trajectories_agree(make_keras, make_glassnet, dtype, rtol, exclude=None):
    """Run both optimizers on the same weights and gradients; assert agreement after every step."""
    keras.config.set_floatx(dtype)          # Keras keeps a float learning rate in a floatx variable
    gn.backend.set_floatx(dtype)
    rng = np.random.default_rng(7)
    w0 = [rng.normal(size=shape).astype(dtype) for shape in SHAPES]
    keras_vars = [keras.Variable(w, dtype=dtype, name=name) for w, name in zip(w0, NAMES)]
    glassnet_vars = [gn.Variable(w.copy(), dtype=dtype, name=name) for w, name in zip(w0, NAMES)]
    keras_opt, glassnet_opt = make_keras(), make_glassnet()
    if exclude is not None:
        keras_opt.exclude_from_weight_decay(var_names=exclude)
        glassnet_opt.exclude_from_weight_decay(var_names=exclude)
    for step in range(STEPS):
        grads = [(2.0 * rng.normal(size=shape)).astype(dtype) for shape in SHAPES]
        keras_opt.apply_gradients(zip([keras.ops.convert_to_tensor(g) for g in grads], keras_vars))
        glassnet_opt.apply_gradients(zip(grads, glassnet_vars))
        for k, (theirs, ours) in enumerate(zip(keras_vars, glassnet_vars)):
            np.testing.assert_allclose(ours.data, keras.ops.convert_to_numpy(theirs), rtol=rtol, atol=rtol,
                                       err_msg=f"variable {k} after step {step + 1}")
    assert glassnet_opt.iterations == int(keras.ops.convert_to_numpy(keras_opt.iterations)) == STEPS


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_trajectory_matches_keras(case, dtype, request):
    if dtype == "float64":
        request.getfixturevalue("keras_float64")    # see conftest.py
    make_keras, make_glassnet = CASES[case]
    trajectories_agree(make_keras, make_glassnet, dtype, TOLERANCE[dtype])


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_exclude_from_weight_decay_matches_keras(dtype, request):
    if dtype == "float64":
        request.getfixturevalue("keras_float64")
    trajectories_agree(lambda: K.AdamW(0.01, weight_decay=0.2), lambda: G.AdamW(0.01, weight_decay=0.2),
                       dtype, TOLERANCE[dtype], exclude=["bias", "embed"])


# --- schedules ------------------------------------------------------------------------------
SCHEDULES = {
    "exponential": (KS.ExponentialDecay, GS.ExponentialDecay, dict(initial_learning_rate=0.1, decay_steps=7,
                                                                   decay_rate=0.6)),
    "exponential_staircase": (KS.ExponentialDecay, GS.ExponentialDecay,
                              dict(initial_learning_rate=0.1, decay_steps=7, decay_rate=0.6, staircase=True)),
    "piecewise": (KS.PiecewiseConstantDecay, GS.PiecewiseConstantDecay,
                  dict(boundaries=[10, 25, 40], values=[1.0, 0.5, 0.1, 0.01])),
    "cosine": (KS.CosineDecay, GS.CosineDecay, dict(initial_learning_rate=0.1, decay_steps=40)),
    "cosine_alpha": (KS.CosineDecay, GS.CosineDecay, dict(initial_learning_rate=0.1, decay_steps=30, alpha=0.2)),
    "cosine_warmup": (KS.CosineDecay, GS.CosineDecay,
                      dict(initial_learning_rate=0.001, decay_steps=30, alpha=0.05, warmup_target=0.1,
                           warmup_steps=12)),
    "inverse_time": (KS.InverseTimeDecay, GS.InverseTimeDecay,
                     dict(initial_learning_rate=0.1, decay_steps=4, decay_rate=0.5)),
    "inverse_time_staircase": (KS.InverseTimeDecay, GS.InverseTimeDecay,
                               dict(initial_learning_rate=0.1, decay_steps=4, decay_rate=0.5, staircase=True)),
}


@pytest.mark.parametrize("case", sorted(SCHEDULES))
def test_schedule_values_match_keras(case, keras_float64):
    keras_cls, glassnet_cls, arguments = SCHEDULES[case]
    theirs, ours = keras_cls(**arguments), glassnet_cls(**arguments)
    for step in list(range(0, 61)) + [100, 1000]:
        expected = float(keras.ops.convert_to_numpy(theirs(step)))
        assert ours(step) == pytest.approx(expected, rel=1e-12, abs=1e-15), f"step {step}"
    config = theirs.get_config()
    assert ours.get_config() == config


# --- defaults -------------------------------------------------------------------------------
PAIRS = [("SGD", G.SGD), ("Adagrad", G.Adagrad), ("Adadelta", G.Adadelta), ("RMSprop", G.RMSprop),
         ("Adam", G.Adam), ("AdamW", G.AdamW), ("Adamax", G.Adamax), ("Nadam", G.Nadam), ("Lion", G.Lion)]


@pytest.mark.parametrize("keras_name, glassnet_cls", PAIRS, ids=[p[0] for p in PAIRS])
def test_default_hyperparameters_match_keras(keras_name, glassnet_cls):
    theirs = getattr(K, keras_name)().get_config()
    ours = glassnet_cls().get_config()
    assert set(ours) <= set(theirs), f"keys Keras does not have: {set(ours) - set(theirs)}"
    # Documented choice (Optimizer's `name` argument): the default name is the lower-case
    # class name; Keras snake-cases it ("rm_sprop", "adam_w") and numbers repeats ("sgd_3").
    assert ours.pop("name") == keras_name.lower()
    keras_name_base = re.sub(r"_\d+$", "", theirs["name"])
    assert keras_name_base == {"RMSprop": "rm_sprop", "AdamW": "adam_w"}.get(keras_name, keras_name.lower())
    for key, value in ours.items():
        expected = theirs[key]
        if isinstance(expected, float) and isinstance(value, float):
            # Keras reads its learning rate back from a float32 variable
            assert value == pytest.approx(expected, rel=1e-7), key
        else:
            assert value == expected, key
    assert math.isclose(gopt.get(keras_name.lower()).learning_rate, theirs["learning_rate"], rel_tol=1e-7)

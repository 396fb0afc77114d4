"""The Optimizer base: clipping, weight decay, constraints, None grads, state, bad input."""
import warnings

import numpy as np
import pytest

import glassnet as gn
from glassnet import optimizers
from glassnet.optimizers import SGD, Adam, Nadam, RMSprop

from .helpers import GRADS, W0, run

ALL = sorted(optimizers.ALL_OPTIMIZERS)


def variable(value, name="w"):
    return gn.Variable(np.array(value, dtype=np.float64), name=name, dtype="float64")


# --- clipping ----------------------------------------------------------------------------
def test_clipnorm_rescales_each_gradient_on_its_own():
    # g = (3, 4), ‖g‖ = 5 > c = 1  ⇒  g ← (0.6, 0.8);  η = 1 so w moves by −g
    w1, w2 = variable([0.0, 0.0]), variable([0.0])
    SGD(learning_rate=1.0, clipnorm=1.0).apply_gradients([(np.array([3.0, 4.0]), w1), (np.array([0.5]), w2)])
    np.testing.assert_allclose(w1.data, [-0.6, -0.8], rtol=1e-15)
    np.testing.assert_allclose(w2.data, [-0.5], rtol=1e-15)   # ‖g‖ = 0.5 ≤ 1: unchanged


def test_global_clipnorm_rescales_all_gradients_together():
    # global norm √(3² + 4² + 12²) = 13, c = 2.6  ⇒  scale 0.2
    w1, w2 = variable([0.0, 0.0]), variable([0.0])
    SGD(learning_rate=1.0, global_clipnorm=2.6).apply_gradients([(np.array([3.0, 4.0]), w1),
                                                                 (np.array([12.0]), w2)])
    np.testing.assert_allclose(w1.data, [-0.6, -0.8], rtol=1e-14)
    np.testing.assert_allclose(w2.data, [-2.4], rtol=1e-14)


def test_global_clipnorm_with_non_finite_norm_gives_nan():
    w = variable([0.0, 0.0])
    SGD(learning_rate=1.0, global_clipnorm=1.0).apply_gradients([(np.array([np.inf, 1.0]), w)])
    assert np.isnan(w.data).all()


def test_clipvalue_clips_elementwise():
    w = variable([0.0, 0.0, 0.0])
    SGD(learning_rate=1.0, clipvalue=0.5).apply_gradients([(np.array([2.0, -3.0, 0.25]), w)])
    np.testing.assert_allclose(w.data, [-0.5, 0.5, -0.25])


@pytest.mark.parametrize("clip", [{"clipnorm": 0.1}, {"global_clipnorm": 0.1}, {"clipvalue": 0.1}])
def test_clipping_never_writes_into_the_gradient(clip):
    g = np.array([3.0, -4.0])
    before = g.copy()
    Adam(learning_rate=0.1, **clip).apply_gradients([(g, variable([1.0, 1.0]))])
    np.testing.assert_array_equal(g, before)


@pytest.mark.parametrize("name", ALL)
def test_updates_never_write_into_the_gradient(name):
    grads = GRADS.copy()
    run(optimizers.get(name), grads=grads)
    np.testing.assert_array_equal(grads, GRADS)


@pytest.mark.parametrize("clips", [{"clipnorm": 1.0, "clipvalue": 1.0}, {"clipnorm": 1.0, "global_clipnorm": 1.0},
                                   {"clipvalue": 1.0, "global_clipnorm": 1.0}])
def test_only_one_clipping_argument(clips):
    with pytest.raises(ValueError, match="only one of"):
        SGD(**clips)


@pytest.mark.parametrize("argument", ["clipnorm", "clipvalue", "global_clipnorm", "weight_decay"])
def test_negative_clipping_or_decay_rejected(argument):
    with pytest.raises(ValueError, match=argument):
        SGD(**{argument: -1.0})


# --- weight decay and constraints ----------------------------------------------------------
def test_weight_decay_is_applied_before_the_update_and_can_exclude_by_name():
    kernel, bias = variable([1.0, 2.0], name="dense/kernel"), variable([1.0], name="dense/bias")
    opt = SGD(learning_rate=0.1, weight_decay=0.5)
    opt.exclude_from_weight_decay(var_names=["bias"])
    opt.apply_gradients([(np.array([1.0, 1.0]), kernel), (np.array([1.0]), bias)])
    # kernel: w ← w·(1 − 0.1·0.5) − 0.1·g;  bias: only w ← w − 0.1·g
    np.testing.assert_allclose(kernel.data, [0.95 - 0.1, 1.9 - 0.1], rtol=1e-15)
    np.testing.assert_allclose(bias.data, [0.9], rtol=1e-15)


def test_exclude_from_weight_decay_by_variable():
    a, b = variable([1.0]), variable([1.0])
    opt = SGD(learning_rate=0.1, weight_decay=1.0)
    opt.exclude_from_weight_decay(var_list=[b])
    opt.apply_gradients([(np.zeros(1), a), (np.zeros(1), b)])
    assert (a.data[0], b.data[0]) == (pytest.approx(0.9), 1.0)


def test_exclude_from_weight_decay_after_build_raises():
    opt = SGD(weight_decay=0.1)
    opt.build([variable([1.0])])
    with pytest.raises(ValueError, match="before the optimizer is built"):
        opt.exclude_from_weight_decay(var_names=["bias"])


def test_constraint_applied_after_update():
    w = variable([0.5, -0.5])
    w.constraint = lambda array: np.clip(array, 0.0, None)     # non-negativity
    SGD(learning_rate=1.0).apply_gradients([(np.array([0.25, 0.25]), w)])
    np.testing.assert_allclose(w.data, [0.25, 0.0])


# --- None gradients, step, zero_grad --------------------------------------------------------
def test_none_gradients_are_skipped():
    a, b = variable([1.0]), variable([1.0])
    opt = Adam(learning_rate=0.1)
    opt.apply_gradients([(np.array([1.0]), a), (None, b)])
    assert b.data[0] == 1.0 and a.data[0] != 1.0
    assert opt.iterations == 1
    assert len(opt.variables()) == 1 + 2 * 2      # slots were built for both


def test_all_gradients_none_raises():
    with pytest.raises(ValueError, match="no gradients"):
        SGD().apply_gradients([(None, variable([1.0]))])


def test_step_reads_grad_and_zero_grad_clears_it():
    w = gn.Variable(np.array([1.0, 2.0]), dtype="float64")
    loss = (w * w).sum()                   # dL/dw = 2w = (2, 4)
    loss.backward()
    opt = SGD(learning_rate=0.1)
    opt.step([w])
    np.testing.assert_allclose(w.data, [0.8, 1.6])
    assert w.grad is not None
    opt.zero_grad([w])
    assert w.grad is None
    opt.zero_grad()                        # default: the tracked variables
    with pytest.raises(ValueError, match="no gradients"):
        opt.step()


def test_step_on_tensor_and_apply_without_variables():
    w = gn.Tensor(np.array([1.0]), requires_grad=True)
    opt = SGD(learning_rate=0.5)
    w.grad = np.array([1.0])
    opt.step([w])
    opt.apply([np.array([1.0])])            # built: variables may be omitted
    assert w.data[0] == pytest.approx(0.0)


def test_apply_without_variables_before_build_raises():
    with pytest.raises(ValueError, match="build"):
        SGD().apply([np.array([1.0])])


def test_tensor_gradients_and_dtype_cast():
    w = gn.Variable(np.array([1.0, 1.0], dtype=np.float32))
    SGD(learning_rate=0.5).apply_gradients([(gn.Tensor(np.array([1.0, 2.0])), w)])
    assert w.dtype == np.float32
    np.testing.assert_allclose(w.data, [0.5, 0.0])


def test_new_variables_are_added_after_build():
    a, b = variable([1.0]), variable([2.0, 3.0])
    opt = Adam()
    opt.apply_gradients([(np.ones(1), a)])
    opt.apply_gradients([(np.ones(1), a), (np.ones(2), b)])
    assert [s.shape for s in opt.variables()[1:]] == [(1,), (1,), (2,), (2,)]


# --- bad input ---------------------------------------------------------------------------------
def test_shape_mismatch_names_the_variable():
    opt = Adam()
    with pytest.raises(ValueError, match="'dense/kernel'.*shape"):
        opt.apply_gradients([(np.ones((2, 3)), variable(np.ones((3, 2)), name="dense/kernel"))])
    assert not opt.built and opt.iterations == 0        # nothing changed


def test_length_mismatch():
    with pytest.raises(ValueError, match="2 gradients for 1 variables"):
        SGD().apply([np.ones(1), np.ones(1)], [variable([1.0])])


def test_non_tensor_variable_rejected():
    with pytest.raises(TypeError, match="Variables"):
        SGD().apply_gradients([(np.ones(2), np.ones(2))])


@pytest.mark.parametrize("lr", [-0.1, "fast", float("nan"), True])
def test_bad_learning_rate(lr):
    with pytest.raises(ValueError, match="learning_rate"):
        Adam(learning_rate=lr)


def test_unknown_keyword_rejected_and_keras_options_accepted():
    with pytest.raises(ValueError, match="not recognized"):
        SGD(momentum_typo=0.9)
    SGD(use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
        gradient_accumulation_steps=None)


# --- learning rate -------------------------------------------------------------------------------
def test_learning_rate_settable_at_runtime():
    w = variable([1.0])
    opt = SGD(learning_rate=0.1)
    opt.apply_gradients([(np.ones(1), w)])
    opt.learning_rate = 0.5                   # as ReduceLROnPlateau does
    assert opt.learning_rate == 0.5
    opt.apply_gradients([(np.ones(1), w)])
    assert w.data[0] == pytest.approx(1 - 0.1 - 0.5)
    with pytest.raises(ValueError, match="learning_rate"):
        opt.learning_rate = -1.0


def test_schedule_is_evaluated_at_iterations():
    schedule = optimizers.schedules.PiecewiseConstantDecay([1], [0.5, 0.1])   # t ≤ 1: 0.5, then 0.1
    w = variable([0.0])
    opt = SGD(learning_rate=schedule)
    for _ in range(3):
        opt.apply_gradients([(np.ones(1), w)])
    assert w.data[0] == pytest.approx(-(0.5 + 0.5 + 0.1))
    assert opt.learning_rate == 0.1
    with pytest.raises(TypeError, match="LearningRateSchedule"):
        opt.learning_rate = 0.01


def test_callable_learning_rate():
    w = variable([0.0])
    SGD(learning_rate=lambda: 0.25).apply_gradients([(np.ones(1), w)])
    assert w.data[0] == -0.25


# --- state: variables() / load_own_variables ---------------------------------------------------
@pytest.mark.parametrize("name", ALL)
def test_state_round_trip_gives_identical_continued_updates(name):
    kwargs = {"rmsprop": {"momentum": 0.9, "centered": True}, "adam": {"amsgrad": True},
              "sgd": {"momentum": 0.9}}.get(name, {})
    opt = optimizers.get({"class_name": name, "config": kwargs})
    w, _ = run(opt, grads=GRADS[:10])
    state, saved_w = opt.variables(), w.data.copy()

    fresh = optimizers.deserialize(optimizers.serialize(opt))
    w2 = variable(saved_w)
    fresh.build([w2])
    store = {}
    opt.save_own_variables(store)
    fresh.load_own_variables(store if name == "adam" else state)
    assert fresh.iterations == opt.iterations == 10
    for g in GRADS[10:]:
        opt.apply_gradients([(g, w)])
        fresh.apply_gradients([(g, w2)])
    np.testing.assert_array_equal(w.data, w2.data)
    for a, b in zip(opt.variables(), fresh.variables()):
        np.testing.assert_array_equal(a, b)


def test_variables_order_iterations_then_slots_per_variable():
    a, b = variable(np.ones(2)), variable(np.ones(3))
    opt = Adam(learning_rate=0.1)
    opt.apply_gradients([(np.ones(2), a), (np.ones(3), b)])
    state = opt.variables()
    assert state[0] == 1 and state[0].dtype == np.int64
    np.testing.assert_array_equal(state[1], opt.get_slot(a, "m"))
    np.testing.assert_array_equal(state[2], opt.get_slot(a, "v"))
    np.testing.assert_array_equal(state[3], opt.get_slot(b, "m"))
    state[1][...] = 99.0                                  # copies: the optimizer is unaffected
    assert opt.get_slot(a, "m")[0] != 99.0


def test_load_own_variables_bad_input_changes_nothing():
    opt = Adam()
    with pytest.raises(ValueError, match="not built"):
        opt.load_own_variables([np.array(0)])
    w = variable(np.ones(2))
    opt.apply_gradients([(np.ones(2), w)])
    before = opt.variables()
    with pytest.raises(ValueError, match="got 2 arrays, expected 3"):
        opt.load_own_variables(before[:2])
    with pytest.raises(ValueError, match="array 2 has shape"):
        opt.load_own_variables([before[0], before[1], np.ones(5)])
    for a, b in zip(before, opt.variables()):
        np.testing.assert_array_equal(a, b)


def test_get_slot_errors():
    opt = Adam()
    w = variable([1.0])
    with pytest.raises(ValueError, match="not tracked"):
        opt.get_slot(w, "m")
    opt.build([w])
    with pytest.raises(ValueError, match="unknown slot 'x'"):
        opt.get_slot(w, "x")


def test_no_warnings_in_a_normal_step():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run(Nadam())
        run(RMSprop(centered=True, momentum=0.5))


def test_w0_is_unchanged_by_runs():
    np.testing.assert_array_equal(W0, np.array([[0.5, -1.5], [2.0, 0.25], [-0.75, 1.0]]))


# --- blocked updates of big variables ---------------------------------------------------------
ELEMENTWISE = [name for name in ALL if optimizers.ALL_OPTIMIZERS[name].elementwise]
WHOLE = [name for name in ALL if not optimizers.ALL_OPTIMIZERS[name].elementwise]   # Lamb, Adafactor, Muon


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_blocked_update_equals_whole_array_update(name, monkeypatch):
    from glassnet import kernels as switch
    from glassnet.optimizers.base import BLOCK
    monkeypatch.setattr(switch, "_wanted", False)         # the NumPy path, in blocks (kernels: test_kernels.py)
    cls = optimizers.ALL_OPTIMIZERS[name]
    unblocked_cls = type("Unblocked" + cls.__name__, (cls,), {"elementwise": False})
    rng = np.random.default_rng(5)
    shape = (BLOCK // 100 + 7, 100)                       # more than one block
    w0, grads = rng.normal(size=shape), rng.normal(size=(3,) + shape)
    a, b = variable(w0), variable(w0)
    blocked, whole = cls(learning_rate=0.01), unblocked_cls(learning_rate=0.01)
    for g in grads:
        blocked.apply_gradients([(g.T.copy().T, a)])      # a Fortran-ordered (non C-contiguous) gradient
        whole.apply_gradients([(g, b)])
    assert len(blocked._blocks[0][2]) > 1 and len(whole._blocks[0][2]) == 1
    np.testing.assert_allclose(a.data, b.data, rtol=1e-15, atol=1e-15)
    for x, y in zip(blocked.variables(), whole.variables()):
        np.testing.assert_allclose(x, y, rtol=1e-15, atol=1e-15)


@pytest.mark.parametrize("name", WHOLE)
def test_a_rule_that_needs_the_whole_variable_is_never_cut_into_blocks(name):
    # Lamb's trust ratio, Adafactor's row/column factors and Muon's Newton–Schulz read all of w and g
    from glassnet.optimizers.base import BLOCK
    assert WHOLE and set(WHOLE) >= {"lamb", "adafactor", "muon"}
    w = variable(np.random.default_rng(5).normal(size=(BLOCK // 100 + 7, 100)))
    opt = optimizers.ALL_OPTIMIZERS[name](learning_rate=0.01)
    opt.apply_gradients([(np.ones(w.shape), w)])
    assert len(opt._blocks[0][2]) == 1 and np.isfinite(w.data).all()


def test_replaced_variable_data_is_followed():
    w = variable(np.ones(4))
    opt = Adam(learning_rate=0.1)
    opt.apply_gradients([(np.ones(4), w)])
    w.data = np.zeros(4)                                  # a new array of the same shape
    opt.apply_gradients([(np.ones(4), w)])
    assert np.all(w.data < 0)
    w.data = np.zeros(5)
    with pytest.raises(ValueError, match="slot 'm' has shape"):
        opt.apply_gradients([(np.ones(5), w)])
    np.testing.assert_array_equal(w.data, np.zeros(5))
    assert opt.iterations == 2

"""Subnormal floats never stay in training state: counts, not time.

Each optimizer is driven into the regime where its state decays into the subnormal range
(a few steps of tiny gradients, then zeros). Without flushing the subnormals are there —
so the check can fail — and with flushing, by the CPU's mode or in software, none remain.
"""
from __future__ import annotations

import threading

import numpy as np
import pytest

import glassnet as gn
from glassnet import subnormals
from glassnet.optimizers import ALL_OPTIMIZERS

TINY32 = np.finfo(np.float32).smallest_normal
needs_hardware = pytest.mark.skipif(not subnormals.hardware_flush_available(),
                                    reason="this CPU / C library offers no flush-to-zero mode")

# name -> (constructor arguments, scale of the initial weights, scale of the first gradients):
# chosen so that, without flushing, the optimizer's decaying state (or the weights) end subnormal.
REGIMES = {
    "sgd": ({"momentum": 0.9}, 1.0, 1e-30),             # v ← μ·v
    "adagrad": ({}, 2e-38, 1e-36),                      # no decaying state: the weights step into the range
    "adadelta": ({}, 1.0, 1e-17),                       # E[g²] and E[Δw²] ← ρ·(...)
    "rmsprop": ({}, 1.0, 1e-17),                        # v ← ρ·v
    "adam": ({}, 1.0, 1e-30),                           # m ← β1·m
    "adamw": ({}, 1.0, 1e-30),
    "adamax": ({}, 1.0, 1e-30),                         # m ← β1·m, u ← max(β2·u, |g|)
    "nadam": ({}, 1.0, 1e-30),
    "lion": ({}, 1.0, 1e-36),                           # m ← β2·m
    "lamb": ({}, 1.0, 1e-30),                           # m ← β1·m
    "ftrl": ({}, 0.0, 1e-36),                           # no decaying state: w = −z/q steps into the range
    "adafactor": ({}, 1e-39, 0.0),                      # v keeps ε1 = 1e-30: the (subnormal) weights stay
    "muon": ({}, 1.0, 1e-30),                           # a 1-D variable: AdamW's m ← β1·m
    "schedulefreeadamw": ({}, 1.0, 3e-18),              # v ← β2·v
}


def drive(name: str, size: int = 1000, steps: int = 300) -> int:
    """Train one variable into the decaying regime; the number of subnormal state entries left."""
    arguments, w_scale, g_scale = REGIMES[name]
    optimizer = ALL_OPTIMIZERS[name](**arguments)
    rng = np.random.default_rng(0)
    w = gn.Variable(np.abs(rng.normal(size=size)) * w_scale, dtype="float32")
    for step in range(steps):
        g = np.abs(rng.normal(size=size)) * g_scale if step < 5 else np.zeros(size)
        optimizer.apply_gradients([(g.astype(np.float32), w)])
    state = [w.data, *optimizer._slots[optimizer._index[id(w)]].values()]
    return sum(subnormals.count_subnormal(array) for array in state)


@pytest.fixture
def software_only(monkeypatch):
    """Pretend the CPU has no flush-to-zero mode: the optimizers must flush in software."""
    monkeypatch.setattr(subnormals, "_probe", lambda: None)
    assert subnormals.uses_software_flush()


@pytest.fixture
def flushing_off():
    subnormals.set_flush_subnormals(False)
    yield
    subnormals.set_flush_subnormals(True)


def test_every_optimizer_has_a_regime():
    assert set(REGIMES) == set(ALL_OPTIMIZERS)


@pytest.mark.parametrize("name", sorted(REGIMES))
def test_without_flushing_the_state_turns_subnormal(name, flushing_off):
    assert drive(name) > 100


@needs_hardware
@pytest.mark.parametrize("name", sorted(REGIMES))
def test_hardware_mode_leaves_no_subnormal(name):
    assert drive(name) == 0


@pytest.mark.parametrize("name", sorted(REGIMES))
def test_software_flush_leaves_no_subnormal(name, software_only):
    assert drive(name) == 0


def test_software_flush_of_a_blocked_variable(software_only):
    from glassnet.optimizers.base import BLOCK

    assert drive("adam", size=BLOCK + 1000, steps=200) == 0


@needs_hardware
def test_mode_is_set_inside_and_restored_after():
    half = np.full(8, TINY32, np.float32) * np.float32(0.5)
    assert np.all(half > 0)                                      # outside: a subnormal result
    with subnormals.flush_subnormals():
        assert not np.any(np.full(8, TINY32, np.float32) * np.float32(0.5))
        with subnormals.flush_subnormals():                      # nesting keeps it on
            pass
        assert not np.any(np.full(8, TINY32, np.float32) * np.float32(0.5))
        assert np.all(half * np.float32(2) == 0)                 # DAZ: a subnormal input reads as 0
    assert np.all(np.full(8, TINY32, np.float32) * np.float32(0.5) > 0)
    with pytest.raises(RuntimeError):
        with subnormals.flush_subnormals():
            raise RuntimeError("the mode is restored on an exception too")
    assert np.all(np.full(8, TINY32, np.float32) * np.float32(0.5) > 0)


@needs_hardware
def test_mode_is_per_thread():
    """A thread that was running before is not switched (a thread started inside inherits the mode)."""
    seen, entered, looked = [], threading.Event(), threading.Event()

    def other():
        entered.wait(5)
        seen.append(subnormals._flushes_now())
        looked.set()

    thread = threading.Thread(target=other)
    thread.start()
    with subnormals.flush_subnormals():
        entered.set()
        looked.wait(5)
        assert subnormals._flushes_now()
    thread.join()
    assert seen == [False]


def test_switched_off_the_context_does_nothing(flushing_off):
    with subnormals.flush_subnormals():
        assert not subnormals._flushes_now()
    assert not subnormals.uses_software_flush()


def test_flush_inplace_and_count():
    x = np.array([0.0, TINY32 / 2, -TINY32 / 4, TINY32, -1.0, 1e-30], dtype=np.float32)
    assert subnormals.count_subnormal(x) == 2
    subnormals.flush_inplace(x)
    np.testing.assert_array_equal(x, np.array([0.0, 0.0, 0.0, TINY32, -1.0, 1e-30], dtype=np.float32))
    assert subnormals.count_subnormal(x) == 0
    d = np.array([5e-324, 1.0])                                  # float64's smallest subnormal
    assert subnormals.count_subnormal(d) == 1
    subnormals.flush_inplace(d)
    assert d.tolist() == [0.0, 1.0]
    assert subnormals.count_subnormal(np.array([1, 2])) == 0


def fit_adam_on_a_fading_feature() -> int:
    """fit an MLP whose first input feature is nonzero (and tiny) only in the first samples,
    so Adam's first moments of that feature's kernel row decay geometrically; subnormal
    entries left in the optimizer's slots and the weights."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 6)).astype(np.float32)
    x[:, 0] = 0.0
    x[:4, 0] = 1e-25
    y = rng.integers(0, 3, 400)
    model = gn.Sequential([gn.layers.Input((6,)), gn.layers.Dense(8, activation="relu"),
                           gn.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, batch_size=1, epochs=1, shuffle=False, verbose=0)
    state = [v.data for v in model.trainable_weights] + [s for slots in model.optimizer._slots for s in slots.values()]
    return sum(subnormals.count_subnormal(array) for array in state)


def test_fit_leaves_no_subnormal_state():
    assert fit_adam_on_a_fading_feature() == 0


def test_fit_without_flushing_leaves_subnormal_state(flushing_off):
    assert fit_adam_on_a_fading_feature() > 0


def fit_batch_norm_on_a_constant_feature() -> int:
    """fit a model whose first feature is constant, so BatchNormalization's moving variance
    decays as 0.5ᵗ (momentum 0.5) towards the batch variance 0: after 135 steps it is
    2⁻¹³⁵, inside float32's subnormal range [2⁻¹⁴⁹, 2⁻¹²⁶); subnormal entries left."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(270, 3)).astype(np.float32)
    x[:, 0] = 1.0
    y = rng.normal(size=(270, 1)).astype(np.float32)
    model = gn.Sequential([gn.layers.Input((3,)), gn.layers.BatchNormalization(momentum=0.5), gn.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, batch_size=2, epochs=1, shuffle=False, verbose=0)
    return sum(subnormals.count_subnormal(v.data) for v in model.non_trainable_weights)


def test_fit_leaves_no_subnormal_moving_statistics():
    assert fit_batch_norm_on_a_constant_feature() == 0


def test_moving_statistics_turn_subnormal_without_flushing(flushing_off):
    assert fit_batch_norm_on_a_constant_feature() > 0

"""Learning-rate schedules: values at chosen steps (worked by hand), config, bad input."""
import math

import numpy as np
import pytest

from glassnet.optimizers import schedules
from glassnet.optimizers.schedules import CosineDecay, ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay


def test_exponential_decay():
    s = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    assert s(0) == 0.1
    assert s(10) == pytest.approx(0.05, rel=1e-15)          # one full period: ×0.5
    assert s(5) == pytest.approx(0.1 * 0.5**0.5, rel=1e-15)
    stairs = ExponentialDecay(0.1, 10, 0.5, staircase=True)
    assert [stairs(t) for t in (0, 9, 10, 19, 20)] == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025], rel=1e-15)


def test_piecewise_constant_boundaries_are_inclusive_on_the_left_piece():
    s = PiecewiseConstantDecay([100, 110], [1.0, 0.5, 0.1])
    assert [s(t) for t in (0, 100, 101, 110, 111, 10_000)] == [1.0, 1.0, 0.5, 0.5, 0.1, 0.1]


def test_cosine_decay():
    s = CosineDecay(0.1, decay_steps=100, alpha=0.2)
    assert s(0) == pytest.approx(0.1)
    assert s(50) == pytest.approx(0.1 * (0.8 * 0.5 + 0.2))      # cos(π/2) = 0: halfway
    assert s(100) == pytest.approx(0.02) and s(500) == pytest.approx(0.02)   # α·η_0, then flat
    assert s(25) == pytest.approx(0.1 * (0.8 * 0.5 * (1 + math.cos(math.pi / 4)) + 0.2), rel=1e-15)


def test_cosine_decay_with_warmup():
    s = CosineDecay(0.0, decay_steps=100, warmup_target=0.1, warmup_steps=10)
    assert [s(t) for t in (0, 5, 10)] == pytest.approx([0.0, 0.05, 0.1])
    assert s(60) == pytest.approx(0.05)              # 50 steps into the decay
    assert s(110) == pytest.approx(0.0, abs=1e-17) and s(1000) == pytest.approx(0.0, abs=1e-17)
    no_target = CosineDecay(0.1, 100, warmup_steps=10)    # warmup ignored without a target (Keras)
    assert no_target(0) == pytest.approx(0.1)


def test_inverse_time_decay():
    s = InverseTimeDecay(0.1, decay_steps=1, decay_rate=0.5)    # the course's α_0 / (1 + r·epoch)
    assert [s(t) for t in (0, 1, 2, 3)] == pytest.approx([0.1, 0.1 / 1.5, 0.05, 0.1 / 2.5], rel=1e-15)
    stairs = InverseTimeDecay(0.1, 10, 1.0, staircase=True)
    assert [stairs(t) for t in (0, 9, 10, 25)] == pytest.approx([0.1, 0.1, 0.05, 0.1 / 3], rel=1e-15)


def test_steps_as_numpy_values():
    s = ExponentialDecay(0.1, 10, 0.5)
    assert s(np.int64(10)) == s(np.array(10)) == s(10)
    assert isinstance(s(np.int64(3)), float)


@pytest.mark.parametrize("schedule", [ExponentialDecay(0.1, 10, 0.5, True), PiecewiseConstantDecay([3], [0.2, 0.1]),
                                      CosineDecay(0.1, 50, 0.1, warmup_target=0.2, warmup_steps=5),
                                      InverseTimeDecay(0.1, 2, 0.3)])
def test_config_round_trip(schedule):
    again = schedules.deserialize(schedules.serialize(schedule))
    assert type(again) is type(schedule) and again.get_config() == schedule.get_config()
    assert [again(t) for t in range(0, 80, 7)] == [schedule(t) for t in range(0, 80, 7)]
    assert type(schedule).from_config(schedule.get_config()).get_config() == schedule.get_config()
    assert schedules.get(schedules.serialize(schedule)).get_config() == schedule.get_config()


@pytest.mark.parametrize("make, argument", [
    (lambda: ExponentialDecay(0.1, 0, 0.5), "decay_steps"),
    (lambda: InverseTimeDecay(0.1, -1, 0.5), "decay_steps"),
    (lambda: CosineDecay(0.1, 0), "decay_steps"),
    (lambda: CosineDecay(0.1, 10, warmup_steps=-1), "warmup_steps"),
    (lambda: ExponentialDecay("a", 10, 0.5), "initial_learning_rate"),
    (lambda: PiecewiseConstantDecay([1, 2], [0.1, 0.2]), "one more element"),
    (lambda: PiecewiseConstantDecay([2, 1], [0.1, 0.2, 0.3]), "strictly increasing"),
])
def test_bad_arguments(make, argument):
    with pytest.raises(ValueError, match=argument):
        make()


def test_deserialize_unknown():
    with pytest.raises(ValueError, match="unknown learning rate schedule"):
        schedules.deserialize({"class_name": "Nope", "config": {}})


def test_base_class_requires_call():
    with pytest.raises(NotImplementedError, match="__call__"):
        schedules.LearningRateSchedule()(0)

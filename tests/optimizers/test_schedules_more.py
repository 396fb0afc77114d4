"""PolynomialDecay and CosineDecayRestarts: hand-worked values, config round trip, bad input."""
import json
import math

import pytest

from glassnet.optimizers import SGD, schedules
from glassnet.optimizers.schedules import CosineDecayRestarts, PolynomialDecay


def test_polynomial_by_hand():
    # η_0 = 1, η_end = 0, T = 4, power 2:  η_t = (1 − t/4)²  → 1, 0.5625, 0.25, 0.0625, 0, then 0
    s = PolynomialDecay(1.0, 4, end_learning_rate=0.0, power=2.0)
    assert [s(t) for t in range(6)] == [1.0, 0.5625, 0.25, 0.0625, 0.0, 0.0]


def test_polynomial_cycle_by_hand():
    # cycle, T = 4, linear, η_end = 0:  t = 6 → T' = 4·⌈6/4⌉ = 8, η = 1 − 6/8 = 0.25;  t = 0 → 1
    s = PolynomialDecay(1.0, 4, end_learning_rate=0.0, cycle=True)
    assert s(0) == 1.0 and s(4) == 0.0 and s(6) == 0.25 and s(8) == 0.0 and s(9) == 1 - 9 / 12


def test_restarts_by_hand():
    # T_0 = 2, t_mul = 2, m_mul = 0.5: periods [0, 2), [2, 6), [6, 14): η restarts at 1, 0.5, 0.25
    s = CosineDecayRestarts(1.0, 2, t_mul=2.0, m_mul=0.5)
    assert s(0) == 1.0
    assert s(1) == pytest.approx(0.5)                       # half way: ½(1 + cos(π/2))
    assert s(2) == pytest.approx(0.5) and s(6) == pytest.approx(0.25)
    assert s(4) == pytest.approx(0.25)                      # half of the second period: 0.5·½
    t_mul_one = CosineDecayRestarts(1.0, 4, t_mul=1.0, alpha=0.2)
    assert t_mul_one(4) == 1.0 and t_mul_one(6) == pytest.approx(0.2 + 0.8 * 0.5 * (1 + math.cos(math.pi / 2)))


@pytest.mark.parametrize("schedule", [PolynomialDecay(0.1, 10, 0.01, 0.5, True),
                                      CosineDecayRestarts(0.1, 5, 1.5, 0.9, 0.1)])
def test_config_json_round_trip_and_optimizer(schedule):
    config = json.loads(json.dumps(schedules.serialize(schedule)))
    again = schedules.deserialize(config)
    assert type(again) is type(schedule) and again.get_config() == schedule.get_config()
    assert [again(t) for t in range(12)] == [schedule(t) for t in range(12)]
    opt = SGD(schedule)
    assert SGD.from_config(opt.get_config()).learning_rate == schedule(0)


@pytest.mark.parametrize("make, match", [
    (lambda: PolynomialDecay(0.1, 0), "decay_steps"),
    (lambda: PolynomialDecay(0.1, 10, power="two"), "power"),
    (lambda: CosineDecayRestarts(0.1, -1), "first_decay_steps"),
    (lambda: CosineDecayRestarts(0.1, 5, t_mul=0.0), "t_mul"),
    (lambda: CosineDecayRestarts(0.1, 5, alpha=float("nan")), "alpha"),
])
def test_bad_arguments_refused(make, match):
    with pytest.raises(ValueError, match=match):
        make()

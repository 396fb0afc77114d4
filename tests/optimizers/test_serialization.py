"""get / serialize / deserialize and get_config → from_config for every optimizer."""
import numpy as np
import pytest

from glassnet import optimizers
from glassnet.optimizers import schedules

NON_DEFAULT = {
    "sgd": {"learning_rate": 0.2, "momentum": 0.5, "nesterov": True},
    "adagrad": {"initial_accumulator_value": 0.5, "epsilon": 1e-5},
    "adadelta": {"rho": 0.8, "epsilon": 1e-6},
    "rmsprop": {"rho": 0.5, "momentum": 0.3, "epsilon": 1e-4, "centered": True},
    "adam": {"beta_1": 0.8, "beta_2": 0.99, "epsilon": 1e-8, "amsgrad": True},
    "adamw": {"weight_decay": 0.1, "amsgrad": True},
    "adamax": {"beta_1": 0.7, "beta_2": 0.95},
    "nadam": {"beta_1": 0.85, "epsilon": 1e-6},
    "lion": {"beta_1": 0.95, "beta_2": 0.98},
    "lamb": {"beta_1": 0.8, "beta_2": 0.99, "epsilon": 1e-6},
    "ftrl": {"learning_rate_power": -0.7, "l1_regularization_strength": 0.1, "beta": 0.5},
    "adafactor": {"beta_2_decay": -0.6, "epsilon_2": 1e-2, "clip_threshold": 0.5, "relative_step": False},
    "muon": {"momentum": 0.9, "ns_steps": 3, "nesterov": False, "exclude_layers": ["head"], "rms_rate": None},
    "schedulefreeadamw": {"beta_1": 0.8, "warmup_steps": 10},
}


@pytest.mark.parametrize("name", sorted(optimizers.ALL_OPTIMIZERS))
def test_get_by_string_id(name):
    opt = optimizers.get(name)
    assert type(opt).__name__.lower() == name
    assert optimizers.get(type(opt).__name__).get_config() == opt.get_config()   # "Adam" works too
    assert optimizers.get(opt) is opt


@pytest.mark.parametrize("name", sorted(optimizers.ALL_OPTIMIZERS))
def test_config_round_trip(name):
    cls = optimizers.ALL_OPTIMIZERS[name]
    opt = cls(clipnorm=2.0, name="mine", **NON_DEFAULT[name])
    config = opt.get_config()
    for key, value in NON_DEFAULT[name].items():
        assert config[key] == value
    assert config["clipnorm"] == 2.0 and config["name"] == "mine"
    again = cls.from_config(config)
    assert type(again) is cls and again.get_config() == config
    assert optimizers.deserialize(optimizers.serialize(opt)).get_config() == config


@pytest.mark.parametrize("schedule", [
    schedules.ExponentialDecay(0.1, 10, 0.5, staircase=True),
    schedules.PiecewiseConstantDecay([5, 10], [0.1, 0.05, 0.01]),
    schedules.CosineDecay(0.0, 100, alpha=0.1, warmup_target=0.1, warmup_steps=10),
    schedules.InverseTimeDecay(0.1, 1, 0.5),
])
def test_config_round_trip_with_schedule(schedule):
    opt = optimizers.Adam(learning_rate=schedule)
    config = opt.get_config()
    assert config["learning_rate"] == {"class_name": type(schedule).__name__, "config": schedule.get_config()}
    again = optimizers.Adam.from_config(config)
    assert isinstance(again._learning_rate, type(schedule))
    for step in (0, 3, 7, 12, 50):
        again._iterations = opt._iterations = step
        assert again.learning_rate == opt.learning_rate


def test_unknown_name_lists_valid_ones():
    with pytest.raises(ValueError, match="adam.*sgd"):
        optimizers.get("adamm")
    with pytest.raises(ValueError, match="could not interpret"):
        optimizers.get(3.0)
    with pytest.raises(ValueError, match="class_name"):
        optimizers.deserialize({"config": {}})
    assert optimizers.get(None) is None


def test_custom_optimizer_via_custom_objects():
    class SignSGD(optimizers.Optimizer):
        def __init__(self, learning_rate=0.01, **kwargs):
            super().__init__(learning_rate, **kwargs)

        def update_step(self, g, w, lr, slots, tmp):
            np.sign(g, out=tmp[0])
            tmp[0] *= lr
            w -= tmp[0]

    opt = optimizers.deserialize({"class_name": "SignSGD", "config": {"learning_rate": 0.5}},
                                 custom_objects={"SignSGD": SignSGD})
    assert isinstance(opt, SignSGD) and opt.learning_rate == 0.5

"""Every public configurable class of every namespace round-trips through get_config/from_config.

Layers have their own parametrized round trip (tests/layers/test_config_roundtrip.py), which
also compares outputs; this one covers the rest, and fails when a new class appears that
cannot be rebuilt from its config.
"""
import inspect
import json

import numpy as np
import pytest

from glassnet import constraints, initializers, losses, metrics, optimizers, regularizers
from glassnet.optimizers import schedules

NAMESPACES = [initializers, regularizers, constraints, losses, metrics, optimizers, schedules]

# Constructor arguments for the classes that have required ones.
REQUIRED = {
    "Constant": {"value": 0.5},
    "ExponentialDecay": {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5},
    "InverseTimeDecay": {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5},
    "PiecewiseConstantDecay": {"boundaries": [10, 20], "values": [0.1, 0.01, 0.001]},
    "CosineDecay": {"initial_learning_rate": 0.1, "decay_steps": 100},
    "PolynomialDecay": {"initial_learning_rate": 0.1, "decay_steps": 100},
    "CosineDecayRestarts": {"initial_learning_rate": 0.1, "first_decay_steps": 10},
    "LossScaleOptimizer": {"inner_optimizer": optimizers.SGD()},
    "MultiOptimizer": {"optimizer_map": optimizers.OptimizerMap(optimizers.SGD())},
    "OptimizerMap": {"default_optimizer": optimizers.SGD()},
    "MeanMetricWrapper": {"fn": losses.mean_squared_error},
    "LossFunctionWrapper": {"fn": losses.mean_squared_error},
    "TruePositives": {}, "FalsePositives": {}, "TrueNegatives": {}, "FalseNegatives": {},
    "F1Score": {}, "FBetaScore": {},
    "IoU": {"num_classes": 3, "target_class_ids": [0, 2]}, "MeanIoU": {"num_classes": 3},
    "OneHotIoU": {"num_classes": 3, "target_class_ids": [1]}, "OneHotMeanIoU": {"num_classes": 3},
    "PrecisionAtRecall": {"recall": 0.5}, "RecallAtPrecision": {"precision": 0.5},
    "SensitivityAtSpecificity": {"specificity": 0.5}, "SpecificityAtSensitivity": {"sensitivity": 0.5},
}
ABSTRACT = {"Initializer", "Regularizer", "Constraint", "Loss", "Metric", "Optimizer", "LearningRateSchedule",
            "Reduce", "RandomInitializer", "FunctionLoss", "FunctionMetric"}


def public_classes():
    seen = {}
    for module in NAMESPACES:
        for name, obj in vars(module).items():
            if (inspect.isclass(obj) and not name.startswith("_") and hasattr(obj, "get_config")
                    and obj.__module__.startswith("glassnet") and name not in ABSTRACT):
                seen.setdefault(f"{module.__name__}.{name}", obj)
    return sorted(seen.items())


CLASSES = public_classes()


def test_the_namespaces_have_classes():
    assert len(CLASSES) > 60


@pytest.mark.parametrize("qualified, cls", CLASSES, ids=[q for q, _ in CLASSES])
def test_round_trip(qualified, cls):
    obj = cls(**REQUIRED.get(cls.__name__, {}))
    config = obj.get_config()
    json.dumps(config, default=lambda o: o.tolist() if isinstance(o, np.ndarray) else str(o))
    rebuilt = cls.from_config(config)
    assert type(rebuilt) is cls
    assert rebuilt.get_config() == config

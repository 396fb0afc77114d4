"""The backend: every op computes through ``backend.xp``, so another array module can be swapped in."""
import types

import numpy as np
import pytest

import glassnet as gn
from glassnet import backend, layers, ops


class CountingNumpy(types.ModuleType):
    """A stand-in array module: NumPy's API, counting which functions the ops call."""

    def __init__(self):
        super().__init__("counting_numpy")
        self.calls = {}

    def __getattr__(self, name):
        value = getattr(np, name)
        if callable(value) and not isinstance(value, type):
            def counted(*args, **kwargs):
                self.calls[name] = self.calls.get(name, 0) + 1
                return value(*args, **kwargs)
            return counted
        return value


@pytest.fixture
def counting_module():
    module = CountingNumpy()
    backend.set_array_module(module)
    yield module
    backend.set_array_module("numpy")


def test_training_step_computes_through_the_array_namespace(counting_module):
    x = np.random.default_rng(0).standard_normal((8, 5)).astype("float32")
    y = np.arange(8) % 3
    model = gn.Sequential([layers.Input((5,)), layers.Dense(4, activation="tanh"), layers.Dense(3)])
    logits = model(x, training=True)
    loss = ops.softmax_cross_entropy(logits, y, sparse=True).mean()
    loss.backward()
    for name in ("tanh", "exp", "sum", "max"):
        assert counting_module.calls.get(name, 0) > 0, (name, counting_module.calls)
    assert all(w.grad is not None for w in model.trainable_weights)


def test_set_array_module_names_and_errors():
    assert backend.array_module() is np
    with pytest.raises(ValueError, match="'numpy' or 'cupy'"):
        backend.set_array_module("torch")
    backend.set_array_module("numpy")
    assert "numpy" in repr(backend.xp)

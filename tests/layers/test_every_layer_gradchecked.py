"""Every differentiable layer class that glassnet.layers exports has a float64 gradient check.

The check is textual on purpose: it scans the layer tests for ``layer_gradcheck`` calls and
fails when a new layer is added without one.
"""
import inspect
import pathlib
import re

import numpy as np

from glassnet import layers, ops
from glassnet.testing import layer_gradcheck

# strings or ids in, ids or counts out: nothing to differentiate
NOT_DIFFERENTIABLE = {"TextVectorization", "CategoryEncoding", "Discretization", "StringLookup", "IntegerLookup",
                      "Hashing", "HashedCrossing",
                      "RandomPosterization", "Equalization"}  # step functions in training (the identity at inference)
ABSTRACT = {"Layer", "Merge"}


def test_lambda_gradcheck():
    layer = layers.Lambda(lambda x: ops.tanh(x) * x, dtype="float64")
    layer_gradcheck(layer, np.random.default_rng(0).standard_normal((3, 4)))


def test_input_layer_gradcheck():
    layer_gradcheck(layers.InputLayer(shape=(4,), dtype="float64"), np.random.default_rng(1).standard_normal((2, 4)))


def test_every_exported_layer_class_has_a_gradcheck():
    exported = {name for name, obj in vars(layers).items()
                if inspect.isclass(obj) and issubclass(obj, layers.Layer)}
    # A class counts as checked when a test file that calls layer_gradcheck names it.
    gradchecked = set()
    tests = pathlib.Path(__file__).parent.parent
    for path in [*(tests / "layers").rglob("test_*.py"), *(tests / "applications").glob("test_*.py")]:
        text = path.read_text()
        if "layer_gradcheck(" in text and path.name != pathlib.Path(__file__).name:
            gradchecked |= set(re.findall(r"layers\.(\w+)\b", text))
    gradchecked |= {"Lambda", "InputLayer"}  # checked above
    missing = exported - gradchecked - NOT_DIFFERENTIABLE - ABSTRACT
    assert not missing, f"layers without a gradient check: {sorted(missing)}"

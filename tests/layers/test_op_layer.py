"""Ops and Python operators on symbolic tensors become OpLayer nodes (Keras 3's functional style)."""
import json

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers, ops
from glassnet.layers.core.op_layer import OpLayer
from glassnet.testing import layer_gradcheck

rng = np.random.default_rng(0)


def _model():
    a, b = gn.Input((4, 3), name="a"), gn.Input((4, 3), name="b")
    h = layers.Dense(3, name="proj")(a)
    residual = h + b                                   # an operator
    scaled = 2.0 * residual - b / 4.0 + abs(-h) ** 2  # reflected operators, unary ones, a power
    last = scaled[:, -1, ...]                          # getitem with an int, a slice and an Ellipsis
    pooled = ops.mean(ops.expand_dims(scaled, -1), axis=(1, 3))   # keras.ops on symbolic tensors
    both = ops.concatenate([last, pooled], axis=-1)
    return gn.Model([a, b], [both, ops.matmul(scaled, ops.transpose(h, (0, 2, 1)))])


def test_operators_and_ops_on_symbolic_tensors_compute_what_they_say():
    model = _model()
    x, y = rng.normal(size=(2, 4, 3)).astype("float32"), rng.normal(size=(2, 4, 3)).astype("float32")
    W, c = model.get_layer("proj").get_weights()
    h = x @ W + c
    scaled = 2.0 * (h + y) - y / 4.0 + np.abs(-h) ** 2
    both, product = model.predict([x, y], verbose=0)
    np.testing.assert_allclose(both, np.concatenate([scaled[:, -1], scaled.mean(axis=1)], axis=-1), rtol=1e-5)
    np.testing.assert_allclose(product, scaled @ h.transpose(0, 2, 1), rtol=1e-5, atol=1e-5)
    recorded = {layer.function for layer in model.layers if isinstance(layer, OpLayer)}
    assert {"add", "subtract", "multiply", "divide", "absolute", "negative", "power", "getitem", "expand_dims",
            "mean", "concatenate", "matmul", "transpose"} <= recorded
    assert all(layer.name.startswith(layer.function) for layer in model.layers if isinstance(layer, OpLayer))


def test_a_model_with_op_nodes_trains_saves_and_loads(tmp_path):
    inputs = gn.Input((5,))
    h = layers.Dense(8, activation="tanh")(inputs)
    outputs = layers.Dense(1)(h + ops.sin(inputs[:, :1]) * 0.5)
    model = gn.Model(inputs, outputs)
    model.compile("adam", "mse")
    x = rng.normal(size=(64, 5)).astype("float32")
    y = (x[:, :1] ** 2).astype("float32")
    history = model.fit(x, y, epochs=5, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    model.save(tmp_path / "ops.glassnet")
    loaded = gn.saving.load_model(tmp_path / "ops.glassnet")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    config = json.dumps(model.get_config())
    assert '"function": "sin"' in config and '"__slice__"' in config


def test_static_facts_of_a_symbolic_tensor_are_answered_at_once():
    x = gn.Input((7, 3), dtype="int32")
    assert ops.shape(x) == (None, 7, 3) and ops.ndim(x) == 3 and ops.dtype(x) == "int32"
    assert ops.shape(np.ones((2, 2))) == (2, 2)                      # eager calls unchanged


def test_op_layer_gradcheck_and_config_round_trip():
    layer = OpLayer("multiply", {"args": [{"__tensor__": 0}, {"__tensor__": 1}], "kwargs": {}}, dtype="float64")
    layer_gradcheck(layer, [rng.normal(size=(2, 3)), rng.normal(size=(2, 3))])
    layer = OpLayer("sum", {"args": [{"__tensor__": 0}], "kwargs": {"axis": {"__tuple__": [0, 1]}}}, dtype="float64")
    layer_gradcheck(layers.OpLayer.from_config(json.loads(json.dumps(layer.get_config()))),
                    [rng.normal(size=(2, 3, 2))])


def test_only_public_ops_functions_can_be_named():
    for bad in ("system", "__import__", "_keras_names", "GetItem", 3):
        with pytest.raises(ValueError, match="public glassnet.ops function"):
            OpLayer(bad)
    with pytest.raises(TypeError, match="cannot record an argument"):
        ops.add(gn.Input((2,)), object())

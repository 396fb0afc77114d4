"""Functional models: graph building, depth order, shared layers, nested models, configs."""
import json

import numpy as np
import pytest

import glassnet as gn
from glassnet.layers import Concatenate, Dense, Dropout, Input
from glassnet.models import Functional, Model, Sequential


def course_model():
    """The course's example: two branches of two Dense layers each, joined, one output."""
    input_a, input_b = Input((4,), name="input_a"), Input((4,), name="input_b")
    branch_a = Dense(40, name="dense_a2")(Dense(30, name="dense_a1")(input_a))
    branch_b = Dense(50, name="dense_b2")(Dense(20, name="dense_b1")(input_b))
    output = Dense(1, name="output")(Concatenate(name="join")([branch_a, branch_b]))
    return Model(inputs=[input_a, input_b], outputs=output)


def summary_lines(model):
    lines = []
    model.summary(print_fn=lines.append)
    return lines


def row(lines, name):
    return next(line for line in lines if line.startswith(name + " "))


def test_course_example_builds_with_the_right_parameter_counts():
    model = course_model()
    assert isinstance(model, Functional)
    # Dense(units) on n inputs has n·units + units parameters
    counts = {"dense_a1": 4 * 30 + 30, "dense_a2": 30 * 40 + 40, "dense_b1": 4 * 20 + 20,
              "dense_b2": 20 * 50 + 50, "join": 0, "output": (40 + 50) * 1 + 1}
    assert counts["dense_a1"] == 150
    for name, count in counts.items():
        assert model.get_layer(name).count_params() == count
    assert model.count_params() == sum(counts.values()) == 2631
    lines = summary_lines(model)
    assert "150" in row(lines, "dense_a1 (Dense)")
    assert "(None, 30)" in row(lines, "dense_a1 (Dense)")
    assert "1,240" in row(lines, "dense_a2 (Dense)")
    assert "(None, 90)" in row(lines, "join (Concatenate)")
    assert "dense_a2[0][0]" in row(lines, "join (Concatenate)")
    assert any(line.strip() == "Total params: 2,631 (10.28 KB)" for line in lines)
    assert any(line.strip() == "Non-trainable params: 0 (0.00 B)" for line in lines)


def test_course_example_trains_and_predicts():
    model = course_model()
    rng = np.random.default_rng(0)
    xa, xb = rng.normal(size=(64, 4)).astype("float32"), rng.normal(size=(64, 4)).astype("float32")
    y = (xa.sum(axis=1) - xb[:, 0]).reshape(-1, 1)
    model.compile(optimizer="adam", loss="mse")
    history = model.fit([xa, xb], y, epochs=30, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert model.predict([xa, xb], verbose=0).shape == (64, 1)
    by_name = model.predict({"input_a": xa, "input_b": xb}, verbose=0)
    np.testing.assert_array_equal(by_name, model.predict([xa, xb], verbose=0))


def test_layers_and_weights_are_ordered_by_depth():
    model = course_model()
    # depth from the output: inputs 4, first Dense of each branch 3, second 2, join 1, output 0;
    # at equal depth the branch met first walking back from the output comes first
    assert [layer.name for layer in model.layers] == [
        "input_a", "input_b", "dense_a1", "dense_b1", "dense_a2", "dense_b2", "join", "output"]
    assert [w.path for w in model.weights][:4] == ["dense_a1/kernel", "dense_a1/bias", "dense_b1/kernel",
                                                    "dense_b1/bias"]


def test_get_config_from_config_round_trip_gives_the_same_function():
    model = course_model()
    config = model.get_config()
    json.dumps(config)  # JSON-able
    assert config["input_layers"] == [["input_a", 0, 0], ["input_b", 0, 0]]
    assert config["output_layers"] == [["output", 0, 0]]
    join = next(entry for entry in config["layers"] if entry["name"] == "join")
    histories = [t["config"]["keras_history"] for t in join["inbound_nodes"][0]["args"][0]]
    assert histories == [["dense_a2", 0, 0], ["dense_b2", 0, 0]]
    clone = Functional.from_config(config)
    assert [layer.name for layer in clone.layers] == [layer.name for layer in model.layers]
    clone.set_weights(model.get_weights())
    x = [np.ones((3, 4), "float32"), np.arange(12, dtype="float32").reshape(3, 4)]
    np.testing.assert_allclose(clone.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    assert clone.get_config() == config


def test_multiple_outputs_as_dict_with_per_output_losses_and_weights():
    inputs = Input((3,), name="features")
    hidden = Dense(8, activation="relu", name="hidden")(inputs)
    outputs = {"value": Dense(1, name="value_head")(hidden),
               "label": Dense(2, activation="softmax", name="label_head")(hidden)}
    model = Model(inputs, outputs)
    assert model.output_names == ["value", "label"]
    model.compile(optimizer="sgd", loss={"value": "mse", "label": "sparse_categorical_crossentropy"},
                  loss_weights={"value": 0.5, "label": 2.0}, metrics={"label": ["accuracy"]})
    rng = np.random.default_rng(1)
    x = rng.normal(size=(40, 3)).astype("float32")
    y = {"value": x.sum(axis=1, keepdims=True), "label": (x[:, 0] > 0).astype("int64")}
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert set(logs) == {"loss", "value_loss", "label_loss", "label_accuracy"}
    assert logs["loss"] == pytest.approx(0.5 * logs["value_loss"] + 2.0 * logs["label_loss"], rel=1e-5)
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert set(history.history) == {"loss", "value_loss", "label_loss", "label_accuracy"}
    predictions = model.predict(x, verbose=0)
    assert predictions["value"].shape == (40, 1) and predictions["label"].shape == (40, 2)


def test_multiple_inputs_and_outputs_as_lists():
    a, b = Input((2,)), Input((3,))
    joined = Concatenate()([Dense(4)(a), Dense(4)(b)])
    out1, out2 = Dense(1, name="first")(joined), Dense(1, name="second")(joined)
    model = Model([a, b], [out1, out2])
    model.compile(optimizer="sgd", loss=["mse", "mae"], loss_weights=[1.0, 3.0])
    xa, xb = np.ones((10, 2), "float32"), np.zeros((10, 3), "float32")
    ys = [np.ones((10, 1), "float32"), np.zeros((10, 1), "float32")]
    logs = model.evaluate([xa, xb], ys, verbose=0, return_dict=True)
    assert logs["loss"] == pytest.approx(logs["first_loss"] + 3.0 * logs["second_loss"], rel=1e-5)
    first, second = model.predict([xa, xb], verbose=0)
    assert first.shape == second.shape == (10, 1)


def test_shared_layer_shares_its_weights():
    shared = Dense(3, name="shared")
    left, right = Input((2,)), Input((2,))
    model = Model([left, right], Concatenate()([shared(left), shared(right)]))
    assert model.count_params() == 2 * 3 + 3
    assert len(model.weights) == 2
    x = np.array([[1.0, 2.0]], "float32")
    out = model.predict([x, x], verbose=0)
    np.testing.assert_allclose(out[:, :3], out[:, 3:])
    before = shared.kernel.numpy().copy()
    model.compile(optimizer="sgd", loss="mse")
    # one step: the gradient of the shared kernel is the sum over both uses
    model.fit([x, 2 * x], np.ones((1, 6), "float32"), epochs=1, verbose=0)
    z_left, z_right = x @ before + 0, 2 * x @ before + 0
    g = 2 * np.concatenate([z_left - 1, z_right - 1], axis=1) / 6  # dL/dŷ of the mean over 6 entries
    expected = before - 0.01 * (x.T @ g[:, :3] + (2 * x).T @ g[:, 3:])
    np.testing.assert_allclose(shared.kernel.numpy(), expected, rtol=1e-5)
    lines = summary_lines(model)
    assert "multiple" in row(lines, "shared (Dense)")


def test_nested_model_as_a_layer():
    inner_in = Input((4,))
    inner = Model(inner_in, Dense(2, name="inner_dense")(Dense(5, activation="relu")(inner_in)), name="encoder")
    outer_in = Input((4,))
    outer = Model(outer_in, Dense(1, name="head")(inner(outer_in)), name="outer")
    assert outer.count_params() == (4 * 5 + 5) + (5 * 2 + 2) + (2 + 1)
    assert [layer.name for layer in outer.layers] == [outer.layers[0].name, "encoder", "head"]
    x = np.random.default_rng(0).normal(size=(16, 4)).astype("float32")
    outer.compile(optimizer="sgd", loss="mse")
    before = inner.get_weights()
    outer.fit(x, np.ones((16, 1), "float32"), epochs=1, verbose=0)
    assert not np.allclose(before[0], inner.get_weights()[0])  # the inner weights are trained
    clone = Functional.from_config(json.loads(json.dumps(outer.get_config())))
    clone.set_weights(outer.get_weights())
    np.testing.assert_allclose(clone.predict(x, verbose=0), outer.predict(x, verbose=0), rtol=1e-6)
    lines = []
    outer.summary(print_fn=lines.append, expand_nested=True)
    assert any("inner_dense (Dense)" in line for line in lines)


def test_sequential_nested_in_functional():
    block = Sequential([Dense(4, activation="relu"), Dense(2)], name="block")
    x_in = Input((3,))
    model = Model(x_in, block(x_in))
    assert block.built and model.count_params() == (3 * 4 + 4) + (4 * 2 + 2)
    assert model.predict(np.zeros((5, 3), "float32"), verbose=0).shape == (5, 2)


def test_functional_subclass_calling_super_with_inputs_and_outputs():
    class Regressor(Model):
        def __init__(self):
            inputs = Input((2,))
            super().__init__(inputs, Dense(1)(inputs), name="regressor")

        def describe(self):
            return f"{self.name} with {self.count_params()} parameters"

    model = Regressor()
    assert isinstance(model, Functional) and isinstance(model, Regressor)
    assert model.describe() == "regressor with 3 parameters"


def test_dropout_flag_flows_into_the_graph():
    x_in = Input((100,))
    model = Model(x_in, Dropout(0.5)(x_in))
    x = np.ones((4, 100), "float32")
    np.testing.assert_array_equal(model.predict(x, verbose=0), x)
    trained = model(x, training=True).numpy()
    assert set(np.unique(trained)) <= {0.0, 2.0} and (trained == 0).any()


def test_disconnected_graph_and_bad_arguments():
    a, b = Input((2,)), Input((2,))
    out = Dense(1)(Concatenate()([a, b]))
    with pytest.raises(ValueError, match="Graph disconnected"):
        Model(a, out)
    with pytest.raises(TypeError, match="inputs"):
        Model(Dense(1)(a), out)
    with pytest.raises(TypeError, match="outputs"):
        Model(a, np.zeros(3))
    model = Model([a, b], out)
    with pytest.raises(ValueError, match="expects 2 inputs"):
        model.predict(np.zeros((3, 2), "float32"), verbose=0)
    with pytest.raises(ValueError, match=r"expected shape \(None, 2\)"):
        model([np.zeros((3, 5), "float32"), np.zeros((3, 2), "float32")])


def test_model_properties():
    model = course_model()
    assert model.input_names == ["input_a", "input_b"]
    assert model.output_names == ["output"]
    assert model.input_shape == [(None, 4), (None, 4)]
    assert model.output_shape == (None, 1)
    assert len(model.inputs) == 2 and len(model.outputs) == 1
    with pytest.raises(ValueError, match="no layer named"):
        model.get_layer("nope")
    assert model.get_layer(index=-1).name == "output"
    assert isinstance(gn.Model, type) and gn.Model is Model


def test_symbolic_tensors_in_positional_and_keyword_arguments_are_graph_inputs():
    class Mix(gn.layers.Layer):  # called like attention: layer(query, value, key=...)
        def call(self, query, value, key=None):
            return query + 2.0 * value + (0.0 if key is None else 10.0 * key)

    q, v, k = Input((2,)), Input((2,)), Input((2,))
    model = Model([q, v, k], Mix()(q, v, key=k))
    ones = np.ones((3, 2), "float32")
    np.testing.assert_allclose(model.predict([ones, 2 * ones, 3 * ones], verbose=0), 35 * ones)
    with pytest.raises(ValueError, match="Graph disconnected"):
        Model([q, v], Mix()(q, v, key=k))

"""Keras's names at glassnet's top level and in glassnet.utils / backend / models; InputSpec."""
import io

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers


def test_top_level_names_are_the_submodules_classes():
    assert gn.Layer is gn.layers.Layer and gn.Input is gn.layers.Input
    assert gn.Loss is gn.losses.Loss and gn.Metric is gn.metrics.Metric and gn.Optimizer is gn.optimizers.Optimizer
    assert gn.Initializer is gn.initializers.Initializer and gn.Regularizer is gn.regularizers.Regularizer
    assert gn.Constraint is gn.constraints.Constraint
    for name in ("normal", "uniform", "truncated_normal", "randint", "shuffle", "dropout", "SeedGenerator"):
        assert callable(getattr(gn.random, name))
    for name in ("to_categorical", "normalize", "pad_sequences", "set_random_seed", "Progbar", "plot_model",
                 "register_keras_serializable", "get_custom_objects", "custom_object_scope", "serialize_keras_object",
                 "deserialize_keras_object", "split_dataset", "timeseries_dataset_from_array",
                 "text_dataset_from_directory", "image_dataset_from_directory", "PyDataset", "Sequence"):
        assert hasattr(gn.utils, name), name
    for name in ("clone_model", "model_from_json", "save_model", "load_model"):
        assert callable(getattr(gn.models, name))
    assert gn.backend.floatx() == "float32" and gn.backend.epsilon() == 1e-7
    assert gn.backend.image_data_format() == "channels_last"
    assert gn.config.floatx() == "float32" and gn.version() == gn.__version__
    assert isinstance(gn.Input((3,)), gn.KerasTensor)
    for name in ("gamma", "beta", "binomial", "categorical"):
        assert callable(getattr(gn.random, name))


def test_clear_session_restarts_layer_names():
    gn.backend.clear_session()
    assert layers.Dense(2).name == "dense" and layers.Dense(2).name == "dense_1"
    gn.backend.clear_session()
    assert layers.Dense(2).name == "dense"


def test_image_data_format_is_checked():
    gn.backend.set_image_data_format("channels_first")
    assert gn.backend.image_data_format() == "channels_first"
    gn.backend.set_image_data_format("channels_last")
    with pytest.raises(ValueError, match="channels_last"):
        gn.backend.set_image_data_format("NHWC")


def test_normalize_by_hand():
    # ‖(3, 4)‖₂ = 5; ‖(1, −3)‖₁ = 4; a zero row stays zero
    assert np.allclose(gn.utils.normalize([[3.0, 4.0], [0.0, 0.0]]), [[0.6, 0.8], [0.0, 0.0]], atol=1e-12)
    assert np.allclose(gn.utils.normalize(np.array([[1.0, -3.0]]), order=1), [[0.25, -0.75]], atol=1e-12)
    assert np.allclose(gn.utils.normalize(np.array([[3.0], [4.0]]), axis=0), [[0.6], [0.8]], atol=1e-12)
    with pytest.raises(ValueError, match="order must be a positive number"):
        gn.utils.normalize([[1.0]], order=0)
    with pytest.raises(ValueError, match="axis 2 is out of range"):
        gn.utils.normalize([[1.0]], axis=2)


def test_progbar_has_keras_update_api():
    stream = io.StringIO()
    assert gn.utils.Progbar is gn.callbacks.Progbar
    bar = gn.utils.Progbar(target=4, verbose=2, stream=stream)
    for step in range(1, 5):
        bar.update(step, values=[("loss", 1.0 / step)])
    # verbose=2 writes one line at the end, with the final values as given: Keras 3.15 prints
    # "4/4 - 0s - 8us/step - loss: 0.2500" for the same calls
    assert stream.getvalue().startswith("4/4 - ") and stream.getvalue().endswith("loss: 0.2500\n")


class UtilsScale(gn.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def test_serialize_and_deserialize_keras_object():
    config = gn.utils.serialize_keras_object(layers.Dense(3, activation="relu", name="d"))
    assert config["class_name"] == "Dense" and config["config"]["units"] == 3
    dense = gn.utils.deserialize_keras_object(config)
    assert isinstance(dense, layers.Dense) and dense.units == 3 and dense.name == "d"
    optimizer = gn.utils.deserialize_keras_object(gn.utils.serialize_keras_object(gn.optimizers.Adam(0.01)))
    assert isinstance(optimizer, gn.optimizers.Adam) and np.isclose(float(optimizer.learning_rate), 0.01)
    assert gn.utils.serialize_keras_object([1, "a", None]) == [1, "a", None]
    with pytest.raises(ValueError, match="unknown object 'os.system'"):
        gn.utils.deserialize_keras_object({"class_name": "os.system", "config": {}})


def test_custom_object_scope_and_registration():
    spec = {"class_name": "UtilsScale", "config": {"factor": 3.0, "name": "s"}}
    with pytest.raises(ValueError, match="unknown object 'UtilsScale'"):
        gn.utils.deserialize_keras_object(spec)
    with gn.utils.custom_object_scope({"UtilsScale": UtilsScale}):
        assert gn.utils.get_custom_objects()["UtilsScale"] is UtilsScale
        assert gn.utils.deserialize_keras_object(spec).factor == 3.0
        model = gn.Sequential([gn.Input((2,)), UtilsScale(3.0)])
        clone = gn.models.model_from_json(model.to_json())       # the scope reaches model loading too
        assert np.allclose(clone.predict(np.ones((1, 2)), verbose=0), 3.0)
    assert "UtilsScale" not in gn.utils.get_custom_objects()
    registered = gn.utils.register_keras_serializable(package="TestUtils")(UtilsScale)
    assert gn.utils.get_custom_objects()["TestUtils>UtilsScale"] is registered
    assert gn.utils.serialize_keras_object(UtilsScale(2.0))["registered_name"] == "TestUtils>UtilsScale"


def test_input_spec_is_checked_on_call():
    class Projection(gn.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], 4), initializer="ones")
            self.input_spec = gn.InputSpec(min_ndim=2, axes={-1: input_shape[-1]})

        def call(self, x):
            return x @ self.w

    layer = Projection(name="projection")
    assert layer(np.ones((2, 3))).shape == (2, 4)
    with pytest.raises(ValueError, match=r"layer 'projection'.*axis -1 of input shape to have value 3"):
        layer(np.ones((2, 5)))
    with pytest.raises(ValueError, match="expected min_ndim=2, found ndim=1"):
        layer(np.ones(3))
    spec = gn.InputSpec(ndim=3, dtype="float32")
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=2"):
        gn.layers.input_spec.assert_input_compatibility(spec, np.ones((2, 2), "float32"), "l")
    with pytest.raises(ValueError, match="expected dtype=float32"):
        gn.layers.input_spec.assert_input_compatibility(spec, np.ones((2, 2, 2)), "l")
    with pytest.raises(ValueError, match="do not fit ndim=2"):
        gn.InputSpec(ndim=2, axes={2: 3})


def test_clone_model_has_the_architecture_and_new_weights():
    gn.utils.set_random_seed(0)
    inputs = gn.Input((4,))
    outputs = layers.Dense(2)(layers.Dense(3, activation="relu")(inputs))
    model = gn.Model(inputs, outputs)
    clone = gn.models.clone_model(model)
    assert clone.count_params() == model.count_params() == 4 * 3 + 3 + 3 * 2 + 2
    assert not np.allclose(clone.layers[1].kernel.numpy(), model.layers[1].kernel.numpy())
    clone.set_weights(model.get_weights())
    x = np.random.default_rng(0).normal(size=(5, 4))
    assert np.allclose(clone.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)
    wider = gn.models.clone_model(model, clone_function=lambda layer: layers.Dense(7, activation="relu")
                                  if layer.name == model.layers[1].name else layer.__class__.from_config(layer.get_config()))
    assert wider.layers[1].units == 7 and wider.predict(x, verbose=0).shape == (5, 2)
    sequential = gn.Sequential([gn.Input((4,)), layers.Dense(2)])
    assert gn.models.clone_model(sequential).count_params() == 10


def test_model_from_json_and_save_model(tmp_path):
    model = gn.Sequential([gn.Input((3,)), layers.Dense(2, activation="softmax")])
    rebuilt = gn.models.model_from_json(model.to_json())
    assert [type(layer) for layer in rebuilt.layers] == [layers.Dense] and rebuilt.count_params() == 8
    with pytest.raises(ValueError, match="not a JSON model description"):
        gn.models.model_from_json("{not json")
    path = tmp_path / "m.glassnet"
    gn.models.save_model(model, path)
    x = np.ones((2, 3), "float32")
    assert np.allclose(gn.models.load_model(path).predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)

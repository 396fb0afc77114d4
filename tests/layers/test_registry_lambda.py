"""layers.serialize/deserialize/get, register_serializable, and the Lambda layer's saving rule."""
import json

import numpy as np
import pytest

from glassnet import layers
from glassnet.layers.registry import get_registered_name, get_registered_object, register_serializable


@register_serializable(package="TestRegistry")
class Scale(layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        return inputs * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


class Unregistered(Scale):
    pass


@register_serializable(package="TestRegistry", name="triple")
def triple(x):
    return x * 3.0


def test_builtin_layer_round_trip_through_json():
    dense = layers.Dense(3, activation="relu", kernel_regularizer="l2", name="d")
    saved = json.loads(json.dumps(layers.serialize(dense)))
    assert saved["class_name"] == "Dense"
    copy = layers.deserialize(saved)
    assert type(copy) is layers.Dense and copy.get_config() == dense.get_config()


def test_registered_custom_layer():
    saved = layers.serialize(Scale(3.0))
    assert saved["class_name"] == "TestRegistry>Scale"
    copy = layers.deserialize(json.loads(json.dumps(saved)))
    assert isinstance(copy, Scale) and copy.factor == 3.0
    assert get_registered_name(Scale) == "TestRegistry>Scale"
    assert get_registered_object("Scale") is Scale  # the short name, when unambiguous


def test_a_registered_class_never_shadows_a_glassnet_layer():
    @register_serializable(package="TestShadow", name="Dense")
    class MyDense(Scale):
        pass

    assert type(layers.deserialize({"class_name": "Dense", "config": {"units": 2}})) is layers.Dense
    assert type(layers.deserialize({"class_name": "TestShadow>Dense", "config": {}})) is MyDense


def test_unregistered_or_foreign_classes_are_refused():
    saved = layers.serialize(Unregistered(2.0))
    assert saved["class_name"] == "Unregistered"
    with pytest.raises(ValueError, match="unknown layer class 'Unregistered'.*register_serializable"):
        layers.deserialize(saved)
    assert isinstance(layers.deserialize(saved, custom_objects={"Unregistered": Unregistered}), Unregistered)
    for name in ("os.system", "builtins.eval", "Tensor", "triple", "TestRegistry>triple"):
        with pytest.raises(ValueError, match="unknown layer class"):
            layers.deserialize({"class_name": name, "config": {}})
    with pytest.raises(ValueError, match="'class_name' string"):
        layers.deserialize({"config": {}})
    with pytest.raises(ValueError, match="must be a dict"):
        layers.deserialize({"class_name": "Dense", "config": [3]})


def test_get_and_serialize_bad_input():
    flatten = layers.Flatten()
    assert layers.get(flatten) is flatten
    assert isinstance(layers.get("Flatten"), layers.Flatten)
    assert isinstance(layers.get({"class_name": "Dropout", "config": {"rate": 0.2}}), layers.Dropout)
    with pytest.raises(ValueError, match="cannot interpret"):
        layers.get(3)
    with pytest.raises(TypeError, match="expected a Layer"):
        layers.serialize("Dense")


def test_register_serializable_bad_input():
    with pytest.raises(ValueError, match="no get_config"):
        register_serializable()(type("Plain", (), {}))
    with pytest.raises(ValueError, match="package"):
        register_serializable(package="a>b")


def test_lambda_with_registered_function_round_trips():
    layer = layers.Lambda(triple, output_shape=(2,))
    x = np.array([[1.0, 2.0]])
    config = json.loads(json.dumps(layer.get_config()))
    assert config["function"] == "TestRegistry>triple"
    copy = layers.Lambda.from_config(config)
    np.testing.assert_array_equal(copy(x).numpy(), [[3.0, 6.0]])
    assert copy.compute_output_shape((None, 2)) == (None, 2)


def test_lambda_with_activation_and_arguments():
    layer = layers.Lambda(triple, arguments={})
    assert layer(np.ones((1, 1))).numpy()[0, 0] == 3.0
    from glassnet import activations
    relu = layers.Lambda(activations.relu)
    assert relu.get_config()["function"] == "relu"
    np.testing.assert_array_equal(layers.Lambda.from_config(relu.get_config())(np.array([[-1.0, 2.0]])).numpy(),
                                  [[0.0, 2.0]])
    leaky = layers.Lambda(activations.leaky_relu, arguments={"negative_slope": 0.5})
    np.testing.assert_array_equal(leaky(np.array([[-2.0]])).numpy(), [[-1.0]])
    assert layers.Lambda(triple)(layers.Input((4,))).shape == (None, 4)


def test_lambda_with_unregistered_function_cannot_be_saved():
    layer = layers.Lambda(lambda x: x + 1)
    np.testing.assert_array_equal(layer(np.zeros((1, 2))).numpy(), [[1.0, 1.0]])  # it works, in memory
    with pytest.raises(ValueError, match="cannot save function.*register_serializable"):
        layer.get_config()
    with pytest.raises(ValueError, match="not registered"):
        layers.Lambda.from_config({"function": "TestRegistry>missing"})
    with pytest.raises(ValueError, match="not registered"):
        layers.Lambda.from_config({"function": "os.system"})
    with pytest.raises(TypeError, match="callable"):
        layers.Lambda(3)

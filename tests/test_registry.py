"""glassnet.registry: the name table every namespace's get / serialize / deserialize is built on."""
import pytest

from glassnet.registry import KerasRegistry, Registry, deserialize_item, to_snake_case


class Shape:
    """A tiny configurable class, as a constraint or an initializer is."""

    def __init__(self, size=1):
        self.size = size

    def __call__(self, x):
        return x * self.size

    def get_config(self):
        return {"size": self.size}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class Big(Shape):
    pass


def double(x):
    return 2 * x


def make_registry(**options):
    return Registry("shapes", "shape", {"Shape": Shape, "shape": Shape, "big": Big}, **options)


def test_lookup_prefers_custom_objects_and_lists_valid_names():
    registry = make_registry()
    assert registry.lookup("shape") is Shape
    assert registry.lookup("shape", {"shape": Big}) is Big
    with pytest.raises(ValueError, match=r"shapes: unknown shape 'nope'; expected one of: Shape, big, shape"):
        registry.lookup("nope")


def test_names_call_their_entry_or_give_it():
    assert isinstance(make_registry().get("big"), Big)                        # "max_norm" → MaxNorm()
    assert make_registry(call_names=False).deserialize("big") is Big          # "mse" → the function


def test_get_rules():
    registry = make_registry()
    assert registry.get(None) is None
    assert make_registry(default=double).get(None) is double                  # activations.get(None) → linear
    assert registry.get({"class_name": "Shape", "config": {"size": 3}}).size == 3
    assert isinstance(registry.get(Big), Big)                                 # a class: its defaults
    assert make_registry(instantiate=None).get(Big) is Big                    # activations: left as it is
    assert registry.get(double) is double                                     # a callable: as it is
    with pytest.raises(ValueError, match="shapes.get: could not interpret identifier 3"):
        registry.get(3)


def test_instances_of_accepts_only_its_objects():
    registry = make_registry(instances_of=Shape, instantiate=None)
    shape = Shape(2)
    assert registry.get(shape) is shape
    assert registry.get("big").size == 1
    with pytest.raises(ValueError, match="expected None, a name, a config dict or a Shape"):
        registry.get(double)
    with pytest.raises(TypeError, match="shapes.serialize: expected a Shape, got function"):
        registry.serialize(double)
    with pytest.raises(ValueError, match="config must be a dict with a 'class_name' string"):
        registry.deserialize("big")


def test_serialize_round_trip_and_malformed_configs():
    registry = make_registry()
    config = registry.serialize(Shape(4))
    assert config == {"class_name": "Shape", "config": {"size": 4}}
    assert registry.deserialize(config).size == 4
    with pytest.raises(ValueError, match="expected a Shape \\(with get_config\\)"):
        registry.serialize(double)
    with pytest.raises(ValueError, match="'class_name' string"):
        registry.deserialize({"config": {}})
    with pytest.raises(ValueError, match="'config' of 'Shape' must be a dict"):
        registry.deserialize({"class_name": "Shape", "config": [1]})


def test_function_layout_only_where_enabled():
    config = {"class_name": "function", "config": "shape"}
    assert make_registry(functions=True).deserialize(config) is Shape
    with pytest.raises(ValueError, match="unknown shape 'function'"):
        make_registry().deserialize(config)


def test_keras_registry_layout_messages_and_wrapped_functions():
    class Wrapper(Shape):
        def __init__(self, fn=None, size=1):
            super().__init__(size)
            self.fn = fn

    registry = KerasRegistry("shapes", "shape", {"Wrapper": Wrapper, "double": double}, base=Shape)
    assert registry.serialize(double) == {"module": "glassnet.shapes", "class_name": "function",
                                          "config": "double", "registered_name": "function"}
    assert registry.serialize(Shape(2))["config"] == {"size": 2}
    assert registry.get("double") is double and isinstance(registry.get("Wrapper"), Wrapper)
    wrapped = registry.deserialize({"class_name": "Wrapper", "config": {"fn": {"class_name": "function",
                                                                                  "config": "double"}}})
    assert wrapped.fn is double
    with pytest.raises(ValueError, match="Unknown shape 'nope'; known names"):
        registry.get("nope")
    with pytest.raises(ValueError, match="Could not interpret shape identifier: 3"):
        registry.get(3)
    with pytest.raises(ValueError, match="'double' is not a Shape class"):
        registry.deserialize({"class_name": "double", "config": {}})


def test_helpers():
    assert to_snake_case("MeanSquaredError") == "mean_squared_error"
    assert to_snake_case("KLDivergence") == "kl_divergence"
    config = {"fn": "double", "size": 2}
    resolved = deserialize_item(config, "fn", lambda name, custom: {"double": double}[name])
    assert resolved == {"fn": double, "size": 2} and config["fn"] == "double"   # a copy
    assert deserialize_item({"fn": double}, "fn", None) == {"fn": double}

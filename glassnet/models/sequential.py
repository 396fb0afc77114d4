"""Sequential: a plain stack of layers, each feeding the next.

    model = Sequential([Input((64,)), Dense(64, activation="relu"), Dense(10, activation="softmax")])

``call`` is the loop ``for layer in layers: x = layer(x)``. The model is *built* — its
weights exist and ``summary()`` knows every output shape — as soon as the input shape is
known: from an ``Input`` given first, from a first layer's ``input_shape=`` argument, from
``build(input_shape)``, or from the first batch of data it is called on.

Text models start with ``Input(shape=(1,), dtype="string")`` and a ``TextVectorization``
(a stack whose first layer is one builds a "string" input by itself when given text).
"""
from __future__ import annotations

from ..layers.base import Layer
from ..layers.core.input_layer import InputLayer
from ..layers.node import SymbolicTensor
from .functional import conform_input, match_text_rank
from .model import Model


class Sequential(Model):
    """A linear stack of layers.

    Args:
        layers: list of layers (the first may be an ``Input(shape)``).
        trainable: whether the weights are updated by training.
        name: the model's name (default "sequential", numbered).

    Raises:
        TypeError: if an element is not a layer (or ``Input``).
        ValueError: for duplicate layer names or a second input layer.
    """

    def __init__(self, layers=None, trainable=True, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        self._outputs = None  # the symbolic output of each layer once built
        if layers is not None and not isinstance(layers, (list, tuple)):
            hint = " (wrap a single layer in a list: Sequential([layer]))" if isinstance(layers, Layer) else ""
            raise TypeError(f"Sequential: layers must be a list of layers, got {type(layers).__name__}{hint}")
        for layer in layers or []:
            self.add(layer, rebuild=False)
        if layers:
            self._maybe_rebuild()

    @property
    def layers(self) -> list:
        """The layers added (without the input layer), as in Keras."""
        return [layer for layer in self._layers if not isinstance(layer, InputLayer)]

    def add(self, layer, rebuild=True) -> None:
        """Append ``layer`` (or ``Input(shape)`` as the first element) to the stack."""
        if isinstance(layer, SymbolicTensor) and layer.node is not None and isinstance(layer.node.layer, InputLayer):
            layer = layer.node.layer
        if not isinstance(layer, Layer):
            raise TypeError(f"Sequential.add: expected a Layer (or Input(shape)), got {type(layer).__name__}: "
                            f"{layer!r:.100}")
        if isinstance(layer, InputLayer) and self._layers:
            raise ValueError(f"Sequential model {self.name!r}: an Input can only be the first element; the model "
                             f"already has layers {[l.name for l in self._layers]}")
        if any(existing.name == layer.name for existing in self._layers):
            raise ValueError(f"Sequential model {self.name!r}: all layers must have unique names; "
                             f"{layer.name!r} is already in the model")
        self._layers.append(layer)
        if rebuild:
            self._maybe_rebuild()
        else:
            self.built, self._outputs = False, None

    def pop(self, rebuild=True) -> Layer:
        """Remove and return the last layer."""
        if not self.layers:
            raise IndexError(f"Sequential model {self.name!r} has no layers to pop")
        layer = self._layers.pop()
        self.built, self._outputs = False, None
        if rebuild:
            self._maybe_rebuild()
        return layer

    def _maybe_rebuild(self) -> None:
        self.built, self._outputs = False, None
        first = self._layers[0] if self._layers else None
        if isinstance(first, InputLayer):
            if len(self._layers) > 1:
                self.build((None, *first.shape))
        elif first is not None and getattr(first, "_input_shape_arg", None) is not None:
            self.build((None, *first._input_shape_arg))

    def build(self, input_shape=None) -> None:
        """Build every layer for inputs of ``input_shape`` (batch axis included), recording
        each layer's output shape. An input layer is added in front if there is none.

        Raises:
            ValueError: for no layers, or a shape that differs from the model's Input.
        """
        if input_shape is None:
            raise ValueError(f"Sequential model {self.name!r}: build() needs input_shape, e.g. (None, 64)")
        if not self.layers:
            raise ValueError(f"Sequential model {self.name!r} has no layers to build; add layers first")
        input_shape = tuple(input_shape)
        first = self._layers[0]
        if isinstance(first, InputLayer):
            expected = tuple(first.shape)
            if len(expected) != len(input_shape) - 1 or any(e is not None and e != s
                                                           for e, s in zip(expected, input_shape[1:])):
                raise ValueError(f"Sequential model {self.name!r} was configured with Input shape "
                                 f"{(None, *first.shape)}; cannot build it for {input_shape}")
            input_layer = first
        else:
            first_layer = self.layers[0]  # it reads the dtype it declares (TextVectorization: text), else its own
            input_layer = InputLayer(shape=input_shape[1:],
                                     dtype=getattr(first_layer, "_input_dtype", None) or first_layer.dtype)
        x, outputs = input_layer.output, []
        for layer in self.layers:
            x = layer(x)
            outputs.append(x)
        if input_layer is not first:
            self._layers.insert(0, input_layer)
            self._auto_input = True  # made from the first data's shape: its dtype is not imposed
        self._outputs = outputs
        self._build_input_shape = (None, *input_layer.shape)
        self.built = True

    def call(self, inputs, training=None, mask=None):
        x = inputs
        if self._layers and isinstance(self._layers[0], InputLayer):
            x = conform_input(self, self._layers[0], x, cast=not getattr(self, "_auto_input", False))
        for layer in self._layers:
            if not isinstance(layer, InputLayer):
                x = layer(x)
        return x

    def _flatten_inputs(self, inputs) -> list:
        """``[inputs]``, text given the rank of a "string" Input (see ``match_text_rank``)."""
        first = self._layers[0] if self._layers else None
        return [match_text_rank(first, inputs) if isinstance(first, InputLayer) else inputs]

    # --- what the stack looks like ------------------------------------------------------
    def _input_specs(self):
        first = self._layers[0] if self._layers else None
        return [(first.name, (None, *first.shape))] if isinstance(first, InputLayer) else None

    @property
    def inputs(self) -> list:
        return [self._layers[0].output] if self._outputs is not None else []

    @property
    def outputs(self) -> list:
        return [self._outputs[-1]] if self._outputs else []

    @property
    def input_shape(self):
        self._require_built("input_shape")
        return (None, *self._layers[0].shape)

    @property
    def output_shape(self):
        self._require_built("output_shape")
        return self._outputs[-1].shape

    @property
    def output_names(self) -> list:
        return [self.layers[-1].name] if self.layers else []

    def _require_built(self, what: str) -> None:
        if self._outputs is None:
            raise ValueError(f"Sequential model {self.name!r} is not built yet, so it has no {what}; give it an "
                             "Input(shape) first, call build(input_shape), or call it on data")

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape)
        for layer in self.layers:
            shape = layer.compute_output_shape(shape)
        return shape

    # --- configuration ------------------------------------------------------------------
    def get_config(self) -> dict:
        """``{"name", "trainable", "layers": [each layer serialized], "build_input_shape"}``."""
        from ..layers import registry
        config = {"name": self.name, "trainable": self.trainable,
                  "layers": [registry.serialize(layer) for layer in self._layers]}
        if self.built:
            config["build_input_shape"] = list(self._build_input_shape)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        from ..layers import registry
        if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
            raise ValueError(f"Sequential.from_config: expected a dict with a 'layers' list, got {config!r:.200}")
        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for entry in config["layers"]:
            model.add(registry.deserialize(entry, custom_objects), rebuild=False)
        if model._layers:
            model._maybe_rebuild()
        shape = config.get("build_input_shape")
        if not model.built and shape is not None:
            model.build(tuple(shape))
        return model

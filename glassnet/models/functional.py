"""The functional model: a graph of layer calls, replayed on real data.

``x = Input((4,)); h = Dense(30)(x); y = Dense(1)(h); model = Model(x, y)`` records, for
each layer call on symbolic tensors, a ``Node`` (which layer, called on what). The model
walks these nodes back from its outputs to its inputs once, when it is created, and keeps

* the nodes in an order where every node comes after the nodes it reads from — ``call``
  runs them in that order on real tensors (a shared layer simply has several nodes);
* the layers ordered by *depth* (the longest path from the layer to an output, inputs
  deepest), ties broken by the order they were met walking back from the outputs — this is
  the order of ``model.layers`` and therefore of ``model.weights`` (Keras's rule).

Depth, as Keras computes it: an output node has depth 0; a node that feeds a node of depth
d has depth at least d + 1; a layer's depth is the largest depth of its nodes.

``get_config`` writes Keras's functional layout: each layer with its config and its
``inbound_nodes`` (the symbolic tensors it was called on, as ``[layer_name, node_index,
tensor_index]`` histories), then ``input_layers`` and ``output_layers``.
``from_config`` re-creates the layers and replays the calls.
"""
from __future__ import annotations

import numpy as np

from ..layers.base import flatten, map_structure
from ..layers.core.input_layer import InputLayer
from ..layers.node import STRING, SymbolicTensor, is_text
from ..tensor import Tensor
from .model import Model

_TENSOR_CLASS = "__keras_tensor__"


def _is_input_tensor(t) -> bool:
    return isinstance(t, SymbolicTensor) and t.node is not None and isinstance(t.node.layer, InputLayer)


def map_graph(inputs: list, outputs: list):
    """Walk the graph back from ``outputs`` to ``inputs``.

    Args:
        inputs, outputs: flat lists of SymbolicTensors.

    Returns:
        ``(nodes, layers)``: the nodes to run, in an order where each comes after those it
        reads from (input nodes excluded); the layers by decreasing depth.

    Raises:
        ValueError: if an output cannot be computed from ``inputs`` alone (a disconnected
            graph), naming the tensor and the layer that needs it.
    """
    input_ids = {id(t) for t in inputs}
    met_order, finished, depth_of_node = {}, [], {}
    visited, stack = set(), [(t, False) for t in reversed(outputs)]
    while stack:  # iterative depth-first walk; a node is finished after its parents
        tensor, parents_done = stack.pop()
        node = tensor.node
        if parents_done:
            if id(node) not in visited:
                visited.add(id(node))
                finished.append(node)
            continue
        if id(node) in visited:
            continue
        met_order.setdefault(id(node.layer), (len(met_order), node.layer))
        stack.append((tensor, True))
        if id(tensor) in input_ids or isinstance(node.layer, InputLayer):
            if id(tensor) not in input_ids:
                raise ValueError(
                    f"Graph disconnected: cannot obtain the value of {tensor!r} (the output of input layer "
                    f"{node.layer.name!r}), which is not among the model's inputs "
                    f"{[t.node.layer.name for t in inputs]}; pass it in `inputs`")
            continue
        for parent in reversed(node.input_tensors):
            if id(parent.node) not in visited:
                stack.append((parent, False))
    layer_depth = {}
    for node in reversed(finished):  # outputs first: push depths towards the inputs
        depth = max(depth_of_node.get(id(node), 0), layer_depth.get(id(node.layer), 0))
        depth_of_node[id(node)] = depth
        layer_depth[id(node.layer)] = depth
        if not isinstance(node.layer, InputLayer):
            for parent in node.parent_nodes:
                depth_of_node[id(parent)] = max(depth + 1, depth_of_node.get(id(parent), 0))
    for t in inputs:  # an input no output depends on still belongs to the model
        if id(t.node.layer) not in layer_depth:
            layer_depth[id(t.node.layer)] = max(layer_depth.values(), default=0) + 1
            met_order.setdefault(id(t.node.layer), (len(met_order), t.node.layer))
    layers = sorted((layer for _, layer in met_order.values()),
                    key=lambda layer: (-layer_depth[id(layer)], met_order[id(layer)][0]))
    nodes = [n for n in sorted(finished, key=lambda n: -depth_of_node[id(n)]) if not isinstance(n.layer, InputLayer)]
    return nodes, layers


class Functional(Model):
    """A model defined by its inputs and outputs: ``Model(inputs, outputs, name=None)``.

    ``glassnet.Model(inputs, outputs)`` returns an instance of this class.

    Args:
        inputs: a SymbolicTensor from ``Input``, or a list or dict of them.
        outputs: SymbolicTensor(s) computed from ``inputs``: one, a list, or a dict
            (its keys name the outputs, for per-output losses).
        name: the model's name (default "functional", numbered).
        trainable: whether the weights are updated by training.

    Raises:
        TypeError: if an input is not the output of ``Input``, or an output is not a
            SymbolicTensor.
        ValueError: if the graph is disconnected or a layer name appears twice.
    """

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        super().__init__(name=name, trainable=trainable, **kwargs)
        if isinstance(inputs, (list, tuple)) and len(inputs) == 1 and not isinstance(inputs[0], (list, tuple, dict)):
            inputs = inputs[0]
        for i, t in enumerate(flatten(inputs)):
            if not _is_input_tensor(t):
                raise TypeError(f"Model: inputs[{i}] must be the output of glassnet.layers.Input(...), got {t!r}")
        for i, t in enumerate(flatten(outputs)):
            if not isinstance(t, SymbolicTensor):
                raise TypeError(f"Model: outputs[{i}] must be a symbolic tensor (a layer called on Input(...)), "
                                f"got {type(t).__name__}")
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self._input_tensors = flatten(inputs)
        self._output_tensors = flatten(outputs)
        self._nodes, layers = map_graph(self._input_tensors, self._output_tensors)
        names = [layer.name for layer in layers]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"Model {self.name!r}: layer names must be unique, found {duplicates} more than once")
        self._layers = layers
        self.built = True
        self._build_input_shape = map_structure(lambda t: t.shape, inputs)

    # --- what the graph looks like --------------------------------------------------
    @property
    def inputs(self) -> list:
        return list(self._input_tensors)

    @property
    def outputs(self) -> list:
        return list(self._output_tensors)

    @property
    def input(self):
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    @property
    def input_shape(self):
        return map_structure(lambda t: t.shape, self._inputs_struct)

    @property
    def output_shape(self):
        return map_structure(lambda t: t.shape, self._outputs_struct)

    @property
    def input_names(self) -> list:
        if isinstance(self._inputs_struct, dict):
            return list(self._inputs_struct)
        return [t.node.layer.name for t in self._input_tensors]

    @property
    def output_names(self) -> list:
        if isinstance(self._outputs_struct, dict):
            return list(self._outputs_struct)
        return [t.node.layer.name for t in self._output_tensors]

    def _input_specs(self) -> list:
        return [(t.node.layer.name, t.shape) for t in self._input_tensors]

    def _nodes_of(self, layer) -> list:
        """This model's calls of ``layer``, in the order the layer recorded them."""
        mine = {id(n) for n in self._nodes}
        if isinstance(layer, InputLayer):
            return layer._inbound_nodes[:1]
        return [n for n in getattr(layer, "_inbound_nodes", []) if id(n) in mine]

    # --- running the graph ----------------------------------------------------------
    def _flatten_inputs(self, inputs) -> list:
        """The user's inputs (one, a list, or a dict by input name) in ``self.inputs`` order."""
        n, names = len(self._input_tensors), self.input_names
        if isinstance(inputs, dict):
            missing = [k for k in names if k not in inputs]
            if missing:
                raise ValueError(f"Model {self.name!r}: the inputs dict misses {missing}; expected keys {names}, "
                                 f"got {sorted(inputs)}")
            return [match_text_rank(t.node.layer, inputs[k]) for t, k in zip(self._input_tensors, names)]
        if n == 1:
            if isinstance(inputs, (list, tuple)) and len(inputs) == 1 and hasattr(inputs[0], "shape"):
                inputs = inputs[0]
            return [match_text_rank(self._input_tensors[0].node.layer, inputs)]
        if not isinstance(inputs, (list, tuple)) or len(inputs) != n:
            got = f"a {type(inputs).__name__} of {len(inputs)}" if isinstance(inputs, (list, tuple)) else \
                f"a single {type(inputs).__name__}"
            raise ValueError(f"Model {self.name!r} expects {n} inputs {names} (a list or a dict), got {got}")
        return [match_text_rank(t.node.layer, x) for t, x in zip(self._input_tensors, inputs)]

    def call(self, inputs, training=None, mask=None):
        """Run every node of the graph, in order, on the values of the inputs."""
        values = {}
        for spec, x in zip(self._input_tensors, self._flatten_inputs(inputs)):
            values[id(spec)] = conform_input(self, spec.node.layer, x)

        def value_of(t):
            return values[id(t)] if isinstance(t, SymbolicTensor) else t

        for node in self._nodes:
            outputs = node.layer(map_structure(value_of, node.inputs), *map_structure(value_of, list(node.args)),
                                 **map_structure(value_of, node.kwargs))
            for symbolic, value in zip(flatten(node.outputs), flatten(outputs)):
                values[id(symbolic)] = value
        return map_structure(value_of, self._outputs_struct)

    def compute_output_shape(self, input_shape):
        return self.output_shape

    # --- configuration --------------------------------------------------------------
    def get_config(self) -> dict:
        """Keras's functional layout: layers with inbound nodes, input and output layers."""
        from ..layers import registry

        def history(t):
            layer = t.node.layer
            return [layer.name, self._nodes_of(layer).index(t.node), t.index]

        def encode(value):
            if isinstance(value, SymbolicTensor):
                return {"class_name": _TENSOR_CLASS,
                        "config": {"shape": list(value.shape), "dtype": value.dtype, "keras_history": history(value)}}
            if isinstance(value, (list, tuple)):
                return [encode(v) for v in value]
            if isinstance(value, dict):
                return {k: encode(v) for k, v in value.items()}
            if isinstance(value, np.generic):
                return value.item()
            return value

        layers = []
        for layer in self._layers:
            entry = dict(registry.serialize(layer))
            entry["name"] = layer.name
            if not isinstance(layer, InputLayer):
                entry["build_config"] = layer.get_build_config()
            entry["inbound_nodes"] = [] if isinstance(layer, InputLayer) else [
                {"args": encode([node.inputs, *node.args]), "kwargs": encode(node.kwargs)}
                for node in self._nodes_of(layer)]
            layers.append(entry)

        def endpoints(structure):
            if isinstance(structure, SymbolicTensor):
                return [history(structure)]
            return map_structure(history, structure)

        return {"name": self.name, "trainable": self.trainable, "layers": layers,
                "input_layers": endpoints(self._inputs_struct), "output_layers": endpoints(self._outputs_struct)}

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        """Re-create the layers and replay their calls (see ``functional_from_config``)."""
        return functional_from_config(cls, config, custom_objects)


def conform_input(model, input_layer, x, cast=True):
    """``x`` as a Tensor of the input layer's dtype (if ``cast``), after checking its shape;
    for a "string" input layer, ``x`` as a NumPy array of str (see ``match_text_rank``).

    Raises:
        ValueError: naming the model, the input layer and both shapes, if the rank or a
            known axis length differs.
        TypeError: naming the model and the input layer, for numbers given to a "string"
            input or strings given to a numeric one.
    """
    expected = (None, *input_layer.shape)
    where = f"Input of model {model.name!r} (input layer {input_layer.name!r})"
    if input_layer.dtype == STRING:
        array = None if isinstance(x, Tensor) else np.asarray(x)
        if array is None or not (is_text(array) or (array.dtype == object and array.size == 0)):
            got = f"a Tensor of dtype {x.dtype}" if array is None else f"an array of dtype {array.dtype}"
            raise TypeError(f"{where} expects strings (dtype 'string'), got numbers ({got}); pass a NumPy array "
                            f"of str")
        x = match_text_rank(input_layer, array)
    elif not isinstance(x, Tensor):
        x = np.asarray(x)
        if is_text(x):
            raise TypeError(f"{where} expects numeric data (dtype {input_layer.dtype}), got strings (an array of "
                            f"dtype {x.dtype}); for text use Input(shape=(1,), dtype=\"string\") and a "
                            f"TextVectorization layer")
    shape = tuple(x.shape) if hasattr(x, "shape") else np.shape(x)
    if len(shape) != len(expected) or not all([e is None or e == s for e, s in zip(expected, shape)]):
        raise ValueError(f"{where} is incompatible: expected shape {expected}, got shape {shape}")
    if input_layer.dtype == STRING:
        return x
    if isinstance(x, Tensor):
        if cast and x.dtype != input_layer.dtype:
            from ..ops import cast
            return cast(x, input_layer.dtype)
        return x
    return Tensor(x, dtype=input_layer.dtype if cast else None)


def match_text_rank(input_layer, x):
    """Keras's rank adjustment, for text: strings of shape ``(batch,)`` given to an input of
    shape ``(1,)`` gain the trailing axis, ``(batch, 1)`` given to ``()`` lose it (views, no copy).
    Anything else is returned as it is (the shape check decides)."""
    if input_layer.dtype != STRING or not is_text(x):
        return x
    rank = len(input_layer.shape) + 1
    if x.ndim == rank - 1 and input_layer.shape and input_layer.shape[-1] in (1, None):
        return x[..., np.newaxis]
    if x.ndim == rank + 1 and x.shape[-1] == 1:
        return x[..., 0]
    return x


def _decode_history(value, created: dict):
    """Replace each serialized tensor in ``value`` by the SymbolicTensor it names (or raise
    KeyError if its layer has not been called that often yet)."""
    if isinstance(value, dict) and value.get("class_name") == _TENSOR_CLASS:
        name, node_index, tensor_index = value["config"]["keras_history"]
        return flatten(created[name][node_index])[tensor_index]
    if isinstance(value, list):
        return [_decode_history(v, created) for v in value]
    if isinstance(value, dict):
        return {k: _decode_history(v, created) for k, v in value.items()}
    return value


def functional_from_config(cls, config: dict, custom_objects: dict | None = None):
    """Build a functional model from ``get_config`` output.

    Each layer is created with ``layers.deserialize``; then, layer by layer in the saved
    (depth) order, every inbound node whose input tensors exist is replayed by calling the
    layer on them. Nodes waiting for tensors not made yet are retried on the next pass.

    Raises:
        ValueError: for a malformed config, an unknown layer class, or nodes that can
            never be replayed (the config names a tensor no layer makes).
    """
    from ..layers import registry

    if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
        raise ValueError(f"{cls.__name__}.from_config: expected a dict with a 'layers' list, got {config!r:.200}")
    layers, pending = {}, []
    created = {}  # layer name -> list of node outputs, by node index
    for entry in config["layers"]:
        layer = registry.deserialize(entry, custom_objects)
        layers[entry.get("name", layer.name)] = layer
        if isinstance(layer, InputLayer):
            created[layer.name] = [layer.output]
        else:
            created[layer.name] = []
            pending.extend((layer, node) for node in entry.get("inbound_nodes", []))
    while pending:
        waiting = []
        for layer, node in pending:
            if waiting and waiting[-1][0] is layer:  # a layer's nodes are replayed in order
                waiting.append((layer, node))
                continue
            try:
                args = _decode_history(node.get("args", []), created)
                kwargs = _decode_history(node.get("kwargs", {}), created)
            except (KeyError, IndexError):
                waiting.append((layer, node))
                continue
            created[layer.name].append(layer(*args, **kwargs))
        if len(waiting) == len(pending):
            raise ValueError(f"{cls.__name__}.from_config: cannot rebuild the calls of layers "
                             f"{sorted({layer.name for layer, _ in waiting})}: their inputs are never produced")
        pending = waiting

    def endpoints(spec):
        if isinstance(spec, list) and len(spec) == 3 and isinstance(spec[0], str):
            name, node_index, tensor_index = spec
            return flatten(created[name][node_index])[tensor_index]
        if isinstance(spec, dict):
            return {k: endpoints(v) for k, v in spec.items()}
        if not isinstance(spec, list):
            raise ValueError(f"Functional.from_config: expected [layer_name, node_index, tensor_index] or a list/dict "
                             f"of them, got {spec!r:.80}")
        return [endpoints(s) for s in spec]

    inputs, outputs = endpoints(config["input_layers"]), endpoints(config["output_layers"])
    if isinstance(inputs, list) and len(inputs) == 1:
        inputs = inputs[0]
    if isinstance(outputs, list) and len(outputs) == 1:
        outputs = outputs[0]
    return cls(inputs, outputs, name=config.get("name"), trainable=config.get("trainable", True))


__all__ = ["Functional", "map_graph", "functional_from_config", "conform_input", "match_text_rank"]

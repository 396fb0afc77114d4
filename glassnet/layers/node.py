"""The functional API's graph: symbolic tensors, the nodes that produce them, and Input.

``x = Input((4,))`` is a ``SymbolicTensor``: a placeholder with a shape (batch axis
``None``) and no values. Calling a layer on symbolic tensors does not compute; it records a
``Node`` (which layer, called on which symbolic inputs, with which keyword arguments) and
returns new symbolic tensors for its outputs. ``Model(inputs, outputs)`` then walks these
nodes back from the outputs and replays them, in order, on real data.

The output shape of a call is found by *probing*: the layer runs once, without gradients,
on zeros of the input shape with every unknown (None) axis set to 2, and once more set to
3; output axes whose length differs between the two probes are unknown (None) as well.

Text flows through a graph too: ``Input((1,), dtype="string")`` is a symbolic tensor of
dtype "string" (NumPy has no such dtype; its values are object arrays of Python ``str``).
It is probed with empty strings "", its unknown axes after the batch set to 1 (one text
per sample). A layer whose output shape the probes cannot tell (the number of tokens in
"" says nothing about real text) states it with ``compute_output_spec(inputs)``, as in
Keras; its answer replaces the probed shapes.
"""
from __future__ import annotations

import numpy as np

from .. import backend
from ..tensor import Tensor, no_grad


STRING = "string"
"""The dtype name of text tensors (object arrays of Python str)."""


def normalize_dtype(dtype) -> str:
    """A dtype's name: "string" for text ("string", "str", ``str``, ``object``, NumPy str/bytes/
    object dtypes), else NumPy's name (``backend.floatx()`` for None).

    Raises:
        TypeError: for something that is not a dtype, naming it.
    """
    if dtype is None:
        return np.dtype(backend.floatx()).name
    if isinstance(dtype, str) and dtype in (STRING, "str", "object"):
        return STRING
    if dtype in (str, bytes, object):
        return STRING
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"unknown dtype {dtype!r}; expected a NumPy dtype name such as 'float32' or 'int64', "
                        f"or 'string' for text") from None
    return STRING if dtype.kind in "USO" else dtype.name


def is_text(array) -> bool:
    """True for a NumPy array of str/bytes, or an object array whose first element is one."""
    if not isinstance(array, np.ndarray):
        return False
    if array.dtype.kind in "US":
        return True
    return array.dtype.kind == "O" and array.size > 0 and isinstance(array.flat[0], (str, bytes))


class SymbolicTensor:
    """A placeholder in a functional graph: shape and dtype, no values.

    Attributes:
        shape: tuple with ``None`` for unknown axes (always the batch axis).
        dtype: NumPy dtype name, or "string" for text.
        node: the ``Node`` that produced it.
        index: which of that node's outputs it is.
    """

    def __init__(self, shape, dtype=None, node=None, index=0, name=None):
        self.shape = tuple(None if s is None else int(s) for s in shape)
        self.dtype = normalize_dtype(dtype)
        self.node = node
        self.index = index
        self.name = name

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __repr__(self) -> str:
        made_by = self.node.layer.name if self.node is not None else "?"
        return f"<SymbolicTensor shape={self.shape} dtype={self.dtype} (from {made_by!r})>"

    def __array__(self, *args, **kwargs):
        raise TypeError(
            "A symbolic tensor (from Input or a layer called on one) has no values; "
            "build a Model(inputs, outputs) and call it on data"
        )


class Node:
    """One call of a layer in a functional graph.

    Attributes:
        layer: the layer called.
        inputs: the call's first argument, a nested structure of SymbolicTensors.
        args, kwargs: further positional and keyword arguments of the call (constants).
        outputs: the structure of SymbolicTensors the call returned.
    """

    def __init__(self, layer, inputs, args=(), kwargs=None):
        self.layer = layer
        self.inputs = inputs
        self.args = tuple(args)
        self.kwargs = dict(kwargs or {})
        self.outputs = None

    @property
    def input_tensors(self) -> list:
        """Every SymbolicTensor the call read: in ``inputs``, and in ``args``/``kwargs``
        (e.g. the ``value`` of ``attention(query, value)``)."""
        from .base import flatten
        leaves = flatten(self.inputs) + flatten(list(self.args)) + flatten(self.kwargs)
        return [t for t in leaves if isinstance(t, SymbolicTensor)]

    @property
    def parent_nodes(self) -> list:
        return [t.node for t in self.input_tensors if t.node is not None]


def _probe_values(structure, fill: int):
    """Zeros in the shape of ``structure`` with every None axis set to ``fill``; for text,
    empty strings with the batch axis set to ``fill`` and the other None axes to 1."""
    from .base import map_structure

    def make(spec):
        if isinstance(spec, SymbolicTensor) and spec.dtype == STRING:
            shape = tuple(s if s is not None else (fill if axis == 0 else 1) for axis, s in enumerate(spec.shape))
            return np.full(shape, "", dtype=object)
        if isinstance(spec, SymbolicTensor):
            shape = tuple(fill if s is None else s for s in spec.shape)
            return Tensor(np.zeros(shape, dtype=spec.dtype))
        return spec

    return map_structure(make, structure)


def _shapes_from_probes(first, second):
    """Merge two probe outputs into SymbolicTensor shapes: differing axes become None."""
    if isinstance(first, (list, tuple)):
        return type(first)(_shapes_from_probes(a, b) for a, b in zip(first, second))
    if isinstance(first, dict):
        return {k: _shapes_from_probes(first[k], second[k]) for k in first}
    shape = tuple(a if a == b else None for a, b in zip(first.shape, second.shape))
    return shape, first.dtype


def _run_probes(layer, inputs, args, kwargs):
    kwargs = {k: v for k, v in kwargs.items() if k != "training"}
    outputs = []
    with no_grad():
        for fill in (2, 3):
            outputs.append(layer(_probe_values(inputs, fill), *_probe_values(list(args), fill), training=False,
                                 **_probe_values(kwargs, fill)))
    layer._clear_losses()
    return outputs


def probe_output_shape(layer, input_shape):
    """A layer's output shape for ``input_shape`` (a shape tuple, or a list of them)."""
    def is_shape(x):
        return isinstance(x, tuple) and all(s is None or isinstance(s, (int, np.integer)) for s in x)

    if is_shape(input_shape):
        inputs = SymbolicTensor(input_shape, layer.dtype)
    else:
        inputs = [SymbolicTensor(s, layer.dtype) for s in input_shape]
    layer.build_once(input_shape)
    first, second = _run_probes(layer, inputs, (), {})
    return _map_specs(lambda spec: spec[0], _shapes_from_probes(first, second))


def symbolic_call(layer, inputs, args, kwargs):
    """Record ``layer(inputs, *args, **kwargs)`` on symbolic inputs; return symbolic outputs."""
    from .base import map_structure, shape_of

    layer.build_once(shape_of(inputs))
    if getattr(layer, "shape_by_arithmetic", False) and isinstance(inputs, SymbolicTensor) and not args:
        # convolution, pooling: the output shape is a formula, and running the layer on zeros
        # would cost as much as a real batch (VGG16's first block alone: ~350 MB of windows)
        specs = (tuple(layer.compute_output_shape(inputs.shape)), normalize_dtype(layer.dtype))
    else:
        first, second = _run_probes(layer, inputs, args, kwargs)
        specs = _shapes_from_probes(first, second)
    if hasattr(layer, "compute_output_spec"):  # the layer knows better than the probes (text)
        stated = layer.compute_output_spec(inputs, *args, **{k: v for k, v in kwargs.items() if k != "training"})
        specs = map_structure(lambda t: (tuple(t.shape), t.dtype), stated)
    node = Node(layer, inputs, args, kwargs)
    counter = iter(range(10**9))

    def make_output(spec):
        shape, dtype = spec
        return SymbolicTensor(shape, dtype, node=node, index=next(counter))

    node.outputs = _map_specs(make_output, specs)
    layer._inbound_nodes = getattr(layer, "_inbound_nodes", []) + [node]
    return node.outputs


def _map_specs(fn, specs):
    """Map over a structure whose leaves are (shape, dtype) pairs."""
    if isinstance(specs, tuple) and len(specs) == 2 and isinstance(specs[0], tuple) and \
            isinstance(specs[1], (np.dtype, str)):
        return fn(specs)
    if isinstance(specs, (list, tuple)):
        return type(specs)(_map_specs(fn, s) for s in specs)
    if isinstance(specs, dict):
        return {k: _map_specs(fn, v) for k, v in specs.items()}
    return fn(specs)

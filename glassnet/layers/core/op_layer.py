"""Ops and Python operators on symbolic tensors: each call a node of the functional model.

Keras 3 lets functional code compute with ``keras.ops`` and Python's operators on symbolic
tensors — ``res = x + inputs``, ``ops.expand_dims(x, -1)``, ``x[:, -1]`` — and each call
becomes a node of the graph. In glassnet such a call builds an ``OpLayer``: a layer with no
weights that records the *name* of the glassnet.ops function and its arguments (the symbolic
tensors, and constants such as axes, numbers, slices). A saved model stores that name and
those constants as JSON; loading looks the name up among glassnet.ops's public functions —
never code from the file.

    y = OpLayer("add", arguments)([x, inputs])     # what x + inputs records
"""
from __future__ import annotations

import numpy as np

from ... import ops
from ...tensor import Tensor
from ..base import Layer, unique_name
from ..node import SymbolicTensor

_OPERATORS = {"__add__": "add", "__sub__": "subtract", "__mul__": "multiply", "__truediv__": "divide",
              "__floordiv__": "floor_divide", "__mod__": "mod", "__pow__": "power", "__matmul__": "matmul",
              "__and__": "logical_and", "__or__": "logical_or", "__xor__": "logical_xor",
              "__lt__": "less", "__le__": "less_equal", "__gt__": "greater", "__ge__": "greater_equal"}
_UNARY = {"__neg__": "negative", "__abs__": "absolute", "__invert__": "logical_not"}


def _encode(value, tensors: list, function: str):
    """A JSON-ready template of an argument; symbolic tensors become {"__tensor__": i}."""
    if isinstance(value, SymbolicTensor):
        tensors.append(value)
        return {"__tensor__": len(tensors) - 1}
    if isinstance(value, slice):
        return {"__slice__": [_encode(v, tensors, function) for v in (value.start, value.stop, value.step)]}
    if value is Ellipsis:
        return {"__ellipsis__": True}
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v, tensors, function) for v in value]}
    if isinstance(value, list):
        return [_encode(v, tensors, function) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"__dict__": {k: _encode(v, tensors, function) for k, v in value.items()}}
    if isinstance(value, Tensor):
        value = value.numpy()
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return {"__array__": value.tolist(), "dtype": value.dtype.name}
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"ops.{function}: cannot record an argument of type {type(value).__name__} ({value!r}) in a "
                    f"functional model; use tensors, numbers, strings, axes, slices or NumPy arrays")


def _decode(template, tensors):
    if isinstance(template, list):
        return [_decode(v, tensors) for v in template]
    if not isinstance(template, dict):
        return template
    if "__tensor__" in template:
        return tensors[template["__tensor__"]]
    if "__slice__" in template:
        return slice(*[_decode(v, tensors) for v in template["__slice__"]])
    if "__ellipsis__" in template:
        return Ellipsis
    if "__tuple__" in template:
        return tuple(_decode(v, tensors) for v in template["__tuple__"])
    if "__dict__" in template:
        return {k: _decode(v, tensors) for k, v in template["__dict__"].items()}
    if "__array__" in template:
        return np.asarray(template["__array__"], dtype=template["dtype"])
    raise ValueError(f"OpLayer: unknown argument template {template!r}")


class OpLayer(Layer):
    """y = ops.<function>(*args, **kwargs), recorded in a functional model (see the module docstring).

    Args:
        function: the name of a public glassnet.ops function ("add", "expand_dims", "getitem", ...).
        arguments: {"args": [...], "kwargs": {...}}, the call's arguments as a template in which
            {"__tensor__": i} stands for the i-th input tensor.

    Raises:
        ValueError: for a name that is not a public glassnet.ops function.
    """

    def __init__(self, function, arguments=None, **kwargs):
        target = getattr(ops, function, None) if isinstance(function, str) and function in ops.__all__ else None
        if target is None or isinstance(target, type) or not callable(target):
            raise ValueError(f"OpLayer: `function` must name a public glassnet.ops function, got {function!r}")
        super().__init__(**kwargs)
        self.function = function
        self.arguments = arguments if arguments is not None else {"args": [], "kwargs": {}}

    @classmethod
    def record(cls, function: str, args, kwargs):
        """Call ``ops.<function>(*args, **kwargs)`` on symbolic tensors: the node's output tensor(s)."""
        tensors = []
        template = {"args": _encode(list(args), tensors, function), "kwargs": _encode(dict(kwargs), tensors, function)}
        template["kwargs"] = template["kwargs"]["__dict__"]
        return cls(function, template, name=unique_name(function))(tensors)

    def _convert_input(self, x):
        return x if isinstance(x, Tensor) else super()._convert_input(x)   # no cast: ops keep their dtypes

    def call(self, inputs):
        tensors = inputs if isinstance(inputs, (list, tuple)) else [inputs]
        args = _decode(self.arguments["args"], tensors)
        kwargs = {k: _decode(v, tensors) for k, v in self.arguments["kwargs"].items()}
        return getattr(ops, self.function)(*args, **kwargs)

    def get_config(self) -> dict:
        return {**super().get_config(), "function": self.function, "arguments": self.arguments}


def _binary(function, reflected=False):
    def operator(self, other):
        args = (other, self) if reflected else (self, other)
        return OpLayer.record(function, args, {})
    return operator


for _method, _function in _OPERATORS.items():
    setattr(SymbolicTensor, _method, _binary(_function))
    setattr(SymbolicTensor, "__r" + _method[2:], _binary(_function, reflected=True))
for _method, _function in _UNARY.items():
    setattr(SymbolicTensor, _method, lambda self, _f=_function: OpLayer.record(_f, (self,), {}))
SymbolicTensor.__getitem__ = lambda self, index: OpLayer.record("getitem", (self, index), {})
SymbolicTensor.__pos__ = lambda self: self

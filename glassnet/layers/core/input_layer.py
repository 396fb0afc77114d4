"""Input: the entry point of a functional model."""
from __future__ import annotations

import numpy as np

from ..base import Layer
from ..node import STRING, Node, SymbolicTensor, normalize_dtype


class InputLayer(Layer):
    """The layer behind ``Input``: it has no weights and passes data through.

    Args:
        shape: the shape of one sample (no batch axis), e.g. ``(28, 28, 1)``; use None
            for an axis of varying length (e.g. ``(None, 16)`` for sequences).
        batch_size: optional fixed batch size.
        dtype: dtype of the data (default ``backend.floatx()``; "int32"/"int64" for token ids;
            "string" for raw text, e.g. ``Input(shape=(1,), dtype="string")`` before a
            ``TextVectorization`` — "str" and ``object`` mean the same and are stored as
            "string"; the data are then NumPy arrays of str, never cast to numbers).
        name: layer name.
    """

    def __init__(self, shape=None, batch_size=None, dtype=None, name=None, **kwargs):
        if shape is None:
            raise ValueError("InputLayer: shape is required, e.g. Input(shape=(4,))")
        if isinstance(shape, int):
            shape = (shape,)
        shape = tuple(shape)
        if any(s is not None and (not isinstance(s, (int, np.integer)) or s <= 0) for s in shape):
            raise ValueError(f"InputLayer: shape must hold positive ints or None, got {shape}")
        dtype = normalize_dtype(dtype)
        super().__init__(name=name, dtype=None if dtype == STRING else dtype, **kwargs)
        self.dtype = dtype
        self.shape = shape
        self.batch_size = batch_size
        self.built = True
        node = Node(self, inputs=None)
        node.outputs = SymbolicTensor((batch_size, *shape), self.dtype, node=node, index=0, name=self.name)
        self._inbound_nodes = [node]

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {"shape": list(self.shape), "batch_size": self.batch_size, "dtype": self.dtype, "name": self.name}


def Input(shape=None, batch_size=None, dtype=None, name=None) -> SymbolicTensor:
    """A symbolic input of a functional model: ``x = Input(shape=(4,))``.

    Returns a ``SymbolicTensor`` of shape ``(batch_size, *shape)`` (batch_size None by default).
    """
    return InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, name=name).output

"""``model.summary()``: the table of layers, output shapes and parameter counts.

    Model: "sequential"
    ==============================================================================
    Layer (type)                       Output Shape                      Param #
    ==============================================================================
    dense (Dense)                      (None, 64)                          4,160
    ------------------------------------------------------------------------------
    dense_1 (Dense)                    (None, 10)                            650
    ==============================================================================
     Total params: 4,810 (18.79 KB)
     Trainable params: 4,810 (18.79 KB)
     Non-trainable params: 0 (0.00 B)

A Dense layer from n inputs to m units has n·m + m parameters (4,160 = 64·64 + 64). A
functional model whose graph is not a simple chain gets a "Connected to" column naming
the inputs of each call as ``layer_name[node][tensor]``. Before the model is built (a
``Sequential`` without ``Input`` that has seen no data), each layer shows "?" and
"0 (unbuilt)", as in Keras 3.
"""
from __future__ import annotations

import textwrap

import numpy as np

from ..layers.core.input_layer import InputLayer


def readable_memory_size(size: float) -> str:
    """Bytes as "18.79 KB" (powers of 1024, as Keras)."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def _format_shape(shape) -> str:
    if isinstance(shape, list):
        return "[" + ", ".join(_format_shape(s) for s in shape) + "]"
    if isinstance(shape, dict):
        return "{" + ", ".join(f"{k}: {_format_shape(v)}" for k, v in shape.items()) + "}"
    return "(" + ", ".join("None" if s is None else str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def _node_shapes(outputs):
    if isinstance(outputs, (list, tuple)):
        return [_node_shapes(o) for o in outputs]
    if isinstance(outputs, dict):
        return {k: _node_shapes(v) for k, v in outputs.items()}
    return outputs.shape


def _output_shape(model, layer) -> str:
    """The layer's output shape in this model (from its recorded calls when there are any)."""
    from .functional import Functional
    from .sequential import Sequential

    if isinstance(model, Sequential) and model._outputs is not None and layer in model.layers:
        return _format_shape(model._outputs[model.layers.index(layer)].shape)
    if isinstance(model, Functional):
        nodes = model._nodes_of(layer)
        if len(nodes) == 1:
            return _format_shape(_node_shapes(nodes[0].outputs))
        return "multiple" if nodes else "?"
    if isinstance(layer, InputLayer):
        return _format_shape(layer.output.shape)
    shape = getattr(layer, "_build_input_shape", None)
    if not layer.built or shape is None:
        return "?"
    if isinstance(shape, tuple) and shape:  # the batch size of the first call is not part of the shape
        shape = (None, *shape[1:])
    try:
        return _format_shape(layer.compute_output_shape(shape))
    except Exception:  # a layer that cannot say without data: show it as unknown
        return "?"


def _connections(model, layer) -> list:
    """``["input_layer[0][0]", ...]`` for each call of ``layer`` in a functional model."""
    if isinstance(layer, InputLayer):
        return ["-"]
    found = []
    for node in model._nodes_of(layer):
        for t in node.input_tensors:
            found.append(f"{t.node.layer.name}[{model._nodes_of(t.node.layer).index(t.node)}][{t.index}]")
    return found or ["-"]


def _is_chain(model) -> bool:
    """True when every layer is called once on the previous layer's single output."""
    if len(model.inputs) != 1 or len(model.outputs) != 1:
        return False
    for node in model._nodes:
        if len(model._nodes_of(node.layer)) != 1 or len(node.input_tensors) != 1:
            return False
    return True


def _rows(model, expand_nested: bool, depth: int = 0) -> list:
    """(name column, layer, depth) for each row, nested models expanded if asked."""
    from .functional import Functional
    from .model import Model
    from .sequential import Sequential

    layers = model.layers if isinstance(model, (Sequential, Functional)) else list(model._layers)
    rows = []
    for layer in layers:
        rows.append((model, layer, depth))
        if expand_nested and isinstance(layer, Model):
            rows.extend(_rows(layer, True, depth + 1))
    return rows


def print_summary(model, line_length=None, positions=None, print_fn=None, expand_nested=False,
                  show_trainable=False) -> None:
    """Print the summary table of ``model`` (see the module docstring).

    An unbuilt model prints its layers as Keras 3 does: output shape "?", parameters
    "0 (unbuilt)", totals counting only the weights that exist.
    """
    from .functional import Functional

    print_fn = print_fn or print
    connected = isinstance(model, Functional) and not _is_chain(model)
    headers = ["Layer (type)", "Output Shape", "Param #"] + (["Connected to"] if connected else []) + \
        (["Trainable"] if show_trainable else [])
    line_length = line_length or (98 if connected else 80) + (11 if show_trainable else 0)
    if positions is None:
        positions = [0.33, 0.55, 0.67, 1.0] if connected else [0.45, 0.84, 1.0]
        if show_trainable:
            positions = [p * (line_length - 11) / line_length for p in positions] + [1.0]
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    widths = [b - a for a, b in zip([0] + positions[:-1], positions)]

    def emit(cells, right=(2,)):
        wrapped = [textwrap.wrap(str(c), max(w - 2, 4)) or [""] for c, w in zip(cells, widths)]
        for i in range(max(len(w) for w in wrapped)):
            parts = []
            for k, (lines, width) in enumerate(zip(wrapped, widths)):
                text = lines[i] if i < len(lines) else ""
                parts.append(text.rjust(width - 2) + "  " if k in right else text.ljust(width))
            print_fn("".join(parts).rstrip())

    print_fn(f'Model: "{model.name}"')
    print_fn("=" * line_length)
    emit(headers, right=(2,))
    print_fn("=" * line_length)
    rows = _rows(model, expand_nested)
    for r, (owner, layer, depth) in enumerate(rows):
        params = f"{layer.count_params():,}" if layer.built else "0 (unbuilt)"
        cells = ["  " * depth + f"{layer.name} ({type(layer).__name__})", _output_shape(owner, layer), params]
        if connected:
            cells.append(", ".join(_connections(owner, layer)) if owner is model else "")
        if show_trainable:
            cells.append("Y" if layer.trainable else "N")
        emit(cells)
        print_fn(("-" if r < len(rows) - 1 else "=") * line_length)
    if not rows:
        print_fn("=" * line_length)

    def total(weights):
        return f"{sum(w.size for w in weights):,} ({readable_memory_size(sum(w.data.nbytes for w in weights))})"

    print_fn(f" Total params: {total(model.weights)}")
    print_fn(f" Trainable params: {total(model.trainable_weights)}")
    print_fn(f" Non-trainable params: {total(model.non_trainable_weights)}")
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and getattr(optimizer, "built", False):
        state = optimizer.variables()
        size = sum(np.asarray(a).size for a in state)
        print_fn(f" Optimizer params: {size:,} ({readable_memory_size(sum(np.asarray(a).nbytes for a in state))})")

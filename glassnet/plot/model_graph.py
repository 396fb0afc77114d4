"""``plot_model``: a model's layer graph as a picture, drawn with matplotlib — no Graphviz.

One box per layer (its name and class; with ``show_shapes`` the input and output shapes),
one arrow per connection: for a ``Sequential`` model the chain input → layer 1 → … →
layer n; for a functional ``Model`` every call recorded when the model was built, so
branches (one tensor read by two layers) and merges (``Concatenate``, ``Add`` reading
several tensors) appear as they were written. A layer called twice (a shared layer) is one
box with the arrows of both calls. The boxes are laid out in ranks by ``_dag`` (an input
at the top, each layer below everything it reads).

Keras's ``keras.utils.plot_model`` needs pydot and Graphviz and returns an IPython image;
this one needs only matplotlib and returns the matplotlib Figure (also exported as
``glassnet.utils.plot_model``).
"""
from __future__ import annotations

from . import _dag
from ._figure import save


def _format_shapes(tensors) -> str:
    from ..models.summary import _format_shape

    shapes = [_format_shape(t.shape) for t in tensors]
    return shapes[0] if len(shapes) == 1 else "[" + ", ".join(shapes) + "]"


def layer_graph(model) -> tuple:
    """``(layers, edges, calls_of)`` of a built model.

    ``layers`` in graph order (inputs first), ``edges`` as ``(from_layer, to_layer)`` pairs
    (one per tensor a call reads), ``calls_of`` layer id → ``[(input tensors, output), ...]``,
    one entry per call of the layer (two for a shared layer called twice).
    """
    from ..layers.core.input_layer import InputLayer
    from ..models.functional import Functional
    from ..models.sequential import Sequential

    if isinstance(model, Sequential):
        if not model.built or model._outputs is None:
            raise ValueError(f"plot_model: the Sequential model {model.name!r} is not built; give its first layer an "
                             "input shape (or start it with Input(shape)), or call model.build((None, ...))")
        layers = list(model._layers)
        edges = list(zip(layers[:-1], layers[1:]))
        symbolic = [layers[0].output] + list(model._outputs)
        calls_of = {id(layer): [([symbolic[i - 1]], symbolic[i])] for i, layer in enumerate(layers) if i > 0}
        return layers, edges, calls_of
    if isinstance(model, Functional):
        layers, edges, calls_of = list(model.layers), [], {}
        for node in model._nodes:
            for tensor in node.input_tensors:
                if tensor.node.layer not in layers:
                    layers.insert(0, tensor.node.layer)
                edges.append((tensor.node.layer, node.layer))
            calls_of.setdefault(id(node.layer), []).append((list(node.input_tensors), node.outputs))
        layers.sort(key=lambda layer: not isinstance(layer, InputLayer))  # inputs first, stable
        return layers, edges, calls_of
    raise TypeError(f"plot_model: expected a Sequential or functional Model, got {type(model).__name__} (a subclassed "
                    "Model has no recorded graph to draw)")


def _label(model, layer, calls, show_shapes, show_layer_names, show_layer_activations) -> str:
    from ..layers.core.input_layer import InputLayer
    from ..models.summary import _format_shape, _node_shapes, _output_shape

    kind = type(layer).__name__
    activation = getattr(layer, "activation", None)
    if show_layer_activations and activation is not None:
        kind += f" ({getattr(activation, '__name__', activation)})"
    lines = [f"{layer.name} ({kind})" if show_layer_names else kind]
    if show_shapes:
        if isinstance(layer, InputLayer):
            lines.append(f"shape: {_output_shape(model, layer)}")
        elif not calls:
            lines += ["in: ?", "out: ?"]
        else:   # a shared layer: each call's shapes, separated by " | "
            lines.append("in: " + " | ".join(_format_shapes(inputs) for inputs, _ in calls))
            lines.append("out: " + " | ".join(_format_shape(_node_shapes(output)) for _, output in calls))
    return "\n".join(lines)


def plot_model(model, to_file="model.png", show_shapes=True, show_layer_names=True, rankdir="TB",
               show_layer_activations=False):
    """Draw ``model``'s layer graph; save it to ``to_file`` (PNG, SVG or PDF) unless None.

    Args:
        model: a built ``Sequential`` or functional ``Model``.
        to_file: the file to write (default "model.png"), or None to only return the figure.
        show_shapes: write each layer's input and output shapes in its box.
        show_layer_names: "name (Class)" rather than only the class.
        rankdir: "TB" (top to bottom, Keras's default) or "LR" (left to right).
        show_layer_activations: add the activation of layers that have one.

    Returns:
        The matplotlib Figure: one box (``FancyBboxPatch``) per layer, one arrow
        (``FancyArrowPatch``) per connection.

    Raises:
        TypeError: a subclassed model (no graph recorded). ValueError: an unbuilt
            Sequential model, or a bad ``rankdir``.
    """
    layers, edges, calls_of = layer_graph(model)
    keys = [id(layer) for layer in layers]
    labels = {id(layer): _label(model, layer, calls_of.get(id(layer), []), show_shapes, show_layer_names,
                                show_layer_activations) for layer in layers}
    from ..layers.core.input_layer import InputLayer

    colors = {id(layer): "#fef7e0" for layer in layers if isinstance(layer, InputLayer)}
    figure, _, _, _ = _dag.draw(keys, [(id(a), id(b)) for a, b in edges], labels, rankdir=rankdir, colors=colors,
                                title=model.name)
    return save(figure, to_file)

"""``clone_model``, ``model_from_json`` and ``Model.to_json``: a model's architecture as data.

``clone_model(model)`` makes the same architecture with *new* weights (freshly initialised,
as Keras does): every layer is re-created from its config,
``layer.__class__.from_config(layer.get_config())``, and the graph is rebuilt from the
model's own config. Copy the weights over with ``clone.set_weights(model.get_weights())``.

``model.to_json()`` is the ``config.json`` of a saved model (class name, layer configs,
build and compile settings) as a JSON string; ``model_from_json(s)`` builds the model it
describes. Class names are looked up only in glassnet and its registry (never imported).
"""
from __future__ import annotations

import json

from ..layers import registry


def _default_clone(layer):
    return registry.deserialize(registry.serialize(layer))


def clone_model(model, input_tensors=None, clone_function=None, call_function=None, recursive=False):
    """A new model with ``model``'s architecture and freshly initialised weights.

    Args:
        model: a Sequential, functional or subclassed model (a subclassed one must
            implement ``get_config`` returning its constructor arguments).
        input_tensors: not supported (raises if given): the clone gets new ``Input``s of
            the same shapes.
        clone_function: ``layer → new layer`` applied to each layer (default: re-create it
            from its config). For a functional model the returned layer is itself
            re-created from its config under the original layer's name, so it may change
            arguments but cannot share weights.
        call_function, recursive: accepted for Keras compatibility when None/False.

    Returns:
        The new model, built (for Sequential and functional models) and not compiled.

    Raises:
        ValueError: for arguments glassnet does not support, or a subclassed model without
            ``get_config``.
    """
    from .functional import Functional
    from .sequential import Sequential

    if input_tensors is not None or call_function is not None:
        raise ValueError("clone_model: input_tensors and call_function are not supported; the clone gets new Inputs "
                         "of the same shapes and calls each layer as the original does")
    clone = clone_function or _default_clone
    if isinstance(model, Sequential):
        copy = Sequential([clone(layer) for layer in model.layers], name=model.name)
        shape = getattr(model, "_build_input_shape", None)
        if model.built and shape is not None and not copy.built:
            copy.build(tuple(shape))
        return copy
    if isinstance(model, Functional):
        config = model.get_config()
        if clone_function is not None:
            by_name = {layer.name: layer for layer in model.layers}
            entries = []
            for entry in config["layers"]:
                layer = by_name.get(entry.get("name"))
                if layer is not None and entry.get("inbound_nodes"):
                    replaced = registry.serialize(clone(layer))
                    replaced["config"] = {**replaced["config"], "name": layer.name}   # the graph refers to it so
                    entry = {**entry, **replaced}
                entries.append(entry)
            config = {**config, "layers": entries}
        return type(model).from_config(config)
    try:
        config = model.get_config()
    except NotImplementedError:
        raise ValueError(f"clone_model: {type(model).__name__} is a subclassed model without get_config(); implement "
                         "get_config() (returning its constructor arguments) to clone it") from None
    return type(model).from_config(config)


def to_json(model, **kwargs) -> str:
    """``model``'s architecture (and compile settings) as a JSON string (``json.dumps`` kwargs pass on)."""
    from ..saving.serialization import serialize_model

    return json.dumps(serialize_model(model), **kwargs)


def model_from_json(json_string, custom_objects=None):
    """The model ``model.to_json()`` (or Keras's ``to_json``, for the layers glassnet has)
    described, with new weights.

    Raises:
        ValueError: text that is not JSON, or a class found neither in glassnet, its
            registry nor ``custom_objects``.
    """
    from ..saving.serialization import deserialize_model

    try:
        spec = json.loads(json_string)
    except (TypeError, json.JSONDecodeError) as error:
        raise ValueError(f"model_from_json: not a JSON model description ({error})") from None
    if not isinstance(spec, dict):
        raise ValueError(f"model_from_json: expected a JSON object with 'class_name' and 'config', got {spec!r:.80}")
    return deserialize_model(spec, custom_objects, filepath="<json>")


__all__ = ["clone_model", "model_from_json", "to_json"]

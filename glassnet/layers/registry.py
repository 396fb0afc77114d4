"""Turning layers into JSON-able dicts and back, without ever running code named in a file.

``serialize(layer)`` gives ``{"class_name": "Dense", "config": layer.get_config()}``.
``deserialize(d)`` looks ``d["class_name"]`` up in exactly two places:

1. the layers glassnet itself defines (every ``Layer`` subclass in a ``glassnet.*`` module
   that has been imported — ``glassnet.layers`` imports them all);
2. the objects you registered with ``@register_serializable(package="Custom")`` (also
   re-exported as ``glassnet.saving.register_serializable``), under the name
   ``"Custom>MyLayer"``; or, for one call, the ``custom_objects={"MyLayer": MyLayer}`` you pass.

Nothing else: a saved file naming a module, a function or a class that is in neither place is
refused with a ValueError — loading never imports a module or executes code a file names.

Custom layer, saved and loaded::

    @glassnet.saving.register_serializable(package="Custom")
    class Scale(glassnet.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor
        def call(self, x):
            return x * self.factor
        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    glassnet.layers.serialize(Scale(3.0))   # {"class_name": "Custom>Scale", "config": {...}}

Functions can be registered the same way (a ``Lambda`` layer's function, for example).
"""
from __future__ import annotations

import inspect

from .base import Layer

_REGISTERED: dict = {}  # "Package>name" -> class or function
_NAMES: dict = {}  # id(object) -> "Package>name"


def register_serializable(package: str = "Custom", name: str | None = None):
    """Decorator: make a class or function findable by ``deserialize`` as ``"package>name"``.

    Args:
        package: a namespace for the name (default "Custom").
        name: the name to register under (default: the object's ``__name__``).

    Registering the same name again replaces the earlier object (convenient when a notebook
    cell defining a layer is run twice).

    Raises:
        ValueError: if ``package`` or ``name`` is empty or contains ">", or if a class has no
            ``get_config`` method (it could not be saved).
    """
    if not isinstance(package, str) or not package or ">" in package:
        raise ValueError(f"register_serializable: package must be a non-empty string without '>', got {package!r}")

    def decorator(obj):
        short = name if name is not None else getattr(obj, "__name__", None)
        if not isinstance(short, str) or not short or ">" in short:
            raise ValueError(f"register_serializable: cannot register {obj!r} under the name {short!r}; "
                             f"pass name= a non-empty string without '>'")
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise ValueError(f"register_serializable: class {obj.__name__} has no get_config() method, "
                             f"so it could not be saved")
        registered = f"{package}>{short}"
        previous = _REGISTERED.get(registered)
        if previous is not None:
            _NAMES.pop(id(previous), None)
        _REGISTERED[registered] = obj
        _NAMES[id(obj)] = registered
        return obj

    return decorator


def get_registered_name(obj) -> str | None:
    """``"Package>name"`` if ``obj`` was registered, else None."""
    registered = _NAMES.get(id(obj))
    return registered if registered is not None and _REGISTERED.get(registered) is obj else None


def get_registered_object(name: str, custom_objects: dict | None = None):
    """The object registered (or passed in ``custom_objects``) under ``name``, else None.

    ``name`` may be the full ``"Package>name"`` or, if exactly one registered object has it
    and it is not the name of a glassnet layer (which it must not shadow), the short name alone.
    """
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if name in _REGISTERED:
        return _REGISTERED[name]
    if name in _glassnet_layers():
        return None
    matches = [obj for key, obj in _REGISTERED.items() if key.split(">", 1)[1] == name]
    return matches[0] if len(matches) == 1 else None


def _glassnet_layers() -> dict:
    """Every Layer subclass defined in a glassnet module, by class name."""
    found, stack = {}, [Layer]
    while stack:
        cls = stack.pop()
        if cls.__module__.split(".")[0] == "glassnet":
            found.setdefault(cls.__name__, cls)
        stack.extend(cls.__subclasses__())
    return found


def serialize(layer) -> dict:
    """``{"class_name": ..., "config": layer.get_config()}`` (JSON-able).

    The class name is the registered ``"Package>name"`` for a registered class, else the
    class's own name (which must then be a glassnet layer to be loadable).

    Raises:
        TypeError: if ``layer`` is not a Layer.
    """
    if not isinstance(layer, Layer):
        raise TypeError(f"layers.serialize: expected a Layer, got {type(layer).__name__}")
    cls = type(layer)
    class_name = get_registered_name(cls) or cls.__name__
    return {"class_name": class_name, "config": layer.get_config()}


def deserialize(config: dict, custom_objects: dict | None = None) -> Layer:
    """Rebuild a layer from ``serialize``'s dict, looking the class up only in the registries.

    Args:
        config: ``{"class_name": str, "config": dict}``.
        custom_objects: optional ``{name: class}`` for classes not registered.

    Raises:
        ValueError: for a malformed dict or a class name that is neither a glassnet layer nor
            registered (the message says how to register it).
    """
    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
        raise ValueError(f"layers.deserialize: expected a dict with a 'class_name' string and a 'config' dict, "
                         f"got {config!r}")
    arguments = config.get("config", {})
    if not isinstance(arguments, dict):
        raise ValueError(f"layers.deserialize: 'config' of {config['class_name']!r} must be a dict, got {arguments!r}")
    name = config["class_name"]
    cls = get_registered_object(name, custom_objects)
    if cls is None:
        cls = _glassnet_layers().get(name)
    if cls is None or not (inspect.isclass(cls) and issubclass(cls, Layer)):
        raise ValueError(
            f"layers.deserialize: unknown layer class {name!r}: it is not a glassnet layer and was not registered. "
            f"Decorate the class with @glassnet.saving.register_serializable(package='Custom') before loading, "
            f"or pass custom_objects={{{name.split('>')[-1]!r}: YourLayerClass}}"
        )
    return cls.from_config(dict(arguments))


def get(identifier) -> Layer:
    """A layer from a Layer (returned as is), a ``serialize`` dict, or a class name.

    A name such as ``"Flatten"`` builds the layer with its default arguments.

    Raises:
        ValueError: for an unknown name or an identifier of another type.
    """
    if isinstance(identifier, Layer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return deserialize({"class_name": identifier, "config": {}})
    raise ValueError(f"layers.get: cannot interpret {identifier!r} ({type(identifier).__name__}); "
                     f"expected a Layer, a {{'class_name', 'config'}} dict or a layer class name")


def serialize_component(module, obj):
    """``module.serialize(obj)``, or None for None: for initializers, regularizers and
    constraints in a layer's ``get_config``."""
    return None if obj is None else module.serialize(obj)

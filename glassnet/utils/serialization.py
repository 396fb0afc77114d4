"""Keras's serialization names in ``keras.utils``, on top of glassnet's registry.

* ``register_keras_serializable(package="Custom", name=None)`` — the decorator that makes a
  class or function findable by name when a model is loaded (``"Custom>MyLayer"``); the same
  registry as ``glassnet.saving.register_serializable``.
* ``custom_object_scope({"MyLayer": MyLayer})`` — inside the ``with`` block, loading finds
  these objects by their short names too.
* ``get_custom_objects()`` — ``{name: object}`` of everything registered (a copy).
* ``serialize_keras_object(obj)`` → ``{"module", "class_name", "config", "registered_name"}``
  (Keras 3's dict); ``deserialize_keras_object(d)`` → the object again.

Deserializing looks a class name up only in ``custom_objects``, the registry, the scope,
and the classes glassnet defines in its public namespaces — it never imports the module a
dict names, so a dict cannot make glassnet run code it does not already have.
"""
from __future__ import annotations

import inspect

from ..layers import registry

_SCOPE_PACKAGE = "CustomObjectScope"


def register_keras_serializable(package="Custom", name=None):
    """Decorator: register a class or function under ``"package>name"`` (Keras's name for
    ``glassnet.saving.register_serializable``; see it for the arguments)."""
    return registry.register_serializable(package=package, name=name)


def get_registered_name(obj):
    """``"Package>name"`` for a registered object, else its ``__name__`` (as Keras)."""
    return registry.get_registered_name(obj) or getattr(obj, "__name__", type(obj).__name__)


def get_registered_object(name, custom_objects=None, module_objects=None):
    """The object registered (or in ``custom_objects`` / ``module_objects``) as ``name``, else None."""
    found = registry.get_registered_object(name, custom_objects)
    if found is None and module_objects:
        found = module_objects.get(name)
    return found


def get_custom_objects() -> dict:
    """``{registered name: object}`` for every registered object and every object of an open
    ``custom_object_scope``. A copy: add objects with ``register_keras_serializable`` or a scope."""
    found = {}
    for key, obj in registry._REGISTERED.items():
        package, short = key.split(">", 1)
        found[short if package == _SCOPE_PACKAGE else key] = obj
    return found


class custom_object_scope:
    """A ``with`` block inside which loading finds the given objects by their names.

    ``with custom_object_scope({"Scale": Scale}): model = load_model(path)`` — as passing
    ``custom_objects=`` to every load inside. Nested scopes add up; leaving a scope puts the
    registry back as it was.

    Args:
        *custom_objects: dicts ``{name: class or function}``.

    Raises:
        ValueError: an argument that is not a dict of str names.
    """

    def __init__(self, *custom_objects):
        self.custom_objects = {}
        for objects in custom_objects:
            if objects is None:
                continue
            if not isinstance(objects, dict) or not all(isinstance(k, str) and k for k in objects):
                raise ValueError(f"custom_object_scope: expected dicts {{name: object}}, got {objects!r}")
            self.custom_objects.update(objects)
        self._saved = {}

    def __enter__(self) -> "custom_object_scope":
        for name, obj in self.custom_objects.items():
            key = f"{_SCOPE_PACKAGE}>{name}"
            self._saved[key] = registry._REGISTERED.get(key)
            registry._REGISTERED[key] = obj
        return self

    def __exit__(self, *exc) -> None:
        for key, previous in self._saved.items():
            if previous is None:
                registry._REGISTERED.pop(key, None)
            else:
                registry._REGISTERED[key] = previous
        self._saved = {}


def _glassnet_classes() -> dict:
    """The public classes of glassnet's namespaces, by name (what a config may name)."""
    from .. import constraints, initializers, layers, losses, metrics, models, optimizers, regularizers

    found = {}
    for module in (constraints, initializers, regularizers, optimizers, metrics, losses, layers, models):
        for name in dir(module):
            value = getattr(module, name)
            if inspect.isclass(value) and hasattr(value, "get_config"):
                found.setdefault(name, value)
    found.update(registry._glassnet_layers())
    return found


def serialize_keras_object(obj):
    """A JSON-able description of ``obj``: Keras 3's ``{"module", "class_name", "config",
    "registered_name"}`` for an object with ``get_config``; ``{"class_name": "function", ...}``
    for a registered or glassnet function; plain values (None, numbers, str, lists, dicts of
    them) unchanged.

    Raises:
        ValueError: an object that cannot be described (no ``get_config``, not a function).
    """
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(v) for v in obj]
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    registered = registry.get_registered_name(obj if inspect.isfunction(obj) else type(obj))
    if inspect.isfunction(obj):
        return {"module": obj.__module__, "class_name": "function", "config": obj.__name__,
                "registered_name": registered or obj.__name__}
    if not hasattr(obj, "get_config"):
        raise ValueError(f"serialize_keras_object: cannot serialize {type(obj).__name__} {obj!r:.60}: it has no "
                         "get_config() method")
    return {"module": type(obj).__module__, "class_name": type(obj).__name__, "config": obj.get_config(),
            "registered_name": registered or type(obj).__name__}


def deserialize_keras_object(config, custom_objects=None, **kwargs):
    """The object ``serialize_keras_object`` described (a new instance, built by ``from_config``).

    The class is looked up, by ``registered_name`` then ``class_name``, in ``custom_objects``,
    the registry (and open scopes), then glassnet's own classes; the ``module`` field is
    informative only and never imported.

    Raises:
        ValueError: a dict without "class_name", or a name found nowhere.
    """
    if config is None or isinstance(config, (bool, int, float, str)):
        return config
    if isinstance(config, list):
        return [deserialize_keras_object(v, custom_objects) for v in config]
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"deserialize_keras_object: expected a dict with 'class_name' and 'config', got "
                         f"{config!r:.80}")
    names = [n for n in (config.get("registered_name"), config["class_name"]) if isinstance(n, str)]
    if config["class_name"] == "function":
        names = [n for n in (config.get("registered_name"), config.get("config")) if isinstance(n, str)]
    for name in names:
        found = registry.get_registered_object(name, custom_objects)
        if found is None and config["class_name"] == "function":
            from .. import activations

            found = getattr(activations, name, None) if inspect.isfunction(getattr(activations, name, None)) else None
        if found is None and config["class_name"] != "function":
            found = _glassnet_classes().get(name)
        if found is not None:
            if config["class_name"] == "function":
                return found
            return found.from_config(dict(config.get("config") or {}))
    raise ValueError(f"deserialize_keras_object: unknown object {names[0] if names else config!r}: not a glassnet "
                     "class, not registered and not in custom_objects. Decorate it with "
                     "@glassnet.utils.register_keras_serializable() or pass custom_objects={name: object}; "
                     "nothing named in a config is ever imported")


__all__ = ["register_keras_serializable", "get_registered_name", "get_registered_object", "get_custom_objects",
           "custom_object_scope", "serialize_keras_object", "deserialize_keras_object"]

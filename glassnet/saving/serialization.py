"""Models to JSON-able dicts and back; classes are looked up, never imported.

``config.json`` of a model file holds (Keras 3's layout)::

    {"module": "glassnet.models",               # informative only: never imported
     "class_name": "Sequential",               # or "Functional", or "Custom>MyModel"
     "config": model.get_config(),              # layers, their configs, the graph
     "build_config": model.get_build_config(),  # input shapes, to build before loading weights
     "compile_config": {"optimizer": {...}, "loss": ..., "metrics": ..., "loss_weights": ...}}

``class_name`` is looked up in exactly three places: ``custom_objects`` given to
``load_model``, the classes registered with ``@register_serializable`` (names
"Package>Name"), and the layer and model classes glassnet defines. Nothing else: a file
naming ``"os.system"`` or any class not found there is refused with a ``ValueError``, and
no module named in a file is ever imported.
"""
from __future__ import annotations

import inspect

import numpy as np

from ..layers import registry


_CONFIG_ERRORS = (TypeError, KeyError, AttributeError, IndexError, OverflowError, ZeroDivisionError, RecursionError,
                  NotImplementedError, MemoryError)
"""What a constructor may raise on config values a file made up (reported as ValueError naming
the file): a string where a list of node references belongs recurses forever in a naive walk,
a layer of 2**31 units cannot be allocated."""


# --- classes -----------------------------------------------------------------------------
def class_name_of(obj) -> str:
    """The name ``load_model`` will look ``obj``'s class up by: registered name or class name."""
    cls = type(obj)
    for klass in cls.__mro__:
        # a functional subclass is re-typed by glassnet.models into a same-named subclass
        # of itself and Functional: it is saved under the name its user class was registered with
        registered = registry.get_registered_name(klass)
        if registered is not None and klass.__name__ == cls.__name__:
            return registered
    return cls.__name__


def lookup_class(name, custom_objects=None, filepath: str = "<config>"):
    """The Layer/Model class called ``name``, from custom_objects, the registry, or glassnet.

    Raises:
        ValueError: naming the file and the class if it is found in none of them.
    """
    from .. import layers as _layers  # noqa: F401  (defines glassnet's layer classes)
    from .. import convert as _convert  # noqa: F401  (defines the converted-sklearn model and operators)
    from .. import models as _models  # noqa: F401  (defines Sequential, Functional, Model)
    from ..layers.base import Layer

    if not isinstance(name, str) or not name:
        raise ValueError(f"{filepath!r}: 'class_name' must be a non-empty string, got {name!r}")
    cls = registry.get_registered_object(name, custom_objects)
    if cls is None:
        cls = registry._glassnet_layers().get(name)
    if cls is None or not (inspect.isclass(cls) and issubclass(cls, Layer)):
        raise ValueError(
            f"{filepath!r}: unknown class {name!r}: it is not a glassnet layer or model, and was not registered. "
            "Loading never imports code named in a file; decorate your class with "
            "@glassnet.saving.register_serializable(package='Custom') before loading, or pass "
            f"custom_objects={{{name.split('>')[-1]!r}: YourClass}}")
    return cls


def _call_with_custom_objects(method, config, custom_objects):
    """``method(config, custom_objects=...)`` if it takes custom_objects, else ``method(config)``."""
    try:
        accepts_custom = "custom_objects" in inspect.signature(method).parameters
    except (TypeError, ValueError):
        accepts_custom = False
    if accepts_custom:
        return method(config, custom_objects=custom_objects)
    return method(config)


# --- checking a file's spec before anything is built ----------------------------------
SPEC_FIELDS = {"module": (str, type(None)), "class_name": (str,), "config": (dict,), "registered_name": (str, type(None)),
               "build_config": (dict, type(None)), "compile_config": (dict, type(None))}
"""The fields of ``config.json`` and the JSON types each may have."""
MAX_INPUT_ELEMENTS = 1 << 24
"""The most elements one sample of the saved input shapes may have (a zeros batch of one
sample is built from them): 16 Mi, e.g. a 2048×2048×4 image."""


def check_shape_tree(value, filepath: str, what: str = "entry 'config.json': build_config.input_shape") -> int:
    """Elements per sample of a saved shape (or list/dict of shapes), after checking it.

    A shape is a list of ints >= 0 or None (the batch axis); the product over all shapes,
    None counted as 1, must stay under ``MAX_INPUT_ELEMENTS``.

    Raises:
        ValueError: naming the file, for anything else.
    """
    def walk(node, depth):
        if depth > 8:
            raise ValueError(f"{filepath!r}: {what} nests shapes more than 8 levels deep")
        if node is None:
            return 0
        if isinstance(node, dict):
            return sum(walk(v, depth + 1) for v in node.values())
        if not isinstance(node, (list, tuple)):
            raise ValueError(f"{filepath!r}: {what} must be a shape (a list of ints and None) or a list/dict of "
                             f"shapes, got {node!r:.80}")
        if all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in node):
            if any(v is not None and not 0 <= v <= MAX_INPUT_ELEMENTS for v in node):
                raise ValueError(f"{filepath!r}: {what} has a dimension outside [0, {MAX_INPUT_ELEMENTS}]: {node!r:.80}")
            elements = 1
            for v in node[1:]:
                elements *= 1 if v is None else v
            return elements
        return sum(walk(v, depth + 1) for v in node)

    elements = walk(value, 0)
    if elements > MAX_INPUT_ELEMENTS:
        raise ValueError(f"{filepath!r}: {what} declares {elements} elements per sample (at most "
                         f"{MAX_INPUT_ELEMENTS} are built)")
    return elements


def check_spec(spec: dict, filepath: str) -> None:
    """Check the fields of a ``config.json`` object before any class is looked up or built.

    Raises:
        ValueError: naming the file, for an unknown field, a field of the wrong JSON type
            (``build_config: true``, ``config: []``, ...), or saved input shapes that are
            malformed or too large.
    """
    unknown = sorted(set(spec) - set(SPEC_FIELDS))
    if unknown:
        raise ValueError(f"{filepath!r}: entry 'config.json' has unknown fields {unknown[:5]}; it holds "
                         f"{list(SPEC_FIELDS)}")
    for key, types in SPEC_FIELDS.items():
        if key in ("class_name", "config") and key not in spec:
            raise ValueError(f"{filepath!r}: entry 'config.json' has no {key!r}")
        if key in spec and not isinstance(spec[key], types):
            expected = " or ".join("null" if t is type(None) else {"str": "a string", "dict": "an object"}[t.__name__]
                                   for t in types)
            raise ValueError(f"{filepath!r}: entry 'config.json': {key!r} must be {expected}, got "
                             f"{spec[key]!r:.80}")
    if spec.get("build_config") is not None:
        check_shape_tree(spec["build_config"].get("input_shape"), filepath)


# --- shapes ------------------------------------------------------------------------------
def to_shapes(value):
    """JSON lists back to shape tuples: ``[None, 4]`` → ``(None, 4)``; lists of shapes stay lists."""
    if isinstance(value, dict):
        return {k: to_shapes(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        if all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in value):
            return tuple(value)
        return [to_shapes(v) for v in value]
    return value


def _zeros_for(shape, dtype):
    if isinstance(shape, dict):
        return {k: _zeros_for(v, dtype) for k, v in shape.items()}
    if isinstance(shape, list):
        return [_zeros_for(s, dtype) for s in shape]
    return np.zeros(tuple(1 if s is None else s for s in shape), dtype=dtype)


def build_model(model, build_config) -> None:
    """Create ``model``'s weights from its build config (input shapes) before loading them.

    Uses ``model.build_from_config`` when the class has one; otherwise, if the model is
    not built yet, runs it once (without gradients) on zeros of the saved input shape —
    which is how a subclassed model creates the weights of the layers it calls.
    """
    from ..tensor import no_grad

    if hasattr(model, "build_from_config") and build_config:
        model.build_from_config(build_config)
        return
    shape = to_shapes((build_config or {}).get("input_shape"))
    if shape is None or (model.built and model.weights):
        return
    with no_grad():
        model(_zeros_for(shape, model.dtype), training=False)
    model.built = True


# --- the model ---------------------------------------------------------------------------
def serialize_model(model, filepath: str = "<model>") -> dict:
    """The ``config.json`` dict of ``model`` (architecture, build and compile settings).

    Raises:
        ValueError: if the model cannot describe itself (``get_config`` not implemented).
    """
    try:
        config = model.get_config()
    except NotImplementedError as error:
        raise ValueError(f"cannot save {filepath!r}: {type(model).__name__}.get_config() is not implemented "
                         f"({error}); a subclassed model must return its constructor arguments from get_config() "
                         "to be saved whole (or save only its weights with save_weights)") from None
    return {"module": type(model).__module__ if type(model).__module__.startswith("glassnet") else None,
            "class_name": class_name_of(model), "config": config,
            "build_config": model.get_build_config() if hasattr(model, "get_build_config") else None,
            "compile_config": compile_config_of(model)}


def deserialize_model(spec: dict, custom_objects=None, filepath: str = "<config>"):
    """A new, built model (weights freshly initialised) from ``serialize_model``'s dict.

    Raises:
        ValueError: naming the file, for a malformed config or an unknown class.
    """
    if not isinstance(spec.get("config"), dict):
        raise ValueError(f"{filepath!r}: config.json must hold a 'config' object describing the model")
    build_config = spec.get("build_config")
    if build_config is not None and not isinstance(build_config, dict):
        raise ValueError(f"{filepath!r}: config.json's 'build_config' must be an object or null, got "
                         f"{build_config!r:.80}")
    if build_config is not None:
        check_shape_tree(build_config.get("input_shape"), filepath)
    cls = lookup_class(spec.get("class_name"), custom_objects, filepath)
    try:
        model = _call_with_custom_objects(cls.from_config, dict(spec["config"]), custom_objects)
        build_model(model, build_config)
    except _CONFIG_ERRORS as error:
        raise ValueError(f"{filepath!r}: cannot rebuild {spec.get('class_name')!r} from its config "
                         f"({_plain(error)})") from None
    except ValueError as error:       # a layer refusing a value: name the file it came from
        if repr(filepath) in str(error):
            raise
        raise ValueError(f"{filepath!r}: cannot rebuild {spec.get('class_name')!r} from its config ({error})") \
            from None
    return model


# --- compile settings ------------------------------------------------------------------
def compile_config_of(model):
    """The arguments ``compile`` was given, JSON-able (``model.get_compile_config()``);
    None for an uncompiled model."""
    if not hasattr(model, "get_compile_config"):
        return None
    return model.get_compile_config()


def compile_from_config(model, config: dict, custom_objects=None, filepath: str = "<config>") -> None:
    """Compile ``model`` with the saved settings (``model.compile_from_config``).

    Raises:
        ValueError: naming the file, if the settings are malformed or name an unknown
            optimizer, loss or metric.
    """
    if not isinstance(config, dict) or not isinstance(config.get("optimizer"), dict):
        raise ValueError(f"{filepath!r}: 'compile_config' must be an object with an 'optimizer' object, "
                         f"got {config!r:.200}")
    if not hasattr(model, "compile_from_config"):
        raise ValueError(f"{filepath!r}: {type(model).__name__} cannot be compiled (no compile_from_config); "
                         "load it with compile=False")
    try:
        _call_with_custom_objects(model.compile_from_config, config, custom_objects)
    except _CONFIG_ERRORS as error:
        raise ValueError(f"{filepath!r}: cannot compile with the saved settings ({type(error).__name__}: "
                         f"{error})") from None
    except ValueError as error:
        if repr(filepath) in str(error):
            raise
        raise ValueError(f"{filepath!r}: cannot compile with the saved settings ({error})") from None


def _plain(error) -> str:
    """A constructor's TypeError in the words of a config file: which argument is missing or unknown."""
    import re

    text = str(error)
    missing = re.search(r"(\w+)\.__init__\(\) missing \d+ required (?:positional |keyword-only )?arguments?: (.*)", text)
    if missing:
        return f"{missing.group(1)}'s config lacks its required argument(s) {missing.group(2)}"
    unknown = re.search(r"(\w+)\.__init__\(\) got an unexpected keyword argument '(\w+)'", text)
    if unknown:
        return f"{unknown.group(1)} has no argument {unknown.group(2)!r}"
    return f"{type(error).__name__}: {text}"

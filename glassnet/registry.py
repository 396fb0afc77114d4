"""Name tables: how every namespace turns an identifier into an object, and back.

Constraints, regularizers, initializers, activations, losses, metrics, optimizers and
learning-rate schedules each declare one ``Registry`` — the namespace's name, what one
entry is called, and its table of names — and their module's ``get``, ``serialize`` and
``deserialize`` are the registry's::

    _REGISTRY = Registry("constraints", "constraint", {"MaxNorm": MaxNorm, "max_norm": MaxNorm})
    _REGISTRY.get("max_norm")                      # MaxNorm()
    _REGISTRY.serialize(MaxNorm(3))                # {"class_name": "MaxNorm", "config": {...}}
    _REGISTRY.deserialize({"class_name": "MaxNorm", "config": {"max_value": 3}})

``get(identifier)``, in order:

====================================  ===========================================================
identifier                            result
====================================  ===========================================================
None                                  ``default`` (None; activations: ``linear``)
an instance of ``instances_of``       itself (optimizers, schedules)
a name                                the entry, called with no arguments where ``call_names``
                                      ("max_norm" → ``MaxNorm()``), else the entry itself
                                      ("relu" → ``relu``, "mse" → ``mean_squared_error``)
a config dict                         ``cls.from_config(d["config"])`` for the class that
                                      ``d["class_name"]`` names
a class                               an instance with its defaults, if a subclass of
                                      ``instantiate``
any other callable                    itself (unless ``instances_of`` is set)
====================================  ===========================================================

A name is looked up first in the caller's ``custom_objects``, then in the table; an unknown
name raises a ValueError that names the namespace and lists the valid names.

A namespace with a rule of its own overrides a method in a small subclass: activations bind
a config's arguments with ``functools.partial`` (``build``), optimizers match names in any
case (``lookup``) and read a schedule inside their config (``build``). Losses and metrics use
``KerasRegistry``: Keras 3's layout, in which a plain function is written
``{"class_name": "function", "config": its name}``.
"""
from __future__ import annotations

import inspect
import re


def to_snake_case(name: str) -> str:
    """``"MeanSquaredError"`` → ``"mean_squared_error"`` (Keras's rule for names)."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def _a(noun: str) -> str:
    """``noun`` with its indefinite article: "a Constraint", "an Initializer"."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def deserialize_item(config: dict, key: str, deserialize, custom_objects=None) -> dict:
    """A copy of ``config`` in which ``config[key]``, if a name or a dict, is the object it names.

    For configs that hold another identifier, e.g. the ``"fn"`` of a loss or metric wrapper:
    ``config[key] = deserialize(config[key], custom_objects)``.
    """
    config = dict(config)
    if isinstance(config.get(key), (dict, str)):
        config[key] = deserialize(config[key], custom_objects)
    return config


class Registry:
    """One namespace's table of names, with ``lookup``, ``serialize``, ``deserialize`` and ``get``.

    Args:
        namespace: the module's name, as error messages call it ("constraints").
        kind: what one entry is, in words ("constraint", "learning rate schedule").
        entries: the table, name → class or function.
        instances_of: where the namespace holds objects rather than functions (optimizers,
            schedules), their base class: ``get`` returns its instances as they are and
            accepts no other callable, ``serialize`` refuses anything else (TypeError), and
            ``deserialize`` takes a config dict only (not a name).
        default: what ``get(None)`` gives.
        call_names: a name stands for its entry called with no arguments ("max_norm" →
            ``MaxNorm()``); False: for the entry itself ("relu" → ``relu``).
        instantiate: ``get`` calls a class with no arguments when it is a subclass of this
            (``object``: any class; None: never).
        functions: accept Keras's ``{"class_name": "function", "config": name}`` layout.
    """

    def __init__(self, namespace: str, kind: str, entries: dict, *, instances_of=None, default=None,
                 call_names: bool = True, instantiate=object, functions: bool = False):
        self.namespace = namespace
        self.kind = kind
        self.entries = entries
        self.instances_of = instances_of
        self.default = default
        self.call_names = call_names
        self.instantiate = instantiate
        self.functions = functions

    def lookup(self, name, custom_objects=None):
        """The class or function called ``name``: from ``custom_objects`` first, then the table.

        Raises:
            ValueError: for an unknown name (the message lists the valid ones).
        """
        if custom_objects and name in custom_objects:
            return custom_objects[name]
        if name not in self.entries:
            raise ValueError(self.unknown(name))
        return self.entries[name]

    def unknown(self, name) -> str:
        """The message for an unknown name."""
        return f"{self.namespace}: unknown {self.kind} {name!r}; expected one of: {', '.join(sorted(self.entries))}"

    def uninterpretable(self, identifier) -> str:
        """The message for an identifier ``get`` cannot use."""
        expected = "a callable" if self.instances_of is None else _a(self.instances_of.__name__)
        return (f"{self.namespace}.get: could not interpret identifier {identifier!r} "
                f"({type(identifier).__name__}); expected None, a name, a config dict or {expected}")

    def serialize(self, obj) -> dict:
        """``{"class_name": ..., "config": obj.get_config()}``.

        Raises:
            TypeError: where ``instances_of`` is set, for anything not an instance of it.
            ValueError: for an object without ``get_config`` (a plain function).
        """
        if self.instances_of is not None and not isinstance(obj, self.instances_of):
            raise TypeError(f"{self.namespace}.serialize: expected {_a(self.instances_of.__name__)}, "
                            f"got {type(obj).__name__}")
        if not hasattr(obj, "get_config"):
            raise ValueError(f"{self.namespace}.serialize: expected {_a(self.kind.capitalize())} "
                             f"(with get_config), got {obj!r}")
        return {"class_name": type(obj).__name__, "config": obj.get_config()}

    def from_name(self, name: str, custom_objects=None):
        """What a name stands for: its entry, called with no arguments where ``call_names``."""
        entry = self.lookup(name, custom_objects)
        return entry() if self.call_names else entry

    def deserialize(self, config, custom_objects=None):
        """The object a name (unless ``instances_of``) or a ``{"class_name": ..., "config": {...}}``
        dict describes.

        Other keys of Keras 3's layout (``"module"``, ``"registered_name"``) are ignored.

        Raises:
            ValueError: for an unknown name or a malformed dict.
        """
        names = self.instances_of is None  # objects (optimizers, schedules) need their config dict
        if names and isinstance(config, str):
            return self.from_name(config, custom_objects)
        if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
            expected = "a name or a dict" if names else "a dict"
            raise ValueError(f"{self.namespace}.deserialize: config must be {expected} with a 'class_name' "
                             f"string, got {config!r}")
        name, arguments = config["class_name"], config.get("config") or {}
        if self.functions and name == "function":
            return self.lookup(config.get("config"), custom_objects)
        cls = self.lookup(name, custom_objects)
        if not isinstance(arguments, dict):
            raise ValueError(f"{self.namespace}.deserialize: 'config' of {name!r} must be a dict, got {arguments!r}")
        return self.build(cls, arguments, custom_objects)

    def build(self, cls, arguments: dict, custom_objects=None):
        """``cls.from_config(arguments)`` (or ``cls(**arguments)`` for a plain function)."""
        return cls.from_config(arguments) if hasattr(cls, "from_config") else cls(**arguments)

    def get(self, identifier):
        """The object ``identifier`` stands for (see the module docstring's table).

        Raises:
            ValueError: for an unknown name or an identifier of another type.
        """
        if identifier is None:
            return self.default
        if self.instances_of is not None and isinstance(identifier, self.instances_of):
            return identifier
        if isinstance(identifier, str):
            obj = self.from_name(identifier)
        elif isinstance(identifier, dict):
            obj = self.deserialize(identifier)
        else:
            obj = identifier
        if self.instantiate is not None and inspect.isclass(obj) and issubclass(obj, self.instantiate):
            return obj()
        if isinstance(obj, self.instances_of) if self.instances_of is not None else callable(obj):
            return obj
        raise ValueError(self.uninterpretable(identifier))


class KerasRegistry(Registry):
    """The registry of losses and metrics, whose entries are classes and plain functions.

    As Keras 3: ``serialize`` writes ``{"module": "glassnet.losses", "class_name": ...,
    "config": ..., "registered_name": None}`` for an object of ``base`` and
    ``{..., "class_name": "function", "config": its name, "registered_name": "function"}``
    for a function; a name stands for the entry itself ("mse" → the function,
    "MeanSquaredError" → the class, which ``get`` instantiates); a dict must name a class
    of ``base``, and the function a wrapper holds (its config's ``"fn"``) is deserialized
    too; the messages are Keras's ("Unknown loss ...", "Could not interpret ...").

    Args:
        namespace, kind, entries: as ``Registry``.
        base: the namespace's base class (``Loss``, ``Metric``).
    """

    def __init__(self, namespace: str, kind: str, entries: dict, *, base: type):
        super().__init__(namespace, kind, entries, call_names=False, instantiate=base, functions=True)
        self.base = base

    def unknown(self, name) -> str:
        return f"Unknown {self.kind} {name!r}; known names: {sorted(self.entries)} (or pass custom_objects=)"

    def uninterpretable(self, identifier) -> str:
        return f"Could not interpret {self.kind} identifier: {identifier!r}"

    def serialize(self, obj) -> dict:
        """A ``base`` object or a function as a JSON-able dict (Keras 3's layout, above).

        Raises:
            ValueError: for anything else.
        """
        module = f"glassnet.{self.namespace}"
        if isinstance(obj, self.base):
            return {"module": module, "class_name": type(obj).__name__, "config": obj.get_config(),
                    "registered_name": None}
        if callable(obj) and hasattr(obj, "__name__"):
            return {"module": module, "class_name": "function", "config": obj.__name__,
                    "registered_name": "function"}
        raise ValueError(f"{self.namespace}.serialize: cannot serialize {obj!r}; expected "
                         f"{_a(self.base.__name__)} instance or a {self.kind} function")

    def build(self, cls, arguments: dict, custom_objects=None):
        """``cls.from_config(arguments)``, with a wrapped function (``"fn"``) deserialized first.

        Raises:
            ValueError: if ``cls`` is not a subclass of ``base``.
        """
        if not (inspect.isclass(cls) and issubclass(cls, self.base)):
            raise ValueError(f"{self.namespace}.deserialize: {getattr(cls, '__name__', cls)!r} is not "
                             f"{_a(self.base.__name__)} class")
        return cls.from_config(deserialize_item(arguments, "fn", self.deserialize, custom_objects))

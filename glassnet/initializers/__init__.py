"""Weight initializers (Keras 3's ``keras.initializers``), one family per file.

=======================  ==========================================================
file                     initializers
=======================  ==========================================================
initializer.py           Initializer (base), RandomInitializer (seeding), compute_fans
constant.py              Zeros, Ones, Constant, Identity
random_initializers.py   RandomNormal, RandomUniform, TruncatedNormal
variance_scaling.py      VarianceScaling, GlorotUniform/Normal (Xavier), HeUniform/Normal,
                         LecunUniform/Normal, FanInUniform (the course's ±1/√fan_in)
orthogonal.py            Orthogonal
=======================  ==========================================================

Each is a class called as ``init(shape, dtype=None) -> np.ndarray``; ``get`` finds one
by its Keras name::

    from glassnet import initializers
    initializers.get("he_normal")((784, 256))
    initializers.get({"class_name": "RandomNormal", "config": {"stddev": 0.1}})
    initializers.serialize(initializers.Orthogonal(gain=2.0))
    # {"class_name": "Orthogonal", "config": {"gain": 2.0, "seed": None}}
"""
from __future__ import annotations

import inspect
import re

from .constant import Constant, Identity, Ones, Zeros
from .initializer import Initializer, RandomInitializer, compute_fans
from .orthogonal import Orthogonal, OrthogonalInitializer
from .random_initializers import RandomNormal, RandomUniform, TruncatedNormal
from .variance_scaling import (
    FanInUniform,
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    VarianceScaling,
)

_CLASSES = (Zeros, Ones, Constant, Identity, RandomNormal, RandomUniform, TruncatedNormal,
            VarianceScaling, GlorotUniform, GlorotNormal, HeUniform, HeNormal, LecunUniform,
            LecunNormal, FanInUniform, Orthogonal)


def _snake_case(name: str) -> str:
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


# Keras's names: each class name, its snake_case form, and Keras's aliases.
_REGISTRY = {cls.__name__: cls for cls in _CLASSES}
_REGISTRY.update({_snake_case(cls.__name__): cls for cls in _CLASSES})
_REGISTRY.update({
    "uniform": RandomUniform, "normal": RandomNormal, "one": Ones, "zero": Zeros,
    "OrthogonalInitializer": Orthogonal, "orthogonal_initializer": Orthogonal,
    "IdentityInitializer": Identity,
})

# Keras also exports each class under its snake_case name (keras.initializers.he_normal).
zeros, ones, constant, identity = Zeros, Ones, Constant, Identity
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
variance_scaling, orthogonal, fan_in_uniform = VarianceScaling, Orthogonal, FanInUniform
glorot_uniform, glorot_normal, he_uniform, he_normal = GlorotUniform, GlorotNormal, HeUniform, HeNormal
lecun_uniform, lecun_normal = LecunUniform, LecunNormal


def _lookup(name: str, custom_objects=None):
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if name not in _REGISTRY:
        raise ValueError(
            f"initializers: unknown initializer {name!r}; expected one of: {', '.join(sorted(_REGISTRY))}"
        )
    return _REGISTRY[name]


def serialize(initializer) -> dict:
    """``{"class_name": ..., "config": initializer.get_config()}``.

    Raises:
        ValueError: if ``initializer`` has no ``get_config`` (a plain function).
    """
    if not hasattr(initializer, "get_config"):
        raise ValueError(
            f"initializers.serialize: expected an Initializer (with get_config), got {initializer!r}"
        )
    return {"class_name": type(initializer).__name__, "config": initializer.get_config()}


def deserialize(config, custom_objects=None) -> Initializer:
    """The initializer a name or ``{"class_name", "config"}`` dict describes.

    Args:
        config: a name (``"glorot_uniform"``, ``"GlorotUniform"``) or a dict; extra keys
            of Keras 3's format (``"module"``, ``"registered_name"``) are ignored.
        custom_objects: optional dict of extra name → class.

    Raises:
        ValueError: for an unknown name or a malformed dict.
    """
    if isinstance(config, str):
        return _lookup(config, custom_objects)()
    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
        raise ValueError(
            f"initializers.deserialize: config must be a name or a dict with a 'class_name' string, got {config!r}"
        )
    cls = _lookup(config["class_name"], custom_objects)
    arguments = config.get("config") or {}
    if not isinstance(arguments, dict):
        raise ValueError(f"initializers.deserialize: 'config' must be a dict, got {arguments!r}")
    return cls.from_config(arguments) if hasattr(cls, "from_config") else cls(**arguments)


def get(identifier):
    """The initializer for ``identifier``.

    Args:
        identifier: None (→ None), a name, a config dict, an Initializer class
            (instantiated with its defaults) or any callable ``f(shape, dtype=None)``
            (returned as it is).

    Raises:
        ValueError: for an unknown name or an identifier of another type.
    """
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if inspect.isclass(identifier):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(
        f"initializers.get: cannot interpret identifier {identifier!r} "
        f"({type(identifier).__name__}); expected None, a name, a config dict or a callable"
    )


__all__ = [
    "Initializer", "RandomInitializer", "compute_fans", *[cls.__name__ for cls in _CLASSES],
    "OrthogonalInitializer", "get", "serialize", "deserialize",
]

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
stft.py                  STFT (Conv1D kernels of a windowed Fourier transform)
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

from ..registry import Registry, to_snake_case
from .constant import Constant, Identity, Ones, Zeros
from .initializer import Initializer, RandomInitializer, compute_fans
from .orthogonal import Orthogonal, OrthogonalInitializer
from .random_initializers import RandomNormal, RandomUniform, TruncatedNormal
from .stft import STFT
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
            LecunNormal, FanInUniform, Orthogonal, STFT)


# Keras's names: each class name, its snake_case form, and Keras's aliases.
_REGISTRY = Registry("initializers", "initializer", {
    **{cls.__name__: cls for cls in _CLASSES},
    **{to_snake_case(cls.__name__): cls for cls in _CLASSES},
    "uniform": RandomUniform, "normal": RandomNormal, "one": Ones, "zero": Zeros,
    "OrthogonalInitializer": Orthogonal, "orthogonal_initializer": Orthogonal,
    "IdentityInitializer": Identity,
    "STFTInitializer": STFT,
})

# Keras also exports each class under its snake_case name (keras.initializers.he_normal).
zeros, ones, constant, identity = Zeros, Ones, Constant, Identity
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
variance_scaling, orthogonal, fan_in_uniform = VarianceScaling, Orthogonal, FanInUniform
glorot_uniform, glorot_normal, he_uniform, he_normal = GlorotUniform, GlorotNormal, HeUniform, HeNormal
lecun_uniform, lecun_normal = LecunUniform, LecunNormal
stft = STFT
# Keras's other names of the same classes.
IdentityInitializer, STFTInitializer = Identity, STFT


def serialize(initializer) -> dict:
    """``{"class_name": ..., "config": initializer.get_config()}``.

    Raises:
        ValueError: if ``initializer`` has no ``get_config`` (a plain function).
    """
    return _REGISTRY.serialize(initializer)


def deserialize(config, custom_objects=None) -> Initializer:
    """The initializer a name or ``{"class_name", "config"}`` dict describes.

    Args:
        config: a name (``"glorot_uniform"``, ``"GlorotUniform"``) or a dict; extra keys
            of Keras 3's format (``"module"``, ``"registered_name"``) are ignored.
        custom_objects: optional dict of extra name → class.

    Raises:
        ValueError: for an unknown name or a malformed dict.
    """
    return _REGISTRY.deserialize(config, custom_objects)


def get(identifier):
    """The initializer for ``identifier``.

    Args:
        identifier: None (→ None), a name, a config dict, an Initializer class
            (instantiated with its defaults) or any callable ``f(shape, dtype=None)``
            (returned as it is).

    Raises:
        ValueError: for an unknown name or an identifier of another type.
    """
    return _REGISTRY.get(identifier)


__all__ = [
    "Initializer", "RandomInitializer", "compute_fans", *[cls.__name__ for cls in _CLASSES],
    "OrthogonalInitializer", "get", "serialize", "deserialize",
    "IdentityInitializer", "STFTInitializer",
]

"""Optimizers: the update rules that turn gradients into weight changes (Keras 3 API).

Each optimizer is one file whose docstring is its algorithm box:

=============  ==========  ===========================================================
class          string id   file
=============  ==========  ===========================================================
SGD            "sgd"       sgd.py       gradient descent, momentum, Nesterov
Adagrad        "adagrad"   adagrad.py   per-weight rates from the sum of g²
Adadelta       "adadelta"  adadelta.py  running averages of g² and Δw²
RMSprop        "rmsprop"   rmsprop.py   running average of g² (centered, momentum)
Adam           "adam"      adam.py      bias-corrected first and second moments
AdamW          "adamw"     adamw.py     Adam + decoupled weight decay
Adamax         "adamax"    adamax.py    Adam with the infinity norm
Nadam          "nadam"     nadam.py     Adam with Nesterov momentum
Lion           "lion"      lion.py      sign of interpolated momentum
=============  ==========  ===========================================================

``base.py`` holds what they share (clipping, weight decay, constraints, slots, state
for saving); ``schedules.py`` the learning-rate schedules.

Use them Keras-style, ``opt.apply_gradients(zip(grads, variables))``, or
PyTorch-style::

    opt = glassnet.optimizers.get("adam")
    loss.backward()
    opt.step(variables)         # reads each variable's .grad
    opt.zero_grad(variables)
"""
from __future__ import annotations

from . import schedules
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam
from .adamax import Adamax
from .adamw import AdamW
from .base import Optimizer
from .lion import Lion
from .nadam import Nadam
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["Optimizer", "SGD", "Adagrad", "Adadelta", "RMSprop", "Adam", "AdamW", "Adamax", "Nadam", "Lion",
           "schedules", "get", "serialize", "deserialize"]

ALL_OPTIMIZERS = {cls.__name__.lower(): cls for cls in (SGD, Adagrad, Adadelta, RMSprop, Adam, AdamW, Adamax,
                                                         Nadam, Lion)}
"""String id (lower-case class name) -> class."""


def serialize(optimizer: Optimizer) -> dict:
    """``{"class_name": ..., "config": ...}`` describing ``optimizer`` (no state)."""
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizers.serialize: expected an Optimizer, got {type(optimizer).__name__}")
    return {"class_name": type(optimizer).__name__, "config": optimizer.get_config()}


def deserialize(config: dict, custom_objects: dict | None = None) -> Optimizer:
    """A new optimizer from a ``serialize`` dict.

    Args:
        config: ``{"class_name": "Adam", "config": {...}}``; the class name is matched
            without regard to case ("Adam", "adam").
        custom_objects: optional ``{name: class}`` for user-defined optimizers.

    Raises:
        ValueError: for a malformed dict or an unknown class name (the valid ones are listed).
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"optimizers.deserialize: expected a dict with 'class_name' and 'config', got {config!r}")
    name = config["class_name"]
    custom = dict(custom_objects or {})
    if name in custom:
        cls = custom[name]
    elif isinstance(name, str) and name.lower() in ALL_OPTIMIZERS:
        cls = ALL_OPTIMIZERS[name.lower()]
    else:
        raise ValueError(f"optimizers: unknown optimizer {name!r}; expected one of "
                         f"{sorted(ALL_OPTIMIZERS) + sorted(custom)}")
    arguments = dict(config.get("config") or {})
    if isinstance(arguments.get("learning_rate"), dict):
        arguments["learning_rate"] = schedules.deserialize(arguments["learning_rate"], custom_objects)
    return cls.from_config(arguments)

def get(identifier) -> Optimizer | None:
    """An optimizer from a string id, a ``serialize`` dict or an instance.

    ``get("adam")`` is ``Adam()`` with Keras's defaults; ``get(None)`` is None.

    Raises:
        ValueError: for an unknown name (the valid ones are listed) or an identifier of
            another type.
    """
    if identifier is None or isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        return deserialize({"class_name": identifier, "config": {}})
    if isinstance(identifier, dict):
        return deserialize(identifier)
    raise ValueError(f"optimizers.get: could not interpret optimizer identifier {identifier!r}; expected a name "
                     f"({sorted(ALL_OPTIMIZERS)}), a config dict or an Optimizer")

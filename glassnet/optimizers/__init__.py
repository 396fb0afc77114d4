"""Optimizers: the update rules that turn gradients into weight changes (Keras 3 API).

Each optimizer is one file whose docstring is its algorithm box:

==================  ====================  ====================================================================
class               string id             file
==================  ====================  ====================================================================
SGD                 "sgd"                 sgd.py                   gradient descent, momentum, Nesterov
Adagrad             "adagrad"             adagrad.py               per-weight rates from the sum of g²
Adadelta            "adadelta"            adadelta.py              running averages of g² and Δw²
RMSprop             "rmsprop"             rmsprop.py               running average of g² (centered, momentum)
Adam                "adam"                adam.py                  bias-corrected first and second moments
AdamW               "adamw"               adamw.py                 Adam + decoupled weight decay
Adamax              "adamax"              adamax.py                Adam with the infinity norm
Nadam               "nadam"               nadam.py                 Adam with Nesterov momentum
Lion                "lion"                lion.py                  sign of interpolated momentum
Lamb                "lamb"                lamb.py                  Adam rescaled by the trust ratio ‖w‖/‖step‖
Ftrl                "ftrl"                ftrl.py                  follow the regularized leader (sparse, L1)
Adafactor           "adafactor"           adafactor.py             factored second moment, relative steps
Muon                "muon"                muon.py                  Newton–Schulz-orthogonalised momentum (2-D)
ScheduleFreeAdamW   "schedulefreeadamw"   schedule_free_adamw.py   no schedule: interpolate and average
LossScaleOptimizer  (wraps another)       loss_scale_optimizer.py  dynamic loss scale around another
MultiOptimizer      (wraps others)        multi_optimizer.py       an optimizer per variable (OptimizerMap)
==================  ====================  ====================================================================

``base.py`` holds what they share (clipping, weight decay, constraints, slots, state
for saving), ``options.py`` the Keras options (EMA, gradient accumulation, loss
scaling), ``schedules.py`` the learning-rate schedules.

Use them Keras-style, ``opt.apply_gradients(zip(grads, variables))``, or
PyTorch-style::

    opt = glassnet.optimizers.get("adam")
    loss.backward()
    opt.step(variables)         # reads each variable's .grad
    opt.zero_grad(variables)
"""
from __future__ import annotations

from . import schedules
from ..registry import Registry
from .adadelta import Adadelta
from .adafactor import Adafactor
from .adagrad import Adagrad
from .adam import Adam
from .adamax import Adamax
from .adamw import AdamW
from .base import Optimizer
from .ftrl import Ftrl
from .lamb import Lamb
from .lion import Lion
from .loss_scale_optimizer import LossScaleOptimizer
from .multi_optimizer import MultiOptimizer, OptimizerMap
from .muon import Muon
from .nadam import Nadam
from .rmsprop import RMSprop
from .schedule_free_adamw import ScheduleFreeAdamW
from .sgd import SGD

__all__ = ["Optimizer", "SGD", "Adagrad", "Adadelta", "RMSprop", "Adam", "AdamW", "Adamax", "Nadam", "Lion",
           "Lamb", "Ftrl", "Adafactor", "Muon", "ScheduleFreeAdamW",
           "LossScaleOptimizer", "MultiOptimizer", "OptimizerMap", "schedules", "get", "serialize", "deserialize"]

ALL_OPTIMIZERS = {cls.__name__.lower(): cls for cls in (SGD, Adagrad, Adadelta, RMSprop, Adam, AdamW, Adamax,
                                                         Nadam, Lion, Lamb, Ftrl, Adafactor, Muon, ScheduleFreeAdamW)}
"""String id (lower-case class name) -> class."""


class _OptimizerRegistry(Registry):
    """Optimizer names match without regard to case ("Adam", "adam"), and a config's
    ``learning_rate`` may be a schedule's ``{"class_name", "config"}`` dict."""

    def lookup(self, name, custom_objects=None):
        if custom_objects and name in custom_objects:
            return custom_objects[name]
        return super().lookup(name.lower() if isinstance(name, str) else name)

    def build(self, cls, arguments: dict, custom_objects=None):
        arguments = dict(arguments)
        if isinstance(arguments.get("learning_rate"), dict):
            arguments["learning_rate"] = schedules.deserialize(arguments["learning_rate"], custom_objects)
        return super().build(cls, arguments, custom_objects)


# LossScaleOptimizer and MultiOptimizer wrap others, so they have no string id; their configs
# still deserialize.
_REGISTRY = _OptimizerRegistry("optimizers", "optimizer", {**ALL_OPTIMIZERS, "lossscaleoptimizer": LossScaleOptimizer,
                                                                     "multioptimizer": MultiOptimizer},
                               instances_of=Optimizer, instantiate=None)


def serialize(optimizer: Optimizer) -> dict:
    """``{"class_name": ..., "config": ...}`` describing ``optimizer`` (no state)."""
    return _REGISTRY.serialize(optimizer)


def deserialize(config: dict, custom_objects: dict | None = None) -> Optimizer:
    """A new optimizer from a ``serialize`` dict.

    Args:
        config: ``{"class_name": "Adam", "config": {...}}``; the class name is matched
            without regard to case ("Adam", "adam").
        custom_objects: optional ``{name: class}`` for user-defined optimizers.

    Raises:
        ValueError: for a malformed dict or an unknown class name (the valid ones are listed).
    """
    return _REGISTRY.deserialize(config, custom_objects)


def get(identifier) -> Optimizer | None:
    """An optimizer from a string id, a ``serialize`` dict or an instance.

    ``get("adam")`` is ``Adam()`` with Keras's defaults; ``get(None)`` is None.

    Raises:
        ValueError: for an unknown name (the valid ones are listed) or an identifier of
            another type.
    """
    return _REGISTRY.get(identifier)

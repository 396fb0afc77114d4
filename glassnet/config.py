"""``keras.config``'s settings, by Keras's names: the default float dtype, the fuzz factor
ε, the image data format, the backend's name, where progress is shown, and caps on the epochs
and steps of training runs (for quick debugging, as Keras's). They live in
``glassnet.backend`` and ``glassnet.io_utils``; this module only gives them the names Keras
code calls (``keras.config.set_floatx("float64")``)."""
import numbers
import os

from .backend import backend, epsilon, floatx, image_data_format, set_epsilon, set_floatx, set_image_data_format
from .io_utils import disable_interactive_logging, enable_interactive_logging, is_interactive_logging_enabled


def _limit_from_environment(variable: str):
    value = os.environ.get(variable)
    if value is None or value == "":
        return None
    if not value.isdigit() or int(value) <= 0:
        raise ValueError(f"glassnet.config: {variable} must be a positive integer, got {value!r}")
    return int(value)


_limits = {"epochs": _limit_from_environment("KERAS_MAX_EPOCHS"),
           "steps": _limit_from_environment("KERAS_MAX_STEPS_PER_EPOCH")}


def _check_limit(function: str, value):
    if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0):
        raise ValueError(f"{function}: expected a positive int or None, got {value!r}")
    return None if value is None else int(value)


def set_max_epochs(max_epochs) -> None:
    """Cap the epochs of every ``fit`` at ``max_epochs`` (None: no cap), for quick debugging runs;
    also read from the ``KERAS_MAX_EPOCHS`` environment variable, as Keras does."""
    _limits["epochs"] = _check_limit("set_max_epochs", max_epochs)


def max_epochs():
    """The cap on ``fit``'s epochs, or None."""
    return _limits["epochs"]


def set_max_steps_per_epoch(max_steps_per_epoch) -> None:
    """Cap the batches of every epoch of ``fit``, ``evaluate`` and ``predict`` (None: no cap); also
    read from ``KERAS_MAX_STEPS_PER_EPOCH``."""
    _limits["steps"] = _check_limit("set_max_steps_per_epoch", max_steps_per_epoch)


def max_steps_per_epoch():
    """The cap on the batches of an epoch, or None."""
    return _limits["steps"]


def enable_unsafe_deserialization() -> None:
    """Accepted so that Keras programs calling it run; it unlocks nothing in glassnet.

    Keras refuses to load a ``Lambda`` layer's Python bytecode from a file unless this is
    called first. glassnet never evaluates code from a file at all: a ``Lambda``'s function
    is found by its registered name (``glassnet.utils.register_keras_serializable``), with
    or without this call.
    """


__all__ = ["floatx", "set_floatx", "epsilon", "set_epsilon", "image_data_format", "set_image_data_format",
           "backend", "enable_interactive_logging", "disable_interactive_logging", "is_interactive_logging_enabled",
           "enable_unsafe_deserialization", "set_max_epochs", "max_epochs", "set_max_steps_per_epoch",
           "max_steps_per_epoch"]

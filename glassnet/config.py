"""``keras.config``'s settings, by Keras's names: the default float dtype, the fuzz factor
ε, the image data format, the backend's name and where progress is shown. They live in
``glassnet.backend`` and ``glassnet.io_utils``; this module only gives them the names Keras
code calls (``keras.config.set_floatx("float64")``)."""
from .backend import backend, epsilon, floatx, image_data_format, set_epsilon, set_floatx, set_image_data_format
from .io_utils import disable_interactive_logging, enable_interactive_logging, is_interactive_logging_enabled


def enable_unsafe_deserialization() -> None:
    """Accepted so that Keras programs calling it run; it unlocks nothing in glassnet.

    Keras refuses to load a ``Lambda`` layer's Python bytecode from a file unless this is
    called first. glassnet never evaluates code from a file at all: a ``Lambda``'s function
    is found by its registered name (``glassnet.utils.register_keras_serializable``), with
    or without this call.
    """


__all__ = ["floatx", "set_floatx", "epsilon", "set_epsilon", "image_data_format", "set_image_data_format",
           "backend", "enable_interactive_logging", "disable_interactive_logging", "is_interactive_logging_enabled",
           "enable_unsafe_deserialization"]

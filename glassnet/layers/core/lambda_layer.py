"""Lambda: any function of tensors, used as a layer."""
from __future__ import annotations

from ... import activations
from ..base import Layer
from ..registry import get_registered_name, get_registered_object

_HOW_TO_REGISTER = (
    "A Lambda layer is saved with its function's registered name only, never its code: decorate the "
    "function with @glassnet.saving.register_serializable(package='Custom') (for a lambda pass name=...), "
    "or write a Layer subclass with get_config"
)


def _function_name(function, what: str) -> str:
    """The name a function is saved under: its registered name, or a glassnet activation's name."""
    registered = get_registered_name(function)
    if registered is not None:
        return registered
    try:
        name = activations.serialize(function)
    except ValueError:
        name = None
    if isinstance(name, str):
        return name
    raise ValueError(f"Lambda: cannot save {what} {function!r}. {_HOW_TO_REGISTER}")


def _function_from_name(name: str, what: str):
    """The function a saved name refers to: a registered one, else a glassnet activation."""
    function = get_registered_object(name)
    if function is None and ">" not in name:
        try:
            function = activations.get(name)
        except ValueError:
            function = None
    if function is None or not callable(function):
        raise ValueError(f"Lambda: the {what} {name!r} is not registered (and is not a glassnet activation). "
                         f"{_HOW_TO_REGISTER}, and run that code before loading")
    return function


class Lambda(Layer):
    """Wraps a function as a layer: for small stateless computations inside a model.

    Formula: y = function(x, **arguments)

    Saving: a Lambda's config stores only the name its function was registered under
    (``@glassnet.saving.register_serializable``) or a glassnet activation's name — never
    the function's code, so loading a file cannot run code written in it. ``get_config``
    (hence saving a model) raises a ValueError for an unregistered function such as a bare
    ``lambda``; register it, or write a Layer subclass instead.

    Args:
        function: a callable taking the input Tensor (or list of Tensors), or a registered name.
        output_shape: the output shape without the batch axis (a tuple), or a function of the
            input shape; None: found by running the function.
        arguments: optional dict of keyword arguments passed to ``function`` (JSON-able).

    Input shape:
        Whatever ``function`` accepts.

    Output shape:
        ``output_shape``, or whatever ``function`` returns.
    """

    def __init__(self, function, output_shape=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(function, str):
            function = _function_from_name(function, "function")
        if not callable(function):
            raise TypeError(f"Lambda: function must be callable or a registered name, got {function!r}")
        if isinstance(output_shape, str):
            output_shape = _function_from_name(output_shape, "output_shape function")
        if output_shape is not None and not callable(output_shape):
            output_shape = tuple(output_shape)
        if arguments is not None and not isinstance(arguments, dict):
            raise TypeError(f"Lambda: arguments must be a dict or None, got {arguments!r}")
        self.function = function
        self.output_shape = output_shape
        self.arguments = dict(arguments or {})

    def call(self, inputs):
        return self.function(inputs, **self.arguments)

    def compute_output_shape(self, input_shape):
        if self.output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self.output_shape):
            return self.output_shape(input_shape)
        first = input_shape[0] if isinstance(input_shape, list) else input_shape
        return (first[0], *self.output_shape)

    def get_config(self) -> dict:
        output_shape = self.output_shape
        if callable(output_shape):
            output_shape = _function_name(output_shape, "output_shape function")
        elif output_shape is not None:
            output_shape = list(output_shape)
        return {**super().get_config(), "function": _function_name(self.function, "function"),
                "output_shape": output_shape, "arguments": dict(self.arguments)}

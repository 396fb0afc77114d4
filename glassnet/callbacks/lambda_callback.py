"""LambdaCallback: a callback made of plain functions."""
from __future__ import annotations

from .base import Callback

HOOKS = ("on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end", "on_batch_begin", "on_batch_end",
         "on_train_batch_begin", "on_train_batch_end", "on_test_begin", "on_test_end", "on_test_batch_begin",
         "on_test_batch_end", "on_predict_begin", "on_predict_end", "on_predict_batch_begin",
         "on_predict_batch_end")


class LambdaCallback(Callback):
    """Build a callback from functions, one per hook.

    The functions take the hook's positional arguments: ``(epoch, logs)`` for the epoch
    hooks, ``(batch, logs)`` for batch hooks, ``(logs)`` for begin/end hooks.

    Args:
        on_epoch_begin, on_epoch_end, on_train_begin, on_train_end,
        on_train_batch_begin, on_train_batch_end: the functions (None: do nothing).
        **kwargs: any other hook by name, e.g. ``on_test_end=fn``.

    Example::

        LambdaCallback(on_epoch_end=lambda epoch, logs: print(epoch, logs["loss"]))

    Raises:
        ValueError: for a keyword that is not a hook name, or a value that is not callable.
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None, on_train_end=None,
                 on_train_batch_begin=None, on_train_batch_end=None, **kwargs):
        super().__init__()
        functions = dict(on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end, on_train_begin=on_train_begin,
                         on_train_end=on_train_end, on_train_batch_begin=on_train_batch_begin,
                         on_train_batch_end=on_train_batch_end, **kwargs)
        for name, function in functions.items():
            if name not in HOOKS:
                raise ValueError(f"LambdaCallback: unknown hook {name!r}; expected one of {HOOKS}")
            if function is None:
                continue
            if not callable(function):
                raise ValueError(f"LambdaCallback: `{name}` must be callable, got {function!r}")
            setattr(self, name, function)

"""Callback and CallbackList: hooks that ``fit``, ``evaluate`` and ``predict`` call.

The training loop announces what it is doing; a callback listens and may act:

    on_train_begin
    for each epoch:      on_epoch_begin(epoch)
        for each batch:      on_train_batch_begin(batch) ... on_train_batch_end(batch, logs)
        (validation:         on_test_begin, on_test_batch_begin/end, on_test_end)
                         on_epoch_end(epoch, logs)      # logs: loss, metrics, val_*
    on_train_end                 (or, if an exception escapes the loop: on_train_error(error))

``evaluate`` calls the ``on_test_*`` hooks and ``predict`` the ``on_predict_*`` hooks.
``epoch`` and ``batch`` are 0-based indices; ``logs`` is a dict of floats such as
``{"loss": 0.25, "accuracy": 0.9, "val_loss": 0.3}``. A callback acts on the model
through ``self.model``: set ``self.model.stop_training = True`` to stop after the current
epoch, read or set weights, change ``self.model.optimizer.learning_rate``.

Writing your own::

    class PrintLoss(Callback):
        def on_epoch_end(self, epoch, logs=None):
            print(epoch, logs["loss"])
"""
from __future__ import annotations

import numpy as np


class Callback:
    """Base class of callbacks: every hook exists and does nothing.

    Attributes:
        model: the model being trained (set by ``set_model``).
        params: a dict from the training loop: ``verbose``, ``epochs``, ``steps``.
    """

    def __init__(self):
        self.model = None
        self.params = {}

    def set_params(self, params: dict) -> None:
        self.params = dict(params or {})

    def set_model(self, model) -> None:
        self.model = model

    # --- whole runs ------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        """Called once when ``fit`` starts."""

    def on_train_end(self, logs=None):
        """Called once when ``fit`` ends (``logs``: the last epoch's logs)."""

    def on_train_error(self, error):
        """Called instead of ``on_train_end`` when an exception (``KeyboardInterrupt``
        included) escapes ``fit``'s loop after ``on_train_begin``; ``fit`` re-raises it
        afterwards. A glassnet addition (Keras has no such hook): run logs use it to
        record a crash. It must not raise."""

    def on_test_begin(self, logs=None):
        """Called when ``evaluate`` (or the validation inside ``fit``) starts."""

    def on_test_end(self, logs=None):
        """Called when ``evaluate`` (or validation) ends, with its results."""

    def on_predict_begin(self, logs=None):
        """Called when ``predict`` starts."""

    def on_predict_end(self, logs=None):
        """Called when ``predict`` ends."""

    # --- epochs ----------------------------------------------------------------------
    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of epoch ``epoch`` (0-based)."""

    def on_epoch_end(self, epoch, logs=None):
        """Called at the end of an epoch; ``logs`` holds the epoch's loss and metrics
        and, when there is validation data, the ``val_`` ones."""

    # --- batches ---------------------------------------------------------------------
    def on_batch_begin(self, batch, logs=None):
        """Keras's older name: ``on_train_batch_begin`` calls it."""

    def on_batch_end(self, batch, logs=None):
        """Keras's older name: ``on_train_batch_end`` calls it."""

    def on_train_batch_begin(self, batch, logs=None):
        """Called before training batch ``batch`` (0-based, within the epoch)."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        """Called after a training batch; ``logs`` holds the running loss and metrics."""
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        """Called before an evaluation batch."""

    def on_test_batch_end(self, batch, logs=None):
        """Called after an evaluation batch with the running results."""

    def on_predict_batch_begin(self, batch, logs=None):
        """Called before a prediction batch."""

    def on_predict_batch_end(self, batch, logs=None):
        """Called after a prediction batch; ``logs`` may hold ``outputs``."""


def _to_python(value):
    """A scalar log value (NumPy scalar, 0-d array, Tensor) as a Python float."""
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
    elif hasattr(value, "numpy") and hasattr(value, "shape"):
        array = np.asarray(value.numpy())
    else:
        return value
    if array.ndim == 0 and array.dtype.kind in "fiu":
        return float(array)
    return value


def _pythonify(logs) -> dict:
    """Convert the values of ``logs`` to Python floats, in place (the same dict is kept,
    so what one callback adds — e.g. ``learning_rate`` — is seen by the next)."""
    if logs is None:
        return {}
    if not isinstance(logs, dict):
        raise TypeError(f"CallbackList: logs must be a dict of name -> value, got {type(logs).__name__}")
    for key, value in list(logs.items()):
        logs[key] = _to_python(value)
    return logs


class CallbackList(Callback):
    """Calls a list of callbacks, in order, at every hook.

    Args:
        callbacks: a list of ``Callback`` instances (or None).
        add_history: append a ``History`` unless the list has one; it becomes
            ``model.history``.
        add_progbar: append a ``ProgbarLogger`` unless the list has one (it is placed
            after ``History``, so it prints what other callbacks added to the logs).
        model: the model the callbacks act on.
        **params: passed to every callback's ``set_params``: the training loop gives
            ``verbose`` (0, 1, 2 or "auto"), ``epochs`` and ``steps`` (batches per epoch).

    Raises:
        TypeError: if an element of ``callbacks`` is not a ``Callback``.
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None, **params):
        super().__init__()
        from .history import History
        from .progbar import ProgbarLogger

        if callbacks is None:
            callbacks = []
        elif isinstance(callbacks, (Callback,)):
            callbacks = [callbacks]
        elif not isinstance(callbacks, (list, tuple)):
            raise TypeError(f"CallbackList: `callbacks` must be a list of Callback instances, "
                            f"got {type(callbacks).__name__}")
        callbacks = list(callbacks)
        for i, callback in enumerate(callbacks):
            if not isinstance(callback, Callback):
                raise TypeError(f"CallbackList: callbacks[{i}] is a {type(callback).__name__}, expected an instance "
                                "of glassnet.callbacks.Callback (did you pass the class instead of an instance?)")
        self.callbacks = callbacks
        self._history = next((c for c in callbacks if isinstance(c, History)), None)
        self._progbar = next((c for c in callbacks if isinstance(c, ProgbarLogger)), None)
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger()
            self.callbacks.append(self._progbar)
        self.set_model(model)
        self.set_params(params)

    def __iter__(self):
        return iter(self.callbacks)

    def __len__(self) -> int:
        return len(self.callbacks)

    def append(self, callback) -> None:
        if not isinstance(callback, Callback):
            raise TypeError(f"CallbackList.append: expected a Callback, got {type(callback).__name__}")
        self.callbacks.append(callback)
        if self.model is not None:
            callback.set_model(self.model)
        if self.params:
            callback.set_params(self.params)

    def set_params(self, params) -> None:
        self.params = dict(params or {})
        if self.params:
            for callback in self.callbacks:
                callback.set_params(self.params)

    def set_model(self, model) -> None:
        if model is None:
            return
        self.model = model
        if self._history is not None:
            model.history = self._history
        for callback in self.callbacks:
            callback.set_model(model)

    def _call(self, hook: str, *args, logs=None) -> None:
        logs = _pythonify(logs)
        for callback in self.callbacks:
            getattr(callback, hook)(*args, logs)

    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs=logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs=logs)

    def on_train_error(self, error):
        for callback in self.callbacks:
            callback.on_train_error(error)

    def on_test_begin(self, logs=None):
        self._call("on_test_begin", logs=logs)

    def on_test_end(self, logs=None):
        self._call("on_test_end", logs=logs)

    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", logs=logs)

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs=logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs=logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs=logs)

    def on_batch_begin(self, batch, logs=None):
        self._call("on_batch_begin", batch, logs=logs)

    def on_batch_end(self, batch, logs=None):
        self._call("on_batch_end", batch, logs=logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call("on_train_batch_begin", batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call("on_train_batch_end", batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._call("on_test_batch_begin", batch, logs=logs)

    def on_test_batch_end(self, batch, logs=None):
        self._call("on_test_batch_end", batch, logs=logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._call("on_predict_batch_begin", batch, logs=logs)

    def on_predict_batch_end(self, batch, logs=None):
        # predictions are arrays: pass them through untouched
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_predict_batch_end(batch, logs)

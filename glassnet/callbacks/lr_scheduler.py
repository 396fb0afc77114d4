"""Learning-rate callbacks: a schedule per epoch, and reduction on a plateau.

Both write the learning rate in effect into the epoch's logs as ``"learning_rate"``
(Keras 3), so it appears in ``History`` and in the progress line.
"""
from __future__ import annotations

import inspect
import math
import numbers
import warnings

import numpy as np

from .base import Callback
from .monitor import check_mode, infer_mode, is_improvement


def _optimizer(callback):
    optimizer = getattr(callback.model, "optimizer", None)
    if optimizer is None or not hasattr(optimizer, "learning_rate"):
        raise ValueError(f"{type(callback).__name__}: the model has no optimizer with a `learning_rate`; "
                         "compile the model first")
    return optimizer


def _takes_two_arguments(function) -> bool:
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return True
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in parameters)


class LearningRateScheduler(Callback):
    """Set the learning rate at the start of each epoch: ``η ← schedule(epoch, η)``.

    Args:
        schedule: a function of the epoch index (0-based) and the current learning rate
            returning the new one (a float); a function of the epoch alone also works.
        verbose: 1 prints the learning rate set at each epoch.

    Example::

        def schedule(epoch, lr):
            return lr if epoch < 10 else lr * math.exp(-0.1)
        model.fit(x, y, epochs=15, callbacks=[LearningRateScheduler(schedule)])

    Raises:
        ValueError: if ``schedule`` is not callable, or returns something that is not a
            finite non-negative number.
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        if not callable(schedule):
            raise ValueError(f"LearningRateScheduler: `schedule` must be a function (epoch, lr) -> lr, "
                             f"got {schedule!r}")
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = _optimizer(self)
        current = float(optimizer.learning_rate)
        if _takes_two_arguments(self.schedule):
            learning_rate = self.schedule(epoch, current)
        else:
            learning_rate = self.schedule(epoch)
        if isinstance(learning_rate, np.ndarray) and learning_rate.ndim == 0:
            learning_rate = learning_rate.item()
        if (isinstance(learning_rate, bool) or not isinstance(learning_rate, (numbers.Real, np.floating))
                or not math.isfinite(learning_rate) or learning_rate < 0):
            raise ValueError(f"LearningRateScheduler: the output of `schedule` at epoch {epoch} must be a finite "
                             f"non-negative float, got {learning_rate!r}")
        optimizer.learning_rate = float(learning_rate)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {float(learning_rate)}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = float(_optimizer(self).learning_rate)


class ReduceLROnPlateau(Callback):
    """Multiply the learning rate by ``factor`` when ``monitor`` stops improving.

    At the end of each epoch::

        if cooling down:  cooldown_counter ← cooldown_counter − 1;  wait ← 0
        if current improves on best by more than min_delta:  best ← current;  wait ← 0
        elif not cooling down:
            wait ← wait + 1
            if wait ≥ patience and η > min_lr:
                η ← max(η · factor, min_lr);  cooldown_counter ← cooldown;  wait ← 0

    In "auto" mode the direction is inferred as Keras 3 does (``monitor.infer_mode``): a
    loss is minimised, a metric follows its direction ("accuracy", "auc" up; "mae" down).
    The first value seen is always an improvement (``best`` starts as None).

    Args:
        monitor: the quantity in the logs.
        factor: ``new_lr = lr * factor`` (must be < 1).
        patience: epochs without improvement before reducing.
        verbose: 1 prints a message when it reduces.
        mode: "min", "max" or "auto".
        min_delta: the least change that counts as an improvement.
        cooldown: epochs to wait after a reduction before counting again.
        min_lr: the learning rate never goes below this.

    Raises:
        ValueError: for ``factor`` ≥ 1, negative ``patience``/``cooldown``/``min_lr``, or
            an unknown ``mode``; in "auto" mode, at the first epoch end, for a monitored
            metric of unknown direction (as Keras 3).
    """

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto", min_delta=1e-4,
                 cooldown=0, min_lr=0.0):
        super().__init__()
        if isinstance(factor, bool) or not isinstance(factor, numbers.Real) or factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau does not support a factor >= 1.0; `factor` must be a number < 1, "
                             f"got {factor!r}")
        for name, value in (("patience", patience), ("cooldown", cooldown)):
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
                raise ValueError(f"ReduceLROnPlateau: `{name}` must be a non-negative int, got {value!r}")
        if isinstance(min_lr, bool) or not isinstance(min_lr, numbers.Real) or min_lr < 0:
            raise ValueError(f"ReduceLROnPlateau: `min_lr` must be a non-negative number, got {min_lr!r}")
        self.monitor = monitor
        self.factor = float(factor)
        self.patience = int(patience)
        self.verbose = verbose
        self.mode = check_mode("ReduceLROnPlateau", mode)
        self.min_delta = min_delta
        self.cooldown = int(cooldown)
        self.min_lr = float(min_lr)
        self._reset()

    def _reset(self) -> None:
        self._direction = None  # "min" or "max", resolved at the first epoch end (the model's metrics exist then)
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0

    def in_cooldown(self) -> bool:
        return self.cooldown_counter > 0

    def on_train_begin(self, logs=None):
        self._reset()

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        optimizer = _optimizer(self)
        logs["learning_rate"] = float(optimizer.learning_rate)
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(f"Learning rate reduction is conditioned on metric `{self.monitor}` which is not "
                          f"available. Available metrics are: {','.join(logs)}.", stacklevel=2)
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._direction is None:
            self._direction = infer_mode("ReduceLROnPlateau", self.monitor, self.mode, self.model)
        if is_improvement(self._direction, current, self.best, self.min_delta):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                old_lr = float(optimizer.learning_rate)
                if old_lr > np.float32(self.min_lr):
                    new_lr = max(old_lr * self.factor, self.min_lr)
                    optimizer.learning_rate = new_lr
                    if self.verbose > 0:
                        print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new_lr}.")
                    self.cooldown_counter = self.cooldown
                    self.wait = 0

"""EarlyStopping: stop training when a monitored quantity stops improving."""
from __future__ import annotations

import numbers
import warnings

from .base import Callback
from .monitor import check_mode, infer_mode, is_improvement


class EarlyStopping(Callback):
    """Stop training when ``monitor`` has not improved for ``patience`` epochs.

    At the end of each epoch (from epoch ``start_from_epoch`` on)::

        wait ← wait + 1
        if current improves on best by more than min_delta:
            best ← current;  wait ← 0 (only if current also beats baseline, when given)
        elif wait ≥ patience and epoch > 0:
            model.stop_training ← True

    "Improves" means ``current + min_delta < best`` in "min" mode and
    ``current − min_delta > best`` in "max" mode; the first value seen is always an
    improvement. With ``restore_best_weights=True`` the weights of the best epoch are
    put back when training ends — whether or not it stopped early (Keras 3); if no epoch
    beat ``baseline``, that is the best epoch among those run.

    Args:
        monitor: the quantity in the logs, e.g. "val_loss", "val_accuracy", "loss".
        min_delta: smallest change that counts as an improvement (its absolute value).
        patience: epochs without improvement after which training stops.
        verbose: 1 prints a message when the callback stops training or restores.
        mode: "min", "max" or "auto" (loss → min; metrics by their known direction).
        baseline: a value the quantity must beat; training stops after ``patience``
            epochs if it does not.
        restore_best_weights: put back the weights of the best epoch at the end.
        start_from_epoch: epochs of warm-up during which nothing is monitored.

    Raises:
        ValueError: for a negative ``patience`` or ``start_from_epoch``, or an unknown
            ``mode``; in "auto" mode, for a monitored metric of unknown direction.
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto", baseline=None,
                 restore_best_weights=False, start_from_epoch=0):
        super().__init__()
        for name, value in (("patience", patience), ("start_from_epoch", start_from_epoch)):
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
                raise ValueError(f"EarlyStopping: `{name}` must be a non-negative int, got {value!r}")
        if isinstance(min_delta, bool) or not isinstance(min_delta, numbers.Real):
            raise ValueError(f"EarlyStopping: `min_delta` must be a number, got {min_delta!r}")
        self.monitor = monitor
        self.min_delta = abs(min_delta)
        self.patience = int(patience)
        self.verbose = verbose
        self.mode = check_mode("EarlyStopping", mode)
        self.baseline = baseline
        self.restore_best_weights = bool(restore_best_weights)
        self.start_from_epoch = int(start_from_epoch)
        self._direction = None
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_train_begin(self, logs=None):
        # allow the same instance to be reused across fit() calls
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def _improves(self, current, reference) -> bool:
        return is_improvement(self._direction, current, reference, self.min_delta)

    def on_epoch_end(self, epoch, logs=None):
        if self._direction is None:
            self._direction = infer_mode("EarlyStopping", self.monitor, self.mode, self.model)
        current = (logs or {}).get(self.monitor)
        if current is None:
            warnings.warn(f"EarlyStopping conditioned on metric `{self.monitor}` which is not available. "
                          f"Available metrics are: {','.join(logs or {})}", stacklevel=2)
            return
        if epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._improves(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._improves(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the end of the best epoch: {self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)

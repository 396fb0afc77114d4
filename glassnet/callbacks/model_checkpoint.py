"""ModelCheckpoint: save the model (or its weights) during training."""
from __future__ import annotations

import numbers
import os
import warnings

import numpy as np

from ..saving.file_format import MODEL_SUFFIX, WEIGHTS_SUFFIX
from .base import Callback
from .monitor import check_mode, infer_mode, is_improvement


class ModelCheckpoint(Callback):
    """Save the model or its weights at the end of every epoch (or every N batches).

    ``filepath`` may hold format fields filled from ``epoch`` (1-based, as Keras) and the
    logs: ``"ckpt/{epoch:02d}-{val_loss:.2f}.glassnet"`` writes ``ckpt/03-0.41.glassnet``
    after the third epoch. With ``save_best_only=True`` a file is written only when the
    monitored quantity improves on the best seen so far (starting from
    ``initial_value_threshold`` when given); without format fields the same file is then
    overwritten by each new best. Every save is atomic (temporary file + rename), so an
    interrupted save never destroys the previous checkpoint.

    Args:
        filepath: where to save: ending in ".glassnet" or ".keras" (``model.save``:
            architecture, weights, optimizer state), or in ".weights.npz" or ".weights.h5"
            with ``save_weights_only``.
        monitor: the quantity in the logs that decides "best".
        verbose: 1 prints a message at each save decision.
        save_best_only: save only when ``monitor`` improves.
        save_weights_only: save with ``model.save_weights`` instead of ``model.save``.
        mode: "min", "max" or "auto" (loss → min; metrics by their known direction).
        save_freq: "epoch", or an int N: save after every N training batches (the count
            runs across epochs; the monitored value is then the running one of the batch
            logs).
        initial_value_threshold: the value to beat before the first save
            (``save_best_only`` only).

    Raises:
        ValueError: for a filepath with the wrong ending (e.g. Keras 2's ".h5"), a bad
            ``save_freq`` or ``mode``.
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False, save_weights_only=False,
                 mode="auto", save_freq="epoch", initial_value_threshold=None):
        super().__init__()
        filepath = os.fspath(filepath)
        suffixes = (WEIGHTS_SUFFIX, ".weights.h5") if save_weights_only else (MODEL_SUFFIX, ".keras")
        if not filepath.endswith(suffixes):
            what = "save_weights_only=True" if save_weights_only else "saving the whole model"
            raise ValueError(f"ModelCheckpoint: when {what}, `filepath` must end in {suffixes[0]!r} "
                             f"(glassnet's format) or {suffixes[1]!r} (Keras's), got filepath={filepath!r}")
        if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(save_freq, numbers.Integral)
                                     or save_freq < 1):
            raise ValueError(f"ModelCheckpoint: `save_freq` must be 'epoch' or a positive int (a number of "
                             f"batches), got {save_freq!r}")
        self.filepath = filepath
        self.monitor = monitor
        self.verbose = verbose
        self.save_best_only = bool(save_best_only)
        self.save_weights_only = bool(save_weights_only)
        self.mode = check_mode("ModelCheckpoint", mode)
        self.save_freq = save_freq
        self.best = initial_value_threshold
        self._direction = None
        self._current_epoch = 0
        self._batches_since_save = 0
        self._last_batch_seen = 0

    # --- when to save ------------------------------------------------------------------
    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        # batch indices restart at 0 each epoch: count the batches run since the last save
        steps = batch + 1 if batch <= self._last_batch_seen else batch - self._last_batch_seen
        self._batches_since_save += steps
        self._last_batch_seen = batch
        if self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            self._save(self._current_epoch, batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save(epoch, None, logs)

    # --- saving -------------------------------------------------------------------------
    def _file_path(self, epoch, batch, logs) -> str:
        """``filepath`` with ``{epoch}`` (1-based), ``{batch}`` (1-based) and log values filled in."""
        fields = dict(logs or {})
        fields["epoch"] = epoch + 1
        if batch is not None and "batch" not in fields:
            fields["batch"] = batch + 1
        try:
            return self.filepath.format(**fields)
        except (KeyError, IndexError) as error:
            raise KeyError(f"ModelCheckpoint: failed to format filepath {self.filepath!r}: no value for {error}; "
                           f"available fields are {sorted(fields)}") from None

    def _should_save(self, epoch, logs, filepath) -> bool:
        if not self.save_best_only:
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            return True
        current = (logs or {}).get(self.monitor)
        if current is None:
            warnings.warn(f"ModelCheckpoint: can save best model only with {self.monitor} available; "
                          f"available: {','.join(logs or {})}. Saving anyway.", stacklevel=2)
            return True
        if np.ndim(current) > 0:
            warnings.warn(f"ModelCheckpoint: can save best model only when `monitor` is a scalar, got {current}. "
                          "Falling back to save_best_only=False.", stacklevel=2)
            return True
        if self._direction is None:
            self._direction = infer_mode("ModelCheckpoint", self.monitor, self.mode, self.model)
        best = "None" if self.best is None else f"{self.best:.5f}"
        if is_improvement(self._direction, current, self.best):
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: {self.monitor} improved from {best} to {current:.5f}, "
                      f"saving model to {filepath}")
            self.best = current
            return True
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best}")
        return False

    def _save(self, epoch, batch, logs) -> None:
        filepath = self._file_path(epoch, batch, logs)
        if os.path.isdir(filepath):
            raise IsADirectoryError(f"ModelCheckpoint: filepath {filepath!r} is an existing directory; "
                                    "give a file path")
        if not self._should_save(epoch, logs, filepath):
            return
        directory = os.path.dirname(filepath)
        if directory:
            os.makedirs(directory, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(filepath)
        else:
            self.model.save(filepath)

"""BackupAndRestore: a killed ``fit`` started again goes on where it stopped (Keras 3's callback).

The protocol, for a script run again after a crash, a SIGKILL or a preempted machine::

    on_train_begin:  if backup_dir/training_state.zip exists:
                         restore weights, optimizer slots and iterations, learning rate,
                         glassnet's random stream; fit starts at the saved epoch
    on_epoch_end(e): write the state with epoch = e + 1            (crash-safe: one file,
                                                                    temp file + fsync + rename)
    on_train_end:    delete the backup (delete_checkpoint=True)     (a run that finished)

Run the *same* script (same seed, model, compile and fit arguments). With
``save_freq="epoch"`` the resumed run ends with weights equal bit for bit to a run never
interrupted: the state at an epoch boundary is everything the rest of the run depends on
(the next epoch's shuffle is drawn from the restored random stream, a learning-rate
schedule is a function of the restored iteration count, a ``LearningRateScheduler`` of the
restored epoch and learning rate). Work done after the last boundary is lost and redone.

Not restored (as in Keras): the state of other callbacks (EarlyStopping's patience,
ReduceLROnPlateau's counters), and the position inside a one-shot generator. With an
integer ``save_freq`` the state is saved every that many batches and, as in Keras, a
restart begins again at the start of the saved epoch — from mid-epoch weights, so such a
resumed run is not bit-identical to an uninterrupted one.

Differences from Keras: the backup is one file (Keras writes the weights and a JSON file
separately, and a kill between the two mixes epochs); ``on_train_end`` removes only the
files this callback writes (and ``backup_dir`` if it is then empty), never other files.
"""
from __future__ import annotations

import numbers
import os

from ..saving.training_state import load_training_state, save_training_state
from .base import Callback

STATE_FILE = "training_state.zip"


class BackupAndRestore(Callback):
    """Back up the training state at the end of every epoch; restore it when ``fit`` restarts.

    Args:
        backup_dir: a directory for this run's backup only (created if missing).
        save_freq: "epoch" (exact resumption), an int N (also every N batches), or False
            (only restore).
        double_checkpoint: also keep the previous backup (``training_state.zip.bkp``), used
            when the latest cannot be read.
        delete_checkpoint: delete the backup when ``fit`` completes.

    Raises:
        ValueError: for an empty ``backup_dir`` or a bad ``save_freq``; at the start of
            ``fit``, for an unbuilt model (build it, or give it an ``Input``, first) or a
            backup that does not fit the model.

    Example::

        model.fit(x, y, epochs=10, callbacks=[BackupAndRestore("/tmp/backup")])
        # killed during epoch 4; the same script run again trains epochs 4..9 only
    """

    def __init__(self, backup_dir, save_freq="epoch", double_checkpoint=False, delete_checkpoint=True):
        super().__init__()
        if not isinstance(backup_dir, (str, os.PathLike)) or not os.fspath(backup_dir):
            raise ValueError(f"BackupAndRestore: `backup_dir` must be a non-empty path, got {backup_dir!r}")
        if save_freq is not False and save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(
                save_freq, numbers.Integral) or save_freq < 1):
            raise ValueError(f"BackupAndRestore: `save_freq` must be 'epoch', a positive int or False, got "
                             f"{save_freq!r}")
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.double_checkpoint = bool(double_checkpoint)
        self.delete_checkpoint = bool(delete_checkpoint)
        self._state_path = os.path.join(self.backup_dir, STATE_FILE)
        self._previous_path = self._state_path + ".bkp"
        self._current_epoch = 0
        self._batches_since_save = 0

    def on_train_begin(self, logs=None):
        model = self.model
        if not getattr(model, "built", False) or not model.weights:
            raise ValueError(f"BackupAndRestore: model {getattr(model, 'name', '')!r} is not built; build it before "
                             "fit (give it an Input, or call it on a batch) so a backup can be restored into it")
        self._batches_since_save = 0
        self._current_epoch = 0
        for path in (self._state_path, self._previous_path if self.double_checkpoint else None):
            if path is None or not os.path.exists(path):
                continue
            try:
                progress = load_training_state(model, path)
            except ValueError:
                if path == self._state_path and self.double_checkpoint and os.path.exists(self._previous_path):
                    continue          # the latest is unreadable: fall back to the previous one
                raise
            self._current_epoch = progress["epoch"]
            model._initial_epoch = progress["epoch"]   # read by fit after on_train_begin (as Keras)
            return

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if isinstance(self.save_freq, bool) or self.save_freq == "epoch":
            return
        self._batches_since_save += 1
        if self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            self._save(self._current_epoch, batch + 1)

    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        if self.save_freq == "epoch":
            self._save(epoch + 1, 0)

    def _save(self, epoch: int, batch: int) -> None:
        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint and os.path.exists(self._state_path):
            os.replace(self._state_path, self._previous_path)
        save_training_state(self.model, self._state_path, epoch, batch)

    def on_train_end(self, logs=None):
        if not self.delete_checkpoint:
            return
        for path in (self._state_path, self._previous_path):
            if os.path.exists(path):
                os.unlink(path)
        try:
            os.rmdir(self.backup_dir)       # only if empty: never other files
        except OSError:
            pass

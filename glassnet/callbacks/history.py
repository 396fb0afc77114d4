"""History: the record of every epoch's logs, returned by ``fit``."""
from __future__ import annotations

from .base import Callback


class History(Callback):
    """Records the logs of each epoch; ``fit`` returns it (it is also ``model.history``).

    Attributes:
        history: ``{"loss": [epoch 1, epoch 2, ...], "val_loss": [...], ...}`` — a dict
            of lists, one value per epoch, exactly the logs ``on_epoch_end`` received.
        epoch: the 0-based indices of the recorded epochs.

    Example::

        history = model.fit(x, y, epochs=3, validation_split=0.2)
        history.history["val_loss"]      # three floats
    """

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        if self.model is not None:
            self.model.history = self

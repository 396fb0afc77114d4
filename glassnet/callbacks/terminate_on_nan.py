"""TerminateOnNaN: stop training as soon as the loss is NaN or infinite."""
from __future__ import annotations

import math

from .base import Callback


class TerminateOnNaN(Callback):
    """Stop training when a batch's loss is NaN or ±inf.

    Args:
        raise_error: False (default) stops gracefully with ``model.stop_training = True``
            (the epoch ends, ``on_train_end`` runs); True raises ``RuntimeError`` at once.
    """

    def __init__(self, raise_error=False):
        super().__init__()
        self.raise_error = bool(raise_error)

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None:
            return
        if not math.isfinite(float(loss)):
            if self.raise_error:
                raise RuntimeError(f"NaN or Inf loss encountered at batch {batch}. Loss value: {loss}. "
                                   "Terminating training immediately.")
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True

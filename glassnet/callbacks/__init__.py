"""Callbacks: code that runs at the hooks of ``fit``, ``evaluate`` and ``predict``.

``fit`` always adds a ``History`` (returned) and, unless ``verbose=0``, a
``ProgbarLogger``; pass others with ``fit(..., callbacks=[...])``::

    from glassnet.callbacks import EarlyStopping, ModelCheckpoint
    model.fit(x, y, validation_split=0.2, epochs=100, callbacks=[
        EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True),
        ModelCheckpoint("best.glassnet", save_best_only=True),
    ])
"""
from .backup_and_restore import BackupAndRestore
from .base import Callback, CallbackList
from .csv_logger import CSVLogger
from .early_stopping import EarlyStopping
from .history import History
from .lambda_callback import LambdaCallback
from .lr_scheduler import LearningRateScheduler, ReduceLROnPlateau
from .model_checkpoint import ModelCheckpoint
from .progbar import Progbar, ProgbarLogger
from .remote_monitor import RemoteMonitor
from .swap_ema_weights import SwapEMAWeights
from .tensorboard import TensorBoard
from .terminate_on_nan import TerminateOnNaN

__all__ = ["Callback", "CallbackList", "History", "Progbar", "ProgbarLogger", "EarlyStopping", "ModelCheckpoint",
           "CSVLogger", "LearningRateScheduler", "ReduceLROnPlateau", "TerminateOnNaN", "LambdaCallback", "TensorBoard",
           "BackupAndRestore"]
__all__ += ["SwapEMAWeights", "RemoteMonitor"]

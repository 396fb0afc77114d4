"""SwapEMAWeights: evaluate (and optionally checkpoint) with the optimizer's moving average of the weights."""
from __future__ import annotations

from .base import Callback


class SwapEMAWeights(Callback):
    """Swap the model's weights w with the optimizer's EMA w̄ around evaluation.

    With an optimizer made with ``use_ema=True`` (it keeps ``w̄ ← μ·w̄ + (1 − μ)·w``
    after every update, "Polyak averaging"), validation and ``evaluate``/``predict``
    during training see w̄ instead of w::

        on_test_begin / on_predict_begin:   w ↔ w̄        (the model now holds w̄)
        on_test_end   / on_predict_end:     w ↔ w̄        (back: training goes on with w)

    The swap is in place (no copy of the model is kept). With ``swap_on_epoch=True``
    the model also holds w̄ from the end of each epoch until the next one begins, so
    other callbacks (``ModelCheckpoint``) see w̄; after the last epoch w̄ is kept in the
    model.

    Args:
        swap_on_epoch: swap at ``on_epoch_end`` and back at ``on_epoch_begin`` too.
            Defaults to False.

    Raises:
        ValueError: (at the first swap) if the model's optimizer, or the optimizer
            inside a ``LossScaleOptimizer``, was not made with ``use_ema=True``.

    Unlike Keras 3.15, ``on_predict_end`` swaps back (Keras's test there is inverted,
    so after a ``predict`` its model keeps w̄).
    """

    def __init__(self, swap_on_epoch=False):
        super().__init__()
        self.swap_on_epoch = bool(swap_on_epoch)
        self._ema_weights_in_model = False

    def _ema_optimizers(self) -> list:
        optimizer = self.model.optimizer
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)
        inner = getattr(optimizer, "optimizers", None)
        candidates = list(inner) if inner is not None else [optimizer]
        found = [opt for opt in candidates if getattr(opt, "use_ema", False)]
        if not found:
            raise ValueError("SwapEMAWeights must be used when `use_ema=True` is set on the optimizer; got "
                             f"{type(optimizer).__name__} with use_ema={getattr(optimizer, 'use_ema', None)}")
        return found

    def _swap(self) -> None:
        """w ↔ w̄ for every variable of every EMA optimizer."""
        for optimizer in self._ema_optimizers():
            for variable, average in zip(optimizer._variables, optimizer._model_variables_moving_average):
                weights = variable.data.copy()
                variable.data[...] = average
                average[...] = weights

    def _keep_ema(self) -> None:
        """w̄ ← w (the model holds w̄ now; the raw weights are dropped)."""
        for optimizer in self._ema_optimizers():
            for variable, average in zip(optimizer._variables, optimizer._model_variables_moving_average):
                average[...] = variable.data

    def _to_ema(self) -> None:
        if not self._ema_weights_in_model:
            self._swap()
            self._ema_weights_in_model = True

    def _to_weights(self) -> None:
        if self._ema_weights_in_model:
            self._swap()
            self._ema_weights_in_model = False

    def on_epoch_begin(self, epoch, logs=None):
        if self.swap_on_epoch:
            self._to_weights()

    def on_epoch_end(self, epoch, logs=None):
        if self.swap_on_epoch:
            self._to_ema()
            if epoch == self.params.get("epochs", 0) - 1:
                self._keep_ema()

    def on_test_begin(self, logs=None):
        self._to_ema()

    def on_test_end(self, logs=None):
        self._to_weights()

    def on_predict_begin(self, logs=None):
        self._to_ema()

    def on_predict_end(self, logs=None):
        self._to_weights()

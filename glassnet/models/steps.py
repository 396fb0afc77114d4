"""One step of training, evaluation or prediction — the methods a Keras 3 user overrides.

``fit`` calls ``train_step(data)`` once per batch, ``evaluate`` calls ``test_step(data)``
and ``predict`` calls ``predict_step(data)``; ``data`` is the batch as Keras passes it:
``x`` alone (``(x,)`` when x is a list of inputs), ``(x, y)`` or ``(x, y, sample_weight)``
(read it with ``glassnet.utils.unpack_x_y_sample_weight``). The default ``train_step`` is::

    x, y, w = unpack_x_y_sample_weight(data)
    ŷ = self(x, training=True)                          forward
    L = self.compute_loss(x, y, ŷ, w)                   Σₖ λₖ·Lₖ(yₖ, ŷₖ, wₖ) + Σ self.losses
    logs = self.compute_metrics(x, y, ŷ, w)             running loss and metrics
    grads = ∂L/∂θ for θ in self.trainable_weights        backward
    self.optimizer.apply(grads, self.trainable_weights)  update
    return logs

(Keras updates the metrics after the step; the values are the same — they read ŷ and L of
before the update — but here a metric that cannot take the data fails before any weight
has changed.)

An override writes the same steps its own way (two optimizers for a GAN, a custom loss,
extra metrics), taking gradients with ``glassnet.GradientTape`` or
``glassnet.value_and_grad`` and returning ``{name: value}``; everything else of ``fit`` —
callbacks, progress bar, validation, History — runs unchanged. After an epoch the logs
are ``get_metrics_result()`` when the step returned exactly those names, else the last
dict the step returned (Keras's rule).

``self.metrics`` are the objects ``reset_metrics()`` resets at every epoch: the loss
tracker "loss", the compiled metrics as one "compile_metrics" object (as in Keras 3: its
``update_state(y, y_pred)`` takes the model's structures, its ``result()`` is a dict, its
``.metrics`` the metric objects once the first batch has shown the shapes "accuracy"
needs), and per-output loss trackers. A subclass may override ``metrics`` with its own
trackers (Keras's pattern); ``get_metrics_result()`` reads whatever ``metrics`` lists.
"""
from __future__ import annotations

from .. import ops
from ..losses.base import keras_mask_of
from ..tensor import Tensor, no_grad
from ..utils.py_dataset import unpack_x_y_sample_weight
from . import numerics
from .compile_utils import first_batch_guard, flatten_outputs


class Steps:
    """train_step, test_step, predict_step, compute_loss, compute_metrics and the metrics (mixed into ``Model``)."""

    def train_step(self, data) -> dict:
        """One training step on batch ``data``; returns the running ``{name: value}`` logs."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        with first_batch_guard(self):      # a failure before the update leaves every weight as it was
            y_pred = self(x, training=True)                              # forward
            loss = self.compute_loss(x, y, y_pred, sample_weight)        # loss + Σ penalties
            logs = self.compute_metrics(x, y, y_pred, sample_weight, loss=loss)   # before the update
        self._backward_and_step(loss)                                    # ∂L/∂w, update w
        return logs

    def test_step(self, data) -> dict:
        """The loss and metrics of batch ``data`` in inference mode (added to the running values)."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        with no_grad():
            y_pred = self(x, training=False)
            loss = self.compute_loss(x, y, y_pred, sample_weight, training=False)
        return self.compute_metrics(x, y, y_pred, sample_weight, loss=loss)

    def predict_step(self, data):
        """The model's outputs on batch ``data`` (Tensors; ``predict`` turns them into arrays)."""
        x, _, _ = unpack_x_y_sample_weight(data)
        with no_grad():
            return self(x, training=False)

    def zero_grad(self) -> None:
        """Clear every trainable weight's ``.grad`` (PyTorch's name; Keras's torch-backend
        ``train_step`` starts with it, then ``loss.backward()`` fills ``v.grad``)."""
        for variable in self.trainable_weights:
            variable.grad = None

    def compute_metrics(self, x, y, y_pred, sample_weight=None, loss=None) -> dict:
        """Add a batch to the running loss (when ``loss`` is given) and the compiled metrics;
        return ``get_metrics_result()``."""
        if loss is not None:
            return self._update_metrics(loss, y, y_pred, sample_weight)
        self._update_compiled_metrics(y, y_pred, sample_weight)
        return self.get_metrics_result()

    # --- one step -----------------------------------------------------------------------
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True) -> Tensor:
        """The total loss of a batch: Σₖ λₖ·Lₖ(yₖ, ŷₖ, sₖ) + Σ ``self.losses`` (a scalar Tensor).

        Raises:
            ValueError: if there is nothing to minimise (no compiled loss, no added losses).
        """
        total = None
        if self._compile_loss is not None:
            names, flat_pred = self._flat_outputs(y_pred)
            if self._compile_loss.entries is None:
                self._compile_loss.build(names)
            n = len(flat_pred)
            flat_true = flatten_outputs(y, names, n, "y") if y is not None else [None] * n
            flat_weight = _flat_sample_weight(sample_weight, names, n)
            total = self._compile_loss(flat_true, flat_pred, flat_weight)
        for penalty in self.losses:
            penalty = ops.sum(penalty) if penalty.ndim else penalty
            total = penalty if total is None else total + penalty
        if total is None:
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        return total

    def _backward_and_step(self, loss: Tensor) -> None:
        """Clear the gradients, backpropagate ``loss``, apply one optimizer update."""
        variables = self.trainable_weights
        if not variables:
            return
        if not isinstance(loss, Tensor) or not loss.requires_grad:
            raise ValueError(f"No gradients provided for any variable: the loss of model {self.name!r} records no "
                             "graph back to its weights (computed under glassnet.no_grad(), or with NumPy or Python "
                             "numbers instead of glassnet.ops), so a step would train nothing")
        for variable in variables:
            variable.grad = None
        loss = self.optimizer.scale_loss(loss)      # s·loss with a loss scale (the optimizer divides g by s)
        numerics.backward(loss, variables)          # loss.backward(), checked under fit(check_numerics=True)
        self.optimizer.step(variables)

    def _flat_outputs(self, y_pred):
        """(output names, flat list of output Tensors) in the model's output order."""
        names = list(getattr(self, "output_names", None) or [])
        if isinstance(y_pred, dict):
            names = names if names and set(names) == set(y_pred) else sorted(y_pred)
            return names, [y_pred[k] for k in names]
        flat = list(y_pred) if isinstance(y_pred, (list, tuple)) else [y_pred]
        if len(names) != len(flat):
            names = [f"output_{i + 1}" for i in range(len(flat))] if len(flat) > 1 else ["output"]
        return names, flat

    def _update_metrics(self, loss, y, y_pred, sample_weight) -> dict:
        """Add a batch to the running loss and metrics; return all current results."""
        names, flat_pred = self._flat_outputs(y_pred)
        batch_size = flat_pred[0].shape[0] if getattr(flat_pred[0], "ndim", 0) else 1
        self._loss_tracker.update_state(float(_array(loss)), sample_weight=batch_size)
        self._update_compiled_metrics(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def _update_compiled_metrics(self, y, y_pred, sample_weight) -> None:
        """Add a batch to the compiled metrics (built from the first batch's shapes)."""
        if self._compile_metrics is None or y is None:
            return
        names, flat_pred = self._flat_outputs(y_pred)
        n = len(flat_pred)
        flat_true = [None if t is None else _array(t) for t in flatten_outputs(y, names, n, "y")]
        predictions = [_array(p) for p in flat_pred]
        if self._compile_metrics.per_output is None:
            losses = [None] * n
            for i, loss_object, _, _ in (self._compile_loss.entries or []) if self._compile_loss else []:
                losses[i] = loss_object
            self._compile_metrics.build(names, flat_true, predictions, losses)
        masks = [keras_mask_of(p) if isinstance(p, Tensor) else None for p in flat_pred]   # the metrics honour them
        self._compile_metrics.update_state(flat_true, predictions, _flat_sample_weight(sample_weight, names, n), masks)

    # --- metrics ------------------------------------------------------------------------
    @property
    def metrics(self) -> list:
        """The metric objects: the loss tracker "loss", the compiled metrics (one
        "compile_metrics" object), the per-output loss trackers. ``[]`` before compile."""
        if not getattr(self, "compiled", False):
            return []
        found = [self._loss_tracker]
        if self._compile_metrics is not None:
            found.append(CompileMetricsView(self))
        if self._compile_loss is not None:
            found += self._compile_loss.trackers
        return found

    @property
    def metrics_names(self) -> list:
        """The names in the logs, in order ("loss", metrics, per-output losses)."""
        return list(self.get_metrics_result()) if getattr(self, "compiled", False) else []

    def get_metrics_result(self) -> dict:
        """``{name: current value}`` of every object in ``self.metrics`` (Python floats; a
        metric whose result is a dict, like "compile_metrics", adds its entries)."""
        results = {}
        for metric in self.metrics:
            value = metric.result()
            if isinstance(value, dict):
                results.update(value)
            else:
                results[metric.name] = value
        return pythonify_logs(results)

    def reset_metrics(self) -> None:
        """Reset the running loss and every metric (fit does it at each epoch)."""
        for metric in self.metrics:
            metric.reset_state()


def _array(value):
    """A Tensor's array, or ``value`` as a NumPy array."""
    import numpy as np

    return value.data if isinstance(value, Tensor) else np.asarray(value)


def _flat_sample_weight(sample_weight, names: list, n: int) -> list:
    """One sample-weight array per output: the same array for all, or a list/dict."""
    if sample_weight is None:
        return [None] * n
    if isinstance(sample_weight, (list, tuple, dict)):
        return flatten_outputs(sample_weight, names, n, "sample_weight")
    return [sample_weight] * n



class CompileMetricsView:
    """The compiled metrics as one metric object, "compile_metrics" (as Keras 3 lists them
    in ``model.metrics`` before their first batch): ``update_state(y, y_pred, sample_weight)``
    takes the model's own structures, ``result()`` is ``{name: value}``."""

    name = "compile_metrics"

    def __init__(self, model):
        self.model = model

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        self.model._update_compiled_metrics(y_true, y_pred, sample_weight)

    @property
    def metrics(self) -> list:
        """The compiled metric objects themselves (empty until the first batch builds them)."""
        compiled = self.model._compile_metrics
        return compiled.metrics if compiled is not None else []

    def result(self) -> dict:
        compiled = self.model._compile_metrics
        return compiled.result() if compiled is not None and compiled.per_output is not None else {}

    def reset_state(self) -> None:
        if self.model._compile_metrics is not None:
            self.model._compile_metrics.reset_state()


def pythonify_logs(logs) -> dict:
    """A step's returned logs as ``{name: float}``: Tensors and arrays to numbers, nested
    dicts (e.g. "compile_metrics") flattened into the top level (Keras's rule)."""
    import numpy as np

    out = {}
    for name, value in (logs or {}).items():
        if isinstance(value, dict):
            out.update(pythonify_logs(value))
            continue
        if isinstance(value, Tensor):
            value = value.data
        if isinstance(value, np.ndarray) and value.size == 1:
            value = value.item()
        elif isinstance(value, np.generic):
            value = value.item()
        out[name] = value
    return out


__all__ = ["Steps", "CompileMetricsView", "pythonify_logs"]

"""What ``compile(loss=..., loss_weights=..., metrics=...)`` turns into, per model output.

A model has one or more outputs ŷ₁ … ŷₖ (a list, or a dict whose keys name them). The
training objective is

    L = Σₖ λₖ · Lₖ(yₖ, ŷₖ, sₖ)  +  Σ (regularization penalties, ``model.losses``)

with Lₖ the loss given for output k (a name, function or ``Loss``; one loss given for a
multi-output model is used for every output), λₖ its ``loss_weights`` entry (default 1)
and sₖ the sample weights. ``CompileLoss`` computes the first sum and, when there are
several outputs, keeps a running mean of each unweighted Lₖ, logged as "<output>_loss".
``CompileMetrics`` keeps the metrics of each output and names them "<metric>" (one output)
or "<output>_<metric>" (several), as Keras does.

Everything here works on *flat* lists in the model's output order; ``flatten_outputs``
puts a list or dict of targets into that order.
"""
from __future__ import annotations

import numbers

from .. import losses as losses_module
from .. import metrics as metrics_module
from ..losses.base import apply_mask, to_array


def flatten_outputs(values, names: list, n: int, argument: str) -> list:
    """``values`` (one, a list/tuple, or a dict by output name) as a list of length ``n``.

    Raises:
        ValueError: naming ``argument`` when the count or the dict keys do not fit.
    """
    if isinstance(values, dict):
        missing = [k for k in names if k not in values]
        if missing or len(names) != n:
            raise ValueError(f"`{argument}` is a dict with keys {sorted(values)}, expected the model's output "
                             f"names {names}")
        return [values[k] for k in names]
    if isinstance(values, (list, tuple)):
        if n == 1 and len(values) != 1:
            return [values]
        if len(values) != n:
            raise ValueError(f"`{argument}` has {len(values)} entries but the model has {n} outputs {names}")
        return list(values)
    if n != 1:
        raise ValueError(f"`{argument}` must be a list or dict with one entry per output: the model has {n} "
                         f"outputs {names}")
    return [values]


def _per_output(spec, names: list, n: int, argument: str, nested_ok: bool) -> list:
    """Spread a compile argument over the outputs: one value for all, or a list/dict."""
    if isinstance(spec, dict):
        unknown = [k for k in spec if k not in names]
        if unknown:
            raise ValueError(f"compile: `{argument}` has keys {unknown} that are not output names; the model's "
                             f"outputs are {names}")
        return [spec.get(k) for k in names]
    if isinstance(spec, (list, tuple)) and (n > 1 or not nested_ok):
        if len(spec) != n:
            raise ValueError(f"compile: `{argument}` has {len(spec)} entries but the model has {n} outputs {names}")
        return list(spec)
    return [spec] * n


class CompileLoss:
    """The per-output losses and weights of ``compile``.

    Args:
        loss: a loss identifier (name, function, ``Loss``), or a list or dict of them
            (None entries: no loss for that output).
        loss_weights: None, a number (one output), or a list or dict of numbers.

    Raises:
        ValueError: for an unknown loss name or loss_weights of the wrong form — at
            ``compile`` time, before anything is trained.
    """

    def __init__(self, loss, loss_weights=None):
        def resolve(identifier):
            return None if identifier is None else losses_module.as_loss(identifier)

        if isinstance(loss, dict):
            self._losses = {k: resolve(v) for k, v in loss.items()}
        elif isinstance(loss, (list, tuple)):
            self._losses = [resolve(v) for v in loss]
        else:
            self._losses = resolve(loss)
        if loss_weights is not None and not isinstance(loss_weights, (numbers.Real, list, tuple, dict)):
            raise ValueError(f"compile: `loss_weights` must be a number, a list or a dict, got {loss_weights!r}")
        for w in (loss_weights.values() if isinstance(loss_weights, dict) else
                  loss_weights if isinstance(loss_weights, (list, tuple)) else [loss_weights]):
            if w is not None and (isinstance(w, bool) or not isinstance(w, numbers.Real)):
                raise ValueError(f"compile: every loss weight must be a number, got {w!r} in {loss_weights!r}")
        self._weights = loss_weights
        self.entries = None  # [(output index, Loss, weight, name)] once built
        self.trackers = []

    def losses_for(self, names: list) -> list:
        """The ``Loss`` of each output in ``names`` (None where it has none), without building."""
        return _per_output(self._losses, names, len(names), "loss", nested_ok=False)

    def build(self, names: list) -> None:
        """Match the losses to the model's ``names`` (its outputs, in order)."""
        n = len(names)
        losses = _per_output(self._losses, names, n, "loss", nested_ok=False)
        if isinstance(self._weights, numbers.Real) or self._weights is None:
            weights = [self._weights] * n
        else:
            weights = _per_output(self._weights, names, n, "loss_weights", nested_ok=False)
        self.entries = [(i, loss, weights[i], names[i] if n > 1 else loss.name)
                        for i, loss in enumerate(losses) if loss is not None]
        if not self.entries:
            raise ValueError(f"compile: no loss is given for any of the outputs {names}")
        self.trackers = []
        if len(self.entries) > 1:
            self.trackers = [metrics_module.Mean(name=f"{name}_loss") for _, _, _, name in self.entries]

    def __call__(self, y_true: list, y_pred: list, sample_weight: list):
        """Σₖ λₖ·Lₖ over the outputs that have a loss (flat lists in output order)."""
        total = None
        batch_size = y_pred[0].shape[0] if y_pred[0].ndim else 1
        for k, (i, loss, weight, _) in enumerate(self.entries):
            if y_true[i] is None:
                raise ValueError(f"the model's output {i} has a loss but no target was given for it (y is None)")
            value = loss(y_true[i], y_pred[i], sample_weight=sample_weight[i])
            _check_differentiable(value, y_pred[i], loss)
            if self.trackers:
                self.trackers[k].update_state(float(value.data), sample_weight=batch_size)
            if weight is not None:
                value = value * float(weight)
            total = value if total is None else total + value
        return total

    def reset_state(self) -> None:
        for tracker in self.trackers:
            tracker.reset_state()


class CompileMetrics:
    """The metrics of ``compile(metrics=..., weighted_metrics=...)``, per output.

    ``metrics`` ignore sample weights; ``weighted_metrics`` use them (Keras's split).
    Each is a list of identifiers (one output), or a list with one entry (an identifier or
    a list) per output, or a dict by output name. "accuracy"/"acc" becomes binary,
    categorical or sparse categorical accuracy from the shapes of the first batch
    (``metrics.as_metric`` / ``metrics.resolve_accuracy``).

    Raises:
        ValueError: for an unknown metric name or a structure of the wrong form.
    """

    def __init__(self, metrics=None, weighted_metrics=None):
        for argument, spec in (("metrics", metrics), ("weighted_metrics", weighted_metrics)):
            if spec is not None and not isinstance(spec, (list, tuple, dict)):
                raise ValueError(f"compile: `{argument}` must be a list or a dict, got {spec!r} "
                                 f"(write {argument}=[{spec!r}])")
            for identifier in _identifiers(spec):
                if isinstance(identifier, str) and identifier.lower() not in ("accuracy", "acc"):
                    metrics_module.get(identifier)  # raises for unknown names
        self._specs = (metrics, weighted_metrics)
        self.per_output = None  # [(output index, prefix, [(name, Metric)], weighted)] once built

    def build(self, names: list, y_true: list, y_pred: list, losses: list) -> None:
        """Create the metric objects for outputs ``names`` from the first batch."""
        n = len(names)
        self.per_output = []
        for spec, weighted in zip(self._specs, (False, True)):
            if not spec:
                continue
            if n == 1 and isinstance(spec, (list, tuple)):
                spread = [list(spec)]
            else:
                spread = _per_output(spec, names, n, "weighted_metrics" if weighted else "metrics", nested_ok=False)
            for i, entry in enumerate(spread):
                if entry is None:
                    continue
                identifiers = entry if isinstance(entry, (list, tuple)) else [entry]
                made = []
                for identifier in identifiers:
                    if identifier is not None:
                        metric = metrics_module.as_metric(identifier, y_true[i], y_pred[i], losses[i])
                        made.append((metric.name, metric))
                self.per_output.append((i, names[i] + "_" if n > 1 else "", made, weighted))

    @property
    def metrics(self) -> list:
        return [m for _, _, made, _ in (self.per_output or []) for _, m in made]

    def update_state(self, y_true: list, y_pred: list, sample_weight: list, masks: list = None) -> None:
        """Add a batch to every metric; ``masks`` are the outputs' ``_keras_mask`` (or None).

        As Keras 3's ``MeanMetricWrapper`` (every mean-of-a-function metric: accuracies,
        MSE, cross-entropies, ...), an output's mask m is a 0/1 weight multiplied into the
        sample weights — of the weighted *and* the unweighted metrics — so a metric is the
        masked mean Σ w·m·v / Σ w·m over the epoch. Other metrics (AUC, precision, ...)
        ignore the mask, as in Keras.
        """
        for i, _, made, weighted in self.per_output:
            weight = sample_weight[i] if weighted else None
            mask = masks[i] if masks is not None else None
            for _, metric in made:
                w = weight
                if mask is not None and isinstance(metric, metrics_module.MeanMetricWrapper):
                    w = apply_mask(None if weight is None else to_array(weight, "sample_weight", "float64"),
                                   mask, "float64", reduction="sum")    # Keras: w·m, m ∈ {0, 1}
                metric.update_state(y_true[i], y_pred[i], sample_weight=w)

    def result(self) -> dict:
        """``{name: value}``, names prefixed by the output's name for multi-output models."""
        results = {}
        for _, prefix, made, weighted in self.per_output or []:
            for name, metric in made:
                key = prefix + name
                if key in results:
                    key = prefix + ("weighted_" + name if weighted else name)
                    key = key if key not in results else f"{key}_{sum(k.startswith(key) for k in results)}"
                results[key] = metric.result()
        return results

    def reset_state(self) -> None:
        for metric in self.metrics:
            metric.reset_state()


def _check_differentiable(value, y_pred, loss) -> None:
    """Raise if a loss of an output that records the graph came back without one.

    A loss written with NumPy or returning a Python number (``lambda y, p: 1.0``,
    ``np.mean(...)`` of ``p.numpy()``) has no path back to the weights: backward would give
    no gradient and ``fit`` would train nothing while logging a normal-looking loss.
    """
    if getattr(y_pred, "requires_grad", False) and not value.requires_grad:
        raise ValueError(f"the loss {getattr(loss, 'name', loss)!r} returned a value with no gradient path to the "
                         "model's output (a Python number, or a NumPy computation): it cannot train the model. "
                         "Write the loss with glassnet.ops on its y_pred argument, e.g. "
                         "ops.mean(ops.square(y_pred - y_true), axis=-1)")


class first_batch_guard:
    """Context manager around the forward pass, loss and metrics of a training step, until
    one has passed after ``compile``: if they fail, the non-trainable weights the forward
    pass moved (batch-normalization statistics) are put back, so a failed call leaves every
    weight as it was. The trainable weights need nothing: the optimizer step comes after
    the metrics.

    The first batches build the compiled loss and metrics from the shapes of the data, where
    a mismatch of ``compile``'s arguments with the data shows (metrics=["mse"] on sparse
    labels). Once a step has passed, later ones run unguarded, copying nothing.

    Args:
        model: the model being trained.
    """

    def __init__(self, model):
        self._compiled = [c for c in (getattr(model, "_compile_loss", None), getattr(model, "_compile_metrics", None))
                          if c is not None and not getattr(c, "passed_a_step", False)]
        self._saved = [(v, v.data.copy()) for v in model.non_trainable_weights] if self._compiled else None

    def __enter__(self):
        return self

    def __exit__(self, error_type, error, traceback):
        if error_type is None:
            for compiled in self._compiled:
                compiled.passed_a_step = True
        elif self._saved:
            for variable, value in self._saved:
                variable.data[...] = value
        return False


def _identifiers(spec) -> list:
    """Every leaf identifier of a metrics spec."""
    if spec is None:
        return []
    if isinstance(spec, dict):
        return [i for v in spec.values() for i in _identifiers(v)]
    if isinstance(spec, (list, tuple)):
        return [i for v in spec for i in _identifiers(v)]
    return [spec]

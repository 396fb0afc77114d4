"""compile, fit, evaluate, predict: the training loop, as Keras 3 runs it.

One training step on a batch (x, y, s):

    ŷ = model(x, training=True)                         forward
    L = Σₖ λₖ·Lₖ(yₖ, ŷₖ, sₖ) + Σ penalties              loss (+ regularization)
    ∂L/∂w for every trainable weight w                  backward (loss.backward())
    w ← optimizer update(w, ∂L/∂w)                      optimizer step

What ``fit`` reports, per epoch (Keras's numbers):

* "loss" is the mean of the batch losses weighted by batch size, each computed *before*
  that batch's update, the short last batch included: Σ_b n_b·L_b / Σ_b n_b. It includes
  the regularization penalties.
* each metric runs over the epoch's batches the same way (its own running state);
* an output that carries a mask (``_keras_mask``, e.g. after ``Embedding(mask_zero=True)``)
  keeps it into the loss and the metrics: padding counts in neither (``losses.base``,
  ``CompileMetrics.update_state``), as in Keras 3;
* "val_<name>" are computed after the epoch on the whole validation set, in inference
  mode (dropout off, batch normalization with its moving statistics).

fit, evaluate, predict, train_on_batch and test_on_batch run with subnormal floats flushed
to zero (``glassnet.subnormals``), so state that decays towards zero never slows training.
predict_on_batch, made for low latency, does not switch the mode (~5 µs): one inference
call keeps no state that could decay.

Shuffling draws from ``glassnet.backend.rng()``: after ``glassnet.utils.set_random_seed``
a run repeats bit for bit.
"""
from __future__ import annotations

import numbers
import warnings

import numpy as np

from .. import config
from ..layers.base import map_structure
from ..tensor import Tensor, no_grad
from . import data_adapter as adapters
from . import data_checks
from . import numerics
from .compile_utils import CompileLoss, CompileMetrics, flatten_outputs
from ..utils.py_dataset import pack_x_y_sample_weight
from .steps import Steps, pythonify_logs
from .runtime import computing


class Trainer(Steps):
    """The training API of ``Model`` (mixed into it); one step of each loop is in ``Steps``."""

    def _init_trainer(self) -> None:
        self.compiled = False
        self.optimizer = None
        self.loss = None
        self.stop_training = False
        self.history = None
        self._compile_loss = None
        self._compile_metrics = None
        self._loss_tracker = None
        self._compile_arguments = None

    # --- compile ------------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None, weighted_metrics=None,
                run_eagerly=False, steps_per_execution=1, jit_compile="auto", auto_scale_loss=True):
        """Configure the model for training.

        Args:
            optimizer: name ("adam", "sgd", ...) or optimizer instance.
            loss: name, function or ``Loss``; for several outputs, a list or a dict by
                output name (one loss is used for every output).
            loss_weights: scalar coefficients λₖ of the outputs' losses (list or dict).
            metrics: list of metric names/objects ("accuracy" picks binary, categorical
                or sparse categorical accuracy from the shapes), or per output a list or
                dict; they ignore sample weights.
            weighted_metrics: like ``metrics``, weighted by sample_weight/class_weight.
            run_eagerly, steps_per_execution, jit_compile, auto_scale_loss: accepted for
                Keras compatibility; glassnet always runs eagerly, one batch per step,
                so callbacks see every batch.

        Raises:
            ValueError: for an unknown optimizer, loss or metric name, or loss weights of
                the wrong form (nothing is changed then).
        """
        from .. import metrics as metrics_module
        from .. import optimizers

        if any(type(m).__module__ == "numpy" for m in (metrics, weighted_metrics)):
            raise TypeError("compile: `metrics` and `weighted_metrics` must be a list or a dict of metrics, "
                            f"got {type(metrics).__name__}")
        optimizer = optimizers.get(optimizer)
        compile_loss = CompileLoss(loss, loss_weights) if loss is not None else None
        compile_metrics = (CompileMetrics(metrics, weighted_metrics) if metrics or weighted_metrics else None)
        self.optimizer = optimizer
        self.loss = loss
        self.loss_weights = loss_weights
        self._compile_loss = compile_loss
        self._compile_metrics = compile_metrics
        self._loss_tracker = metrics_module.Mean(name="loss")
        self._compile_arguments = {"loss": loss, "loss_weights": loss_weights, "metrics": metrics,
                                   "weighted_metrics": weighted_metrics}
        self.stop_training = False
        self.compiled = True

    def _assert_compiled(self, method: str) -> None:
        if not getattr(self, "compiled", False):
            raise RuntimeError(f"You must call compile() before {method}(): model {self.name!r} is not compiled. "
                               "Example: model.compile(optimizer='adam', loss='mse')")
        # compile(optimizer=None) is accepted, as in Keras (a model that only evaluates); training needs one
        if method in ("fit", "train_on_batch") and self.optimizer is None and type(self).train_step is Steps.train_step:
            raise ValueError(f"{method}: model {self.name!r} was compiled with optimizer=None, so it can evaluate and "
                             "predict but not train; compile it with an optimizer, e.g. "
                             "model.compile(optimizer='rmsprop', loss=...)")

    def get_compile_config(self):
        """The arguments of ``compile``, JSON-able (None if not compiled); see ``compile_from_config``."""
        if not getattr(self, "compiled", False):
            return None
        from .. import losses, metrics, optimizers

        def encode(value, module):
            if value is None or isinstance(value, (str, numbers.Number)):
                return value
            if isinstance(value, (list, tuple)):
                return [encode(v, module) for v in value]
            if isinstance(value, dict):
                return {k: encode(v, module) for k, v in value.items()}
            return module.serialize(value)

        arguments = self._compile_arguments
        return {"optimizer": optimizers.serialize(self.optimizer), "loss": encode(arguments["loss"], losses),
                "loss_weights": arguments["loss_weights"], "metrics": encode(arguments["metrics"], metrics),
                "weighted_metrics": encode(arguments["weighted_metrics"], metrics)}

    def compile_from_config(self, config: dict, custom_objects=None) -> None:
        """``compile`` with the arguments ``get_compile_config`` returned."""
        from .. import losses, metrics, optimizers

        def decode(value, module):
            if value is None or isinstance(value, (str, numbers.Number)):
                return value
            if isinstance(value, list):
                return [decode(v, module) for v in value]
            if isinstance(value, dict) and "class_name" not in value:
                return {k: decode(v, module) for k, v in value.items()}
            return module.deserialize(value, custom_objects)

        self.compile(optimizer=optimizers.deserialize(config["optimizer"], custom_objects),
                     loss=decode(config.get("loss"), losses), loss_weights=config.get("loss_weights"),
                     metrics=decode(config.get("metrics"), metrics),
                     weighted_metrics=decode(config.get("weighted_metrics"), metrics))

    # --- fit ----------------------------------------------------------------------------
    @computing
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None, validation_split=0.0,
            validation_data=None, shuffle=True, class_weight=None, sample_weight=None, initial_epoch=0,
            steps_per_epoch=None, validation_steps=None, validation_batch_size=None, validation_freq=1,
            check_numerics=False, distribute=None):
        """Train the model for ``epochs`` passes over the data; returns the ``History``.

        Args:
            x, y: inputs and targets: arrays (a list or dict of them for several inputs or
                outputs), or x alone as a batched ``Dataset`` / generator of (x, y) or
                (x, y, sample_weight) batches.
            batch_size: samples per update (default 32; not used for Datasets).
            epochs: train until this epoch index (counting from ``initial_epoch``).
            verbose: 0 silent, 1 progress bar, 2 one line per epoch, "auto".
            callbacks: list of ``glassnet.callbacks.Callback``.
            validation_split: fraction of the array data (the *last* samples, before
                shuffling) held out for validation.
            validation_data: (x_val, y_val), (x_val, y_val, sample_weight_val) or a
                Dataset; overrides ``validation_split``.
            shuffle: reshuffle the array data every epoch ("batch": shuffle the order
                of the batches only).
            class_weight: ``{class: weight}`` scaling each sample's loss by its class.
            sample_weight: one weight per sample (or per sample and time step).
            initial_epoch: the epoch to start at (to resume a run).
            steps_per_epoch: batches per epoch (default: one pass over the data).
            validation_steps: batches of validation data per evaluation (default all).
            validation_batch_size: batch size for validation (default ``batch_size``).
            validation_freq: validate every this many epochs (an int), or after the
                epochs listed (1-based) in a list.
            check_numerics: test every layer's outputs and gradients for NaN and ±inf and
                raise ``FloatingPointError`` naming the first layer whose forward or backward
                pass produced one (``glassnet.models.numerics``; slower, for debugging).
            distribute: a ``glassnet.distributed.DataParallel`` strategy to train over MPI
                ranks (also taken from an enclosing ``strategy.scope()``); ``batch_size``
                is then the global batch.

        Returns:
            The ``History`` callback: ``history.history`` maps "loss", each metric and
            each "val_" name to one value per epoch.

        Raises:
            RuntimeError: if the model is not compiled.
            ValueError: for inconsistent or empty data, a bad argument, an input shape
                the model cannot take, NaN or infinite values in x, y, sample_weight or the
                validation data, or targets the loss cannot take (sparse labels outside
                [0, classes), binary targets outside [0, 1]) — before anything is trained.
                Batches of a Dataset or generator are checked each before its step.
            FloatingPointError: with ``check_numerics``, at the first non-finite value.
        """
        self._assert_compiled("fit")
        arguments = {k: v for k, v in locals().items() if k not in ("self", "distribute")}
        from ..distributed.strategy import strategy_for          # no MPI import unless a strategy is used
        strategy = strategy_for(self, distribute)
        if strategy is not None:
            return strategy.fit(self, **arguments)               # shards, wraps, then calls fit again
        train, val = self._fit_data(x, y, sample_weight, class_weight, batch_size, shuffle, validation_split,
                                    validation_data, validation_batch_size, steps_per_epoch, validation_steps)
        _check_epochs(epochs, initial_epoch, validation_freq)
        if config.max_epochs() and config.max_epochs() < epochs:
            warnings.warn(f"Limiting epochs to {config.max_epochs()} (glassnet.config.set_max_epochs)", stacklevel=2)
            epochs = config.max_epochs()
        callbacks = self._callback_list(callbacks, verbose, epochs=epochs, steps=train.steps, add_history=True)
        self.stop_training = False
        logs = {}
        callbacks.on_train_begin()
        # a callback may move the start: BackupAndRestore resuming a killed run sets _initial_epoch (as Keras 3)
        initial_epoch, self._initial_epoch = getattr(self, "_initial_epoch", None) or initial_epoch, None
        checking = numerics.set_checking(check_numerics)
        try:
            for epoch in range(initial_epoch, epochs):
                self.reset_metrics()
                callbacks.on_epoch_begin(epoch)
                for step, batch in enumerate(train):
                    callbacks.on_train_batch_begin(step)
                    logs = pythonify_logs(self.train_step(as_data(batch)))  # forward, loss, backward, update
                    callbacks.on_train_batch_end(step, logs)
                    if self.stop_training:
                        break
                if train.batches_seen == 0:  # a generator ran out of data: no epoch to report
                    break
                logs = self._epoch_logs(logs)
                if val is not None and _should_validate(epoch, validation_freq):
                    val_logs = self._evaluate_epoch(val, callbacks)
                    logs.update({"val_" + name: value for name, value in val_logs.items()})
                callbacks.on_epoch_end(epoch, logs)
                if self.stop_training or train.exhausted:
                    break
        except BaseException as error:   # a crash or Ctrl-C: tell the callbacks (a run log records it), re-raise
            callbacks.on_train_error(error)
            raise
        finally:
            numerics.restore(checking)
        if self.optimizer is not None and epochs > 0:     # e.g. use_ema: the weights become their average
            self.optimizer.finalize_variable_values(self.trainable_weights)
        callbacks.on_train_end(logs)
        return self.history

    def _fit_data(self, x, y, sample_weight, class_weight, batch_size, shuffle, validation_split, validation_data,
                  validation_batch_size, steps_per_epoch, validation_steps):
        """(train EpochIterator, validation EpochIterator or None), all checks done."""
        if not isinstance(validation_split, numbers.Real) or not 0.0 <= validation_split < 1.0:
            raise ValueError(f"fit: `validation_split` must be a float in [0, 1), got {validation_split!r}")
        split = bool(validation_split) and validation_data is None
        data = adapters.adapt(x, y, sample_weight, batch_size, shuffle, None if split else class_weight, owner="fit")
        data = self._checked(data, "fit")  # before the split: indices count in the data as given
        val = None
        if validation_data is not None:
            val = self._checked(self._validation_data(validation_data, validation_batch_size or batch_size),
                                "fit (validation_data)")
        elif split:
            if not isinstance(data, adapters.ArrayData):
                raise ValueError("fit: `validation_split` is only supported for array data, not for a Dataset or "
                                 "generator; pass validation_data instead")
            data, val = data.split(validation_split, class_weight)  # class weights: training part only
            if validation_batch_size is not None:
                val = adapters.ArrayData(val.x, val.y, val.sample_weight, validation_batch_size, owner="fit")
        train = adapters.EpochIterator(data, steps_per_epoch, owner="fit")
        if val is not None:
            val = adapters.EpochIterator(val, validation_steps, owner="fit", argument="validation_steps")
        return train, val

    def _epoch_logs(self, logs: dict) -> dict:
        """The logs of an epoch (or evaluation) from the last step's: ``get_metrics_result()``
        when the step returned exactly its names (then the values are the same running
        means, read once more), else what the step returned (a custom ``train_step``'s names)."""
        metric_logs = self.get_metrics_result()
        if not logs or set(logs) == set(metric_logs):
            return metric_logs
        return logs

    def _validation_data(self, validation_data, batch_size):
        if adapters.is_iterable_source(validation_data):
            return adapters.adapt(validation_data, owner="fit (validation_data)")
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
            raise ValueError("fit: `validation_data` must be (x_val, y_val), (x_val, y_val, sample_weight_val) or a "
                             f"Dataset, got {type(validation_data).__name__}"
                             + (f" of length {len(validation_data)}" if isinstance(validation_data, (tuple, list))
                                else ""))
        x_val, y_val, w_val = adapters.unpack_batch(tuple(validation_data))
        return adapters.ArrayData(x_val, y_val, w_val, batch_size, owner="fit (validation_data)")

    def _check_input_data(self, x) -> None:
        """Check the input arrays against the model's input shapes, if it knows them."""
        specs = self._input_specs() if hasattr(self, "_input_specs") else None
        if not specs:
            return
        flat = self._flatten_inputs(x) if hasattr(self, "_flatten_inputs") else [x]
        for (layer_name, expected), array in zip(specs, flat):
            shape = tuple(np.shape(array))
            if len(shape) != len(expected) or any(e is not None and e != s for e, s in zip(expected[1:], shape[1:])):
                raise ValueError(f"Input of model {self.name!r} (input layer {layer_name!r}) is incompatible: "
                                 f"expected shape {tuple(expected)}, got data of shape {shape}")

    def _checks_own_inputs(self) -> bool:
        """Whether calling the model checks the input shapes itself (a built Sequential or
        functional model does, against its Input layers), so no separate check is needed."""
        return bool(getattr(self, "_input_specs", None) and self._input_specs())

    def _check_targets(self, y) -> None:
        if y is None and self._compile_loss is not None:
            raise ValueError(f"model {self.name!r} was compiled with a loss, so it needs targets: pass y "
                             "(or (x, y) batches)")

    def _checked(self, data, where: str):
        """``data`` after its checks: array data is checked whole now (``_check_data``); a
        Dataset or generator is wrapped so that each batch is checked before its step."""
        if isinstance(data, adapters.ArrayData):
            self._check_data(data.x, data.y, data.sample_weight, where)
            return data
        return data_checks.CheckedBatches(data, self._check_batch, where)

    def _check_data(self, x, y, sample_weight, where: str) -> None:
        """All checks of one set of arrays, before any step: the input shapes, targets
        present, every float value finite, the targets valid for the loss (``data_checks``)."""
        self._check_input_data(x)
        self._check_targets(y)
        self._check_batch(x, y, sample_weight, where)

    def _check_batch(self, x, y, sample_weight, where: str) -> None:
        """The value checks of ``data_checks`` on one batch (or all the array data)."""
        data_checks.check_finite(x, "x", where)
        data_checks.check_finite(y, "y", where)
        data_checks.check_finite(sample_weight, "sample_weight", where)
        if y is not None and getattr(self, "_compile_loss", None) is not None:
            for target, loss, shape, argument in self._targets_with_losses(x, y):
                data_checks.check_targets(target, loss, shape, argument, where)

    def _targets_with_losses(self, x, y) -> list:
        """[(target array, Loss, output shape or None, argument name)] for each output with a
        loss; [] when y does not match the outputs (``compute_loss`` then says how)."""
        shapes = self._known_output_shapes(x)
        names = list(getattr(self, "output_names", None) or [])
        n = len(shapes) if shapes is not None else len(names) or (None if isinstance(y, (list, tuple, dict)) else 1)
        if n is None:
            return []
        if len(names) != n:
            names = [f"output_{i + 1}" for i in range(n)] if n > 1 else ["output"]
        try:
            targets = flatten_outputs(y, names, n, "y")
            losses = self._compile_loss.losses_for(names)
        except ValueError:
            return []
        if isinstance(y, dict):
            arguments = [f"y[{name!r}]" for name in names]
        else:
            arguments = [f"y[{i}]" for i in range(n)] if n > 1 else ["y"]
        return [(target, loss, shapes[i] if shapes else None, arguments[i])
                for i, (target, loss) in enumerate(zip(targets, losses)) if loss is not None]

    def _known_output_shapes(self, x):
        """The shapes of the model's outputs if known without running it, else None.

        A built functional or Sequential model knows them; an unbuilt Sequential whose
        layers all have their own ``compute_output_shape`` can say from x (nothing is built,
        no random number drawn); a subclassed model cannot.
        """
        from ..layers.base import Layer
        from .sequential import Sequential

        outputs = getattr(self, "outputs", None)
        if outputs:
            return [tuple(t.shape) for t in outputs]
        if (isinstance(self, Sequential) and self.layers and isinstance(x, np.ndarray) and x.ndim
                and all(type(layer).compute_output_shape is not Layer.compute_output_shape for layer in self.layers)):
            try:
                return [tuple(self.compute_output_shape((None, *x.shape[1:])))]
            except Exception:  # a layer that cannot tell from the shape alone: unknown
                return None
        return None

    def _callback_list(self, callbacks, verbose, epochs, steps, add_history=False):
        """The callbacks of one fit/evaluate/predict call; only fit records a History
        (so ``model.history`` stays the last fit's after an evaluate, as in Keras)."""
        from ..callbacks import CallbackList
        from ..callbacks.progbar import resolve_verbose

        resolve_verbose(verbose, "verbose")  # validate early
        return CallbackList(callbacks, add_history=add_history, add_progbar=verbose != 0, model=self, verbose=verbose,
                            epochs=epochs, steps=steps)

    # --- evaluate and predict -----------------------------------------------------------
    @computing
    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, steps=None,
                 callbacks=None, return_dict=False):
        """The loss and metrics on data, in inference mode, without updating anything.

        Returns:
            The loss (a float) if there are no metrics, else the list ``[loss, *metrics]``
            in ``metrics_names`` order; a dict when ``return_dict`` is True.

        Raises:
            RuntimeError: if not compiled. ValueError: for bad data: inconsistent or
                empty, NaN or infinite values, targets the loss cannot take.
        """
        self._assert_compiled("evaluate")
        data = self._checked(adapters.adapt(x, y, sample_weight, batch_size, owner="evaluate"), "evaluate")
        data = adapters.EpochIterator(data, steps, owner="evaluate", argument="steps")
        callbacks = self._callback_list(callbacks, verbose, epochs=1, steps=data.steps)
        logs = self._evaluate_epoch(data, callbacks)
        return logs if return_dict else _flatten_logs(logs)

    def _evaluate_epoch(self, data, callbacks) -> dict:
        self.reset_metrics()
        callbacks.on_test_begin()
        logs = {}
        with no_grad():
            for step, batch in enumerate(data):
                callbacks.on_test_batch_begin(step)
                logs = pythonify_logs(self.test_step(as_data(batch)))
                callbacks.on_test_batch_end(step, logs)
        logs = self._epoch_logs(logs)
        callbacks.on_test_end(logs)
        return logs

    @computing
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """The model's outputs on ``x`` as NumPy arrays (inference mode, no graph recorded).

        Returns:
            An array, or a list/dict of arrays for several outputs.

        Raises:
            ValueError: for empty data, an input shape the model cannot take, or NaN or
                infinite values in x (Keras would return NaN predictions for them; here
                the bad sample is named instead).
        """
        data = adapters.adapt(x, batch_size=batch_size, owner="predict")
        if isinstance(data, adapters.ArrayData):
            self._check_input_data(data.x)
            data_checks.check_finite(data.x, "x", "predict")
        else:
            data = data_checks.CheckedBatches(
                data, lambda x, y, w, where: data_checks.check_finite(x, "x", where), "predict")
        data = adapters.EpochIterator(data, steps, owner="predict", argument="steps")
        callbacks = self._callback_list(callbacks, verbose, epochs=1, steps=data.steps)
        batches = []
        callbacks.on_predict_begin()
        with no_grad():
            for step, batch in enumerate(data):
                callbacks.on_predict_batch_begin(step)
                outputs = map_structure(_to_numpy, self.predict_step(as_data(batch)))
                batches.append(outputs)
                callbacks.on_predict_batch_end(step, {"outputs": outputs})
        callbacks.on_predict_end()
        if not batches:
            raise ValueError("predict: the data yielded no batches")
        return _concatenate_batches(batches)

    # --- single batches -----------------------------------------------------------------
    @computing
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        """One training step on one batch; returns the running loss/metrics (as Keras 3,
        they accumulate across calls until ``reset_metrics()``)."""
        self._assert_compiled("train_on_batch")
        data = adapters.ArrayData(x, y, sample_weight, batch_size=2**62, class_weight=class_weight,
                                  owner="train_on_batch")
        self._check_data(data.x, data.y, data.sample_weight, "train_on_batch")
        logs = self._epoch_logs(pythonify_logs(self.train_step(as_data(next(iter(data))))))
        return logs if return_dict else _flatten_logs(logs)

    @computing
    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """The loss/metrics of one batch in inference mode (running, as ``train_on_batch``)."""
        self._assert_compiled("test_on_batch")
        data = adapters.ArrayData(x, y, sample_weight, batch_size=2**62, owner="test_on_batch")
        self._check_data(data.x, data.y, data.sample_weight, "test_on_batch")
        with no_grad():
            logs = self._epoch_logs(pythonify_logs(self.test_step(as_data(next(iter(data))))))
        return logs if return_dict else _flatten_logs(logs)

    def predict_on_batch(self, x):
        """The outputs on one batch as NumPy arrays (inference mode)."""
        x = adapters.to_arrays(x, "x", allow_strings=True)
        if not self._checks_own_inputs():
            self._check_input_data(x)
        data_checks.check_finite(x, "x", "predict_on_batch")
        with no_grad():
            return map_structure(_to_numpy, self(x, training=False))


def as_data(batch: tuple):
    """An adapter's ``(x, y, sample_weight)`` as the ``data`` a step receives, packed as
    Keras packs it: ``x`` alone (``(x,)`` when x is a list or tuple of inputs), ``(x, y)``,
    or ``(x, y, sample_weight)``."""
    return pack_x_y_sample_weight(*batch)


def _to_numpy(value):
    return value.numpy() if isinstance(value, Tensor) else np.asarray(value)


def _concatenate_batches(batches: list):
    """Join per-batch outputs (same structure each) along the batch axis."""
    first = batches[0]
    if isinstance(first, dict):
        return {k: _concatenate_batches([b[k] for b in batches]) for k in first}
    if isinstance(first, (list, tuple)):
        return type(first)(_concatenate_batches([b[i] for b in batches]) for i in range(len(first)))
    return first.copy() if len(batches) == 1 else np.concatenate(batches, axis=0)


def _flatten_logs(logs: dict):
    values = list(logs.values())
    return values[0] if len(values) == 1 else values


def _check_epochs(epochs, initial_epoch, validation_freq) -> None:
    for name, value in (("epochs", epochs), ("initial_epoch", initial_epoch)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise ValueError(f"fit: `{name}` must be a non-negative int, got {value!r}")
    if isinstance(validation_freq, (int, np.integer)) and not isinstance(validation_freq, bool):
        if validation_freq < 1:
            raise ValueError(f"fit: `validation_freq` must be >= 1, got {validation_freq!r}")
    elif not (isinstance(validation_freq, (list, tuple, set)) and all(isinstance(e, int) for e in validation_freq)):
        raise ValueError(f"fit: `validation_freq` must be an int or a list of epoch numbers, got {validation_freq!r}")


def _should_validate(epoch: int, validation_freq) -> bool:
    if isinstance(validation_freq, (list, tuple, set)):
        return epoch + 1 in validation_freq
    return (epoch + 1) % validation_freq == 0


__all__ = ["Trainer"]

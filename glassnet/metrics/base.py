"""The Metric contract, and the running (weighted) mean and sum every simple metric is built on.

A metric is *stateful*: ``update_state(y_true, y_pred, sample_weight=None)`` adds a
batch to its totals, ``result()`` reads the value over everything seen since the last
``reset_state()``. That is how ``fit`` reports accuracy over an epoch: the mean of the
per-sample values of all its batches, which is not the mean of the per-batch means when
the last batch is short.

Metrics work on NumPy (a Tensor gives its values; nothing is differentiated). Their state
is a few NumPy arrays (``metric.variables``), updated in place, accumulated in float64
whatever ``dtype`` is (``dtype`` is the dtype of an array result). ``result()`` returns
a Python float, or a NumPy array for per-class / per-threshold results.

Sample weights, as Keras's ``Mean``: per-sample values vᵢ with weights wᵢ give
``Σᵢ wᵢ·vᵢ / Σᵢ wᵢ``; values with more axes than the weights are first averaged over the
extra axes (a weight per sample, a value per sample). A scalar weight w counts the whole
batch as one sample of weight w.
"""
from __future__ import annotations

import numpy as np

from .. import backend
from ..losses.base import apply_mask, squeeze_or_expand_to_same_rank, to_array
from ..registry import deserialize_item, to_snake_case
from ..tensor import Tensor, no_grad


def to_numpy(x, argument: str = "input") -> np.ndarray:
    """Metric input as a NumPy array (a Tensor gives its ``.data``): ``losses.base.to_array``.

    Raises:
        TypeError: if ``x`` is not numeric.
    """
    return to_array(x, argument)


class Metric:
    """Base class of the metrics.

    Subclasses create their state with ``add_variable`` in ``__init__`` (or on the first
    ``update_state``) and implement ``update_state`` and ``result``; ``reset_state`` sets
    every state array back to zero.

    Args:
        name: a label, the key of the metric in ``History.history`` (default: the class
            name in snake_case).
        dtype: dtype of array results (default ``backend.floatx()``).
    """

    def __init__(self, name=None, dtype=None):
        self.name = name or to_snake_case(type(self).__name__)
        self._dtype = str(np.dtype(dtype or backend.floatx()))
        self._variables = {}

    @property
    def dtype(self) -> str:
        return self._dtype

    def add_variable(self, shape, name: str) -> np.ndarray:
        """A zero float64 state array of ``shape``, listed in ``variables`` under ``name``."""
        array = np.zeros(shape, dtype=np.float64)
        self._variables[name] = array
        return array

    @property
    def variables(self) -> list:
        """The state arrays, in creation order (modify in place to restore a saved state)."""
        return list(self._variables.values())

    def update_state(self, *args, **kwargs) -> None:
        """Add a batch to the state. Subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} must implement update_state")

    def result(self):
        """The metric over everything seen since the last reset. Subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} must implement result")

    def reset_state(self) -> None:
        """Forget everything seen: every state array back to zero."""
        for array in self._variables.values():
            array[...] = 0.0

    def __call__(self, *args, **kwargs):
        """``update_state(*args, **kwargs)``, then ``result()`` (as Keras 3)."""
        self.update_state(*args, **kwargs)
        return self.result()

    def _to_result(self, value):
        """A 0-d value as a Python float, anything larger as an array of ``dtype``."""
        value = np.asarray(value)
        return float(value) if value.ndim == 0 else value.astype(self._dtype)

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r}>"


def reduce_to_samplewise_values(values, sample_weight, reduce_fn=np.mean):
    """Per-sample values and weights (Keras's rule; see the module docstring).

    Returns:
        (values, sample_weight): values reduced to one per sample (or a scalar), weights
        broadcast to them (or None).

    Raises:
        ValueError: when the weights cannot be broadcast to the values.
    """
    values = np.asarray(values, dtype=np.float64)
    if sample_weight is not None:
        sample_weight = np.asarray(to_numpy(sample_weight, "sample_weight"), dtype=np.float64)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_ndim = sample_weight.ndim
        if values.ndim > weight_ndim:
            values = reduce_fn(values, axis=tuple(range(weight_ndim, values.ndim)))
        try:
            sample_weight = np.broadcast_to(sample_weight, values.shape)
        except ValueError:
            raise ValueError(
                f"sample_weight of shape {sample_weight.shape} cannot be broadcast to values of shape "
                f"{values.shape}; expected one weight per sample"
            ) from None
        values = values * sample_weight
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, axis=tuple(range(1, weight_ndim)))
    if values.ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values.ndim)))
    return values, sample_weight


class Sum(Metric):
    """The running (weighted) sum: total = Σᵢ wᵢ·vᵢ.

    Example: values [1, 3, 5, 7] → 16; with weights [1, 1, 0, 0] → 4.
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable((), "total")

    def update_state(self, values, sample_weight=None) -> None:
        values, _ = reduce_to_samplewise_values(to_numpy(values, "values"), sample_weight, np.sum)
        self.total += np.sum(values)

    def result(self) -> float:
        return float(self.total)


class Mean(Metric):
    """The running (weighted) mean: total / count = Σᵢ wᵢ·vᵢ / Σᵢ wᵢ (0 before any update).

    Example: values [1, 3, 5, 7] → 4; with weights [1, 1, 0, 0] → 2.
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable((), "total")
        self.count = self.add_variable((), "count")

    def update_state(self, values, sample_weight=None) -> None:
        if isinstance(values, float) and isinstance(sample_weight, (int, float)):    # fit's running loss
            self.total += values * sample_weight
            self.count += sample_weight
            return
        values, sample_weight = reduce_to_samplewise_values(to_numpy(values, "values"), sample_weight, np.mean)
        self.total += np.sum(values)
        if sample_weight is not None:
            self.count += np.sum(sample_weight)
        else:
            self.count += values.shape[0] if values.ndim >= 1 else 1

    def result(self) -> float:
        return float(self.total / self.count) if self.count != 0 else 0.0


class MeanMetricWrapper(Mean):
    """The running mean of a per-sample function ``fn(y_true, y_pred, **kwargs)``.

    The function may be any loss function of ``glassnet.losses`` (its Tensor output is
    read without building a graph) or one working on NumPy arrays.

    Args:
        fn: the per-sample function.
        name: default ``fn.__name__``.
        dtype: see ``Metric``.
        **kwargs: passed to ``fn`` on every update (e.g. ``threshold=0.7``).
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        if not callable(fn):
            raise TypeError(f"MeanMetricWrapper: fn must be callable, got {type(fn).__name__}")
        super().__init__(name=name or getattr(fn, "__name__", None), dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Add a batch: Σ w·v and Σ w over its values v = fn(y_true, y_pred). A mask on a
        Tensor ``y_pred`` (``_keras_mask``, e.g. from ``Embedding(mask_zero=True)``) is a 0/1
        weight multiplied into ``sample_weight``, as in Keras 3: padded steps do not count."""
        mask = y_pred._keras_mask if isinstance(y_pred, Tensor) else None
        if mask is not None:
            weight = None if sample_weight is None else to_array(sample_weight, "sample_weight", "float64")
            sample_weight = apply_mask(weight, mask, "float64", reduction="sum")
        y_true, y_pred = to_numpy(y_true, "y_true"), to_numpy(y_pred, "y_pred")
        with no_grad():
            values = self._fn(y_true, y_pred, **self._fn_kwargs)
        values = values.data if isinstance(values, Tensor) else values
        super().update_state(values, sample_weight=sample_weight)

    def get_config(self) -> dict:
        from . import serialize

        return {**super().get_config(), "fn": serialize(self._fn), **self._fn_kwargs}

    @classmethod
    def from_config(cls, config: dict):
        from . import deserialize

        return cls(**deserialize_item(config, "fn", deserialize))


class FunctionMetric(MeanMetricWrapper):
    """Base of the built-in mean metrics: a fixed function and its keyword arguments.

    The keyword arguments become attributes (``BinaryAccuracy().threshold``) and, with
    the name and dtype, the config (the function itself is implied by the class).
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(fn, name=name, dtype=dtype, **kwargs)
        for key, value in kwargs.items():
            setattr(self, key, value)

    def get_config(self) -> dict:
        return {**Metric.get_config(self), **self._fn_kwargs}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

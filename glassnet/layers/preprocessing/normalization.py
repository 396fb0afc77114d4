"""Normalization: standardise features with a mean and variance learned from data by ``adapt``."""
from __future__ import annotations

import itertools
import math

import numpy as np

from ... import ops
from ...ops.axes import is_int
from ...tensor import Tensor
from ..base import Layer

EPSILON = 1e-7
"""The floor of the standard deviation (Keras's ``backend.epsilon()``)."""


def _first_of(batch):
    """x from an (x, y) or (x, y, sample_weight) batch."""
    return batch[0] if isinstance(batch, tuple) else batch


def _as_array(batch) -> np.ndarray:
    return batch.data if isinstance(batch, Tensor) else np.asarray(batch)


class Normalization(Layer):
    """Shifts and scales inputs to zero mean and unit variance, per index of the kept ``axis``.

    Formula:  y = (x − μ) / max(√σ², ε)          (ε = 1e-7)
        invert=True:  y = μ + x·max(√σ², ε)      (undoes it)

    μ and σ² are either given (``mean``, ``variance``) or learned by ``adapt(data)``: the mean
    and the population variance of the data over every axis except ``axis``. ``adapt`` over a
    stream of batches combines them as Keras does, exactly (lack-of-fit sum of squares): with
    n the count so far and m the batch's count, w = m / (n + m),
        μ_new  = (1 − w)·μ + w·μ_b
        σ²_new = (1 − w)·(σ² + (μ − μ_new)²) + w·(σ²_b + (μ_b − μ_new)²)
    The adapted μ and σ² are the layer's non-trainable weights "mean" and "variance" (plus
    Keras's unused "count"), so a saved model reloads them.

    Args:
        axis: int, tuple of ints, or None: the axes with their own mean and variance
            (default −1, the features); None: one scalar mean and variance.
        mean, variance: the statistics to use instead of ``adapt`` (both or neither),
            broadcast to the kept axes.
        invert: apply the inverse transformation.

    Input shape:
        Any; integer inputs come out in the layer's float dtype.

    Output shape:
        Same as the input.
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, (int, np.integer)) and not isinstance(axis, bool):
            axis = (int(axis),)
        else:
            if not isinstance(axis, (list, tuple)) or not all(is_int(a) for a in axis):
                raise ValueError(f"Normalization: axis must be an int, a tuple of ints or None, got {axis!r}")
            axis = tuple(int(a) for a in axis)
        self.axis = axis
        if (mean is None) != (variance is None):
            raise ValueError(f"Normalization: set both mean and variance or neither, got mean={mean!r} and "
                             f"variance={variance!r}")
        if mean is not None:
            if np.shape(mean) != np.shape(variance):
                raise ValueError(f"Normalization: mean and variance must have the same shape, got "
                                 f"{np.shape(mean)} and {np.shape(variance)}")
            if len(np.shape(mean)) > len(self.axis):
                raise ValueError(f"Normalization: mean must have at most as many axes as axis={self.axis}, "
                                 f"got shape {np.shape(mean)}")
        self.input_mean = mean
        self.input_variance = variance
        self.invert = bool(invert)

    # --- shapes ------------------------------------------------------------------------
    def build(self, input_shape):
        ndim = len(input_shape)
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError(f"{self.name}: every axis must be in [-{ndim}, {ndim}) for inputs of shape "
                             f"{tuple(input_shape)}, got axis={self.axis}")
        self._keep_axis = tuple(sorted(a % ndim for a in self.axis))
        for d in self._keep_axis:
            if input_shape[d] is None:
                raise ValueError(f"{self.name}: the kept axis {d} must have a known size, got inputs of shape "
                                 f"{tuple(input_shape)}")
        self._reduce_axis = tuple(d for d in range(ndim) if d not in self._keep_axis)
        self._broadcast_shape = tuple(input_shape[d] if d in self._keep_axis else 1 for d in range(ndim))
        self._build_shape = tuple(input_shape)
        shape = tuple(input_shape[d] for d in self._keep_axis)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(shape=shape, initializer="zeros", trainable=False, name="mean")
            self.adapt_variance = self.add_weight(shape=shape, initializer="ones", trainable=False, name="variance")
            self.count = self.add_weight(shape=(), initializer="zeros", dtype="int32", trainable=False, name="count")
            return
        mean, variance = np.asarray(self.input_mean, np.float64), np.asarray(self.input_variance, np.float64)
        if mean.ndim:          # align the given axes with the kept axes, from the right
            expanded = [1] * ndim
            for i in range(1, mean.ndim + 1):
                expanded[self._keep_axis[-i]] = mean.shape[-i]
            mean, variance = mean.reshape(expanded), variance.reshape(expanded)
        try:
            self._fixed = (np.broadcast_to(mean, self._broadcast_shape).astype(self.dtype),
                           np.broadcast_to(variance, self._broadcast_shape).astype(self.dtype))
        except ValueError:
            raise ValueError(f"{self.name}: mean of shape {np.shape(self.input_mean)} does not broadcast to the "
                             f"kept axes {self._broadcast_shape}") from None

    def _statistics(self) -> tuple:
        """(μ, σ²) as arrays of the broadcast shape, in the layer's dtype."""
        if self.input_mean is not None:
            return self._fixed
        return (self.adapt_mean.data.reshape(self._broadcast_shape),
                self.adapt_variance.data.reshape(self._broadcast_shape))

    def _check_kept_sizes(self, shape, what: str) -> None:
        if any(shape[d] != self._build_shape[d] for d in self._keep_axis if d < len(shape)):
            raise ValueError(f"{self.name}: was built for inputs of shape {self._build_shape} (axis={self.axis}); "
                             f"{what} has the incompatible shape {tuple(shape)}")

    # --- adapt -------------------------------------------------------------------------
    def adapt(self, data) -> None:
        """Learn μ and σ² from ``data``: a NumPy array or Tensor (all at once), or batches —
        a ``glassnet.data.Dataset`` (batched by 128 if it is not batched), or any iterable of
        arrays or of (x, y) tuples (each item one batch, as Keras assumes).

        Raises:
            ValueError: for empty data, data whose kept axes do not match the layer's, or a
                layer given a fixed mean and variance.
            TypeError: for data that is neither an array nor an iterable of arrays.
        """
        from ...data import Dataset

        if self.input_mean is not None:
            raise ValueError(f"{self.name}: was given a fixed mean and variance; adapt() cannot change them")
        if isinstance(data, (np.ndarray, Tensor)):
            batches, first = None, _as_array(data)
        elif isinstance(data, (str, bytes)) or not hasattr(data, "__iter__"):
            raise TypeError(f"{self.name}: adapt() takes a NumPy array, a Tensor, a Dataset or an iterable of "
                            f"batches, got {type(data).__name__}")
        else:
            if isinstance(data, Dataset) and not data.is_batched:
                data = data.batch(128)
            iterator = iter(data)
            first = next(iterator, None)
            if first is None:
                raise ValueError(f"{self.name}: adapt() got no batches (an empty iterable)")
            first = _as_array(_first_of(first))
            batches = itertools.chain([first], (_as_array(_first_of(b)) for b in iterator))
        if first.dtype.kind not in "biuf":
            raise TypeError(f"{self.name}: adapt() needs numbers, got an array of dtype {first.dtype}")
        if not self.built:
            self.build_once(first.shape)
        self._check_kept_sizes(first.shape, "the data")
        if first.size == 0:
            raise ValueError(f"{self.name}: adapt() got empty data of shape {first.shape}")
        if batches is None:
            mean, variance = np.mean(first, axis=self._reduce_axis), np.var(first, axis=self._reduce_axis)
        else:
            mean, variance = self._running_statistics(batches)
        self.adapt_mean.assign(np.asarray(mean, dtype=self.dtype))
        self.adapt_variance.assign(np.asarray(variance, dtype=self.dtype))

    def _running_statistics(self, batches) -> tuple:
        shape = tuple(self._build_shape[d] for d in self._keep_axis)
        mean, variance, count = np.zeros(shape, self.dtype), np.zeros(shape, self.dtype), 0
        for batch in batches:
            batch = batch.astype(self.dtype, copy=False)
            self._check_kept_sizes(batch.shape, "a batch")
            batch_mean, batch_variance = np.mean(batch, axis=self._reduce_axis), np.var(batch, axis=self._reduce_axis)
            batch_count = math.prod(batch.shape[d] for d in self._reduce_axis)
            count += batch_count
            w = float(batch_count) / count
            new_mean = mean * (1.0 - w) + batch_mean * w
            variance = (variance + (mean - new_mean) ** 2) * (1.0 - w) + (batch_variance + (batch_mean - new_mean) ** 2) * w
            mean = new_mean
        return mean, variance

    # --- the formula -------------------------------------------------------------------
    def call(self, inputs):
        x = inputs if inputs.data.dtype.kind == "f" else ops.cast(inputs, self.dtype)
        self._check_kept_sizes(x.shape, "the input")
        mean, variance = self._statistics()
        std = np.maximum(np.sqrt(variance), EPSILON).astype(x.data.dtype)
        mean = mean.astype(x.data.dtype)
        if self.invert:
            return x * std + mean
        return (x - mean) / std

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis, "invert": self.invert,
                "mean": np.array(self.input_mean).tolist(), "variance": np.array(self.input_variance).tolist()}

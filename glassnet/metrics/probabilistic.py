"""Loss metrics: the running means of the cross-entropies, KL divergence, Poisson and hinge losses.

Each is ``MeanMetricWrapper`` of the loss *function* of ``glassnet.losses`` with the same
name — one formula, one place — so ``metrics.BinaryCrossentropy()`` over an epoch is the
sample-weighted mean of ``losses.binary_crossentropy`` over all its samples.
"""
from __future__ import annotations

import numpy as np

from .. import losses
from ..losses.base import apply_mask
from .base import FunctionMetric, to_numpy


class BinaryCrossentropy(FunctionMetric):
    """Running mean of binary cross-entropy (see ``glassnet.losses.binary_crossentropy``)."""

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False, label_smoothing=0):
        super().__init__(losses.binary_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing)


class CategoricalCrossentropy(FunctionMetric):
    """Running mean of categorical cross-entropy (see ``glassnet.losses.categorical_crossentropy``)."""

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False, label_smoothing=0, axis=-1):
        super().__init__(losses.categorical_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(FunctionMetric):
    """Running mean of sparse categorical cross-entropy (see ``glassnet.losses.sparse_categorical_crossentropy``).

    With ``ignore_class``, the entries with that label get weight 0: they are left out
    of both the total and the count (Keras's mask), as in the loss class. (Keras 3's
    metric applies that mask only when sample weights are given; without them it divides
    by every entry. glassnet deliberately leaves ignored entries out either way.)
    """

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False, ignore_class=None,
                 axis=-1):
        super().__init__(losses.sparse_categorical_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         ignore_class=ignore_class, axis=axis)

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        if self.ignore_class is not None:
            y_true, y_pred = to_numpy(y_true, "y_true"), to_numpy(y_pred, "y_pred")
            mask = losses.SparseCategoricalCrossentropy(ignore_class=self.ignore_class,
                                                        axis=self.axis).compute_mask(y_true, y_pred)
            if sample_weight is not None:
                sample_weight = to_numpy(sample_weight, "sample_weight").astype(np.float64)
            sample_weight = apply_mask(sample_weight, mask, np.float64, reduction="sum")
        super().update_state(y_true, y_pred, sample_weight=sample_weight)


class KLDivergence(FunctionMetric):
    """Running mean of KL(y ‖ p) (see ``glassnet.losses.kl_divergence``)."""

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(losses.kl_divergence, name=name, dtype=dtype)


class Poisson(FunctionMetric):
    """Running mean of the Poisson loss (see ``glassnet.losses.poisson``)."""

    def __init__(self, name="poisson", dtype=None):
        super().__init__(losses.poisson, name=name, dtype=dtype)


class Hinge(FunctionMetric):
    """Running mean of the hinge loss (see ``glassnet.losses.hinge``)."""

    def __init__(self, name="hinge", dtype=None):
        super().__init__(losses.hinge, name=name, dtype=dtype)


class SquaredHinge(FunctionMetric):
    """Running mean of the squared hinge loss (see ``glassnet.losses.squared_hinge``)."""

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(losses.squared_hinge, name=name, dtype=dtype)


class CategoricalHinge(FunctionMetric):
    """Running mean of the categorical hinge loss (see ``glassnet.losses.categorical_hinge``)."""

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(losses.categorical_hinge, name=name, dtype=dtype)

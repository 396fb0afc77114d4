"""Loss metrics: the running means of the cross-entropies, KL divergence, Poisson and hinge losses.

Each is ``MeanMetricWrapper`` of the loss *function* of ``glassnet.losses`` with the same
name — one formula, one place — so ``metrics.BinaryCrossentropy()`` over an epoch is the
sample-weighted mean of ``losses.binary_crossentropy`` over all its samples.
"""
from __future__ import annotations

from .. import losses
from .base import FunctionMetric


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
    """Running mean of sparse categorical cross-entropy (see ``glassnet.losses.sparse_categorical_crossentropy``)."""

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False, axis=-1):
        super().__init__(losses.sparse_categorical_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         axis=axis)


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

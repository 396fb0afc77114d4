"""Metrics, with Keras 3's names, defaults and accumulation rules.

A metric accumulates over batches (``update_state``), reports over everything seen
(``result``), and starts over (``reset_state``) — see ``glassnet.metrics.base``.

================  ====================================================================
file              metrics
================  ====================================================================
base.py           Metric, Mean, Sum, MeanMetricWrapper
accuracy.py       Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
                  TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy
confusion.py      TruePositives, FalsePositives, TrueNegatives, FalseNegatives, Precision,
                  Recall, FBetaScore, F1Score, confusion_matrix (NumPy helper)
auc.py            AUC (ROC and PR)
regression.py     MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
                  MeanSquaredLogarithmicError, RootMeanSquaredError, CosineSimilarity,
                  LogCoshError, R2Score
probabilistic.py  BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
                  KLDivergence, Poisson, Hinge, SquaredHinge, CategoricalHinge
iou.py            IoU, MeanIoU, BinaryIoU, OneHotIoU, OneHotMeanIoU
correlation.py    PearsonCorrelation, ConcordanceCorrelation (pearson_correlation,
                  concordance_correlation)
sensitivity_specificity.py  SensitivityAtSpecificity, SpecificityAtSensitivity,
                  PrecisionAtRecall, RecallAtPrecision
================  ====================================================================

Looking metrics up::

    metrics.get("auc")                 # AUC()  (a string names a class, as Keras)
    metrics.get(my_function)           # the function itself
    metrics.as_metric("mse")           # always a Metric: MeanSquaredError(name="mse")
    metrics.resolve_accuracy(y_true, y_pred)   # what compile's "accuracy" becomes

``Model.compile(metrics=[...])`` uses ``as_metric`` (which sends "accuracy"/"acc" to
``resolve_accuracy``).
"""
from __future__ import annotations

import inspect

import numpy as np

from .. import losses as _losses
from ..losses import (binary_crossentropy, binary_focal_crossentropy, categorical_crossentropy,
                      categorical_focal_crossentropy, categorical_hinge, hinge, huber, kl_divergence, log_cosh,
                      mean_absolute_error, mean_absolute_percentage_error, mean_squared_error,
                      mean_squared_logarithmic_error, poisson, sparse_categorical_crossentropy, squared_hinge)
from ..registry import KerasRegistry, to_snake_case
from .accuracy import (Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
                       SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy, accuracy, binary_accuracy,
                       categorical_accuracy, sparse_categorical_accuracy, sparse_top_k_categorical_accuracy,
                       top_k_categorical_accuracy)
from .auc import AUC
from .base import FunctionMetric, Mean, MeanMetricWrapper, Metric, Sum, reduce_to_samplewise_values
from .confusion import (F1Score, FalseNegatives, FalsePositives, FBetaScore, Precision, Recall, TrueNegatives,
                        TruePositives, confusion_matrix, update_confusion_counts)
from .correlation import ConcordanceCorrelation, PearsonCorrelation, concordance_correlation, pearson_correlation
from .iou import BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU
from .probabilistic import (BinaryCrossentropy, CategoricalCrossentropy, CategoricalHinge, Hinge, KLDivergence,
                            Poisson, SparseCategoricalCrossentropy, SquaredHinge)
from .regression import (CosineSimilarity, LogCoshError, MeanAbsoluteError, MeanAbsolutePercentageError,
                         MeanSquaredError, MeanSquaredLogarithmicError, R2Score, RootMeanSquaredError,
                         cosine_similarity)
from .sensitivity_specificity import (PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity,
                                      SpecificityAtSensitivity)

ALL_CLASSES = [
    Metric, Mean, Sum, MeanMetricWrapper,
    MeanSquaredError, RootMeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError, CosineSimilarity, LogCoshError, R2Score,
    AUC, FalseNegatives, FalsePositives, TrueNegatives, TruePositives, Precision, Recall, FBetaScore, F1Score,
    Hinge, SquaredHinge, CategoricalHinge,
    KLDivergence, Poisson, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
    Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, TopKCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    IoU, MeanIoU, BinaryIoU, OneHotIoU, OneHotMeanIoU, PearsonCorrelation, ConcordanceCorrelation,
    PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity,
]
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_CLASSES}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in ALL_CLASSES})
ALL_OBJECTS_DICT.update({
    "acc": Accuracy,
    "bce": BinaryCrossentropy, "BCE": BinaryCrossentropy,
    "mse": MeanSquaredError, "MSE": MeanSquaredError,
    "mae": MeanAbsoluteError, "MAE": MeanAbsoluteError,
    "mape": MeanAbsolutePercentageError, "MAPE": MeanAbsolutePercentageError,
    "msle": MeanSquaredLogarithmicError, "MSLE": MeanSquaredLogarithmicError,
    "rmse": RootMeanSquaredError, "RMSE": RootMeanSquaredError,
    "kld": KLDivergence, "logcosh": LogCoshError, "r2": R2Score,
})

# Functions a serialized MeanMetricWrapper may name (metric functions and loss functions).
_FUNCTIONS = {f.__name__: f for f in [
    accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy, top_k_categorical_accuracy,
    sparse_top_k_categorical_accuracy, cosine_similarity, mean_squared_error, mean_absolute_error,
    mean_absolute_percentage_error, mean_squared_logarithmic_error, log_cosh, huber, binary_crossentropy,
    binary_focal_crossentropy, categorical_crossentropy, categorical_focal_crossentropy,
    sparse_categorical_crossentropy, kl_divergence, poisson, hinge, squared_hinge, categorical_hinge,
    pearson_correlation, concordance_correlation,
]}


class _MetricRegistry(KerasRegistry):
    """Metrics have a second table, ``_FUNCTIONS``: a name finds a class before a function
    ("binary_accuracy" → BinaryAccuracy), except in the ``{"class_name": "function"}`` form;
    ``get`` reads class names only. A dict naming a function, or with no config, gives the
    entry itself."""

    def deserialize(self, config, custom_objects=None):
        """See the module's ``deserialize``."""
        if isinstance(config, dict) and config.get("class_name") == "function":
            return super().deserialize(config, {**_FUNCTIONS, **(custom_objects or {})})
        objects = {**_FUNCTIONS, **ALL_OBJECTS_DICT, **(custom_objects or {})}  # searched before the table
        if isinstance(config, str):
            return self.lookup(config, objects)
        if not isinstance(config, dict) or "class_name" not in config:
            raise ValueError(f"metrics.deserialize: expected a name or a dict with 'class_name', got {config!r}")
        obj = self.lookup(config["class_name"], objects)
        if config.get("config") is None or not (inspect.isclass(obj) and issubclass(obj, Metric)):
            return obj
        return self.build(obj, config["config"], custom_objects)


_REGISTRY = _MetricRegistry("metrics", "metric", ALL_OBJECTS_DICT, base=Metric)


def serialize(metric):
    """A metric as a JSON-able value: ``{"module", "class_name", "config"}``, or for a
    function ``{"class_name": "function", "config": its name}``."""
    return _REGISTRY.serialize(metric)


def deserialize(config, custom_objects=None):
    """Inverse of ``serialize``: a dict (or a name) → a Metric instance or a function.

    Args:
        config: as ``serialize`` writes it, or a class / function name.
        custom_objects: ``{name: class_or_function}`` for your own metrics.
    """
    return _REGISTRY.deserialize(config, custom_objects)


def get(identifier):
    """A metric from its identifier, as ``keras.metrics.get``.

    A string names a class (``"auc"``, ``"AUC"``, ``"mse"`` → a new instance; note that
    ``"accuracy"`` gives ``Accuracy()``, exact equality — compile resolves it with
    ``resolve_accuracy`` instead); a dict is deserialized; a Metric class is instantiated;
    a callable is returned as is; None gives None.

    Raises:
        ValueError: for an unknown name or an uninterpretable identifier.
    """
    return _REGISTRY.get(identifier)


def _shape(x):
    if x is None:
        return None
    shape = getattr(x, "shape", None)
    return tuple(shape) if shape is not None else np.shape(x)


_BINARY_LOSSES = ("binary_crossentropy", "binary_focal_crossentropy", "hinge", "squared_hinge", "bce")
_SPARSE_LOSSES = ("sparse_categorical_crossentropy",)
_CATEGORICAL_LOSSES = ("categorical_crossentropy", "categorical_focal_crossentropy", "categorical_hinge")


def _loss_name(loss):
    """The snake-case function name of a loss given as a string, function, class or instance."""
    if isinstance(loss, str):
        found = _losses.ALL_OBJECTS_DICT.get(loss)
        return _loss_name(found) if found is not None else to_snake_case(loss)
    if isinstance(loss, _losses.Loss):
        fn = getattr(loss, "fn", None)
        return fn.__name__ if fn is not None else to_snake_case(type(loss).__name__)
    if inspect.isclass(loss):
        return to_snake_case(loss.__name__)
    return getattr(loss, "__name__", None)


def resolve_accuracy(y_true=None, y_pred=None, loss=None, name="accuracy") -> Metric:
    """The accuracy metric that compile's ``metrics=["accuracy"]`` (or "acc") stands for.

    With data (arrays or Tensors of one batch), Keras 3's rule on the shapes:

    * y_pred's last axis has one unit (binary output) → ``BinaryAccuracy``;
    * y_true has fewer axes than y_pred, or a last axis of 1 against several classes
      (integer labels) → ``SparseCategoricalAccuracy``;
    * otherwise (one-hot targets) → ``CategoricalAccuracy``.

    A y_pred with no class axis at all (shape ``(N,)``) gives ``BinaryAccuracy`` (Keras's
    rule would treat the batch axis as classes). As Keras 3, the loss is not consulted
    when the shapes are known — e.g. binary cross-entropy on multi-label outputs of shape
    ``(N, K)`` gets ``CategoricalAccuracy``.

    Without data (``y_true`` or ``y_pred`` None) the loss decides, as Keras 2 did:
    binary cross-entropy / focal / hinge → binary; sparse categorical cross-entropy →
    sparse; categorical cross-entropy / focal / hinge → categorical.

    Args:
        y_true, y_pred: a batch of targets and predictions (or None).
        loss: the compiled loss (name, function, class or instance), used without data.
        name: the metric's name (the key in ``History.history``), default "accuracy".

    Raises:
        ValueError: when neither the shapes nor the loss decide.
    """
    true_shape, pred_shape = _shape(y_true), _shape(y_pred)
    if true_shape is not None and pred_shape is not None:
        if len(pred_shape) <= 1 or pred_shape[-1] == 1:
            return BinaryAccuracy(name=name)
        true_last = true_shape[-1] if true_shape else None
        if len(true_shape) < len(pred_shape) or (true_last == 1 and pred_shape[-1] > 1):
            return SparseCategoricalAccuracy(name=name)
        return CategoricalAccuracy(name=name)
    loss_name = _loss_name(loss) if loss is not None else None
    if loss_name in _BINARY_LOSSES:
        return BinaryAccuracy(name=name)
    if loss_name in _SPARSE_LOSSES:
        return SparseCategoricalAccuracy(name=name)
    if loss_name in _CATEGORICAL_LOSSES:
        return CategoricalAccuracy(name=name)
    raise ValueError(
        f"resolve_accuracy: cannot tell which accuracy {name!r} means without y_true and y_pred "
        f"and with loss={loss!r}; pass a batch of data or name the metric ('binary_accuracy', "
        "'categorical_accuracy', 'sparse_categorical_accuracy')"
    )


def as_metric(identifier, y_true=None, y_pred=None, loss=None) -> Metric:
    """Always a ``Metric`` object (what ``Model.compile(metrics=[...])`` uses), or None for None.

    * "accuracy" / "acc" (any case) → ``resolve_accuracy(y_true, y_pred, loss, name=identifier)``;
    * another string → the class ``get`` finds, named by the string as Keras does
      (``"mse"`` → ``MeanSquaredError(name="mse")``, so the history key is "mse");
    * a Metric instance as is; a Metric class or a dict → an instance;
    * a function ``fn(y_true, y_pred)`` of per-sample values → ``MeanMetricWrapper(fn)``.

    Raises:
        ValueError: for an unknown name; TypeError for something that is not a metric.
    """
    if identifier is None:
        return None
    if isinstance(identifier, str) and identifier.lower() in ("accuracy", "acc"):
        return resolve_accuracy(y_true, y_pred, loss, name=identifier)
    obj = get(identifier) if isinstance(identifier, (str, dict)) or inspect.isclass(identifier) else identifier
    if isinstance(obj, Metric):
        if isinstance(identifier, str):
            obj.name = identifier
        return obj
    if callable(obj):
        return MeanMetricWrapper(obj, name=identifier if isinstance(identifier, str) else None)
    raise TypeError(f"as_metric: expected a metric name, config dict, Metric or function, got {type(identifier).__name__}")


__all__ = [
    "get", "serialize", "deserialize", "as_metric", "resolve_accuracy", "confusion_matrix",
    "reduce_to_samplewise_values", "update_confusion_counts", "FunctionMetric", "ALL_OBJECTS_DICT",
    *[cls.__name__ for cls in ALL_CLASSES], *_FUNCTIONS,
]

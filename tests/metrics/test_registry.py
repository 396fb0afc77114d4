"""Lookup of metrics by name (Keras's strings), as_metric for compile, and config round trips."""
import numpy as np
import pytest

from glassnet import losses, metrics


@pytest.mark.parametrize("name, cls", [
    ("accuracy", metrics.Accuracy), ("acc", metrics.Accuracy), ("binary_accuracy", metrics.BinaryAccuracy),
    ("categorical_accuracy", metrics.CategoricalAccuracy),
    ("sparse_categorical_accuracy", metrics.SparseCategoricalAccuracy),
    ("top_k_categorical_accuracy", metrics.TopKCategoricalAccuracy),
    ("sparse_top_k_categorical_accuracy", metrics.SparseTopKCategoricalAccuracy),
    ("precision", metrics.Precision), ("recall", metrics.Recall), ("auc", metrics.AUC), ("AUC", metrics.AUC),
    ("f1_score", metrics.F1Score), ("mse", metrics.MeanSquaredError), ("mae", metrics.MeanAbsoluteError),
    ("rmse", metrics.RootMeanSquaredError), ("root_mean_squared_error", metrics.RootMeanSquaredError),
    ("mape", metrics.MeanAbsolutePercentageError), ("kl_divergence", metrics.KLDivergence),
    ("binary_crossentropy", metrics.BinaryCrossentropy), ("r2_score", metrics.R2Score),
])
def test_get_by_keras_name(name, cls):
    assert type(metrics.get(name)) is cls


def test_get_other_identifiers():
    assert metrics.get(None) is None
    assert metrics.get(losses.hinge) is losses.hinge
    assert isinstance(metrics.get(metrics.AUC), metrics.AUC)
    configured = metrics.get({"class_name": "BinaryAccuracy", "config": {"threshold": 0.8}})
    assert configured.threshold == 0.8
    with pytest.raises(ValueError, match="Unknown metric 'acuracy'"):
        metrics.get("acuracy")
    with pytest.raises(ValueError, match="Could not interpret"):
        metrics.get(1.5)


def test_as_metric_for_compile():
    mse = metrics.as_metric("mse")
    assert isinstance(mse, metrics.MeanSquaredError) and mse.name == "mse"   # history key is the string
    acc = metrics.as_metric("accuracy", np.zeros(4), np.zeros((4, 3)))
    assert isinstance(acc, metrics.SparseCategoricalAccuracy) and acc.name == "accuracy"
    assert isinstance(metrics.as_metric("acc", loss="binary_crossentropy"), metrics.BinaryAccuracy)
    existing = metrics.Precision(thresholds=0.3)
    assert metrics.as_metric(existing) is existing

    def half_error(y_true, y_pred):
        return 0.5 * np.abs(np.asarray(y_true) - np.asarray(y_pred))

    wrapped = metrics.as_metric(half_error)
    assert isinstance(wrapped, metrics.MeanMetricWrapper) and wrapped.name == "half_error"
    assert wrapped([1.0, 2.0], [2.0, 2.0]) == pytest.approx(0.25)
    assert metrics.as_metric(None) is None
    with pytest.raises(TypeError, match="as_metric"):
        metrics.as_metric(3)


ALL = [cls for cls in metrics.ALL_CLASSES if cls not in (metrics.Metric, metrics.MeanMetricWrapper)]
REQUIRED = {  # constructor arguments of the metrics that have required ones
    "IoU": {"num_classes": 3, "target_class_ids": [0, 2]}, "MeanIoU": {"num_classes": 3},
    "OneHotIoU": {"num_classes": 3, "target_class_ids": [1]}, "OneHotMeanIoU": {"num_classes": 3},
    "PrecisionAtRecall": {"recall": 0.5}, "RecallAtPrecision": {"precision": 0.5},
    "SensitivityAtSpecificity": {"specificity": 0.5}, "SpecificityAtSensitivity": {"sensitivity": 0.5},
}


@pytest.mark.parametrize("cls", ALL, ids=[c.__name__ for c in ALL])
def test_every_metric_round_trips_through_config(cls):
    metric = cls(name="custom", dtype="float64", **REQUIRED.get(cls.__name__, {}))
    config = metric.get_config()
    assert config["name"] == "custom" and config["dtype"] == "float64"
    assert cls.from_config(config).get_config() == config
    again = metrics.deserialize(metrics.serialize(metric))
    assert type(again) is cls and again.get_config() == config


def test_configured_metrics_round_trip():
    for metric in [metrics.AUC(num_thresholds=50, curve="PR", summation_method="majoring", from_logits=True),
                   metrics.AUC(thresholds=[0.2, 0.6]), metrics.Precision(thresholds=[0.2, 0.7], class_id=1),
                   metrics.Recall(top_k=3), metrics.F1Score(average="weighted", threshold=0.4),
                   metrics.TopKCategoricalAccuracy(k=2), metrics.CosineSimilarity(axis=0),
                   metrics.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1),
                   metrics.R2Score(class_aggregation=None, num_regressors=2)]:
        rebuilt = metrics.deserialize(metrics.serialize(metric))
        assert rebuilt.get_config() == metric.get_config(), type(metric).__name__


def test_wrapper_round_trip_and_custom_objects():
    wrapper = metrics.MeanMetricWrapper(metrics.binary_accuracy, name="ba", threshold=0.3)
    rebuilt = metrics.deserialize(metrics.serialize(wrapper))
    assert rebuilt.get_config() == wrapper.get_config()
    assert rebuilt([1.0, 0.0], [0.4, 0.4]) == 0.5

    def mine(y_true, y_pred):
        return np.zeros(len(y_true))

    config = metrics.serialize(metrics.MeanMetricWrapper(mine))
    with pytest.raises(ValueError, match="custom_objects"):
        metrics.deserialize(config)
    assert metrics.deserialize(config, custom_objects={"mine": mine})._fn is mine

"""Which way is better? The "mode" of callbacks that watch a quantity in the logs.

``mode="min"``: smaller is better (losses, errors); ``"max"``: larger is better
(accuracy, AUC); ``"auto"`` infers it as Keras 3 does: ``loss``/``val_loss`` is minimised;
any other name is looked up among the model's metrics (a metric object's ``_direction``,
"up" or "down", decides); if that does not tell, glassnet's table of built-in metric
names below does (a numbered name such as "auc_1" counts as "auc"; any "*_loss" is
minimised); otherwise it is an error asking for an explicit mode.
"""
from __future__ import annotations

import re

import numpy as np

MODES = ("auto", "min", "max")

# Keras 3 built-in metrics whose `_direction` is "up" (larger is better).
MAXIMIZED = {
    "accuracy", "acc", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
    "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy", "auc", "precision", "recall",
    "f1_score", "fbeta_score", "r2_score", "iou", "mean_iou", "binary_iou", "one_hot_iou",
    "one_hot_mean_iou", "cosine_similarity", "precision_at_recall", "recall_at_precision",
    "sensitivity_at_specificity", "specificity_at_sensitivity", "true_positives", "true_negatives",
}
# Keras 3 built-in metrics whose `_direction` is "down" (smaller is better).
MINIMIZED = {
    "loss", "mae", "mse", "mape", "msle", "rmse", "mean_absolute_error", "mean_squared_error",
    "mean_absolute_percentage_error", "mean_squared_logarithmic_error", "root_mean_squared_error",
    "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
    "kl_divergence", "kld", "poisson", "hinge", "squared_hinge", "categorical_hinge", "log_cosh_error",
    "logcosh", "false_positives", "false_negatives", "huber",
}


def check_mode(owner: str, mode) -> str:
    """Validate ``mode`` (glassnet raises where Keras would warn and fall back to "auto")."""
    if mode not in MODES:
        raise ValueError(f"{owner}: `mode` must be one of {MODES}, got {mode!r}")
    return mode


def _metric_objects(model) -> list:
    found = []
    for metric in getattr(model, "metrics", None) or []:
        found.append(metric)
        found.extend(getattr(metric, "metrics", None) or [])   # containers of metrics
    return found


def infer_mode(owner: str, monitor: str, mode: str, model=None) -> str:
    """Resolve ``mode`` to "min" or "max" for the quantity ``monitor``.

    Raises:
        ValueError: in "auto" mode, when the direction of ``monitor`` is unknown.
    """
    if mode in ("min", "max"):
        return mode
    name = monitor[len("val_"):] if monitor.startswith("val_") else monitor
    if name == "loss":
        return "min"
    for metric in _metric_objects(model):
        if getattr(metric, "name", None) == name and getattr(metric, "_direction", None) in ("up", "down"):
            return "max" if metric._direction == "up" else "min"
    base = re.sub(r"_\d+$", "", name)   # "auc_1" is a second AUC metric
    if base in MAXIMIZED:
        return "max"
    if base in MINIMIZED or base.endswith("_loss"):
        return "min"
    raise ValueError(f"{owner} received monitor={monitor!r}, but cannot determine whether that quantity should be "
                     "maximized or minimized. Pass mode='max' to track its highest value or mode='min' for its lowest.")


def is_improvement(mode: str, current, reference, min_delta: float = 0.0) -> bool:
    """Whether ``current`` beats ``reference`` by more than ``min_delta`` (None is always beaten).

    "min": ``current + min_delta < reference``; "max": ``current − min_delta > reference``.
    """
    if reference is None:
        return True
    if mode == "min":
        return bool(np.less(current + min_delta, reference))
    return bool(np.greater(current - min_delta, reference))

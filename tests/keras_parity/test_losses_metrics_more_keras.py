"""Dice, Tversky, Circle, generalized cross-entropy, CTC, the IoU family, the correlations and the
rate-at-rate metrics against Keras 3 itself, in float64 (skipped without keras).

Losses: values and gradients w.r.t. y_pred (Keras's from torch autograd through its own
code), function and class form, with reductions and sample weights. Metrics: the same
three batches (with and without sample weights) in both libraries, then ``result()``;
configs key for key.
"""
import warnings

import numpy as np
import pytest

from glassnet import Tensor
from glassnet import losses as glosses
from glassnet import metrics as gmetrics

keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")

RTOL = 1e-10


@pytest.fixture(autouse=True)
def _float64(keras_float64):
    """Every test here runs in float64 (see conftest.py)."""


def _rng(seed=0):
    return np.random.default_rng(seed)


def _unit_rows(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def make_loss_data(kind, seed=0):
    """(y_true, y_pred) for one kind of loss."""
    rng = _rng(seed)
    if kind == "masks":                                   # segmentation maps (N, H, W, 1)
        y = (rng.uniform(size=(4, 3, 3, 1)) > 0.5).astype(np.float64)
        return y, rng.uniform(0.01, 0.99, size=(4, 3, 3, 1))
    if kind == "embeddings":                              # every query has a positive and a negative
        return np.array([0, 0, 1, 1, 2, 2, 1]), _unit_rows(rng.normal(size=(7, 5)))
    if kind == "embeddings_lonely":                       # labels 3 and 4 have no positive
        return np.array([0, 0, 1, 1, 3, 4]), _unit_rows(rng.normal(size=(6, 5)))
    if kind == "sparse_probabilities":
        p = rng.uniform(0.05, 1.0, size=(6, 4))
        return rng.integers(0, 4, size=(6,)), p / p.sum(-1, keepdims=True)
    if kind == "ctc":                                     # labels 0-padded; logits (N, T, C)
        labels = rng.integers(1, 4, size=(3, 4))
        labels[0, 2:] = 0
        labels[1, 1:] = 0
        labels[2, 1] = labels[2, 0]                       # a repeated label needs a blank between
        return labels, 2.0 * rng.normal(size=(3, 9, 4))
    raise ValueError(kind)


def keras_value_and_grad(fn, y_true, y_pred, cotangent=None):
    y_pred_t = torch.tensor(y_pred, dtype=torch.float64, requires_grad=True)
    value = fn(torch.tensor(y_true), y_pred_t)
    weight = torch.ones_like(value) if cotangent is None else torch.tensor(cotangent, dtype=torch.float64)
    (value * weight).sum().backward()
    return value.detach().numpy(), y_pred_t.grad.numpy()


def glassnet_value_and_grad(fn, y_true, y_pred, cotangent=None):
    y_pred_t = Tensor(y_pred, requires_grad=True)
    value = fn(y_true, y_pred_t)
    value.backward(np.ones(value.shape) if cotangent is None else cotangent)
    return value.numpy(), y_pred_t.grad


def assert_close(ours, theirs, what, rtol=RTOL):
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=rtol, err_msg=what)


# (function, class, keyword arguments of the function, of the class, data kind)
LOSS_CASES = [
    ("dice", "Dice", {}, {}, "masks"),
    ("dice", "Dice", {"axis": (1, 2, 3)}, {"axis": (1, 2, 3)}, "masks"),
    ("tversky", "Tversky", {}, {}, "masks"),
    ("tversky", "Tversky", {"alpha": 0.3, "beta": 0.7, "axis": (1, 2)}, {"alpha": 0.3, "beta": 0.7, "axis": (1, 2)},
     "masks"),
    ("circle", "Circle", {}, {}, "embeddings"),
    ("circle", "Circle", {"gamma": 10.0, "margin": 0.25, "remove_diagonal": False},
     {"gamma": 10.0, "margin": 0.25, "remove_diagonal": False}, "embeddings"),
    ("categorical_generalized_cross_entropy", "CategoricalGeneralizedCrossEntropy", {"q": 0.5}, {},
     "sparse_probabilities"),
    ("categorical_generalized_cross_entropy", "CategoricalGeneralizedCrossEntropy", {"q": 0.2}, {"q": 0.2},
     "sparse_probabilities"),
    ("ctc", "CTC", {}, {}, "ctc"),
]


def _weights(kind, n):
    if kind == "none":
        return None
    w = _rng(2).uniform(0.0, 2.0, size=n)
    w[0] = 0.0
    return w


def check_function_form(case):
    name, _, kwargs, _, kind = case
    y_true, y_pred = make_loss_data(kind)
    glassnet_fn, keras_fn = getattr(glosses, name), getattr(keras.losses, name)
    shape = glassnet_fn(y_true, y_pred, **kwargs).shape
    cotangent = _rng(1).normal(size=shape)
    theirs, their_grad = keras_value_and_grad(lambda t, p: keras_fn(t, p, **kwargs), y_true, y_pred, cotangent)
    ours, our_grad = glassnet_value_and_grad(lambda t, p: glassnet_fn(t, p, **kwargs), y_true, y_pred, cotangent)
    assert ours.shape == theirs.shape
    assert_close(ours, theirs, f"{name}{kwargs}: values")
    assert_close(our_grad, their_grad, f"{name}{kwargs}: gradient w.r.t. y_pred", rtol=1e-8)


def check_class_form(case, reduction, weights):
    _, cls, _, kwargs, kind = case
    y_true, y_pred = make_loss_data(kind, seed=3)
    sample_weight = _weights(weights, y_pred.shape[0])
    ours_loss = getattr(glosses, cls)(reduction=reduction, **kwargs)
    keras_loss = getattr(keras.losses, cls)(reduction=reduction, **kwargs)
    shape = ours_loss(y_true, y_pred, sample_weight=sample_weight).shape
    cotangent = _rng(4).normal(size=shape) if shape else None
    theirs, their_grad = keras_value_and_grad(lambda t, p: keras_loss(t, p, sample_weight=sample_weight),
                                              y_true, y_pred, cotangent)
    ours, our_grad = glassnet_value_and_grad(lambda t, p: ours_loss(t, p, sample_weight=sample_weight),
                                             y_true, y_pred, cotangent)
    what = f"{cls}({kwargs}, reduction={reduction}), weights {weights}"
    assert_close(ours, theirs, f"{what}: values")
    assert_close(our_grad, their_grad, f"{what}: gradient w.r.t. y_pred", rtol=1e-8)
    assert ours_loss.get_config() == keras_loss.get_config()


@pytest.mark.parametrize("name", ["dice", "tversky", "circle", "categorical_generalized_cross_entropy", "ctc"])
def test_loss_matches_keras(name):
    """Function form (values, gradients), then the class with every reduction, with and
    without (N,) sample weights, and its config. (Sample weights need per-sample values:
    Dice and Tversky with axis=None give one scalar, see the report of glassnet.losses.base.)"""
    for case in [c for c in LOSS_CASES if c[0] == name]:
        check_function_form(case)
        for reduction in ("sum_over_batch_size", "sum", "mean_with_sample_weight", None):
            for weights in ("none", "(N,)"):
                if weights == "none" or name not in ("dice", "tversky") or "axis" in case[2]:
                    check_class_form(case, reduction, weights)
    if name == "circle":
        check_circle_queries_without_pairs()


def check_circle_queries_without_pairs():
    """Queries without a positive are masked out, as Keras's loss > 0 mask does. (Keras's
    own gradient goes through a logsumexp over nothing here: the values are compared.)"""
    y_true, y_pred = make_loss_data("embeddings_lonely")
    np.testing.assert_allclose(glosses.circle(y_true, y_pred).numpy(),
                               keras.losses.circle(y_true, y_pred).numpy(), rtol=RTOL)
    for reduction in ("sum_over_batch_size", "sum", None):
        ours = glosses.Circle(reduction=reduction)(y_true, y_pred).numpy()
        theirs = keras.losses.Circle(reduction=reduction)(y_true, y_pred).numpy()
        np.testing.assert_allclose(ours, theirs, rtol=RTOL, err_msg=str(reduction))


# --- metrics ------------------------------------------------------------------------------
BATCH_SIZES = (7, 4, 9)


def make_metric_batch(kind, n, rng):
    if kind == "labels":
        return rng.integers(0, 3, size=n), rng.integers(0, 3, size=n)
    if kind == "labels_void":                             # 255 = void, 5 = out of range
        t, p = rng.integers(0, 3, size=n), rng.integers(0, 3, size=n)
        t[0], p[-1] = 255, 5
        return t, p
    if kind == "maps":                                    # (n, 2, 2) maps of scores (n, 2, 2, 3)
        return rng.integers(0, 3, size=(n, 2, 2)), rng.uniform(size=(n, 2, 2, 3))
    if kind == "one_hot":
        return np.eye(3)[rng.integers(0, 3, size=n)], rng.uniform(size=(n, 3))
    if kind == "binary":
        return rng.integers(0, 2, size=(n, 1)).astype(np.float64), rng.uniform(size=(n, 1))
    if kind == "binary_classes":
        return np.eye(3)[rng.integers(0, 3, size=n)], rng.uniform(size=(n, 3))
    if kind == "regression":
        y = rng.normal(size=(n, 6))
        return y, y + rng.normal(size=(n, 6)) + 0.3
    raise ValueError(kind)


def metric_batches(kind, weights, seed=0):
    rng = _rng(seed)
    out = []
    for n in BATCH_SIZES:
        y_true, y_pred = make_metric_batch(kind, n, rng)
        if weights == "integer":
            w = rng.integers(0, 3, size=n).astype(np.float64)
        elif weights == "float":
            w = rng.uniform(0.0, 2.0, size=n)
        else:
            w = None
        out.append((y_true, y_pred, w))
    return out


# (class name, constructor arguments, data kind, weights)
METRIC_CASES = [
    ("MeanIoU", {"num_classes": 3}, "labels", "none"),
    ("MeanIoU", {"num_classes": 3}, "labels", "integer"),
    ("MeanIoU", {"num_classes": 3}, "labels", "float"),            # truncated to int, as Keras
    ("MeanIoU", {"num_classes": 3, "dtype": "float64"}, "labels", "float"),
    ("MeanIoU", {"num_classes": 3, "ignore_class": 255}, "labels_void", "integer"),
    ("MeanIoU", {"num_classes": 3, "sparse_y_pred": False}, "maps", "none"),
    ("IoU", {"num_classes": 3, "target_class_ids": [0, 2], "dtype": "float64"}, "labels", "float"),
    ("IoU", {"num_classes": 3, "target_class_ids": [1]}, "labels_void", "none"),
    ("BinaryIoU", {}, "binary", "none"),
    ("BinaryIoU", {"target_class_ids": [1], "threshold": 0.3, "dtype": "float64"}, "binary", "float"),
    ("OneHotIoU", {"num_classes": 3, "target_class_ids": [0, 1], "dtype": "float64"}, "one_hot", "float"),
    ("OneHotMeanIoU", {"num_classes": 3}, "one_hot", "integer"),
    ("PearsonCorrelation", {}, "regression", "none"),
    ("PearsonCorrelation", {}, "regression", "float"),
    ("ConcordanceCorrelation", {}, "regression", "none"),
    ("ConcordanceCorrelation", {}, "regression", "float"),
    ("PrecisionAtRecall", {"recall": 0.6}, "binary", "none"),
    ("PrecisionAtRecall", {"recall": 0.3, "num_thresholds": 1}, "binary", "float"),
    ("RecallAtPrecision", {"precision": 0.5, "num_thresholds": 50}, "binary", "float"),
    ("SensitivityAtSpecificity", {"specificity": 0.4}, "binary", "float"),
    ("SensitivityAtSpecificity", {"specificity": 0.5, "class_id": 1}, "binary_classes", "none"),
    ("SpecificityAtSensitivity", {"sensitivity": 0.7}, "binary", "float"),
    ("SpecificityAtSensitivity", {"sensitivity": 0.5, "num_thresholds": 2}, "binary", "none"),
]


def check_metric(case):
    name, kwargs, kind, weights = case
    what = f"{name}({kwargs}) on {kind}, weights {weights}"
    ours, theirs = getattr(gmetrics, name)(**kwargs), getattr(keras.metrics, name)(**kwargs)
    truncating = weights == "float" and "IoU" in name and "dtype" not in kwargs
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")        # Keras's and glassnet's "weights truncated" warning
        for y_true, y_pred, w in metric_batches(kind, weights):
            theirs.update_state(y_true, y_pred, sample_weight=w)
            ours.update_state(y_true, y_pred, sample_weight=w)
    if truncating:
        assert ours.total_cm.sum() == float(keras.ops.sum(theirs.total_cm)), what
    # Keras computes the IoU ratios in float32 and sums weighted counts in float32
    rtol = 1e-6 if "IoU" in name or weights == "float" else 1e-10
    np.testing.assert_allclose(ours.result(), np.asarray(theirs.result()), rtol=rtol, atol=rtol, err_msg=what)
    ours_config, their_config = ours.get_config(), theirs.get_config()
    assert their_config.pop("name").startswith(ours_config.pop("name")), what      # Keras numbers repeats: "_1"
    assert ours_config == their_config, what
    ours.reset_state()
    theirs.reset_state()
    y_true, y_pred, _ = metric_batches(kind, "none", seed=5)[0]
    theirs.update_state(y_true, y_pred)
    ours.update_state(y_true, y_pred)
    np.testing.assert_allclose(ours.result(), np.asarray(theirs.result()), rtol=rtol, atol=rtol,
                               err_msg=f"{what}, after reset_state")


FAMILIES = {"iou": "IoU", "correlation": "Correlation", "rate_at_rate": "At"}


@pytest.mark.parametrize("family", list(FAMILIES))
def test_metrics_match_keras(family):
    """Three batches (with and without weights), result, config, reset_state, one more batch."""
    for case in [c for c in METRIC_CASES if FAMILIES[family] in c[0]]:
        check_metric(case)


def test_correlation_functions_and_lookup_match_keras():
    y_true, y_pred = make_metric_batch("regression", 5, _rng(7))
    for name in ("pearson_correlation", "concordance_correlation"):
        for axis in (-1, 0):
            ours = getattr(gmetrics, name)(y_true, y_pred, axis=axis).numpy()
            theirs = getattr(keras.metrics, name)(y_true, y_pred, axis=axis).numpy()
            np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=RTOL, err_msg=f"{name}, axis={axis}")
        assert type(gmetrics.get(name)).__name__ == type(keras.metrics.get(name)).__name__

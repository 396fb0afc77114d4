"""Metrics against Keras 3 itself (skipped without keras).

Each metric sees the same three batches in both libraries (``update_state`` with and
without sample weights, batches of different sizes), then ``result()`` is compared, in
float64. Metric functions (per-sample values) are compared too.
"""
import re

import numpy as np
import pytest

import glassnet as gn
from glassnet import metrics as gmetrics

keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")

RTOL = 1e-10
K = 5
BATCH_SIZES = (7, 4, 9)


@pytest.fixture(autouse=True)
def _float64(keras_float64):
    """Every test here runs in float64 (see conftest.py)."""


def _probabilities(rng, shape):
    p = rng.uniform(0.0, 1.0, size=shape)
    flat = p.reshape(-1)
    edges = [0.0, 1.0, 0.5, 1e-9, 1.0 - 1e-9]          # the ends and a threshold tie
    flat[:len(edges)] = edges[:flat.size]
    return p


def make_batch(kind, n, rng):
    """(y_true, y_pred) float64 arrays of one batch of n samples."""
    if kind == "binary":
        return rng.integers(0, 2, size=(n, 1)).astype(np.float64), _probabilities(rng, (n, 1))
    if kind == "binary_flat":                      # (n,) labels against (n, 1) predictions
        return rng.integers(0, 2, size=(n,)).astype(np.float64), _probabilities(rng, (n, 1))
    if kind == "multilabel":
        return rng.integers(0, 2, size=(n, K)).astype(np.float64), _probabilities(rng, (n, K))
    if kind == "binary_logits":
        return rng.integers(0, 2, size=(n, K)).astype(np.float64), 3.0 * rng.normal(size=(n, K))
    if kind == "categorical":
        labels = rng.integers(0, K, size=n)
        p = rng.uniform(0.0, 1.0, size=(n, K))
        p[0, :] = [0.2, 0.2, 0.2, 0.2, 0.2]                  # all tied
        p[1, :] = [0.1, 0.3, 0.3, 0.2, 0.1]                  # a tie for the top
        return np.eye(K)[labels], p / p.sum(-1, keepdims=True)
    if kind == "categorical_distinct":             # no ties (torch.topk breaks ties arbitrarily)
        labels = rng.integers(0, K, size=n)
        return np.eye(K)[labels], np.stack([rng.permutation(K) / K for _ in range(n)])
    if kind == "categorical_logits":
        return np.eye(K)[rng.integers(0, K, size=n)], 3.0 * rng.normal(size=(n, K))
    if kind == "sorted_ids":                      # labels and class ids sorted by score
        return rng.integers(0, K, size=(n,)).astype(np.float64), np.stack([rng.permutation(K) for _ in range(n)])
    if kind == "sparse":
        y_true, y_pred = make_batch("categorical", n, rng)
        return np.argmax(y_true, -1).astype(np.float64), y_pred
    if kind == "sparse_column":
        y_true, y_pred = make_batch("sparse", n, rng)
        return y_true[:, None], y_pred
    if kind == "sparse_sequence":
        return rng.integers(0, K, size=(n, 3)).astype(np.float64), rng.uniform(size=(n, 3, K))
    if kind == "regression":
        return rng.normal(size=(n, 3)), rng.normal(size=(n, 3))
    if kind == "regression_column":
        return rng.normal(size=(n,)), rng.normal(size=(n, 1))
    if kind == "percentage":
        y = rng.normal(size=(n, 3))
        y[0, 0] = 0.0
        return y, rng.normal(size=(n, 3))
    if kind == "positive":
        return rng.uniform(0.0, 3.0, size=(n, 3)), rng.uniform(0.0, 3.0, size=(n, 3))
    if kind == "counts":
        return rng.poisson(2.0, size=(n, 3)).astype(np.float64), rng.uniform(0.1, 4.0, size=(n, 3))
    if kind == "distribution":
        y, p = rng.uniform(size=(n, K)), rng.uniform(size=(n, K))
        return y / y.sum(-1, keepdims=True), p / p.sum(-1, keepdims=True)
    if kind == "signed":
        return rng.choice([-1.0, 1.0], size=(n, 3)), 2.0 * rng.normal(size=(n, 3))
    if kind == "exact":                            # integer-valued: some predictions equal the targets
        return rng.integers(0, 3, size=(n, 2)).astype(np.float64), rng.integers(0, 3, size=(n, 2)).astype(np.float64)
    raise ValueError(kind)


def batches(kind, weights, seed=0):
    """Three batches; weights "none", "(N,)", "(N,1)", "mixed" (weights on the 2nd batch only) or
    "(N,T)" (y_true's shape: a weight per entry)."""
    rng = np.random.default_rng(seed)
    out = []
    for i, n in enumerate(BATCH_SIZES):
        y_true, y_pred = make_batch(kind, n, rng)
        # Weights are multiples of 1/4: Keras's torch backend sums the weighted counts of
        # the evenly-spaced-thresholds path (AUC, ...) in float32 (segment_sum calls
        # .float()), which is exact for these and not for arbitrary float64 weights.
        w = rng.integers(0, 9, size=n) / 4.0
        w[0] = 0.0
        sample_weight = {"none": None, "(N,)": w, "(N,1)": w[:, None], "mixed": w if i == 1 else None,
                         "(N,T)": w[:, None] * np.ones(y_true.shape)}[weights]
        out.append((y_true, y_pred, sample_weight))
    return out


def _numpy(value):
    return np.asarray(keras.ops.convert_to_numpy(value), dtype=np.float64)


def run_both(keras_metric, glassnet_metric, data):
    for y_true, y_pred, sample_weight in data:
        keras_metric.update_state(y_true, y_pred, sample_weight=sample_weight)
        glassnet_metric.update_state(y_true, y_pred, sample_weight=sample_weight)
    return np.asarray(glassnet_metric.result(), dtype=np.float64), _numpy(keras_metric.result())


# (class name, keyword arguments, data kind, sample-weight kinds)
ALL_WEIGHTS = ("none", "(N,)", "(N,1)", "mixed")
CASES = [
    ("Accuracy", {}, "exact", ALL_WEIGHTS + ("(N,T)",)),            # (N,T): a weight per entry
    ("BinaryAccuracy", {}, "binary", ALL_WEIGHTS),
    ("BinaryAccuracy", {}, "binary_flat", ALL_WEIGHTS),
    ("BinaryAccuracy", {"threshold": 0.7}, "multilabel", ALL_WEIGHTS + ("(N,T)",)),
    ("CategoricalAccuracy", {}, "categorical", ALL_WEIGHTS),
    ("SparseCategoricalAccuracy", {}, "sparse", ALL_WEIGHTS),
    ("SparseCategoricalAccuracy", {}, "sparse_column", ALL_WEIGHTS),
    ("SparseCategoricalAccuracy", {}, "sparse_sequence", ("none", "(N,)")),
    ("TopKCategoricalAccuracy", {"k": 1}, "categorical", ALL_WEIGHTS),
    ("TopKCategoricalAccuracy", {"k": 2}, "categorical", ALL_WEIGHTS),
    ("TopKCategoricalAccuracy", {}, "categorical", ("none",)),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, "sparse", ALL_WEIGHTS),
    ("SparseTopKCategoricalAccuracy", {"k": 3}, "sparse_column", ALL_WEIGHTS),
    ("SparseTopKCategoricalAccuracy", {"k": 2, "from_sorted_ids": True}, "sorted_ids", ALL_WEIGHTS),
    ("MeanSquaredError", {}, "regression", ALL_WEIGHTS),
    ("MeanSquaredError", {}, "regression_column", ALL_WEIGHTS),
    ("MeanAbsoluteError", {}, "regression", ALL_WEIGHTS),
    ("MeanAbsolutePercentageError", {}, "percentage", ALL_WEIGHTS),
    ("MeanSquaredLogarithmicError", {}, "positive", ALL_WEIGHTS),
    ("RootMeanSquaredError", {}, "regression", ALL_WEIGHTS),
    ("RootMeanSquaredError", {}, "regression_column", ALL_WEIGHTS),
    ("CosineSimilarity", {}, "regression", ALL_WEIGHTS),
    ("LogCoshError", {}, "regression", ALL_WEIGHTS),
    ("R2Score", {}, "regression", ("none", "(N,)", "(N,1)")),
    ("R2Score", {"class_aggregation": "variance_weighted_average"}, "regression", ("none", "(N,)")),
    ("R2Score", {"class_aggregation": None}, "regression", ("none", "(N,)")),
    ("R2Score", {"num_regressors": 2}, "regression", ("none", "(N,)")),
    ("BinaryCrossentropy", {}, "multilabel", ALL_WEIGHTS),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, "binary_logits", ALL_WEIGHTS),
    ("CategoricalCrossentropy", {}, "categorical", ALL_WEIGHTS),
    ("CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.2}, "categorical_logits", ALL_WEIGHTS),
    ("SparseCategoricalCrossentropy", {}, "sparse", ALL_WEIGHTS),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse_column", ALL_WEIGHTS),
    ("SparseCategoricalCrossentropy", {"ignore_class": 2}, "sparse", ALL_WEIGHTS),
    ("SparseCategoricalCrossentropy", {"ignore_class": 1}, "sparse_sequence", ("none", "(N,T)")),
    ("KLDivergence", {}, "distribution", ALL_WEIGHTS),
    ("Poisson", {}, "counts", ALL_WEIGHTS),
    ("Hinge", {}, "signed", ALL_WEIGHTS),
    ("Hinge", {}, "multilabel", ALL_WEIGHTS),
    ("SquaredHinge", {}, "signed", ALL_WEIGHTS),
    ("CategoricalHinge", {}, "categorical_logits", ALL_WEIGHTS),
    ("TruePositives", {}, "binary", ALL_WEIGHTS),
    ("FalsePositives", {"thresholds": [0.2, 0.5, 0.9]}, "multilabel", ALL_WEIGHTS),
    ("TrueNegatives", {"thresholds": [0.0, 0.5, 1.0]}, "multilabel", ALL_WEIGHTS),   # evenly spread
    ("FalseNegatives", {"thresholds": 0.3}, "binary_flat", ALL_WEIGHTS),
    ("Precision", {}, "binary", ALL_WEIGHTS),
    ("Precision", {"thresholds": [0.1, 0.5, 0.75]}, "multilabel", ALL_WEIGHTS),
    ("Precision", {"thresholds": [0.0, 0.25, 0.5, 0.75, 1.0]}, "multilabel", ALL_WEIGHTS),
    # top_k: data without ties. Keras picks the top k with ops.top_k; torch.topk breaks ties
    # arbitrarily (TensorFlow and JAX, like glassnet, take the lower index first).
    ("Precision", {"top_k": 2}, "multilabel", ALL_WEIGHTS),
    ("Precision", {"class_id": 3}, "multilabel", ALL_WEIGHTS),
    ("Precision", {"top_k": 2, "class_id": 1}, "multilabel", ALL_WEIGHTS),
    ("Recall", {}, "binary_flat", ALL_WEIGHTS),
    ("Recall", {"thresholds": [0.1, 0.5, 0.75]}, "multilabel", ALL_WEIGHTS),
    ("Recall", {"top_k": 3}, "categorical_distinct", ALL_WEIGHTS),
    ("Recall", {"class_id": 0, "thresholds": 0.4}, "multilabel", ALL_WEIGHTS),
    ("AUC", {}, "binary", ALL_WEIGHTS),
    ("AUC", {}, "multilabel", ALL_WEIGHTS),
    ("AUC", {"num_thresholds": 7}, "multilabel", ALL_WEIGHTS),
    ("AUC", {"summation_method": "minoring"}, "multilabel", ("none", "(N,)")),
    ("AUC", {"summation_method": "majoring", "num_thresholds": 11}, "multilabel", ("none", "(N,)")),
    ("AUC", {"curve": "PR"}, "multilabel", ALL_WEIGHTS),
    ("AUC", {"curve": "PR", "num_thresholds": 9}, "binary", ALL_WEIGHTS),
    ("AUC", {"curve": "PR", "summation_method": "minoring"}, "multilabel", ("none", "(N,)")),
    ("AUC", {"curve": "PR", "summation_method": "majoring"}, "multilabel", ("none", "(N,)")),
    ("AUC", {"thresholds": [0.1, 0.3, 0.5, 0.8]}, "multilabel", ALL_WEIGHTS),
    ("AUC", {"curve": "PR", "thresholds": [0.25, 0.5, 0.75]}, "multilabel", ("none", "(N,)")),
    ("AUC", {"multi_label": True}, "multilabel", ALL_WEIGHTS),
    ("AUC", {"multi_label": True, "curve": "PR", "num_labels": K}, "multilabel", ("none", "(N,)")),
    ("AUC", {"multi_label": True, "label_weights": [1.0, 0.5, 0.0, 2.0, 1.0]}, "multilabel", ("none", "(N,)")),
    ("AUC", {"label_weights": [1.0, 0.5, 0.0, 2.0, 1.0]}, "multilabel", ("none", "(N,)")),
    ("AUC", {"from_logits": True}, "binary_logits", ("none", "(N,)")),
    ("AUC", {}, "binary_logits", ("none",)),                        # scores outside [0, 1]
    ("AUC", {"thresholds": [0.1, 0.3, 0.5, 0.8]}, "binary_logits", ("none",)),
    ("Precision", {"thresholds": [0.0, 0.5, 1.0]}, "binary_logits", ("none",)),
    ("F1Score", {}, "categorical", ("none", "(N,)")),
    ("F1Score", {"average": "micro"}, "multilabel", ("none", "(N,)")),
    ("F1Score", {"average": "macro", "threshold": 0.5}, "multilabel", ("none", "(N,)")),
    ("F1Score", {"average": "weighted", "threshold": 0.4}, "multilabel", ("none", "(N,)")),
    ("F1Score", {"average": "weighted"}, "categorical", ("none", "(N,)")),
    ("FBetaScore", {"beta": 2.0, "threshold": 0.5}, "multilabel", ("none", "(N,)")),
    ("FBetaScore", {"beta": 0.5, "average": "macro"}, "categorical", ("none", "(N,)")),
]
PARAMS = [(name, kwargs, kind, weights) for name, kwargs, kind, all_weights in CASES for weights in all_weights]


def _param_id(param):
    name, kwargs, kind, weights = param
    return "-".join([name, kind, f"w={weights}"] + [f"{k}={v}" for k, v in kwargs.items()])


@pytest.mark.parametrize("param", PARAMS, ids=[_param_id(p) for p in PARAMS])
def test_metric_matches_keras(param):
    name, kwargs, kind, weights = param
    data = batches(kind, weights)
    keras_metric, glassnet_metric = getattr(keras.metrics, name)(**kwargs), getattr(gmetrics, name)(**kwargs)
    if kwargs.get("ignore_class") is not None:
        # Documented choice (metrics.SparseCategoricalCrossentropy): ignored entries never
        # count. Keras 3's metric drops them only when sample weights are given; without
        # weights it divides by every entry. So batches without weights get explicit unit
        # weights on the Keras side, where Keras then agrees.
        for y_true, y_pred, sample_weight in data:
            keras_metric.update_state(y_true, y_pred, sample_weight=(
                np.ones(y_true.shape) if sample_weight is None else sample_weight))
            glassnet_metric.update_state(y_true, y_pred, sample_weight=sample_weight)
        ours, theirs = np.asarray(glassnet_metric.result()), _numpy(keras_metric.result())
    else:
        ours, theirs = run_both(keras_metric, glassnet_metric, data)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=RTOL)


def test_reset_state_matches_keras():
    theirs, ours = keras.metrics.AUC(curve="PR"), gmetrics.AUC(curve="PR")
    run_both(theirs, ours, batches("multilabel", "(N,)"))
    theirs.reset_state()
    ours.reset_state()
    result = run_both(theirs, ours, batches("multilabel", "none", seed=5))
    np.testing.assert_allclose(*result, rtol=RTOL)


@pytest.mark.parametrize("weights", ["none", "(N,)", "(N,1)"])
def test_mean_and_sum_match_keras(weights):
    rng = np.random.default_rng(3)
    for name in ("Mean", "Sum"):
        theirs, ours = getattr(keras.metrics, name)(), getattr(gmetrics, name)()
        for n in BATCH_SIZES:
            values = rng.normal(size=(n, 2))
            w = {"none": None, "(N,)": rng.uniform(size=n), "(N,1)": rng.uniform(size=(n, 1))}[weights]
            theirs.update_state(values, sample_weight=w)
            ours.update_state(values, sample_weight=w)
        np.testing.assert_allclose(ours.result(), _numpy(theirs.result()), rtol=RTOL)


def test_mean_metric_wrapper_matches_keras():
    theirs = keras.metrics.MeanMetricWrapper(keras.losses.huber, delta=0.5)
    ours = gmetrics.MeanMetricWrapper(gn.losses.huber, delta=0.5)
    np.testing.assert_allclose(*run_both(theirs, ours, batches("regression", "(N,)")), rtol=RTOL)


# --- metric functions -----------------------------------------------------------------------
FUNCTIONS = [
    ("accuracy", {}, "exact"),
    ("binary_accuracy", {}, "multilabel"),
    ("binary_accuracy", {"threshold": 0.3}, "binary_flat"),
    ("categorical_accuracy", {}, "categorical"),
    ("sparse_categorical_accuracy", {}, "sparse"),
    ("sparse_categorical_accuracy", {}, "sparse_column"),
    ("sparse_categorical_accuracy", {}, "sparse_sequence"),
    ("top_k_categorical_accuracy", {"k": 2}, "categorical"),
    ("sparse_top_k_categorical_accuracy", {"k": 2}, "sparse"),
    ("sparse_top_k_categorical_accuracy", {"k": 2}, "sparse_sequence"),
    ("sparse_top_k_categorical_accuracy", {"k": 3, "from_sorted_ids": True}, "sorted_ids"),
]


@pytest.mark.parametrize("case", FUNCTIONS, ids=[f"{c[0]}-{c[2]}" for c in FUNCTIONS])
def test_metric_function_matches_keras(case):
    name, kwargs, kind = case
    y_true, y_pred = make_batch(kind, 8, np.random.default_rng(0))
    keras_fn = getattr(keras.metrics, name, None) or getattr(keras.src.metrics.accuracy_metrics, name)
    theirs = _numpy(keras_fn(y_true, y_pred, **kwargs))
    ours = np.asarray(getattr(gmetrics, name)(y_true, y_pred, **kwargs))
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=RTOL)


# --- configs --------------------------------------------------------------------------------
CONFIG_CLASSES = sorted({case[0] for case in CASES} | {"Mean", "Sum"})


CONFIG_CASES = [(name, {}) for name in CONFIG_CLASSES] + [
    ("SparseTopKCategoricalAccuracy", {"k": 2, "from_sorted_ids": True}),
    ("AUC", {"curve": "PR", "thresholds": [0.25, 0.5], "multi_label": True, "label_weights": [1.0, 2.0]}),
    ("Precision", {"thresholds": [0.3, 0.6], "top_k": 2, "class_id": 1}),
    ("F1Score", {"average": "macro", "threshold": 0.4}),
    ("R2Score", {"class_aggregation": None, "num_regressors": 2}),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}),
    ("SparseCategoricalCrossentropy", {"from_logits": True, "ignore_class": 3}),
]


@pytest.mark.parametrize("name, kwargs", CONFIG_CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CONFIG_CASES)])
def test_config_matches_keras(name, kwargs):
    theirs = getattr(keras.metrics, name)(**kwargs).get_config()
    ours = getattr(gmetrics, name)(**kwargs).get_config()
    theirs["name"] = re.sub(r"_\d+$", "", theirs["name"])   # Keras numbers repeated auto-names
    if theirs.get("label_weights") is not None:                # Keras keeps AUC's as a tensor
        theirs["label_weights"] = _numpy(theirs["label_weights"]).tolist()
    if name == "CosineSimilarity":
        # Documented choice (its docstring): Keras 3 leaves `axis` out of the config.
        assert ours.pop("axis") == -1
    assert ours == theirs


# --- "accuracy" in compile ------------------------------------------------------------------
ACCURACY_CASES = [
    ("binary_crossentropy", (1,), lambda rng, n: rng.integers(0, 2, size=(n, 1))),
    ("binary_crossentropy", (1,), lambda rng, n: rng.integers(0, 2, size=(n,))),
    ("binary_crossentropy", (3,), lambda rng, n: rng.integers(0, 2, size=(n, 3))),
    ("sparse_categorical_crossentropy", (4,), lambda rng, n: rng.integers(0, 4, size=(n,))),
    ("sparse_categorical_crossentropy", (4,), lambda rng, n: rng.integers(0, 4, size=(n, 1))),
    ("categorical_crossentropy", (4,), lambda rng, n: np.eye(4)[rng.integers(0, 4, size=n)]),
]


@pytest.mark.parametrize("case", ACCURACY_CASES, ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(ACCURACY_CASES)])
def test_accuracy_resolution_matches_keras(case):
    loss, output_shape, make_labels = case
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 3))
    y = make_labels(rng, 8).astype(np.float64)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(output_shape[0], activation="sigmoid")])
    model.compile(loss=loss, metrics=["accuracy"])
    model.evaluate(x, y, verbose=0)
    (keras_pick,) = [type(m).__name__ for m in model._compile_metrics.metrics]   # what Keras built
    y_pred = model.predict(x, verbose=0)
    ours = gmetrics.resolve_accuracy(y, y_pred, loss=loss)
    assert type(ours).__name__ == keras_pick

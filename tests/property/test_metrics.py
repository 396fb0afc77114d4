"""Metrics on hostile input: the accuracy family and the regression metrics against NumPy
references on generated (batch, classes) data, then arrays of any rank 0–3 with NaN.

A refused ``update_state`` leaves the metric's state as it was (the running totals of an
epoch are not half-updated by a bad batch).
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from glassnet import metrics

from .harness import REFUSED, check_call

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

FINITE = st.floats(0, 1, width=32)


@st.composite
def classification_batches(draw):
    """(one-hot y, integer t, scores p) for n in 1–6 samples and 1–5 classes."""
    n, classes = draw(st.integers(1, 6)), draw(st.integers(1, 5))
    t = draw(hnp.arrays(np.int64, n, elements=st.integers(0, classes - 1)))
    p = draw(hnp.arrays(np.float32, (n, classes), elements=FINITE))
    return np.eye(classes, dtype=np.float32)[t], t, p


def _in_top_k(t, p, k):
    """Reference: class t is in the top k when fewer than k scores are strictly larger (ties count in)."""
    return np.array([np.sum(row > row[label]) < k for row, label in zip(p, t)], dtype=np.float64)


REFERENCES = {
    "categorical_accuracy": (metrics.CategoricalAccuracy, "onehot",
                             lambda y, t, p: np.argmax(y, -1) == np.argmax(p, -1)),
    "sparse_categorical_accuracy": (metrics.SparseCategoricalAccuracy, "sparse",
                                    lambda y, t, p: t == np.argmax(p, -1)),
    "top_k_categorical_accuracy": (lambda: metrics.TopKCategoricalAccuracy(k=2), "onehot",
                                   lambda y, t, p: _in_top_k(t, p, 2)),
    "sparse_top_k_categorical_accuracy": (lambda: metrics.SparseTopKCategoricalAccuracy(k=2), "sparse",
                                          lambda y, t, p: _in_top_k(t, p, 2)),
    "binary_accuracy": (metrics.BinaryAccuracy, "onehot", lambda y, t, p: (p > 0.5) == y),
    "mean_squared_error": (metrics.MeanSquaredError, "onehot", lambda y, t, p: np.mean((y - p) ** 2, -1)),
    "mean_absolute_error": (metrics.MeanAbsoluteError, "onehot", lambda y, t, p: np.mean(np.abs(y - p), -1)),
}


@pytest.mark.parametrize("name", sorted(REFERENCES))
@given(batch=classification_batches())
def test_metric_matches_numpy(name, batch):
    make, labels, reference = REFERENCES[name]
    y, t, p = batch
    metric = make()

    def verify(value):
        want = float(np.mean(reference(y, t, p)))
        assert abs(value - want) <= 1e-6, f"{name}: {value} != NumPy {want}"

    check_call("metrics", lambda: (metric.update_state(y if labels == "onehot" else t, p), metric.result())[1],
               verify=verify)


ANY_ARRAY = hnp.arrays(np.float32, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
                       elements=st.floats(-2, 2, width=32) | st.just(np.nan))
METRICS = {
    "CategoricalAccuracy": metrics.CategoricalAccuracy, "SparseCategoricalAccuracy": metrics.SparseCategoricalAccuracy,
    "TopKCategoricalAccuracy": metrics.TopKCategoricalAccuracy,
    "SparseTopKCategoricalAccuracy": metrics.SparseTopKCategoricalAccuracy, "BinaryAccuracy": metrics.BinaryAccuracy,
    "Accuracy": metrics.Accuracy, "MeanSquaredError": metrics.MeanSquaredError, "AUC": metrics.AUC,
    "Precision": metrics.Precision, "Recall": metrics.Recall,
    "R2Score": metrics.R2Score, "KLDivergence": metrics.KLDivergence,
}


@pytest.mark.parametrize("name", sorted(METRICS))
@given(y_true=ANY_ARRAY, y_pred=ANY_ARRAY)
def test_metric_on_any_shapes_refuses_cleanly_and_keeps_its_state(name, y_true, y_pred):
    metric = METRICS[name]()
    good_y, good_p = np.array([[0.0, 1.0], [1.0, 0.0]], np.float32), np.array([[0.2, 0.8], [0.6, 0.4]], np.float32)
    if name.startswith("Sparse"):
        good_y = np.array([1, 0])
    metric.update_state(good_y, good_p)
    before = [np.array(v) for v in metric.variables]
    outcome = check_call("metrics", lambda: metric.update_state(y_true, y_pred),
                         names=("y_true", "y_pred", "shape", "label", "class", "sample", name.lower()))
    if outcome is REFUSED:
        after = metric.variables
        assert len(before) == len(after) and all(np.array_equal(a, b, equal_nan=True) for a, b in zip(before, after)), \
            f"{name}: a refused update_state changed the state"
    check_call("metrics", metric.result)


def test_top_k_issue_cases():
    """Fault 7 of issue 16: 1.0 on 1-D inputs (Keras raises), IndexError on 0-d."""
    for y, p in ((np.array([0.0, 1.0, 0.0]), np.array([0.1, 0.2, 0.7])), (np.array(1.0), np.array(0.5))):
        with pytest.raises(ValueError, match=r"y_pred must have shape \(batch, classes\)"):
            metrics.TopKCategoricalAccuracy().update_state(y, p)

"""compile with hostile optimizer/loss/metrics identifiers, then fit/evaluate/predict with
hostile data (shapes, dtypes, NaN, object arrays, lists, empty).

Each compile is refused naming the argument, or the model trains one step with a finite
loss. Each fit/evaluate/predict/train_on_batch works or is refused *before any weight
changes* (issue 16, fault 4), with a message naming x, y or the data at fault.
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import glassnet
from glassnet import layers

from .harness import REFUSED, assert_unchanged, check_call, weights_of
from .strategies import HOSTILE

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")

X = np.random.default_rng(0).normal(size=(12, 4)).astype(np.float32)
Y = np.arange(12) % 3


def _model():
    glassnet.utils.set_random_seed(0)
    model = glassnet.Sequential([layers.Input((4,)), layers.Dense(5, activation="relu"),
                                 layers.Dense(3, activation="softmax")])
    return model



def _mostly(valid):
    """Three valid identifiers to one hostile value, so most examples reach the training step."""
    return st.tuples(st.integers(0, 3), valid, HOSTILE).map(lambda t: t[2] if t[0] == 0 else t[1])


OPTIMIZERS = _mostly(st.sampled_from(["sgd", "adam", "rmsprop", "adagrad", "adamw", "nadam", "SGD", "Adam",
                                      "adamax", "lion", "adadelta"]))
LOSSES = _mostly(st.sampled_from(["sparse_categorical_crossentropy", "categorical_crossentropy", "mse", "mae",
                                  "binary_crossentropy", "hinge", "kl_divergence", "poisson", "huber"]))
METRIC_NAMES = st.sampled_from(["accuracy", "acc", "mse", "mae", "sparse_categorical_accuracy",
                                "sparse_top_k_categorical_accuracy", "auc", "precision", "crossentropy"])
METRICS = st.one_of(st.none(), st.lists(METRIC_NAMES, max_size=3), st.lists(_mostly(METRIC_NAMES), max_size=3),
                    HOSTILE.filter(lambda m: not isinstance(m, np.ndarray)))     # see test_metrics_as_an_array_is_named


@given(optimizer=OPTIMIZERS, loss=LOSSES, metrics=METRICS)
def test_compile_then_one_step(optimizer, loss, metrics):
    model = _model()
    compiled = check_call("compile", lambda: model.compile(optimizer=optimizer, loss=loss, metrics=metrics),
                          names=("optimizer", "loss", "metric"))
    if compiled is REFUSED:
        return
    before = weights_of(model)

    def verify(logs):
        values = logs if isinstance(logs, (list, tuple)) else [logs]
        first = values[0] if not isinstance(logs, dict) else logs["loss"]
        assert np.isfinite(first), f"loss {first}"

    y = Y if not isinstance(loss, str) or loss.startswith("sparse") else np.eye(3, dtype=np.float32)[Y]
    stepped = check_call("compile", lambda: model.train_on_batch(X, y), names=("loss", "metric", "y", "label", "shape",
                                                                            "class", "optimizer"), verify=verify)
    if stepped is REFUSED:
        assert_unchanged(before, model)


ARRAYS = st.sampled_from([
    X, X[:0], X[:1], X[:, :3], X[..., None], X.astype(np.float64), X.astype(np.int32), X.astype(bool),
    X.astype(object), X.tolist(), np.where(X > 1, np.nan, X), np.where(X > 1, np.inf, X),
    np.array([["a"] * 4] * 12), X.astype(np.complex64), X[0], np.float32(1.0),
    np.where(X > 1, np.nan, X).astype(object), [X, X], {"x": X},
])
LABELS = st.sampled_from([
    Y, Y[:0], Y[:5], Y.astype(np.float32), Y[:, None], np.eye(3)[Y], Y - 1, Y + 3, Y.astype(object),
    Y.tolist(), np.where(Y == 1, np.nan, Y), np.array(["a"] * 12), None, Y.astype(bool), np.full(12, 2 ** 40),
])


CLASS_WEIGHTS = st.sampled_from([None, {0: 1.0, 1: 2.0, 2: 0.5}, {0: float("nan")}, {0: -1.0}, {5: 1.0}, {0: "a"},
                                 "balanced", [1, 2, 3], {0: float("inf"), 1: 1, 2: 1}])
SPLITS = st.sampled_from([0.0, 0.25, 1.0, -0.1, float("nan"), "0.2", 0.99])


@given(x=ARRAYS, y=LABELS, method=st.sampled_from(["fit", "evaluate", "train_on_batch", "test_on_batch"]),
       class_weight=CLASS_WEIGHTS, validation_split=SPLITS)
def test_hostile_data_changes_no_weight(x, y, method, class_weight, validation_split):
    model = _model()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.predict(X[:2], verbose=0)
    before = weights_of(model)
    call = {"fit": lambda: model.fit(x, y, epochs=1, batch_size=4, verbose=0, class_weight=class_weight,
                                     validation_split=validation_split),
            "evaluate": lambda: model.evaluate(x, y, verbose=0),
            "train_on_batch": lambda: model.train_on_batch(x, y),
            "test_on_batch": lambda: model.test_on_batch(x, y)}[method]

    def verify(_):
        for w in model.get_weights():
            assert np.all(np.isfinite(w)), f"{method} made a weight non-finite"

    result = check_call("fit_data", call, names=("x", "y", "data", "label", "sample", "shape", "dtype", "class",
                                                 "validation_split"),
                        verify=verify)
    if result is REFUSED or method in ("evaluate", "test_on_batch"):
        assert_unchanged(before, model)


@given(x=ARRAYS)
def test_predict_on_hostile_data(x):
    model = _model()
    model.predict(X[:2], verbose=0)

    def verify(out):
        n = len(x) if isinstance(x, (list, np.ndarray)) and np.ndim(x) >= 1 else None
        assert out.shape[-1] == 3 and (n is None or out.shape[0] == n), out.shape

    check_call("fit_data", lambda: model.predict(x, verbose=0), names=("x", "data", "input", "shape", "dtype"),
               verify=verify)


# --- open faults in files that are not H3's (the fixes are in H3's report) --------------------


def test_metrics_as_an_array_is_named():
    """compile(metrics=np.array([1, 2])) in models/trainer.py: "truth value of an array is ambiguous"."""
    with pytest.raises(TypeError, match="metrics"):
        _model().compile(optimizer="sgd", loss="mse", metrics=np.array([1, 2]))

"""Losses against Keras 3 itself: values and gradients w.r.t. y_pred (skipped without keras).

Keras runs on its PyTorch backend in float64, so its gradients come from torch autograd
through Keras's own loss code; glassnet's come from its backward pass. Both forms are
compared: the function (per-sample values) and the class (every reduction, with and
without sample weights of shape (N,) and (N, 1)).
"""
import numpy as np
import pytest

import glassnet as gn
from glassnet import losses as glosses

keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")

RTOL = 1e-10
N, D, K = 6, 4, 5


@pytest.fixture(autouse=True)
def _float64(keras_float64):
    """Every test here runs in float64 (see conftest.py)."""


def _rng(seed=0):
    return np.random.default_rng(seed)


def _probabilities(rng, shape):
    """Probabilities in (0, 1) with edge cases: exact 0 and 1, and within 1e-9 of them."""
    p = rng.uniform(0.02, 0.98, size=shape)
    flat = p.reshape(-1)
    flat[:4] = [0.0, 1.0, 1e-9, 1.0 - 1e-9]
    return p


def _one_hot(labels, k):
    return np.eye(k)[labels]


def make_data(kind, seed=0):
    """(y_true, y_pred) float64 arrays for one kind of loss."""
    rng = _rng(seed)
    if kind == "regression":
        return rng.normal(size=(N, D)), rng.normal(size=(N, D))
    if kind == "regression_sequence":
        return rng.normal(size=(N, 3, D)), rng.normal(size=(N, 3, D))
    if kind == "percentage":
        y = rng.normal(size=(N, D))
        y[0, 0] = 0.0
        return y, rng.normal(size=(N, D))
    if kind == "logarithmic":
        y, p = rng.uniform(-0.5, 3.0, size=(N, D)), rng.uniform(-0.5, 3.0, size=(N, D))
        y[0, 0], p[0, 1] = 0.0, 0.0
        return y, p
    if kind == "counts":
        return rng.poisson(2.0, size=(N, D)).astype(np.float64), rng.uniform(0.1, 4.0, size=(N, D))
    if kind == "binary":
        return rng.integers(0, 2, size=(N, D)).astype(np.float64), _probabilities(rng, (N, D))
    if kind == "binary_logits":
        z = 3.0 * rng.normal(size=(N, D))
        z[0, 0] = 0.0
        return rng.integers(0, 2, size=(N, D)).astype(np.float64), z
    if kind == "binary_column":          # labels (N,) against predictions (N, 1)
        return rng.integers(0, 2, size=(N,)).astype(np.float64), _probabilities(rng, (N, 1))
    if kind == "column_true":            # targets (N, 1) against predictions (N,)
        return rng.integers(0, 2, size=(N, 1)).astype(np.float64), _probabilities(rng, (N,))
    if kind == "categorical":
        p = rng.uniform(0.0, 1.0, size=(N, K))       # not normalised: Keras renormalises
        p[0, :] = [0.0, 1.0, 0.0, 0.0, 0.0]
        p[1, :] = [1e-9, 1e-9, 0.5, 0.3, 0.2]
        return _one_hot(rng.integers(0, K, size=N), K), p
    if kind == "categorical_soft":
        y = rng.uniform(size=(N, K))
        return y / y.sum(-1, keepdims=True), rng.uniform(0.01, 1.0, size=(N, K))
    if kind == "categorical_logits":
        return _one_hot(rng.integers(0, K, size=N), K), 3.0 * rng.normal(size=(N, K))
    if kind == "categorical_axis1":     # classes on axis 1 of (N, K, 3)
        labels = rng.integers(0, K, size=(N, 3))
        return np.moveaxis(_one_hot(labels, K), -1, 1), rng.uniform(0.01, 1.0, size=(N, K, 3))
    if kind == "sparse":
        return rng.integers(0, K, size=(N,)).astype(np.float64), rng.uniform(0.01, 1.0, size=(N, K))
    if kind == "sparse_column":
        return rng.integers(0, K, size=(N, 1)).astype(np.float64), rng.uniform(0.01, 1.0, size=(N, K))
    if kind == "sparse_axis1":          # classes on axis 1 of (N, K, 3)
        return rng.integers(0, K, size=(N, 3)).astype(np.float64), rng.uniform(0.01, 1.0, size=(N, K, 3))
    if kind == "sparse_logits":
        return rng.integers(0, K, size=(N,)).astype(np.float64), 3.0 * rng.normal(size=(N, K))
    if kind == "sparse_ignore":         # label 2 is ignored in two places
        t = rng.integers(0, K, size=(N,))
        t[[1, 4]] = 2
        return t.astype(np.float64), 3.0 * rng.normal(size=(N, K))
    if kind == "sparse_ignore_probabilities":
        t = rng.integers(0, K, size=(N,))
        t[[1, 4]] = 2
        return t.astype(np.float64), rng.uniform(0.01, 1.0, size=(N, K))
    if kind == "sparse_sequence_ignore":
        t = rng.integers(0, K, size=(N, 3))
        t[0, 1] = t[3, 2] = 2
        return t.astype(np.float64), 3.0 * rng.normal(size=(N, 3, K))
    if kind == "distribution":
        y = rng.uniform(size=(N, K))
        y[0, 0] = 0.0
        y /= y.sum(-1, keepdims=True)
        p = rng.uniform(size=(N, K))
        p[1, 1] = 0.0
        return y, p / p.sum(-1, keepdims=True)
    if kind == "hinge01":
        return rng.integers(0, 2, size=(N, D)).astype(np.float64), 2.0 * rng.normal(size=(N, D))
    if kind == "hinge_signed":
        return rng.choice([-1.0, 1.0], size=(N, D)), 2.0 * rng.normal(size=(N, D))
    raise ValueError(kind)


# (function name, keyword arguments, data kind)
FUNCTION_CASES = [
    ("mean_squared_error", {}, "regression"),
    ("mean_squared_error", {}, "regression_sequence"),
    ("mean_squared_error", {}, "binary_column"),      # (N,) targets against (N, 1) predictions
    ("mean_squared_error", {}, "column_true"),        # (N, 1) targets against (N,) predictions
    ("mean_absolute_error", {}, "regression"),
    ("mean_absolute_percentage_error", {}, "percentage"),
    ("mean_squared_logarithmic_error", {}, "logarithmic"),
    ("huber", {}, "regression"),
    ("huber", {"delta": 0.3}, "regression"),
    ("log_cosh", {}, "regression"),
    ("cosine_similarity", {}, "regression"),
    ("cosine_similarity", {"axis": 1}, "regression_sequence"),
    ("binary_crossentropy", {}, "binary"),
    ("binary_crossentropy", {"label_smoothing": 0.2}, "binary"),
    ("binary_crossentropy", {"from_logits": True}, "binary_logits"),
    ("binary_crossentropy", {"from_logits": True, "label_smoothing": 0.1, "axis": 0}, "binary_logits"),
    ("binary_focal_crossentropy", {}, "binary"),
    ("binary_focal_crossentropy", {"apply_class_balancing": True, "alpha": 0.4, "gamma": 1.5}, "binary"),
    ("binary_focal_crossentropy", {"from_logits": True, "label_smoothing": 0.1}, "binary_logits"),
    ("categorical_crossentropy", {}, "categorical"),
    ("categorical_crossentropy", {}, "categorical_soft"),
    ("categorical_crossentropy", {"label_smoothing": 0.1}, "categorical"),
    ("categorical_crossentropy", {"from_logits": True}, "categorical_logits"),
    ("categorical_crossentropy", {"from_logits": True, "label_smoothing": 0.2}, "categorical_logits"),
    ("categorical_crossentropy", {"axis": 1}, "categorical_axis1"),
    ("categorical_focal_crossentropy", {}, "categorical"),
    ("categorical_focal_crossentropy", {"alpha": 0.5, "gamma": 1.0, "label_smoothing": 0.1}, "categorical"),
    ("categorical_focal_crossentropy", {"from_logits": True}, "categorical_logits"),
    ("categorical_focal_crossentropy", {"axis": 1}, "categorical_axis1"),
    ("sparse_categorical_crossentropy", {}, "sparse"),
    ("sparse_categorical_crossentropy", {}, "sparse_column"),
    ("sparse_categorical_crossentropy", {"from_logits": True}, "sparse_logits"),
    ("sparse_categorical_crossentropy", {"axis": 1}, "sparse_axis1"),
    ("sparse_categorical_crossentropy", {"from_logits": True, "axis": 1}, "sparse_axis1"),
    ("sparse_categorical_crossentropy", {"from_logits": True, "ignore_class": 2}, "sparse_ignore"),
    ("sparse_categorical_crossentropy", {"ignore_class": 2}, "sparse_ignore_probabilities"),
    ("sparse_categorical_crossentropy", {"from_logits": True, "ignore_class": 2}, "sparse_sequence_ignore"),
    ("kl_divergence", {}, "distribution"),
    ("poisson", {}, "counts"),
    ("hinge", {}, "hinge01"),
    ("hinge", {}, "hinge_signed"),
    ("squared_hinge", {}, "hinge01"),
    ("squared_hinge", {}, "hinge_signed"),
    ("categorical_hinge", {}, "categorical_logits"),
]


def _case_id(case):
    name, kwargs, kind = case
    return "-".join([name, kind] + [f"{k}={v}" for k, v in kwargs.items()])


def keras_value_and_grad(fn, y_true, y_pred, cotangent=None):
    """Keras's value and d(value·cotangent)/d y_pred, by torch autograd."""
    y_pred_t = torch.tensor(y_pred, dtype=torch.float64, requires_grad=True)
    value = fn(torch.tensor(y_true, dtype=torch.float64), y_pred_t)
    weight = torch.ones_like(value) if cotangent is None else torch.tensor(cotangent, dtype=torch.float64)
    (value * weight).sum().backward()
    return value.detach().numpy(), y_pred_t.grad.numpy()


def glassnet_value_and_grad(fn, y_true, y_pred, cotangent=None):
    """glassnet's value and gradient w.r.t. y_pred, from its own backward pass."""
    y_pred_t = gn.Tensor(y_pred, requires_grad=True)
    value = fn(y_true, y_pred_t)
    value.backward(np.ones(value.shape) if cotangent is None else cotangent)
    return value.numpy(), y_pred_t.grad


def assert_close(ours, theirs, what):
    np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=RTOL, err_msg=what)


@pytest.mark.parametrize("case", FUNCTION_CASES, ids=[_case_id(c) for c in FUNCTION_CASES])
def test_function_form_matches_keras(case):
    name, kwargs, kind = case
    y_true, y_pred = make_data(kind)
    keras_fn, glassnet_fn = getattr(keras.losses, name), getattr(glosses, name)
    cotangent = _rng(1).normal(size=glassnet_fn(y_true, y_pred, **kwargs).shape)
    theirs, their_grad = keras_value_and_grad(lambda t, p: keras_fn(t, p, **kwargs), y_true, y_pred, cotangent)
    ours, our_grad = glassnet_value_and_grad(lambda t, p: glassnet_fn(t, p, **kwargs), y_true, y_pred, cotangent)
    assert ours.shape == theirs.shape
    assert_close(ours, theirs, "values")
    assert_close(our_grad, their_grad, "gradient w.r.t. y_pred")


@pytest.mark.parametrize("name", ["categorical_crossentropy", "categorical_focal_crossentropy"])
def test_label_smoothing_counts_the_classes_along_axis(name):
    # Documented choice (categorical_crossentropy's docstring): with axis=1 Keras smooths
    # with s/K using K = the size of the LAST axis (3 here), not of the class axis (5);
    # glassnet uses K = 5. Its result equals Keras's on labels smoothed along axis 1.
    y_true, y_pred = make_data("categorical_axis1")
    smoothed = y_true * (1.0 - 0.1) + 0.1 / K
    theirs, their_grad = keras_value_and_grad(lambda t, p: getattr(keras.losses, name)(t, p, axis=1),
                                              smoothed, y_pred)
    ours, our_grad = glassnet_value_and_grad(
        lambda t, p: getattr(glosses, name)(t, p, axis=1, label_smoothing=0.1), y_true, y_pred)
    assert_close(ours, theirs, "values")
    assert_close(our_grad, their_grad, "gradient w.r.t. y_pred")


# --- class form: reductions and sample weights ---------------------------------------------
KERAS_CLASS = {
    "mean_squared_error": "MeanSquaredError", "mean_absolute_error": "MeanAbsoluteError",
    "mean_absolute_percentage_error": "MeanAbsolutePercentageError",
    "mean_squared_logarithmic_error": "MeanSquaredLogarithmicError", "huber": "Huber", "log_cosh": "LogCosh",
    "cosine_similarity": "CosineSimilarity", "binary_crossentropy": "BinaryCrossentropy",
    "binary_focal_crossentropy": "BinaryFocalCrossentropy", "categorical_crossentropy": "CategoricalCrossentropy",
    "categorical_focal_crossentropy": "CategoricalFocalCrossentropy",
    "sparse_categorical_crossentropy": "SparseCategoricalCrossentropy", "kl_divergence": "KLDivergence",
    "poisson": "Poisson", "hinge": "Hinge", "squared_hinge": "SquaredHinge", "categorical_hinge": "CategoricalHinge",
}

CLASS_CASES = FUNCTION_CASES + [            # the class form lines up (N,) and (N, 1) for every loss
    ("binary_crossentropy", {}, "binary_column"),
    ("binary_crossentropy", {}, "column_true"),
    ("binary_crossentropy", {"from_logits": True}, "binary_column"),
    ("binary_focal_crossentropy", {}, "column_true"),
    ("hinge", {}, "binary_column"),
    ("poisson", {}, "column_true"),
]
REDUCTIONS = ["sum_over_batch_size", "mean", "sum", "none", "mean_with_sample_weight"]
WEIGHTS = ["none", "(N,)", "(N,1)"]
# Every loss class runs these; the cases of REDUCTION_CASES run every reduction × weights.
SOME_REDUCTIONS_AND_WEIGHTS = [("sum_over_batch_size", "none"), ("sum_over_batch_size", "(N,)"), ("none", "(N,1)")]
REDUCTION_CASES = [
    ("mean_squared_error", {}, "regression"),
    ("mean_squared_error", {}, "regression_sequence"),
    ("mean_squared_error", {}, "column_true"),
    ("binary_crossentropy", {}, "binary_column"),
    ("categorical_crossentropy", {"from_logits": True}, "categorical_logits"),
    ("categorical_focal_crossentropy", {"axis": 1}, "categorical_axis1"),
    ("sparse_categorical_crossentropy", {"from_logits": True, "ignore_class": 2}, "sparse_ignore"),
    ("sparse_categorical_crossentropy", {"from_logits": True, "ignore_class": 2}, "sparse_sequence_ignore"),
    ("hinge", {}, "binary_column"),
]
def _per_sample_weights_apply(case, weights) -> bool:
    """Per-sample weights need one loss value per sample; binary_crossentropy with axis=0
    gives one per feature, so it is compared without weights only."""
    name, kwargs, _ = case
    return weights == "none" or not (name == "binary_crossentropy" and kwargs.get("axis") == 0)


CLASS_PARAMS = [param for param in
                [(case, r, w) for case in CLASS_CASES for r, w in SOME_REDUCTIONS_AND_WEIGHTS]
                + [(case, r, w) for case in REDUCTION_CASES for r in REDUCTIONS for w in WEIGHTS
                   if (r, w) not in SOME_REDUCTIONS_AND_WEIGHTS]
                if _per_sample_weights_apply(param[0], param[2])]


def _sample_weight(kind, n):
    if kind == "none":
        return None
    w = _rng(2).uniform(0.0, 2.0, size=n)
    w[0] = 0.0
    return w if kind == "(N,)" else w[:, None]


@pytest.mark.parametrize("param", CLASS_PARAMS, ids=[f"{_case_id(c)}-{r}-w={w}" for c, r, w in CLASS_PARAMS])
def test_class_form_matches_keras(param):
    (name, kwargs, kind), reduction, weights = param
    y_true, y_pred = make_data(kind, seed=3)
    per_sample = getattr(glosses, name)(y_true, y_pred, **kwargs).shape
    our_weight = their_weight = _sample_weight(weights, y_pred.shape[0])
    if weights != "none" and len(per_sample) > 1:
        # Per-sample losses of shape (N, T).
        # (N,): documented choice (glassnet.losses.base): one weight per sample, as (N, 1)
        #   weights mean in both libraries; Keras would broadcast (N,) against the last axis
        #   T instead (an error here). So Keras gets the (N, 1) spelling.
        their_weight = our_weight.reshape(-1, 1)
        if kwargs.get("ignore_class") is not None:
            # Keras's apply_mask multiplies the weights by the (N, T) mask in place, which
            # fails on torch for (N, 1) weights; with a mask, (N, 1) and (N, T) weights give
            # the same loss, so Keras gets them spelled out as (N, T).
            their_weight = np.broadcast_to(their_weight, per_sample).copy()
    keras_loss = getattr(keras.losses, KERAS_CLASS[name])(reduction=reduction, **kwargs)
    glassnet_loss = getattr(glosses, KERAS_CLASS[name])(reduction=reduction, **kwargs)
    shape = glassnet_loss(y_true, y_pred, sample_weight=our_weight).shape
    cotangent = None if reduction != "none" else _rng(4).normal(size=shape)
    theirs, their_grad = keras_value_and_grad(lambda t, p: keras_loss(t, p, sample_weight=their_weight),
                                              y_true, y_pred, cotangent)
    ours, our_grad = glassnet_value_and_grad(lambda t, p: glassnet_loss(t, p, sample_weight=our_weight),
                                             y_true, y_pred, cotangent)
    assert ours.shape == theirs.shape
    assert_close(ours, theirs, "values")
    assert_close(our_grad, their_grad, "gradient w.r.t. y_pred")


@pytest.mark.parametrize("name", sorted(KERAS_CLASS))
def test_class_config_matches_keras(name):
    theirs = getattr(keras.losses, KERAS_CLASS[name])().get_config()
    ours = getattr(glosses, KERAS_CLASS[name])().get_config()
    theirs.pop("dtype", None)
    ours.pop("dtype", None)
    # Documented choice (the classes' docstrings): Keras 3's Huber, CosineSimilarity and
    # SparseCategoricalCrossentropy leave `delta` / `axis` out of get_config (so a
    # non-default value does not survive a round trip); glassnet keeps them.
    extra = {"huber": {"delta": 1.0}, "cosine_similarity": {"axis": -1},
             "sparse_categorical_crossentropy": {"axis": -1}}.get(name, {})
    assert ours == {**theirs, **extra}


@pytest.mark.parametrize("name", sorted(KERAS_CLASS))
def test_string_identifier_gives_the_same_function(name):
    assert keras.losses.get(name).__name__ == glosses.get(name).__name__ == name

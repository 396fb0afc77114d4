"""Linear models as one operator: scores s = x·W + b, then the estimator's own link.

Every fitted linear model holds ``coef_`` (W, one row per output) and ``intercept_`` (b),
and its decision function is the affine map

    s = x·Wᵀ + b          one GEMM for the whole batch (``ops.linear``)

What follows the GEMM is the only difference between the estimators:

* Regressors (LinearRegression, Ridge, Lasso, ElasticNet, SGDRegressor, LinearSVR, ...):
  ``predict`` = s, shape (n,) for one target, (n, t) for several.
* Classifiers (LogisticRegression, SGDClassifier, LinearSVC, Perceptron, RidgeClassifier):
  ``decision_function`` = s — (n,) for two classes (the score of the second class), (n, k)
  otherwise; ``predict`` = [s > 0] for two classes, argmax_k s_k for more (first on ties).
* Probabilities, where the estimator has them:

  - logistic, two classes (LogisticRegression, SGDClassifier(loss="log_loss")):
    p = σ(s) = 1 / (1 + e^(−s)), proba = [1 − p, p];
  - multinomial LogisticRegression (k > 2): proba = softmax(s)_k = e^(s_k) / Σ_j e^(s_j);
  - one-vs-rest logistic (SGDClassifier(loss="log_loss"), k > 2): p_k = σ(s_k),
    proba_k = p_k / Σ_j p_j (a row whose p all vanish gets 1/k each, as in liblinear);
  - modified Huber (SGDClassifier(loss="modified_huber")): p = (clip(s, −1, 1) + 1) / 2,
    [1 − p, p] for two classes, normalised as above for more.

scikit-learn ≥ 1.8 fits multi-class LogisticRegression multinomially only; its
one-vs-rest form is ``OneVsRestClassifier(LogisticRegression())``, converted in
``composition.py`` from the binary models here.
"""
from __future__ import annotations

import numpy as np

from .. import ops
from .base import Operator, argmax, as_index, register_converter

LINKS = (None, "logistic", "softmax", "ovr_logistic", "modified_huber")


class LinearModel(Operator):
    """s = x·W + b followed by a regressor's identity or a classifier's decision rule and link.

    Args:
        n_features: the number of input columns.
        n_scores: the number of columns of W (targets, or classes; 1 for a binary classifier).
        classifier: True for a classifier (outputs predict/decision[/proba]), False for a
            regressor (output predict).
        proba: the link giving probabilities: None (no ``predict_proba``), "logistic",
            "softmax", "ovr_logistic" or "modified_huber" (see the module docstring).
        squeeze: a regressor's predict is 1-D (one target fitted on a 1-D y).
    """

    def __init__(self, n_features, n_scores, classifier=False, proba=None, squeeze=False, **kwargs):
        super().__init__(**kwargs)
        if proba not in LINKS:
            raise ValueError(f"LinearModel: proba must be one of {LINKS}, got {proba!r}")
        self.n_features, self.n_scores = int(n_features), int(n_scores)
        self.classifier, self.proba, self.squeeze = bool(classifier), proba, bool(squeeze)
        if not self.classifier:
            self.outputs = ("predict",)
        else:
            self.outputs = ("predict", "decision") + (("proba",) if proba else ())

    def constant_specs(self):
        return {"kernel": ((self.n_features, self.n_scores), self.dtype), "bias": ((self.n_scores,), self.dtype)}

    def call(self, x, output=None):
        output = self.check_output(output)
        s = ops.linear(x, self.kernel, self.bias)
        binary = self.classifier and self.n_scores == 1
        if not self.classifier:
            return s[:, 0] if self.squeeze else s
        if output == "decision":
            return s[:, 0] if binary else s
        if output == "predict":
            return as_index(s.data[:, 0] > 0) if binary else argmax(s, axis=1)
        return self.probabilities(s)

    def input_affine(self):
        """The (kernel, bias) Variables of the first affine map x·W + b (a Pipeline folds a scaler into them)."""
        return self.kernel, self.bias

    def probabilities(self, s):
        """The rows of ``predict_proba`` from the scores s (n, n_scores)."""
        if self.proba == "softmax":
            return ops.softmax(s, axis=1)
        p = ops.sigmoid(s) if self.proba in ("logistic", "ovr_logistic") else (ops.clip(s, -1.0, 1.0) + 1.0) / 2.0
        if self.n_scores == 1:
            return ops.concatenate([1.0 - p, p], axis=1)
        return normalize_rows(p)

    def get_config(self):
        return {**super().get_config(), "n_features": self.n_features, "n_scores": self.n_scores,
                "classifier": self.classifier, "proba": self.proba, "squeeze": self.squeeze}


def normalize_rows(p):
    """p / Σ_j p_j per row; a row summing to 0 becomes uniform 1/k (scikit-learn's OvR rule)."""
    total = ops.sum(p, axis=1, keepdims=True)
    empty = total.data == 0
    if empty.any():
        p = ops.where(empty, 1.0, p)
        total = ops.where(empty, float(p.shape[1]), total)
    return p / total


def linear_operator(coef, intercept, context, classifier=False, proba=None):
    """A built LinearModel with W = coefᵀ and b = intercept (broadcast to the outputs)."""
    coef = np.asarray(coef, dtype=np.float64)
    squeeze = coef.ndim == 1
    W = coef.reshape(1, -1).T if squeeze else coef.T
    b = np.broadcast_to(np.asarray(intercept, dtype=np.float64).reshape(-1), (W.shape[1],))
    op = LinearModel(W.shape[0], W.shape[1], classifier=classifier, proba=proba, squeeze=squeeze,
                     dtype=context.dtype)
    op.build((None, W.shape[0]))
    return op.set_constants(kernel=W, bias=b)


REGRESSORS = ("LinearRegression", "Ridge", "RidgeCV", "Lasso", "LassoCV", "ElasticNet", "ElasticNetCV",
              "SGDRegressor", "LinearSVR", "BayesianRidge", "HuberRegressor")


@register_converter(*REGRESSORS)
def convert_linear_regressor(estimator, context):
    return linear_operator(estimator.coef_, estimator.intercept_, context)


@register_converter("LogisticRegression", "LogisticRegressionCV")
def convert_logistic_regression(estimator, context):
    binary = len(estimator.classes_) <= 2
    return linear_operator(estimator.coef_, estimator.intercept_, context, classifier=True,
                           proba="logistic" if binary else "softmax")


@register_converter("SGDClassifier")
def convert_sgd_classifier(estimator, context):
    binary = len(estimator.classes_) <= 2
    proba = {"log_loss": "logistic" if binary else "ovr_logistic", "modified_huber": "modified_huber"}
    return linear_operator(estimator.coef_, estimator.intercept_, context, classifier=True,
                           proba=proba.get(estimator.loss))


@register_converter("LinearSVC", "Perceptron", "RidgeClassifier", "RidgeClassifierCV")
def convert_linear_classifier(estimator, context):
    return linear_operator(estimator.coef_, estimator.intercept_, context, classifier=True)

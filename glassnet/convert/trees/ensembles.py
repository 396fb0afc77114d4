"""Converters: fitted scikit-learn trees and ensembles → a strategy operator under a head.

Each converter reads the fitted trees into ``TreeArrays`` with the leaf values the head
needs (``extract.py``), compiles them with the requested strategy (``choose.py``) and wraps
them in the head that reproduces the estimator's outputs (``heads.py``, whose docstring has
the formulas). Trees are listed in the order scikit-learn adds them up: estimator by
estimator, and for boosting stage by stage, class by class.

Supported: DecisionTree{Classifier,Regressor}, ExtraTree{Classifier,Regressor},
RandomForest{Classifier,Regressor}, ExtraTrees{Classifier,Regressor},
GradientBoosting{Classifier,Regressor} (init: the default prior/mean/quantile, or "zero"),
HistGradientBoosting{Classifier,Regressor} (numeric features; NaN as fitted), IsolationForest.
"""
from __future__ import annotations

import numpy as np

from ..base import register_converter
from .choose import compile_trees
from .extract import hist_predictor, sklearn_tree
from .heads import BoostedTrees, IsolationTrees, TreeClassifier, TreeRegressor

FLOAT32 = "float32"       # scikit-learn's trees compare X cast to float32 (sklearn.tree._tree.DTYPE)
CONSTANT_INITS = {"prior", "most_frequent", "mean", "median", "quantile", "constant"}
LINK_NAMES = {"IdentityLink": "identity", "LogLink": "log", "LogitLink": "logit", "HalfLogitLink": "half_logit",
              "MultinomialLogit": "softmax"}


def _members(estimator) -> list:
    """The fitted trees of a forest, or [the tree itself] for a single decision tree."""
    return list(estimator.estimators_) if hasattr(estimator, "estimators_") else [estimator]


def _class_fractions(tree, n_classes) -> np.ndarray:
    """(n_nodes, Σ padded widths): each output's class counts normalised to sum to 1, as
    ``DecisionTreeClassifier.predict_proba`` does (a zero total stays zero)."""
    value = np.array(tree.value, dtype=np.float64)                           # (nodes, outputs, max classes)
    for j, k in enumerate(n_classes):
        block = value[:, j, :k]
        total = block.sum(axis=1, keepdims=True)
        total[total == 0.0] = 1.0
        value[:, j, :k] = block / total
    return value.reshape(len(value), -1)


@register_converter("DecisionTreeClassifier", "ExtraTreeClassifier", "RandomForestClassifier",
                    "ExtraTreesClassifier")
def convert_tree_classifier(estimator, context):
    """proba = the mean over trees of each leaf's class fractions; predict = argmax proba."""
    n_classes = [int(k) for k in np.atleast_1d(estimator.n_classes_)]
    trees = [sklearn_tree(member.tree_, _class_fractions(member.tree_, n_classes))
             for member in _members(estimator)]
    base = np.zeros(trees[0].n_outputs)
    strategy = compile_trees(trees, context.n_features, base, context, FLOAT32)
    return _built(TreeClassifier(strategy, n_classes, dtype=context.dtype), context)


@register_converter("DecisionTreeRegressor", "ExtraTreeRegressor", "RandomForestRegressor", "ExtraTreesRegressor")
def convert_tree_regressor(estimator, context):
    """predict = the mean over trees of each leaf's mean target."""
    trees = [sklearn_tree(member.tree_, np.asarray(member.tree_.value)[:, :, 0]) for member in _members(estimator)]
    strategy = compile_trees(trees, context.n_features, np.zeros(trees[0].n_outputs), context, FLOAT32)
    return _built(TreeRegressor(strategy, dtype=context.dtype), context)


def _gradient_boosting_base(estimator, n_features) -> np.ndarray:
    """The raw prediction of GradientBoosting's ``init_`` (a constant), or zeros for "zero".

    Raises:
        ValueError: for an init estimator whose prediction depends on X.
    """
    init = estimator.init_
    K = estimator.n_trees_per_iteration_
    if isinstance(init, str) and init == "zero":
        return np.zeros(K)
    if type(init).__name__ not in ("DummyClassifier", "DummyRegressor") or init.strategy not in CONSTANT_INITS:
        raise ValueError(f"{type(estimator).__name__}: init={estimator.init!r} is not supported by glassnet.convert; "
                         "use the default init=None (the class prior or the mean/quantile of y) or init='zero'")
    return np.asarray(estimator._raw_predict_init(np.zeros((1, n_features), dtype=np.float32)), dtype=np.float64)[0]


def _link(estimator) -> str:
    name = type(estimator._loss.link).__name__
    if name not in LINK_NAMES:
        raise ValueError(f"{type(estimator).__name__}: loss {estimator.loss!r} (link {name}) is not supported by "
                         f"glassnet.convert; supported links: {sorted(LINK_NAMES)}")
    return LINK_NAMES[name]


def _one_column(value, k, K) -> np.ndarray:
    """Leaf values (n_nodes,) placed in column k of an (n_nodes, K) array of zeros."""
    out = np.zeros((len(value), K))
    out[:, k] = value
    return out


@register_converter("GradientBoostingClassifier", "GradientBoostingRegressor")
def convert_gradient_boosting(estimator, context):
    """raw = init + Σ_stages learning_rate · tree value (one tree per class and stage)."""
    base = _gradient_boosting_base(estimator, context.n_features)
    stages, K = estimator.estimators_.shape
    rate = float(estimator.learning_rate)
    trees = [sklearn_tree(estimator.estimators_[i, k].tree_,
                          _one_column(rate * np.asarray(estimator.estimators_[i, k].tree_.value)[:, 0, 0], k, K),
                          missing=False)           # predict_stages sends every NaN right
             for i in range(stages) for k in range(K)]
    strategy = compile_trees(trees, context.n_features, base, context, FLOAT32, cyclic=K > 1)
    n_classes = getattr(estimator, "n_classes_", None)
    head = BoostedTrees(strategy, link=_link(estimator), n_classes=n_classes, zero_is_positive=True,
                        dtype=context.dtype)
    return _built(head, context)


@register_converter("HistGradientBoostingClassifier", "HistGradientBoostingRegressor")
def convert_hist_gradient_boosting(estimator, context):
    """raw = baseline + Σ_iterations leaf value, on the raw (float64) X with its NaN rule.

    Raises:
        ValueError: for categorical features (not supported).
    """
    categorical = getattr(estimator, "is_categorical_", None)
    if categorical is not None and np.any(categorical):
        raise ValueError(f"{type(estimator).__name__} with categorical_features is not supported by glassnet.convert; "
                         "encode the categories in a Pipeline step (e.g. OneHotEncoder) and fit with "
                         "categorical_features=None")
    K = estimator.n_trees_per_iteration_
    trees = []
    for iteration in estimator._predictors:
        for k, predictor in enumerate(iteration):
            tree = hist_predictor(predictor)
            tree.value = _one_column(tree.value[:, 0], k, K)
            trees.append(tree)
    base = np.asarray(estimator._baseline_prediction, dtype=np.float64).reshape(-1)
    strategy = compile_trees(trees, context.n_features, base, context, context.dtype, cyclic=K > 1)
    n_classes = len(estimator.classes_) if hasattr(estimator, "classes_") else None
    head = BoostedTrees(strategy, link=_link(estimator), n_classes=n_classes, zero_is_positive=False,
                        dtype=context.dtype)
    return _built(head, context)


def _average_path_length(m) -> float:
    """c(m) = 2(ln(m − 1) + γ) − 2(m − 1)/m, with c(1) = 0 and c(2) = 1 (scikit-learn's formula)."""
    from sklearn.ensemble._iforest import _average_path_length as sklearn_c
    return float(sklearn_c([m])[0])


@register_converter("IsolationForest")
def convert_isolation_forest(estimator, context):
    """Each leaf holds depth + c(n_leaf) − 1; score_samples = −2^(−Σ / (T·c(max_samples)))."""
    trees = []
    for t, (member, features) in enumerate(zip(estimator.estimators_, estimator.estimators_features_)):
        path = (np.asarray(estimator._decision_path_lengths[t], dtype=np.float64)
                + np.asarray(estimator._average_path_length_per_tree[t], dtype=np.float64) - 1.0)
        trees.append(sklearn_tree(member.tree_, path[:, None], feature_map=features))
    strategy = compile_trees(trees, context.n_features, np.zeros(1), context, FLOAT32)
    denominator = len(estimator.estimators_) * _average_path_length(estimator._max_samples)
    head = IsolationTrees(strategy, denominator=denominator, offset=float(estimator.offset_), dtype=context.dtype)
    return _built(head, context)


def _built(head, context):
    head.build((None, context.n_features))
    return head

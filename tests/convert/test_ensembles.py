"""Forests, gradient boosting, HistGradientBoosting and IsolationForest against scikit-learn:
exact labels, outputs to 1e-6 in float64 (a stated tolerance in float32), NaN, saving, errors."""
import numpy as np
import pytest

from .conftest import assert_close, classification, regression

pytest.importorskip("sklearn")
from sklearn.dummy import DummyClassifier  # noqa: E402
from sklearn.ensemble import (ExtraTreesClassifier, ExtraTreesRegressor, GradientBoostingClassifier,  # noqa: E402
                              GradientBoostingRegressor, HistGradientBoostingClassifier,
                              HistGradientBoostingRegressor, IsolationForest, RandomForestClassifier,
                              RandomForestRegressor)
from sklearn.linear_model import LinearRegression  # noqa: E402

import glassnet  # noqa: E402
from glassnet.convert import from_sklearn  # noqa: E402

CLASS_CASES = [(2, None), (3, None), (4, ["north", "east", "south", "west"])]


def noisy(X, seed=1, scale=0.3):
    """Test inputs near, not on, the training points."""
    return X + np.random.default_rng(seed).normal(0, scale, X.shape)


def check_classifier(estimator, X, dtype="float64", strategy="auto"):
    model = from_sklearn(estimator, dtype=dtype, strategy=strategy)
    assert (model.predict(X) == estimator.predict(X)).all()
    assert_close(model.predict_proba(X), estimator.predict_proba(X), dtype)
    if hasattr(estimator, "decision_function"):
        assert_close(model.decision_function(X), estimator.decision_function(X), dtype)
    return model


# --- forests ------------------------------------------------------------------------------------
@pytest.mark.parametrize("Forest", [RandomForestClassifier, ExtraTreesClassifier])
@pytest.mark.parametrize("n_classes, labels", CLASS_CASES)
def test_forest_classifier(Forest, n_classes, labels):
    X, y = classification(n_classes=n_classes, labels=labels)
    forest = Forest(n_estimators=8, max_depth=6, random_state=0).fit(X, y)
    check_classifier(forest, noisy(X))


def test_class_weighted_forest_averages_normalised_leaves():
    X, y = classification(n_classes=3)
    forest = RandomForestClassifier(n_estimators=6, max_depth=5, class_weight="balanced_subsample",
                                    random_state=0).fit(X, y)
    check_classifier(forest, noisy(X))


@pytest.mark.parametrize("Forest", [RandomForestRegressor, ExtraTreesRegressor])
@pytest.mark.parametrize("n_targets", [1, 2])
def test_forest_regressor(Forest, n_targets):
    X, y = regression(n_targets=n_targets)
    forest = Forest(n_estimators=8, max_depth=7, random_state=0).fit(X, y)
    model = from_sklearn(forest)
    assert_close(model.predict(noisy(X)), forest.predict(noisy(X)))


def test_multi_output_forest_classifier():
    X, y = classification(n_classes=3)
    Y = np.stack([y, np.where(X[:, 0] > 0, "pos", "neg")], axis=1)
    forest = RandomForestClassifier(n_estimators=5, max_depth=5, random_state=0).fit(X, Y)
    for strategy in ("gemm", "tree_trav", "perf_tree_trav"):
        model = from_sklearn(forest, strategy=strategy)
        assert (model.predict(noisy(X)) == forest.predict(noisy(X))).all()
        for ours, theirs in zip(model.predict_proba(noisy(X)), forest.predict_proba(noisy(X)), strict=True):
            assert_close(ours, theirs)


def test_forest_with_missing_values():
    X, y = classification(n_classes=3, n_samples=200)
    X[::7, 0] = np.nan
    forest = RandomForestClassifier(n_estimators=5, max_depth=6, random_state=0).fit(X, y)
    X_test = noisy(np.nan_to_num(X))
    X_test[::3, 0] = np.nan
    for strategy in ("gemm", "tree_trav", "perf_tree_trav"):
        check_classifier(forest, X_test, strategy=strategy)


def test_forest_float32():
    """float32: labels exact (comparisons are float32 in sklearn too); probabilities to 1e-4."""
    X, y = classification(n_classes=3)
    forest = RandomForestClassifier(n_estimators=8, max_depth=6, random_state=0).fit(X, y)
    model = check_classifier(forest, noisy(X), dtype="float32")
    assert model.predict_proba(X).dtype == np.float32


# --- gradient boosting --------------------------------------------------------------------------
@pytest.mark.parametrize("n_classes, labels", CLASS_CASES)
def test_gradient_boosting_classifier(n_classes, labels):
    X, y = classification(n_classes=n_classes, labels=labels)
    gb = GradientBoostingClassifier(n_estimators=10, max_depth=3, learning_rate=0.3, random_state=0).fit(X, y)
    model = check_classifier(gb, noisy(X))
    assert model.decision_function(X).shape == ((len(X),) if n_classes == 2 else (len(X), n_classes))


@pytest.mark.parametrize("options", [dict(loss="exponential"), dict(init="zero"), dict(subsample=0.7)])
def test_gradient_boosting_classifier_options(options):
    X, y = classification(n_classes=2)
    gb = GradientBoostingClassifier(n_estimators=8, random_state=0, **options).fit(X, y)
    check_classifier(gb, noisy(X))


@pytest.mark.parametrize("options", [dict(), dict(loss="absolute_error"), dict(loss="quantile", alpha=0.8),
                                     dict(loss="huber"), dict(init="zero")])
def test_gradient_boosting_regressor(options):
    X, y = regression()
    gb = GradientBoostingRegressor(n_estimators=10, max_depth=3, random_state=0, **options).fit(X, y)
    assert_close(from_sklearn(gb).predict(noisy(X)), gb.predict(noisy(X)))


def test_gradient_boosting_with_an_init_estimator_is_refused():
    X, y = regression()
    gb = GradientBoostingRegressor(n_estimators=3, init=LinearRegression()).fit(X, y)
    with pytest.raises(ValueError, match="init"):
        from_sklearn(gb)
    Xc, yc = classification()
    gb = GradientBoostingClassifier(n_estimators=3, init=DummyClassifier(strategy="stratified")).fit(Xc, yc)
    with pytest.raises(ValueError, match="init"):
        from_sklearn(gb)


# --- HistGradientBoosting -----------------------------------------------------------------------
@pytest.mark.parametrize("n_classes, labels", CLASS_CASES)
def test_hist_gradient_boosting_classifier(n_classes, labels):
    X, y = classification(n_classes=n_classes, labels=labels, n_samples=200)
    hgb = HistGradientBoostingClassifier(max_iter=10, max_leaf_nodes=8, random_state=0).fit(X, y)
    check_classifier(hgb, noisy(X))


def test_hist_gradient_boosting_missing_values():
    """NaN goes where each node's missing_go_to_left says, learned (NaN in fit) or not."""
    X, y = classification(n_classes=3, n_samples=300)
    rng = np.random.default_rng(0)
    X[rng.random(X.shape) < 0.1] = np.nan
    hgb = HistGradientBoostingClassifier(max_iter=10, max_leaf_nodes=8, random_state=0).fit(X, y)
    X_test = noisy(np.nan_to_num(X))
    X_test[rng.random(X.shape) < 0.15] = np.nan
    for strategy in ("gemm", "tree_trav", "perf_tree_trav"):
        check_classifier(hgb, X_test, strategy=strategy)
    reg = HistGradientBoostingRegressor(max_iter=10, random_state=0).fit(X, y.astype(float))
    assert_close(from_sklearn(reg).predict(X_test), reg.predict(X_test))


@pytest.mark.parametrize("loss", ["squared_error", "absolute_error", "poisson", "gamma"])
def test_hist_gradient_boosting_regressor(loss):
    X, y = regression()
    if loss in ("poisson", "gamma"):
        y = np.exp(y / 100.0)                                     # positive targets; a log link
    hgb = HistGradientBoostingRegressor(loss=loss, max_iter=10, random_state=0).fit(X, y)
    assert_close(from_sklearn(hgb).predict(noisy(X)), hgb.predict(noisy(X)))


def test_hist_gradient_boosting_float32():
    """float32: exact labels and 1e-4 probabilities for inputs representable in float32. (sklearn
    compares the float64 X; a float64 x within float32 rounding of a threshold may turn the other way.)"""
    X, y = classification(n_classes=3, n_samples=200)
    hgb = HistGradientBoostingClassifier(max_iter=10, max_leaf_nodes=8, random_state=0).fit(X, y)
    X32 = noisy(X).astype(np.float32).astype(np.float64)
    check_classifier(hgb, X32, dtype="float32")


def test_hist_gradient_boosting_categorical_is_refused():
    X, y = classification(n_samples=200)
    X[:, 0] = np.arange(len(X)) % 4
    hgb = HistGradientBoostingClassifier(max_iter=3, categorical_features=[0]).fit(X, y)
    with pytest.raises(ValueError, match="categorical"):
        from_sklearn(hgb)


# --- IsolationForest ----------------------------------------------------------------------------
@pytest.mark.parametrize("options", [dict(), dict(max_features=0.6, contamination=0.1),
                                     dict(max_samples=2), dict(bootstrap=True, max_samples=50)])
def test_isolation_forest(options):
    X, _ = classification(n_samples=150)
    X_test = np.vstack([noisy(X), np.random.default_rng(2).normal(0, 6, (30, X.shape[1]))])
    forest = IsolationForest(n_estimators=12, random_state=0, **options).fit(X)
    model = from_sklearn(forest)
    assert_close(model.score_samples(X_test), forest.score_samples(X_test))
    assert_close(model.decision_function(X_test), forest.decision_function(X_test))
    assert (model.predict(X_test) == forest.predict(X_test)).all()
    assert not hasattr(model, "predict_proba")


def test_isolation_forest_missing_values():
    X, _ = classification(n_samples=150)
    forest = IsolationForest(n_estimators=10, random_state=0).fit(X)
    X_test = noisy(X)
    X_test[::4, 1] = np.nan
    assert_close(from_sklearn(forest).score_samples(X_test), forest.score_samples(X_test))


# --- saving and bad input -----------------------------------------------------------------------
def test_save_and_load_every_family(tmp_path):
    X, y = classification(n_classes=3, labels=["a", "b", "c"])
    Xr, yr = regression()
    cases = [(RandomForestClassifier(n_estimators=4, max_depth=4, random_state=0).fit(X, y), X, "predict_proba"),
             (GradientBoostingClassifier(n_estimators=4, random_state=0).fit(X, y), X, "decision_function"),
             (HistGradientBoostingRegressor(max_iter=5).fit(Xr, yr), Xr, "predict"),
             (IsolationForest(n_estimators=4, random_state=0).fit(X), X, "score_samples")]
    for i, (estimator, data, method) in enumerate(cases):
        model = from_sklearn(estimator, strategy=["gemm", "tree_trav", "perf_tree_trav", "auto"][i])
        path = str(tmp_path / f"model{i}.glassnet")
        model.save(path)
        loaded = glassnet.models.load_model(path)
        np.testing.assert_array_equal(getattr(loaded, method)(data), getattr(model, method)(data))
        np.testing.assert_array_equal(loaded.predict(data), model.predict(data))
        if method != "predict":
            assert (loaded.predict(data) == estimator.predict(data)).all()


def test_bad_input():
    from sklearn.exceptions import NotFittedError
    for estimator in (RandomForestClassifier(), GradientBoostingRegressor(), HistGradientBoostingClassifier(),
                      IsolationForest()):
        with pytest.raises(NotFittedError):
            from_sklearn(estimator)
    X, y = classification()
    model = from_sklearn(HistGradientBoostingClassifier(max_iter=3).fit(X, y))
    with pytest.raises(ValueError, match="5 features"):
        model.predict(np.zeros((3, 4)))
    with pytest.raises(ValueError, match="dtype"):
        from_sklearn(RandomForestClassifier(n_estimators=2).fit(X, y), dtype="float16")


def test_forest_inside_a_pipeline():
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    X, y = classification(n_classes=3, labels=["x", "y", "z"])
    pipeline = make_pipeline(StandardScaler(), RandomForestClassifier(n_estimators=5, max_depth=5,
                                                                      random_state=0)).fit(X, y)
    check_classifier(pipeline, noisy(X))


def test_boosting_and_isolation_float32():
    """float32 sums and links: 1e-4 (the comparisons are float32 in sklearn too, so the leaves are the same)."""
    X, y = classification(n_classes=3)
    gb = GradientBoostingClassifier(n_estimators=8, random_state=0).fit(X, y)
    check_classifier(gb, noisy(X), dtype="float32")
    forest = IsolationForest(n_estimators=8, random_state=0).fit(X)
    assert_close(from_sklearn(forest, dtype="float32").score_samples(X), forest.score_samples(X), "float32")


def test_every_tree_estimator_is_registered():
    from glassnet.convert import supported_estimators
    names = {"DecisionTreeClassifier", "DecisionTreeRegressor", "ExtraTreeClassifier", "ExtraTreeRegressor",
             "RandomForestClassifier", "RandomForestRegressor", "ExtraTreesClassifier", "ExtraTreesRegressor",
             "GradientBoostingClassifier", "GradientBoostingRegressor", "HistGradientBoostingClassifier",
             "HistGradientBoostingRegressor", "IsolationForest"}
    assert names <= set(supported_estimators())

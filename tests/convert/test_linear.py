"""Linear models: labels exactly, decision/proba/predict to 1e-6 (float64) and 1e-4 (float32)."""
import numpy as np
import pytest

from glassnet.convert import from_sklearn

from .conftest import assert_close, classification, regression

LABELS = {"binary": (2, None), "multiclass": (3, None), "strings": (3, ["ant", "bee", "cow"]),
          "binary strings": (2, ["no", "yes"])}


def classifiers():
    from sklearn.linear_model import LogisticRegression, Perceptron, RidgeClassifier, SGDClassifier
    from sklearn.svm import LinearSVC
    return {"LogisticRegression": lambda: LogisticRegression(max_iter=500),
            "SGDClassifier-hinge": lambda: SGDClassifier(random_state=0),
            "SGDClassifier-log_loss": lambda: SGDClassifier(loss="log_loss", random_state=0),
            "SGDClassifier-modified_huber": lambda: SGDClassifier(loss="modified_huber", random_state=0),
            "LinearSVC": lambda: LinearSVC(),
            "Perceptron": lambda: Perceptron(random_state=0),
            "RidgeClassifier": lambda: RidgeClassifier()}


CLASSIFIERS = ["LogisticRegression", "SGDClassifier-hinge", "SGDClassifier-log_loss", "SGDClassifier-modified_huber",
               "LinearSVC", "Perceptron", "RidgeClassifier"]


def check_classifier(estimator, X, dtype="float64"):
    model = from_sklearn(estimator, dtype=dtype)
    decision = estimator.decision_function(X)
    assert_close(model.decision_function(X), decision, dtype)
    if hasattr(estimator, "predict_proba"):
        assert_close(model.predict_proba(X), estimator.predict_proba(X), dtype)
    else:
        assert not hasattr(model, "predict_proba")
    predicted, expected = model.predict(X), estimator.predict(X)
    if dtype == "float64":
        np.testing.assert_array_equal(predicted, expected)
    else:   # labels equal wherever the decision is not within float32 rounding of a tie
        scores = np.sort(decision.reshape(len(X), -1), axis=1)
        margin = np.abs(scores[:, 0]) if scores.shape[1] == 1 else scores[:, -1] - scores[:, -2]
        clear = margin > 1e-4
        assert clear.mean() > 0.9
        np.testing.assert_array_equal(predicted[clear], expected[clear])
    return model


@pytest.mark.parametrize("labels", list(LABELS))
@pytest.mark.parametrize("name", CLASSIFIERS)
def test_classifiers_match_sklearn(name, labels):
    n_classes, names = LABELS[labels]
    X, y = classification(n_classes=n_classes, labels=names)
    check_classifier(classifiers()[name]().fit(X, y), X)


@pytest.mark.parametrize("name", ["LogisticRegression", "SGDClassifier-modified_huber", "LinearSVC"])
def test_classifiers_in_float32(name):
    X, y = classification(n_classes=3)
    check_classifier(classifiers()[name]().fit(X, y), X, dtype="float32")


def test_modified_huber_rows_with_all_zero_probabilities_become_uniform():
    from sklearn.linear_model import SGDClassifier
    X, y = classification(n_classes=3)
    estimator = SGDClassifier(loss="modified_huber", random_state=0).fit(X, y)
    far = X * 50.0        # scores far beyond ±1: some rows have every class clipped to 0
    expected = estimator.predict_proba(far)
    assert np.any(np.all(np.clip(estimator.decision_function(far), -1, 1) == -1, axis=1))
    np.testing.assert_allclose(from_sklearn(estimator).predict_proba(far), expected, rtol=1e-6, atol=1e-6)


def regressors():
    from sklearn.linear_model import (BayesianRidge, ElasticNet, HuberRegressor, Lasso, LinearRegression, Ridge,
                                      SGDRegressor)
    from sklearn.svm import LinearSVR
    return {"LinearRegression": LinearRegression, "Ridge": Ridge, "Lasso": lambda: Lasso(alpha=0.1),
            "ElasticNet": lambda: ElasticNet(alpha=0.1), "SGDRegressor": lambda: SGDRegressor(random_state=0),
            "LinearSVR": lambda: LinearSVR(max_iter=5000), "BayesianRidge": BayesianRidge,
            "HuberRegressor": HuberRegressor}


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", ["LinearRegression", "Ridge", "Lasso", "ElasticNet", "SGDRegressor", "LinearSVR",
                                  "BayesianRidge", "HuberRegressor"])
def test_regressors_match_sklearn(name, dtype):
    X, y = regression()
    estimator = regressors()[name]().fit(X, y)
    model = from_sklearn(estimator, dtype=dtype)
    assert not hasattr(model, "predict_proba") and model.classes_ is None
    assert_close(model.predict(X), estimator.predict(X), dtype)


@pytest.mark.parametrize("name", ["LinearRegression", "Ridge", "Lasso", "ElasticNet"])
def test_multi_target_and_column_targets_keep_sklearn_shapes(name):
    X, Y = regression(n_targets=3)
    estimator = regressors()[name]().fit(X, Y)
    assert_close(from_sklearn(estimator).predict(X), estimator.predict(X))
    column = regressors()[name]().fit(X, Y[:, :1])            # a 2-D y of one column predicts (n, 1)
    assert_close(from_sklearn(column).predict(X), column.predict(X))


def test_no_intercept():
    from sklearn.linear_model import LinearRegression, LogisticRegression
    X, y = regression()
    estimator = LinearRegression(fit_intercept=False).fit(X, y)
    assert_close(from_sklearn(estimator).predict(X), estimator.predict(X))
    X, y = classification(n_classes=3)
    estimator = LogisticRegression(fit_intercept=False).fit(X, y)
    assert_close(from_sklearn(estimator).predict_proba(X), estimator.predict_proba(X))


def test_one_vs_rest_logistic_regression():
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    X, y = classification(n_classes=3, labels=["x", "y", "z"])
    estimator = OneVsRestClassifier(LogisticRegression()).fit(X, y)
    model = from_sklearn(estimator)
    np.testing.assert_array_equal(model.predict(X), estimator.predict(X))
    assert_close(model.predict_proba(X), estimator.predict_proba(X))
    assert_close(model.decision_function(X), estimator.decision_function(X))
    binary = OneVsRestClassifier(LogisticRegression()).fit(X[y != "z"], y[y != "z"])
    model = from_sklearn(binary)
    np.testing.assert_array_equal(model.predict(X), binary.predict(X))
    assert_close(model.predict_proba(X), binary.predict_proba(X))
    assert_close(model.decision_function(X), binary.decision_function(X))


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_one_vs_rest_of_a_classifier_without_decision_function_uses_probabilities():
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.neural_network import MLPClassifier
    X, y = classification(n_classes=3)
    estimator = OneVsRestClassifier(MLPClassifier(hidden_layer_sizes=(4,), max_iter=30, random_state=0)).fit(X, y)
    model = from_sklearn(estimator)
    assert not hasattr(model, "decision_function")
    np.testing.assert_array_equal(model.predict(X), estimator.predict(X))
    assert_close(model.predict_proba(X), estimator.predict_proba(X))


def test_save_and_load_round_trip(tmp_path):
    import glassnet
    from sklearn.linear_model import SGDClassifier
    X, y = classification(n_classes=3, labels=["a", "b", "c"])
    estimator = SGDClassifier(loss="log_loss", random_state=0).fit(X, y)
    model = from_sklearn(estimator, dtype="float32")
    model.save(str(tmp_path / "sgd.glassnet"))
    loaded = glassnet.models.load_model(str(tmp_path / "sgd.glassnet"))
    assert loaded.dtype == "float32"
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning", "ignore::FutureWarning")
@pytest.mark.parametrize("name", ["LogisticRegressionCV", "RidgeClassifierCV", "RidgeCV", "LassoCV", "ElasticNetCV",
                                  "LinearSVC-crammer_singer"])
def test_cross_validated_and_other_variants(name):
    from sklearn import linear_model
    from sklearn.svm import LinearSVC
    if name.endswith("CV") and "Classifier" not in name and "Logistic" not in name:
        X, y = regression()
        estimator = getattr(linear_model, name)(cv=3).fit(X, y)
        assert_close(from_sklearn(estimator).predict(X), estimator.predict(X))
        return
    X, y = classification(n_classes=3, labels=["i", "j", "k"])
    if name == "LinearSVC-crammer_singer":
        estimator = LinearSVC(multi_class="crammer_singer").fit(X, y)
    elif name == "LogisticRegressionCV":
        estimator = linear_model.LogisticRegressionCV(Cs=3, cv=3).fit(X, y)
    else:
        estimator = getattr(linear_model, name)().fit(X, y)
    check_classifier(estimator, X)

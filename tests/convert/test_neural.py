"""MLPs (scikit-learn's and glassnet.sklearn's): the same weights give the same outputs."""
import numpy as np
import pytest

from glassnet.convert import from_sklearn

from .conftest import assert_close, classification, regression

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def mlp(kind, library, **params):
    if library == "sklearn":
        from sklearn.neural_network import MLPClassifier, MLPRegressor
    else:
        from glassnet.sklearn import MLPClassifier, MLPRegressor
    params = {"hidden_layer_sizes": (8, 5), "max_iter": 40, "random_state": 0, **params}
    return (MLPClassifier if kind == "classifier" else MLPRegressor)(**params)


LIBRARIES = ["sklearn", "glassnet"]


@pytest.mark.parametrize("library", LIBRARIES)
@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic", "identity"])
@pytest.mark.parametrize("n_classes, labels", [(2, None), (3, ["u", "v", "w"]), (2, ["neg", "pos"])],
                         ids=["binary", "strings", "binary strings"])
def test_classifier(library, activation, n_classes, labels):
    X, y = classification(n_classes=n_classes, labels=labels, n_samples=80)
    estimator = mlp("classifier", library, activation=activation).fit(X, y)
    model = from_sklearn(estimator)
    assert_close(model.predict_proba(X), estimator.predict_proba(X))
    np.testing.assert_array_equal(model.predict(X), estimator.predict(X))


@pytest.mark.parametrize("library", LIBRARIES)
def test_multilabel_classifier(library):
    X, y = classification(n_classes=3, n_samples=80)
    Y = np.stack([y == 0, y == 1, X[:, 0] > 0], axis=1).astype(int)
    estimator = mlp("classifier", library).fit(X, Y)
    model = from_sklearn(estimator)
    assert_close(model.predict_proba(X), estimator.predict_proba(X))
    np.testing.assert_array_equal(model.predict(X), estimator.predict(X))


@pytest.mark.parametrize("library", LIBRARIES)
@pytest.mark.parametrize("n_targets", [1, 2])
def test_regressor(library, n_targets):
    X, y = regression(n_samples=80, n_targets=n_targets)
    estimator = mlp("regressor", library, activation="tanh").fit(X, y / np.std(y))
    model = from_sklearn(estimator)
    assert model.classes_ is None
    assert_close(model.predict(X), estimator.predict(X))


def test_poisson_regressor_exp_output():
    from sklearn.neural_network import MLPRegressor
    X, y = regression(n_samples=80)
    estimator = MLPRegressor(hidden_layer_sizes=(6,), loss="poisson", max_iter=40, random_state=0)
    estimator.fit(X, np.exp(y / np.std(y)))
    assert estimator.out_activation_ == "exp"
    assert_close(from_sklearn(estimator).predict(X), estimator.predict(X))


def test_float32_and_save_load(tmp_path):
    import glassnet
    X, y = classification(n_classes=3, n_samples=80)
    estimator = mlp("classifier", "sklearn").fit(X, y)
    model = from_sklearn(estimator, dtype="float32")
    assert_close(model.predict_proba(X), estimator.predict_proba(X), "float32")
    model.save(str(tmp_path / "mlp.glassnet"))
    loaded = glassnet.models.load_model(str(tmp_path / "mlp.glassnet"))
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
    np.testing.assert_array_equal(loaded.predict(X), estimator.predict(X))

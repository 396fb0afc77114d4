"""KerasClassifier / KerasRegressor: scikit-learn's estimator contract (check_estimator), the
build function's arguments as tunable parameters, and glassnet models inside Pipeline,
cross_val_score and GridSearchCV."""
import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer, load_iris, make_regression
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

import glassnet as gn
from glassnet.sklearn import KerasClassifier, KerasRegressor, KerasTransformer, SKLearnClassifier, SKLearnRegressor


# build functions live at module level: scikit-learn's checks pickle the estimators
def build_classifier(n_features_in, n_classes, units=16, learning_rate=0.01):
    model = gn.models.Sequential([gn.layers.Input((n_features_in,)), gn.layers.Dense(units, activation="relu"),
                                  gn.layers.Dense(n_classes, activation="softmax")])
    model.compile(gn.optimizers.Adam(learning_rate), "categorical_crossentropy", metrics=["accuracy"])
    return model


def build_regressor(n_features_in, n_outputs, units=16, learning_rate=0.01):
    model = gn.models.Sequential([gn.layers.Input((n_features_in,)), gn.layers.Dense(units, activation="relu"),
                                  gn.layers.Dense(n_outputs)])
    model.compile(gn.optimizers.Adam(learning_rate), "mse")
    return model


def build_binary(X, y, units=8):
    """Keras 3's style: the data as X and y; one sigmoid unit."""
    model = gn.models.Sequential([gn.layers.Input((X.shape[1],)), gn.layers.Dense(units, activation="tanh"),
                                  gn.layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy")
    return model


def build_sparse(n_features_in, n_classes):
    model = gn.models.Sequential([gn.layers.Input((n_features_in,)), gn.layers.Dense(n_classes, activation="softmax")])
    model.compile(gn.optimizers.Adam(0.05), "sparse_categorical_crossentropy")
    return model


# The one expected failure, with its reason (scikit-learn's own estimators list theirs the same way):
_EXPECTED_FAILURES = {
    "check_sample_weight_equivalence_on_dense_data":
        "Keras's loss reduction 'sum_over_batch_size' divides Σ w·loss by the number of samples in the "
        "batch, which a repeated sample changes and a weight of 2 does not (and repeats change the "
        "batches); Adam is nearly scale-free, so outputs agree to ~1e-5, but the check asks 1e-7",
}


@parametrize_with_checks([KerasClassifier(build_classifier, epochs=5, random_state=0),
                          KerasRegressor(build_regressor, epochs=5, random_state=0),
                          KerasTransformer(build_regressor, epochs=5, random_state=0)],
                         expected_failed_checks=lambda estimator: _EXPECTED_FAILURES)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return X.astype(np.float32), y


def test_build_function_parameters_are_estimator_parameters():
    est = KerasClassifier(build_classifier, units=32)
    params = est.get_params()
    assert params["units"] == 32 and params["learning_rate"] == 0.01   # set, and the function's default
    est.set_params(learning_rate=0.1)
    assert est.get_params()["learning_rate"] == 0.1
    assert clone(est).get_params()["learning_rate"] == 0.1
    with pytest.raises(ValueError, match="does not take 'depth'"):
        est.set_params(depth=3)


def test_pipeline_and_cross_validation_learn(cancer):
    X, y = cancer
    pipe = make_pipeline(StandardScaler(), KerasClassifier(build_classifier, epochs=15, batch_size=32,
                                                           random_state=0))
    scores = cross_val_score(pipe, X, y, cv=3)
    assert scores.mean() > 0.93            # a linear model reaches ~0.95 on breast cancer


def test_grid_search_tunes_a_build_argument():
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    search = GridSearchCV(KerasClassifier(build_classifier, epochs=30, random_state=0),
                          {"units": [8], "learning_rate": [1e-5, 0.05]}, cv=3)
    search.fit(X, y)
    assert search.best_params_["learning_rate"] == 0.05     # 30 epochs at 1e-5 barely move the weights
    best = search.best_estimator_.model_
    assert best.layers[0].units == 8 and np.isclose(float(np.asarray(best.optimizer.learning_rate)), 0.05)
    assert search.best_score_ > 0.85


def test_string_labels_one_sigmoid_unit(cancer):
    X, y = cancer
    X = StandardScaler().fit_transform(X)
    labels = np.where(y == 1, "benign", "malignant")
    est = KerasClassifier(build_binary, epochs=10, random_state=0).fit(X, labels)
    assert list(est.classes_) == ["benign", "malignant"]
    proba = est.predict_proba(X)
    assert proba.shape == (len(X), 2) and np.allclose(proba.sum(axis=1), 1)
    p = np.asarray(est.model_.predict(X, verbose=0)).ravel()
    np.testing.assert_allclose(proba[:, 1], p, rtol=1e-6)             # column 1 is classes_[1], the "1" of the unit
    np.testing.assert_array_equal(est.predict(X), np.where(p > 0.5, "malignant", "benign"))
    assert est.score(X, labels) > 0.9


def test_sparse_loss_trains_on_ids():
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    est = KerasClassifier(build_sparse, epochs=40, random_state=0).fit(X, y + 10)
    assert set(est.predict(X)) <= {10, 11, 12}
    assert est.score(X, y + 10) > 0.85


def test_keras3_usage_and_aliases():
    assert SKLearnClassifier is KerasClassifier and SKLearnRegressor is KerasRegressor
    X, y = make_regression(n_samples=200, n_features=5, noise=0.1, random_state=0)
    y = y / y.std()
    est = SKLearnRegressor(model=build_regressor, model_kwargs={"units": 32}, fit_kwargs={"batch_size": 16},
                           random_state=0)
    est.fit(X, y, epochs=30)
    assert len(est.history_["loss"]) == 30
    assert est.model_.layers[0].units == 32
    assert est.predict(X).shape == (200,)
    assert est.score(X, y) > 0.9


def test_multi_output_regression():
    X, y = make_regression(n_samples=200, n_features=5, n_targets=3, noise=0.1, random_state=0)
    y = y / y.std(axis=0)
    est = KerasRegressor(build_regressor, epochs=40, random_state=0).fit(X, y)
    assert est.predict(X).shape == (200, 3)
    assert est.score(X, y) > 0.9


def test_compiled_model_is_copied_unless_warm_start():
    X, y = load_iris(return_X_y=True)
    model = build_classifier(4, 3)
    before = [w.copy() for w in model.get_weights()]
    est = KerasClassifier(model, epochs=3, random_state=0).fit(X, y)
    assert est.model_ is not model
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))   # the template is untouched
    warm = KerasClassifier(build_classifier, epochs=2, warm_start=True, random_state=0).fit(X, y)
    first = warm.model_
    warm.fit(X, y)
    assert warm.model_ is first and int(first.optimizer.iterations) == 2 * 2 * 5   # 2 fits × 2 epochs × 5 batches


def test_same_seed_same_model():
    X, y = load_iris(return_X_y=True)
    a = KerasClassifier(build_classifier, epochs=3, random_state=3).fit(X, y).predict_proba(X)
    b = KerasClassifier(build_classifier, epochs=3, random_state=3).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(a, b)


def test_pickles_fitted(cancer):
    X, y = cancer
    est = KerasClassifier(build_classifier, epochs=2, random_state=0).fit(X, y)
    again = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(again.predict_proba(X), est.predict_proba(X))


def test_bad_input():
    X, y = load_iris(return_X_y=True)
    with pytest.raises(NotFittedError):
        KerasClassifier(build_classifier).predict(X)
    with pytest.raises(ValueError, match="Unknown label type"):
        KerasClassifier(build_classifier).fit(X, np.linspace(0, 1, len(y)))
    with pytest.raises(ValueError, match="at least 2 classes"):
        KerasClassifier(build_classifier).fit(X, np.zeros(len(y), dtype=int))
    with pytest.raises(ValueError, match="one output unit"):
        KerasClassifier(build_binary).fit(X, y)
    with pytest.raises(ValueError, match="given both"):
        KerasClassifier(build_classifier, units=4, model_kwargs={"units": 8}).fit(X, y)
    with pytest.raises(TypeError, match="not a glassnet Model"):
        KerasClassifier(lambda: "not a model").fit(X, y)
    uncompiled = lambda n_features_in: gn.models.Sequential([gn.layers.Input((n_features_in,)), gn.layers.Dense(3)])
    with pytest.raises(ValueError, match="must be compiled"):
        KerasClassifier(uncompiled).fit(X, y)
    fitted = KerasClassifier(build_classifier, epochs=1).fit(X, y)
    with pytest.raises(ValueError, match="features"):
        fitted.predict(X[:, :3])
    with pytest.raises(ValueError, match="NaN"):
        KerasClassifier(build_classifier).fit(np.where(X > 5, np.nan, X), y)

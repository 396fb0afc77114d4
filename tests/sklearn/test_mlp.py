"""glassnet.sklearn.MLPClassifier / MLPRegressor: scikit-learn's contract (check_estimator),
parity with scikit-learn's own MLP on bundled data sets, and the training features."""
import warnings

import numpy as np
import pytest
from sklearn import neural_network as sk
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, make_multilabel_classification, \
    make_regression
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from glassnet.sklearn import MLPClassifier, MLPRegressor

no_convergence_warning = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def _split(X, y, scale=True):
    Xtr, Xte, ytr, yte = train_test_split(X, y, random_state=0)
    if scale:
        scaler = StandardScaler().fit(Xtr)
        Xtr, Xte = scaler.transform(Xtr), scaler.transform(Xte)
    return Xtr, Xte, ytr, yte


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return _split(X / 16.0, y, scale=False)


@pytest.fixture(scope="module")
def cancer():
    return _split(*load_breast_cancer(return_X_y=True))


@parametrize_with_checks([MLPClassifier(), MLPRegressor()])
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def test_course_snippet(digits):
    X_train, X_test, y_train, y_test = digits
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        y_pred = MLPClassifier(hidden_layer_sizes=(5, 2), activation="logistic").fit(X_train, y_train).predict(X_test)
    assert y_pred.shape == y_test.shape
    assert set(y_pred) <= set(y_train)


@no_convergence_warning
@pytest.mark.parametrize("settings", [
    dict(hidden_layer_sizes=(64,), max_iter=40),
    dict(hidden_layer_sizes=(32, 16), activation="tanh", solver="sgd", learning_rate_init=0.05, max_iter=40),
    dict(hidden_layer_sizes=(32,), activation="logistic", solver="lbfgs", max_iter=60),
])
def test_digits_accuracy_matches_sklearn(digits, settings):
    Xtr, Xte, ytr, yte = digits
    ours = np.mean([MLPClassifier(random_state=s, **settings).fit(Xtr, ytr).score(Xte, yte) for s in range(3)])
    theirs = np.mean([sk.MLPClassifier(random_state=s, **settings).fit(Xtr, ytr).score(Xte, yte) for s in range(3)])
    assert ours > 0.9
    assert abs(ours - theirs) <= 0.01, (ours, theirs)


@no_convergence_warning
@pytest.mark.parametrize("settings", [
    dict(hidden_layer_sizes=(30,), max_iter=50),
    dict(hidden_layer_sizes=(10, 5), activation="logistic", solver="sgd", learning_rate="adaptive",
         learning_rate_init=0.1, max_iter=50),
])
def test_breast_cancer_accuracy_matches_sklearn(cancer, settings):
    Xtr, Xte, ytr, yte = cancer
    ours = np.mean([MLPClassifier(random_state=s, **settings).fit(Xtr, ytr).score(Xte, yte) for s in range(3)])
    theirs = np.mean([sk.MLPClassifier(random_state=s, **settings).fit(Xtr, ytr).score(Xte, yte) for s in range(3)])
    assert ours > 0.93
    assert abs(ours - theirs) <= 0.01, (ours, theirs)


@no_convergence_warning
@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_diabetes_r2_matches_sklearn(solver):
    X, y = load_diabetes(return_X_y=True)
    Xtr, Xte, ytr, yte = _split(X, (y - y.mean()) / y.std())
    settings = dict(hidden_layer_sizes=(8,), solver=solver, max_iter=100 if solver == "adam" else 50,
                    learning_rate_init=0.01, alpha=10.0)
    ours = np.mean([MLPRegressor(random_state=s, **settings).fit(Xtr, ytr).score(Xte, yte) for s in range(3)])
    theirs = np.mean([sk.MLPRegressor(random_state=s, **settings).fit(Xtr, ytr).score(Xte, yte) for s in range(3)])
    assert ours > 0.3
    assert abs(ours - theirs) <= 0.02, (ours, theirs)


def test_same_seed_same_losses_as_sklearn(digits):
    """Same initialisation, shuffling and objective: the loss curves agree to rounding."""
    Xtr, _, ytr, _ = digits
    settings = dict(hidden_layer_sizes=(16,), max_iter=5, random_state=0, alpha=0.01)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = MLPClassifier(**settings).fit(Xtr, ytr)
        theirs = sk.MLPClassifier(**settings).fit(Xtr, ytr)
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-6)
    for a, b in zip(ours.coefs_, theirs.coefs_):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-8)


def test_fitted_attributes(cancer):
    Xtr, _, ytr, _ = cancer
    with pytest.warns(ConvergenceWarning, match="Maximum iterations"):
        model = MLPClassifier(hidden_layer_sizes=(7, 3), max_iter=3, random_state=0).fit(Xtr, ytr)
    assert model.n_iter_ == 3 and len(model.loss_curve_) == 3 and model.t_ == 3 * len(Xtr)
    assert model.n_layers_ == 4 and model.n_outputs_ == 1 and model.out_activation_ == "logistic"
    assert [c.shape for c in model.coefs_] == [(30, 7), (7, 3), (3, 1)]
    assert [b.shape for b in model.intercepts_] == [(7,), (3,), (1,)]
    assert model.best_loss_ == min(model.loss_curve_) and model.loss_ == model.loss_curve_[-1]
    assert model.validation_scores_ is None and model.best_validation_score_ is None
    assert model.n_features_in_ == 30 and list(model.classes_) == [0, 1]


def test_predict_proba_rows_sum_to_one(digits):
    Xtr, Xte, ytr, _ = digits
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = MLPClassifier(hidden_layer_sizes=(16,), max_iter=5, random_state=0).fit(Xtr, ytr)
    proba = model.predict_proba(Xte)
    assert proba.shape == (len(Xte), 10) and model.out_activation_ == "softmax"
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(model.predict_log_proba(Xte), np.log(proba))
    np.testing.assert_array_equal(model.predict(Xte), model.classes_[proba.argmax(axis=1)])


def test_partial_fit_matches_fit_epochs(digits):
    Xtr, _, ytr, _ = digits
    settings = dict(hidden_layer_sizes=(16,), random_state=0, shuffle=False)
    with pytest.raises(ValueError):
        MLPClassifier(**settings).partial_fit(Xtr, ytr)          # classes= needed on the first call
    online = MLPClassifier(**settings)
    for _ in range(3):
        online.partial_fit(Xtr, ytr, classes=np.arange(10))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        batch = MLPClassifier(max_iter=3, **settings).fit(Xtr, ytr)
    np.testing.assert_allclose(online.loss_curve_, batch.loss_curve_, rtol=1e-6)
    assert online.n_iter_ == 1 and online.t_ == 3 * len(Xtr)
    with pytest.raises(AttributeError, match="partial_fit"):
        MLPClassifier(solver="lbfgs").partial_fit


@no_convergence_warning
def test_warm_start_continues(cancer):
    Xtr, _, ytr, _ = cancer
    model = MLPClassifier(hidden_layer_sizes=(8,), max_iter=3, warm_start=True, random_state=0).fit(Xtr, ytr)
    first = [c.copy() for c in model.coefs_]
    model.fit(Xtr, ytr)
    assert len(model.loss_curve_) == 6
    assert model.loss_curve_[5] < model.loss_curve_[0]
    assert any(not np.allclose(a, b) for a, b in zip(first, model.coefs_))
    with pytest.raises(ValueError, match="warm_start"):
        model.fit(Xtr, np.where(ytr == 0, 2, ytr))


def test_early_stopping(digits):
    Xtr, _, ytr, _ = digits
    settings = dict(hidden_layer_sizes=(32,), early_stopping=True, n_iter_no_change=2, tol=0.5, random_state=0)
    model = MLPClassifier(**settings).fit(Xtr, ytr)
    assert model.n_iter_ == 4 and len(model.validation_scores_) == 4    # 1 improving + 3 (> 2) without gain
    np.testing.assert_allclose(model.validation_scores_, sk.MLPClassifier(**settings).fit(Xtr, ytr).validation_scores_)
    assert model.best_validation_score_ == max(model.validation_scores_) and model.best_loss_ is None
    with pytest.raises(ValueError, match="early_stopping"):
        model.partial_fit(Xtr, ytr)


def test_tol_stops_training():
    X, y = make_regression(n_samples=100, n_features=4, random_state=0)
    model = MLPRegressor(hidden_layer_sizes=(4,), tol=1e9, n_iter_no_change=3, random_state=0).fit(X, y)
    assert model.n_iter_ == 5                # the first epoch improves on inf, then 4 (> 3) epochs without gain


@no_convergence_warning
def test_sgd_schedules():
    X, y = make_regression(n_samples=100, n_features=4, noise=1.0, random_state=0)
    y = y / y.std()
    inv = MLPRegressor(hidden_layer_sizes=(8,), solver="sgd", learning_rate="invscaling", learning_rate_init=0.01,
                       power_t=0.5, max_iter=2, random_state=0).fit(X, y)
    assert inv._optimizer.learning_rate == pytest.approx(0.01 / (200 + 1) ** 0.5)
    settings = dict(hidden_layer_sizes=(8,), solver="sgd", learning_rate="adaptive", tol=1e9, n_iter_no_change=1,
                    max_iter=5, random_state=0)
    adaptive = MLPRegressor(**settings).fit(X, y)
    assert adaptive._optimizer.learning_rate == pytest.approx(0.001 / 25)   # epochs 2-3 and 4-5 without gain
    assert sk.MLPRegressor(**settings).fit(X, y)._optimizer.learning_rate == pytest.approx(0.001 / 25)
    plain = MLPRegressor(hidden_layer_sizes=(8,), solver="sgd", momentum=0.0, max_iter=3, random_state=0).fit(X, y)
    reference = sk.MLPRegressor(hidden_layer_sizes=(8,), solver="sgd", momentum=0.0, max_iter=3,
                                random_state=0).fit(X, y)
    np.testing.assert_allclose(plain.loss_curve_, reference.loss_curve_, rtol=1e-6)
    nesterov = dict(hidden_layer_sizes=(8,), solver="sgd", momentum=0.9, max_iter=3, random_state=0)
    np.testing.assert_allclose(MLPRegressor(**nesterov).fit(X, y).loss_curve_,
                               sk.MLPRegressor(**nesterov).fit(X, y).loss_curve_, rtol=1e-6)


@no_convergence_warning
def test_multilabel_and_multioutput():
    X, Y = make_multilabel_classification(n_samples=200, n_classes=4, random_state=0)
    for solver in ("adam", "lbfgs"):
        settings = dict(hidden_layer_sizes=(32,), solver=solver, max_iter=100, random_state=0)
        model = MLPClassifier(**settings).fit(X, Y)
        assert model.out_activation_ == "logistic" and model.n_outputs_ == 4
        assert model.predict(X).shape == Y.shape and model.predict_proba(X).shape == Y.shape
        assert model.score(X, Y) > 0.3                                        # subset accuracy
        assert abs(model.score(X, Y) - sk.MLPClassifier(**settings).fit(X, Y).score(X, Y)) <= 0.02
    X, Y = make_regression(n_samples=200, n_features=5, n_targets=3, noise=0.1, random_state=0)
    reg = MLPRegressor(hidden_layer_sizes=(32,), solver="lbfgs", max_iter=200, random_state=0).fit(X, Y / 100)
    assert reg.predict(X).shape == (200, 3) and reg.n_outputs_ == 3 and reg.score(X, Y / 100) > 0.95


def test_lbfgs_max_fun_warns():
    X, y = make_regression(n_samples=50, n_features=3, random_state=0)
    with pytest.warns(ConvergenceWarning):
        model = MLPRegressor(hidden_layer_sizes=(4,), solver="lbfgs", max_fun=5, random_state=0).fit(X, y)
    assert model.n_iter_ <= 5 and np.isfinite(model.loss_)


def test_errors():
    X, y = make_regression(n_samples=20, n_features=3, random_state=0)
    with pytest.raises(NotFittedError):
        MLPRegressor().predict(X)
    with pytest.raises(NotFittedError):
        MLPClassifier().predict_proba(X)
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        MLPRegressor().fit(X_nan, y)
    with pytest.raises(ValueError, match="activation"):
        MLPRegressor(activation="softsign").fit(X, y)
    with pytest.raises(ValueError, match="solver"):
        MLPRegressor(solver="rmsprop").fit(X, y)
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        MLPRegressor(hidden_layer_sizes=(3, 0)).fit(X, y)
    with pytest.raises(ValueError, match="learning_rate"):
        MLPRegressor(learning_rate="cyclic").fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = MLPRegressor(hidden_layer_sizes=(3,), max_iter=2).fit(X, y)
    with pytest.raises(ValueError, match="features"):
        model.predict(X[:, :2])


@no_convergence_warning
@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_sparse_input_matches_dense(solver):
    import scipy.sparse as sp
    X, y = make_regression(n_samples=80, n_features=6, random_state=0)
    X[np.abs(X) < 0.8] = 0.0
    settings = dict(hidden_layer_sizes=(5,), solver=solver, max_iter=5, random_state=0)
    dense = MLPRegressor(**settings).fit(X, y / 100)
    for fmt in (sp.csr_matrix, sp.csc_matrix):
        sparse = MLPRegressor(**settings).fit(fmt(X), y / 100)
        for a, b in zip(dense.coefs_, sparse.coefs_):
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-10)
        np.testing.assert_allclose(sparse.predict(fmt(X)), dense.predict(X), rtol=1e-6, atol=1e-10)


@no_convergence_warning
def test_poisson_sample_weight_and_regressor_partial_fit_match_sklearn():
    rng = np.random.RandomState(0)
    X = rng.randn(100, 4)
    counts = rng.poisson(np.exp(0.5 * X[:, 0]))
    for solver in ("adam", "lbfgs"):
        settings = dict(loss="poisson", hidden_layer_sizes=(6,), max_iter=5, random_state=0, solver=solver)
        ours, theirs = MLPRegressor(**settings).fit(X, counts), sk.MLPRegressor(**settings).fit(X, counts)
        assert ours.out_activation_ == "exp" and ours.loss_ == pytest.approx(theirs.loss_, rel=1e-6)
    weights = rng.rand(100)
    settings = dict(hidden_layer_sizes=(6,), random_state=0, max_iter=3, alpha=0.1)
    np.testing.assert_allclose(MLPClassifier(**settings).fit(X, X[:, 0] > 0, sample_weight=weights).loss_curve_,
                               sk.MLPClassifier(**settings).fit(X, X[:, 0] > 0, sample_weight=weights).loss_curve_,
                               rtol=1e-6)
    ours, theirs = MLPRegressor(hidden_layer_sizes=(6,), random_state=0), sk.MLPRegressor(hidden_layer_sizes=(6,),
                                                                                           random_state=0)
    for _ in range(3):
        ours.partial_fit(X, X[:, 0])
        theirs.partial_fit(X, X[:, 0])
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-6)


@no_convergence_warning
@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_verbose_prints_one_line_per_iteration(solver, capsys):
    X, y = load_digits(return_X_y=True)
    est = MLPClassifier((8,), solver=solver, max_iter=4, verbose=True, random_state=0).fit(X[:200] / 16, y[:200])
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(",")[0] for line in lines[:4]] == [f"Iteration {i}" for i in (1, 2, 3, 4)]
    assert float(lines[3].split("= ")[1]) == pytest.approx(est.loss_curve_[-1] if solver == "adam" else est.loss_,
                                                           rel=1e-6)
    assert MLPClassifier((8,), solver=solver, max_iter=2, random_state=0).fit(X[:50], y[:50]) is not None
    assert capsys.readouterr().out == ""                   # quiet by default

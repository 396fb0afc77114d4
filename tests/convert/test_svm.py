"""Kernel SVMs: one-vs-one votes give sklearn's exact labels; decisions ("ovr"/"ovo") to 1e-6."""
import numpy as np
import pytest

from glassnet.convert import from_sklearn

from .conftest import assert_close, classification, regression

KERNELS = [dict(kernel="linear"), dict(kernel="poly", degree=2, coef0=1.0), dict(kernel="rbf"),
           dict(kernel="rbf", gamma=0.3), dict(kernel="sigmoid", gamma=0.05, coef0=0.1)]
IDS = ["linear", "poly", "rbf-scale", "rbf-0.3", "sigmoid"]


def check(estimator, X, dtype="float64"):
    model = from_sklearn(estimator, dtype=dtype)
    assert_close(model.decision_function(X), estimator.decision_function(X), dtype)
    np.testing.assert_array_equal(model.predict(X), estimator.predict(X))
    assert not hasattr(model, "predict_proba")
    return model


@pytest.mark.parametrize("params", KERNELS, ids=IDS)
@pytest.mark.parametrize("n_classes, labels", [(2, None), (4, None), (3, ["r", "g", "b"])],
                         ids=["binary", "4 classes", "strings"])
def test_svc_matches_sklearn(params, n_classes, labels):
    from sklearn.svm import SVC
    X, y = classification(n_classes=n_classes, labels=labels, n_samples=100)
    check(SVC(**params).fit(X, y), X)


@pytest.mark.parametrize("shape", ["ovr", "ovo"])
def test_decision_function_shapes(shape):
    from sklearn.svm import SVC
    X, y = classification(n_classes=4, n_samples=100)
    estimator = SVC(decision_function_shape=shape).fit(X, y)
    model = check(estimator, X)
    assert model.decision_function(X).shape == (100, 4 if shape == "ovr" else 6)


def test_break_ties_uses_the_ovr_decision():
    from sklearn.svm import SVC
    X, y = classification(n_classes=4, n_samples=100)
    estimator = SVC(break_ties=True, C=0.05).fit(X, y)
    check(estimator, X)


def test_a_three_way_tie_of_votes_goes_to_the_first_class():
    """Pairs (0,1), (0,2), (1,2): where each class wins one pair, libsvm predicts the first class."""
    from sklearn.svm import SVC
    X, y = classification(n_classes=3, n_samples=100)
    estimator = SVC(kernel="linear", decision_function_shape="ovo").fit(X, y)
    probe = np.random.default_rng(1).normal(size=(4000, X.shape[1])) * 3
    W = (estimator.decision_function(probe) > 0).astype(int)   # 1: the pair's first class wins
    votes = np.stack([W[:, 0] + W[:, 1], 1 - W[:, 0] + W[:, 2], 2 - W[:, 1] - W[:, 2]], axis=1)
    tied = np.all(votes == 1, axis=1)
    assert tied.sum() > 0 and np.all(estimator.predict(probe[tied]) == 0)
    np.testing.assert_array_equal(from_sklearn(estimator).predict(probe), estimator.predict(probe))


@pytest.mark.parametrize("params", KERNELS[:3], ids=IDS[:3])
def test_nu_svc(params):
    from sklearn.svm import NuSVC
    X, y = classification(n_classes=3, n_samples=100)
    check(NuSVC(nu=0.3, **params).fit(X, y), X)


@pytest.mark.parametrize("params", KERNELS, ids=IDS)
def test_svr_and_nu_svr(params):
    from sklearn.svm import SVR, NuSVR
    X, y = regression(n_samples=80)
    y = y / np.std(y)
    for estimator in (SVR(**params).fit(X, y), NuSVR(**params).fit(X, y)):
        assert_close(from_sklearn(estimator).predict(X), estimator.predict(X))


def test_float32():
    from sklearn.svm import SVC, SVR
    X, y = classification(n_classes=3, n_samples=100)
    estimator = SVC(gamma=0.2).fit(X, y)
    model = from_sklearn(estimator, dtype="float32")
    assert_close(model.decision_function(X), estimator.decision_function(X), "float32")
    assert (model.predict(X) == estimator.predict(X)).mean() > 0.97
    X, y = regression(n_samples=80)
    estimator = SVR().fit(X, y / np.std(y))
    assert_close(from_sklearn(estimator, dtype="float32").predict(X), estimator.predict(X), "float32")


@pytest.mark.filterwarnings("ignore::FutureWarning")
@pytest.mark.parametrize("n_classes", [2, 3, 5])
@pytest.mark.parametrize("nu", [False, True], ids=["SVC", "NuSVC"])
def test_predict_proba_is_libsvms_platt_scaling_and_pairwise_coupling(n_classes, nu):
    from sklearn.svm import SVC, NuSVC
    X, y = classification(n_classes=n_classes, n_samples=120, labels=list("abcde")[:n_classes])
    estimator = (NuSVC(nu=0.2, probability=True, random_state=0) if nu
                 else SVC(probability=True, random_state=0)).fit(X, y)
    probe = np.vstack([X, np.random.default_rng(0).normal(size=(100, X.shape[1])) * 2])
    model = from_sklearn(estimator)
    assert_close(model.predict_proba(probe), estimator.predict_proba(probe))
    np.testing.assert_array_equal(model.predict(probe), estimator.predict(probe))
    assert_close(from_sklearn(estimator, dtype="float32").predict_proba(probe), estimator.predict_proba(probe),
                 "float32")


def test_unsupported_options():
    from sklearn.svm import SVC
    X, y = classification()
    with pytest.raises(ValueError, match="kernel='precomputed'"):
        from_sklearn(SVC(kernel="precomputed").fit(X @ X.T, y))


def test_save_and_load_round_trip(tmp_path):
    import glassnet
    from sklearn.svm import SVC
    X, y = classification(n_classes=3, labels=["p", "q", "r"], n_samples=100)
    estimator = SVC(kernel="poly", degree=3).fit(X, y)
    model = from_sklearn(estimator)
    model.save(str(tmp_path / "svc.glassnet"))
    loaded = glassnet.models.load_model(str(tmp_path / "svc.glassnet"))
    np.testing.assert_array_equal(loaded.predict(X), estimator.predict(X))
    np.testing.assert_array_equal(loaded.decision_function(X), model.decision_function(X))

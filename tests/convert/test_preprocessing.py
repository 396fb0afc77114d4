"""Preprocessing and decomposition: transform equals sklearn's to 1e-6 (float64) / 1e-4 (float32)."""
import numpy as np
import pytest

from glassnet.convert import from_sklearn

from .conftest import assert_close

rng = np.random.default_rng(0)
X = rng.normal(size=(60, 4)) * [1.0, 5.0, 0.1, 20.0] + [0.0, 3.0, -1.0, 50.0]
X_NEW = rng.normal(size=(30, 4)) * [2.0, 10.0, 0.3, 40.0]        # beyond the fitted range too


def transformers():
    from sklearn.decomposition import PCA, TruncatedSVD
    from sklearn.preprocessing import (MaxAbsScaler, MinMaxScaler, Normalizer, PolynomialFeatures, RobustScaler,
                                       StandardScaler)
    return {
        "StandardScaler": StandardScaler(), "StandardScaler-no-mean": StandardScaler(with_mean=False),
        "StandardScaler-no-std": StandardScaler(with_std=False),
        "MinMaxScaler": MinMaxScaler(), "MinMaxScaler-range": MinMaxScaler(feature_range=(-2, 3)),
        "MinMaxScaler-clip": MinMaxScaler(clip=True), "MaxAbsScaler": MaxAbsScaler(),
        "RobustScaler": RobustScaler(), "RobustScaler-no-centering": RobustScaler(with_centering=False),
        "RobustScaler-quantiles": RobustScaler(quantile_range=(10, 90), with_scaling=True),
        "Normalizer-l1": Normalizer("l1"), "Normalizer-l2": Normalizer("l2"), "Normalizer-max": Normalizer("max"),
        "PolynomialFeatures-2": PolynomialFeatures(2),
        "PolynomialFeatures-3-interaction": PolynomialFeatures(3, interaction_only=True),
        "PolynomialFeatures-3-no-bias": PolynomialFeatures(3, include_bias=False),
        "PolynomialFeatures-(2,3)": PolynomialFeatures((2, 3)),
        "PolynomialFeatures-0": PolynomialFeatures(0),
        "PCA": PCA(3), "PCA-whiten": PCA(2, whiten=True), "PCA-full": PCA(), "TruncatedSVD": TruncatedSVD(2,
                                                                                                           random_state=0),
    }


NAMES = list(transformers())


@pytest.mark.parametrize("name", NAMES)
def test_transformers_match_sklearn(name):
    estimator = transformers()[name].fit(X)
    model = from_sklearn(estimator)
    assert not hasattr(model, "predict")
    for data in (X, X_NEW):
        assert_close(model.transform(data), estimator.transform(data))


@pytest.mark.parametrize("name", ["StandardScaler", "MinMaxScaler-clip", "Normalizer-l2", "PolynomialFeatures-2",
                                  "PCA-whiten"])
def test_float32(name):
    estimator = transformers()[name].fit(X)
    expected = estimator.transform(X_NEW)
    scale = np.maximum(np.abs(expected).max(axis=0), 1.0)      # relative to each column's size
    np.testing.assert_allclose(from_sklearn(estimator, dtype="float32").transform(X_NEW) / scale, expected / scale,
                               rtol=1e-4, atol=1e-4)


def test_normalizer_leaves_zero_rows_unchanged():
    from sklearn.preprocessing import Normalizer
    data = np.vstack([X[:3], np.zeros((1, 4))])
    for norm in ("l1", "l2", "max"):
        estimator = Normalizer(norm).fit(data)
        assert_close(from_sklearn(estimator).transform(data), estimator.transform(data))


CATEGORICAL = np.array([[0, 1.5, 3], [1, 2.5, 3], [2, 1.5, 7], [1, 3.5, 7], [0, 2.5, 9]], dtype=float)
UNSEEN = np.array([[5, 1.5, 3], [1, 0.0, 9], [2, 2.5, 4]], dtype=float)


@pytest.mark.parametrize("drop", [None, "first", "if_binary", [0, 2.5, 7]])
def test_one_hot_encoder(drop):
    from sklearn.preprocessing import OneHotEncoder
    estimator = OneHotEncoder(drop=drop, handle_unknown="ignore" if drop is None else "error").fit(CATEGORICAL)
    model = from_sklearn(estimator)
    assert_close(model.transform(CATEGORICAL), estimator.transform(CATEGORICAL).toarray())


def test_one_hot_unknown_categories_give_zero_blocks():
    from sklearn.preprocessing import OneHotEncoder
    estimator = OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(CATEGORICAL)
    assert_close(from_sklearn(estimator).transform(UNSEEN), estimator.transform(UNSEEN))
    strict = OneHotEncoder(handle_unknown="error").fit(CATEGORICAL)     # a graph cannot raise: zeros as well
    assert_close(from_sklearn(strict).transform(UNSEEN), estimator.transform(UNSEEN))


def test_one_hot_nan_category():
    from sklearn.preprocessing import OneHotEncoder
    data = CATEGORICAL.copy()
    data[1, 0] = np.nan
    estimator = OneHotEncoder(sparse_output=False).fit(data)
    assert_close(from_sklearn(estimator).transform(data), estimator.transform(data))


def test_one_hot_unsupported_options():
    from sklearn.preprocessing import OneHotEncoder
    strings = np.array([["a"], ["b"], ["a"]], dtype=object)
    with pytest.raises(ValueError, match="numeric categories"):
        from_sklearn(OneHotEncoder().fit(strings))
    data = np.array([[0], [0], [0], [1], [2]], dtype=float)
    with pytest.raises(ValueError, match="infrequent"):
        from_sklearn(OneHotEncoder(min_frequency=2, handle_unknown="infrequent_if_exist").fit(data))


MISSING = X.copy()
MISSING[rng.random(MISSING.shape) < 0.2] = np.nan
MISSING[:, 2] = np.where(np.arange(len(X)) % 2, MISSING[:, 2], np.nan)


@pytest.mark.parametrize("strategy", ["mean", "median", "most_frequent", "constant"])
@pytest.mark.parametrize("add_indicator", [False, True])
def test_simple_imputer(strategy, add_indicator):
    from sklearn.impute import SimpleImputer
    estimator = SimpleImputer(strategy=strategy, fill_value=-7.0, add_indicator=add_indicator).fit(MISSING)
    model = from_sklearn(estimator)
    data = MISSING[::-1].copy()
    data[0] = np.nan
    assert_close(model.transform(data), estimator.transform(data))


@pytest.mark.filterwarnings("ignore:Skipping features")
def test_simple_imputer_drops_empty_columns_and_other_missing_values():
    from sklearn.impute import SimpleImputer
    data = MISSING.copy()
    data[:, 1] = np.nan
    estimator = SimpleImputer(add_indicator=True).fit(data)
    assert_close(from_sklearn(estimator).transform(MISSING), estimator.transform(MISSING))
    kept = SimpleImputer(keep_empty_features=True).fit(data)
    assert_close(from_sklearn(kept).transform(MISSING), kept.transform(MISSING))
    sentinel = np.where(np.isnan(MISSING), -1.0, MISSING)
    estimator = SimpleImputer(missing_values=-1.0, strategy="median").fit(sentinel)
    assert_close(from_sklearn(estimator).transform(sentinel), estimator.transform(sentinel))


def test_save_and_load_round_trip(tmp_path):
    import glassnet
    from sklearn.impute import SimpleImputer
    from sklearn.preprocessing import PolynomialFeatures
    for i, estimator in enumerate([SimpleImputer(add_indicator=True).fit(MISSING), PolynomialFeatures(3).fit(X)]):
        data = MISSING if i == 0 else X
        model = from_sklearn(estimator)
        path = str(tmp_path / f"t{i}.glassnet")
        model.save(path)
        np.testing.assert_array_equal(glassnet.models.load_model(path).transform(data), model.transform(data))

"""Pipeline, ColumnTransformer, FeatureUnion: nested compositions equal sklearn's outputs."""
import numpy as np
import pytest

from glassnet.convert import from_sklearn

from .conftest import assert_close, classification, regression


def test_pipeline_of_scaler_and_logistic_regression():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    X, y = classification(n_classes=3, labels=["lo", "mid", "hi"])
    estimator = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
    model = from_sklearn(estimator)
    np.testing.assert_array_equal(model.predict(X), estimator.predict(X))
    assert_close(model.predict_proba(X), estimator.predict_proba(X))
    assert_close(model.decision_function(X), estimator.decision_function(X))
    assert model.estimator == "Pipeline" and model.classes_ == ["hi", "lo", "mid"]
    assert len(model.operator.steps) == 1          # the scaler is folded into the GEMM: x·(diag(s)·W) + (t·W + b)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("final", ["pca", "mlp", "clipped"])
def test_scaler_folding_keeps_outputs(final):
    from sklearn.decomposition import PCA
    from sklearn.neural_network import MLPRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MinMaxScaler, StandardScaler
    X, y = regression()
    if final == "pca":
        estimator = make_pipeline(StandardScaler(), PCA(3, whiten=True)).fit(X)
        assert_close(from_sklearn(estimator).transform(X), estimator.transform(X))
    elif final == "mlp":
        estimator = make_pipeline(MinMaxScaler(), MLPRegressor(hidden_layer_sizes=(5,), max_iter=20, random_state=0)).fit(X, y / 50)
        assert_close(from_sklearn(estimator).predict(X), estimator.predict(X))
        assert_close(from_sklearn(estimator, dtype="float32").predict(X), estimator.predict(X), "float32")
    else:                                          # a clipping scaler is not affine: it stays a step
        estimator = make_pipeline(MinMaxScaler(clip=True), PCA(2)).fit(X)
        model = from_sklearn(estimator)
        assert len(model.operator.steps) == 2
        assert_close(model.transform(X * 3), estimator.transform(X * 3))


def test_nested_pipelines_with_passthrough_and_a_regressor():
    from sklearn.decomposition import PCA
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import MinMaxScaler, PolynomialFeatures, StandardScaler
    X, y = regression(n_features=4)
    inner = Pipeline([("poly", PolynomialFeatures(2)), ("skip", "passthrough"), ("scale", StandardScaler())])
    estimator = Pipeline([("mm", MinMaxScaler()), ("inner", inner), ("pca", PCA(5)), ("none", None),
                          ("ridge", Ridge())]).fit(X, y)
    model = from_sklearn(estimator)
    assert_close(model.predict(X), estimator.predict(X))
    assert model.classes_ is None and not hasattr(model, "transform")


def test_pipeline_ending_in_a_transformer():
    from sklearn.decomposition import PCA
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    X, _ = regression()
    estimator = make_pipeline(StandardScaler(), PCA(2, whiten=True)).fit(X)
    model = from_sklearn(estimator)
    assert_close(model.transform(X), estimator.transform(X))
    assert not hasattr(model, "predict")


def column_transformer(remainder):
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    mask = np.array([False, True, True, False, False, False])
    return ColumnTransformer([("codes", OneHotEncoder(handle_unknown="ignore"), [0]),
                              ("numbers", make_pipeline(SimpleImputer(), StandardScaler()), mask),
                              ("copy", "passthrough", [3]),
                              ("gone", "drop", [4]),
                              ("nothing", StandardScaler(), [])],
                             remainder=remainder, transformer_weights={"numbers": 2.0}, sparse_threshold=0)


def mixed_data(n=80, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 6))
    X[:, 0] = rng.integers(0, 4, size=n)
    X[rng.random(n) < 0.2, 1] = np.nan
    return X, (X[:, 2] + np.nan_to_num(X[:, 1]) + X[:, 0] > 1).astype(int)


@pytest.mark.parametrize("remainder", ["drop", "passthrough", "scaler"])
def test_column_transformer(remainder):
    from sklearn.preprocessing import StandardScaler
    X, _ = mixed_data()
    estimator = column_transformer(StandardScaler() if remainder == "scaler" else remainder).fit(X)
    model = from_sklearn(estimator)
    X_new, _ = mixed_data(seed=1)
    X_new[0, 0] = 9                      # an unseen category: zeros
    assert_close(model.transform(X_new), estimator.transform(X_new))


def test_column_transformer_inside_a_classifier_pipeline_saves_and_loads(tmp_path):
    import glassnet
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    X, y = mixed_data()
    estimator = make_pipeline(column_transformer("passthrough"), LogisticRegression()).fit(X, y)
    model = from_sklearn(estimator)
    np.testing.assert_array_equal(model.predict(X), estimator.predict(X))
    assert_close(model.predict_proba(X), estimator.predict_proba(X))
    model.save(str(tmp_path / "ct.glassnet"))
    loaded = glassnet.models.load_model(str(tmp_path / "ct.glassnet"))
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))


def test_feature_union_with_weights_drop_and_passthrough():
    from sklearn.decomposition import PCA, TruncatedSVD
    from sklearn.pipeline import FeatureUnion, make_pipeline
    from sklearn.preprocessing import Normalizer, StandardScaler
    X, _ = regression()
    union = FeatureUnion([("pca", PCA(2)), ("svd", TruncatedSVD(2, random_state=0)), ("no", "drop"),
                          ("raw", "passthrough"), ("norm", make_pipeline(StandardScaler(), Normalizer()))],
                         transformer_weights={"pca": 10.0, "raw": 0.5})
    estimator = union.fit(X)
    assert_close(from_sklearn(estimator).transform(X), estimator.transform(X))


def test_composites_in_float32():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    X, y = mixed_data()
    estimator = make_pipeline(column_transformer("passthrough"), LogisticRegression()).fit(X, y)
    assert_close(from_sklearn(estimator, dtype="float32").predict_proba(X), estimator.predict_proba(X), "float32")


def test_unsupported_step_inside_a_pipeline_is_named():
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler
    X, y = classification()
    with pytest.raises(TypeError, match="KNeighborsClassifier"):
        from_sklearn(make_pipeline(StandardScaler(), KNeighborsClassifier()).fit(X, y))
    with pytest.raises(ValueError, match="FunctionTransformer"):
        from_sklearn(make_pipeline(FunctionTransformer(np.log1p), StandardScaler()).fit(np.abs(X)))


@pytest.mark.parametrize("strategy", ["gemm", "tree_trav", "perf_tree_trav", "auto"])
def test_pipelines_and_one_vs_rest_around_trees(strategy):
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier
    X, y = classification(n_classes=3, labels=["a", "b", "c"])
    X[::7, 1] = np.nan
    estimator = make_pipeline(SimpleImputer(), StandardScaler(),
                              RandomForestClassifier(n_estimators=5, max_depth=4, random_state=0)).fit(X, y)
    model = from_sklearn(estimator, strategy=strategy)
    np.testing.assert_array_equal(model.predict(X), estimator.predict(X))
    assert_close(model.predict_proba(X), estimator.predict_proba(X))
    X = np.nan_to_num(X)
    estimator = OneVsRestClassifier(DecisionTreeClassifier(max_depth=3, random_state=0)).fit(X, y)
    model = from_sklearn(estimator, strategy=strategy)
    np.testing.assert_array_equal(model.predict(X), estimator.predict(X))
    assert_close(model.predict_proba(X), estimator.predict_proba(X))

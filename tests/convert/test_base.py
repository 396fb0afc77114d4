"""glassnet.convert.base: the Operator contract, the registry, ConvertedModel, from_sklearn, saving."""
import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import glassnet
from glassnet.convert import ConvertedModel, Operator, from_sklearn, supported_estimators
from glassnet.convert.base import Context

from .conftest import classification, needs_sklearn


class Shift(Operator):
    """z = x − μ (the Operator docstring's example)."""

    outputs = ("transform",)

    def __init__(self, n_features, **kwargs):
        super().__init__(**kwargs)
        self.n_features = n_features

    def constant_specs(self):
        return {"mu": ((self.n_features,), self.dtype), "flags": ((2,), "bool")}

    def call(self, x, output="transform"):
        return x - self.mu

    def get_config(self):
        return {**super().get_config(), "n_features": self.n_features}


def test_operator_builds_constants_and_sets_them():
    op = Shift(3, dtype="float64")
    op.build((None, 3))
    assert op.built and [w.name for w in op.weights] == ["mu", "flags"]
    assert op.trainable_weights == [] and op.mu.dtype == np.float64 and op.flags.dtype == np.bool_
    op.set_constants(mu=[1, 2, 3], flags=[True, False])
    np.testing.assert_array_equal(op(np.zeros((2, 3))).numpy(), [[-1.0, -2.0, -3.0]] * 2)
    with pytest.raises(ValueError, match="shape"):
        op.set_constants(mu=[1.0, 2.0])
    with pytest.raises(ValueError, match="unknown constant 'sigma'"):
        op.set_constants(sigma=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="build"):
        Shift(3).set_constants(mu=[1.0, 2.0, 3.0])


def test_supported_estimators_lists_the_families():
    names = supported_estimators()
    for name in ["StandardScaler", "LogisticRegression", "SVC", "Pipeline", "MLPClassifier", "PCA"]:
        assert name in names


def test_importing_convert_does_not_import_sklearn():
    code = "import sys, glassnet.convert; print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@needs_sklearn
def test_unsupported_estimator_lists_the_supported_ones():
    from sklearn.neighbors import KNeighborsClassifier
    X, y = classification()
    with pytest.raises(TypeError, match="KNeighborsClassifier.*Supported estimators: .*StandardScaler"):
        from_sklearn(KNeighborsClassifier().fit(X, y))


@needs_sklearn
def test_unfitted_estimator_raises_not_fitted():
    from sklearn.exceptions import NotFittedError
    from sklearn.linear_model import LogisticRegression
    with pytest.raises(NotFittedError):
        from_sklearn(LogisticRegression())


@needs_sklearn
def test_bad_dtype_strategy_and_batch_size():
    from sklearn.preprocessing import StandardScaler
    scaler = StandardScaler().fit(np.ones((3, 2)))
    with pytest.raises(ValueError, match="dtype"):
        from_sklearn(scaler, dtype="int32")
    with pytest.raises(ValueError, match="strategy"):
        from_sklearn(scaler, strategy="fastest")
    with pytest.raises(ValueError, match="batch_size"):
        from_sklearn(scaler, batch_size=0)


@needs_sklearn
def test_wrong_number_of_features_and_wrong_rank():
    from sklearn.linear_model import LogisticRegression
    X, y = classification(n_features=5)
    model = from_sklearn(LogisticRegression().fit(X, y))
    with pytest.raises(ValueError, match="X has 4 features, but the converted LogisticRegression is expecting 5"):
        model.predict(X[:, :4])
    with pytest.raises(ValueError, match="2-D"):
        model.predict(X[0])
    with pytest.raises(ValueError, match="0 samples"):
        model.predict(X[:0])


def test_operator_class_names_are_unique_among_glassnet_layers():
    """load_model finds a class by its name: no two glassnet layers may share one."""
    from glassnet.layers.base import Layer
    names, stack, seen = [], [Layer], set()
    while stack:
        cls = stack.pop()
        if cls not in seen:
            seen.add(cls)
            if cls.__module__.startswith("glassnet"):
                names.append(cls.__name__)
            stack.extend(cls.__subclasses__())
    assert len(names) == len(set(names)), sorted(n for n in set(names) if names.count(n) > 1)


@needs_sklearn
def test_methods_exist_only_where_the_estimator_has_them():
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC
    X, y = classification()
    scaler = from_sklearn(StandardScaler().fit(X))
    assert hasattr(scaler, "transform") and not hasattr(scaler, "predict_proba")
    with pytest.raises(AttributeError, match="StandardScaler.*predict_proba"):
        scaler.predict_proba(X)
    svc = from_sklearn(SVC().fit(X, y))
    assert hasattr(svc, "decision_function") and not hasattr(svc, "predict_proba")


@needs_sklearn
def test_string_labels_and_batches_give_the_same_predictions():
    from sklearn.linear_model import LogisticRegression
    X, y = classification(n_classes=3, labels=["cat", "dog", "eel"])
    estimator = LogisticRegression().fit(X, y)
    whole, batched = from_sklearn(estimator), from_sklearn(estimator, batch_size=7)
    np.testing.assert_array_equal(whole.predict(X), estimator.predict(X))
    np.testing.assert_array_equal(batched.predict(X), estimator.predict(X))
    np.testing.assert_allclose(batched.predict_proba(X), estimator.predict_proba(X), rtol=1e-6, atol=1e-6)
    assert whole.classes_ == ["cat", "dog", "eel"]


@needs_sklearn
def test_config_is_json_and_round_trips():
    from sklearn.linear_model import LogisticRegression
    X, y = classification(labels=[False, True])
    model = from_sklearn(LogisticRegression().fit(X, y))
    config = json.loads(json.dumps(model.get_config()))
    assert config["classes_"] == [False, True] and config["n_features_in_"] == 5
    assert config["estimator"] == "LogisticRegression" and "predict" in config["outputs"]
    copy = ConvertedModel.from_config(config)
    copy.build((None, 5))
    copy.set_weights(model.get_weights())
    np.testing.assert_array_equal(copy.predict(X), model.predict(X))


def test_context_defaults():
    context = Context()
    assert (context.dtype, context.strategy, context.n_features) == ("float64", "auto", None)


@needs_sklearn
def test_saved_model_loads_in_a_fresh_process(tmp_path):
    """save → load_model in a new interpreter that never imports glassnet.convert itself."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    X, y = classification(n_classes=3, labels=["a", "b", "c"])
    estimator = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
    model = from_sklearn(estimator)
    path = str(tmp_path / "pipe.glassnet")
    model.save(path)
    np.save(tmp_path / "X.npy", X)
    code = textwrap.dedent(f"""
        import numpy as np, sys, glassnet
        model = glassnet.models.load_model({path!r})
        X = np.load({str(tmp_path / "X.npy")!r})
        np.save({str(tmp_path / "proba.npy")!r}, model.predict_proba(X))
        print(",".join(model.predict(X)))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().split(",") == list(estimator.predict(X))
    np.testing.assert_allclose(np.load(tmp_path / "proba.npy"), estimator.predict_proba(X), rtol=1e-6, atol=1e-6)


@needs_sklearn
def test_nan_is_refused_where_sklearn_refuses_it():
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    X, y = classification()
    holes = X.copy()
    holes[3, 1] = np.nan
    for estimator in (LogisticRegression(), make_pipeline(StandardScaler(), LogisticRegression())):
        estimator.fit(X, y)
        with pytest.raises(ValueError):
            estimator.predict(holes)
        with pytest.raises(ValueError, match="Input X contains NaN"):
            from_sklearn(estimator).predict(holes)
    with pytest.raises(ValueError, match="infinity"):
        from_sklearn(estimator).predict(np.where(np.isnan(holes), np.inf, holes))
    for estimator in (make_pipeline(StandardScaler(), SimpleImputer(), LogisticRegression()),
                      make_pipeline(ColumnTransformer([("fill", SimpleImputer(), [1])], remainder="passthrough"),
                                    LogisticRegression())):
        estimator.fit(X, y)
        np.testing.assert_array_equal(from_sklearn(estimator).predict(holes), estimator.predict(holes))


@needs_sklearn
def test_refused_nan_columns_follow_the_composition():
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from glassnet.convert.base import refused_nan_columns
    X, y = classification()
    ct = ColumnTransformer([("fill", SimpleImputer(), [1, 2]), ("scale", StandardScaler(), [0]),
                            ("model_input", "passthrough", [3])], remainder="drop").fit(X)
    assert refused_nan_columns(ct, 5) == []                # each part accepts NaN
    pipe = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
    assert refused_nan_columns(pipe, 5) == [0, 1, 2, 3, 4]
    assert refused_nan_columns(make_pipeline(StandardScaler(), SimpleImputer()).fit(X), 5) == []
    estimator = make_pipeline(ColumnTransformer([("fill", SimpleImputer(), [1]), ("scale", StandardScaler(), [0, 2])],
                                                remainder="passthrough"), LogisticRegression()).fit(X, y)
    assert refused_nan_columns(estimator, 5) == []          # passthrough columns: not followed, not checked
    estimator = make_pipeline(ColumnTransformer([("fill", SimpleImputer(), [3]), ("scale", StandardScaler(), [0, 2])]),
                              LogisticRegression()).fit(X, y)
    assert refused_nan_columns(estimator, 5) == []          # the CT decides: its parts accept NaN
    from sklearn.decomposition import PCA
    ct = ColumnTransformer([("fill", SimpleImputer(), [3]), ("pca", PCA(1), [0, 4])]).fit(X)
    assert refused_nan_columns(ct, 5) == [0, 4]


def _round_trip_cases():
    from sklearn.decomposition import PCA
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import FeatureUnion, make_pipeline
    from sklearn.preprocessing import MinMaxScaler, Normalizer, OneHotEncoder, PolynomialFeatures
    from sklearn.svm import SVC
    return {"normalizer-pca": make_pipeline(Normalizer("l1"), PCA(2)),
            "union": FeatureUnion([("poly", PolynomialFeatures(2)), ("mm", MinMaxScaler(clip=True))]),
            "ovr": OneVsRestClassifier(LogisticRegression()),
            "svc-proba": SVC(probability=True, random_state=0),
            "one-hot": OneHotEncoder(handle_unknown="ignore")}


@needs_sklearn
@pytest.mark.filterwarnings("ignore::FutureWarning")
@pytest.mark.parametrize("case", ["normalizer-pca", "union", "ovr", "svc-proba", "one-hot"])
def test_every_operator_round_trips_through_json_config(case):
    X, y = classification(n_classes=3)
    if case == "one-hot":
        X = np.round(X)
    estimator = _round_trip_cases()[case].fit(X, y)
    model = from_sklearn(estimator)
    copy = ConvertedModel.from_config(json.loads(json.dumps(model.get_config())))
    copy.build((None, X.shape[1]))
    assert [w.shape for w in copy.weights] == [w.shape for w in model.weights]
    copy.set_weights(model.get_weights())
    for method in ("predict", "predict_proba", "decision_function", "transform"):
        if hasattr(model, method):
            np.testing.assert_array_equal(getattr(copy, method)(X), getattr(model, method)(X))

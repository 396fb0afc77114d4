"""Single decision trees: exact labels and values against scikit-learn, the extraction to arrays,
the float32 threshold rule, NaN routing, multi-output, saving, and bad input."""
import numpy as np
import pytest

from .conftest import assert_close, classification, regression

pytest.importorskip("sklearn")
from sklearn.tree import (DecisionTreeClassifier, DecisionTreeRegressor, ExtraTreeClassifier,  # noqa: E402
                          ExtraTreeRegressor)

import glassnet  # noqa: E402
from glassnet.convert import from_sklearn  # noqa: E402
from glassnet.convert.trees.extract import TreeArrays, sklearn_tree, threshold_below  # noqa: E402

STRATEGIES = ("gemm", "tree_trav", "perf_tree_trav")


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize("n_classes, labels", [(2, None), (3, None), (3, ["cat", "dog", "emu"])])
def test_classifier_labels_and_probabilities(strategy, n_classes, labels):
    X, y = classification(n_classes=n_classes, labels=labels)
    tree = DecisionTreeClassifier(max_depth=5, random_state=0).fit(X, y)
    model = from_sklearn(tree, strategy=strategy)
    X_test = X + np.random.default_rng(1).normal(0, 0.3, X.shape)
    assert (model.predict(X_test) == tree.predict(X_test)).all()
    assert_close(model.predict_proba(X_test), tree.predict_proba(X_test))


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_regressor_values_single_and_multi_output(strategy):
    for n_targets in (1, 3):
        X, y = regression(n_targets=n_targets)
        tree = DecisionTreeRegressor(max_depth=6, random_state=0).fit(X, y)
        assert_close(from_sklearn(tree, strategy=strategy).predict(X), tree.predict(X))


def test_extra_tree_single_estimators():
    X, y = classification(n_classes=3)
    clf = ExtraTreeClassifier(max_depth=6, random_state=0).fit(X, y)
    assert (from_sklearn(clf).predict(X) == clf.predict(X)).all()
    Xr, yr = regression()
    reg = ExtraTreeRegressor(max_depth=6, random_state=0).fit(Xr, yr)
    assert_close(from_sklearn(reg).predict(Xr), reg.predict(Xr))


def test_multi_output_classifier_labels_and_probabilities(tmp_path):
    X, y = classification(n_classes=3)
    Y = np.stack([y, (X[:, 0] > 0).astype(int), np.where(X[:, 1] > 0, "a", "b")], axis=1)
    tree = DecisionTreeClassifier(max_depth=5, random_state=0).fit(X, Y)
    model = from_sklearn(tree)
    assert (model.predict(X) == tree.predict(X)).all()
    X_test = X + np.random.default_rng(1).normal(0, 0.3, X.shape)
    ours, theirs = model.predict_proba(X_test), tree.predict_proba(X_test)   # a list: one array per output
    assert isinstance(ours, list) and [p.shape for p in ours] == [p.shape for p in theirs] == [(120, 3), (120, 2),
                                                                                                 (120, 2)]
    for mine, sklearns in zip(ours, theirs):
        assert_close(mine, sklearns)
    model.save(str(tmp_path / "multi.glassnet"))
    loaded = glassnet.models.load_model(str(tmp_path / "multi.glassnet"))
    for mine, sklearns in zip(loaded.predict_proba(X_test), theirs, strict=True):
        assert_close(mine, sklearns)


def test_float32_comparison_is_exact_at_the_threshold():
    """sklearn compares float32(x) with a float64 threshold; a value just above the threshold in
    float64 that rounds onto it in float32 must go left, as in sklearn."""
    X = np.array([[0.0], [1.0], [0.0], [1.0]])
    tree = DecisionTreeRegressor().fit(X, [0.0, 1.0, 0.0, 1.0])
    t = tree.tree_.threshold[0]                                    # 0.5
    probe = np.array([[t], [np.nextafter(t, 1.0)], [np.nextafter(np.float32(t), np.float32(1.0))], [t - 1e-12]])
    for strategy in STRATEGIES:
        assert (from_sklearn(tree, strategy=strategy).predict(probe) == tree.predict(probe)).all()


def test_threshold_below_is_the_largest_float32_not_above():
    t = np.array([0.1, 0.5, 1e300, np.inf, -2.7, 3.0000001])
    below = threshold_below(t, "float32")
    assert below.dtype == np.float32
    assert (below.astype(np.float64) <= t).all()
    with np.errstate(over="ignore"):
        above = np.nextafter(below, np.float32(np.inf)).astype(np.float64)
    assert (above[np.isfinite(t)] > t[np.isfinite(t)]).all()
    assert below[2] == np.finfo(np.float32).max and below[3] == np.inf


def test_nan_goes_where_the_tree_learned():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] > 0).astype(int)
    X[rng.random(200) < 0.2, 0] = np.nan                           # NaN rows mostly of class 1
    y[np.isnan(X[:, 0])] = 1
    tree = DecisionTreeClassifier(max_depth=4, random_state=0).fit(X, y)
    assert tree.tree_.missing_go_to_left.any() or (~tree.tree_.missing_go_to_left).any()
    X_test = rng.normal(size=(100, 3))
    X_test[::3, 0] = np.nan
    X_test[::5, 1] = np.nan
    for strategy in STRATEGIES:
        model = from_sklearn(tree, strategy=strategy)
        assert (model.predict(X_test) == tree.predict(X_test)).all()
        assert_close(model.predict_proba(X_test), tree.predict_proba(X_test))


def test_infinite_inputs():
    """±inf compares like the largest float32 (sklearn refuses inf, so it gets ±3e38): no NaN from 0·inf in GEMM."""
    X, y = classification()
    tree = DecisionTreeClassifier(max_depth=4, random_state=0).fit(X, y)
    X_test = X[:20].copy()
    X_test[::2, 0] = np.inf
    X_test[1::4, 1] = -np.inf
    big = np.nan_to_num(X_test, posinf=3e38, neginf=-3e38)
    for strategy in STRATEGIES:
        model = from_sklearn(tree, strategy=strategy)
        assert (model.predict(X_test) == tree.predict(big)).all()
        assert_close(model.predict_proba(X_test), tree.predict_proba(big))


def test_extraction_of_a_fitted_tree():
    X = np.array([[0.0, 0.0], [0.0, 3.0], [1.0, 0.0], [1.0, 3.0]])
    tree = DecisionTreeRegressor().fit(X, [10.0, 20.0, 30.0, 30.0])
    arrays = sklearn_tree(tree.tree_, tree.tree_.value[:, :, 0])
    # root: x0 <= 0.5; left: x1 <= 1.5 → leaves 10, 20; right: leaf 30
    assert arrays.feature.tolist() == [0, 1, 0, 0, 0]
    assert arrays.threshold.tolist() == [0.5, 1.5, 0.0, 0.0, 0.0]
    assert arrays.left.tolist() == [1, 2, -1, -1, -1] and arrays.right.tolist() == [4, 3, -1, -1, -1]
    assert arrays.value[[2, 3, 4], 0].tolist() == [10.0, 20.0, 30.0]
    assert arrays.node_depths().tolist() == [0, 1, 2, 2, 1] and arrays.max_depth() == 2


def test_a_lone_leaf_tree():
    X, _ = classification()
    tree = DecisionTreeRegressor().fit(X, np.full(len(X), 4.5))
    assert tree.tree_.node_count == 1
    for strategy in STRATEGIES:
        assert_close(from_sklearn(tree, strategy=strategy).predict(X[:5]), np.full(5, 4.5))


def test_float32_model():
    """float32: labels stay exact (the comparisons are float32 in sklearn too); values to 1e-6 relative."""
    X, y = classification(n_classes=3)
    tree = DecisionTreeClassifier(max_depth=6, random_state=0).fit(X, y)
    model = from_sklearn(tree, dtype="float32")
    assert model.predict_proba(X).dtype == np.float32
    assert (model.predict(X) == tree.predict(X)).all()
    assert_close(model.predict_proba(X), tree.predict_proba(X), dtype="float32")


def test_save_and_load(tmp_path):
    X, y = classification(n_classes=3, labels=["a", "b", "c"])
    tree = DecisionTreeClassifier(max_depth=5, random_state=0).fit(X, y)
    for strategy in STRATEGIES:
        model = from_sklearn(tree, strategy=strategy)
        path = str(tmp_path / f"tree_{strategy}.glassnet")
        model.save(path)
        loaded = glassnet.models.load_model(path)
        assert (loaded.predict(X) == tree.predict(X)).all()
        np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))


def test_errors():
    from sklearn.exceptions import NotFittedError
    with pytest.raises(NotFittedError):
        from_sklearn(DecisionTreeClassifier())
    X, y = classification()
    model = from_sklearn(DecisionTreeClassifier(max_depth=3).fit(X, y))
    with pytest.raises(ValueError, match="features"):
        model.predict(X[:, :3])
    with pytest.raises(AttributeError):
        model.decision_function(X)                             # sklearn's tree has none either
    with pytest.raises(ValueError, match="strategy"):
        from_sklearn(DecisionTreeClassifier(max_depth=3).fit(X, y), strategy="fastest")
    deep = DecisionTreeRegressor(random_state=0).fit(np.arange(60.0)[:, None] ** 1.5, np.arange(60.0) % 7)
    if deep.tree_.max_depth > 20:
        with pytest.raises(ValueError, match="tree_trav"):
            from_sklearn(deep, strategy="perf_tree_trav")


def test_tree_arrays_needs_a_root():
    with pytest.raises(ValueError, match="root"):
        TreeArrays([], [], [], [], [], np.zeros((0, 1)))

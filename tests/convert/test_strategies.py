"""The three tree strategies: the docstring's worked example by hand, identical results on the
same ensembles, the "auto" rule, the compiled walk against the ops walk, and chunking."""
import numpy as np
import pytest

from .conftest import classification, regression

pytest.importorskip("sklearn")
from sklearn.ensemble import (GradientBoostingClassifier, HistGradientBoostingClassifier,  # noqa: E402
                              IsolationForest, RandomForestClassifier, RandomForestRegressor)
from sklearn.tree import DecisionTreeClassifier  # noqa: E402

import glassnet  # noqa: E402
from glassnet import kernels  # noqa: E402
from glassnet.convert import from_sklearn  # noqa: E402
from glassnet.convert.trees import (GEMMTrees, PerfectTreeTraversal, TreeArrays, TreeTraversal,  # noqa: E402
                                    choose_strategy, strategy as strategy_module)

STRATEGIES = ("gemm", "tree_trav", "perf_tree_trav")


def example_tree():
    """The docstring's tree: node 0 x0 <= 0.5 (left 1, right 4); node 1 x1 <= 2.0 (left 2, right 3);
    leaves 2, 3, 4 hold 10, 20, 30."""
    return TreeArrays(feature=[0, 1, -2, -2, -2], threshold=[0.5, 2.0, -2, -2, -2], left=[1, 2, -1, -1, -1],
                      right=[4, 3, -1, -1, -1], missing_left=[False] * 5, value=[[0.0], [0.0], [10.0], [20.0], [30.0]])


def run(op, X):
    with glassnet.no_grad():
        return op(glassnet.Tensor(np.asarray(X, dtype=np.float64))).numpy()


def test_worked_example_gemm_matrices():
    op = GEMMTrees.from_trees([example_tree()], 2, np.zeros(1), "float64", "float64")
    np.testing.assert_array_equal(op.A.numpy(), [[1, 0], [0, 1]])
    np.testing.assert_array_equal(op.B.numpy(), [0.5, 2.0])
    np.testing.assert_array_equal(op.C.numpy()[0], [[1, 1, -1], [1, -1, 0]])
    np.testing.assert_array_equal(op.D.numpy()[0, 0], [2, 1, 0])
    np.testing.assert_array_equal(op.E.numpy()[0, :, 0], [10, 20, 30])
    # x = (0.3, 5.0): T = (1, 0), T·C = (1, 1, −1), P = (0, 1, 0), P·E = 20
    np.testing.assert_array_equal(run(op, [[0.3, 5.0], [0.3, 1.0], [0.9, 1.0]])[:, 0], [20.0, 10.0, 30.0])


def test_worked_example_tree_traversal_arrays():
    op = TreeTraversal.from_trees([example_tree()], 2, np.zeros(1), "float64", "float64")
    assert op.feature.numpy().tolist() == [0, 1, 0, 0, 0]
    assert op.threshold.numpy().tolist() == [0.5, 2.0, 0.0, 0.0, 0.0]
    assert op.left.numpy().tolist() == [1, 2, 2, 3, 4]
    assert op.right.numpy().tolist() == [4, 3, 2, 3, 4]
    assert op.value.numpy()[0].tolist() == [0, 0, 10, 20, 30]
    assert op.max_depth == 2
    np.testing.assert_array_equal(run(op, [[0.3, 5.0], [0.3, 1.0], [0.9, 1.0]])[:, 0], [20.0, 10.0, 30.0])


def test_worked_example_perfect_tree_arrays():
    op = PerfectTreeTraversal.from_trees([example_tree()], 2, np.zeros(1), "float64", "float64")
    assert op.feature.numpy()[0].tolist() == [0, 1, 0]
    assert op.threshold.numpy()[0].tolist() == [0.5, 2.0, np.inf]
    assert op.value.numpy()[0].tolist() == [10, 20, 30, 30]
    np.testing.assert_array_equal(run(op, [[0.3, 5.0], [0.3, 1.0], [0.9, 1.0]])[:, 0], [20.0, 10.0, 30.0])


def ensembles():
    X, y = classification(n_classes=3, n_samples=200)
    Xn = X.copy()
    Xn[::5, 2] = np.nan
    Xr, yr = regression(n_targets=2)
    return [
        (RandomForestClassifier(n_estimators=6, max_depth=7, random_state=0).fit(X, y), X, "predict_proba"),
        (RandomForestRegressor(n_estimators=5, max_depth=5, random_state=0).fit(Xr, yr), Xr, "predict"),
        (GradientBoostingClassifier(n_estimators=5, max_depth=4, random_state=0).fit(X, y), X, "decision_function"),
        (HistGradientBoostingClassifier(max_iter=5, max_leaf_nodes=10, random_state=0).fit(Xn, y), Xn,
         "predict_proba"),
        (IsolationForest(n_estimators=5, random_state=0).fit(X), X, "score_samples"),
    ]


def test_three_strategies_give_identical_results():
    """Not just close: the same leaf values, summed in the same tree order."""
    for estimator, X, method in ensembles():
        results = [getattr(from_sklearn(estimator, strategy=s), method)(X) for s in STRATEGIES]
        labels = [from_sklearn(estimator, strategy=s).predict(X) for s in STRATEGIES]
        for result, label in zip(results[1:], labels[1:]):
            np.testing.assert_array_equal(result, results[0])
            np.testing.assert_array_equal(label, labels[0])
        np.testing.assert_array_equal(labels[0], estimator.predict(X))


def test_compiled_walk_equals_the_ops_walk():
    pytest.importorskip("numba")
    for estimator, X, _ in ensembles():
        for strategy in ("tree_trav", "perf_tree_trav"):
            op = from_sklearn(estimator, strategy=strategy).operator.trees
            x = glassnet.Tensor(np.asarray(X, dtype=op.compare_dtype))
            previous = kernels.wanted()
            try:
                kernels.set_enabled(True)
                compiled = op.leaves(x)
                kernels.set_enabled(False)
                plain = op.leaves(x)
            finally:
                kernels.set_enabled(previous)
            np.testing.assert_array_equal(compiled, plain)


def test_auto_rule():
    assert [choose_strategy(d, 7) for d in (0, 1, 3, 4, 10, 11, 30)] == \
        ["gemm", "gemm", "gemm", "perf_tree_trav", "perf_tree_trav", "tree_trav", "tree_trav"]
    assert choose_strategy(3, 16) == "gemm" and choose_strategy(3, 17) == "perf_tree_trav"   # few nodes only
    X, _ = classification(n_samples=300, n_features=8)
    y = np.random.default_rng(0).integers(0, 2, len(X))                # random labels: a deep tree fits them
    for depth, expected in ((3, "gemm"), (6, "perf_tree_trav"), (None, "tree_trav")):
        tree = DecisionTreeClassifier(max_depth=depth, random_state=0).fit(X, y)
        if depth is None:
            assert tree.get_depth() > 10
        assert from_sklearn(tree).operator.trees.strategy == expected
    forest = RandomForestClassifier(n_estimators=10, max_depth=3, random_state=0).fit(X, y)   # 70 nodes
    assert from_sklearn(forest).operator.trees.strategy == "perf_tree_trav"


def test_chunks_give_the_same_result(monkeypatch):
    estimator, X, method = ensembles()[0]
    whole = getattr(from_sklearn(estimator, strategy="tree_trav"), method)(X)
    monkeypatch.setattr(strategy_module, "CHUNK_PAIRS", 7 * 6)       # 7 rows per chunk, 6 trees
    for strategy in STRATEGIES:
        np.testing.assert_array_equal(getattr(from_sklearn(estimator, strategy=strategy), method)(X), whole)


def test_compiled_walk_in_pieces_on_threads():
    """More rows than one block pair: the compiled walks run in pieces on a thread pool."""
    pytest.importorskip("numba")
    for estimator, X, _ in ensembles()[::3]:                 # the forest and the HistGB with NaN
        X_big = np.vstack([X + 0.01 * i for i in range(8)])    # 1,600 rows
        for strategy in ("tree_trav", "perf_tree_trav"):
            op = from_sklearn(estimator, strategy=strategy).operator.trees
            x = glassnet.Tensor(np.asarray(X_big, dtype=op.compare_dtype))
            previous = kernels.wanted()
            try:
                kernels.set_enabled(True)
                compiled = op.leaves(x)
                kernels.set_enabled(False)
                plain = op.leaves(x)
            finally:
                kernels.set_enabled(previous)
            np.testing.assert_array_equal(compiled, plain)

"""Shared helpers for the glassnet.convert tests: small generated data sets.

scikit-learn is a peer, not a dependency: without it only the tests of test_base.py that
need no fitted estimator run; the other test files are not collected.
"""
from pathlib import Path

import numpy as np
import pytest


def has_sklearn() -> bool:
    try:
        import sklearn  # noqa: F401
    except ImportError:
        return False
    return True


needs_sklearn = pytest.mark.skipif(not has_sklearn(), reason="scikit-learn is not installed")

if not has_sklearn():
    collect_ignore = [path.name for path in Path(__file__).parent.glob("test_*.py") if path.name != "test_base.py"]


def classification(n_classes=2, n_samples=120, n_features=5, seed=0, labels=None):
    """X, y from make_classification; ``labels`` (a list) renames the classes (e.g. strings)."""
    from sklearn.datasets import make_classification
    X, y = make_classification(n_samples=n_samples, n_features=n_features, n_informative=min(n_features, 4),
                               n_redundant=0, n_classes=n_classes, n_clusters_per_class=1, random_state=seed)
    if labels is not None:
        y = np.asarray(labels)[y]
    return X, y


def regression(n_samples=100, n_features=5, n_targets=1, seed=0):
    from sklearn.datasets import make_regression
    X, y = make_regression(n_samples=n_samples, n_features=n_features, n_targets=n_targets, noise=0.5,
                           random_state=seed)
    return X, y


def assert_close(actual, expected, dtype="float64"):
    """1e-6 in float64; in float32 a relative/absolute 1e-4 (7 significant digits, a few sums deep)."""
    tol = 1e-6 if dtype == "float64" else 1e-4
    expected = np.asarray(expected)
    assert np.shape(actual) == expected.shape, (np.shape(actual), expected.shape)
    np.testing.assert_allclose(np.asarray(actual, dtype=np.float64), expected.astype(np.float64), rtol=tol, atol=tol)

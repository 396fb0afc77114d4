"""Regression and loss metrics: hand values (Keras's examples), epoch RMSE, R² against scikit-learn."""
import math

import numpy as np
import pytest
from sklearn import metrics as skm

from glassnet import losses, metrics

rng = np.random.default_rng(7)
Y = [[0, 1], [0, 0]]
P = [[1, 1], [0, 0]]


def test_mean_error_metrics_hand_values():
    for cls, plain, weighted in [
        (metrics.MeanSquaredError, 0.25, 0.5),                  # errors² (1, 0 | 0, 0)
        (metrics.MeanAbsoluteError, 0.25, 0.5),
        (metrics.MeanAbsolutePercentageError, 2.5e8, 5e8),      # |0 − 1| / ε for the y = 0 entry
        (metrics.MeanSquaredLogarithmicError, math.log(2) ** 2 / 4, math.log(2) ** 2 / 2),
        (metrics.LogCoshError, math.log(math.cosh(1)) / 4, math.log(math.cosh(1)) / 2),
    ]:
        m = cls()
        m.update_state(Y, P)
        assert m.result() == pytest.approx(plain, rel=1e-6), cls.__name__
        m.reset_state()
        m.update_state(Y, P, sample_weight=[1, 0])
        assert m.result() == pytest.approx(weighted, rel=1e-6), cls.__name__


def test_rmse_is_over_the_whole_epoch():
    m = metrics.RootMeanSquaredError()
    m.update_state(Y, P)
    assert m.result() == pytest.approx(0.5)
    m.reset_state()
    m.update_state(Y, P, sample_weight=[1, 0])
    assert m.result() == pytest.approx(math.sqrt(0.5))
    # two batches: squared errors (4) and (0, 0, 0) → √(4/4) = 1, not the mean of √4 and 0
    epoch = metrics.RootMeanSquaredError()
    epoch.update_state([0.0], [2.0])
    epoch.update_state([0.0, 0.0, 0.0], [0.0, 0.0, 0.0])
    assert epoch.result() == pytest.approx(1.0)
    y, p = rng.normal(size=50), rng.normal(size=50)
    whole = metrics.RootMeanSquaredError()
    whole.update_state(y, p)
    assert whole.result() == pytest.approx(math.sqrt(skm.mean_squared_error(y, p)))


def test_cosine_similarity_metric_is_positive():
    m = metrics.CosineSimilarity(axis=1)
    m.update_state([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]])
    assert m.result() == pytest.approx(0.5)
    m.reset_state()
    m.update_state([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]], sample_weight=[0.3, 0.7])
    assert m.result() == pytest.approx(0.7)


def test_loss_metrics_are_running_means_of_the_loss_functions():
    y = np.eye(3)[rng.integers(0, 3, 20)]
    p = rng.dirichlet(np.ones(3), 20)
    for metric, fn in [(metrics.CategoricalCrossentropy(), losses.categorical_crossentropy),
                       (metrics.KLDivergence(), losses.kl_divergence),
                       (metrics.Poisson(), losses.poisson),
                       (metrics.Hinge(), losses.hinge),
                       (metrics.SquaredHinge(), losses.squared_hinge),
                       (metrics.CategoricalHinge(), losses.categorical_hinge)]:
        for chunk in (slice(0, 7), slice(7, 20)):
            metric.update_state(y[chunk], p[chunk])
        assert metric.result() == pytest.approx(fn(y, p).numpy().mean(), rel=1e-12), metric.name
    sparse = metrics.SparseCategoricalCrossentropy(from_logits=True)
    logits = rng.normal(size=(20, 3))
    sparse.update_state(np.argmax(y, -1), logits)
    assert sparse.result() == pytest.approx(
        losses.SparseCategoricalCrossentropy(from_logits=True)(np.argmax(y, -1), logits).item())
    ignoring = metrics.SparseCategoricalCrossentropy(from_logits=True, ignore_class=1)   # left out, as the loss
    ignoring.update_state(np.argmax(y, -1), logits)
    assert ignoring.result() == pytest.approx(
        losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=1)(np.argmax(y, -1), logits).item())
    ignoring.reset_state()
    weights = rng.uniform(size=20)
    ignoring.update_state(np.argmax(y, -1), logits, sample_weight=weights)
    kept = np.argmax(y, -1) != 1
    per_sample = losses.sparse_categorical_crossentropy(np.argmax(y, -1), logits, from_logits=True).numpy()
    assert ignoring.result() == pytest.approx(np.sum((weights * per_sample)[kept]) / np.sum(weights[kept]))
    bce = metrics.BinaryCrossentropy(label_smoothing=0.1)
    bce.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
    assert bce.result() == pytest.approx(
        losses.BinaryCrossentropy(label_smoothing=0.1)([[0, 1], [0, 0]], np.array([[0.6, 0.4], [0.4, 0.6]])).item())


def test_r2_score_hand_value_and_sklearn():
    m = metrics.R2Score()
    m.update_state(np.array([[1.0], [4.0], [3.0]]), np.array([[2.0], [4.0], [4.0]]))
    assert m.result() == pytest.approx(4 / 7)          # 1 − 2/(14/3)
    y = rng.normal(size=(60, 3))
    p = y + rng.normal(size=(60, 3)) * 0.5
    w = rng.uniform(0.5, 1.5, 60)
    for aggregation, sk in [("uniform_average", "uniform_average"), ("variance_weighted_average", "variance_weighted"),
                            (None, "raw_values")]:
        r2 = metrics.R2Score(class_aggregation=aggregation)
        for chunk in np.array_split(np.arange(60), 4):
            r2.update_state(y[chunk], p[chunk], sample_weight=w[chunk])
        np.testing.assert_allclose(r2.result(), skm.r2_score(y, p, sample_weight=w, multioutput=sk), rtol=1e-5)
    adjusted = metrics.R2Score(num_regressors=2)
    adjusted.update_state(y[:, :1], p[:, :1])
    plain = skm.r2_score(y[:, 0], p[:, 0])
    assert adjusted.result() == pytest.approx(1 - (1 - plain) * 59 / 57)
    with pytest.raises(ValueError, match="class_aggregation"):
        metrics.R2Score(class_aggregation="median")
    with pytest.raises(ValueError, match="2-D"):
        metrics.R2Score().update_state(np.zeros((2, 2, 2)), np.zeros((2, 2, 2)))

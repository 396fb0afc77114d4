"""Confusion metrics: hand values, scikit-learn agreement, accumulation, AUC, confusion matrix."""
import math

import numpy as np
import pytest
from sklearn import metrics as skm

from glassnet import Tensor, metrics

rng = np.random.default_rng(6)


def binary_data(n=400):
    y = rng.integers(0, 2, n)
    p = 1 / (1 + np.exp(-(1.5 * (2 * y - 1) + rng.normal(size=n) * 1.5)))   # informative but noisy
    return y, p


# --- counts, precision, recall -----------------------------------------------------------
def test_confusion_counts_hand_values():
    for cls, y, p, expected in [
        (metrics.TruePositives, [0, 1, 1, 1], [1, 0, 1, 1], 2.0),
        (metrics.FalsePositives, [0, 1, 0, 0], [0, 0, 1, 1], 2.0),
        (metrics.TrueNegatives, [0, 1, 0, 0], [1, 1, 0, 0], 2.0),
        (metrics.FalseNegatives, [0, 1, 1, 1], [0, 1, 0, 0], 2.0),
    ]:
        m = cls()
        m.update_state(y, p)
        assert m.result() == expected, cls.__name__
        m.reset_state()
        m.update_state(y, p, sample_weight=[0, 0, 1, 0])
        assert m.result() == 1.0, cls.__name__
    several = metrics.TruePositives(thresholds=[0.15, 0.5, 0.85])
    several.update_state([1, 1, 1, 0], [0.1, 0.6, 0.9, 0.95])
    np.testing.assert_array_equal(several.result(), [2, 2, 1])


def test_precision_recall_hand_values():
    # y = [0, 1, 1, 1], ŷ = [1, 0, 1, 1]: TP 2, FP 1, FN 1
    p, r = metrics.Precision(), metrics.Recall()
    p.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    r.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    assert p.result() == pytest.approx(2 / 3) and r.result() == pytest.approx(2 / 3)
    p.reset_state()
    p.update_state([0, 1, 1, 1], [1, 0, 1, 1], sample_weight=[0, 0, 1, 0])
    assert p.result() == 1.0
    assert metrics.Precision()([0, 0], [0.1, 0.2]) == 0.0          # no positive predictions: 0/0 → 0


def test_precision_top_k_and_class_id():
    top2 = metrics.Precision(top_k=2)
    top2.update_state([0, 0, 1, 1], [1, 1, 1, 1])                    # ties: the first two win
    assert top2.result() == 0.0
    top4 = metrics.Precision(top_k=4)
    top4.update_state([0, 0, 1, 1], [1, 1, 1, 1])
    assert top4.result() == 0.5
    y = np.eye(3)[rng.integers(0, 3, 60)]
    scores = rng.uniform(size=(60, 3))
    for cls, sk in [(metrics.Precision, skm.precision_score), (metrics.Recall, skm.recall_score)]:
        m = cls(class_id=1)
        m.update_state(y, scores)
        assert m.result() == pytest.approx(sk(y[:, 1], scores[:, 1] > 0.5))
    r = metrics.Recall(top_k=1)
    r.update_state(y, scores)
    assert r.result() == pytest.approx(np.mean(np.argmax(scores, -1) == np.argmax(y, -1)))


@pytest.mark.parametrize("weighted", [False, True])
def test_precision_recall_match_sklearn_and_accumulate(weighted):
    y, p = binary_data()
    w = rng.uniform(0.1, 2.0, y.size) if weighted else None
    thresholds = [0.3, 0.5, 0.7]
    whole_p, whole_r = metrics.Precision(thresholds=thresholds), metrics.Recall(thresholds=thresholds)
    whole_p.update_state(y, p, sample_weight=w)
    whole_r.update_state(y, p, sample_weight=w)
    for i, t in enumerate(thresholds):
        assert whole_p.result()[i] == pytest.approx(skm.precision_score(y, p > t, sample_weight=w), rel=1e-6)
        assert whole_r.result()[i] == pytest.approx(skm.recall_score(y, p > t, sample_weight=w), rel=1e-6)
    parts = metrics.Precision(thresholds=thresholds)
    for chunk in np.array_split(np.arange(y.size), 7):
        parts.update_state(y[chunk], Tensor(p[chunk]), sample_weight=None if w is None else w[chunk])
    np.testing.assert_allclose(parts.result(), whole_p.result(), rtol=1e-12)


def test_many_thresholds_take_the_sorted_path_and_agree_with_direct_counting():
    y, p = binary_data(300)
    thresholds = list(np.linspace(0, 1, 11))
    m = metrics.Recall(thresholds=thresholds)
    m.update_state(y, p)
    direct = [np.sum((p > t) & (y == 1)) / np.sum(y == 1) for t in thresholds]
    np.testing.assert_allclose(m.result(), direct, rtol=1e-6)   # an array result is float32 (floatx)


def test_bad_thresholds_and_shapes_raise():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        metrics.Precision(thresholds=[0.5, 1.5])
    with pytest.raises(ValueError, match="y_true has shape"):
        metrics.Precision().update_state(np.zeros((4, 2)), np.zeros((4, 3)))
    with pytest.raises(ValueError, match="class_id"):
        metrics.Recall(class_id=5).update_state(np.zeros((4, 3)), np.zeros((4, 3)))


# --- F-scores ----------------------------------------------------------------------------
def test_f1_keras_example():
    y = np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0]])
    p = np.array([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]])
    f1 = metrics.F1Score(threshold=0.5)
    f1.update_state(y, p)
    np.testing.assert_allclose(f1.result(), [0.5, 0.8, 2 / 3], rtol=1e-6)
    fbeta = metrics.FBetaScore(beta=2.0, threshold=0.5)
    fbeta.update_state(y, p)
    np.testing.assert_allclose(fbeta.result(), [0.3846154, 0.90909094, 0.8333334], rtol=1e-6)


@pytest.mark.parametrize("average", ["micro", "macro", "weighted", None])
def test_f1_matches_sklearn(average):
    y = (rng.uniform(size=(200, 4)) < 0.4).astype(int)
    p = np.clip(y * 0.35 + rng.uniform(size=(200, 4)) * 0.7, 0, 1)
    f1 = metrics.F1Score(average=average, threshold=0.5)
    for chunk in np.array_split(np.arange(200), 3):
        f1.update_state(y[chunk], p[chunk])
    expected = skm.f1_score(y, (p > 0.5).astype(int), average=average)
    np.testing.assert_allclose(f1.result(), expected, rtol=1e-5)


def test_f1_argmax_mode_and_weights():
    labels = rng.integers(0, 3, 150)
    scores = rng.normal(size=(150, 3)) + np.eye(3)[labels]
    w = rng.uniform(0.5, 1.5, 150)
    f1 = metrics.F1Score(average="macro")
    f1.update_state(np.eye(3)[labels], scores, sample_weight=w)
    expected = skm.f1_score(labels, np.argmax(scores, -1), average="macro", sample_weight=w)
    assert f1.result() == pytest.approx(expected, rel=1e-5)
    with pytest.raises(ValueError, match="average"):
        metrics.F1Score(average="samples")
    with pytest.raises(ValueError, match="2-D"):
        metrics.F1Score().update_state([1, 0], [0.3, 0.6])


# --- AUC ---------------------------------------------------------------------------------
def test_auc_hand_values():
    # thresholds −ε, 0.5, 1 + ε: TP = [2, 1, 0], FP = [2, 0, 0] → TPR [1, .5, 0], FPR [1, 0, 0]
    y, p = [0, 0, 1, 1], [0, 0.5, 0.3, 0.9]
    assert metrics.AUC(num_thresholds=3)(y, p) == pytest.approx(0.75)       # (1 − 0)·(1 + 0.5)/2
    assert metrics.AUC(num_thresholds=3, summation_method="minoring")(y, p) == pytest.approx(0.5)
    assert metrics.AUC(num_thresholds=3, summation_method="majoring")(y, p) == pytest.approx(1.0)
    weighted = metrics.AUC(num_thresholds=3)
    weighted.update_state(y, p, sample_weight=[1, 0, 0, 1])
    assert weighted.result() == pytest.approx(1.0)
    # PR, interpolated: slope (1/3, 1), intercept (2/3, 0), P = (4, 1, 0)
    expected = (1 / 3) * (1 + (2 / 3) * math.log(4)) / 2 + 1.0 * 1 / 2
    assert metrics.AUC(num_thresholds=3, curve="PR")(y, p) == pytest.approx(expected)
    # PR, minoring: recall x = [1, .5, 0], precision y = [.5, 1, 0] → (1 − .5)·.5 + (.5 − 0)·0
    assert metrics.AUC(num_thresholds=3, curve="PR", summation_method="minoring")(y, p) == pytest.approx(0.25)


def test_auc_matches_sklearn_roc_auc():
    y, p = binary_data(2000)
    exact = skm.roc_auc_score(y, p)
    coarse = metrics.AUC()
    for chunk in np.array_split(np.arange(y.size), 5):
        coarse.update_state(y[chunk], p[chunk])
    assert coarse.result() == pytest.approx(exact, abs=1e-2)
    at_once = metrics.AUC()
    at_once.update_state(y, p)
    assert coarse.result() == pytest.approx(at_once.result(), rel=1e-12)    # batches = one big batch
    fine = metrics.AUC(num_thresholds=20000)
    fine.update_state(y, p)
    assert abs(fine.result() - exact) < abs(coarse.result() - exact) + 1e-12
    assert fine.result() == pytest.approx(exact, abs=1e-4)
    w = rng.uniform(0.1, 3.0, y.size)
    weighted = metrics.AUC(num_thresholds=20000)
    weighted.update_state(y, p, sample_weight=w)
    assert weighted.result() == pytest.approx(skm.roc_auc_score(y, p, sample_weight=w), abs=1e-4)


def test_auc_from_logits_custom_thresholds_and_multi_label():
    y, p = binary_data(500)
    logits = np.log(p / (1 - p))
    probs, from_logits = metrics.AUC(), metrics.AUC(from_logits=True)
    probs.update_state(y, p)
    from_logits.update_state(y, logits)
    assert from_logits.result() == pytest.approx(probs.result(), abs=1e-9)
    custom = metrics.AUC(thresholds=[0.25, 0.5, 0.75])
    assert custom.num_thresholds == 5 and custom.thresholds[1:-1] == [0.25, 0.5, 0.75]
    custom.update_state(y, p)
    assert 0.5 < custom.result() <= 1.0
    y2 = np.stack([y, 1 - y], axis=1)
    p2 = np.stack([p, rng.uniform(size=p.size)], axis=1)
    multi = metrics.AUC(multi_label=True, num_thresholds=5000)
    multi.update_state(y2, p2)
    expected = np.mean([skm.roc_auc_score(y2[:, j], p2[:, j]) for j in range(2)])
    assert multi.result() == pytest.approx(expected, abs=1e-3)
    with pytest.raises(ValueError, match="curve"):
        metrics.AUC(curve="DET")
    with pytest.raises(ValueError, match="num_thresholds"):
        metrics.AUC(num_thresholds=1)


def test_auc_perfect_and_reset():
    m = metrics.AUC(curve="PR")
    m.update_state([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])
    assert m.result() == pytest.approx(1.0)
    m.reset_state()
    assert m.result() == 0.0


# --- confusion matrix --------------------------------------------------------------------
def test_confusion_matrix_hand_values_and_sklearn():
    np.testing.assert_array_equal(metrics.confusion_matrix([0, 1, 2, 2], [0, 2, 2, 1]),
                                  [[1, 0, 0], [0, 0, 1], [0, 1, 1]])
    labels = rng.integers(0, 4, 100)
    scores = rng.normal(size=(100, 4))
    ours = metrics.confusion_matrix(np.eye(4)[labels], scores, num_classes=4)
    np.testing.assert_array_equal(ours, skm.confusion_matrix(labels, np.argmax(scores, -1), labels=range(4)))
    w = rng.uniform(size=100)
    np.testing.assert_allclose(metrics.confusion_matrix(labels, np.argmax(scores, -1), num_classes=4, weights=w),
                               skm.confusion_matrix(labels, np.argmax(scores, -1), labels=range(4), sample_weight=w))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        metrics.confusion_matrix([0, 2], [0, 1], num_classes=2)
    with pytest.raises(ValueError, match="integer labels"):
        metrics.confusion_matrix([0.5, 1], [0, 1])

"""IoU family, correlations and the rate-at-rate metrics: hand values, streaming, reset, weights, errors."""
import json
import warnings

import numpy as np
import pytest
from sklearn import metrics as skm

from glassnet import metrics

rng = np.random.default_rng(11)


def f64(x):
    return np.asarray(x, dtype=np.float64)


# --- IoU ----------------------------------------------------------------------------------
def test_mean_iou_hand_values():
    # y = [0, 0, 1, 1], ŷ = [0, 1, 0, 1]: C = [[1, 1], [1, 1]]; IoU_c = 1/(2 + 2 − 1) = 1/3 each
    m = metrics.MeanIoU(num_classes=2)
    m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    assert m.result() == pytest.approx(1 / 3, rel=1e-6)
    np.testing.assert_array_equal(m.total_cm, [[1, 1], [1, 1]])


def test_iou_float_weights_need_a_float_dtype():
    # C = [[0.3, 0.3], [0.3, 0.1]]: IoU₀ = 0.3/(0.6 + 0.6 − 0.3) = 1/3, IoU₁ = 0.1/(0.4 + 0.4 − 0.1) = 1/7
    weighted = metrics.MeanIoU(num_classes=2, dtype="float32")
    weighted.update_state([0, 0, 1, 1], [0, 1, 0, 1], sample_weight=[0.3, 0.3, 0.3, 0.1])
    assert weighted.result() == pytest.approx((1 / 3 + 1 / 7) / 2, rel=1e-6)
    # the default int32 state truncates 0.3 to 0, as Keras: nothing counts → 0, with a warning
    truncated = metrics.MeanIoU(num_classes=2)
    with pytest.warns(UserWarning, match="truncated"):
        truncated.update_state([0, 0, 1, 1], [0, 1, 0, 1], sample_weight=[0.3, 0.3, 0.3, 0.1])
    assert truncated.result() == 0.0


def test_iou_target_classes_and_absent_classes():
    # y = [0, 1, 0, 1], ŷ = [0, 1, 1, 1]: C = [[1, 1], [0, 2]] → IoU₀ = 1/2, IoU₁ = 2/3
    for ids, expected in [([0], 0.5), ([1], 2 / 3), ([0, 1], (0.5 + 2 / 3) / 2)]:
        m = metrics.IoU(num_classes=2, target_class_ids=ids)
        m.update_state([0, 1, 0, 1], [0, 1, 1, 1])
        assert m.result() == pytest.approx(expected, rel=1e-6), ids
    # class 2 never occurs (TP + FP + FN = 0): it is left out of the mean, not counted as 0
    m = metrics.MeanIoU(num_classes=3)
    m.update_state([0, 1, 0, 1], [0, 1, 1, 1])
    assert m.result() == pytest.approx((0.5 + 2 / 3) / 2, rel=1e-6)


def test_binary_iou_keras_example():
    # p ≥ 0.3 → ŷ = [0, 0, 1, 1]; C = [[0.2, 0.4], [0.3, 0.1]] → IoU = [0.2/0.9, 0.1/0.8]
    m = metrics.BinaryIoU(target_class_ids=[0, 1], threshold=0.3, dtype="float32")
    m.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7], sample_weight=[0.2, 0.3, 0.4, 0.1])
    assert m.result() == pytest.approx((0.2 / 0.9 + 0.1 / 0.8) / 2, rel=1e-6)
    m.reset_state()
    m.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7])                      # C = [[1, 1], [1, 1]]
    assert m.result() == pytest.approx(1 / 3, rel=1e-6)


def test_one_hot_iou_keras_examples():
    y = np.array([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]])
    p = f64([[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]])
    w = [0.1, 0.2, 0.3, 0.4]
    # argmax: y = [2, 0, 1, 0], ŷ = [2, 2, 0, 2]; C = [[0, 0, 0.6], [0.3, 0, 0], [0, 0, 0.1]]
    # IoU₀ = 0/(0.3 + 0.6) = 0, IoU₁ = 0/(0.3 + 0) = 0, IoU₂ = 0.1/(0.7 + 0.1 − 0.1) = 1/7
    one = metrics.OneHotIoU(num_classes=3, target_class_ids=[0, 2], dtype="float32")
    one.update_state(y, p, sample_weight=w)
    assert one.result() == pytest.approx((0 + 1 / 7) / 2, rel=1e-6)
    mean = metrics.OneHotMeanIoU(num_classes=3, dtype="float32")
    mean.update_state(y, p, sample_weight=w)
    assert mean.result() == pytest.approx((1 / 7) / 3, rel=1e-6)


def test_iou_ignore_class_out_of_range_and_dense_inputs():
    m = metrics.MeanIoU(num_classes=2, ignore_class=255)
    m.update_state([0, 1, 255, 1, 7], [0, 1, 1, 5, 1])     # 255 ignored, 7 and 5 out of range
    np.testing.assert_array_equal(m.total_cm, [[1, 0], [0, 1]])
    assert m.result() == pytest.approx(1.0, rel=1e-6)
    # segmentation maps (batch, h, w) of scores with the class axis first (axis=1)
    scores = rng.uniform(size=(2, 3, 4, 4))
    labels = rng.integers(0, 3, size=(2, 4, 4))
    dense = metrics.MeanIoU(num_classes=3, sparse_y_pred=False, axis=1)
    dense.update_state(labels, scores)
    sparse = metrics.MeanIoU(num_classes=3)
    sparse.update_state(labels, scores.argmax(axis=1))
    np.testing.assert_array_equal(dense.total_cm, sparse.total_cm)


def test_iou_agrees_with_scikit_learn_jaccard():
    y, p = rng.integers(0, 4, 300), rng.integers(0, 4, 300)
    m = metrics.MeanIoU(num_classes=4)
    m.update_state(y, p)
    assert m.result() == pytest.approx(skm.jaccard_score(y, p, average="macro"), rel=1e-6)


# --- correlations -------------------------------------------------------------------------
def test_correlation_hand_values():
    # Pearson: y = [1, 2, 3], x = [2, 4, 7]: cov = 5/3, σ_y² = 2/3, σ_x² = 38/9 → (5/3)/√(76/27)
    r = metrics.pearson_correlation(f64([[1, 2, 3]]), f64([[2, 4, 7]])).numpy()
    np.testing.assert_allclose(r, [(5 / 3) / np.sqrt(76 / 27)])
    # concordance of a shifted copy: 2·(2/3) / (2/3 + 2/3 + 1) = 4/7, while Pearson's r is 1
    y, x = f64([[1, 2, 3]]), f64([[2, 3, 4]])
    np.testing.assert_allclose(metrics.concordance_correlation(y, x).numpy(), [4 / 7], rtol=1e-6)
    np.testing.assert_allclose(metrics.pearson_correlation(y, x).numpy(), [1.0])


def test_correlations_agree_with_numpy():
    y, x = rng.normal(size=(5, 8)), rng.normal(size=(5, 8))
    expected = [np.corrcoef(a, b)[0, 1] for a, b in zip(y, x)]
    np.testing.assert_allclose(metrics.pearson_correlation(y, x).numpy(), expected, rtol=1e-10)
    cov = ((y - y.mean(1, keepdims=True)) * (x - x.mean(1, keepdims=True))).mean(1)
    lin = 2 * cov / (y.var(1) + x.var(1) + (y.mean(1) - x.mean(1)) ** 2 + 1e-7)
    np.testing.assert_allclose(metrics.concordance_correlation(y, x).numpy(), lin, rtol=1e-10)
    np.testing.assert_allclose(metrics.pearson_correlation(y.T, x.T, axis=0).numpy(), expected, rtol=1e-10)


def test_correlation_functions_are_differentiable():
    from glassnet.testing import gradcheck

    y, x = rng.normal(size=(3, 5)), rng.normal(size=(3, 5))
    assert gradcheck(lambda p: metrics.pearson_correlation(y, p), [x])
    assert gradcheck(lambda p: metrics.concordance_correlation(y, p), [x])


# --- rate at rate -------------------------------------------------------------------------
def test_rate_at_rate_hand_values():
    # thresholds 0, ½, 1; y = [0, 0, 1, 1], p = [0.1, 0.6, 0.4, 0.8]:
    #   t = 0: TP 2 FP 2 TN 0 FN 0 → sens 1,  spec 0,  prec ½
    #   t = ½: TP 1 FP 1 TN 1 FN 1 → sens ½,  spec ½,  prec ½
    #   t = 1: nothing positive    → sens 0,  spec 1,  prec 0 (0/0)
    y, p = [0, 0, 1, 1], [0.1, 0.6, 0.4, 0.8]
    cases = [(metrics.SensitivityAtSpecificity(0.5, num_thresholds=3), 0.5),   # spec ≥ ½ at t = ½, 1
             (metrics.SensitivityAtSpecificity(0.1, num_thresholds=3), 0.5),
             (metrics.SpecificityAtSensitivity(1.0, num_thresholds=3), 0.0),   # sens = 1 only at t = 0
             (metrics.SpecificityAtSensitivity(0.5, num_thresholds=3), 0.5),
             (metrics.PrecisionAtRecall(0.5, num_thresholds=3), 0.5),
             (metrics.RecallAtPrecision(0.5, num_thresholds=3), 1.0),          # prec ≥ ½ at t = 0 and ½
             (metrics.RecallAtPrecision(0.9, num_thresholds=3), 0.0)]          # never: 0
    for m, expected in cases:
        m.update_state(y, p)
        assert m.result() == pytest.approx(expected), type(m).__name__


def test_rate_at_rate_single_threshold_and_class_id():
    m = metrics.PrecisionAtRecall(0.0, num_thresholds=1)          # one threshold, ½
    assert m.thresholds == [0.5]
    m.update_state([0, 1, 1], [0.7, 0.6, 0.2])                     # TP 1, FP 1 → ½
    assert m.result() == pytest.approx(0.5)
    y = np.eye(3)[rng.integers(0, 3, 50)]
    s = rng.uniform(size=(50, 3))
    by_class = metrics.SensitivityAtSpecificity(0.6, class_id=2)
    by_class.update_state(y, s)
    column = metrics.SensitivityAtSpecificity(0.6)
    column.update_state(y[:, 2], s[:, 2])
    assert by_class.result() == column.result()


# --- shared contract: streaming, reset, sample weights, configs, errors ------------------
def _stream_cases():
    labels = rng.integers(0, 3, 30)
    scores = rng.uniform(size=(30, 3))
    binary, probs = rng.integers(0, 2, 30), rng.uniform(size=30)
    reg_y, reg_x = rng.normal(size=(30, 6)), rng.normal(size=(30, 6))
    return [
        (lambda: metrics.MeanIoU(3, dtype="float64"), labels, scores.argmax(-1)),
        (lambda: metrics.IoU(3, [0, 2], dtype="float64"), labels, scores.argmax(-1)),
        (lambda: metrics.OneHotMeanIoU(3, dtype="float64"), np.eye(3)[labels], scores),
        (lambda: metrics.OneHotIoU(3, [1], dtype="float64"), np.eye(3)[labels], scores),
        (lambda: metrics.BinaryIoU(dtype="float64"), binary, probs),
        (lambda: metrics.PearsonCorrelation(), reg_y, reg_x),
        (lambda: metrics.ConcordanceCorrelation(), reg_y, reg_x),
        (lambda: metrics.PrecisionAtRecall(0.6, num_thresholds=50), binary, probs),
        (lambda: metrics.RecallAtPrecision(0.6, num_thresholds=50), binary, probs),
        (lambda: metrics.SensitivityAtSpecificity(0.4), binary, probs),
        (lambda: metrics.SpecificityAtSensitivity(0.7), binary, probs),
    ]


STREAM_CASES = _stream_cases()
STREAM_IDS = [type(make()).__name__ + str(i) for i, (make, _, _) in enumerate(STREAM_CASES)]


@pytest.mark.parametrize("make, y, p", STREAM_CASES, ids=STREAM_IDS)
def test_streaming_batches_equal_one_big_batch_and_reset(make, y, p):
    w = rng.uniform(0.0, 2.0, size=len(y))
    whole = make()
    whole.update_state(y, p, sample_weight=w)
    streamed = make()
    for part in (slice(0, 7), slice(7, 19), slice(19, 30)):
        streamed.update_state(y[part], p[part], sample_weight=w[part])
    assert streamed.result() == pytest.approx(whole.result(), rel=1e-12, abs=1e-12)
    streamed.reset_state()
    assert all(not np.any(v) for v in streamed.variables)
    fresh = make()
    streamed.update_state(y[:10], p[:10])
    fresh.update_state(y[:10], p[:10])
    assert streamed.result() == fresh.result()
    # a zero weight removes a sample; a weight of 2 counts it twice
    dropped, kept = make(), make()
    dropped.update_state(y, p, sample_weight=np.r_[np.zeros(5), np.ones(len(y) - 5)])
    kept.update_state(y[5:], p[5:])
    assert dropped.result() == pytest.approx(kept.result(), rel=1e-12, abs=1e-12)


CONFIGS = [
    (metrics.IoU(3, [1]), ["name", "dtype", "num_classes", "target_class_ids", "ignore_class", "sparse_y_true",
                           "sparse_y_pred", "axis"]),
    (metrics.MeanIoU(3), ["num_classes", "name", "dtype", "ignore_class", "sparse_y_true", "sparse_y_pred", "axis"]),
    (metrics.BinaryIoU(), ["target_class_ids", "threshold", "name", "dtype"]),
    (metrics.OneHotIoU(3, [1]), ["num_classes", "target_class_ids", "name", "dtype", "ignore_class", "sparse_y_pred",
                                 "axis"]),
    (metrics.OneHotMeanIoU(3), ["num_classes", "name", "dtype", "ignore_class", "sparse_y_pred", "axis"]),
    (metrics.PearsonCorrelation(), ["name", "dtype", "axis"]),
    (metrics.ConcordanceCorrelation(), ["name", "dtype", "axis"]),
    (metrics.PrecisionAtRecall(0.5), ["name", "dtype", "class_id", "num_thresholds", "recall"]),
    (metrics.RecallAtPrecision(0.5), ["name", "dtype", "class_id", "num_thresholds", "precision"]),
    (metrics.SensitivityAtSpecificity(0.5), ["name", "dtype", "class_id", "num_thresholds", "specificity"]),
    (metrics.SpecificityAtSensitivity(0.5), ["name", "dtype", "class_id", "num_thresholds", "sensitivity"]),
]


@pytest.mark.parametrize("metric, keys", CONFIGS, ids=[type(m).__name__ for m, _ in CONFIGS])
def test_config_keys_names_and_json_round_trip(metric, keys):
    config = metric.get_config()
    assert list(config) == keys                                        # Keras 3.15's keys, in its order
    rebuilt = type(metric).from_config(json.loads(json.dumps(config)))
    assert rebuilt.get_config() == config
    assert metrics.deserialize(metrics.serialize(metric)).get_config() == config
    assert metric._direction == "up"


def test_default_names_and_dtypes_as_keras():
    assert metrics.MeanIoU(2).name == "mean_io_u" and metrics.MeanIoU(2).dtype == "int32"
    assert metrics.BinaryIoU().name == "binary_io_u"
    assert metrics.OneHotMeanIoU(2).name == "one_hot_mean_io_u"
    assert metrics.PrecisionAtRecall(0.5).name == "precision_at_recall"


@pytest.mark.parametrize("name, cls", [("pearson_correlation", metrics.PearsonCorrelation),
                                       ("concordance_correlation", metrics.ConcordanceCorrelation),
                                       ("PearsonCorrelation", metrics.PearsonCorrelation)])
def test_string_lookup(name, cls):
    assert isinstance(metrics.get(name), cls)
    assert metrics.as_metric(name).name == name


@pytest.mark.parametrize("make, message", [
    (lambda: metrics.IoU(2, [2]), "out of range"),
    (lambda: metrics.IoU(2, []), "target_class_ids"),
    (lambda: metrics.MeanIoU(0), "num_classes"),
    (lambda: metrics.MeanIoU(2, ignore_class="void"), "ignore_class"),
    (lambda: metrics.BinaryIoU(threshold="high"), "threshold"),
    (lambda: metrics.MeanIoU(2).update_state([0, 1, 1], [0, 1]), "entries"),
    (lambda: metrics.MeanIoU(2).update_state([0, 1], [0, 1], sample_weight=[1, 1, 1]), "sample_weight"),
    (lambda: metrics.PearsonCorrelation(axis=None), "axis"),
    (lambda: metrics.pearson_correlation(f64([[1, 2]]), f64([[1, 2, 3]])), "shape"),
    (lambda: metrics.PrecisionAtRecall(1.5), "recall must be"),
    (lambda: metrics.SensitivityAtSpecificity(0.5, num_thresholds=0), "num_thresholds"),
    (lambda: metrics.RecallAtPrecision(0.5).update_state([0, 1], [0.2, 0.3, 0.4]), "shape"),
])
def test_bad_input_is_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_integer_weights_do_not_warn():
    m = metrics.MeanIoU(2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m.update_state([0, 1], [0, 1], sample_weight=f64([1.0, 2.0]))
    np.testing.assert_array_equal(m.total_cm, [[1, 0], [0, 2]])


# --- in a model ---------------------------------------------------------------------------
def test_compile_fit_save_and_load_with_dice_and_mean_iou(tmp_path):
    import glassnet as gn

    data = np.random.default_rng(0)
    x = data.normal(size=(24, 4)).astype("float32")
    y = np.eye(3, dtype="float32")[(x[:, 0] > 0).astype(int) + (x[:, 1] > 0.5).astype(int)]
    model = gn.Sequential([gn.layers.Input((4,)), gn.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss=gn.losses.Dice(),
                  metrics=[gn.metrics.MeanIoU(3), gn.metrics.OneHotMeanIoU(3, dtype="float32")])
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert set(history.history) == {"loss", "mean_io_u", "one_hot_mean_io_u"}
    assert history.history["loss"][1] < history.history["loss"][0]
    path = tmp_path / "dice.glassnet"
    model.save(path)
    loaded = gn.models.load_model(path)
    assert isinstance(loaded.loss, gn.losses.Dice)
    np.testing.assert_allclose(loaded.evaluate(x, y, verbose=0), model.evaluate(x, y, verbose=0), rtol=1e-6)

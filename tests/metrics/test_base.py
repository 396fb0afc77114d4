"""Mean, Sum, MeanMetricWrapper: weighted running means, accumulation, reset, state, config."""
import numpy as np
import pytest

from glassnet import Tensor, losses, metrics

rng = np.random.default_rng(4)


def test_mean_and_sum_hand_values():
    m = metrics.Mean()
    m.update_state([1, 3, 5, 7])
    assert m.result() == 4.0
    m.reset_state()
    m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    assert m.result() == 2.0                       # (1 + 3)/2
    s = metrics.Sum()
    s.update_state([1, 3, 5, 7])
    assert s.result() == 16.0
    s.reset_state()
    s.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    assert s.result() == 4.0


def test_mean_of_several_batches_weights_by_batch_size():
    # batch means 2 (of 3 values) and 10 (of 1 value): the epoch mean is 16/4 = 4, not 6
    m = metrics.Mean()
    m.update_state([1, 2, 3])
    m.update_state([10])
    assert m.result() == 4.0


def test_mean_sample_weight_rules():
    m = metrics.Mean()
    m.update_state(np.array([[1.0, 3.0], [5.0, 7.0]]), sample_weight=[1.0, 3.0])
    assert m.result() == pytest.approx((2 * 1 + 6 * 3) / 4)     # rows averaged first
    m.reset_state()
    m.update_state([1.0, 3.0, 5.0], sample_weight=2.0)          # a scalar weight: one sample of weight 2
    assert m.result() == pytest.approx(3.0)
    assert m.count == 2.0
    with pytest.raises(ValueError, match="sample_weight"):
        m.update_state([1.0, 2.0, 3.0], sample_weight=[1.0, 2.0])


def test_result_before_any_update_and_after_reset_is_zero():
    m = metrics.Mean()
    assert m.result() == 0.0
    m.update_state([3.0])
    m.reset_state()
    assert m.result() == 0.0
    assert [float(v) for v in m.variables] == [0.0, 0.0]


def test_variables_are_the_state_and_can_be_restored_in_place():
    m = metrics.Mean(name="loss")
    m.update_state([2.0, 4.0])
    saved = [v.copy() for v in m.variables]
    other = metrics.Mean(name="loss")
    for variable, value in zip(other.variables, saved):
        variable[...] = value
    assert other.result() == 3.0


def test_call_updates_and_returns_result():
    m = metrics.Mean()
    assert m([2.0, 4.0]) == 3.0
    assert m([6.0]) == 4.0


def test_mean_metric_wrapper_of_a_loss_function_and_tensors():
    y, p = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
    m = metrics.MeanMetricWrapper(losses.mean_squared_error)
    assert m.name == "mean_squared_error"
    m.update_state(Tensor(y), Tensor(p, requires_grad=True))
    assert m.result() == pytest.approx(np.mean((y - p) ** 2))
    numpy_fn = metrics.MeanMetricWrapper(lambda a, b, scale: scale * np.abs(a - b).sum(-1), name="l1", scale=2.0)
    numpy_fn.update_state(y, p, sample_weight=np.arange(6.0))
    expected = np.sum(2.0 * np.abs(y - p).sum(-1) * np.arange(6.0)) / 15.0
    assert numpy_fn.result() == pytest.approx(expected)
    with pytest.raises(TypeError, match="callable"):
        metrics.MeanMetricWrapper("mse")


def test_accumulation_equals_one_call_on_the_concatenation():
    y, p, w = rng.normal(size=(10, 2)), rng.normal(size=(10, 2)), rng.uniform(size=10)
    whole, parts = metrics.MeanMetricWrapper(losses.mean_absolute_error), metrics.MeanMetricWrapper(losses.mean_absolute_error)
    whole.update_state(y, p, sample_weight=w)
    for chunk in (slice(0, 3), slice(3, 4), slice(4, 10)):
        parts.update_state(y[chunk], p[chunk], sample_weight=w[chunk])
    assert parts.result() == pytest.approx(whole.result(), rel=1e-12)


def test_config_and_custom_metric_subclass():
    m = metrics.Mean(name="running", dtype="float64")
    assert m.get_config() == {"name": "running", "dtype": "float64"}
    assert metrics.Mean.from_config(m.get_config()).name == "running"

    class Maximum(metrics.Metric):
        def __init__(self, name=None, dtype=None):
            super().__init__(name=name, dtype=dtype)
            self.largest = self.add_variable((), "largest")

        def update_state(self, values, sample_weight=None):
            self.largest[...] = max(float(self.largest), float(np.max(values)))

        def result(self):
            return float(self.largest)

    peak = Maximum()
    assert peak.name == "maximum"
    peak.update_state([1.0, 5.0])
    peak.update_state([3.0])
    assert peak.result() == 5.0
    peak.reset_state()
    assert peak.result() == 0.0
    with pytest.raises(TypeError, match="numeric"):
        metrics.Mean().update_state(np.array(["a"]))


def test_a_mean_metric_reads_the_mask_of_a_tensor_prediction():
    from glassnet import Tensor, metrics
    y_true = np.array([[1, 0, 1], [0, 0, 1]])
    y_pred = Tensor(np.array([[[0.2, 0.8], [0.9, 0.1], [0.6, 0.4]],
                              [[0.7, 0.3], [0.1, 0.9], [0.5, 0.5]]]))
    y_pred._keras_mask = np.array([[True, True, False], [True, False, False]])
    metric = metrics.SparseCategoricalAccuracy()
    # valid steps: (1 ✓), (0 ✓), (0 ✓) → 3/3; the masked ones (1 ✗, 0 ✗, 1 ✗) do not count
    assert metric(y_true, y_pred) == 1.0
    metric.reset_state()
    # with weights [[1, 2, 5], [3, 5, 5]]: (1·1 + 2·1 + 3·1)/(1 + 2 + 3) = 1 still; unmasked it would be 6/21
    assert metric(y_true, y_pred, sample_weight=np.array([[1, 2, 5], [3, 5, 5]])) == 1.0
    metric.reset_state()
    y_pred._keras_mask = None
    assert metric(y_true, y_pred, sample_weight=np.array([[1, 2, 5], [3, 5, 5]])) == 6 / 21

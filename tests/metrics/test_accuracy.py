"""Accuracy metrics: hand-worked values, weights, accumulation, shapes, and compile's "accuracy" rule."""
import numpy as np
import pytest

from glassnet import Tensor, losses, metrics

rng = np.random.default_rng(5)


def test_accuracy_hand_values():
    m = metrics.Accuracy()
    m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
    assert m.result() == 0.75
    m.reset_state()
    m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]], sample_weight=[1, 1, 0, 0])
    assert m.result() == 0.5


def test_binary_accuracy_hand_values_and_threshold():
    m = metrics.BinaryAccuracy()
    m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
    assert m.result() == 0.75                              # 0.6 > 0.5 is a miss for label 0
    m.reset_state()
    m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]], sample_weight=[1, 0, 0, 1])
    assert m.result() == 0.5
    strict = metrics.BinaryAccuracy(threshold=0.7)
    strict.update_state([1, 0], [[0.65], [0.65]])          # (N,) labels against (N, 1) probabilities
    assert strict.result() == 0.5
    with pytest.raises(ValueError, match="threshold"):
        metrics.BinaryAccuracy(threshold=1.5)


def test_accuracy_functions_give_one_value_per_entry_as_keras_3():
    # multi-label rows: one hit/miss per label; the metric then averages a row's entries
    np.testing.assert_array_equal(metrics.binary_accuracy([[1, 0], [0, 0]], [[0.9, 0.7], [0.2, 0.1]]),
                                  [[1.0, 0.0], [1.0, 1.0]])
    np.testing.assert_array_equal(metrics.accuracy([[1, 2]], [[1, 3]]), [[1.0, 0.0]])
    m = metrics.BinaryAccuracy()
    m.update_state([[1, 0], [0, 0]], [[0.9, 0.7], [0.2, 0.1]])
    assert m.result() == 0.75
    m.reset_state()
    m.update_state([[1, 0], [0, 0]], [[0.9, 0.7], [0.2, 0.1]], sample_weight=[[1, 3], [0, 0]])
    assert m.result() == 0.25                              # (1·1 + 3·0) / (1 + 3): a weight per entry


def test_sparse_top_k_from_sorted_ids():
    ids = [[2, 1, 0], [1, 2, 0]]                           # class ids by decreasing score
    np.testing.assert_array_equal(metrics.sparse_top_k_categorical_accuracy([2, 0], ids, k=2, from_sorted_ids=True),
                                  [1.0, 0.0])
    m = metrics.SparseTopKCategoricalAccuracy(k=1, from_sorted_ids=True)
    m.update_state([1, 1], ids)
    assert m.result() == 0.5 and m.get_config()["from_sorted_ids"] is True
    assert "from_sorted_ids" not in metrics.SparseTopKCategoricalAccuracy().get_config()   # as Keras


def test_categorical_and_sparse_hand_values():
    y, p = [[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]
    m = metrics.CategoricalAccuracy()
    m.update_state(y, p)
    assert m.result() == 0.5
    m.reset_state()
    m.update_state(y, p, sample_weight=[0.7, 0.3])
    assert m.result() == pytest.approx(0.3)
    s = metrics.SparseCategoricalAccuracy()
    s.update_state([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]], sample_weight=[0.7, 0.3])
    assert s.result() == pytest.approx(0.3)
    s.reset_state()
    s.update_state(np.array([2.0, 1.0]), Tensor([[0.1, 0.6, 0.3], [0.05, 0.95, 0]]))
    assert s.result() == 0.5


def test_top_k_hand_values():
    y, p = [[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]
    m = metrics.TopKCategoricalAccuracy(k=1)
    m.update_state(y, p)
    assert m.result() == 0.5
    two = metrics.TopKCategoricalAccuracy(k=2)
    two.update_state(y, p)
    assert two.result() == 1.0                              # class 2 (0.8) is second in row 1
    sparse = metrics.SparseTopKCategoricalAccuracy(k=1)
    sparse.update_state([2, 1], p, sample_weight=[0.7, 0.3])
    assert sparse.result() == pytest.approx(0.3)
    assert metrics.SparseTopKCategoricalAccuracy()([0, 1], p) == 1.0   # k = 5 ≥ 3 classes
    with pytest.raises(ValueError, match="k must"):
        metrics.TopKCategoricalAccuracy(k=0)


def test_accumulation_and_reset():
    labels = rng.integers(0, 4, 50)
    scores = rng.normal(size=(50, 4))
    whole, parts = metrics.SparseCategoricalAccuracy(), metrics.SparseCategoricalAccuracy()
    whole.update_state(labels, scores)
    for start in range(0, 50, 16):                          # batches of 16, 16, 16, 2
        parts.update_state(labels[start:start + 16], scores[start:start + 16])
    assert parts.result() == pytest.approx(whole.result())
    assert whole.result() == pytest.approx(np.mean(np.argmax(scores, -1) == labels))
    parts.reset_state()
    assert parts.result() == 0.0


def test_sequences_are_averaged_over_time():
    labels = rng.integers(0, 3, (4, 5))
    scores = rng.normal(size=(4, 5, 3))
    m = metrics.SparseCategoricalAccuracy()
    m.update_state(labels, scores)
    assert m.result() == pytest.approx(np.mean(np.argmax(scores, -1) == labels))


def test_shape_errors():
    with pytest.raises(ValueError, match="sparse_categorical_accuracy"):
        metrics.categorical_accuracy([0, 1], [[0.3, 0.7], [0.8, 0.2]])
    with pytest.raises(ValueError, match=r"labels of shape \(3,\)"):
        metrics.sparse_categorical_accuracy([0, 1, 2], [[0.3, 0.7], [0.8, 0.2]])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        metrics.sparse_top_k_categorical_accuracy([0, 7], [[0.3, 0.7], [0.8, 0.2]], k=1)


VALID_BATCH = {  # one valid (y_true, y_pred) pair for each metric, to fill its state first
    metrics.Accuracy: ([[1.0], [0.0]], [[1.0], [1.0]]),
    metrics.BinaryAccuracy: ([[1.0], [0.0]], [[0.9], [0.8]]),
    metrics.CategoricalAccuracy: ([[1, 0], [0, 1]], [[0.9, 0.1], [0.9, 0.1]]),
    metrics.SparseCategoricalAccuracy: ([0, 1], [[0.9, 0.1], [0.9, 0.1]]),
    metrics.TopKCategoricalAccuracy: ([[1, 0], [0, 1]], [[0.9, 0.1], [0.9, 0.1]]),
    metrics.SparseTopKCategoricalAccuracy: ([0, 1], [[0.9, 0.1], [0.9, 0.1]]),
}


@pytest.mark.parametrize("metric", list(VALID_BATCH), ids=lambda m: m.__name__)
@pytest.mark.parametrize("true_shape, pred_shape", [((4, 3), (5, 3)), ((4, 2), (4, 3)), ((6,), (4, 1))])
def test_mismatched_shapes_name_both_shapes(metric, true_shape, pred_shape):
    """A clear error naming y_true, y_pred and both shapes, not NumPy's broadcasting message;
    the running state is left as it was."""
    m = metric()
    m.update_state(*VALID_BATCH[metric])
    before = m.result()
    with pytest.raises(ValueError, match=r"y_true.*y_pred") as error:
        m.update_state(np.zeros(true_shape), np.zeros(pred_shape))
    message = str(error.value)
    assert str(pred_shape) in message and "broadcast" not in message
    assert str(true_shape) in message or "labels of shape" in message   # sparse: the labels' shape
    assert m.result() == before


def test_accuracy_still_lines_up_ranks_as_keras():
    m = metrics.Accuracy()
    m.update_state([1, 2, 3, 4], np.array([[1], [2], [0], [4]]))   # (4,) against (4, 1): 3 of 4 equal
    assert m.result() == pytest.approx(0.75)


def test_resolve_accuracy_shape_rule_as_keras_3():
    assert isinstance(metrics.resolve_accuracy(np.zeros((8, 1)), np.zeros((8, 1))), metrics.BinaryAccuracy)
    assert isinstance(metrics.resolve_accuracy(np.zeros(8), np.zeros((8, 1))), metrics.BinaryAccuracy)
    assert isinstance(metrics.resolve_accuracy(np.zeros(8), np.zeros(8)), metrics.BinaryAccuracy)
    assert isinstance(metrics.resolve_accuracy(np.zeros(8), np.zeros((8, 5))), metrics.SparseCategoricalAccuracy)
    assert isinstance(metrics.resolve_accuracy(np.zeros((8, 1)), np.zeros((8, 5))), metrics.SparseCategoricalAccuracy)
    assert isinstance(metrics.resolve_accuracy(np.zeros((8, 5)), Tensor(np.zeros((8, 5)))), metrics.CategoricalAccuracy)
    # shapes win over the loss, as in Keras 3
    assert isinstance(metrics.resolve_accuracy(np.zeros((8, 5)), np.zeros((8, 5)), loss="binary_crossentropy"),
                      metrics.CategoricalAccuracy)
    assert metrics.resolve_accuracy(np.zeros(8), np.zeros((8, 1)), name="acc").name == "acc"


def test_resolve_accuracy_from_the_loss_without_data():
    assert isinstance(metrics.resolve_accuracy(loss="binary_crossentropy"), metrics.BinaryAccuracy)
    assert isinstance(metrics.resolve_accuracy(loss=losses.BinaryCrossentropy(from_logits=True)), metrics.BinaryAccuracy)
    assert isinstance(metrics.resolve_accuracy(loss="bce"), metrics.BinaryAccuracy)
    assert isinstance(metrics.resolve_accuracy(loss=losses.sparse_categorical_crossentropy),
                      metrics.SparseCategoricalAccuracy)
    assert isinstance(metrics.resolve_accuracy(loss="CategoricalCrossentropy"), metrics.CategoricalAccuracy)
    with pytest.raises(ValueError, match="cannot tell"):
        metrics.resolve_accuracy(loss="mse")
    with pytest.raises(ValueError, match="cannot tell"):
        metrics.resolve_accuracy()

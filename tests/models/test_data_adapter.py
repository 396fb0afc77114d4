"""From user data to batches: arrays, structures, shuffling modes, class weights, splits."""
import numpy as np
import pytest

import glassnet as gn
from glassnet.models import data_adapter as adapters


def test_to_arrays_keeps_structures_and_converts_the_rest():
    assert adapters.to_arrays([[1, 2], [3, 4]], "x").shape == (2, 2)
    structure = adapters.to_arrays([np.zeros(3), gn.Tensor(np.ones(3))], "x")
    assert isinstance(structure, list) and len(structure) == 2
    assert set(adapters.to_arrays({"a": [1.0], "b": np.zeros(1)}, "x")) == {"a", "b"}
    with pytest.raises(TypeError, match="`x` must be numeric"):
        adapters.to_arrays(np.array(["a"]), "x")


def test_batches_in_order_shuffled_and_batch_shuffled():
    x = np.arange(10)
    in_order = [b[0].tolist() for b in adapters.ArrayData(x, x, batch_size=4)]
    assert in_order == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    gn.utils.set_random_seed(0)
    shuffled = np.concatenate([b[0] for b in adapters.ArrayData(x, x, batch_size=4, shuffle=True)])
    assert sorted(shuffled.tolist()) == x.tolist() and shuffled.tolist() != x.tolist()
    batch_mode = [b[0].tolist() for b in adapters.ArrayData(x, x, batch_size=4, shuffle="batch")]
    assert sorted(batch_mode) == sorted(in_order)  # the same batches, in another order
    for x_batch, y_batch, _ in adapters.ArrayData(x, x * 2, batch_size=3, shuffle=True):
        np.testing.assert_array_equal(y_batch, 2 * x_batch)  # rows stay paired
    with pytest.raises(ValueError, match="shuffle"):
        adapters.ArrayData(x, x, shuffle="rows")


def test_class_weight_to_sample_weight_for_sparse_and_one_hot_labels():
    class_weight = {0: 0.5, 2: 3.0}  # class 1 is not listed: weight 1
    sparse = np.array([0, 1, 2, 2])
    np.testing.assert_allclose(adapters.class_weight_to_sample_weight(sparse, class_weight), [0.5, 1.0, 3.0, 3.0])
    np.testing.assert_allclose(adapters.class_weight_to_sample_weight(sparse[:, None], class_weight),
                               [0.5, 1.0, 3.0, 3.0])
    one_hot = np.eye(3)[sparse]
    np.testing.assert_allclose(adapters.class_weight_to_sample_weight(one_hot, class_weight), [0.5, 1.0, 3.0, 3.0])


def test_split_takes_the_tail_and_checks_the_fraction():
    x = np.arange(10)
    train, val = adapters.ArrayData(x, x).split(0.3)
    assert train.x.tolist() == list(range(7)) and val.x.tolist() == [7, 8, 9]
    with pytest.raises(ValueError, match="no training"):
        adapters.ArrayData(x, x).split(0.95)


def test_unpack_batch():
    assert adapters.unpack_batch(np.zeros(2))[1] is None
    assert adapters.unpack_batch([1, 2])[:2] == (1, 2)
    assert adapters.unpack_batch((1, 2, 3)) == (1, 2, 3)
    with pytest.raises(ValueError, match="tuple of 4"):
        adapters.unpack_batch((1, 2, 3, 4))

"""glassnet.data.Dataset: slicing, batching, shuffling, map/repeat/take, and use in fit."""
import numpy as np
import pytest

import glassnet as gn
from glassnet.data import INFINITE, Dataset


def collect(dataset):
    return list(dataset)


def test_from_tensor_slices_yields_rows_in_the_given_structure():
    x, y = np.arange(12).reshape(6, 2), np.arange(6)
    rows = collect(Dataset.from_tensor_slices((x, y)))
    assert len(rows) == 6 and isinstance(rows[0], tuple)
    np.testing.assert_array_equal(rows[2][0], [4, 5])
    assert rows[2][1] == 2
    by_name = collect(Dataset.from_tensor_slices({"a": x, "b": y}))
    assert by_name[1]["b"] == 1
    assert collect(Dataset.from_tensor_slices([1.0, 2.0, 3.0]))[1] == 2.0
    assert len(Dataset.from_tensor_slices(x)) == 6


def test_batch_keeps_or_drops_the_short_last_batch():
    x = np.arange(10)
    batches = collect(Dataset.from_tensor_slices(x).batch(4))
    assert [b.tolist() for b in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert len(Dataset.from_tensor_slices(x).batch(4)) == 3
    dropped = Dataset.from_tensor_slices(x).batch(4, drop_remainder=True)
    assert len(dropped) == 2 and [len(b) for b in dropped] == [4, 4]
    pairs = collect(Dataset.from_tensor_slices((x, x * 10)).batch(3))
    np.testing.assert_array_equal(pairs[1][1], [30, 40, 50])


def test_shuffle_is_a_permutation_repeatable_by_seed():
    x = np.arange(100)
    gn.utils.set_random_seed(0)
    first = np.concatenate(collect(Dataset.from_tensor_slices(x).shuffle(True).batch(10)))
    gn.utils.set_random_seed(0)
    again = np.concatenate(collect(Dataset.from_tensor_slices(x).shuffle(True).batch(10)))
    np.testing.assert_array_equal(first, again)
    assert sorted(first.tolist()) == x.tolist() and not np.array_equal(first, x)
    seeded = Dataset.from_tensor_slices(x).shuffle(100, seed=3, reshuffle_each_iteration=False)
    np.testing.assert_array_equal(collect(seeded), collect(seeded))
    reshuffled = Dataset.from_tensor_slices(x).shuffle(100, seed=3)
    assert collect(reshuffled) != collect(reshuffled)


def test_small_buffer_shuffle_only_moves_elements_a_little():
    x = np.arange(50)
    order = np.array(collect(Dataset.from_tensor_slices(x).shuffle(4, seed=1)))
    assert sorted(order.tolist()) == x.tolist()
    # with a buffer of 4 the k-th element out comes from the first k + 4 inputs
    assert all(order[k] < k + 4 for k in range(50))


def test_map_repeat_take():
    dataset = Dataset.from_tensor_slices((np.arange(4.0), np.arange(4))).map(lambda x, y: (x * 2, y))
    assert [float(x) for x, _ in dataset] == [0.0, 2.0, 4.0, 6.0]
    repeated = Dataset.from_tensor_slices(np.arange(3)).repeat(2)
    assert [int(v) for v in repeated] == [0, 1, 2, 0, 1, 2] and len(repeated) == 6
    forever = Dataset.from_tensor_slices(np.arange(3)).repeat()
    assert forever.cardinality() == INFINITE
    assert [int(v) for v in forever.take(7)] == [0, 1, 2, 0, 1, 2, 0]
    with pytest.raises(TypeError, match="infinite"):
        len(forever)
    mapped_batches = Dataset.from_tensor_slices(np.arange(6.0)).map(lambda v: v + 1).batch(4)
    assert [b.tolist() for b in mapped_batches] == [[1.0, 2.0, 3.0, 4.0], [5.0, 6.0]]


def test_fit_with_a_repeated_dataset_and_steps_per_epoch():
    x = np.random.default_rng(0).normal(size=(20, 2)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    model = gn.Sequential([gn.layers.Input((2,)), gn.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    dataset = Dataset.from_tensor_slices((x, y)).shuffle(True).batch(8).repeat()
    history = model.fit(dataset, steps_per_epoch=4, epochs=3, verbose=0)
    assert model.optimizer.iterations == 12 and len(history.history["loss"]) == 3


def test_bad_arguments():
    with pytest.raises(ValueError, match="same length"):
        Dataset.from_tensor_slices((np.zeros(3), np.zeros(4)))
    with pytest.raises(ValueError, match="scalar"):
        Dataset.from_tensor_slices(np.float32(1.0))
    dataset = Dataset.from_tensor_slices(np.zeros(3))
    with pytest.raises(ValueError, match="batch_size"):
        dataset.batch(0)
    with pytest.raises(ValueError, match="buffer_size"):
        dataset.shuffle(-1)
    with pytest.raises(TypeError, match="callable"):
        dataset.map(3)
    with pytest.raises(ValueError, match="count"):
        dataset.repeat(-2)

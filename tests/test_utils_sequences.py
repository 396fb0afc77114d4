"""glassnet.utils.pad_sequences and to_categorical: Keras's behaviour, worked by hand, and bad input."""
import numpy as np
import pytest

import glassnet as gn
from glassnet.utils import pad_sequences, to_categorical

SEQUENCES = [[1], [2, 3], [4, 5, 6]]


# --- pad_sequences -----------------------------------------------------------------------------
def test_defaults_pad_and_truncate_pre_and_give_int32():
    out = pad_sequences(SEQUENCES)
    np.testing.assert_array_equal(out, [[0, 0, 1], [0, 2, 3], [4, 5, 6]])
    assert out.dtype == np.int32
    # maxlen 2 keeps the *end* of the long sequence: [4, 5, 6] → [5, 6]
    np.testing.assert_array_equal(pad_sequences(SEQUENCES, maxlen=2), [[0, 1], [2, 3], [5, 6]])


def test_post_padding_and_truncating_and_value():
    np.testing.assert_array_equal(pad_sequences(SEQUENCES, padding="post"), [[1, 0, 0], [2, 3, 0], [4, 5, 6]])
    np.testing.assert_array_equal(pad_sequences(SEQUENCES, maxlen=2, truncating="post"), [[0, 1], [2, 3], [4, 5]])
    np.testing.assert_array_equal(pad_sequences(SEQUENCES, maxlen=2, padding="post", truncating="post"),
                                  [[1, 0], [2, 3], [4, 5]])
    np.testing.assert_array_equal(pad_sequences(SEQUENCES, value=-1), [[-1, -1, 1], [-1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(pad_sequences(SEQUENCES, maxlen=5), [[0, 0, 0, 0, 1], [0, 0, 0, 2, 3],
                                                                       [0, 0, 4, 5, 6]])


def test_dtypes_values_and_casts():
    out = pad_sequences([[1.5, 2.5], [3.25]], dtype="float32", value=0.5)
    np.testing.assert_array_equal(out, np.array([[1.5, 2.5], [0.5, 3.25]], dtype=np.float32))
    assert out.dtype == np.float32
    # as np.asarray(s, "int32"): 1.7 → 1, -2.9 → -2; a float value 0.0 becomes 0
    np.testing.assert_array_equal(pad_sequences([[1.7, -2.9], [3]]), [[1, -2], [0, 3]])
    tokens = pad_sequences([["a", "b"], ["c"]], dtype=object, value="<pad>")
    assert tokens.tolist() == [["a", "b"], ["<pad>", "c"]]


def test_empty_sequences_arrays_and_step_vectors():
    np.testing.assert_array_equal(pad_sequences([[], [1, 2], []]), [[0, 0], [1, 2], [0, 0]])
    assert pad_sequences([[], []]).shape == (2, 0)
    assert pad_sequences([], maxlen=3).shape == (0, 3)
    assert pad_sequences(SEQUENCES, maxlen=0).shape == (3, 0)
    np.testing.assert_array_equal(pad_sequences(np.array([[1, 2, 3], [4, 5, 6]]), maxlen=2), [[2, 3], [5, 6]])
    np.testing.assert_array_equal(pad_sequences((np.array([7]), (8, 9))), [[0, 7], [8, 9]])
    # sequences of feature vectors: (n, maxlen, 2), padded with whole zero steps
    out = pad_sequences([[[1, 1]], [[2, 2], [3, 3]]], padding="post")
    assert out.shape == (2, 2, 2)
    np.testing.assert_array_equal(out, [[[1, 1], [0, 0]], [[2, 2], [3, 3]]])


@pytest.mark.parametrize("arguments, message", [
    ({"sequences": [1, 2, 3]}, r"sequences\[0\] is int"),
    ({"sequences": [[1, 2], 3]}, r"sequences\[1\] is int"),
    ({"sequences": (i for i in range(3))}, "something with a length"),
    ({"sequences": 5}, "something with a length"),
    ({"sequences": "abc"}, "something with a length"),
    ({"sequences": [[1], "ab"]}, r"sequences\[1\] is a string"),
    ({"sequences": SEQUENCES, "padding": "middle"}, "padding must be 'pre' or 'post'"),
    ({"sequences": SEQUENCES, "truncating": "PRE"}, "truncating must be 'pre' or 'post'"),
    ({"sequences": SEQUENCES, "padding": None}, "padding must be 'pre' or 'post'"),
    ({"sequences": SEQUENCES, "maxlen": -1}, "maxlen must be None or a non-negative int"),
    ({"sequences": SEQUENCES, "maxlen": 2.0}, "maxlen must be None or a non-negative int"),
    ({"sequences": [], "maxlen": None}, "sequences is empty"),
    ({"sequences": SEQUENCES, "value": "x"}, "value 'x' is a string but dtype is int32"),
    ({"sequences": [[[1, 2]], [[1, 2, 3]]]}, r"sequences\[1\] have shape \(3,\).*shape \(2,\)"),
])
def test_bad_input_is_named(arguments, message):
    with pytest.raises(ValueError, match=message):
        pad_sequences(**arguments)


def test_bad_padding_raises_even_when_nothing_needs_padding():
    with pytest.raises(ValueError, match="padding"):
        pad_sequences([[], []], padding="both")


def test_pad_sequences_feeds_an_embedding_mask():
    ids = pad_sequences([[3, 1], [2]], maxlen=3)
    mask = gn.layers.Embedding(4, 2, mask_zero=True)(ids)._keras_mask
    np.testing.assert_array_equal(mask, [[False, True, True], [False, False, True]])


# --- to_categorical ----------------------------------------------------------------------------
def test_one_hot_of_a_vector():
    out = to_categorical([0, 2, 1], num_classes=3)
    np.testing.assert_array_equal(out, [[1, 0, 0], [0, 0, 1], [0, 1, 0]])
    assert out.dtype == np.float64
    np.testing.assert_array_equal(to_categorical([0, 2, 1]), out)                # C inferred: max + 1 = 3
    assert to_categorical([1, 1], num_classes=5).shape == (2, 5)


def test_a_trailing_axis_of_size_one_is_dropped():
    assert to_categorical(np.array([[0], [2]])).shape == (2, 3)                   # (n, 1) → (n, C)
    assert to_categorical(np.zeros((4, 3, 1), int), 2).shape == (4, 3, 2)
    assert to_categorical(np.zeros((4, 3), int), 2).shape == (4, 3, 2)
    assert to_categorical([0], 2).shape == (1, 2)                                  # (1,) keeps its axis
    np.testing.assert_array_equal(to_categorical(2, 4), [0, 0, 1, 0])              # a scalar → (C,)
    assert to_categorical(np.zeros((0,), int), 3).shape == (0, 3)


def test_integer_valued_floats_bools_and_tensors():
    np.testing.assert_array_equal(to_categorical([1.0, 0.0]), [[0, 1], [1, 0]])
    np.testing.assert_array_equal(to_categorical([True, False]), [[0, 1], [1, 0]])
    t = to_categorical(gn.Tensor(np.array([[1], [0]])), 2)
    assert isinstance(t, gn.Tensor) and t.dtype == np.dtype(gn.backend.floatx())
    np.testing.assert_array_equal(t.numpy(), [[0, 1], [1, 0]])


@pytest.mark.parametrize("x, num_classes, error, message", [
    ([0, -1, 2], None, ValueError, "non-negative, got -1"),
    ([0, 3], 3, ValueError, "< num_classes=3, got 3"),
    ([0.5, 1], None, ValueError, "non-integer value 0.5"),
    ([0, np.nan], None, ValueError, "NaN or infinite"),
    ([], None, ValueError, "x is empty"),
    ([0, 1], 0, ValueError, "num_classes must be None or a positive int"),
    ([0, 1], 2.0, ValueError, "num_classes must be None or a positive int"),
    (["a", "b"], None, TypeError, "integer class ids, got dtype <U1"),
])
def test_to_categorical_bad_input(x, num_classes, error, message):
    with pytest.raises(error, match=message):
        to_categorical(x, num_classes)


def test_round_trip_with_argmax():
    ids = np.random.default_rng(0).integers(0, 7, (5, 4))
    np.testing.assert_array_equal(to_categorical(ids, 7).argmax(-1), ids)

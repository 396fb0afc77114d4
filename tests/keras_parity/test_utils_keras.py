"""glassnet.utils.pad_sequences and to_categorical against keras.utils (skipped without keras).

Same output, same dtype, same shape over many shapes and options; where Keras fails on bad
input glassnet raises too (a ValueError, where Keras sometimes lets an IndexError through or
silently wraps a negative id).
"""
import itertools

import numpy as np
import pytest

import glassnet as gn

keras = pytest.importorskip("keras")


def _ragged(seed, n, max_length, step_shape=(), empty=True, kind="int"):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        length = int(rng.integers(0 if empty else 1, max_length + 1))
        if kind == "int":
            out.append(rng.integers(1, 50, (length,) + step_shape).tolist())
        else:
            out.append(rng.normal(size=(length,) + step_shape).tolist())
    return out


CASES = [(seed, n, m) for seed, (n, m) in enumerate([(1, 1), (3, 4), (5, 7), (8, 1), (10, 12), (2, 30)])]


@pytest.mark.parametrize("seed, n, max_length", CASES)
@pytest.mark.parametrize("padding, truncating", list(itertools.product(("pre", "post"), repeat=2)))
@pytest.mark.parametrize("maxlen", [None, 1, 3, 6, 40])
def test_pad_sequences_of_ids(seed, n, max_length, padding, truncating, maxlen):
    sequences = _ragged(seed, n, max_length)
    if maxlen is None and not any(sequences):
        sequences[0] = [1]
    arguments = dict(maxlen=maxlen, padding=padding, truncating=truncating)
    ours = gn.utils.pad_sequences(sequences, **arguments)
    theirs = keras.utils.pad_sequences(sequences, **arguments)
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("dtype, value", [("int32", 0.0), ("int64", -1), ("float32", 0.5), ("float64", -2.25),
                                          ("int32", 7), ("int16", 3), ("uint8", 255)])
@pytest.mark.parametrize("padding, truncating", [("pre", "pre"), ("post", "pre"), ("pre", "post")])
def test_pad_sequences_dtypes_and_values(dtype, value, padding, truncating):
    kind = "float" if dtype.startswith("float") else "int"
    sequences = _ragged(11, 6, 5, kind=kind)
    arguments = dict(maxlen=4, dtype=dtype, value=value, padding=padding, truncating=truncating)
    ours = gn.utils.pad_sequences(sequences, **arguments)
    theirs = keras.utils.pad_sequences(sequences, **arguments)
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


def test_pad_sequences_casts_floats_into_ints_as_keras():
    sequences = _ragged(3, 5, 6, kind="float")
    np.testing.assert_array_equal(gn.utils.pad_sequences(sequences), keras.utils.pad_sequences(sequences))


@pytest.mark.parametrize("step_shape", [(2,), (3, 2)])
@pytest.mark.parametrize("padding, truncating, maxlen", [("pre", "pre", None), ("post", "post", 3),
                                                         ("pre", "post", 2), ("post", "pre", 8)])
def test_pad_sequences_of_step_vectors(step_shape, padding, truncating, maxlen):
    sequences = [np.asarray(s, dtype=float).reshape((-1,) + step_shape)
                 for s in _ragged(5, 5, 5, step_shape, empty=False, kind="float")]
    arguments = dict(maxlen=maxlen, padding=padding, truncating=truncating, dtype="float64")
    ours = gn.utils.pad_sequences(sequences, **arguments)
    theirs = keras.utils.pad_sequences(sequences, **arguments)
    assert ours.shape == theirs.shape
    np.testing.assert_array_equal(ours, theirs)


def test_pad_sequences_of_arrays_and_tokens():
    array = np.arange(12).reshape(3, 4)
    for maxlen in (None, 2, 6):
        np.testing.assert_array_equal(gn.utils.pad_sequences(array, maxlen=maxlen),
                                      keras.utils.pad_sequences(array, maxlen=maxlen))
    tokens = [["the", "cat"], ["a"], []]
    ours = gn.utils.pad_sequences(tokens, dtype=object, value="<pad>", padding="post")
    theirs = keras.utils.pad_sequences(tokens, dtype=object, value="<pad>", padding="post")
    assert ours.tolist() == theirs.tolist()


@pytest.mark.parametrize("arguments", [
    {"sequences": [1, 2, 3]},
    {"sequences": (i for i in range(3))},
    {"sequences": [[1, 2]], "padding": "middle"},
    {"sequences": [[1, 2]], "truncating": "middle", "maxlen": 1},
    {"sequences": [[1, 2]], "value": "x"},
    {"sequences": [[[1, 2]], [[1, 2, 3]]]},
])
def test_pad_sequences_rejects_what_keras_rejects(arguments):
    with pytest.raises(ValueError):
        keras.utils.pad_sequences(**arguments)
    if hasattr(arguments["sequences"], "__next__"):
        arguments["sequences"] = (i for i in range(3))
    with pytest.raises(ValueError):
        gn.utils.pad_sequences(**arguments)


SHAPES = [(), (1,), (5,), (5, 1), (4, 3), (4, 3, 1), (2, 3, 4), (2, 1, 3), (1, 1), (2, 3, 4, 1), (0,), (0, 1)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("num_classes", [None, 6, 11])
def test_to_categorical_shapes_and_values(shape, num_classes):
    x = np.random.default_rng(len(shape)).integers(0, 6, shape)
    if num_classes is None and 0 in shape:      # no ids to infer the number of classes from: both raise
        with pytest.raises(ValueError):
            keras.utils.to_categorical(x, num_classes)
        with pytest.raises(ValueError, match="x is empty"):
            gn.utils.to_categorical(x, num_classes)
        return
    ours = gn.utils.to_categorical(x, num_classes)
    theirs = keras.utils.to_categorical(x, num_classes)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("x", [[0, 3, 1], [[1], [0]], [1.0, 2.0], [True, False, True], 3, np.int64(2),
                               np.array([[2, 0], [1, 1]], dtype=np.uint8)])
def test_to_categorical_inputs(x):
    ours, theirs = gn.utils.to_categorical(x), keras.utils.to_categorical(x)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


def test_to_categorical_errors_where_keras_fails_or_goes_wrong():
    with pytest.raises(IndexError):
        keras.utils.to_categorical([0, 3], 3)
    with pytest.raises(ValueError, match="< num_classes=3"):
        gn.utils.to_categorical([0, 3], 3)
    # a negative id: Keras silently marks the last class; glassnet refuses
    np.testing.assert_array_equal(keras.utils.to_categorical([-1], 3), [[0, 0, 1]])
    with pytest.raises(ValueError, match="non-negative"):
        gn.utils.to_categorical([-1], 3)


# --- keras.backend's dtype helpers and keras.utils.Config ----------------------------------------
DTYPE_NAMES = ["bool", "int8", "int16", "int32", "uint8", "uint16", "float16", "float32"]


def test_dtype_helpers_equal_keras():
    from keras import backend as kb

    for d in [None, float, int, bool, *DTYPE_NAMES]:
        assert gn.backend.standardize_dtype(d) == kb.standardize_dtype(d), d
        assert gn.backend.is_float_dtype(d) == kb.is_float_dtype(d) and gn.backend.is_int_dtype(d) == kb.is_int_dtype(d)
    # 32-bit and narrower (Keras's torch backend turns 64-bit types into 32-bit ones; glassnet keeps them)
    for a in DTYPE_NAMES:
        for b in [*DTYPE_NAMES, int, float]:
            assert gn.backend.result_type(a, b) == kb.result_type(a, b), (a, b)


def test_config_behaves_as_keras():
    ours, theirs = gn.utils.Config(b=1, a=2), keras.utils.Config(b=1, a=2)
    for config in (ours, theirs):
        config.c = 3
        config["d"] = 4
    assert list(ours) == list(theirs) and ours.as_dict() == theirs.as_dict() and ours.to_json() == theirs.to_json()
    ours.freeze(), theirs.freeze()
    for config in (ours, theirs):
        with pytest.raises(ValueError):
            config.e = 5


def test_smart_resize_equals_keras():
    x = np.random.default_rng(0).uniform(0, 255, (2, 30, 40, 3)).astype("float32")
    for size in [(16, 16), (20, 10), (45, 50)]:
        ours = gn.preprocessing.image.smart_resize(x, size)
        theirs = np.asarray(keras.preprocessing.image.smart_resize(x, size))
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-3)
    first = np.moveaxis(x, -1, 1)
    np.testing.assert_allclose(gn.preprocessing.image.smart_resize(first, (16, 16), data_format="channels_first"),
                               np.asarray(keras.preprocessing.image.smart_resize(first, (16, 16),
                                                                                 data_format="channels_first")),
                               rtol=1e-5, atol=1e-3)

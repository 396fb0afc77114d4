"""The shuffles, splits and word-index encodings ``keras.datasets`` applies after reading a file.

Written to give, for the same file and seed, exactly Keras's arrays in Keras's order.

Shuffle (``shuffle_together``): ``indices = arange(n)``, shuffled in place by
``np.random.RandomState(seed).shuffle``; every array is then taken at ``indices`` (one
generator may shuffle several splits one after the other, as IMDB's train then test).

Split (``split_at``): the first ``int(n · (1 − test_split))`` samples train, the rest test.

Word sequences (``encode_sequences``), for a review or newswire ``x`` of word ranks
``w`` (1 = the most frequent word in the data)::

    offset:     x ← [start_char] + [w + index_from for w in x]   (start_char None: no marker;
                                                                   index_from 0: no shift)
    maxlen:     keep only (x, y) with len(x) < maxlen
    vocabulary: num_words ← num_words or max over all x of max(x)
    cut:        w ← w if skip_top ≤ w < num_words else oov_char   (oov_char None: w dropped)

As in Keras, ``num_words=None`` keeps every word but the largest index (``w < num_words``
with ``num_words = max w``): that word becomes ``oov_char``.
"""
from __future__ import annotations

import numpy as np


def shuffle_together(rng: np.random.RandomState, *arrays):
    """``arrays`` (same length) in one random order drawn from ``rng`` (Keras's shuffle)."""
    indices = np.arange(len(arrays[0]))
    rng.shuffle(indices)
    return tuple(array[indices] for array in arrays)


def check_test_split(loader: str, test_split):
    if not 0 <= test_split < 1:
        raise ValueError(f"{loader}: `test_split` must be in [0, 1) (the test set's fraction), got {test_split!r}")


def split_at(test_split, n: int) -> int:
    """The number of training samples: ``int(n · (1 − test_split))``."""
    return int(n * (1 - test_split))


def shuffle_split(x, y, test_split, seed):
    """Keras's regression-set split: shuffle ``x`` and ``y`` with ``seed``, then split at
    ``int(n · (1 − test_split))``; returns ``(x_train, y_train), (x_test, y_test)`` (copies)."""
    x, y = shuffle_together(np.random.RandomState(seed), x, y)
    cut = split_at(test_split, len(x))
    return (np.array(x[:cut]), np.array(y[:cut])), (np.array(x[cut:]), np.array(y[cut:]))


def offset_words(xs, start_char, index_from) -> list:
    """Each sequence as a list: ``[start_char] + [w + index_from ...]`` (see the module docstring)."""
    if start_char is not None:
        return [[start_char] + [w + index_from for w in x] for x in xs]
    if index_from:
        return [[w + index_from for w in x] for x in xs]
    return [[w for w in x] for x in xs]


def drop_long(maxlen, xs, labels):
    """The ``(xs, labels)`` pairs with ``len(x) < maxlen``, as two lists."""
    kept = [(x, y) for x, y in zip(xs, labels) if len(x) < maxlen]
    return [x for x, _ in kept], [y for _, y in kept]


def cut_vocabulary(xs, num_words, skip_top, oov_char) -> list:
    """Words outside ``[skip_top, num_words)`` become ``oov_char``, or are dropped when it is None."""
    if not num_words:
        num_words = max(max(x) for x in xs)
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    return [[w for w in x if skip_top <= w < num_words] for x in xs]


def as_object_array(sequences) -> np.ndarray:
    """``np.array(sequences, dtype=object)`` as Keras returns it (2-D when all lengths agree)."""
    return np.array(sequences, dtype="object")


__all__ = ["shuffle_together", "check_test_split", "split_at", "shuffle_split", "offset_words", "drop_long",
           "cut_vocabulary", "as_object_array"]

"""IMDB movie reviews (Maas et al., 2011), as ``keras.datasets.imdb`` gives them, from Keras's file.

25,000 training and 25,000 test reviews labelled 1 (positive) or 0 (negative), each a list
of word ranks (1 = the most frequent word). Read from ``imdb.npz`` — Keras's cache
(``~/.keras/datasets/imdb.npz``), ``path``, or ``$GLASSNET_DATA/imdb`` (see
``glassnet.datasets.keras_cache``); glassnet never downloads it. Its ragged arrays are
pickled: they are read with ``safe_pickle`` (only NumPy array rebuilding is allowed).

Processing (``keras_preprocessing``): train, then test, shuffled by one
``RandomState(seed)``; then offset, ``maxlen``, vocabulary cut, over train and test together.
"""
from __future__ import annotations

import numpy as np

from .keras_cache import load_npz_members, read_word_index
from .keras_preprocessing import as_object_array, cut_vocabulary, drop_long, offset_words, shuffle_together


def load_data(path="imdb.npz", num_words=None, skip_top=0, maxlen=None, seed=113, start_char=1, oov_char=2,
              index_from=3, **kwargs):
    """Load the IMDB reviews as word-index sequences (Keras's ``keras.datasets.imdb.load_data``).

    Args:
        path: the file's name in Keras's cache (``~/.keras/datasets``), or a path to it.
        num_words: keep the ``num_words`` most frequent words (ranks below it); others become
            ``oov_char``. None: every word (but, as in Keras, the single largest index).
        skip_top: ranks below ``skip_top`` also become ``oov_char``.
        maxlen: drop sequences of ``maxlen`` words or more (counting ``start_char``). None: keep all.
        seed: seed of the ``np.random.RandomState`` that shuffles train, then test.
        start_char: index put first in every sequence (None: nothing is put).
        oov_char: index of cut words (None: cut words are dropped).
        index_from: added to every word rank.
        **kwargs: accepted and ignored, as Keras does.

    Returns:
        ``((x_train, y_train), (x_test, y_test))``: object arrays of lists of int (2-D only if every
        sequence has the same length, as in Keras) and the int labels (0 or 1) from the file.

    Raises:
        FileNotFoundError: naming the places looked and the URL to download from.
        ValueError: when ``maxlen`` leaves no training or no test sequence, or for a corrupt file.
    """
    x_train, labels_train, x_test, labels_test = load_npz_members("imdb", path,
                                                                   ("x_train", "y_train", "x_test", "y_test"))
    rng = np.random.RandomState(seed)
    x_train, labels_train = shuffle_together(rng, x_train, labels_train)
    x_test, labels_test = shuffle_together(rng, x_test, labels_test)
    x_train, x_test = offset_words(x_train, start_char, index_from), offset_words(x_test, start_char, index_from)
    if maxlen:
        x_train, labels_train = drop_long(maxlen, x_train, labels_train)
        x_test, labels_test = drop_long(maxlen, x_test, labels_test)
        if not x_train or not x_test:
            raise ValueError(f"imdb.load_data: no sequence is shorter than maxlen={maxlen}; increase `maxlen`")
    xs = cut_vocabulary(x_train + x_test, num_words, skip_top, oov_char)
    labels = np.concatenate([labels_train, labels_test])
    n_train = len(x_train)
    return (as_object_array(xs[:n_train]), labels[:n_train]), (as_object_array(xs[n_train:]), labels[n_train:])


def get_word_index(path="imdb_word_index.json"):
    """``{word: rank}`` of IMDB (rank 1 = most frequent); in ``load_data``'s sequences a word is
    ``rank + index_from``. ``path``: the file's name in Keras's cache, or a path to it."""
    return read_word_index("imdb", path)


__all__ = ["load_data", "get_word_index"]

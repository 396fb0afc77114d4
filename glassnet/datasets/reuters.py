"""Reuters newswires (Reuters-21578, 46 topics), as ``keras.datasets.reuters`` gives them.

11,228 newswires, each a list of word ranks (1 = the most frequent word), labelled with one
of 46 topics (``get_label_names``). Read from Keras's ``reuters.npz`` — Keras's cache
(``~/.keras/datasets/reuters.npz``), ``path``, or ``$GLASSNET_DATA/reuters`` (see
``glassnet.datasets.keras_cache``); glassnet never downloads it. The ragged arrays are
pickled and read with ``safe_pickle`` (only NumPy array rebuilding is allowed).

Processing (``keras_preprocessing``): all newswires shuffled by ``RandomState(seed)``; offset,
``maxlen``, vocabulary cut; the first ``int(n · (1 − test_split))`` train, the rest test.
"""
from __future__ import annotations

import numpy as np

from .keras_cache import load_npz_members, read_word_index
from .keras_preprocessing import as_object_array, cut_vocabulary, drop_long, offset_words, shuffle_together, split_at

LABEL_NAMES = ("cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply", "coffee",
               "sugar", "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas", "cpi", "money-fx",
               "interest", "gnp", "meal-feed", "alum", "oilseed", "gold", "tin", "strategic-metal", "livestock",
               "retail", "ipi", "iron-steel", "rubber", "heat", "jobs", "lei", "bop", "zinc", "orange", "pet-chem",
               "dlr", "gas", "silver", "wpi", "hog", "lead")
"""The topic of each label 0–45, in Keras's order."""


def load_data(path="reuters.npz", num_words=None, skip_top=0, maxlen=None, test_split=0.2, seed=113, start_char=1,
              oov_char=2, index_from=3):
    """Load the Reuters newswires as word-index sequences (``keras.datasets.reuters.load_data``).

    Args:
        path: the file's name in Keras's cache (``~/.keras/datasets``), or a path to it.
        num_words: keep the ``num_words`` most frequent words; others become ``oov_char``.
            None: every word (but, as in Keras, the single largest index).
        skip_top: ranks below ``skip_top`` also become ``oov_char``.
        maxlen: drop sequences of ``maxlen`` words or more (counting ``start_char``). None: keep all.
        test_split: the fraction of newswires for the test set.
        seed: seed of the ``np.random.RandomState`` that shuffles the newswires.
        start_char: index put first in every sequence (None: nothing is put).
        oov_char: index of cut words (None: cut words are dropped).
        index_from: added to every word rank.

    Returns:
        ``((x_train, y_train), (x_test, y_test))``: object arrays of lists of int (2-D only if every
        sequence has the same length, as in Keras) and int topic labels 0–45.

    Raises:
        FileNotFoundError: naming the places looked and the URL to download from.
        ValueError: for a corrupt file.
    """
    xs, labels = load_npz_members("reuters", path, ("x", "y"))
    xs, labels = shuffle_together(np.random.RandomState(seed), xs, labels)
    xs = offset_words(xs, start_char, index_from)
    if maxlen:
        xs, labels = drop_long(maxlen, xs, labels)
    xs = cut_vocabulary(xs, num_words, skip_top, oov_char)
    n_train = split_at(test_split, len(xs))
    return ((as_object_array(xs[:n_train]), np.array(labels[:n_train])),
            (as_object_array(xs[n_train:]), np.array(labels[n_train:])))


def get_word_index(path="reuters_word_index.json"):
    """``{word: rank}`` of Reuters (rank 1 = most frequent); in ``load_data``'s sequences a word is
    ``rank + index_from``. ``path``: the file's name in Keras's cache, or a path to it."""
    return read_word_index("reuters", path)


def get_label_names():
    """The 46 topic names, indexed by label (``LABEL_NAMES``)."""
    return LABEL_NAMES


__all__ = ["load_data", "get_word_index", "get_label_names", "LABEL_NAMES"]

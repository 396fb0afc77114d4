"""Boston housing prices (Harrison & Rubinfeld, 1978; StatLib), as ``keras.datasets.boston_housing``.

506 suburbs of Boston in the 1970s, 13 attributes each, and the median home value in k$.
Keras (and we) discourage it: one attribute, "B", encodes an assumption about racial
self-segregation; ``california_housing`` with ``version="small"`` is the suggested
replacement. Read from Keras's ``boston_housing.npz`` (arrays ``x`` (506, 13) and ``y``
(506,)) in Keras's cache, ``path``, or ``$GLASSNET_DATA/boston_housing``; never downloaded.

Split: shuffled by ``RandomState(seed)``; the first ``int(n · (1 − test_split))`` train.
"""
from __future__ import annotations

from .keras_cache import load_npz_members
from .keras_preprocessing import check_test_split, shuffle_split


def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    """Load the Boston housing data (``keras.datasets.boston_housing.load_data``).

    Args:
        path: the file's name in Keras's cache (``~/.keras/datasets``), or a path to it.
        test_split: the fraction of samples for the test set, in [0, 1).
        seed: seed of the ``np.random.RandomState`` that shuffles the samples before the split.

    Returns:
        ``((x_train, y_train), (x_test, y_test))``: ``x`` of shape ``(n, 13)``, ``y`` of shape ``(n,)``
        (float64, the prices in k$).

    Raises:
        ValueError: for ``test_split`` outside [0, 1), or a corrupt file.
        FileNotFoundError: naming the places looked and the URL to download from.
    """
    check_test_split("boston_housing.load_data", test_split)
    x, y = load_npz_members("boston_housing", path, ("x", "y"), objects=False)
    return shuffle_split(x, y, test_split, seed)


__all__ = ["load_data"]

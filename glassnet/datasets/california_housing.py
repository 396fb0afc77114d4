"""California housing prices (Pace & Barry, 1997; 1990 census), as ``keras.datasets.california_housing``.

20,640 block groups, 8 features each (MedInc, HouseAge, AveRooms, AveBedrms, Population,
AveOccup, Latitude, Longitude) and the median house value in dollars. ``version="small"``
keeps the first 600 rows (a stand-in for ``boston_housing``). Read from Keras's
``california_housing.npz`` (arrays ``x`` and ``y``) in Keras's cache, ``path``, or
``$GLASSNET_DATA/california_housing``; never downloaded.

Split: shuffled by ``RandomState(seed)``; the first ``int(n · (1 − test_split))`` train.
"""
from __future__ import annotations

from .keras_cache import load_npz_members
from .keras_preprocessing import check_test_split, shuffle_split

VERSIONS = {"small": 600, "large": None}
"""Rows kept by each ``version`` (None: all)."""


def load_data(version="large", path="california_housing.npz", test_split=0.2, seed=113):
    """Load the California housing data (``keras.datasets.california_housing.load_data``).

    Args:
        version: "large" (all 20,640 rows) or "small" (the first 600).
        path: the file's name in Keras's cache (``~/.keras/datasets``), or a path to it.
        test_split: the fraction of samples for the test set, in [0, 1).
        seed: seed of the ``np.random.RandomState`` that shuffles the samples before the split.

    Returns:
        ``((x_train, y_train), (x_test, y_test))``: ``x`` of shape ``(n, 8)``, ``y`` of shape ``(n,)``.

    Raises:
        ValueError: for an unknown ``version``, ``test_split`` outside [0, 1), or a corrupt file.
        FileNotFoundError: naming the places looked and the URL to download from.
    """
    check_test_split("california_housing.load_data", test_split)
    if version not in VERSIONS:
        raise ValueError(f"california_housing.load_data: `version` must be one of {sorted(VERSIONS)}, "
                         f"got {version!r}")
    x, y = load_npz_members("california_housing", path, ("x", "y"), objects=False)
    rows = VERSIONS[version]
    if rows is not None:
        x, y = x[:rows], y[:rows]
    return shuffle_split(x, y, test_split, seed)


__all__ = ["load_data", "VERSIONS"]

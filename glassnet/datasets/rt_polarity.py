"""Movie-review sentence polarity v1.0 (Pang & Lee, 2005), read from local files.

5,331 positive (``rt-polarity.pos``) and 5,331 negative (``rt-polarity.neg``) snippets,
one per line, lower-cased and tokenized, UTF-8. There is no official split.
"""
from __future__ import annotations

import numpy as np

from .locate import find_files, read_lines

FILES = ("rt-polarity.pos", "rt-polarity.neg")


def load_data(path=None):
    """Load the sentences and their polarity labels.

    Args:
        path: folder holding ``rt-polarity.pos`` and ``rt-polarity.neg`` (UTF-8; gzipped
            as ``.gz`` also works). Default: ``$GLASSNET_DATA/rt-polarity``, else
            ``../shared/data/rt-polarity`` relative to the current directory or the repository.

    Returns:
        ``(texts, labels)``: a list of str (all positive lines, then all negative lines, in
        file order, line endings and trailing spaces removed) and an int64 array of labels,
        1 positive and 0 negative.

    Raises:
        FileNotFoundError: if no folder has both files. ValueError: for a file that is not UTF-8.
    """
    pos_path, neg_path = find_files("rt-polarity", FILES, path)
    positive = [line.rstrip() for line in read_lines(pos_path)]
    negative = [line.rstrip() for line in read_lines(neg_path)]
    labels = np.concatenate([np.ones(len(positive), np.int64), np.zeros(len(negative), np.int64)])
    return positive + negative, labels


__all__ = ["load_data"]

"""A decoder's state as a nested structure of arrays whose axis 0 is the batch.

``greedy_decode`` and ``beam_search`` do not know what a model keeps between steps (an
LSTM's [h, c]; later the encoder's outputs for attention, or a Transformer's prefix): they
only need to copy rows of it. These helpers do that for any nesting of lists, tuples and
dicts whose leaves are arrays (or None, left as it is):

    repeat_state([h, c], 3)          each row three times in a row: rows 0,0,0,1,1,1,...
    select_state([h, c], [2, 0, 0])  rows 2, 0 and 0, in that order (a beam's parents)
"""
from __future__ import annotations

import numpy as np

from ..layers.base import flatten, map_structure
from ..tensor import Tensor


def as_array(value):
    """A NumPy array of ``value`` (a glassnet Tensor's data, or the value itself)."""
    return value.numpy() if isinstance(value, Tensor) else np.asarray(value)


def to_numpy_state(state):
    """The same nesting with every leaf a NumPy array (Tensors converted, None kept)."""
    return map_structure(lambda leaf: None if leaf is None else as_array(leaf), state)


def state_batch_size(state, owner: str = "decoding") -> int:
    """The common length of axis 0 of the state's leaves.

    Raises:
        ValueError: if the state has no array leaf, a leaf without a batch axis, or leaves
            whose batch sizes differ.
    """
    sizes = {tuple(np.shape(leaf))[:1] for leaf in flatten(state) if leaf is not None}
    if not sizes:
        raise ValueError(f"{owner}: the state must hold at least one array with a leading batch axis "
                         f"(e.g. [h, c] of shape (batch, units)), got {state!r}")
    if () in sizes or len(sizes) != 1:
        shapes = [tuple(np.shape(leaf)) for leaf in flatten(state) if leaf is not None]
        raise ValueError(f"{owner}: every array of the state must have the same leading batch axis, got shapes "
                         f"{shapes}")
    return sizes.pop()[0]


def repeat_state(state, repeats: int):
    """Each row of every leaf ``repeats`` times in a row (row b becomes rows b·r … b·r + r − 1)."""
    return map_structure(lambda leaf: None if leaf is None else np.repeat(as_array(leaf), repeats, axis=0), state)


def select_state(state, rows):
    """The given rows of every leaf, in the given order (rows may repeat)."""
    rows = np.asarray(rows, dtype=np.intp)
    return map_structure(lambda leaf: None if leaf is None else np.take(as_array(leaf), rows, axis=0), state)


__all__ = ["repeat_state", "select_state", "state_batch_size", "to_numpy_state", "as_array"]

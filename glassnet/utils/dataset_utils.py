"""Datasets from arrays: Keras's ``split_dataset`` and ``timeseries_dataset_from_array``.

Both return ``glassnet.data.Dataset`` objects (Keras returns ``tf.data`` datasets; the
names and element structure are the same, and ``model.fit`` takes either).

``timeseries_dataset_from_array`` cuts windows out of one long series. With L =
``sequence_length``, r = ``sampling_rate`` and stride s, window k starts at
iₖ = start_index + k·s and holds the rows::

    data[iₖ], data[iₖ + r], …, data[iₖ + (L − 1)·r]      target: targets[iₖ]

for every iₖ whose last row lies before ``end_index``. Example: data = 0…9, L = 3, r = 2
→ windows [0, 2, 4], [1, 3, 5], …, [5, 7, 9] (six of them).
"""
from __future__ import annotations

import numbers

import numpy as np

from ..data import Dataset
from ..layers.base import flatten, map_structure


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _rows_of(dataset):
    """(structure of arrays, n) for arrays / a tuple, list or dict of arrays / an unbatched Dataset."""
    if isinstance(dataset, Dataset):
        if dataset.is_batched:
            raise ValueError("split_dataset: the Dataset is batched; split it before .batch() (or call .unbatch())")
        elements = list(dataset)
        if not elements:
            raise ValueError("split_dataset: the Dataset is empty")
        first = elements[0]
        if isinstance(first, tuple):
            structure = tuple(np.stack([e[i] for e in elements]) for i in range(len(first)))
        elif isinstance(first, dict):
            structure = {k: np.stack([e[k] for e in elements]) for k in first}
        else:
            structure = np.stack(elements)
    elif isinstance(dataset, (tuple, list)) and dataset and all(hasattr(d, "__len__") for d in dataset) and \
            not all(isinstance(d, numbers.Number) for d in dataset) and np.ndim(dataset[0]) > 0:
        structure = tuple(np.asarray(d) for d in dataset)
    elif isinstance(dataset, dict):
        structure = {k: np.asarray(v) for k, v in dataset.items()}
    else:
        structure = np.asarray(dataset)
    lengths = {leaf.shape[0] if leaf.ndim else None for leaf in flatten(structure)}
    if len(lengths) != 1 or None in lengths:
        raise ValueError(f"split_dataset: every array must have the same first axis, got lengths {sorted(lengths, key=str)}")
    return structure, lengths.pop()


def _split_sizes(left_size, right_size, total: int) -> tuple:
    def count(size, name):
        if size is None:
            return None
        if isinstance(size, float):
            if not 0.0 < size < 1.0:
                raise ValueError(f"split_dataset: a float {name} must be in (0, 1), got {size!r}")
            return int(round(size * total))
        if _is_int(size):
            if not 0 < size <= total:
                raise ValueError(f"split_dataset: an int {name} must be in [1, {total}] (the number of samples), got "
                                 f"{size!r}")
            return int(size)
        raise ValueError(f"split_dataset: {name} must be None, a float in (0, 1) or an int, got {size!r}")

    left, right = count(left_size, "left_size"), count(right_size, "right_size")
    if left is None and right is None:
        raise ValueError("split_dataset: give left_size, right_size or both")
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total:
        raise ValueError(f"split_dataset: left_size + right_size = {left + right} is more than the {total} samples")
    if left == 0 or right == 0:
        raise ValueError(f"split_dataset: one side would be empty (left {left}, right {right} of {total} samples)")
    return left, right


def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None) -> tuple:
    """Split samples into two Datasets: the first ``left_size`` and the next ``right_size``.

    Args:
        dataset: an array, a tuple/list/dict of arrays of equal length, or an unbatched Dataset.
        left_size, right_size: a fraction in (0, 1) (rounded to a count) or a number of
            samples; one may be None (the rest of the samples).
        shuffle: shuffle the samples before splitting.
        seed: the shuffle's seed (None draws from ``glassnet.backend.rng()``).

    Returns:
        (left, right): two unbatched Datasets with the input's element structure.

    Raises:
        ValueError: sizes that do not fit the data, or arrays of different lengths.
    """
    structure, n = _rows_of(dataset)
    left, right = _split_sizes(left_size, right_size, n)
    order = np.arange(n)
    if shuffle:
        from ..random import draw_generator

        order = draw_generator(seed, "split_dataset").permutation(n)
    take = [order[:left], order[left:left + right]]
    return tuple(Dataset.from_tensor_slices(map_structure(lambda a, rows=rows: a[rows], structure)) for rows in take)


def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1, sampling_rate=1,
                                  batch_size=128, shuffle=False, seed=None, start_index=None, end_index=None):
    """Windows over a series as a Dataset of ``(windows, targets)`` batches (see the module docstring).

    Args:
        data: an array (time, …) — one row per time step.
        targets: the target of the window starting at i is ``targets[i]``; None for
            windows only.
        sequence_length: L, the rows per window.
        sequence_stride: s, the step between the starts of consecutive windows.
        sampling_rate: r, the step between the rows inside one window.
        batch_size: windows per batch (None: an unbatched Dataset of single windows).
        shuffle: shuffle the windows (seeded by ``seed``).
        start_index, end_index: use only the rows in [start_index, end_index).

    Returns:
        A Dataset of ``(windows, targets)`` (or windows alone), windows of shape
        (batch, L, …).

    Raises:
        ValueError: non-positive lengths or rates, indices out of range, targets of another
            length than data, or a series too short for one window.
    """
    data = np.asarray(data)
    for name, value in (("sequence_length", sequence_length), ("sequence_stride", sequence_stride),
                        ("sampling_rate", sampling_rate)):
        if not _is_int(value) or value <= 0:
            raise ValueError(f"timeseries_dataset_from_array: {name} must be a positive int, got {value!r}")
    if batch_size is not None and (not _is_int(batch_size) or batch_size <= 0):
        raise ValueError(f"timeseries_dataset_from_array: batch_size must be None or a positive int, got {batch_size!r}")
    if data.ndim == 0:
        raise ValueError("timeseries_dataset_from_array: data must have a time axis, got a scalar")
    start = 0 if start_index is None else start_index
    end = len(data) if end_index is None else end_index
    if not (_is_int(start) and _is_int(end)) or not 0 <= start < end <= len(data):
        raise ValueError(f"timeseries_dataset_from_array: need 0 <= start_index < end_index <= len(data) = {len(data)}, "
                         f"got start_index={start_index!r}, end_index={end_index!r}")
    if targets is not None:
        targets = np.asarray(targets)
        if len(targets) != len(data):
            raise ValueError(f"timeseries_dataset_from_array: targets have {len(targets)} rows but data has "
                             f"{len(data)}; they must be the same length")
    span = (sequence_length - 1) * sampling_rate          # rows from a window's first to its last
    starts = np.arange(start, end - span, sequence_stride)
    if len(starts) == 0:
        raise ValueError(f"timeseries_dataset_from_array: no window of {sequence_length} rows at sampling_rate "
                         f"{sampling_rate} fits in the {end - start} rows [{start}, {end})")
    rows = starts[:, None] + sampling_rate * np.arange(sequence_length)[None, :]     # (windows, L)
    windows = data[rows]
    dataset = Dataset.from_tensor_slices(windows if targets is None else (windows, targets[starts]))
    if shuffle:
        dataset = dataset.shuffle(True, seed=seed)
    return dataset if batch_size is None else dataset.batch(batch_size)


__all__ = ["split_dataset", "timeseries_dataset_from_array"]

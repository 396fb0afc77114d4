"""Dataset: an input pipeline of NumPy arrays, with the ``tf.data`` names Keras users know.

    ds = Dataset.from_tensor_slices((x, y)).shuffle(1000, seed=0).batch(32)
    model.fit(ds, epochs=5)
    for x_batch, y_batch in ds: ...                 # NumPy arrays

A Dataset is a recipe, re-run on every iteration (so every epoch reshuffles). Elements
keep the structure given to ``from_tensor_slices``: an array, a tuple ``(x, y)`` or
``(x, y, sample_weight)``, or a dict. Slicing, shuffling and batching of in-memory arrays
work on index arrays and take each batch with one fancy-indexing call (no Python loop over
samples); ``map`` calls its function once per element (per sample before ``batch``, per
batch after it).

Randomness: ``shuffle(seed=None)`` draws from ``glassnet.backend.rng()`` (so
``glassnet.utils.set_random_seed`` repeats it); ``shuffle(seed=s)`` has its own generator.
"""
from __future__ import annotations

import math

import numpy as np

from . import backend
from .layers.base import flatten, map_structure
from .tensor import Tensor

INFINITE = -1
UNKNOWN = -2


def _as_structure(tensors):
    """Arrays in the given structure (tuples stay tuples, dicts dicts, lists become tuples)."""
    if isinstance(tensors, dict):
        return {k: _as_structure(v) for k, v in tensors.items()}
    if isinstance(tensors, (tuple, list)) and tensors and not all(isinstance(t, (int, float)) for t in tensors):
        if isinstance(tensors, tuple) or all(isinstance(t, (np.ndarray, Tensor, dict, tuple)) for t in tensors):
            return tuple(_as_structure(t) for t in tensors)
    array = tensors.data if isinstance(tensors, Tensor) else np.asarray(tensors)
    if array.ndim == 0:
        raise ValueError("Dataset.from_tensor_slices: every component must have a first axis to slice; got a scalar")
    return array


def _stack(elements: list):
    """Stack a list of elements of the same structure into one batch element."""
    first = elements[0]
    if isinstance(first, dict):
        return {k: _stack([e[k] for e in elements]) for k in first}
    if isinstance(first, tuple):
        return tuple(_stack([e[i] for e in elements]) for i in range(len(first)))
    return np.stack([np.asarray(e) for e in elements])


def _buffered_order(order: np.ndarray, buffer_size: int, rng: np.random.Generator) -> np.ndarray:
    """tf.data's buffered shuffle, on indices: keep ``buffer_size`` candidates; emit a random
    one and refill its place with the next index."""
    out = np.empty_like(order)
    buffer = list(order[:buffer_size])
    picks = rng.random(len(order))
    position = buffer_size
    for k in range(len(order)):
        j = int(picks[k] * len(buffer))
        out[k] = buffer[j]
        if position < len(order):
            buffer[j] = order[position]
            position += 1
        else:
            buffer[j] = buffer[-1]
            buffer.pop()
    return out


class Dataset:
    """A re-iterable sequence of elements (see the module docstring).

    Build one with ``Dataset.from_tensor_slices``; transform it with ``shuffle``, ``batch``,
    ``map``, ``repeat``, ``take`` (each returns a new Dataset).
    """

    def __init__(self, make_iterator, cardinality=UNKNOWN, is_batched=False):
        self._make_iterator = make_iterator
        self._cardinality = cardinality
        self.is_batched = is_batched
        self._slices = None      # (structure of arrays, n) while elements are rows of arrays
        self._order = None       # () -> the row indices of one pass
        self._in_order = False   # the rows come in their stored order (slices are enough)

    @classmethod
    def from_tensor_slices(cls, tensors) -> "Dataset":
        """One element per row of ``tensors`` (an array, or a tuple/dict of arrays of the same length).

        Raises:
            ValueError: if the components have different lengths or are scalars.
        """
        structure = _as_structure(tensors)
        lengths = {leaf.shape[0] for leaf in flatten(structure)}
        if len(lengths) != 1:
            raise ValueError(f"Dataset.from_tensor_slices: all components must have the same length (first axis), "
                             f"got lengths {sorted(lengths)}")
        n = lengths.pop()
        return cls._of_slices(structure, n, lambda: np.arange(n), in_order=True)

    @classmethod
    def _of_slices(cls, structure, n, order, in_order=False) -> "Dataset":
        def rows():
            for i in order():
                yield map_structure(lambda a: a[i], structure)

        dataset = cls(rows, cardinality=n)
        dataset._slices, dataset._order, dataset._in_order = (structure, n), order, in_order
        return dataset

    # --- transformations ------------------------------------------------------------------
    def shuffle(self, buffer_size=True, seed=None, reshuffle_each_iteration=True) -> "Dataset":
        """Randomly reorder the elements.

        Args:
            buffer_size: how many elements to choose from at each draw (tf.data's buffer);
                True, or any size ≥ the number of elements, gives a uniform permutation.
            seed: an int for a generator of its own; None draws from ``backend.rng()``.
            reshuffle_each_iteration: a new order on every pass (False: the same one).
        """
        if buffer_size is not True and (isinstance(buffer_size, bool) or not isinstance(buffer_size, (int, np.integer))
                                        or buffer_size <= 0):
            raise ValueError(f"Dataset.shuffle: buffer_size must be a positive int or True, got {buffer_size!r}")
        own = np.random.default_rng(seed) if seed is not None else None

        def generator():
            if seed is None:
                return backend.rng()
            return own if reshuffle_each_iteration else np.random.default_rng(seed)

        def permute(order: np.ndarray) -> np.ndarray:
            rng = generator()
            if buffer_size is True or buffer_size >= len(order):
                return order[rng.permutation(len(order))]
            return _buffered_order(order, int(buffer_size), rng)

        if self._slices is not None:
            order = self._order
            return Dataset._of_slices(*self._slices, lambda: permute(order()))

        source = self

        def shuffled():
            elements = list(source)
            for i in permute(np.arange(len(elements))):
                yield elements[i]

        return Dataset(shuffled, self._cardinality, self.is_batched)

    def batch(self, batch_size, drop_remainder=False) -> "Dataset":
        """Group ``batch_size`` consecutive elements into one (each component stacked).

        The last batch is shorter unless ``drop_remainder``.
        """
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size <= 0:
            raise ValueError(f"Dataset.batch: batch_size must be a positive int, got {batch_size!r}")
        n = self._cardinality
        cardinality = n if n < 0 else (n // batch_size if drop_remainder else math.ceil(n / batch_size))
        if self._slices is not None:
            (structure, total), order, in_order = self._slices, self._order, self._in_order

            def batches():
                indices = None if in_order else order()
                for start in range(0, total, batch_size):
                    stop = min(start + batch_size, total)
                    if drop_remainder and stop - start < batch_size:
                        return
                    rows = slice(start, stop) if indices is None else indices[start:stop]
                    yield map_structure(lambda a: a[rows], structure)

            return Dataset(batches, cardinality, is_batched=True)
        source = self

        def grouped():
            group = []
            for element in source:
                group.append(element)
                if len(group) == batch_size:
                    yield _stack(group)
                    group = []
            if group and not drop_remainder:
                yield _stack(group)

        return Dataset(grouped, cardinality, is_batched=True)

    def map(self, map_func) -> "Dataset":
        """Apply ``map_func`` to every element; a tuple element is passed as arguments
        (``map(lambda x, y: (x / 255, y))``), as in tf.data."""
        if not callable(map_func):
            raise TypeError(f"Dataset.map: map_func must be callable, got {type(map_func).__name__}")
        source = self

        def mapped():
            for element in source:
                yield map_func(*element) if isinstance(element, tuple) else map_func(element)

        return Dataset(mapped, self._cardinality, self.is_batched)

    def repeat(self, count=None) -> "Dataset":
        """Pass over the data ``count`` times (forever if None); each pass reshuffles."""
        if count is not None and (isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 0):
            raise ValueError(f"Dataset.repeat: count must be a non-negative int or None, got {count!r}")
        source = self

        def repeated():
            k = 0
            while count is None or k < count:
                produced = False
                for element in source:
                    produced = True
                    yield element
                if not produced:
                    return
                k += 1

        n = self._cardinality
        cardinality = INFINITE if count is None and n != 0 else (n * count if n >= 0 else n)
        return Dataset(repeated, cardinality, self.is_batched)

    def take(self, count) -> "Dataset":
        """The first ``count`` elements."""
        if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 0:
            raise ValueError(f"Dataset.take: count must be a non-negative int, got {count!r}")
        source = self

        def taken():
            if count == 0:
                return
            for k, element in enumerate(source):
                yield element
                if k + 1 >= count:
                    return

        n = self._cardinality
        cardinality = count if n == INFINITE else (UNKNOWN if n == UNKNOWN else min(n, count))
        return Dataset(taken, cardinality, self.is_batched)

    # --- reading ------------------------------------------------------------------------
    def __iter__(self):
        return iter(self._make_iterator())

    def as_numpy_iterator(self):
        """An iterator over the elements (they already are NumPy arrays)."""
        return iter(self)

    def cardinality(self) -> int:
        """The number of elements; ``INFINITE`` (-1) or ``UNKNOWN`` (-2) when not finite/known."""
        return self._cardinality

    def __len__(self) -> int:
        if self._cardinality < 0:
            raise TypeError("len() of a Dataset that is infinite or of unknown length")
        return self._cardinality

    def __repr__(self) -> str:
        size = {INFINITE: "infinite", UNKNOWN: "unknown"}.get(self._cardinality, self._cardinality)
        return f"<Dataset elements={size} batched={self.is_batched}>"


__all__ = ["Dataset", "INFINITE", "UNKNOWN"]

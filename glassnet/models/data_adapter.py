"""From what ``fit``/``evaluate``/``predict`` are given to batches ``(x, y, sample_weight)``.

Accepted, as in Keras:

* arrays — NumPy arrays, Tensors, nested lists of numbers; a list/tuple of arrays or a
  dict of arrays for several inputs (or outputs). Batched here: ``batch_size`` rows at a
  time (32 by default), the last batch short, the order reshuffled each epoch with
  ``glassnet.backend.rng()`` when ``shuffle`` is on (so ``set_random_seed`` repeats it);
* a ``glassnet.data.Dataset`` that is batched, a generator, or any other iterable of
  batches ``x``, ``(x, y)`` or ``(x, y, sample_weight)``. A re-iterable source (a Dataset,
  a list of batches) starts over every epoch; a one-shot generator runs on across epochs.

All checks (lengths, emptiness, types, class_weight with sample_weight) happen here,
before training starts. Batches are NumPy arrays taken by slicing or fancy indexing, never
by a Python loop over samples.
"""
from __future__ import annotations

import math
import numbers
import warnings

import numpy as np

from .. import backend
from ..layers.base import flatten, map_structure
from ..tensor import Tensor


def to_arrays(data, argument: str, allow_strings: bool = False):
    """``data`` as NumPy arrays, keeping a list/tuple/dict of arrays as that structure.

    A list whose elements are arrays (or Tensors) is a structure (several inputs); any
    other list (numbers, nested lists) becomes one array. With ``allow_strings`` (model
    inputs ``x``), arrays of str/bytes/objects pass too, never cast: the model's "string"
    Input checks them.

    Raises:
        TypeError: for non-numeric data, naming ``argument``.
    """
    if data is None:
        return None
    if isinstance(data, dict):
        return {k: to_arrays(v, f"{argument}[{k!r}]", allow_strings) for k, v in data.items()}
    if isinstance(data, (list, tuple)) and data and all(isinstance(d, (np.ndarray, Tensor, dict)) for d in data):
        return [to_arrays(d, f"{argument}[{i}]", allow_strings) for i, d in enumerate(data)]
    array = data.data if isinstance(data, Tensor) else data
    if not isinstance(array, np.ndarray):
        array = array.to_numpy() if hasattr(array, "to_numpy") else np.asarray(array)
    if array.dtype == object:
        array = _numbers_of_object_array(array, argument, allow_strings)
    if array.dtype.kind not in "biuf" and not (allow_strings and array.dtype.kind in "USO"):
        raise TypeError(f"`{argument}` must be numeric (bool, int or float), got an array of dtype {array.dtype}")
    return array


def _numbers_of_object_array(array: np.ndarray, argument: str, allow_strings: bool) -> np.ndarray:
    """An object array (a pandas column of mixed types, ``np.array([...], dtype=object)``) as
    float64 when it holds numbers, so the finiteness check sees a NaN in it as it sees one in
    a float array; one that holds text (model inputs) stays as it is, for a "string" Input.

    Raises:
        TypeError: for entries that are neither numbers nor (where allowed) text.
    """
    text = (str, bytes, np.str_, np.bytes_)
    if allow_strings and any(isinstance(v, text) for v in array.flat):
        return array
    try:
        return array.astype(np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(f"`{argument}` must be numeric (bool, int or float), got an object array whose entries "
                        f"are not all numbers: {error}") from None


def unpack_batch(batch):
    """A batch from an iterable as ``(x, y, sample_weight)`` (Keras's rule: a tuple of 1–3)."""
    if isinstance(batch, list):
        batch = tuple(batch)
    if not isinstance(batch, tuple):
        return batch, None, None
    if len(batch) not in (1, 2, 3):
        raise ValueError(f"a batch must be x, (x,), (x, y) or (x, y, sample_weight); got a tuple of {len(batch)}")
    return tuple(batch) + (None,) * (3 - len(batch))


def class_weight_to_sample_weight(y: np.ndarray, class_weight: dict) -> np.ndarray:
    """One weight per sample: ``class_weight[class of the sample]`` (1 for classes not listed).

    The class is ``y`` itself for integer labels (shape (n,) or (n, 1)), rounded as Keras
    rounds float labels, and ``argmax(y)`` for one-hot rows. The lookup table has
    ``max(class_weight) + 1`` entries whatever the labels are, so a huge label costs nothing.

    Raises:
        ValueError: for labels that are not finite or are negative (no class index), naming
            the first such label and its index.
    """
    y = np.asarray(y)
    if y.ndim >= 2 and y.shape[-1] > 1:
        classes = np.argmax(y, axis=-1)
    else:
        labels = y.reshape(y.shape[0], -1)[:, 0] if y.ndim >= 2 else y
        if labels.dtype.kind == "f":
            bad = ~np.isfinite(labels)
            if bad.any():
                i = int(np.argmax(bad))
                raise ValueError(f"`class_weight` needs class labels in `y`, but y holds {labels[i]} at index {i} "
                                 f"({int(bad.sum())} non-finite label(s))")
            labels = np.round(labels)
        bad = labels < 0
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(f"`class_weight` needs class labels >= 0 in `y`, but y holds {labels[i]} at index {i} "
                             f"({int(bad.sum())} negative label(s)); a class index cannot be negative")
        classes = labels.astype(np.int64) if labels.dtype.kind == "f" else labels
    size = max(class_weight) + 1
    table = np.ones(size, dtype=backend.floatx())
    for c, w in class_weight.items():
        table[c] = w
    listed = classes < size                                   # an unlisted class weighs 1 (Keras's rule)
    return np.where(listed, table[np.where(listed, classes, 0)], table.dtype.type(1))


def check_class_weight(class_weight) -> None:
    """Raise unless ``class_weight`` is ``{class index (int >= 0): finite number}``.

    Checked for every way weights reach a step (arrays, a validation split's training part,
    a Dataset's batches) before any is cut: a NaN class weight makes the loss NaN, and every
    weight NaN after one update.
    """
    if not isinstance(class_weight, dict) or not class_weight:
        raise ValueError(f"`class_weight` must be a non-empty dict {{class index (int >= 0): weight}}, "
                         f"got {class_weight!r:.200}")
    for c, w in class_weight.items():
        if isinstance(c, bool) or not isinstance(c, (int, np.integer)) or c < 0:
            raise ValueError(f"`class_weight` keys must be class indices (ints >= 0), got the key {c!r} in "
                             f"{class_weight!r:.200}")
        if isinstance(w, (bool, np.bool_)) or not isinstance(w, numbers.Real) or not math.isfinite(w):
            raise ValueError(f"`class_weight` values must be finite numbers, got {w!r} for class {c}: a NaN or "
                             "infinite weight makes the loss, then every weight, NaN")


def _check_class_weight(class_weight, y, sample_weight) -> None:
    check_class_weight(class_weight)
    if sample_weight is not None:
        raise ValueError("You cannot use `class_weight` and `sample_weight` at the same time.")
    if isinstance(y, (list, tuple, dict)):
        raise ValueError("`class_weight` is only supported for models with a single output.")
    if y is None:
        raise ValueError("`class_weight` needs targets y")


class ArrayData:
    """In-memory arrays, cut into batches of ``batch_size`` rows.

    Args:
        x, y, sample_weight: arrays or structures of arrays with the same number of rows.
        batch_size: rows per batch (the last batch may be shorter).
        shuffle: draw a new order of the rows each epoch from ``backend.rng()``; "batch"
            keeps the rows of each batch together and shuffles the batches' order.
        class_weight: ``{class: weight}`` turned into per-sample weights (training only).
        owner: the calling method, for error messages.

    Raises:
        ValueError: for different row counts, no rows, or a bad batch_size.
    """

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, shuffle=False, class_weight=None,
                 owner="fit"):
        x, y = to_arrays(x, "x", allow_strings=True), to_arrays(y, "y")
        sample_weight = to_arrays(sample_weight, "sample_weight")
        if class_weight is not None:
            _check_class_weight(class_weight, y, sample_weight)
            sample_weight = class_weight_to_sample_weight(y, class_weight)
        batch_size = 32 if batch_size is None else batch_size
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size <= 0:
            raise ValueError(f"{owner}: `batch_size` must be a positive int, got {batch_size!r}")
        counts = {}
        for name, part in (("x", x), ("y", y), ("sample_weight", sample_weight)):
            for leaf in flatten(part) if part is not None else []:
                if leaf.ndim == 0:
                    raise ValueError(f"{owner}: `{name}` must have a batch axis, got a scalar")
                counts.setdefault(name, set()).add(leaf.shape[0])
        sizes = {n for s in counts.values() for n in s}
        if len(sizes) > 1:
            detail = ", ".join(f"{k} has {sorted(v)}" for k, v in counts.items())
            raise ValueError(f"{owner}: x, y and sample_weight must have the same number of samples; {detail}")
        self.num_samples = sizes.pop() if sizes else 0
        if self.num_samples == 0:
            raise ValueError(f"{owner}: the data is empty (0 samples); expected at least one sample")
        self.x, self.y, self.sample_weight = x, y, sample_weight
        self.batch_size = int(batch_size)
        if shuffle not in (True, False, "batch"):
            raise ValueError(f"{owner}: `shuffle` must be True, False or 'batch', got {shuffle!r}")
        self.shuffle = shuffle
        self.steps = math.ceil(self.num_samples / self.batch_size)

    def split(self, validation_split: float, class_weight=None, owner: str = "fit"):
        """(train, validation): the last ``validation_split`` fraction of the rows, taken before
        any shuffling, becomes the validation data (Keras's rule). ``class_weight`` applies to
        the training part only."""
        split_at = int(math.floor(self.num_samples * (1.0 - validation_split)))
        if split_at == 0 or split_at == self.num_samples:
            raise ValueError(f"{owner}: validation_split={validation_split} leaves "
                             f"{'no training' if split_at == 0 else 'no validation'} samples out of "
                             f"{self.num_samples}; use a smaller or larger fraction")

        def part(structure, rows):
            return None if structure is None else map_structure(lambda a: a[rows], structure)

        head, tail = slice(0, split_at), slice(split_at, None)
        train = ArrayData(part(self.x, head), part(self.y, head), part(self.sample_weight, head),
                          self.batch_size, self.shuffle, class_weight, owner=owner)
        val = ArrayData(part(self.x, tail), part(self.y, tail), part(self.sample_weight, tail),
                        self.batch_size, False, owner=owner)
        return train, val

    def __iter__(self):
        """One epoch of ``(x, y, sample_weight)`` batches."""
        starts = np.arange(0, self.num_samples, self.batch_size)
        order = None
        if self.shuffle == "batch":  # Keras's "batch" mode: the batches' order, not the rows'
            starts = starts[backend.rng().permutation(len(starts))]
        elif self.shuffle:
            order = backend.rng().permutation(self.num_samples)
        for start in starts:
            rows = slice(start, start + self.batch_size) if order is None else order[start:start + self.batch_size]

            def take(structure):
                return None if structure is None else map_structure(lambda a: a[rows], structure)

            yield take(self.x), take(self.y), take(self.sample_weight)


class IterableData:
    """Batches from a Dataset, a generator or another iterable (see the module docstring)."""

    def __init__(self, source, class_weight=None, owner="fit"):
        from ..data import Dataset

        if isinstance(source, Dataset) and not source.is_batched:
            raise ValueError(f"{owner}: the Dataset yields single samples; call .batch(batch_size) on it first")
        self.source = source
        self.class_weight = class_weight
        if class_weight is not None:
            check_class_weight(class_weight)
        self.reiterable = iter(source) is not source
        self._iterator = None if self.reiterable else source
        try:
            self.steps = len(source)
        except TypeError:
            self.steps = None

    def __iter__(self):
        iterator = iter(self.source) if self.reiterable else self._iterator
        for batch in iterator:
            x, y, sample_weight = unpack_batch(batch)
            x, y, sample_weight = (to_arrays(x, "x", allow_strings=True), to_arrays(y, "y"),
                                   to_arrays(sample_weight, "sample_weight"))
            if self.class_weight is not None:
                _check_class_weight(self.class_weight, y, sample_weight)
                sample_weight = class_weight_to_sample_weight(y, self.class_weight)
            yield x, y, sample_weight


def is_iterable_source(x) -> bool:
    """True for a Dataset, generator or iterable of batches (not for array data)."""
    if x is None or isinstance(x, (np.ndarray, Tensor, list, tuple, dict, str, bytes)):
        return False
    return hasattr(x, "__iter__") or hasattr(x, "__next__")


def adapt(x, y=None, sample_weight=None, batch_size=None, shuffle=False, class_weight=None, owner="fit"):
    """``ArrayData`` or ``IterableData`` for what the user passed.

    Raises:
        ValueError: if y or sample_weight is given alongside a Dataset/generator (they come
            from its batches), or any check of ``ArrayData`` fails.
    """
    if x is None:
        raise ValueError(f"{owner}: `x` is required (got None)")
    if is_iterable_source(x):
        for name, value in (("y", y), ("sample_weight", sample_weight)):
            if value is not None:
                raise ValueError(f"{owner}: `{name}` must not be given when x is a Dataset or generator; its "
                                 f"batches must be (x, y) or (x, y, sample_weight)")
        return IterableData(x, class_weight=class_weight, owner=owner)
    return ArrayData(x, y, sample_weight, batch_size, shuffle, class_weight, owner=owner)


class EpochIterator:
    """Epochs of batches, of ``steps`` batches each when ``steps`` is given.

    Without ``steps`` an epoch is one pass over the data. With ``steps``, batches are drawn
    from one running iterator, restarted (re-shuffled) whenever a re-iterable source runs
    out. A one-shot generator that runs out ends the epoch and sets ``exhausted``;
    ``batches_seen`` counts the batches of the current epoch.
    """

    def __init__(self, data, steps=None, owner="fit", argument="steps_per_epoch"):
        if steps is not None and (isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps <= 0):
            raise ValueError(f"{owner}: `{argument}` must be a positive int or None, got {steps!r}")
        from ..config import max_steps_per_epoch
        cap = max_steps_per_epoch()
        if cap and (steps if steps is not None else data.steps or cap + 1) > cap:
            warnings.warn(f"Limiting {argument} to {cap} (glassnet.config.set_max_steps_per_epoch)", stacklevel=3)
            steps = cap
        self.data = data
        self.steps = steps if steps is not None else data.steps
        self._fixed_steps = steps
        self._iterator = None
        self.exhausted = False
        self.batches_seen = 0  # in the current (or last) epoch

    def __iter__(self):
        self.batches_seen = 0
        if self._fixed_steps is None:
            for batch in self.data:
                self.batches_seen += 1
                yield batch
            if self.batches_seen == 0:
                self._ran_out()
            return
        for _ in range(self._fixed_steps):
            batch = self._next()
            if batch is None:
                return
            self.batches_seen += 1
            yield batch

    def _next(self):
        for attempt in range(2):
            if self._iterator is None:
                self._iterator = iter(self.data)
            try:
                return next(self._iterator)
            except StopIteration:
                self._iterator = None
                if not getattr(self.data, "reiterable", True) or attempt == 1:
                    break
        self._ran_out()
        return None

    def _ran_out(self) -> None:
        self.exhausted = True
        warnings.warn("Your input ran out of data; interrupting training. Make sure that your dataset or "
                      "generator can generate at least `steps_per_epoch * epochs` batches (use .repeat()).",
                      stacklevel=4)

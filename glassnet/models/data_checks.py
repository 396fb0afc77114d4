"""Checks of the *values* of the data, done before any training step changes a weight.

``data_adapter.py`` checks the data's form (types, lengths, emptiness); this module checks
what is in it, with one vectorised NumPy pass per array:

* every float array of x, y and sample_weight is finite (no NaN, no ±inf): one NaN in the
  inputs makes every weight NaN after the first update, and nothing can undo that;
* the targets fit the loss:

  ==============================  ====================================================
  loss                            each target must be
  ==============================  ====================================================
  sparse categorical CE           an integer (or integral float) class t ∈ [0, K),
                                  K the size of the model output's class axis (when
                                  the model knows it); ``ignore_class`` entries pass
  binary CE, binary focal CE      a probability y ∈ [0, 1]
  ==============================  ====================================================

Array data is checked once, whole, before the first step; batches from a Dataset or a
generator are checked one by one, each before its step (``CheckedBatches``). Each error
names the argument, the index of the first bad entry, its value and how many are bad.
"""
from __future__ import annotations

import numpy as np

from .. import losses as losses_module


def _leaves(structure, argument: str):
    """(``argument`` with the path to the leaf, leaf) for each array of a list/tuple/dict."""
    if isinstance(structure, dict):
        for key, value in structure.items():
            yield from _leaves(value, f"{argument}[{key!r}]")
    elif isinstance(structure, (list, tuple)):
        for i, value in enumerate(structure):
            yield from _leaves(value, f"{argument}[{i}]")
    elif structure is not None:
        yield argument, structure


def _first_index(bad: np.ndarray):
    """The index of the first True entry (a tuple, or an int for 1-D)."""
    index = tuple(int(i) for i in np.unravel_index(int(np.argmax(bad)), bad.shape))
    return index[0] if len(index) == 1 else index


def _all_finite(array: np.ndarray) -> bool:
    """Whether every element is finite, in one cheap pass: the row sums, as one BLAS
    product with a vector of ones (multi-threaded, ~4x faster than ``isfinite(a).all()``),
    are non-finite if any element is NaN or ±inf. Only then — bad data, or finite values
    whose sum overflows — is every element tested."""
    if array.size == 0:
        return True
    if array.size <= 4096:                        # small (one prediction): the direct test is cheaper
        return bool(np.isfinite(array).all())
    rows = array.reshape(len(array), -1) if array.ndim > 1 else array.reshape(1, -1)   # one row per sample
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(rows @ np.ones(rows.shape[1], dtype=array.dtype)).all():
            return True
    return bool(np.isfinite(array).all())


def check_finite(structure, argument: str, where: str) -> None:
    """Raise if a float array in ``structure`` holds NaN or ±inf.

    Args:
        structure: an array or a list/tuple/dict of arrays (other dtypes are skipped).
        argument: its name in the error ("x", "y", "sample_weight").
        where: the caller and the data, e.g. "fit" or "fit (validation_data)".

    Raises:
        ValueError: naming the argument, the first bad index and value, and the count.
    """
    for name, array in _leaves(structure, argument):
        if not isinstance(array, np.ndarray) or array.dtype.kind not in "fc":
            continue
        if _all_finite(array):
            continue
        bad = ~np.isfinite(array)
        index = _first_index(bad)
        raise ValueError(
            f"{where}: `{name}` contains {int(bad.sum())} NaN or infinite value(s) out of {array.size}; the first is "
            f"{array[index]} at index {index}. Remove or impute them first (e.g. with np.nan_to_num or by "
            "dropping those rows): a single NaN makes every weight NaN after one update")


def loss_target_rule(loss):
    """("sparse", ignore_class, axis), ("binary", None, None) or None: what ``loss`` asks of its targets."""
    fn = getattr(loss, "fn", None)
    arguments = getattr(loss, "_fn_kwargs", {})
    if fn is losses_module.sparse_categorical_crossentropy:
        return "sparse", arguments.get("ignore_class"), arguments.get("axis", -1)
    if fn in (losses_module.binary_crossentropy, losses_module.binary_focal_crossentropy):
        return "binary", None, None
    return None


def check_targets(y, loss, output_shape, argument: str, where: str) -> None:
    """Raise if the targets ``y`` of one output cannot be targets of ``loss``.

    Args:
        y: the target array of one output.
        loss: the ``Loss`` of that output.
        output_shape: the output's shape (batch axis None), or None when unknown.
        argument, where: for the error message (see ``check_finite``).

    Raises:
        ValueError: for sparse labels that are not integers in [0, K), or binary targets
            outside [0, 1] — naming the first bad index and value and the count.
    """
    rule = loss_target_rule(loss)
    if rule is None or not isinstance(y, np.ndarray) or y.dtype.kind not in "biuf" or y.size == 0:
        return
    kind, ignore_class, axis = rule
    name = getattr(loss, "name", kind)
    if kind == "binary":
        bad = (y < 0) | (y > 1)
        expected = "targets in [0, 1] (probabilities or 0/1 labels)"
    else:
        num_classes = None
        if output_shape is not None and len(output_shape) and -len(output_shape) <= axis < len(output_shape):
            num_classes = output_shape[axis]
        kept = np.ones(y.shape, dtype=bool) if ignore_class is None else y != ignore_class
        bad = kept & (y < 0)
        if y.dtype.kind == "f":
            bad |= kept & (y != np.floor(y))
        if num_classes is not None:
            bad |= kept & (y >= num_classes)
        if num_classes is not None:
            expected = f"integer class labels in [0, {num_classes}) (the model's output has {num_classes} classes)"
        else:
            expected = "integer class labels >= 0"
        if ignore_class is not None:
            expected += f", or the ignore_class {ignore_class}"
    if bad.any():
        index = _first_index(bad)
        raise ValueError(f"{where}: `{argument}` holds {int(bad.sum())} invalid target(s) for the loss {name!r}, "
                         f"which expects {expected}; the first is {y[index]} at index {index}")


class CheckedBatches:
    """Batches of a Dataset or generator, each checked (``check_batch``) before it is used.

    Looks like the data it wraps to ``EpochIterator`` (``steps``, ``reiterable``).
    """

    def __init__(self, data, check_batch, where: str):
        self.data = data
        self.check_batch = check_batch
        self.where = where
        self.steps = data.steps
        self.reiterable = getattr(data, "reiterable", True)

    def __iter__(self):
        for number, (x, y, sample_weight) in enumerate(self.data):
            self.check_batch(x, y, sample_weight, f"{self.where}, batch {number}")
            yield x, y, sample_weight

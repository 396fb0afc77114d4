"""Checks and normalisations of layer arguments, shared by every layer family."""
from __future__ import annotations

import numbers

import numpy as np

from ..ops.axes import is_int


MAX_SIZE = 2 ** 31 - 1
"""The largest size, stride or count an argument may ask for (Keras's int32 shapes); a larger
one is a typo, and would otherwise end in NumPy's OverflowError or a many-GiB allocation."""


def check_positive_int(owner: str, name: str, value) -> int:
    """``value`` as an int, or a ValueError naming the argument if it is not an int in [1, 2³¹ − 1]."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 < value <= MAX_SIZE:
        limit = f" (at most {MAX_SIZE})" if is_int(value) and value > MAX_SIZE else ""
        raise ValueError(f"{owner}: {name} must be a positive int, got {value!r}{limit}")
    return int(value)


def check_bool(owner: str, name: str, value) -> bool:
    """``value`` as a bool: True/False (or 0/1); a string such as "false" or an array is a
    ValueError naming the argument, not silently True."""
    if isinstance(value, (bool, np.bool_)) or (is_int(value) and value in (0, 1)):
        return bool(value)
    raise ValueError(f"{owner}: {name} must be True or False, got {value!r}")


def int_tuple(owner: str, name: str, value, allow_empty: bool = False) -> tuple:
    """An int or a list/tuple of ints (axes, dims, a shape) as a tuple of ints.

    Anything else — a float, None, a string, a layer, a list holding a bool — is a
    ValueError naming the layer and the argument (not Python's "object is not iterable").
    """
    if is_int(value):
        return (int(value),)
    if isinstance(value, (list, tuple)) and all(is_int(v) for v in value) and (value or allow_empty):
        return tuple(int(v) for v in value)
    raise ValueError(f"{owner}: {name} must be an int or a {'' if allow_empty else 'non-empty '}list/tuple of ints, "
                     f"got {value!r}")


def normalize_tuple(owner: str, name: str, value, rank: int, allow_zero: bool = False) -> tuple:
    """An int or a sequence of ``rank`` ints as a tuple of ``rank`` ints (Keras's rule).

    ``kernel_size=3`` for a 2-D layer becomes (3, 3). Every entry must be a positive int
    (or ≥ 0 with ``allow_zero``, as for padding widths); otherwise a ValueError names the
    layer, the argument and the value.
    """
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        values = (int(value),) * rank
    else:
        try:
            values = tuple(value)
        except TypeError:
            raise ValueError(f"{owner}: {name} must be an int or a tuple of {rank} ints, got {value!r}") from None
        if len(values) != rank:
            raise ValueError(f"{owner}: {name} must be an int or a tuple of {rank} ints, got {value!r}")
    lowest = 0 if allow_zero else 1
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or not lowest <= v <= MAX_SIZE:
            kind = "non-negative" if allow_zero else "positive"
            raise ValueError(f"{owner}: {name} must be {kind} ints, got {value!r}")
    return tuple(int(v) for v in values)


def normalize_padding(owner: str, value, allowed=("valid", "same")) -> str:
    """A padding name, lower-cased, checked against ``allowed`` (a ValueError names both)."""
    padding = value.lower() if isinstance(value, str) else value
    if padding not in allowed:
        raise ValueError(f"{owner}: padding must be one of {allowed}, got {value!r}")
    return padding


def normalize_data_format(owner: str, value) -> str:
    """glassnet is channels-last, as Keras's default; "channels_first" is refused clearly."""
    if value is None or value == "channels_last":
        return "channels_last"
    if value == "channels_first":
        raise ValueError(f"{owner}: glassnet works channels-last (batch, ..., channels); "
                         f"data_format='channels_first' is not supported — transpose the input instead")
    raise ValueError(f"{owner}: data_format must be 'channels_last', got {value!r}")


def spatial_pairs(owner: str, name: str, value, rank: int) -> tuple:
    """Keras's forms of a per-side amount as ``rank`` (before, after) pairs of ints ≥ 0.

    An int p → (p, p) on every axis; for 1 axis, a pair (a, b); for 2 axes, two entries
    each an int (symmetric) or a pair: ``(2, 3)`` → ((2, 2), (3, 3)),
    ``((1, 2), (3, 4))`` → ((1, 2), (3, 4)). Anything else is a ValueError naming ``name``.
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return (normalize_tuple(owner, name, value, 2, allow_zero=True),) * rank
    if rank == 1:
        return (normalize_tuple(owner, name, value, 2, allow_zero=True),)
    try:
        entries = tuple(value)
    except TypeError:
        entries = ()
    if len(entries) != rank:
        raise ValueError(f"{owner}: {name} must be an int, a tuple of {rank} ints, or a tuple of {rank} "
                         f"(before, after) pairs, got {value!r}")
    return tuple(normalize_tuple(owner, f"{name}[{i}]", entry, 2, allow_zero=True) for i, entry in enumerate(entries))


def check_spatial_rank(layer, shape, rank) -> None:
    """A ValueError naming the layer unless ``shape`` is (batch, ``rank`` spatial axes, channels)."""
    if len(shape) != rank + 2:
        wanted = "(batch, steps, channels)" if rank == 1 else "(batch, height, width, channels)"
        raise ValueError(f"{layer.name}: expected a {rank + 2}-D input {wanted}, got shape {tuple(shape)}")

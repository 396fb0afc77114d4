"""Axis arguments, checked once for every op that takes one.

A tensor of rank n has axes 0 … n−1; an axis may also be given from the end, −n … −1,
and stands for ``axis mod n``. A 0-d tensor (a scalar) has no axes at all, so any int
axis is out of range for it (as in NumPy); ``None`` ("every axis") and ``()`` are fine.

    canonical_axis(-1, 3)            -> 2
    canonical_axes((2, -3), 3)       -> (0, 2)          sorted, for reductions
    canonical_axes(None, 3)          -> (0, 1, 2)
    permutation((1, 0, 2), 3)        -> (1, 0, 2)       for transpose
    canonical_axis(1.5, 3)           -> TypeError:  axis must be an int, got 1.5
    canonical_axis(5, 3)             -> ValueError: axis 5 is out of range for a tensor of rank 3

Every reduction, shape op and layer with an ``axis`` argument goes through these
helpers, so the rules (and the messages, which name the op and the argument) are the
same everywhere. Bools are not axes (``True`` would silently mean 1), and neither are
floats, strings or None where an int is needed.
"""
from __future__ import annotations

import numbers

import numpy as np


def _where(owner: str, name: str) -> str:
    return f"{owner}: {name}" if owner else name


def is_int(value) -> bool:
    """True for a Python or NumPy integer, False for bools and everything else."""
    return isinstance(value, (numbers.Integral, np.integer)) and not isinstance(value, (bool, np.bool_))


def canonical_axis(axis, ndim: int, owner: str = "", name: str = "axis") -> int:
    """One axis of a rank-``ndim`` tensor as a non-negative int.

    Args:
        axis: an int in [−ndim, ndim).
        ndim: the rank of the tensor.
        owner: the op or layer named in the error messages.
        name: the argument's name in the error messages.

    Raises:
        TypeError: ``axis`` is not an int.
        ValueError: ``axis`` is out of range.
    """
    if not is_int(axis):
        raise TypeError(f"{_where(owner, name)} must be an int, got {axis!r} ({type(axis).__name__})")
    axis = int(axis)
    if not -ndim <= axis < ndim:
        raise ValueError(f"{_where(owner, name)} {axis} is out of range for a tensor of rank {ndim}"
                         + (f" (valid: {-ndim} … {ndim - 1})" if ndim else " (a 0-d tensor has no axes)"))
    return axis % ndim


def axis_list(axis, owner: str = "", name: str = "axis") -> list:
    """An int or a sequence of ints as a list, unchecked against a rank (for layer arguments).

    Raises:
        TypeError: ``axis`` is neither an int nor a list/tuple of ints.
    """
    if is_int(axis):
        return [int(axis)]
    if isinstance(axis, (list, tuple)) and all(is_int(a) for a in axis):
        return [int(a) for a in axis]
    raise TypeError(f"{_where(owner, name)} must be an int or a list/tuple of ints, got {axis!r}")


def canonical_axes(axis, ndim: int, owner: str = "", name: str = "axis") -> tuple:
    """An axis argument of a reduction (None, an int, or a sequence of ints) as a sorted tuple.

    ``None`` means every axis. Repeated axes are refused (``(1, -2)`` on a rank-3 tensor is
    axis 1 twice), as NumPy refuses them. As NumPy's reductions do, a 0-d tensor accepts
    axis 0 or −1 and reduces over nothing (the result is the value itself).

    Raises:
        TypeError: an entry is not an int, or ``axis`` is not an int/sequence.
        ValueError: an entry is out of range, or an axis is repeated.
    """
    if axis is None:
        return tuple(range(ndim))
    if ndim == 0 and is_int(axis) and axis in (0, -1):
        return ()
    if is_int(axis):
        return (canonical_axis(axis, ndim, owner, name),)
    if not isinstance(axis, (list, tuple, range, np.ndarray)) or np.ndim(axis) != 1:
        raise TypeError(f"{_where(owner, name)} must be None, an int or a tuple of ints, got {axis!r}")
    axes = [canonical_axis(a, ndim, owner, name) for a in axis]
    if len(set(axes)) != len(axes):
        raise ValueError(f"{_where(owner, name)} {tuple(axis)} repeats an axis of a tensor of rank {ndim}")
    return tuple(sorted(axes))


def permutation(axes, ndim: int, owner: str = "transpose", name: str = "axes") -> tuple:
    """A permutation of the ``ndim`` axes (``None``: reversed), every entry checked.

    Raises:
        TypeError: ``axes`` is not None or a sequence of ints.
        ValueError: an entry is out of range, or ``axes`` is not a permutation of all axes.
    """
    if axes is None:
        return tuple(range(ndim))[::-1]
    if not isinstance(axes, (list, tuple, range, np.ndarray)) or np.ndim(axes) != 1:
        raise TypeError(f"{_where(owner, name)} must be None or a sequence of ints, got {axes!r}")
    out = tuple(canonical_axis(a, ndim, owner, f"{name} entry") for a in list(axes))
    if sorted(out) != list(range(ndim)):
        raise ValueError(f"{_where(owner, name)} {tuple(axes)} is not a permutation of the {ndim} axes")
    return out

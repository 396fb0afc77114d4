"""Checking an optimizer's hyperparameters (shared by every optimizer and schedule)."""
from __future__ import annotations

import math
import numbers


def check_number(owner: str, name: str, value, low=None, high=None, *, low_open=False, high_open=False):
    """Validate a hyperparameter; returns it as a float.

    Args:
        owner: the class name, for the message.
        name: the argument's name, for the message.
        value: the value to check (a real number, not bool).
        low, high: bounds (None for none).
        low_open, high_open: whether the bound itself is excluded.

    Raises:
        ValueError: naming the argument, the value and the expected range.
    """
    left = "(" if low_open else "["
    right = ")" if high_open else "]"
    expected = f"in {left}{'-inf' if low is None else low}, {'inf' if high is None else high}{right}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or math.isnan(value):
        raise ValueError(f"{owner}: argument `{name}` must be a number {expected}, got {value!r}")
    value = float(value)
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and (value >= high if high_open else value > high)
    if too_low or too_high:
        raise ValueError(f"{owner}: argument `{name}` must be {expected}, got {value!r}")
    return value

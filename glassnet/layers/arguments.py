"""Checks and normalisations of layer arguments, shared by every layer family."""
from __future__ import annotations

import numpy as np


def check_positive_int(owner: str, name: str, value) -> int:
    """``value`` as an int, or a ValueError naming the argument if it is not a positive int."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{owner}: {name} must be a positive int, got {value!r}")
    return int(value)

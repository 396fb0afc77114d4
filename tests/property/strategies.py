"""Hypothesis strategies shared by the property tests: hostile values, arrays, axes."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

# Values a user might pass by mistake where an int, a float, a name or a shape is expected.
HOSTILE_SCALARS = st.sampled_from([
    None, True, False, 0, -1, -7, 1, 2, 3, 2 ** 31, 2 ** 70, 0.0, -0.0, 0.5, 1.5, -2.5, 1e308,
    float("nan"), float("inf"), -float("inf"), "", "x", "relu", "mse", "None", b"bytes",
    [], (), [1, 2], (2, "a"), [None], {}, {"a": 1}, np.int64(2), np.float32(0.5), np.array([1, 2]),
    object(), len,
])

HOSTILE = st.one_of(
    HOSTILE_SCALARS,
    st.integers(-10, 10),
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.text(max_size=6),
    st.lists(st.integers(-4, 6), max_size=4).map(tuple),
)

FLOAT_DTYPES = st.sampled_from([np.float32, np.float64])
SHAPES = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4)


def float_arrays(shape=SHAPES, dtype=FLOAT_DTYPES, finite=False):
    """Float arrays of any rank 0–4 (sides 0–4), with NaN and ±inf unless ``finite``."""
    elements = st.floats(-1e3, 1e3, width=32) if finite else st.floats(width=32, allow_nan=True,
                                                                      allow_infinity=True)
    return hnp.arrays(dtype=dtype, shape=shape, elements=elements)


def axis_arguments(max_rank: int = 5):
    """Axis arguments, good and bad: None, ints (some out of range), tuples (some repeated),
    and the wrong types (floats, bools, strings)."""
    return st.one_of(
        st.none(),
        st.integers(-max_rank - 1, max_rank),
        st.lists(st.integers(-max_rank, max_rank), max_size=4).map(tuple),
        st.sampled_from([1.5, 0.0, True, "0", [0.5], (0, None)]),
    )

"""``glassnet.device(name)``: Keras's ``with keras.device("cpu:0"):`` scope.

glassnet computes where its array module lives: NumPy on the CPU, or CuPy on the GPU after
``glassnet.backend.set_array_module("cupy")``. The scope checks that the device asked for
is that one and says so clearly when it is not; it moves nothing (there is one device at a
time), so code written for Keras that pins work to the CPU runs unchanged.
"""
from __future__ import annotations

import contextlib

from . import backend

_KINDS = {"numpy": "cpu", "cupy": "gpu"}


@contextlib.contextmanager
def device(device_name: str):
    """A scope for computing on ``device_name`` ("cpu", "cpu:0", or "gpu"/"cuda" when the array
    module is CuPy).

    Raises:
        ValueError: for a malformed name, or a device that is not the one glassnet computes on.
    """
    if not isinstance(device_name, str) or not device_name:
        raise ValueError(f"device: expected a name such as 'cpu:0', got {device_name!r}")
    kind, _, index = device_name.lower().partition(":")
    kind = {"cuda": "gpu"}.get(kind, kind)
    if kind not in ("cpu", "gpu") or (index and not index.isdigit()):
        raise ValueError(f"device: expected 'cpu', 'cpu:N', 'gpu:N' or 'cuda:N', got {device_name!r}")
    current = _KINDS.get(backend.backend(), "cpu")
    if kind != current:
        raise ValueError(f"device: glassnet computes on the {current} ({backend.backend()}); "
                         f"{device_name!r} is not available"
                         + ("; call glassnet.backend.set_array_module('cupy') for a GPU" if kind == "gpu" else ""))
    yield device_name

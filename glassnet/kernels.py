"""The switch of the optional compiled kernels (Numba), shared by every module that has some.

Kernels are an accelerator, never the lesson: each has a NumPy twin that stays the reference,
and the tests check that both give the same numbers. They are used when Numba is installed
(``pip install glassnet[fast]``); ``set_enabled(False)`` or ``GLASSNET_KERNELS=0`` turns them
all off. The kernels themselves live next to what they speed up: ``optimizers/kernels.py``
(Adam's update), ``ops/pool_kernels.py`` (max pooling).
"""
from __future__ import annotations

import os

_wanted = os.environ.get("GLASSNET_KERNELS", "1").strip().lower() not in ("0", "false", "no", "off")
_numba = None             # the numba module once imported; False if it is missing


def set_enabled(value: bool) -> None:
    """Use the compiled kernels where they apply (default, when Numba is installed), or never."""
    global _wanted
    _wanted = bool(value)


def wanted() -> bool:
    """Whether kernels are switched on (they also need Numba: see ``numba_module``)."""
    return _wanted


def numba_module():
    """The ``numba`` module, or None when it is not installed."""
    global _numba
    if _numba is None:
        try:
            import numba
        except ImportError:
            _numba = False
        else:
            _numba = numba
    return _numba or None


def enabled() -> bool:
    """Whether compiled kernels are in use now (switched on, and Numba importable)."""
    return _wanted and numba_module() is not None


class Compiled:
    """Kernels compiled on first use: ``Compiled(build).get()`` is ``build()``'s namespace of
    compiled functions (built once; Numba caches the machine code on disk), or None without Numba."""

    def __init__(self, build):
        self._build = build
        self._namespace = None            # None: not built yet; False: Numba missing

    def get(self):
        if self._namespace is None:
            self._namespace = self._build() if numba_module() is not None else False
        return self._namespace or None

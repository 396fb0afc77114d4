"""The state of glassnet's random stream in a file: saved as JSON, checked field by field.

``backend.rng()`` is a ``numpy.random.Generator``; its bit generator's ``.state`` is a
dict of plain ints, e.g. for PCG64 (NumPy's default)::

    {"bit_generator": "PCG64",
     "state": {"state": <128-bit int>, "inc": <128-bit odd int>},
     "has_uint32": 0 or 1, "uinteger": <32-bit int>}

A file may hold anything there. ``check`` validates the structure it knows (the types and
ranges of every field of PCG64 and PCG64DXSM) and then sets the state on a *throwaway*
generator of the same kind, so whatever NumPy itself refuses (any field of MT19937,
Philox, SFC64) is refused too — all before the real stream is touched, as a
``ValueError`` naming the file, never an ``OverflowError`` or ``KeyError``.
"""
from __future__ import annotations

import warnings

import numpy as np

from .. import backend
from .bounded_reading import BadFileError

BIT_GENERATORS = {"PCG64": np.random.PCG64, "PCG64DXSM": np.random.PCG64DXSM, "MT19937": np.random.MT19937,
                  "Philox": np.random.Philox, "SFC64": np.random.SFC64}
_UINT128 = 1 << 128
_UINT32 = 1 << 32


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def current():
    """The state of glassnet's stream as a JSON-able dict (None for an unknown bit generator)."""
    bit_generator = backend.rng().bit_generator
    return bit_generator.state if type(bit_generator).__name__ in BIT_GENERATORS else None


def check(state, filepath: str, entry: str = "metadata.json") -> None:
    """Raise ``ValueError`` (naming the file) unless ``state`` is None or a valid bit-generator state."""
    if state is None:
        return
    where = f"{filepath!r}: entry {entry!r}: 'rng_state'"
    if not isinstance(state, dict) or not isinstance(state.get("bit_generator"), str) \
            or state["bit_generator"] not in BIT_GENERATORS:
        raise BadFileError(f"{where} is not a NumPy bit-generator state (expected a dict whose 'bit_generator' is "
                           f"one of {sorted(BIT_GENERATORS)}), got {state!r:.120}")
    kind = state["bit_generator"]
    if kind in ("PCG64", "PCG64DXSM"):
        inner = state.get("state")
        if set(state) != {"bit_generator", "state", "has_uint32", "uinteger"} or not isinstance(inner, dict) \
                or set(inner) != {"state", "inc"}:
            raise BadFileError(f"{where}: a {kind} state has the fields bit_generator, state {{state, inc}}, "
                               f"has_uint32 and uinteger, got {state!r:.120}")
        for name, value, high in (("state.state", inner["state"], _UINT128), ("state.inc", inner["inc"], _UINT128),
                                  ("has_uint32", state["has_uint32"], 2), ("uinteger", state["uinteger"], _UINT32)):
            if not _is_int(value) or not 0 <= value < high:
                raise BadFileError(f"{where}: field {name!r} must be an int in [0, {high}), got {value!r:.80}")
    try:
        BIT_GENERATORS[kind]().state = state            # NumPy's own check, on a throwaway generator
    except (TypeError, ValueError, KeyError, IndexError, OverflowError, AttributeError) as error:
        raise BadFileError(f"{where} is invalid for {kind} ({type(error).__name__}: {error})") from None


def restore(state, filepath: str, function: str = "load_model") -> None:
    """Set glassnet's stream to ``state`` (checked with ``check`` first); warn if the kinds differ."""
    if state is None:
        return
    check(state, filepath)
    bit_generator = backend.rng().bit_generator
    if type(bit_generator).__name__ != state["bit_generator"]:
        warnings.warn(f"{function}: {filepath!r} saved a {state['bit_generator']} random state but glassnet's "
                      f"generator is a {type(bit_generator).__name__}; the random stream is not restored", stacklevel=3)
        return
    bit_generator.state = state

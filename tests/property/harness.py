"""The property every hostile call must satisfy, and a tally of the outcomes per API group.

A call made with generated (often hostile) arguments has exactly three acceptable fates:

* it **works**, and the result is right — checked by ``verify`` against a NumPy reference
  where one exists;
* it is **refused** with one of glassnet's documented exception types (``ValueError`` or
  ``TypeError``; ``OSError`` for files) whose message names the argument, the op or the
  layer at fault — what a user needs to mend the call;
* nothing else. A raw internal exception (``IndexError``, ``AttributeError``,
  ``ZeroDivisionError``, ``KeyError`` …), a ``TypeError`` that is Python's own complaint
  ("'float' object is not iterable", "has no attribute"), or a wrong answer fails the test.

``check_call`` applies that rule and counts the outcome under its group ("ops", "layers",
…); ``tests/property/conftest.py`` prints the counts at the end of the run (and writes them
as JSON to ``$GLASSNET_PROPERTY_REPORT`` when set), for the release note.
"""
from __future__ import annotations

import collections
import os
import re

import numpy as np

DOCUMENTED = (ValueError, TypeError)

# Python's and NumPy's own words: a refusal that says these was not written by glassnet.
RAW_MESSAGES = re.compile(
    r"object is not iterable|has no attribute|object is not subscriptable|unsupported operand|"
    r"index out of range|object is not callable|cannot be interpreted as an integer|"
    r"not supported between instances|argument must be a string or a (real )?number|"
    r"missing \d+ required positional|only integer scalar arrays|integer modulo by zero|"
    r"division by zero|unhashable type|object cannot be safely|list indices must be")

TALLY: collections.Counter = collections.Counter()
_LOG = os.environ.get("GLASSNET_PROPERTY_LOG")   # a file to append "group  outcome  message" lines to


def _log(group: str, outcome: str, message: str = "") -> None:
    TALLY[group, outcome] += 1
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as handle:
            handle.write(f"{group}\t{outcome}\t{message[:200]!r}\n")

REFUSED = object()
"""What ``check_call`` returns when the call was refused cleanly."""


class PropertyViolation(AssertionError):
    """A hostile call broke the property (raw exception, unnamed refusal or wrong result)."""


def _names_argument(message: str, names) -> bool:
    """Whether the message names one of ``names`` — or, for an argument such as
    ``kernel_initializer``, its kind ("unknown initializer 'x'" is clear enough)."""
    lowered = message.lower()
    words = {name.lower() for name in names}
    words |= {name.lower().rsplit("_", 1)[-1] for name in names if "_" in name and len(name.rsplit("_", 1)[-1]) > 5}
    return any(word in lowered for word in words)


def check_call(group: str, call, names=(), verify=None, documented=DOCUMENTED):
    """Run ``call()`` and hold it to the property; return its result or ``REFUSED``.

    Args:
        group: the API group the outcome is counted under.
        call: a function of no arguments making the call under test.
        names: words one of which a refusal's message must contain (the argument's name,
            the function's or the layer's); empty to skip that check.
        verify: ``verify(result)`` raises ``AssertionError`` if a result that came back is wrong.
        documented: the exception types that count as a clean refusal.

    Raises:
        PropertyViolation: the call raised a raw exception, was refused without naming
            anything in ``names``, or returned a wrong result.
    """
    try:
        result = call()
    except documented as exc:
        message = str(exc)
        if RAW_MESSAGES.search(message):
            _log(group, "raw", message)
            raise PropertyViolation(f"raw {type(exc).__name__} from Python/NumPy: {message}") from exc
        if names and not _names_argument(message, names):
            _log(group, "unnamed", message)
            raise PropertyViolation(f"{type(exc).__name__} names none of {list(names)}: {message}") from exc
        _log(group, "refused", f"{type(exc).__name__}: {message}")
        return REFUSED
    except Exception as exc:  # noqa: BLE001 — anything else is the failure we are looking for
        _log(group, "raw", f"{type(exc).__name__}: {exc}")
        raise PropertyViolation(f"raw {type(exc).__name__}: {exc}") from exc
    if verify is not None:
        try:
            verify(result)
        except AssertionError as exc:
            _log(group, "wrong", str(exc))
            raise PropertyViolation(f"wrong result: {exc}") from exc
    _log(group, "ok")
    return result


def numpy_outcome(call):
    """(True, result) when NumPy's reference call works, (False, exception) when it refuses."""
    try:
        with np.errstate(all="ignore"):
            return True, call()
    except Exception as exc:  # noqa: BLE001 — NumPy's refusal tells us glassnet must refuse too
        return False, exc


def assert_close(got, want, rtol=1e-5, atol=1e-6, dtype=True) -> None:
    """Values (NaN where NaN, ±inf where ±inf), shape, and — unless ``dtype=False`` — dtype."""
    got = np.asarray(got.numpy() if hasattr(got, "numpy") else got)
    want = np.asarray(want)
    assert got.shape == want.shape, f"shape {got.shape}, NumPy {want.shape}"
    if dtype:
        assert got.dtype == want.dtype, f"dtype {got.dtype}, NumPy {want.dtype}"
    if want.dtype.kind in "biu" and got.dtype.kind in "biu":
        assert np.array_equal(got, want), f"{got} != NumPy {want}"
    else:
        np.testing.assert_allclose(got.astype(np.float64), want.astype(np.float64), rtol=rtol, atol=atol,
                                   equal_nan=True)


def weights_of(model) -> list:
    """Copies of every weight, to prove a refused call changed none."""
    return [np.array(w) for w in model.get_weights()]


def assert_unchanged(before: list, model) -> None:
    after = model.get_weights()
    assert len(before) == len(after), "the number of weights changed"
    for old, new in zip(before, after):
        assert np.array_equal(old, new, equal_nan=True), "a weight changed"


def summary_lines() -> list:
    """The tally as a small table: group, examples, ok, refused, raw, unnamed, wrong."""
    groups = sorted({group for group, _ in TALLY})
    kinds = ("ok", "refused", "raw", "unnamed", "wrong")
    lines = [f"{'group':<14}{'calls':>8}" + "".join(f"{k:>9}" for k in kinds)]
    for group in groups:
        counts = [TALLY[group, k] for k in kinds]
        lines.append(f"{group:<14}{sum(counts):>8}" + "".join(f"{c:>9}" for c in counts))
    total = [sum(TALLY[g, k] for g in groups) for k in kinds]
    lines.append(f"{'all':<14}{sum(total):>8}" + "".join(f"{c:>9}" for c in total))
    return lines

"""A model built from a file may allocate no more weight than the file holds.

``bounded_reading`` bounds what reading a file costs, but ``config.json`` also says how big
the model is: ``{"class_name": "Dense", "config": {"units": 100000000}}`` in a 10 kB file
would allocate gigabytes while the model is built — before its weights are compared with
the file's. The file's own arrays give the bound: a model that loads must have exactly the
weights ``model.weights.npz`` holds, whose sizes were checked against the file's size. So
``load_model`` builds under

    budget = 1.01 × (elements of the file's weight arrays) + 65,536

and ``Layer.add_weight`` charges each weight against it *before* allocating it
(``charge(shape, name)``); a weight over budget is a ``ValueError`` naming the file. The
budget lives in a ``contextvars.ContextVar``: it applies to the loading thread only, and
outside a load ``charge`` does nothing.
"""
from __future__ import annotations

import contextlib
import contextvars
import math

SLACK_RATIO = 1.01
SLACK_ELEMENTS = 65536

_BUDGET = contextvars.ContextVar("glassnet_weight_budget", default=None)


class _Budget:
    __slots__ = ("total", "left", "filepath")

    def __init__(self, total: int, filepath: str):
        self.total, self.left, self.filepath = total, total, filepath


def allowance(elements_in_file: int) -> int:
    """The budget for a file holding ``elements_in_file`` weight elements."""
    return int(SLACK_RATIO * elements_in_file) + SLACK_ELEMENTS


@contextlib.contextmanager
def limited_to(elements: int, filepath: str):
    """Within the block (this thread only), weights created may total at most ``elements``."""
    token = _BUDGET.set(_Budget(int(elements), filepath))
    try:
        yield
    finally:
        _BUDGET.reset(token)


def charge(shape, name: str = "weight") -> None:
    """Count a weight of ``shape`` against the current budget, before it is allocated.

    Raises:
        ValueError: naming the file, if the weight would exceed the budget.
    """
    budget = _BUDGET.get()
    if budget is None:
        return
    elements = math.prod(int(s) for s in shape)
    if elements > budget.left:
        raise ValueError(f"{budget.filepath!r}: its config asks for weight {name!r} of shape {tuple(shape)} "
                         f"({elements} elements), beyond what the file holds (a budget of {budget.total} elements, "
                         f"{budget.left} left); refusing to build a model larger than its file")
    budget.left -= elements

"""Running a ``Case``: call an ops function on its inputs, flatten outputs, gradcheck it."""
from __future__ import annotations

import numpy as np

from glassnet import Tensor


def float_slots(inputs) -> list:
    """Paths (i,) or (i, j) of the float arrays among the inputs (lists and tuples of arrays included)."""
    slots = []
    for i, x in enumerate(inputs):
        if isinstance(x, np.ndarray) and x.dtype.kind == "f":
            slots.append((i,))
        elif isinstance(x, (list, tuple)):
            slots += [(i, j) for j, v in enumerate(x) if isinstance(v, np.ndarray) and v.dtype.kind == "f"]
    return slots


def rebuild(inputs, slots, values) -> list:
    """The inputs with the arrays at ``slots`` replaced by ``values``."""
    args = [list(x) if isinstance(x, (list, tuple)) else x for x in inputs]
    for slot, value in zip(slots, values):
        if len(slot) == 1:
            args[slot[0]] = value
        else:
            args[slot[0]][slot[1]] = value
    return [tuple(a) if isinstance(x, tuple) else a for a, x in zip(args, inputs)]


def outputs(result) -> list:
    """A result (tensor, array, number, tuple or list of them) as a list of NumPy arrays."""
    if isinstance(result, (tuple, list)):
        return [a for r in result for a in outputs(r)]
    if isinstance(result, Tensor):
        return [np.asarray(result.numpy())]
    if hasattr(result, "detach"):                       # a torch tensor (keras parity)
        return [result.detach().cpu().numpy()]
    return [np.asarray(result)]


def resolve(module, dotted: str):
    """``module.a.b`` for the name "a.b" (the image functions live in ``ops.image``)."""
    for part in dotted.split("."):
        module = getattr(module, part)
    return module


def pick(result, index):
    """The output a gradient is checked on (the ``index``-th of a tuple or list)."""
    return result[index] if isinstance(result, (tuple, list)) else result

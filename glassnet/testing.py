"""Gradient checking: compare backward() with central finite differences in float64.

For a function f of tensors and a random direction r (so the output need not be a
scalar), let L(x) = Σ r ⊙ f(x). backward() gives the analytic ∂L/∂x; the numeric
estimate of each element is the central difference

    ∂L/∂xᵢ ≈ (L(x + ε·eᵢ) − L(x − ε·eᵢ)) / (2ε)          (error O(ε²))

The two must agree to |analytic − numeric| ≤ atol + rtol·|numeric| everywhere.
"""
from __future__ import annotations

import numpy as np

from . import backend
from .tensor import Tensor, no_grad


class GradcheckError(AssertionError):
    """Raised when an analytic gradient disagrees with the finite-difference estimate."""


def _to_float64_input(x):
    if isinstance(x, Tensor):
        x = x.data
    array = np.asarray(x)
    if array.dtype.kind == "f":
        return np.array(array, dtype=np.float64)
    return array  # integer/bool inputs (indices, masks) are passed through unchanged


def gradcheck(fn, inputs, eps: float = 1e-6, atol: float = 1e-6, rtol: float = 1e-4,
              wrt=None, seed: int = 0) -> bool:
    """Check the gradients of ``fn(*inputs)`` with central differences in float64.

    Args:
        fn: function of Tensors returning a Tensor (any shape).
        inputs: list of arrays; float ones become float64 Tensors requiring grad,
            integer/boolean ones are passed as plain arrays (indices, masks).
        eps: finite-difference step.
        atol, rtol: tolerance of |analytic − numeric| ≤ atol + rtol·|numeric|.
        wrt: indices of the inputs to check (default: every float input).
        seed: seed of the random output direction r.

    Returns:
        True when every gradient matches.

    Raises:
        GradcheckError: naming the input, the element's index, and both values.
    """
    previous_floatx = backend.floatx()
    backend.set_floatx("float64")
    try:
        arrays = [_to_float64_input(x) for x in inputs]
        if wrt is None:
            wrt = [i for i, a in enumerate(arrays) if a.dtype.kind == "f"]
        tensors = [Tensor(a, requires_grad=(i in wrt)) if a.dtype.kind == "f" else a for i, a in enumerate(arrays)]
        out = fn(*tensors)
        if not isinstance(out, Tensor):
            raise TypeError(f"gradcheck: fn must return a Tensor, got {type(out).__name__}")
        r = np.random.default_rng(seed).standard_normal(out.shape)
        if not out.requires_grad:
            raise GradcheckError("gradcheck: the output does not depend on any input that requires grad")
        out.backward(r)

        def objective():
            with no_grad():
                value = fn(*[Tensor(a) if a.dtype.kind == "f" else a for a in arrays])
            return float(np.sum(r * value.data))

        for i in wrt:
            x = arrays[i]
            analytic = tensors[i].grad if tensors[i].grad is not None else np.zeros_like(x)
            numeric = np.zeros_like(x)
            for index in np.ndindex(x.shape):
                original = x[index]
                x[index] = original + eps
                plus = objective()
                x[index] = original - eps
                minus = objective()
                x[index] = original
                numeric[index] = (plus - minus) / (2 * eps)
            bad = np.abs(analytic - numeric) > atol + rtol * np.abs(numeric)
            if bad.any():
                where = tuple(int(k) for k in np.argwhere(bad)[0])
                raise GradcheckError(
                    f"gradcheck: input {i} (shape {x.shape}) element {where}: analytic "
                    f"{analytic[where]:.10g} vs numeric {numeric[where]:.10g}; "
                    f"{int(bad.sum())} of {x.size} elements disagree"
                )
        return True
    finally:
        backend.set_floatx(previous_floatx)

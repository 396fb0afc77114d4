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


def _weight_holders(layer, weight) -> list:
    """Every (object, attribute, index) through which ``layer`` or a sublayer reads ``weight``."""
    holders, seen, stack = [], set(), [layer]
    while stack:
        owner = stack.pop()
        if id(owner) in seen:
            continue
        seen.add(id(owner))
        for name, value in vars(owner).items():
            if value is weight:
                holders.append((owner, name, None))
            elif isinstance(value, list):
                holders.extend((owner, name, i) for i, item in enumerate(value) if item is weight)
        stack.extend(getattr(owner, "_layers", []))
    return holders


def _substitute(holders, value) -> None:
    for owner, name, index in holders:
        if index is None:
            object.__setattr__(owner, name, value)
        else:
            getattr(owner, name)[index] = value


def layer_gradcheck(layer, inputs, training=None, wrt_inputs: bool = True, wrt_weights: bool = True,
                    before_call=None, eps: float = 1e-6, atol: float = 1e-6, rtol: float = 1e-4,
                    seed: int = 0, **call_kwargs) -> bool:
    """Gradient-check a layer with respect to its inputs and its trainable weights.

    For the check, each trainable weight is swapped, in the attribute of the layer (or
    sublayer) that holds it (``self.kernel``, or an entry of a list attribute), for the
    float64 Tensor that ``gradcheck`` perturbs, and put back afterwards; so ``call`` reads
    the checked tensors and backward reaches them — no layer needs to know it is checked.

    Args:
        layer: a layer computing in float64 (made with ``dtype="float64"``, or while
            ``backend.set_floatx("float64")`` was set). It is built on ``inputs`` if needed.
        inputs: an array, or a list of arrays for a multi-input layer (integer arrays, such
            as token ids, are passed through unchecked).
        training: the ``training`` flag of every call.
        wrt_inputs, wrt_weights: which gradients to check.
        before_call: optional function run before every evaluation, e.g. to re-seed a
            Dropout's generator so that every evaluation draws the same mask.
        eps, atol, rtol, seed: as for ``gradcheck``.
        **call_kwargs: further keyword arguments of the call (e.g. ``mask=``).

    Returns:
        True when every gradient matches.

    Raises:
        ValueError: if the layer does not compute in float64, or a weight is held where it
            cannot be swapped.
        GradcheckError: as ``gradcheck``.
    """
    if np.dtype(layer.dtype) != np.float64:
        raise ValueError(f"layer_gradcheck: layer {layer.name!r} computes in {layer.dtype}; make it with "
                         f"dtype='float64' (finite differences need float64)")
    multi = isinstance(inputs, (list, tuple))
    arrays = [_to_float64_input(x) for x in (inputs if multi else [inputs])]
    if not layer.built:
        with no_grad():
            if before_call is not None:
                before_call()
            layer([Tensor(a) for a in arrays] if multi else Tensor(arrays[0]), training=training, **call_kwargs)
    weights = list(layer.trainable_weights) if wrt_weights else []
    holders = [_weight_holders(layer, w) for w in weights]
    for weight, found in zip(weights, holders):
        if not found:
            raise ValueError(f"layer_gradcheck: weight {weight.name!r} of {layer.name!r} is not held in an "
                             f"attribute (or list attribute) of the layer or a sublayer, so it cannot be swapped")
    n = len(arrays)

    def fn(*tensors):
        for found, tensor in zip(holders, tensors[n:]):
            _substitute(found, tensor)
        try:
            if before_call is not None:
                before_call()
            x = list(tensors[:n]) if multi else tensors[0]
            return layer(x, training=training, **call_kwargs)
        finally:
            for found, weight in zip(holders, weights):
                _substitute(found, weight)

    wrt = [i for i, a in enumerate(arrays) if wrt_inputs and a.dtype.kind == "f"]
    wrt += list(range(n, n + len(weights)))
    if not wrt:
        raise ValueError(f"layer_gradcheck: nothing to check for {layer.name!r} (no float input, no trainable weight)")
    return gradcheck(fn, arrays + [w.data for w in weights], eps=eps, atol=atol, rtol=rtol, wrt=wrt, seed=seed)

"""``fit(..., check_numerics=True)``: name the first layer whose forward or backward pass
produced a NaN or an infinity.

A NaN spreads: one in a layer's output makes the loss NaN, its gradient NaN, and after the
update every weight NaN. ``TerminateOnNaN`` stops training once the loss is NaN, but by
then nothing says where it began. With checking on (opt-in: it costs one ``isfinite`` pass
over every layer output and every gradient), each layer call of the training thread is
watched:

* forward — after layer L's call, every float output must be finite. Calls finish inner
  first, so the error names the innermost layer that made the first non-finite value
  (its inputs were finite: the layer before it, or the checked data, passed the test);
* backward — each tensor entering a layer call passes through ``CheckGradient``, an
  identity op whose backward tests the gradient flowing through it. That gradient,
  dL/d(input of L), is what L's backward made from dL/d(output of L), which was tested
  already (backward runs in reverse order), so a non-finite one names L. The outermost
  call's output passes through one too: a non-finite dL/d(output of the model) names the
  loss. After backward, the weights' gradients dL/dW are tested, each naming its layer;
* the loss itself must be finite before backward starts.

Each failure raises ``FloatingPointError`` naming the layer, the pass and the count of bad
values, before the optimizer step, so the weights keep their last finite values.
"""
from __future__ import annotations

import numpy as np

from ..layers import base as layer_base
from ..tensor import Function, Tensor


def _count_bad(array) -> int:
    """How many entries of a float array are NaN or ±inf (0 for other dtypes)."""
    if array.dtype.kind not in "fc":
        return 0
    return int(array.size - np.count_nonzero(np.isfinite(array)))


class CheckGradient(Function):
    """Identity in the forward pass, y = x; its backward passes dL/dy on unchanged
    (dL/dx = dL/dy) after testing that it is finite.

    Args (to ``apply``):
        what: the sentence that names the culprit if the gradient is not finite.
    """

    def forward(self, x, what=""):
        self.what = what
        return x

    def backward(self, grad):
        bad = _count_bad(grad)
        if bad:
            raise FloatingPointError(f"check_numerics: {self.what} ({bad} NaN or infinite value(s) out of "
                                     f"{grad.size} in the gradient)")
        return grad


class NumericsChecker:
    """The checks of one ``fit`` call, made by ``Layer.__call__`` (see the module docstring)."""

    def watch_inputs(self, layer, inputs):
        """``inputs`` with each float Tensor passed through ``CheckGradient`` (masks kept)."""
        what = f"the backward pass of layer {layer.name!r} ({type(layer).__name__}) produced a non-finite gradient"
        return layer_base.map_structure(lambda t: _through_check(t, what), inputs)

    def check_outputs(self, layer, outputs, outermost: bool):
        """Raise if an output of ``layer`` is not finite; the outermost call's outputs pass
        through ``CheckGradient`` (a bad gradient there comes from the loss)."""
        for t in layer_base.flatten(outputs):
            if isinstance(t, Tensor):
                bad = _count_bad(t.data)
                if bad:
                    raise FloatingPointError(
                        f"check_numerics: the forward pass of layer {layer.name!r} ({type(layer).__name__}) produced "
                        f"{bad} NaN or infinite value(s) out of {t.size} in its output of shape {t.shape}, from "
                        "finite inputs")
        if not outermost:
            return outputs
        what = f"the loss's gradient with respect to the output of {layer.name!r} is not finite"
        return layer_base.map_structure(lambda t: _through_check(t, what), outputs)

    def check_loss(self, loss) -> None:
        """Raise if the loss (computed from finite outputs) is not finite."""
        if isinstance(loss, Tensor) and _count_bad(loss.data):
            raise FloatingPointError(f"check_numerics: the loss is {loss.data.ravel()[0]} although every layer's "
                                     "output is finite: the loss function produced it")

    def check_weight_gradients(self, variables) -> None:
        """Raise naming the layer of the first weight whose gradient is not finite."""
        for variable in variables:
            if variable.grad is not None:
                bad = _count_bad(variable.grad)
                if bad:
                    raise FloatingPointError(
                        f"check_numerics: the backward pass of layer {variable.path.rsplit('/', 1)[0]!r} produced "
                        f"{bad} NaN or infinite value(s) out of {variable.size} in the gradient of its weight "
                        f"{variable.path!r}")


def _through_check(t, what: str):
    if not isinstance(t, Tensor) or not t.requires_grad:
        return t
    checked = CheckGradient.apply(t, what=what)
    checked._keras_mask = t._keras_mask
    return checked


def set_checking(enabled: bool):
    """Turn checking on or off for the calling thread; returns the previous checker (or None)
    for ``restore``."""
    state = layer_base._call_state
    previous = state.numerics
    state.numerics = NumericsChecker() if enabled else None
    return previous


def restore(previous) -> None:
    """Put back what ``set_checking`` returned."""
    layer_base._call_state.numerics = previous


def backward(loss, variables) -> None:
    """``loss.backward()``, with the loss and the weights' gradients checked when checking is on."""
    checker = layer_base._call_state.numerics
    if checker is not None:
        checker.check_loss(loss)
    loss.backward()
    if checker is not None:
        checker.check_weight_gradients(variables)

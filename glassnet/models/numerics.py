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
  already (backward runs in reverse order), so a non-finite one names L — or, for the
  model's last layer, L or the loss: the outputs carry no check of their own, so that
  cross-entropy still finds the softmax it fuses with (``losses.probabilistic``) and the
  numbers stay those of an unchecked run, bit for bit. After backward, the weights'
  gradients dL/dW are tested, each naming its layer;
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
        checker: the ``NumericsChecker``; layer: the layer whose input x is.
    """

    def forward(self, x, checker=None, layer=None):
        self.checker, self.layer = checker, layer
        return x

    def backward(self, grad):
        bad = _count_bad(grad)
        if bad:
            layer = self.layer
            culprit = f"layer {layer.name!r} ({type(layer).__name__})"
            if self.checker.is_last(layer):
                culprit += ", the model's last layer, or of the loss"
            raise FloatingPointError(f"check_numerics: the backward pass of {culprit} produced {bad} NaN or infinite "
                                     f"value(s) out of {grad.size} in the gradient with respect to the layer's input")
        return grad


class NumericsChecker:
    """The checks of one ``fit`` call, made by ``Layer.__call__`` (see the module docstring).

    It remembers, by id, the output tensors of each layer's last call and of the outermost
    call, so a bad gradient at a layer's input can say whether that layer's output is the
    model's (then the loss's backward is a suspect too).
    """

    def __init__(self):
        self._outputs_of = {}            # id(layer) -> ids of its last call's output tensors
        self._model_outputs = set()      # ids of the outermost call's output tensors

    def is_last(self, layer) -> bool:
        return bool(self._outputs_of.get(id(layer), set()) & self._model_outputs)

    def watch_inputs(self, layer, inputs):
        """``inputs`` with each float Tensor that records the graph passed through ``CheckGradient``."""
        return layer_base.map_structure(lambda t: _through_check(t, self, layer), inputs)

    def check_outputs(self, layer, outputs, outermost: bool):
        """Raise if an output of ``layer`` is not finite; remember the outputs' ids."""
        ids = set()
        for t in layer_base.flatten(outputs):
            if isinstance(t, Tensor):
                ids.add(id(t))
                bad = _count_bad(t.data)
                if bad:
                    raise FloatingPointError(
                        f"check_numerics: the forward pass of layer {layer.name!r} ({type(layer).__name__}) produced "
                        f"{bad} NaN or infinite value(s) out of {t.size} in its output of shape {t.shape}, from "
                        "finite inputs")
        self._outputs_of[id(layer)] = ids
        if outermost:
            self._model_outputs = ids
        return outputs

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


def _through_check(t, checker, layer):
    if not isinstance(t, Tensor) or not t.requires_grad:
        return t
    checked = CheckGradient.apply(t, checker=checker, layer=layer)
    checked._keras_mask = t._keras_mask
    return checked


def set_checking(enabled: bool):
    """Turn checking on or off for the calling thread; returns the previous checker (or None)
    for ``restore``."""
    if not isinstance(enabled, (bool, np.bool_)):
        raise ValueError(f"fit: `check_numerics` must be True or False, got {enabled!r}")
    state = layer_base.call_state()
    previous = state.numerics
    state.numerics = NumericsChecker() if enabled else None
    return previous


def restore(previous) -> None:
    """Put back what ``set_checking`` returned."""
    layer_base.call_state().numerics = previous


def backward(loss, variables) -> None:
    """``loss.backward()``, with the loss and the weights' gradients checked when checking is on."""
    checker = layer_base.call_state().numerics
    if checker is not None:
        checker.check_loss(loss)
    loss.backward()
    if checker is not None:
        checker.check_weight_gradients(variables)

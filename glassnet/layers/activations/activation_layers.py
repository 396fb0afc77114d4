"""Activations as layers: Activation, ReLU, LeakyReLU, PReLU, ELU, Softmax.

Each applies its formula element-wise (Softmax along an axis); the derivatives are those of
``glassnet.activations``. Only PReLU has a weight: its negative slope α is learned.
(Maxout, which learns its own piecewise-linear activation, is in ``maxout.py``.)
"""
from __future__ import annotations

import numbers

import numpy as np

from ... import activations, constraints, initializers, ops, regularizers
from ...tensor import Tensor
from ..arguments import int_tuple
from ..base import Layer
from ..registry import serialize_component


def _check_non_negative(owner: str, name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value >= 0:
        raise ValueError(f"{owner}: {name} must be a number ≥ 0, got {value!r}")
    return float(value)


class _ElementwiseActivation(Layer):
    """Shared shape rule: the output has the input's shape."""

    def compute_output_shape(self, input_shape):
        return input_shape


class Activation(_ElementwiseActivation):
    """Applies an activation function to its input.

    Formula: y = a(x)

    Args:
        activation: a name ("relu", "sigmoid", ...) or a function Tensor → Tensor.

    Input shape:
        Any.

    Output shape:
        Same as the input.
    """

    supports_masking = True          # a mask on the input passes on to the output

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, inputs):
        out = self.activation(inputs)
        if not isinstance(out, Tensor):
            raise TypeError(f"{self.name}: activation {getattr(self.activation, '__name__', self.activation)!r} "
                            f"returned a {type(out).__name__}, not a tensor")
        return out

    def get_config(self) -> dict:
        return {**super().get_config(), "activation": activations.serialize(self.activation)}


class ReLU(_ElementwiseActivation):
    """Rectified linear unit, with an optional ceiling, threshold and negative slope (as Keras).

    Formula: y = min(x, max_value) if x ≥ threshold, else negative_slope · (x − threshold)

    With the defaults, y = max(0, x).

    Args:
        max_value: the largest output (≥ 0; None: no ceiling).
        negative_slope: slope below the threshold (≥ 0).
        threshold: inputs below it are damped (≥ 0).

    Input shape:
        Any.

    Output shape:
        Same as the input.
    """

    supports_masking = True          # a mask on the input passes on to the output

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        self.max_value = None if max_value is None else _check_non_negative("ReLU", "max_value", max_value)
        self.negative_slope = _check_non_negative("ReLU", "negative_slope", negative_slope)
        self.threshold = _check_non_negative("ReLU", "threshold", threshold)

    def call(self, inputs):
        return activations.relu(inputs, negative_slope=self.negative_slope, max_value=self.max_value,
                                threshold=self.threshold)

    def get_config(self) -> dict:
        return {**super().get_config(), "max_value": self.max_value, "negative_slope": self.negative_slope,
                "threshold": self.threshold}


class LeakyReLU(_ElementwiseActivation):
    """Leaky ReLU: a small slope instead of zero for negative inputs.

    Formula: y = x if x > 0, else negative_slope · x

    The LAYER's default slope is 0.3 (Keras 3), the ``activations.leaky_relu`` function's is
    0.2; the course's 0.01 (PyTorch's default) is ``LeakyReLU(negative_slope=0.01)``.

    Args:
        negative_slope: slope for x ≤ 0 (≥ 0; default 0.3). Keras 2's name ``alpha`` is
            accepted too.

    Input shape:
        Any.

    Output shape:
        Same as the input.
    """

    supports_masking = True          # a mask on the input passes on to the output

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
        super().__init__(**kwargs)
        self.negative_slope = _check_non_negative("LeakyReLU", "negative_slope", negative_slope)

    def call(self, inputs):
        return activations.leaky_relu(inputs, negative_slope=self.negative_slope)

    def get_config(self) -> dict:
        return {**super().get_config(), "negative_slope": self.negative_slope}


class PReLU(_ElementwiseActivation):
    """Parametric ReLU: a leaky ReLU whose negative slope α is learned (He et al., 2015).

    Formula: y = max(0, x) − α ⊙ max(0, −x)   (= x if x ≥ 0, α·x if x < 0)

    ∂y/∂x = 1 if x > 0, α if x < 0;   ∂y/∂α = min(0, x).

    Args:
        alpha_initializer: initializer of α (default "zeros": starts as a ReLU).
        alpha_regularizer: penalty on α.
        alpha_constraint: projection of α after each update.
        shared_axes: axes (1-indexed, the batch axis is 0) along which one α is shared, e.g.
            ``[1, 2]`` for one α per channel of (batch, height, width, channels).

    Input shape:
        Any, (batch, ...).

    Output shape:
        Same as the input. α has the input's shape without the batch axis, with 1 on the
        shared axes.
    """

    supports_masking = True          # a mask on the input passes on to the output

    def __init__(self, alpha_initializer="zeros", alpha_regularizer=None, alpha_constraint=None,
                 shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        else:
            shared = [shared_axes] if isinstance(shared_axes, (int, np.integer)) else list(shared_axes)
            if any(isinstance(a, bool) or not isinstance(a, (int, np.integer)) or a < 1 for a in shared):
                raise ValueError(f"PReLU: shared_axes must be ints ≥ 1 (axis 0 is the batch), got {shared_axes!r}")
            self.shared_axes = [int(a) for a in shared]

    def build(self, input_shape):
        param_shape = list(input_shape[1:])
        for axis in self.shared_axes or []:
            if axis > len(param_shape):
                raise ValueError(f"{self.name}: shared axis {axis} does not exist in inputs of shape {tuple(input_shape)}")
            param_shape[axis - 1] = 1
        if any(s is None for s in param_shape):
            raise ValueError(f"{self.name}: every non-shared axis needs a known length, got input shape "
                             f"{tuple(input_shape)}; share the unknown axes with shared_axes")
        self.alpha = self.add_weight(shape=param_shape, initializer=self.alpha_initializer,
                                     regularizer=self.alpha_regularizer, constraint=self.alpha_constraint,
                                     name="alpha")

    def call(self, inputs):
        return ops.relu(inputs) - self.alpha * ops.relu(-inputs)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "alpha_initializer": serialize_component(initializers, self.alpha_initializer),
            "alpha_regularizer": serialize_component(regularizers, self.alpha_regularizer),
            "alpha_constraint": serialize_component(constraints, self.alpha_constraint),
            "shared_axes": self.shared_axes,
        }


class ELU(_ElementwiseActivation):
    """Exponential linear unit.

    Formula: y = x if x > 0, else α · (eˣ − 1)

    Args:
        alpha: the value −α that y approaches for very negative x (default 1.0).

    Input shape:
        Any.

    Output shape:
        Same as the input.
    """

    supports_masking = True          # a mask on the input passes on to the output

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
            raise ValueError(f"ELU: alpha must be a number, got {alpha!r}")
        self.alpha = float(alpha)

    def call(self, inputs):
        return activations.elu(inputs, alpha=self.alpha)

    def get_config(self) -> dict:
        return {**super().get_config(), "alpha": self.alpha}


class Softmax(_ElementwiseActivation):
    """Softmax along an axis: turns scores into probabilities that sum to 1.

    Formula: yᵢ = e^(xᵢ) / Σⱼ e^(xⱼ)   (along ``axis``)

    Call arguments:
        mask: optional array broadcastable to the input, True (or > 0.5) where an entry
            counts; masked-out entries get the score −1e9 (−3e4 in float16) before the
            softmax and probability 0 after it (so a fully masked slice is all zeros), as
            in Keras.

    Args:
        axis: int or tuple of ints, the axis (axes) to normalise along (default −1).

    Input shape:
        Any.

    Output shape:
        Same as the input.
    """

    supports_masking = True          # a mask on the input passes on to the output

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        axes = int_tuple("Softmax", "axis", axis)
        self.axis = int(axis) if isinstance(axis, (int, np.integer)) else axes

    def call(self, inputs, mask=None):
        x = inputs
        if mask is not None:
            keep = np.asarray(mask.data if isinstance(mask, Tensor) else mask)
            keep = keep if keep.dtype == bool else keep > 0.5
            try:
                keep = np.broadcast_to(keep, x.shape)
            except ValueError:
                raise ValueError(f"{self.name}: the mask must broadcast to the input's shape {x.shape}, "
                                 f"got a mask of shape {keep.shape}") from None
            x = ops.where(keep, x, -3e4 if x.dtype == np.float16 else -1e9)
        if isinstance(self.axis, int) or len(self.axis) == 1:
            y = ops.softmax(x, axis=self.axis if isinstance(self.axis, int) else self.axis[0])
        else:
            y = ops.exp(x - ops.logsumexp(x, axis=self.axis, keepdims=True))
        return y if mask is None else ops.where(keep, y, 0.0)

    def get_config(self) -> dict:
        axis = self.axis if isinstance(self.axis, int) else list(self.axis)
        return {**super().get_config(), "axis": axis}

"""LayerNormalization: normalise each sample over its features."""
from __future__ import annotations

import numbers

import numpy as np

from ... import constraints, initializers, ops, regularizers
from ...ops.normalization import normalize
from ..arguments import check_bool, int_tuple
from ..base import Layer
from ..registry import serialize_component


class LayerNormalization(Layer):
    """Normalises each sample over its feature axes, then scales and shifts (Ba et al., 2016).

    Formula: y = γ · (x − μ) / √(σ² + ε) + β,  μ, σ² = mean, biased variance of x over ``axis``

    Unlike BatchNormalization the statistics are those of the sample itself, so training and
    inference compute the same thing and there are no moving averages. Keras's ε is 1e-3
    (PyTorch's 1e-5).

    Args:
        axis: int or list of ints, the axes normalised over (default −1, the features).
        epsilon: ε added to the variance.
        center: learn the shift β; scale: learn the scale γ.
        beta_initializer, gamma_initializer: "zeros", "ones".
        beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint: as for ``Dense``.

    Input shape:
        Any.

    Output shape:
        Same as the input. Weights: gamma, beta, each of the input's shape on ``axis``.
    """

    supports_masking = True          # a mask on the input passes on to the output

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None,
                 beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        axes = int_tuple("LayerNormalization", "axis", axis)
        if len(set(axes)) != len(axes):
            raise ValueError(f"LayerNormalization: axis {axis!r} repeats an axis")
        if isinstance(epsilon, bool) or not isinstance(epsilon, numbers.Real) or not epsilon >= 0:
            raise ValueError(f"LayerNormalization: epsilon must be a number ≥ 0, got {epsilon!r}")
        self.axis = int(axis) if isinstance(axis, (int, np.integer)) else [int(a) for a in axes]
        self.epsilon = float(epsilon)
        self.center = check_bool("LayerNormalization", "center", center)
        self.scale = check_bool("LayerNormalization", "scale", scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def _axes(self, ndim: int) -> tuple:
        axes = [self.axis] if isinstance(self.axis, int) else self.axis
        if any(not -ndim <= a < ndim for a in axes):
            raise ValueError(f"{self.name}: axis {self.axis} is out of range for inputs of rank {ndim}")
        if len({a % ndim for a in axes}) != len(axes):
            raise ValueError(f"{self.name}: axis {self.axis} names one axis twice for inputs of rank {ndim}")
        return tuple(sorted({a % ndim for a in axes}))

    def build(self, input_shape):
        axes = self._axes(len(input_shape))
        param_shape = tuple(input_shape[a] for a in axes)
        if any(s is None for s in param_shape):
            raise ValueError(f"{self.name}: the normalised axes {self.axis} need known lengths, "
                             f"got input shape {tuple(input_shape)}")
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(param_shape, self.gamma_initializer, regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, name="gamma")
        if self.center:
            self.beta = self.add_weight(param_shape, self.beta_initializer, regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, name="beta")

    def call(self, inputs):
        x = inputs
        axes = self._axes(x.ndim)
        shape = [1] * x.ndim
        for a in axes:
            shape[a] = x.shape[a]
        trailing = axes == tuple(range(x.ndim - len(axes), x.ndim))  # γ, β broadcast as they are

        def broadcastable(w):
            if w is not None and w.shape != tuple(shape[a] for a in axes):
                raise ValueError(f"{self.name}: built for normalised axes of shape {w.shape}, got input shape {x.shape}")
            return w if w is None or trailing else ops.reshape(w, shape)

        y, _, _ = normalize(x, broadcastable(self.gamma), broadcastable(self.beta), axes, self.epsilon)
        return y

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "axis": self.axis, "epsilon": self.epsilon, "center": self.center, "scale": self.scale,
            "beta_initializer": serialize_component(initializers, self.beta_initializer),
            "gamma_initializer": serialize_component(initializers, self.gamma_initializer),
            "beta_regularizer": serialize_component(regularizers, self.beta_regularizer),
            "gamma_regularizer": serialize_component(regularizers, self.gamma_regularizer),
            "beta_constraint": serialize_component(constraints, self.beta_constraint),
            "gamma_constraint": serialize_component(constraints, self.gamma_constraint),
        }

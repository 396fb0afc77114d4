"""BatchNormalization: normalise each feature with the statistics of the mini-batch."""
from __future__ import annotations

import numbers

import numpy as np

from ... import constraints, initializers, ops, regularizers
from ...ops.normalization import normalize
from ..arguments import check_bool
from ..base import Layer
from ..registry import serialize_component


class BatchNormalization(Layer):
    """Normalises each feature over the batch, then scales and shifts it (Ioffe & Szegedy, 2015).

    Formula: y = γ · (x − μ) / √(σ² + ε) + β

    In training μ, σ² are the mean and the *biased* variance of the batch (over every axis
    but ``axis``), and the moving averages follow them:
    ``moving = momentum · moving + (1 − momentum) · batch`` (both mean and biased variance).
    At inference μ, σ² are the moving averages. A layer with ``trainable = False`` always runs
    in inference mode (as in Keras: freezing a pretrained BN freezes its statistics too).

    Keras conventions (not PyTorch's): momentum 0.99 weighs the *old* average (PyTorch's 0.1
    weighs the new batch), ε = 1e-3 (PyTorch 1e-5), and the moving variance is fed the biased
    batch variance (PyTorch the unbiased one).

    Args:
        axis: the feature axis (default −1: channels last).
        momentum: weight of the old moving average.
        epsilon: ε added to the variance.
        center: learn the shift β; scale: learn the scale γ.
        beta_initializer, gamma_initializer: "zeros", "ones".
        moving_mean_initializer, moving_variance_initializer: "zeros", "ones".
        beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint: as for ``Dense``.

    Input shape:
        Any, (batch, ..., features).

    Output shape:
        Same as the input. Weights (in ``get_weights`` order): gamma, beta, moving_mean,
        moving_variance, each of shape (features,).
    """

    supports_masking = True          # a mask on the input passes on to the output

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", moving_mean_initializer="zeros",
                 moving_variance_initializer="ones", beta_regularizer=None, gamma_regularizer=None,
                 beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
            raise ValueError(f"BatchNormalization: axis must be an int, got {axis!r}")
        for name, value in (("momentum", momentum), ("epsilon", epsilon)):
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value >= 0:
                raise ValueError(f"BatchNormalization: {name} must be a number ≥ 0, got {value!r}")
        self.axis = int(axis)
        self.momentum, self.epsilon = float(momentum), float(epsilon)
        self.center = check_bool("BatchNormalization", "center", center)
        self.scale = check_bool("BatchNormalization", "scale", scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def build(self, input_shape):
        ndim = len(input_shape)
        if not -ndim <= self.axis < ndim or input_shape[self.axis] is None:
            raise ValueError(f"{self.name}: axis {self.axis} must be a known axis of the input, "
                             f"got input shape {tuple(input_shape)}")
        features = (input_shape[self.axis],)
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(features, self.gamma_initializer, regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, name="gamma")
        if self.center:
            self.beta = self.add_weight(features, self.beta_initializer, regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, name="beta")
        self.moving_mean = self.add_weight(features, self.moving_mean_initializer, trainable=False,
                                           name="moving_mean")
        self.moving_variance = self.add_weight(features, self.moving_variance_initializer, trainable=False,
                                               name="moving_variance")

    def call(self, inputs, training=None):
        x = inputs
        axis = self.axis % x.ndim
        features = self.moving_mean.shape[0]
        if x.shape[axis] != features:
            raise ValueError(f"{self.name}: expected {features} features on axis {self.axis}, got input shape {x.shape}")
        shape = [1] * x.ndim
        shape[axis] = features
        last = axis == x.ndim - 1  # γ, β of shape (features,) broadcast as they are

        def broadcastable(w):
            return w if w is None or last else ops.reshape(w, shape)

        gamma, beta = broadcastable(self.gamma), broadcastable(self.beta)
        if training and self.trainable:
            reduction_axes = tuple(a for a in range(x.ndim) if a != axis)
            y, mean, variance = normalize(x, gamma, beta, reduction_axes, self.epsilon)
            m = self.momentum
            self.moving_mean.assign(m * self.moving_mean.data + (1.0 - m) * mean.reshape(features))
            self.moving_variance.assign(m * self.moving_variance.data + (1.0 - m) * variance.reshape(features))
            return y
        # inference: y = x·s + (β − μ·s) with s = γ/√(σ² + ε), μ and σ² the moving averages
        inv_std = 1.0 / np.sqrt(self.moving_variance.data + self.epsilon)
        mu = self.moving_mean.data
        s = inv_std if self.gamma is None else self.gamma * inv_std
        shift = -mu * s if self.beta is None else self.beta - mu * s
        if not last:
            s, shift = ops.reshape(s, shape), ops.reshape(shift, shape)
        return x * s + shift

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "axis": self.axis, "momentum": self.momentum, "epsilon": self.epsilon,
            "center": self.center, "scale": self.scale,
            "beta_initializer": serialize_component(initializers, self.beta_initializer),
            "gamma_initializer": serialize_component(initializers, self.gamma_initializer),
            "moving_mean_initializer": serialize_component(initializers, self.moving_mean_initializer),
            "moving_variance_initializer": serialize_component(initializers, self.moving_variance_initializer),
            "beta_regularizer": serialize_component(regularizers, self.beta_regularizer),
            "gamma_regularizer": serialize_component(regularizers, self.gamma_regularizer),
            "beta_constraint": serialize_component(constraints, self.beta_constraint),
            "gamma_constraint": serialize_component(constraints, self.gamma_constraint),
        }

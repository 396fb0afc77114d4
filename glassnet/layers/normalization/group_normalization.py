"""GroupNormalization: normalise each sample over groups of channels."""
from __future__ import annotations

import numbers

from ... import constraints, initializers, ops, regularizers
from ...ops.axes import is_int
from ...ops.normalization import normalize
from ..arguments import check_bool
from ..base import Layer
from ..registry import serialize_component


class GroupNormalization(Layer):
    """Splits the channels into ``groups`` groups and normalises each sample over each group
    (Wu & He, 2018), then scales and shifts every channel.

    Formula: y = γ · (x − μ_g) / √(σ²_g + ε) + β,
        μ_g, σ²_g = mean, biased variance of x over the channels of group g and every other
        non-batch axis (one pair per sample and group).

    groups = 1 is LayerNormalization over all non-batch axes; groups = channels (``groups=-1``)
    is instance normalization. The statistics are the sample's own, so training and
    inference compute the same thing. Computed as: reshape (…, C) → (…, G, C/G), normalise
    over every axis but the batch and G, reshape back.

    Args:
        groups: the number of groups G, dividing the channels; −1 means one group per channel
            (set to the channel count at build, as Keras does). Default 32.
        axis: the channel axis (an int, not the batch axis; default −1).
        epsilon: ε added to the variance (1e-3).
        center: learn the shift β; scale: learn the scale γ (one per channel).
        beta_initializer, gamma_initializer: "zeros", "ones".
        beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint: as for ``Dense``.

    Input shape:
        Any, with at least a batch axis and the channel axis.

    Output shape:
        Same as the input. Weights: gamma, beta, each (channels,).
    """

    supports_masking = True          # a mask on the input passes on to the output

    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        if not is_int(groups) or (groups <= 0 and groups != -1):
            raise ValueError(f"GroupNormalization: groups must be a positive int (or -1 for instance normalization), "
                             f"got {groups!r}")
        if not is_int(axis):
            raise ValueError(f"GroupNormalization: axis must be an int (the channel axis), got {axis!r}")
        if isinstance(epsilon, bool) or not isinstance(epsilon, numbers.Real) or not epsilon >= 0:
            raise ValueError(f"GroupNormalization: epsilon must be a number ≥ 0, got {epsilon!r}")
        super().__init__(**kwargs)
        self.groups = int(groups)
        self.axis = int(axis)
        self.epsilon = float(epsilon)
        self.center = check_bool("GroupNormalization", "center", center)
        self.scale = check_bool("GroupNormalization", "scale", scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def _channel_axis(self, ndim: int) -> int:
        if not -ndim <= self.axis < ndim or self.axis % ndim == 0:
            raise ValueError(f"{self.name}: axis {self.axis} must name a non-batch axis of inputs of rank {ndim}")
        return self.axis % ndim

    def build(self, input_shape):
        channels = input_shape[self._channel_axis(len(input_shape))]
        if channels is None:
            raise ValueError(f"{self.name}: axis {self.axis} needs a known length, "
                             f"got input shape {tuple(input_shape)}")
        if self.groups == -1:
            self.groups = channels
        if channels < self.groups or channels % self.groups:
            raise ValueError(f"{self.name}: groups={self.groups} must divide the {channels} channels of axis "
                             f"{self.axis} (input shape {tuple(input_shape)})")
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight((channels,), self.gamma_initializer, regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, name="gamma")
        if self.center:
            self.beta = self.add_weight((channels,), self.beta_initializer, regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, name="beta")

    def call(self, inputs):
        x = inputs
        a = self._channel_axis(x.ndim)
        channels = x.shape[a]
        if channels % self.groups or (self.gamma is not None and self.gamma.shape != (channels,)):
            raise ValueError(f"{self.name}: built for {self.groups} groups of the channels of axis {self.axis}, "
                             f"got input shape {x.shape}")
        G = self.groups
        grouped = (*x.shape[:a], G, channels // G, *x.shape[a + 1:])   # (…, C) → (…, G, C/G)
        per_channel = [1] * len(grouped)
        per_channel[a], per_channel[a + 1] = G, channels // G
        axes = tuple(i for i in range(1, len(grouped)) if i != a)       # all but the batch and G

        def broadcastable(w):
            return None if w is None else ops.reshape(w, per_channel)

        y, _, _ = normalize(ops.reshape(x, grouped), broadcastable(self.gamma), broadcastable(self.beta), axes,
                            self.epsilon)
        return ops.reshape(y, x.shape)

    def compute_output_shape(self, input_shape):
        self._channel_axis(len(input_shape))
        return input_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "groups": self.groups, "axis": self.axis, "epsilon": self.epsilon, "center": self.center,
            "scale": self.scale,
            "beta_initializer": serialize_component(initializers, self.beta_initializer),
            "gamma_initializer": serialize_component(initializers, self.gamma_initializer),
            "beta_regularizer": serialize_component(regularizers, self.beta_regularizer),
            "gamma_regularizer": serialize_component(regularizers, self.gamma_regularizer),
            "beta_constraint": serialize_component(constraints, self.beta_constraint),
            "gamma_constraint": serialize_component(constraints, self.gamma_constraint),
        }

"""RMSNormalization: divide each sample by the root mean square of its features."""
from __future__ import annotations

import numbers

from ... import ops
from ...ops.axes import canonical_axes
from ..arguments import int_tuple
from ..base import Layer


class RMSNormalization(Layer):
    """Rescales each sample to unit root mean square over ``axis``, then scales every feature
    (Zhang & Sennrich, 2019).

    Formula: y = x / √(mean(x²) + ε) · γ,   the mean over ``axis``, γ the learned ``scale``.

    LayerNormalization without the centring: no mean is subtracted and there is no β.
    Keras's ε here is 1e-6.

    Args:
        axis: int or list of ints, the axes normalised over (default −1, the features).
        epsilon: ε added to the mean square.

    Input shape:
        Any.

    Output shape:
        Same as the input. Weight: scale (γ, initialised to ones), of the input's shape on
        ``axis``.
    """

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        axes = int_tuple("RMSNormalization", "axis", axis)
        if len(set(axes)) != len(axes):
            raise ValueError(f"RMSNormalization: axis {axis!r} repeats an axis")
        if isinstance(epsilon, bool) or not isinstance(epsilon, numbers.Real) or not epsilon >= 0:
            raise ValueError(f"RMSNormalization: epsilon must be a number ≥ 0, got {epsilon!r}")
        self.axis = list(axes) if isinstance(axis, (list, tuple)) else int(axis)
        self.epsilon = float(epsilon)

    def _axes(self, ndim: int) -> tuple:
        try:
            return canonical_axes(self.axis, ndim, self.name)
        except TypeError as error:
            raise ValueError(str(error)) from None

    def build(self, input_shape):
        shape = tuple(input_shape[a] for a in self._axes(len(input_shape)))
        if any(s is None for s in shape):
            raise ValueError(f"{self.name}: the normalised axes {self.axis} need known lengths, "
                             f"got input shape {tuple(input_shape)}")
        self.scale = self.add_weight(shape, "ones", name="scale")

    def call(self, inputs):
        x = inputs
        axes = self._axes(x.ndim)
        if self.scale.shape != tuple(x.shape[a] for a in axes):
            raise ValueError(f"{self.name}: built for normalised axes of shape {self.scale.shape}, "
                             f"got input shape {x.shape}")
        gamma = ops.reshape(self.scale, [x.shape[a] if a in axes else 1 for a in range(x.ndim)])
        return ops.rms_normalization(x, scale=gamma, axis=axes, epsilon=self.epsilon)

    def compute_output_shape(self, input_shape):
        self._axes(len(input_shape))
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon}

"""UnitNormalization: scale each sample to unit L2 norm."""
from __future__ import annotations

import numpy as np

from ... import ops
from ...ops.axes import canonical_axes
from ..arguments import int_tuple
from ..base import Layer

EPSILON = 1e-12
"""Keras's floor on the norm: a zero vector stays zero instead of becoming NaN."""


class UnitNormalization(Layer):
    """Divides each sample by its Euclidean norm over ``axis``.

    Formula: y = x / max(‖x‖₂, ε),  ‖x‖₂ = √(Σ x²) over ``axis``,  ε = 1e-12
    (computed as x · min(1/‖x‖₂, 1/ε), as Keras does).

    No weights: afterwards every sample (or every vector along ``axis``) has length 1, e.g.
    before a cosine similarity.

    Args:
        axis: int or list of ints, the axes the norm is taken over (default −1).

    Input shape:
        Any.

    Output shape:
        Same as the input.
    """

    supports_masking = True          # a mask on the input passes on to the output

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        axes = int_tuple("UnitNormalization", "axis", axis)
        self.axis = list(axes) if isinstance(axis, (list, tuple)) else int(axis)

    def _axes(self, ndim: int) -> tuple:
        try:
            return canonical_axes(self.axis, ndim, self.name)
        except TypeError as error:
            raise ValueError(str(error)) from None

    def call(self, inputs):
        with np.errstate(divide="ignore"):         # a zero vector: 1/‖x‖ = inf, then capped at 1/ε
            return ops.normalize(inputs, axis=self._axes(inputs.ndim), order=2, epsilon=EPSILON)

    def compute_output_shape(self, input_shape):
        self._axes(len(input_shape))
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}

"""Identity: a layer that returns its input."""
from __future__ import annotations

from ..base import Layer


class Identity(Layer):
    """Returns its input unchanged (a placeholder, e.g. where a block may or may not have a
    projection).

    Formula: y = x;  ∂L/∂x = ∂L/∂y.

    Input shape:
        Any (a tensor or a list of tensors).

    Output shape:
        Same as the input; a mask on the input passes on.
    """

    supports_masking = True          # a mask on the input passes on to the output
    shape_by_arithmetic = True       # functional graphs take compute_output_shape, not a probe run

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

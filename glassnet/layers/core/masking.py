"""Masking: mark the time steps whose features all equal a padding value."""
from __future__ import annotations

import numpy as np

from ... import ops
from ...tensor import Tensor
from ..base import Layer


class Masking(Layer):
    """Masks (skips) every time step whose features all equal ``mask_value``.

    Formula: m[b, t] = any_k (x[b, t, k] ≠ mask_value);   y = x ⊙ m (masked steps become 0)

    The mask m travels with the output to the next layers: an LSTM then carries its state
    over the masked steps unchanged, as if they were not there.

    Args:
        mask_value: the padding value (default 0.0).

    Input shape:
        (batch, time, features) (any rank ≥ 2; the last axis is the features).

    Output shape:
        Same as the input.
    """

    shape_by_arithmetic = True

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = float(mask_value)

    def call(self, inputs):
        keep = np.any(inputs.data != self.mask_value, axis=-1, keepdims=True)
        return ops.mul(inputs, keep.astype(inputs.data.dtype))

    def compute_mask(self, inputs, previous_mask=None):
        return np.any(Tensor(inputs).data != self.mask_value, axis=-1)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "mask_value": self.mask_value}

"""ActivityRegularization: penalise the size of a layer's activations."""
from __future__ import annotations

from ... import regularizers
from ..base import Layer


class ActivityRegularization(Layer):
    """Passes its input through unchanged and adds a penalty on it to the loss.

    Formula: y = x;  penalty = (l1 · Σ|x| + l2 · Σ x²) / batch size  (added to ``layer.losses``).

    As in Keras 3, the penalty is divided by the batch size (the number of rows of x), so
    its strength does not depend on how the data is batched.

    Args:
        l1: factor of the L1 term (≥ 0).
        l2: factor of the L2 term (≥ 0).

    Input shape:
        Any.

    Output shape:
        Same as the input.
    """

    supports_masking = True          # a mask on the input passes on to the output

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        if "activity_regularizer" in kwargs:
            raise TypeError("ActivityRegularization: pass l1= and l2=, not activity_regularizer=")
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1 = self.activity_regularizer.l1
        self.l2 = self.activity_regularizer.l2

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return {**config, "l1": self.l1, "l2": self.l2}

"""Applying one layer to every time step of a sequence, with the same weights."""
from __future__ import annotations

from ... import ops
from ..core.wrapper import Wrapper


class TimeDistributed(Wrapper):
    """y[:, t] = layer(x[:, t]) for every step t, all steps sharing the layer's weights.

    The steps are folded into the batch: (n, T, …) → (n·T, …) → layer → (n, T, …'), one
    call instead of T (Keras loops over the steps; the result is the same for any layer that
    treats the rows of a batch independently, e.g. Dense, Conv2D, Dropout).

    Args:
        layer: the Layer to apply (held as ``self.layer``, saved in the config: see ``Wrapper``).

    A ``mask`` (batch, timesteps) is checked and passed on unchanged (``compute_mask``); the
    wrapped layer does not see it.

    Input shape:
        (batch, timesteps, …), at least 3-D.

    Output shape:
        (batch, timesteps, …) with the layer's output shape per step.
    """

    supports_masking = True

    def compute_mask(self, inputs, mask=None):
        return mask

    def _child_shape(self, shape) -> tuple:
        shape = tuple(shape)
        if len(shape) < 3:
            raise ValueError(f"{self.name}: expected an input of at least 3 dimensions (batch, timesteps, ...), "
                             f"got shape {shape}")
        return (None if shape[0] is None or shape[1] is None else shape[0] * shape[1], *shape[2:])

    def build(self, input_shape):
        self.layer.build_once(self._child_shape(input_shape))

    def call(self, inputs, training=None, mask=None):
        n, T = inputs.shape[:2]
        if mask is not None and tuple(getattr(mask, "shape", ()))[:2] != (n, T):
            raise ValueError(f"{self.name}: the mask must start with the input's (batch, timesteps) = {(n, T)}, "
                             f"got mask shape {tuple(getattr(mask, 'shape', ()))} for input shape {inputs.shape}")
        folded = ops.reshape(inputs, self._child_shape(inputs.shape))
        y = self.layer(folded, training=training)
        return ops.reshape(y, (n, T, *y.shape[1:]))

    def compute_output_shape(self, input_shape):
        child = self.layer.compute_output_shape((input_shape[0], *tuple(input_shape)[2:]))
        return (child[0], input_shape[1], *child[1:])

"""Maxout: each unit is the maximum of k linear pieces (Goodfellow et al., 2013)."""
from __future__ import annotations

from ... import ops
from ..arguments import check_positive_int
from ..core.dense import Dense


class Maxout(Dense):
    """The course's "max over k linear pieces": a Dense layer with k outputs per unit, then a max.

    Formula: yⱼ = max over p = 1..k of (x·W + b)[p·units + j]   (j = 1..units)

    The kernel W has shape (in, k·units) and the bias b (k·units,): columns
    p·units … (p+1)·units − 1 are piece p of every unit. With k = 2, W₂ = 0, b₂ = 0 a unit is a
    ReLU of its first piece; with W₂ = −W₁ it is |x·W₁|: maxout learns its own convex,
    piecewise-linear activation. (Keras 3 has no Maxout layer; this is Keras 1's
    ``MaxoutDense`` with ``units`` and ``pieces`` in place of ``output_dim`` and ``nb_feature``.)

    Args:
        units: number of output units.
        pieces: k, the number of linear pieces per unit (default 2).
        use_bias, kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
        activity_regularizer, kernel_constraint, bias_constraint: as for ``Dense``.

    Input shape:
        (batch, ..., in).

    Output shape:
        (batch, ..., units).
    """

    def __init__(self, units, pieces=2, **kwargs):
        if "activation" in kwargs:
            raise TypeError("Maxout: takes no activation (the max over the pieces is the activation)")
        super().__init__(units, **kwargs)
        self.pieces = check_positive_int("Maxout", "pieces", pieces)

    def build(self, input_shape):
        self._check_input_shape(input_shape)
        self._build_affine(input_shape[-1], self.pieces * self.units)

    def call(self, inputs):
        z = self.affine(inputs)
        z = ops.reshape(z, (*z.shape[:-1], self.pieces, self.units))
        return ops.max(z, axis=-2)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["activation"]
        config["pieces"] = self.pieces
        return config

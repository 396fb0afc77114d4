"""Dense: the fully connected layer of a multilayer perceptron."""
from __future__ import annotations

from ... import activations, constraints, initializers, ops, regularizers
from ..arguments import check_bool, check_positive_int
from ..base import Layer
from ..registry import serialize_component


class Dense(Layer):
    """Densely connected layer: every unit sees every input feature.

    Formula: y = a(x·W + b), with W the kernel (in, units), b the bias (units,), a the activation.

    The course's neuron is ``Dense(1, activation="sigmoid")``: with W = [0.9, 0.2, 0.3]ᵀ,
    b = 0.5 and x = [2, 3, −1], z = 1.8 + 0.6 − 0.3 + 0.5 = 2.6 and y = σ(2.6) ≈ 0.9309.

    Args:
        units: number of output units (a positive int).
        activation: activation name or function (default None: linear, y = x·W + b).
        use_bias: whether to add the bias b.
        kernel_initializer, bias_initializer: initializers of W and b ("glorot_uniform",
            "zeros").
        kernel_regularizer, bias_regularizer: penalties on W and b, added to the loss.
        activity_regularizer: penalty on the output y, added to the loss.
        kernel_constraint, bias_constraint: projections applied after each update.

    Input shape:
        (batch, ..., in): any rank ≥ 2; W acts on the last axis.

    Output shape:
        (batch, ..., units).
    """

    supports_masking = True          # a mask on the input passes on to the output

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units = check_positive_int(type(self).__name__, "units", units)
        self.activation = activations.get(activation)
        self.use_bias = check_bool("Dense", "use_bias", use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape):
        self._check_input_shape(input_shape)
        self._build_affine(input_shape[-1], self.units)

    def _build_affine(self, input_dim: int, width: int) -> None:
        """Create the kernel W (input_dim, width) and the bias b (width,)."""
        self.kernel = self.add_weight(shape=(input_dim, width), initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
                                      name="kernel")
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(shape=(width,), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                        name="bias")

    def _check_input_shape(self, shape) -> None:
        expected = self.kernel.shape[0] if self.built else None
        if len(shape) < 2 or shape[-1] is None or (expected is not None and shape[-1] != expected):
            wanted = f"(batch, ..., {expected if expected is not None else 'in'})"
            raise ValueError(f"{self.name}: expected inputs of shape {wanted} with a known last axis, "
                             f"got shape {tuple(shape)}")

    def affine(self, x, relu=False):
        """z = x·W + b (and max(0, z) with ``relu``), over the last axis of an input of any rank ≥ 2."""
        W, b = self.kernel, self.bias
        shape = x.shape
        if len(shape) < 2 or shape[-1] != W.data.shape[0]:
            self._check_input_shape(shape)                  # raises, saying what was expected
        if x.data.dtype != W.data.dtype:
            x = ops.cast(x, W.dtype)
        if len(shape) == 2:
            return ops.linear(x, W, b, relu=relu)
        # one 2-D product over all leading axes, then the leading axes back
        z = ops.linear(ops.reshape(x, (-1, x.shape[-1])), W, b, relu=relu)
        return ops.reshape(z, (*x.shape[:-1], W.shape[1]))

    def call(self, inputs):
        if self.activation is activations.relu:
            return self.affine(inputs, relu=True)      # the ReLU fused into the same op
        z = self.affine(inputs)
        return z if self.activation is activations.linear else self.activation(z)

    def compute_output_shape(self, input_shape):
        return (*tuple(input_shape)[:-1], self.units)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": serialize_component(initializers, self.kernel_initializer),
            "bias_initializer": serialize_component(initializers, self.bias_initializer),
            "kernel_regularizer": serialize_component(regularizers, self.kernel_regularizer),
            "bias_regularizer": serialize_component(regularizers, self.bias_regularizer),
            "kernel_constraint": serialize_component(constraints, self.kernel_constraint),
            "bias_constraint": serialize_component(constraints, self.bias_constraint),
        }

"""The convolutional LSTM cell: an LSTM whose products with W and U are convolutions."""
from __future__ import annotations

import numpy as np

from ... import activations, initializers, ops
from ...tensor import Tensor
from ..arguments import check_bool, check_positive_int
from ..convolutional.base_conv import SlidingWindow
from ..reshaping.channels import from_channels_last, shape_from_channels_last, to_channels_last
from .dropout_rnn_cell import DropoutRNNCell
from .rnn import _row_major


class ConvLSTMCell(DropoutRNNCell, SlidingWindow):
    """One step of a convolutional LSTM (Shi et al., 2015), Keras's gate order i, f, c, o.

    The LSTM's equations with every product x·W, h·U replaced by a convolution ⊛, so the
    input x_t, the gates and the states h_t, c_t are feature maps (batch, *spatial, channels):

    Equations:
        i_t = σ(x_t ⊛ W_i + h_{t−1} ⊛ U_i + b_i)          input gate
        f_t = σ(x_t ⊛ W_f + h_{t−1} ⊛ U_f + b_f)          forget gate
        c̃_t = tanh(x_t ⊛ W_c + h_{t−1} ⊛ U_c + b_c)       candidate cell state
        o_t = σ(x_t ⊛ W_o + h_{t−1} ⊛ U_o + b_o)          output gate
        c_t = f_t ⊙ c_{t−1} + i_t ⊙ c̃_t
        h_t = o_t ⊙ tanh(c_t)

    W = [W_i W_f W_c W_o] (*kernel_size, C, 4f) slides over x_t with the cell's strides,
    padding and dilation, so h_t has conv_output_length(n, k, padding, s, d) positions per
    spatial axis; U (*kernel_size, f, 4f) slides over h_{t−1} with stride 1 and "same"
    padding, so h keeps its size; b (4f,). σ is ``recurrent_activation``, tanh ``activation``.
    The states are [h_t, c_t], each (batch, *output spatial, filters); the output is h_t.
    With data_format="channels_first" the channels come first, (batch, channels, *spatial),
    in x_t, h_t and c_t alike; the step moves them last around its computation.

    Args:
        rank: the number of spatial axes (1, 2 or 3).
        filters: f, the channels of h_t and c_t.
        kernel_size, strides, padding ("valid" or "same"), data_format ("channels_last" or
            "channels_first"; None: ``backend.image_data_format()``), dilation_rate: those of
            x_t ⊛ W (as ``Conv2D``'s); strides > 1 cannot be combined with dilation_rate > 1.
        activation, recurrent_activation: tanh and σ above.
        unit_forget_bias: start b_f at 1 (the rest of b at ``bias_initializer``).
        use_bias, kernel_*, recurrent_*, bias_* initializers/regularizers/constraints: as ``LSTMCell``.
        dropout, recurrent_dropout, seed: each gate g has its own masks m_g, m'_g, drawn once per
            call of the layer and shaped like x_t and h_{t−1}: x_t ⊙ m_g ⊛ W_g and h_{t−1} ⊙ m'_g ⊛ U_g.

    Call arguments:
        inputs: x_t, (batch, *spatial, channels).
        states: [h_{t−1}, c_{t−1}].
        training: whether dropout applies.
    """

    causal_allowed = False
    dropout_mask_count = 4            # one mask per gate, as Keras's ConvLSTMCell

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 activation="tanh", recurrent_activation="sigmoid", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", unit_forget_bias=True,
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 **kwargs):
        owner = type(self).__name__
        if rank not in (1, 2, 3) or isinstance(rank, bool):
            raise ValueError(f"{owner}: rank must be 1, 2 or 3 (the spatial axes of the convolution), got {rank!r}")
        super().__init__(rank, kernel_size, strides, padding, data_format, dilation_rate, activation, **kwargs)
        self.filters = check_positive_int(owner, "filters", filters)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = check_bool(owner, "use_bias", use_bias)
        self.unit_forget_bias = check_bool(owner, "unit_forget_bias", unit_forget_bias)
        self._set_weight_options("kernel", kernel_initializer, kernel_regularizer, kernel_constraint)
        self._set_weight_options("recurrent", recurrent_initializer, recurrent_regularizer, recurrent_constraint)
        self._set_weight_options("bias", bias_initializer, bias_regularizer, bias_constraint)
        self._set_dropout(dropout, recurrent_dropout, seed)
        # the channels of h and c; each state is (batch, *output spatial, filters) (state_shape)
        self.state_size = [self.filters, self.filters]
        self.input_shape_ = None          # one step's (*spatial, channels), in data_format's order

    # --- shapes ---------------------------------------------------------------------------
    def _input_channels(self):
        return self.kernel.shape[-2] if self.built else None

    def state_shape(self, batch_size=None) -> tuple:
        """(batch, *output spatial, filters), channels first with "channels_first": the shape of
        h_t and c_t (after build)."""
        return self.compute_output_shape((batch_size, *self.input_shape_))[0]

    def compute_output_shape(self, inputs_shape, states_shape=None):
        inputs_shape = self._check_input(inputs_shape)            # channels-last
        shape = shape_from_channels_last((inputs_shape[0], *self._spatial_output(inputs_shape), self.filters),
                                         self.data_format)
        return shape, [shape, shape]

    def get_initial_state(self, batch_size=None):
        return [Tensor(np.zeros(self.state_shape(batch_size), dtype=self.dtype)) for _ in range(2)]

    # --- weights -------------------------------------------------------------------------
    def build(self, input_shape, states_shape=None):
        channels_last = self._check_input(input_shape)
        if None in channels_last[1:]:
            raise ValueError(f"{self.name}: the spatial axes must be known (the states' shape depends on them), "
                             f"got step input shape {tuple(input_shape)}")
        self.input_shape_ = tuple(input_shape)[1:]
        channels, width = channels_last[-1], 4 * self.filters
        self.kernel = self._make_weight("kernel", (*self.kernel_size, channels, width), "kernel")
        self.recurrent_kernel = self._make_weight("recurrent", (*self.kernel_size, self.filters, width),
                                                  "recurrent_kernel", _row_major(self.recurrent_initializer))
        self.bias = self._make_weight("bias", (width,), "bias", self._bias_initializer()) if self.use_bias else None

    def _bias_initializer(self):
        if not self.unit_forget_bias:
            return None                                       # the stored bias_initializer
        f, inner = self.filters, self.bias_initializer

        def forget_bias_one(shape, dtype=None):               # [b_i, b_f = 1, b_c, b_o]
            return np.concatenate([inner((f,), dtype=dtype), initializers.get("ones")((f,), dtype=dtype),
                                   inner((2 * f,), dtype=dtype)])

        return forget_bias_one

    # --- one step --------------------------------------------------------------------------
    def call(self, inputs, states, training=False):
        inputs, h_prev, c_prev = (to_channels_last(t, self.data_format) for t in (inputs, states[0], states[1]))
        input_masks, recurrent_masks = self._masks(inputs, h_prev, training)
        z = (self._convolve_gates(_per_gate(inputs, input_masks), self.kernel, self.bias, strides=self.strides,
                                  padding=self.padding, dilation_rate=self.dilation_rate)
             + self._convolve_gates(_per_gate(h_prev, recurrent_masks), self.recurrent_kernel, None, padding="same"))
        z_i, z_f, z_c, z_o = ops.split(z, 4, axis=-1)
        i = self.recurrent_activation(z_i)
        f = self.recurrent_activation(z_f)
        c_tilde = self.activation(z_c)
        o = self.recurrent_activation(z_o)
        c = f * c_prev + i * c_tilde
        h = o * self.activation(c)
        h, c = from_channels_last(h, self.data_format), from_channels_last(c, self.data_format)
        return h, [h, c]

    @staticmethod
    def _convolve_gates(x, kernel, bias, **options):
        """x ⊛ kernel (+ bias): one convolution, or, for a list of four inputs (one per gate,
        after dropout), gate g's input with gate g's quarter of the kernel, joined on channels."""
        if not isinstance(x, list):
            return ops.conv(x, kernel, bias=bias, **options)
        kernels = ops.split(kernel, 4, axis=-1)
        biases = ops.split(bias, 4) if bias is not None else [None] * 4
        return ops.concatenate([ops.conv(x_g, W_g, bias=b_g, **options)
                                for x_g, W_g, b_g in zip(x, kernels, biases)], axis=-1)

    def get_config(self) -> dict:
        return {**super().get_config(), "rank": self.rank, "filters": self.filters,
                "recurrent_activation": activations.serialize(self.recurrent_activation), "use_bias": self.use_bias,
                **self._weight_config("kernel", "recurrent", "bias"), "unit_forget_bias": self.unit_forget_bias,
                "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout, "seed": self.seed}


def _per_gate(x, masks):
    """x unchanged without dropout; else [x ⊙ m_g for the four gates]."""
    return x if masks is None else [x * m for m in masks]

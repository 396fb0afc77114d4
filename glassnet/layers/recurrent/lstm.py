"""Long short-term memory: a gated cell state c_t that carries information across many steps."""
from __future__ import annotations

import numpy as np

from ... import activations, initializers, ops
from .dropout_rnn_cell import project
from .rnn import RecurrentCell, RecurrentLayer


class LSTMCell(RecurrentCell):
    """One step of an LSTM (Hochreiter & Schmidhuber, 1997), Keras's gate order i, f, c, o.

    Equations:
        i_t = σ(x_t·W_i + h_{t−1}·U_i + b_i)          input gate
        f_t = σ(x_t·W_f + h_{t−1}·U_f + b_f)          forget gate
        c̃_t = tanh(x_t·W_c + h_{t−1}·U_c + b_c)       candidate cell state
        o_t = σ(x_t·W_o + h_{t−1}·U_o + b_o)          output gate
        c_t = f_t ⊙ c_{t−1} + i_t ⊙ c̃_t
        h_t = o_t ⊙ tanh(c_t)

    W = [W_i W_f W_c W_o] (in, 4u), U (u, 4u), b (4u,); σ is ``recurrent_activation``
    (sigmoid), tanh is ``activation``. The states are [h_t, c_t]; the output is h_t.

    Args:
        units: u, the size of h_t and c_t.
        activation, recurrent_activation: tanh and σ above.
        unit_forget_bias: start b_f at 1 (so the cell remembers at first), the rest of b at
            ``bias_initializer`` (Jozefowicz et al., 2015).
        the rest: as ``SimpleRNNCell``. With ``recurrent_dropout`` each gate gets its own
        input and recurrent masks.
    """

    gates = 4

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        super().__init__(units, activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer,
                         kernel_regularizer, recurrent_regularizer, bias_regularizer, kernel_constraint,
                         recurrent_constraint, bias_constraint, dropout, recurrent_dropout, seed, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)
        if self.recurrent_dropout:
            self.dropout_mask_count = 4        # one mask per gate (Keras's implementation 1)
        self.state_size = [self.units, self.units]

    def _bias_initializer(self):
        if not self.unit_forget_bias:
            return None
        units, inner = self.units, self.bias_initializer

        def forget_bias_one(shape, dtype=None):      # [b_i, b_f = 1, b_c, b_o]
            return np.concatenate([inner((units,), dtype=dtype), initializers.get("ones")((units,), dtype=dtype),
                                   inner((2 * units,), dtype=dtype)])

        return forget_bias_one

    def call(self, inputs, states, training=False):
        h_prev, c_prev = states[0], states[1]
        input_mask, recurrent_mask = self._masks(inputs, h_prev, training)
        z = project(inputs, self.kernel, input_mask, 4)
        if self.bias is not None:
            z = z + self.bias
        z = z + project(h_prev, self.recurrent_kernel, recurrent_mask, 4)
        z_i, z_f, z_c, z_o = ops.split(z, 4, axis=1)
        i = self.recurrent_activation(z_i)
        f = self.recurrent_activation(z_f)
        c_tilde = self.activation(z_c)
        o = self.recurrent_activation(z_o)
        c = f * c_prev + i * c_tilde
        h = o * self.activation(c)
        return h, [h, c]

    def input_bias(self):
        return self.bias

    def get_config(self) -> dict:
        return {**super().get_config(), "recurrent_activation": activations.serialize(self.recurrent_activation),
                "unit_forget_bias": self.unit_forget_bias}


class LSTM(RecurrentLayer):
    """Long short-term memory layer (see ``LSTMCell`` for the equations).

    Its cell state is updated by addition, c_t = f ⊙ c_{t−1} + i ⊙ c̃_t, so backpropagation
    through time scales ∂L/∂c by the forget gate f alone at each step: when f stays near 1 the
    gradient reaches far back instead of vanishing as in a SimpleRNN (``unit_forget_bias``
    starts f at σ(1) ≈ 0.73; training can raise it).

    Args: as ``LSTMCell`` and ``RNN``; ``use_cudnn`` is accepted for Keras compatibility.

    Input shape:
        (batch, timesteps, features).

    Output shape:
        (batch, units) or (batch, timesteps, units); with ``return_state``: output, h_T, c_T.
    """

    cell_class = LSTMCell
    fused_op = "lstm_sequence"

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, use_cudnn="auto", **kwargs):
        super().__init__(locals(), **kwargs)

    def _fused_arguments(self, states) -> tuple:
        return states[0], states[1], self.cell.recurrent_kernel

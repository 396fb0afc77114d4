"""The simple (Elman) recurrent network: o_t = f(x_t·W + o_{t−1}·U + b)."""
from __future__ import annotations

from ... import ops
from .dropout_rnn_cell import gate_input, project
from .rnn import RecurrentCell, RecurrentLayer


class SimpleRNNCell(RecurrentCell):
    """One step of a fully-connected recurrent network.

    Equations:
        o_t = f(x_t·W + o_{t−1}·U + b)

    x_t (batch, in) is the step's input, o_{t−1} (batch, units) the previous output (the
    state), W (in, units) the kernel, U (units, units) the recurrent kernel, b (units,) the
    bias and f the activation (tanh).

    Args:
        units: size of the output o_t.
        activation: f (default "tanh").
        use_bias: whether to add b.
        kernel_initializer, recurrent_initializer, bias_initializer: for W, U, b
            ("glorot_uniform", "orthogonal", "zeros").
        kernel_regularizer, recurrent_regularizer, bias_regularizer: penalties on W, U, b.
        kernel_constraint, recurrent_constraint, bias_constraint: applied after each update.
        dropout: fraction of x_t's units dropped (training; one mask per sequence).
        recurrent_dropout: fraction of o_{t−1}'s units dropped.
        seed: seed of the dropout masks.

    Call: ``cell(x_t, [o_{t−1}], training=None)`` → ``(o_t, [o_t])``.
    """

    def call(self, inputs, states, training=False):
        o_prev = states[0] if isinstance(states, (list, tuple)) else states
        input_mask, recurrent_mask = self._masks(inputs, o_prev, training)
        z = project(inputs, self.kernel, input_mask, 1)
        if self.bias is not None:
            z = z + self.bias
        z = z + ops.matmul(gate_input(o_prev, recurrent_mask, 0), self.recurrent_kernel)
        o = self.activation(z)
        return o, [o] if isinstance(states, (list, tuple)) else o

    def input_bias(self):
        return self.bias


class SimpleRNN(RecurrentLayer):
    """A fully-connected RNN whose output is fed back: o_t = f(x_t·W + o_{t−1}·U + b).

    Why it forgets (the vanishing gradient): backpropagation through time multiplies one
    Jacobian per step, ∂o_t/∂o_{t−1} = diag(f′(z_t))·Uᵀ, so the gradient that reaches step
    t from step T is a product of T − t such factors. With tanh (f′ ≤ 1) and ‖U‖ < 1 it
    shrinks geometrically — inputs 50 steps back stop influencing learning — and with
    ‖U‖ > 1 it can explode (clip it: ``clipnorm``). LSTM and GRU add a path along which the
    gradient is scaled only by a learned gate; ``examples/vanishing_gradients.py`` plots it.

    Args (the cell's, see ``SimpleRNNCell``, and the loop's, see ``RNN``): units, activation,
    use_bias, the initializers/regularizers/constraints of kernel, recurrent_kernel and bias,
    activity_regularizer, dropout, recurrent_dropout, return_sequences, return_state,
    go_backwards, stateful, unroll, seed.

    Input shape:
        (batch, timesteps, features).

    Output shape:
        (batch, units), or (batch, timesteps, units) with ``return_sequences``.
    """

    cell_class = SimpleRNNCell
    fused_op = "simple_rnn_sequence"

    def __init__(self, units, activation="tanh", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, seed=None, **kwargs):
        super().__init__(locals(), **kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["seed"]                 # as Keras: SimpleRNN's config has no seed (its cell's has)
        return config

    def _fused_arguments(self, states) -> tuple:
        return states[0], self.cell.recurrent_kernel

"""Gated recurrent unit: an update gate z mixes the previous state with a candidate."""
from __future__ import annotations

from ... import activations, ops
from .dropout_rnn_cell import gate_input, project
from .rnn import RecurrentCell, RecurrentLayer


class GRUCell(RecurrentCell):
    """One step of a GRU (Cho et al., 2014), Keras's gate order z, r, h.

    Equations (``reset_after=True``, the default; b input bias, b' recurrent bias):
        z_t = σ(x_t·W_z + b_z + h_{t−1}·U_z + b'_z)          update gate
        r_t = σ(x_t·W_r + b_r + h_{t−1}·U_r + b'_r)          reset gate
        h̃_t = tanh(x_t·W_h + b_h + r_t ⊙ (h_{t−1}·U_h + b'_h))  candidate
        h_t = z_t ⊙ h_{t−1} + (1 − z_t) ⊙ h̃_t

    With ``reset_after=False`` the reset gate acts before the product and there is one bias:
        h̃_t = tanh(x_t·W_h + (r_t ⊙ h_{t−1})·U_h + b_h)

    W (in, 3u), U (u, 3u); bias (2, 3u) — rows b and b' — with reset_after, else (3u,).

    Args:
        units, activation, recurrent_activation: u, tanh and σ above.
        reset_after: where the reset gate applies (True: after the product, the cuDNN form).
        the rest: as ``SimpleRNNCell``; with ``recurrent_dropout`` each gate gets its own masks.
    """

    gates = 3

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0,
                 reset_after=True, seed=None, **kwargs):
        super().__init__(units, activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer,
                         kernel_regularizer, recurrent_regularizer, bias_regularizer, kernel_constraint,
                         recurrent_constraint, bias_constraint, dropout, recurrent_dropout, seed, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = bool(reset_after)
        if self.recurrent_dropout:
            self.dropout_mask_count = 3        # one mask per gate (Keras's implementation 1)

    def _bias_shape(self) -> tuple:
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def input_bias(self):
        """b: the bias added to x_t·W (the first row with reset_after)."""
        if self.bias is None:
            return None
        return ops.getitem(self.bias, 0) if self.reset_after else self.bias

    def recurrent_bias(self):
        """b': the bias added to h_{t−1}·U (reset_after only)."""
        return ops.getitem(self.bias, 1) if self.reset_after and self.bias is not None else None

    def call(self, inputs, states, training=False):
        h_prev = states[0] if isinstance(states, (list, tuple)) else states
        input_mask, recurrent_mask = self._masks(inputs, h_prev, training)
        u = self.units
        x_proj = project(inputs, self.kernel, input_mask, 3)
        if self.bias is not None:
            x_proj = x_proj + self.input_bias()
        x_z, x_r, x_h = ops.split(x_proj, 3, axis=1)
        U_zr = ops.getitem(self.recurrent_kernel, (slice(None), slice(0, 2 * u)))
        U_h = ops.getitem(self.recurrent_kernel, (slice(None), slice(2 * u, 3 * u)))
        if self.reset_after:
            recurrent = project(h_prev, self.recurrent_kernel, recurrent_mask, 3)
            if self.bias is not None:
                recurrent = recurrent + self.recurrent_bias()
            rec_z, rec_r, rec_h = ops.split(recurrent, 3, axis=1)
        else:
            zr_masks = recurrent_mask[:2] if isinstance(recurrent_mask, list) else recurrent_mask
            rec_z, rec_r = ops.split(project(h_prev, U_zr, zr_masks, 2), 2, axis=1)
        z = self.recurrent_activation(x_z + rec_z)
        r = self.recurrent_activation(x_r + rec_r)
        if self.reset_after:
            h_tilde = self.activation(x_h + r * rec_h)
        else:
            h_tilde = self.activation(x_h + ops.matmul(r * gate_input(h_prev, recurrent_mask, 2), U_h))
        h = z * h_prev + (1.0 - z) * h_tilde
        return h, [h] if isinstance(states, (list, tuple)) else h

    def get_config(self) -> dict:
        return {**super().get_config(), "recurrent_activation": activations.serialize(self.recurrent_activation),
                "reset_after": self.reset_after}


class GRU(RecurrentLayer):
    """Gated recurrent unit layer (see ``GRUCell`` for the equations).

    h_t = z ⊙ h_{t−1} + (1 − z) ⊙ h̃_t interpolates between the old state and a new one, so
    along h the gradient is scaled by the update gate z at each step: with z near 1 it passes
    many steps back almost unchanged (the LSTM's remedy for vanishing gradients, with one
    state instead of two and three gates instead of four).

    Args: as ``GRUCell`` and ``RNN``; ``use_cudnn`` is accepted for Keras compatibility.

    Input shape:
        (batch, timesteps, features).

    Output shape:
        (batch, units) or (batch, timesteps, units); with ``return_state``: output, h_T.
    """

    cell_class = GRUCell
    fused_op = "gru_sequence"

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, reset_after=True, use_cudnn="auto", **kwargs):
        super().__init__(locals(), **kwargs)

    def _fused_arguments(self, states) -> tuple:
        return states[0], self.cell.recurrent_kernel

    def _fused_options(self) -> dict:
        return {"recurrent_bias": self.cell.recurrent_bias(), "reset_after": self.cell.reset_after}

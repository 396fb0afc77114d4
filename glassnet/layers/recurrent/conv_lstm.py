"""Convolutional LSTM layers: sequences of feature maps (video frames, say) in, feature maps out."""
from __future__ import annotations

import numpy as np

from ... import ops
from ...tensor import Tensor
from ..base import flatten
from .conv_lstm_cell import ConvLSTMCell
from .rnn import RecurrentLayer


class ConvLSTM(RecurrentLayer):
    """An ``RNN`` over a ``ConvLSTMCell`` (see it for the equations), for ``rank`` spatial axes.

    Each step convolves both x_t ⊛ W and h_{t−1} ⊛ U. Doing all T input convolutions first,
    as one convolution of the n·T step inputs (LSTM's one x·W product), was measured 1.1–1.8×
    slower here: a convolution costs the same flops in one call or in T, and each step's
    slice of the (batch, T, …, 4f) result sends back a full-size gradient (``ops.getitem``).

    Input shape:
        (batch, timesteps, *spatial, channels), spatial sizes known (channels second to
        *spatial with data_format="channels_first", for the outputs and states too).

    Output shape:
        (batch, *output spatial, filters), or (batch, timesteps, *output spatial, filters)
        with ``return_sequences``; with ``return_state``: output, h_T, c_T (each
        (batch, *output spatial, filters)). "same" padding with stride 1 keeps the spatial sizes.
    """

    cell_class = ConvLSTMCell
    rank: int

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 activation="tanh", recurrent_activation="sigmoid", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", unit_forget_bias=True,
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, **kwargs):
        # Keras's ConvLSTM layers do not name ``unroll``; it comes (from a config) through kwargs
        super().__init__({**locals(), "rank": self.rank, "unroll": kwargs.pop("unroll", False)}, **kwargs)

    # --- shapes and states ---------------------------------------------------------------------
    def _check_sequences(self, shape) -> None:
        shape = tuple(shape)
        if len(shape) != self.rank + 3:
            raise ValueError(f"{self.name}: expected a {self.rank + 3}-D input (batch, timesteps, "
                             f"{self.rank} spatial axes, channels), got shape {shape}")
        cell = self.cell
        if cell.built and shape[2:] != cell.input_shape_:
            raise ValueError(f"{self.name}: built for steps of shape {cell.input_shape_} (the input's shape after "
                             f"batch and timesteps), got input shape {shape}")
        cell._check_input((shape[0], *shape[2:]))

    def _initial_states(self, initial_state, batch, dtype) -> list:
        if initial_state is None:
            if self.stateful:
                return [Tensor(s) for s in self.states]
            return self.get_initial_state(batch)
        given = flatten(list(initial_state) if isinstance(initial_state, (list, tuple)) else [initial_state])
        expected = [self.cell.state_shape(batch)] * 2
        shapes = [tuple(s.shape) if hasattr(s, "shape") else np.shape(s) for s in given]
        if shapes != expected:
            raise ValueError(f"{self.name}: initial_state must be [h, c], two tensors of shape {expected[0]}, "
                             f"got {len(given)} of shapes {shapes}")
        tensors = [s if isinstance(s, Tensor) else Tensor(np.asarray(s, dtype=dtype)) for s in given]
        return [ops.cast(s, dtype) if s.dtype != dtype else s for s in tensors]

    def reset_states(self) -> None:
        """Zero the kept states of a stateful layer."""
        if self.stateful and self._expected_batch_size is not None:
            self.states = [np.array(s.data) for s in self.cell.get_initial_state(self._expected_batch_size)]

    reset_state = reset_states

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        self._check_sequences(sequences_shape)
        batch, steps = sequences_shape[0], sequences_shape[1]
        state, _ = self.cell.compute_output_shape((batch, *sequences_shape[2:]))
        output = (batch, steps, *state[1:]) if self.return_sequences else state
        return (output, state, state) if self.return_state else output

    def _fused_sequence(self, sequences, states, mask, training):
        return None                       # no fused op: RNN's loop runs the cell (see the class docstring)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["rank"]                # the class says it
        return config


_DOC = """{rank}-D convolutional LSTM: an LSTM whose x·W and h·U are {rank}-D convolutions.

    Equations (``ConvLSTMCell``; ⊛ a {rank}-D convolution over {spatial}):
        i_t = σ(x_t ⊛ W_i + h_{{t−1}} ⊛ U_i + b_i),  f_t = σ(x_t ⊛ W_f + h_{{t−1}} ⊛ U_f + b_f)
        o_t = σ(x_t ⊛ W_o + h_{{t−1}} ⊛ U_o + b_o),  c̃_t = tanh(x_t ⊛ W_c + h_{{t−1}} ⊛ U_c + b_c)
        c_t = f_t ⊙ c_{{t−1}} + i_t ⊙ c̃_t,         h_t = o_t ⊙ tanh(c_t)

    Args:
        filters: f, the channels of h_t and c_t.
        kernel_size, strides, padding ("valid" or "same"), dilation_rate: of x_t ⊛ W, an int or
            {rank} ints; h_{{t−1}} ⊛ U has stride 1 and "same" padding.
        data_format: "channels_last" (batch, time, {spatial}, channels) or "channels_first"
            (batch, time, channels, {spatial}), for the outputs and states too; None:
            ``backend.image_data_format()``.
        activation ("tanh"), recurrent_activation ("sigmoid"), use_bias, unit_forget_bias, the
            kernel_/recurrent_/bias_ initializer, regularizer and constraint, activity_regularizer,
            dropout, recurrent_dropout, seed: as ``LSTM``.
        return_sequences, return_state, go_backwards, stateful: as ``RNN``.

    Weights (Keras's, in its cell): kernel ({kernel}, channels, 4f), recurrent_kernel
    ({kernel}, f, 4f), bias (4f,), gates in the order i, f, c, o.

    Input shape:
        (batch, timesteps, {spatial}, channels) (channels_last).

    Output shape:
        (batch, {out}, f), or (batch, timesteps, {out}, f) with ``return_sequences``; with
        ``return_state`` also h_T and c_T, each (batch, {out}, f). (channels_last; with
        channels_first f comes before {out}.)
    """


class ConvLSTM1D(ConvLSTM):
    __doc__ = _DOC.format(rank=1, spatial="rows", kernel="k", out="new_rows")
    rank = 1


class ConvLSTM2D(ConvLSTM):
    __doc__ = _DOC.format(rank=2, spatial="rows, cols", kernel="kh, kw", out="new_rows, new_cols")
    rank = 2


class ConvLSTM3D(ConvLSTM):
    __doc__ = _DOC.format(rank=3, spatial="depth, rows, cols", kernel="kd, kh, kw",
                          out="new_depth, new_rows, new_cols")
    rank = 3

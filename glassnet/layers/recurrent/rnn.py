"""The loop over time (``RNN``), and what the built-in cells and layers share.

Keras splits a recurrent layer in two: a *cell* computes one step,
``output_t, states_t = cell.call(x_t, states_{t−1})``, and the ``RNN`` layer runs it over the
time axis of a (batch, time, features) input. Any Layer with a ``state_size`` and such a
``call`` is a cell, so a user-written cell works in ``RNN`` as the built-in ones do.

Masking (a (batch, time) boolean ``mask``): at a masked step the states are carried over
unchanged and the output repeats the previous output (zeros before the first valid step),

    s_t = m_t ? cell(x_t, s_{t−1}) : s_{t−1},      y_t = m_t ? o_t : y_{t−1}

so the final state of a padded sequence equals that of the sequence without its padding, and
masked steps get no gradient. ``go_backwards`` processes the steps from last to first and,
with ``return_sequences``, returns the outputs in that (reversed) order, as Keras does.
"""
from __future__ import annotations

import inspect

import numpy as np

from ... import activations, ops, regularizers
from ...tensor import Tensor
from ..arguments import check_bool, check_positive_int
from ..base import Layer, flatten, snake_case
from ..registry import serialize_component
from ..weight_options import WeightOptions
from .dropout_rnn_cell import DropoutRNNCell, project

FUSED_ACTIVATIONS = ("tanh", "sigmoid", "relu", "linear", "hard_sigmoid")   # what the fused ops compute


def pack_like(structure, flat: list):
    """Put the leaves of ``flat`` back into the nesting of ``structure`` (lists of leaves)."""
    leaves = iter(flat)

    def pack(s):
        return [pack(x) for x in s] if isinstance(s, (list, tuple)) else next(leaves)

    return pack(structure)


def _accepts_training(cell) -> bool:
    if isinstance(cell, Layer):
        return cell._accepts("training")
    return "training" in inspect.signature(cell.call).parameters


class RNN(Layer):
    """Runs a cell over the time axis: o_t, s_t = cell(x_t, s_{t−1}) for t = 1…T.

    Args:
        cell: a cell (a Layer with ``state_size`` and ``call(inputs, states)`` returning
            ``(output, new_states)``), or a list of cells (stacked with ``StackedRNNCells``).
        return_sequences: return every output (batch, time, units), not only the last.
        return_state: also return the final states: ``output, *states``.
        go_backwards: process the sequence from its last step to its first.
        stateful: the final states of a batch are the initial states of the next
            (``reset_states()`` zeroes them); needs a fixed batch size.
        unroll: accepted for Keras compatibility (the loop is always a Python loop here).
        zero_output_for_mask: masked steps output zeros instead of repeating the previous output.

    Call arguments:
        sequences: (batch, time, features).
        initial_state: list of tensors, one per state (batch, state size); default zeros.
        mask: (batch, time) booleans, False at padded steps.
        training: whether dropout applies.

    Output shape:
        (batch, units), or (batch, time, units) with ``return_sequences``; with
        ``return_state`` a tuple ``(output, state_1, ...)``.
    """

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False, stateful=False,
                 unroll=False, zero_output_for_mask=False, **kwargs):
        if isinstance(cell, (list, tuple)):
            from .stacked_rnn_cells import StackedRNNCells
            cell = StackedRNNCells(cell)
        if not callable(getattr(cell, "call", None)):
            raise ValueError(f"RNN: the cell must have a call(inputs, states) method, got {cell!r}")
        state_size = getattr(cell, "state_size", None)
        if state_size is None or not isinstance(state_size, (int, list, tuple)):
            raise ValueError(f"RNN: the cell must have a state_size attribute (an int, or a list with one int per "
                             f"state), got {state_size!r} from {cell!r}")
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = check_bool(type(self).__name__, "return_sequences", return_sequences)
        self.return_state = bool(return_state)
        self.go_backwards = bool(go_backwards)
        self.stateful = bool(stateful)
        self.unroll = bool(unroll)
        self.zero_output_for_mask = bool(zero_output_for_mask)
        self.states = None
        self._expected_batch_size = None

    supports_masking = True

    @property
    def shape_by_arithmetic(self) -> bool:
        """A functional graph takes one output's shape from ``compute_output_shape`` (no probe run,
        which would also move a stateful layer's states); with return_state it probes."""
        return not self.return_state

    def compute_mask(self, inputs, mask=None):
        """The time mask passes on with the sequence of outputs (Keras), not with the last output."""
        mask = mask[0] if isinstance(mask, (list, tuple)) else mask
        output_mask = mask if self.return_sequences else None
        return [output_mask] + [None] * len(self.state_size) if self.return_state else output_mask

    @property
    def state_size(self) -> list:
        """One entry per state (an int, or a list for a stacked cell's own states)."""
        size = self.cell.state_size
        return [size] if isinstance(size, int) else list(size)

    @property
    def _output_size(self) -> int:
        size = getattr(self.cell, "output_size", None)
        return size if size is not None else flatten(self.state_size)[0]

    # --- checks ---------------------------------------------------------------------------
    def _check_sequences(self, shape) -> None:
        shape = tuple(shape)
        if len(shape) != 3:
            raise ValueError(f"{self.name}: expected a 3-D input (batch, timesteps, features), got shape {shape}")
        kernel = getattr(self.cell, "kernel", None)
        if kernel is not None and shape[-1] is not None and shape[-1] != kernel.shape[0]:
            raise ValueError(f"{self.name}: expected {kernel.shape[0]} features per step (the last axis), "
                             f"got input shape {shape}")

    def _check_mask(self, mask, shape):
        if mask is None:
            return None
        mask = np.asarray(mask.data if isinstance(mask, Tensor) else mask)
        if mask.ndim == 3 and mask.shape[-1] == 1:
            mask = mask[..., 0]
        if mask.shape != tuple(shape[:2]):
            raise ValueError(f"{self.name}: mask must have shape (batch, timesteps) = {tuple(shape[:2])}, got "
                             f"mask shape {mask.shape} for input shape {tuple(shape)}")
        return mask.astype(bool)

    def _initial_states(self, initial_state, batch, dtype) -> list:
        sizes = flatten(self.state_size)
        if initial_state is None:
            if self.stateful:
                return pack_like(self.state_size, [Tensor(s) for s in self.states])
            return self.get_initial_state(batch)
        given = flatten(list(initial_state) if isinstance(initial_state, (list, tuple)) else [initial_state])
        expected = [(batch, s) for s in sizes]
        shapes = [tuple(s.shape) if hasattr(s, "shape") else np.shape(s) for s in given]
        if len(given) != len(sizes):
            raise ValueError(f"{self.name}: initial_state must be {len(sizes)} tensor(s) of shapes {expected}, "
                             f"got {len(given)} of shapes {shapes}")
        if shapes != expected:
            raise ValueError(f"{self.name}: initial_state must have shapes {expected} (batch, state size), "
                             f"got {shapes}")
        tensors = [s if isinstance(s, Tensor) else Tensor(np.asarray(s, dtype=dtype)) for s in given]
        tensors = [ops.cast(s, dtype) if s.dtype != dtype else s for s in tensors]
        return pack_like(self.state_size, tensors)

    def get_initial_state(self, batch_size) -> list:
        """Zeros for every state (or the cell's own ``get_initial_state``)."""
        make = getattr(self.cell, "get_initial_state", None)
        if make is not None:
            states = make(batch_size=batch_size)
            return list(states) if isinstance(states, (list, tuple)) else [states]
        return [Tensor(np.zeros((batch_size, s), dtype=self.dtype)) for s in self.state_size]

    # --- build, stateful states ---------------------------------------------------------------
    def build(self, sequences_shape, initial_state_shape=None):
        shape = tuple(sequences_shape)
        self._check_sequences(shape)
        if self.stateful and shape[0] is None:
            raise ValueError(f"{self.name}: stateful=True needs a fixed batch size (the states of one batch are "
                             f"kept for the next), got input shape {shape}; give the Input a batch_size")
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell.build_once((shape[0], *shape[2:]))
        if self.stateful:
            self._expected_batch_size = shape[0]
            self.reset_states()

    def reset_states(self) -> None:
        """Zero the kept states of a stateful layer."""
        if self.stateful and self._expected_batch_size is not None:
            self.states = [np.zeros((self._expected_batch_size, s), dtype=self.dtype)
                           for s in flatten(self.state_size)]

    reset_state = reset_states

    # --- the loop ---------------------------------------------------------------------------
    def call(self, sequences, initial_state=None, mask=None, training=False):
        shape = tuple(sequences.shape)
        self._check_sequences(shape)
        mask = self._check_mask(mask, shape)
        if self.stateful and shape[0] != self._expected_batch_size:
            raise ValueError(f"{self.name}: a stateful RNN keeps states for batches of {self._expected_batch_size}, "
                             f"got input shape {shape}")
        states = self._initial_states(initial_state, shape[0], sequences.dtype)
        _reset_dropout_masks(self.cell)
        try:
            outputs, last_output, states = (self._fused_sequence(sequences, states, mask, training)
                                            or self._loop(sequences, states, mask, training))
        finally:
            _reset_dropout_masks(self.cell)
        if self.stateful:
            self.states = [np.array(s.data) for s in flatten(states)]
        output = outputs if self.return_sequences else last_output
        return (output, *states) if self.return_state else output

    def _fused_sequence(self, sequences, states, mask, training):
        """A whole-sequence op for the built-in layers (see ``RecurrentLayer``); None: use the loop."""
        return None

    def _step(self, x_t, states, training):
        kwargs = {"training": training} if _accepts_training(self.cell) else {}
        output, new_states = self.cell.call(x_t, states, **kwargs)
        return output, list(new_states) if isinstance(new_states, (list, tuple)) else [new_states]

    def _loop(self, sequences, states, mask, training):
        """(outputs (n, T, u) in processing order or None, last output, final states)."""
        steps = range(sequences.shape[1])
        outputs, previous = [], None
        for t in (reversed(steps) if self.go_backwards else steps):
            output, new_states = self._step(ops.getitem(sequences, (slice(None), t)), states, training)
            if mask is not None:
                valid = mask[:, t]
                flat_old = flatten(states)
                kept = [ops.where(_column(valid, new.ndim), new, old)
                        for new, old in zip(flatten(new_states), flat_old)]
                new_states = pack_like(new_states, kept)
                if previous is None or self.zero_output_for_mask:
                    previous = Tensor(np.zeros(output.shape, dtype=output.dtype))
                output = ops.where(_column(valid, output.ndim), output, previous)
            states, previous = new_states, output
            outputs.append(output)
        sequence = ops.stack(outputs, axis=1) if self.return_sequences else None
        return sequence, outputs[-1], states

    # --- shapes and config ------------------------------------------------------------------
    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch, length = sequences_shape[0], sequences_shape[1]
        output = (batch, length, self._output_size) if self.return_sequences else (batch, self._output_size)
        if not self.return_state:
            return output
        return (output, *[(batch, s) if isinstance(s, int) else [(batch, d) for d in s] for s in self.state_size])

    def get_config(self) -> dict:
        from ..registry import serialize
        return {**super().get_config(), "return_sequences": self.return_sequences,
                "return_state": self.return_state, "go_backwards": self.go_backwards, "stateful": self.stateful,
                "unroll": self.unroll, "zero_output_for_mask": self.zero_output_for_mask,
                "cell": serialize(self.cell)}

    @classmethod
    def from_config(cls, config):
        from ..registry import deserialize
        config = dict(config)
        return cls(deserialize(config.pop("cell")), **config)


def _column(valid, ndim):
    """A (batch,) boolean mask shaped (batch, 1, …) to broadcast over a step's tensor."""
    return valid.reshape((-1,) + (1,) * (ndim - 1))


def _reset_dropout_masks(cell) -> None:
    if isinstance(cell, DropoutRNNCell):
        cell.reset_dropout_mask()
        cell.reset_recurrent_dropout_mask()
    for inner in getattr(cell, "cells", []):
        _reset_dropout_masks(inner)


# --- what SimpleRNNCell, LSTMCell and GRUCell share ---------------------------------------------
class RecurrentCell(WeightOptions, DropoutRNNCell, Layer):
    """A cell with ``gates`` blocks of ``units`` columns: kernel W (in, g·u), recurrent
    kernel U (u, g·u) and bias b, each with its initializer/regularizer/constraint."""

    gates = 1

    def __init__(self, units, activation="tanh", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.units = check_positive_int(type(self).__name__, "units", units)
        self.activation = activations.get(activation)
        self.use_bias = check_bool(type(self).__name__, "use_bias", use_bias)
        self._set_weight_options("kernel", kernel_initializer, kernel_regularizer, kernel_constraint)
        self._set_weight_options("recurrent", recurrent_initializer, recurrent_regularizer, recurrent_constraint)
        self._set_weight_options("bias", bias_initializer, bias_regularizer, bias_constraint)
        self._set_dropout(dropout, recurrent_dropout, seed)
        self.state_size = self.units
        self.output_size = self.units

    def _bias_shape(self) -> tuple:
        return (self.gates * self.units,)

    def _bias_initializer(self):
        return None                         # the stored bias_initializer

    def build(self, input_shape):
        if len(input_shape) < 2 or input_shape[-1] is None:
            raise ValueError(f"{self.name}: expected step inputs (batch, features) with a known last axis, "
                             f"got shape {tuple(input_shape)}")
        width = self.gates * self.units
        self.kernel = self._make_weight("kernel", (input_shape[-1], width), "kernel",
                                        _row_major(self.kernel_initializer))
        # "orthogonal" gives U (u, g·u) as the transpose of a QR factor: column-major, which makes
        # every step's h·U several times slower; the weight is stored row-major
        self.recurrent_kernel = self._make_weight("recurrent", (self.units, width), "recurrent_kernel",
                                                  _row_major(self.recurrent_initializer))
        self.bias = (self._make_weight("bias", self._bias_shape(), "bias", self._bias_initializer())
                     if self.use_bias else None)

    def get_initial_state(self, batch_size=None):
        sizes = self.state_size if isinstance(self.state_size, list) else [self.state_size]
        return [Tensor(np.zeros((batch_size, s), dtype=self.dtype)) for s in sizes]

    def get_config(self) -> dict:
        return {**super().get_config(), "units": self.units, "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias, **self._weight_config("kernel", "recurrent", "bias"),
                "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout, "seed": self.seed}


def _row_major(initializer):
    """The initializer's values in a C-contiguous array."""
    return lambda shape, dtype=None: np.ascontiguousarray(initializer(shape, dtype=dtype))


_RNN_FLAGS = ("return_sequences", "return_state", "go_backwards", "stateful", "unroll")


class RecurrentLayer(RNN):
    """SimpleRNN, LSTM and GRU: an ``RNN`` over its own cell, built from the layer's arguments.

    Fast path: ``call`` projects every step's input with one matmul, x_proj = x·W + b, and
    lets the fused whole-sequence op named ``fused_op`` (hand-written backpropagation through
    time, ``glassnet/ops/recurrent.py``) run the recurrence; for an activation that op does not
    compute, the generic loop runs the cell step by step. Both give the same values and
    gradients (tested).
    """

    cell_class: type
    fused_op: str
    _use_fused_op = True          # tests switch it off to compare the two paths

    def __init__(self, arguments: dict, **kwargs):
        """``arguments``: the subclass's named arguments (its ``locals()``)."""
        arguments = {k: v for k, v in arguments.items() if k not in ("self", "kwargs", "__class__")}
        flags = {k: arguments.pop(k) for k in _RNN_FLAGS}
        activity_regularizer = arguments.pop("activity_regularizer")
        has_cudnn_argument = "use_cudnn" in arguments           # LSTM, GRU: accepted, nothing to switch
        use_cudnn = arguments.pop("use_cudnn", "auto")
        if use_cudnn not in ("auto", True, False):
            raise ValueError(f"{type(self).__name__}: use_cudnn must be 'auto', True or False, got {use_cudnn!r}")
        cell = self.cell_class(**arguments, dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True),
                               name=snake_case(self.cell_class.__name__))
        super().__init__(cell, **flags, activity_regularizer=activity_regularizer, **kwargs)
        if has_cudnn_argument:
            self.use_cudnn = use_cudnn

    def __getattr__(self, name):
        # units, activation, dropout, ... read through to the cell, as Keras's properties do
        cell = self.__dict__.get("cell")
        if cell is not None and not name.startswith("_") and name in getattr(cell, "__dict__", {}):
            return cell.__dict__[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def get_config(self) -> dict:
        """The loop's flags and the cell's arguments in one flat dict, as Keras (no "cell" entry)."""
        config = {**super().get_config(), **self.cell.get_config()}
        del config["cell"]
        config.update(name=self.name, trainable=self.trainable, dtype=self.dtype,
                      activity_regularizer=serialize_component(regularizers, self.activity_regularizer))
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    # --- fast path ----------------------------------------------------------------------------
    def _fused_sequence(self, sequences, states, mask, training):
        op = getattr(ops, self.fused_op)
        cell = self.cell
        if not self._use_fused_op:
            return None
        names = {"activation": activations.serialize(cell.activation)}
        if hasattr(cell, "recurrent_activation"):
            names["recurrent_activation"] = activations.serialize(cell.recurrent_activation)
        if not all(isinstance(name, str) and name in FUSED_ACTIVATIONS for name in names.values()):
            return None
        n, T, d = sequences.shape
        input_masks, recurrent_masks = cell._masks(ops.getitem(sequences, (slice(None), 0)), flatten(states)[0],
                                                   training)
        if input_masks is not None:        # each sample's (n, d) mask, repeated for its T rows
            input_masks = (np.repeat(input_masks, T, axis=0) if not isinstance(input_masks, list)
                           else [np.repeat(m, T, axis=0) for m in input_masks])
        rows, bias = ops.reshape(sequences, (n * T, d)), cell.input_bias()
        if input_masks is None:                  # x·W + b as one op, the bias added in place
            x_proj = ops.linear(rows, cell.kernel, bias)
        else:
            x_proj = project(rows, cell.kernel, input_masks, cell.gates)
            if bias is not None:
                x_proj = x_proj + bias
        if isinstance(recurrent_masks, list):
            recurrent_masks = np.stack(recurrent_masks)
        outputs, *final = op(ops.reshape(x_proj, (n, T, x_proj.shape[-1])), *self._fused_arguments(states),
                             mask=mask, go_backwards=self.go_backwards, recurrent_dropout=recurrent_masks,
                             **names, **self._fused_options())
        if mask is not None and self.zero_output_for_mask:
            in_order = mask[:, ::-1] if self.go_backwards else mask
            outputs = ops.where(in_order[:, :, None], outputs, Tensor(np.zeros(outputs.shape, outputs.dtype)))
        return outputs, ops.getitem(outputs, (slice(None), -1)), list(final)

    def _fused_arguments(self, states) -> tuple:
        """The op's arguments after x_proj: initial states, U (each of SimpleRNN, LSTM, GRU says)."""
        raise NotImplementedError(f"{type(self).__name__} must implement _fused_arguments")

    def _fused_options(self) -> dict:
        return {}


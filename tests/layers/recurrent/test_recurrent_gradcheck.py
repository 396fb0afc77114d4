"""Float64 gradient checks of every recurrent cell and layer (inputs and every weight)."""
import numpy as np
import pytest

from glassnet import layers, ops
from glassnet.layers import Layer
from glassnet.layers.recurrent.rnn import RecurrentLayer
from glassnet.testing import layer_gradcheck

N, D, U = 2, 3, 2


def sequences(T=7, seed=0):
    return np.random.default_rng(seed).standard_normal((N, T, D))


MASK = np.array([[True] * 5 + [False] * 2, [False, True, True, False, True, True, True]])


class Joined(Layer):
    """Several outputs (output, *states) flattened and joined into one tensor to check."""

    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def call(self, inputs, training=None, **kwargs):
        outputs = self.inner(inputs, training=training, **kwargs)
        outputs = outputs if isinstance(outputs, tuple) else (outputs,)
        return ops.concatenate([ops.reshape(o, (o.shape[0], -1)) for o in outputs], axis=1)


@pytest.fixture(params=["fused", "loop"])
def path(request, monkeypatch):
    """The fused whole-sequence op or the generic loop over the cell."""
    monkeypatch.setattr(RecurrentLayer, "_use_fused_op", request.param == "fused")
    return request.param


def make(cls, **kwargs):
    return cls(U, dtype="float64", **kwargs)


@pytest.mark.parametrize("T", [1, 7])
@pytest.mark.parametrize("cls", [layers.SimpleRNN, layers.LSTM, layers.GRU])
@pytest.mark.parametrize("options", [{}, {"return_sequences": True}, {"go_backwards": True, "return_sequences": True},
                                     {"return_state": True, "go_backwards": True}])
def test_layers(cls, T, options, path):
    layer = make(cls, **options)
    layer_gradcheck(Joined(layer, dtype="float64"), sequences(T))


@pytest.mark.parametrize("cls", [layers.SimpleRNN, layers.LSTM, layers.GRU])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_layers_with_mask(cls, go_backwards, path):
    layer = make(cls, return_sequences=True, return_state=True, go_backwards=go_backwards)
    layer_gradcheck(Joined(layer, dtype="float64"), sequences(), mask=MASK)


def test_gru_reset_before(path):
    layer_gradcheck(make(layers.GRU, reset_after=False, return_sequences=True), sequences(), mask=MASK)


def test_lstm_without_bias_and_relu(path):
    layer_gradcheck(make(layers.LSTM, use_bias=False, activation="relu"), sequences(4))


@pytest.mark.parametrize("cls", [layers.SimpleRNN, layers.LSTM, layers.GRU])
def test_initial_state(cls, path):
    rng = np.random.default_rng(3)
    count = 2 if cls is layers.LSTM else 1
    states = [rng.standard_normal((N, U)) for _ in range(count)]
    layer_gradcheck(make(cls, return_sequences=True), sequences(4), initial_state=states)


@pytest.mark.parametrize("cls", [layers.SimpleRNN, layers.LSTM, layers.GRU])
def test_dropout_in_training(cls, path):
    layer = make(cls, dropout=0.3, recurrent_dropout=0.4, seed=1, return_sequences=True)

    def reseed():
        layer.cell.seed_generator = np.random.default_rng(5)

    layer_gradcheck(layer, sequences(4), training=True, before_call=reseed)


def test_stateful(path):
    layer = make(layers.LSTM, stateful=True)
    x = sequences(3)
    layer(x)                                     # the kept states are now nonzero
    kept = [s.copy() for s in layer.states]

    def restore():
        layer.states = [s.copy() for s in kept]

    layer_gradcheck(layer, x, before_call=restore)


@pytest.mark.parametrize("cell", [layers.SimpleRNNCell, layers.LSTMCell, layers.GRUCell])
def test_cells_one_step(cell):
    instance = cell(U, dtype="float64")
    rng = np.random.default_rng(2)
    x, h = rng.standard_normal((N, D)), rng.standard_normal((N, U))

    class OneStep(Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.cell = instance

        def build(self, input_shape):
            self.cell.build_once((N, D))

        def call(self, inputs):
            states = [ops.getitem(inputs, (slice(None), slice(D, None)))] * (2 if cell is layers.LSTMCell else 1)
            output, new_states = self.cell.call(ops.getitem(inputs, (slice(None), slice(0, D))), states)
            return ops.concatenate([output, *new_states], axis=1)

    layer_gradcheck(OneStep(dtype="float64"), np.concatenate([x, h], axis=1))


def test_stacked_cells_in_rnn():
    layer = layers.RNN(layers.StackedRNNCells([layers.SimpleRNNCell(3, dtype="float64"),
                                               layers.LSTMCell(U, dtype="float64")], dtype="float64"),
                       return_sequences=True, dtype="float64")
    layer_gradcheck(layer, sequences(4), mask=MASK[:, :4])


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
def test_bidirectional(merge_mode, path):
    layer = layers.Bidirectional(make(layers.GRU, return_sequences=True), merge_mode=merge_mode, dtype="float64")
    layer_gradcheck(Joined(layer, dtype="float64"), sequences(5), mask=MASK[:, :5])


def test_bidirectional_return_state_and_initial_state():
    layer = layers.Bidirectional(make(layers.LSTM, return_state=True), dtype="float64")
    states = list(np.random.default_rng(4).standard_normal((4, N, U)))
    layer_gradcheck(Joined(layer, dtype="float64"), sequences(1), initial_state=states)


def test_time_distributed():
    layer = layers.TimeDistributed(layers.Dense(U, activation="tanh", dtype="float64"), dtype="float64")
    layer_gradcheck(layer, sequences(4))

"""What the recurrent layers do: masking, go_backwards, states, dropout, stacking, saving, bad input."""
import json

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers, ops
from glassnet.layers import Layer
from glassnet.layers.recurrent.rnn import RecurrentLayer
from glassnet.tensor import Tensor

pytestmark = pytest.mark.usefixtures("float64")    # tests/conftest.py

N, T, D, U = 3, 6, 4, 5


def data(shape=(N, T, D), seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def twin(layer, **changes):
    """A second layer from the same config (plus ``changes``) with the same weights."""
    config = {**layer.get_config(), **changes}
    other = type(layer).from_config(config)
    other.build(layer._build_input_shape)
    other.set_weights(layer.get_weights())
    return other


def run(layer, x, fused, **kwargs):
    """Outputs (as a list) and ∂(Σ outputs ⊙ r)/∂x and ∂/∂weights, on one path."""
    previous = RecurrentLayer._use_fused_op
    RecurrentLayer._use_fused_op = fused
    try:
        xt = Tensor(x.copy(), requires_grad=True)
        outputs = layer(xt, **kwargs)
        outputs = list(outputs) if isinstance(outputs, tuple) else [outputs]
        total = sum((o * Tensor(np.random.default_rng(i).standard_normal(o.shape))).sum()
                    for i, o in enumerate(outputs))
        for w in layer.trainable_weights:
            w.grad = None
        total.backward()
        return [o.numpy() for o in outputs], xt.grad, [w.grad.copy() for w in layer.trainable_weights]
    finally:
        RecurrentLayer._use_fused_op = previous


LAYERS = [lambda **k: layers.SimpleRNN(U, **k), lambda **k: layers.LSTM(U, **k), lambda **k: layers.GRU(U, **k),
          lambda **k: layers.GRU(U, reset_after=False, **k), lambda **k: layers.SimpleRNN(U, activation="relu", **k),
          lambda **k: layers.LSTM(U, recurrent_activation="hard_sigmoid", **k)]
MASK = np.array([[True] * 4 + [False] * 2, [False, True, False, True, True, True], [True] * 6])


# --- the fused ops and the loop over the cell agree --------------------------------------------
@pytest.mark.parametrize("make", LAYERS)
@pytest.mark.parametrize("options", [{}, {"go_backwards": True, "return_sequences": True},
                                     {"return_state": True, "return_sequences": True, "zero_output_for_mask": True}])
@pytest.mark.parametrize("masked", [False, True])
def test_fused_op_and_loop_agree(make, options, masked):
    layer = make(**options)
    x = data()
    kwargs = {"mask": MASK} if masked else {}
    fused, loop = run(layer, x, True, **kwargs), run(layer, x, False, **kwargs)
    for a, b in zip(fused[0] + [fused[1]] + fused[2], loop[0] + [loop[1]] + loop[2]):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("make", LAYERS[:4])
def test_fused_op_and_loop_agree_with_dropout(make):
    layer = make(dropout=0.3, recurrent_dropout=0.25, seed=3, return_sequences=True)
    x = data()
    layer(x)
    results = []
    for fused in (True, False):
        layer.cell.seed_generator = np.random.default_rng(7)
        results.append(run(layer, x, fused, training=True, initial_state=[data((N, U), 9)] * len(layer.state_size)))
    for a, b in zip(results[0][0] + [results[0][1]], results[1][0] + [results[1][1]]):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


# --- masks ---------------------------------------------------------------------------------
@pytest.mark.parametrize("fused", [True, False])
@pytest.mark.parametrize("make", LAYERS[:4])
@pytest.mark.parametrize("padding", ["post", "pre"])
def test_a_masked_sequence_ends_in_the_state_of_the_sequence_without_its_padding(make, fused, padding):
    layer = make(return_state=True)
    x = data((1, T, D))
    valid = 4
    mask = np.zeros((1, T), bool)
    if padding == "post":
        mask[0, :valid] = True
        short = x[:, :valid]
    else:
        mask[0, T - valid:] = True
        short = x[:, T - valid:]
    padded = run(layer, x, fused, mask=mask)[0]
    unpadded = run(layer, short, fused)[0]
    for a, b in zip(padded, unpadded):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


def test_masked_steps_repeat_the_previous_output_and_zeros_before_the_first_valid_step():
    layer = layers.SimpleRNN(U, return_sequences=True)
    mask = np.array([[False, True, False, True, True, False]])
    x = data((1, T, D))
    y = layer(x, mask=mask).numpy()[0]
    np.testing.assert_array_equal(y[0], 0.0)
    np.testing.assert_array_equal(y[2], y[1])
    np.testing.assert_array_equal(y[5], y[4])
    xt = Tensor(x, requires_grad=True)
    layer(xt, mask=mask).sum().backward()
    np.testing.assert_array_equal(xt.grad[0, ~mask[0]], 0.0)      # masked steps get no gradient


# --- go_backwards, states --------------------------------------------------------------------
@pytest.mark.parametrize("fused", [True, False])
def test_go_backwards_is_the_forward_layer_on_the_reversed_sequence(fused):
    layer = layers.GRU(U, return_sequences=True)
    x = data()
    forward = run(layer, x[:, ::-1], fused)[0][0]
    backward = run(twin(layer, go_backwards=True), x, fused)[0][0]
    np.testing.assert_allclose(backward, forward, rtol=1e-12)   # outputs in processing order, as Keras


def test_hand_worked_simple_rnn():
    # o_1 = 0.5·1 = 0.5;  o_2 = 0.5·2 + 2·0.5 = 2  (W = 0.5, U = 2, b = 0, linear)
    layer = layers.SimpleRNN(1, activation=None, return_sequences=True)
    layer.build((1, 2, 1))
    layer.set_weights([np.array([[0.5]]), np.array([[2.0]]), np.array([0.0])])
    np.testing.assert_allclose(layer(np.array([[[1.0], [2.0]]])).numpy(), [[[0.5], [2.0]]])


def test_lstm_forget_bias_starts_at_one_and_weights_have_keras_shapes():
    layer = layers.LSTM(3)
    layer(data((2, 4, 2)))
    kernel, recurrent, bias = layer.get_weights()
    assert (kernel.shape, recurrent.shape, bias.shape) == ((2, 12), (3, 12), (12,))
    np.testing.assert_array_equal(bias, [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    np.testing.assert_allclose(recurrent @ recurrent.T, np.eye(3), atol=1e-12)   # orthogonal: U·Uᵀ = I (u < 4u)
    assert [w.path for w in layer.weights] == ["lstm_cell/kernel", "lstm_cell/recurrent_kernel", "lstm_cell/bias"]
    for reset_after, bias_shape in ((True, (2, 9)), (False, (9,))):
        gru = layers.GRU(3, reset_after=reset_after)
        gru(data((2, 4, 2)))
        assert [w.shape for w in gru.weights] == [(2, 9), (3, 9), bias_shape]


def test_initial_state_is_used():
    layer = layers.LSTM(U, return_state=True)
    x = data()
    h0, c0 = data((N, U), 1), data((N, U), 2)
    _, h, c = layer(x, initial_state=[h0, c0])
    _, h_zero, _ = layer(x)
    assert not np.allclose(h.numpy(), h_zero.numpy())
    _, h_again, c_again = layer(x[:, :0 + 3], initial_state=[h0, c0])
    _, h_rest, c_rest = layer(x[:, 3:], initial_state=[h_again, c_again])
    np.testing.assert_allclose(h_rest.numpy(), h.numpy(), rtol=1e-12)       # the state carries everything


def test_stateful_continues_from_the_last_batch_and_resets():
    layer = layers.LSTM(U, stateful=True)
    x = data()
    whole = layers.LSTM.from_config(layer.get_config() | {"stateful": False})
    y_first = layer(x[:, :3])
    whole.build((N, T, D))
    whole.set_weights(layer.get_weights())
    np.testing.assert_allclose(layer(x[:, 3:]).numpy(), whole(x).numpy(), rtol=1e-12)
    layer.reset_states()
    np.testing.assert_allclose(layer(x[:, :3]).numpy(), y_first.numpy(), rtol=1e-12)


# --- dropout ------------------------------------------------------------------------------------
def test_dropout_only_in_training_and_one_mask_per_call():
    layer = layers.SimpleRNN(U, dropout=0.5, recurrent_dropout=0.5, return_sequences=True)
    x = data()
    layer(x)
    plain = twin(layer, dropout=0.0, recurrent_dropout=0.0)
    np.testing.assert_array_equal(layer(x).numpy(), plain(x).numpy())
    first, second = layer(x, training=True).numpy(), layer(x, training=True).numpy()
    assert not np.allclose(first, second)                       # new masks for each call
    cell = layer.cell
    masks = []
    original = cell._create_dropout_mask
    cell._create_dropout_mask = lambda *a: masks.append(1) or original(*a)
    layer(x, training=True)
    assert len(masks) == 2                                       # drawn once per call, not per step
    assert cell._dropout_mask is None                            # and forgotten afterwards


# --- any cell ------------------------------------------------------------------------------------
class MinimalRNNCell(Layer):
    """Keras's documentation example: o_t = x_t·W + o_{t−1}·U."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), initializer="uniform", name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), initializer="uniform",
                                                name="recurrent_kernel")

    def call(self, inputs, states):
        output = ops.matmul(inputs, self.kernel) + ops.matmul(states[0], self.recurrent_kernel)
        return output, [output]


def test_a_user_written_cell_works_in_rnn():
    layer = layers.RNN(MinimalRNNCell(U), return_sequences=True)
    x = data()
    y = layer(x, mask=MASK)
    reference = layers.SimpleRNN(U, activation=None, use_bias=False, return_sequences=True)
    reference.build((N, T, D))
    reference.set_weights(layer.get_weights())
    np.testing.assert_allclose(y.numpy(), reference(x, mask=MASK).numpy(), rtol=1e-12)
    stacked = layers.RNN([MinimalRNNCell(3), layers.LSTMCell(2)], return_state=True)
    output, first, (h, c) = stacked(x)
    assert output.shape == (N, 2) and first.shape == (N, 3) and h.shape == c.shape == (N, 2)
    np.testing.assert_array_equal(output.numpy(), h.numpy())


# --- wrappers -------------------------------------------------------------------------------------
def test_bidirectional_halves_and_merge():
    layer = layers.Bidirectional(layers.SimpleRNN(U, return_sequences=True), merge_mode=None)
    x = data()
    forward, backward = layer(x)
    assert layer.forward_layer.name.startswith("forward_") and layer.backward_layer.go_backwards
    np.testing.assert_allclose(forward.numpy(), layer.forward_layer(x).numpy())
    np.testing.assert_allclose(backward.numpy(), layer.backward_layer(x).numpy()[:, ::-1])   # flipped back
    assert len(layer.weights) == 6


def test_time_distributed_applies_the_layer_at_every_step():
    dense = layers.Dense(2)
    layer = layers.TimeDistributed(dense)
    x = data()
    y = layer(x).numpy()
    for t in range(T):
        np.testing.assert_allclose(y[:, t], dense(x[:, t]).numpy(), rtol=1e-12)


# --- config, saving ---------------------------------------------------------------------------------
gn.layers.register_serializable(package="TestRecurrent")(MinimalRNNCell)
MinimalRNNCell.get_config = lambda self: {**Layer.get_config(self), "units": self.units}

ROUND_TRIP = [
    lambda: layers.SimpleRNN(U, activation="relu", dropout=0.1, kernel_regularizer="l2", return_sequences=True),
    lambda: layers.LSTM(U, unit_forget_bias=False, recurrent_activation="hard_sigmoid", go_backwards=True, seed=3),
    lambda: layers.GRU(U, reset_after=False, return_state=True, recurrent_constraint="non_neg"),
    lambda: layers.RNN([layers.GRUCell(3), MinimalRNNCell(2)], return_sequences=True),
    lambda: layers.RNN(layers.StackedRNNCells([layers.SimpleRNNCell(3), layers.LSTMCell(2)])),
    lambda: layers.Bidirectional(layers.LSTM(U, return_sequences=True), merge_mode="ave"),
    lambda: layers.TimeDistributed(layers.Dense(3, activation="relu")),
]


@pytest.mark.parametrize("make", ROUND_TRIP)
def test_config_round_trip(make):
    original = make()
    x = data()
    y = original(x)
    saved = json.loads(json.dumps(layers.serialize(original)))
    copy = layers.deserialize(saved)
    assert type(copy) is type(original) and copy.get_config() == original.get_config()
    copy.build((N, T, D))
    copy.set_weights(original.get_weights())
    for a, b in zip(gn.layers.base.flatten(copy(x)), gn.layers.base.flatten(y)):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-12)


def test_sequential_lstm_fits_and_saves(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((32, 5, 3))
    y = (x.sum(axis=(1, 2)) > 0).astype(int)
    model = gn.Sequential([layers.Input((5, 3)), layers.LSTM(4), layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert len(history.history["loss"]) == 2
    path = tmp_path / "lstm.glassnet"
    model.save(path)
    loaded = gn.models.load_model(path)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


# --- bad input ------------------------------------------------------------------------------------
def test_a_2d_input_is_refused():
    with pytest.raises(ValueError, match=r"3-D input.*\(3, 4\)"):
        layers.LSTM(U)(data((3, 4)))


def test_a_wrong_feature_count_is_refused():
    layer = layers.GRU(U)
    layer(data())
    with pytest.raises(ValueError, match=r"expected 4 features.*\(3, 6, 7\)"):
        layer(data((N, T, 7)))


def test_initial_state_of_the_wrong_count_or_shape_is_refused():
    layer = layers.LSTM(U)
    with pytest.raises(ValueError, match=r"2 tensor\(s\) of shapes \[\(3, 5\), \(3, 5\)\].*got 1 of shapes \[\(3, 5\)\]"):
        layer(data(), initial_state=[data((N, U))])
    with pytest.raises(ValueError, match=r"shapes \[\(3, 5\), \(3, 5\)\].*got \[\(3, 5\), \(3, 4\)\]"):
        layer(data(), initial_state=[data((N, U)), data((N, 4))])


def test_bidirectional_initial_state_of_the_wrong_count_is_refused():
    layer = layers.Bidirectional(layers.LSTM(U))
    with pytest.raises(ValueError, match=r"2 forward then 2 backward state\(s\), got 3 of shapes \[\(3, 5\)"):
        layer(data(), initial_state=[data((N, U))] * 3)


def test_a_mask_of_the_wrong_length_is_refused_before_the_state_changes():
    layer = layers.SimpleRNN(U, stateful=True)
    layer(data())
    kept = [s.copy() for s in layer.states]
    with pytest.raises(ValueError, match=r"\(3, 6\).*mask shape \(3, 5\)"):
        layer(data(), mask=np.ones((N, T - 1), bool))
    np.testing.assert_array_equal(layer.states[0], kept[0])


def test_stateful_needs_a_fixed_batch_size():
    with pytest.raises(ValueError, match=r"fixed batch size.*\(None, 5, 3\)"):
        gn.Sequential([layers.Input((5, 3)), layers.LSTM(4, stateful=True)])
    layer = layers.LSTM(4, stateful=True)
    layer(data())
    with pytest.raises(ValueError, match=r"batches of 3.*\(2, 6, 4\)"):
        layer(data((2, T, D)))


def test_bad_arguments():
    with pytest.raises(ValueError, match="units"):
        layers.LSTM(0)
    with pytest.raises(ValueError, match="merge_mode"):
        layers.Bidirectional(layers.LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match="state_size"):
        layers.RNN(layers.Dense(2))
    with pytest.raises(ValueError, match="dropout"):
        layers.GRU(2, dropout=1.5)
    with pytest.raises(ValueError, match=r"at least 3 dimensions.*\(3, 4\)"):
        layers.TimeDistributed(layers.Dense(2))(data((3, 4)))
    with pytest.raises(ValueError, match=r"\(3, 6\).*mask shape \(3, 5\)"):
        layers.TimeDistributed(layers.Dense(2))(data(), mask=np.ones((N, T - 1), bool))


def test_functional_graph_with_states_and_wrappers():
    x = layers.Input((T, D))
    sequence, h, c = layers.LSTM(U, return_state=True, return_sequences=True)(x)
    merged = layers.Bidirectional(layers.GRU(2))(sequence)
    pair = layers.Bidirectional(layers.GRU(2, return_sequences=True), merge_mode=None)(sequence)
    per_step = layers.TimeDistributed(layers.Dense(3))(sequence)
    model = gn.Model(x, [merged, h, c, pair[1], per_step])
    assert [o.shape for o in model.outputs] == [(None, 4), (None, U), (None, U), (None, T, 2), (None, T, 3)]
    assert [o.shape for o in model.predict(data((7, T, D)), verbose=0)] == [(7, 4), (7, U), (7, U), (7, T, 2),
                                                                            (7, T, 3)]


def test_stateful_layer_in_a_sequential_model_with_a_fixed_batch():
    model = gn.Sequential([layers.Input((T, D), batch_size=4), layers.SimpleRNN(3, stateful=True), layers.Dense(1)])
    rnn = model.layers[0]
    np.testing.assert_array_equal(rnn.states[0], 0.0)     # building the graph leaves the states alone
    model.compile(optimizer="sgd", loss="mse")
    model.fit(data((8, T, D)), data((8, 1)), batch_size=4, shuffle=False, epochs=1, verbose=0)
    assert np.abs(rnn.states[0]).sum() > 0
    rnn.reset_states()
    np.testing.assert_array_equal(rnn.states[0], 0.0)

"""ConvLSTM1D/2D/3D: float64 gradient checks, what the loop promises (masks, go_backwards,
return_state, stateful), the LSTM it generalises, saving, training, and bad input refused."""
import json

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers
from glassnet.layers.recurrent import ConvLSTMCell
from glassnet.testing import layer_gradcheck

from .test_recurrent_gradcheck import Joined

N, T, F = 2, 3, 2
SHAPES = {1: (N, T, 5, 2), 2: (N, T, 4, 3, 2), 3: (N, 2, 3, 2, 2, 1)}   # small: gradient checks
CLASSES = {1: layers.ConvLSTM1D, 2: layers.ConvLSTM2D, 3: layers.ConvLSTM3D}
MASK = np.array([[True, True, False], [False, True, True]])


def data(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def make(rank, **kwargs):
    return CLASSES[rank](F, 2, dtype="float64", **kwargs)


def outputs(y):
    return [t.numpy() for t in (y if isinstance(y, tuple) else (y,))]


# --- gradient checks (inputs and every weight) --------------------------------------------------
@pytest.mark.parametrize("rank, options", [
    (1, {"return_sequences": True, "padding": "same"}),
    (2, {"return_state": True, "go_backwards": True, "strides": 2}), (3, {"return_sequences": True})])
def test_gradcheck(rank, options):
    layer_gradcheck(Joined(make(rank, **options), dtype="float64"), data(SHAPES[rank]))


def test_gradcheck_with_mask_and_initial_state():       # forwards with a mask: the Keras parity tests
    layer = make(1, return_sequences=True, return_state=True, go_backwards=True, dilation_rate=2)
    states = [data((N, 3, F), seed=s) for s in (1, 2)]          # 5 rows, k = 2, d = 2: 3 output rows
    layer_gradcheck(Joined(layer, dtype="float64"), data(SHAPES[1]), mask=MASK, initial_state=states)


def test_gradcheck_without_bias_and_other_activations():
    layer_gradcheck(make(1, use_bias=False, activation="relu", recurrent_activation="hard_sigmoid"),
                    data(SHAPES[1]) * 0.3)


def test_gradcheck_dropout_in_training():
    layer = make(1, dropout=0.3, recurrent_dropout=0.4, seed=1, padding="same", return_sequences=True)

    def reseed():                                   # the same masks at every evaluation
        layer.cell.seed_generator = np.random.default_rng(5)

    layer_gradcheck(layer, data((N, 2, 4, 2)), training=True, before_call=reseed)


def test_gradcheck_stateful():
    layer = CLASSES[1](F, 2, stateful=True, dtype="float64")
    x = data(SHAPES[1])
    layer(x)                                        # the kept states are now nonzero
    kept = [s.copy() for s in layer.states]

    def restore():
        layer.states = [s.copy() for s in kept]

    layer_gradcheck(layer, x, before_call=restore)


# --- what the layer computes --------------------------------------------------------------------
def test_a_one_by_one_kernel_is_an_lstm_at_every_position():
    """With kernel_size 1, x ⊛ W is x·W at each position and h ⊛ U is h·U: an LSTM per row."""
    x = data((N, T, 4, 3))
    conv = layers.ConvLSTM1D(F, 1, return_sequences=True, dtype="float64")
    conv.build(x.shape)
    W, U, b = conv.get_weights()
    conv.set_weights([W, U, b + data(b.shape, seed=3)])
    lstm = layers.LSTM(F, return_sequences=True, dtype="float64")
    lstm.build((N * 4, T, 3))
    lstm.set_weights([W[0], U[0], conv.get_weights()[2]])
    rows = x.transpose(0, 2, 1, 3).reshape(N * 4, T, 3)                       # each position a sequence
    expected = lstm(rows).numpy().reshape(N, 4, T, F).transpose(0, 2, 1, 3)
    np.testing.assert_allclose(conv(x).numpy(), expected, rtol=1e-12, atol=1e-14)


def test_one_step_by_hand():
    """One filter, a 1-wide kernel, one position, h_0 = c_0 = 0 (so U plays no part), x = 1:
    z = x·W + b = [0, 0, ln 3, 0] (i, f, c, o) → i = o = σ(0) = 1/2, c̃ = tanh(ln 3) = 0.8,
    c_1 = f·0 + i·c̃ = 0.4, h_1 = o·tanh(0.4) = 0.5 · 0.379949 = 0.189974."""
    layer = layers.ConvLSTM1D(1, 1, return_state=True, dtype="float64")
    layer.build((1, 1, 1, 1))
    layer.set_weights([np.array([[[0.0, 0.0, np.log(3.0), 0.0]]]), np.ones((1, 1, 4)), np.zeros(4)])
    h, h_state, c = layer(np.ones((1, 1, 1, 1)))
    np.testing.assert_allclose(c.numpy().ravel(), [0.4], rtol=1e-12)
    np.testing.assert_allclose(h.numpy().ravel(), [0.5 * np.tanh(0.4)], rtol=1e-12)
    assert h.numpy().ravel()[0] == pytest.approx(0.189974, abs=1e-6)


def test_the_layer_equals_the_cell_stepped_by_hand():
    """The layer (RNN's loop over the cell) gives what cell.call gives step by step."""
    x = data(SHAPES[2])
    layer = make(2, padding="same", return_sequences=True)
    y = layer(x).numpy()
    cell = layer.cell
    states = cell.get_initial_state(N)
    for t in range(T):
        h, states = cell.call(gn.Tensor(x[:, t]), states)
        np.testing.assert_allclose(h.numpy(), y[:, t], rtol=1e-12, atol=1e-15)


def test_masked_steps_carry_the_state():
    x = data(SHAPES[2])
    layer = make(2, return_state=True)
    mask = np.array([[True, True, False], [True, True, True]])
    _, h, c = outputs(layer(x, mask=mask))
    _, h_short, c_short = outputs(layer(x[:, :2]))
    np.testing.assert_allclose(h[0], h_short[0], rtol=1e-12)
    np.testing.assert_allclose(c[0], c_short[0], rtol=1e-12)


def test_go_backwards_reads_the_sequence_reversed():
    x = data(SHAPES[1])
    layer = make(1, return_sequences=True)
    forwards = layer(x[:, ::-1]).numpy()
    backwards = layers.ConvLSTM1D.from_config({**layer.get_config(), "go_backwards": True})
    backwards.build(x.shape)
    backwards.set_weights(layer.get_weights())
    np.testing.assert_allclose(backwards(x).numpy(), forwards, rtol=1e-12)


def test_stateful_continues_where_it_stopped():
    x = data(SHAPES[2])
    whole = make(2, padding="same", return_sequences=True)
    halves = make(2, padding="same", return_sequences=True, stateful=True)
    whole.build(x.shape)
    halves.build(x.shape)
    halves.set_weights(whole.get_weights())
    joined = np.concatenate([halves(x[:, :2]).numpy(), halves(x[:, 2:]).numpy()], axis=1)
    np.testing.assert_allclose(joined, whole(x).numpy(), rtol=1e-12)
    halves.reset_states()
    assert all(not s.any() and s.shape == (N, 4, 3, F) for s in halves.states)


def test_shapes_and_functional_model():
    inputs = layers.Input((T, 8, 8, 1))
    h = layers.ConvLSTM2D(3, 3, strides=2, return_sequences=True)(inputs)
    output, h_T, c_T = layers.ConvLSTM2D(2, 3, padding="same", return_state=True)(h)
    assert tuple(h.shape) == (None, T, 3, 3, 3)
    assert tuple(output.shape) == tuple(h_T.shape) == tuple(c_T.shape) == (None, 3, 3, 2)
    model = gn.Model(inputs, output)
    assert model.predict(np.zeros((2, T, 8, 8, 1)), verbose=0).shape == (2, 3, 3, 2)


@pytest.mark.parametrize("rank", [1, 2, 3])
def test_config_round_trip(rank):
    original = make(rank, strides=1, padding="same", unit_forget_bias=False, kernel_regularizer="l2",
                    recurrent_constraint="non_neg", dropout=0.1, seed=4, return_sequences=True)
    x = data(SHAPES[rank])
    y = original(x).numpy()
    config = original.get_config()
    assert "rank" not in config and "cell" not in config and config["unroll"] is False
    copy = layers.deserialize(json.loads(json.dumps(layers.serialize(original))))
    assert type(copy) is type(original) and copy.get_config() == config
    copy.build(x.shape)
    copy.set_weights(original.get_weights())
    np.testing.assert_allclose(copy(x).numpy(), y, rtol=1e-12)


def test_weights_and_forget_bias():
    layer = layers.ConvLSTM2D(3, (2, 3))
    layer.build((None, T, 6, 6, 4))
    assert [(w.name, w.shape) for w in layer.weights] == [("kernel", (2, 3, 4, 12)),
                                                         ("recurrent_kernel", (2, 3, 3, 12)), ("bias", (12,))]
    np.testing.assert_array_equal(layer.cell.bias.numpy(), [0] * 3 + [1] * 3 + [0] * 6)   # b_f = 1


def test_cell_config_round_trip():
    cell = ConvLSTMCell(2, 4, 3, padding="same")
    assert ConvLSTMCell.from_config(cell.get_config()).get_config() == cell.get_config()


# until glassnet/interop/keras_format.py's KERAS_LAYERS lists the ConvLSTM layers, saving warns
def test_saved_and_loaded(tmp_path):
    h5py = pytest.importorskip("h5py")   # noqa: F841 (the .keras format needs it)
    x = data((2, T, 5, 5, 1)).astype("float32")
    model = gn.Sequential([layers.Input((T, 5, 5, 1)), layers.ConvLSTM2D(2, 3, padding="same", return_sequences=True),
                           layers.BatchNormalization(), layers.ConvLSTM2D(1, 3), layers.Flatten()])
    expected = model.predict(x, verbose=0)
    for name in ("m.glassnet", "m.keras"):
        model.save(tmp_path / name)
        np.testing.assert_array_equal(gn.models.load_model(tmp_path / name).predict(x, verbose=0), expected)


def moving_dots(count, rng, size=6, steps=4):
    """A bright pixel moving one column right per frame, from a random start."""
    frames = np.zeros((count, steps + 1, size, size, 1), dtype="float32")
    rows, cols = rng.integers(0, size, count), rng.integers(0, size - steps, count)
    for t in range(steps + 1):
        frames[np.arange(count), t, rows, cols + t, 0] = 1.0
    return frames[:, :-1], frames[:, 1:]


def test_training_learns_where_the_dot_moves():
    """Next-frame prediction, as keras.io's video example, in miniature. A constant guess of
    the background scores H(1/36) ≈ 0.127 (one bright pixel in 36): below it, the model has
    learnt the motion, and its brightest predicted pixel is where the dot goes next."""
    gn.utils.set_random_seed(0)
    x, y = moving_dots(16, np.random.default_rng(0))
    model = gn.Sequential([layers.Input(x.shape[1:]),
                           layers.ConvLSTM2D(4, 3, padding="same", return_sequences=True),
                           layers.Conv3D(1, 3, padding="same", activation="sigmoid")])
    model.compile(optimizer=gn.optimizers.Adam(0.02), loss="binary_crossentropy")
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=40, batch_size=8, verbose=0)
    assert model.evaluate(x, y, verbose=0) < min(0.1, before / 5)
    predicted = model.predict(x, verbose=0)[:, 1:].reshape(16, 3, -1).argmax(axis=-1)   # frames after the first
    assert np.mean(predicted == y[:, 1:].reshape(16, 3, -1).argmax(axis=-1)) >= 0.9


# --- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, message", [
    ({"filters": 0}, "filters must be a positive int"),
    ({"kernel_size": (3, 3)}, "kernel_size must be an int or a tuple of 1 ints"),
    ({"padding": "causal"}, "padding must be one of"),
    ({"strides": 2, "dilation_rate": 2}, "strides > 1 cannot be combined"),
    ({"data_format": "channels_middle"}, "data_format must be one of"),
    ({"dropout": 1.5}, "dropout must be a number in"),
    ({"unit_forget_bias": "yes"}, "unit_forget_bias must be True or False"),
])
def test_bad_arguments_are_refused(kwargs, message):
    arguments = {"filters": 2, "kernel_size": 3, **kwargs}
    with pytest.raises(ValueError, match=message):
        layers.ConvLSTM1D(**arguments)


def test_bad_rank_of_the_cell_is_refused():
    with pytest.raises(ValueError, match="rank must be 1, 2 or 3"):
        ConvLSTMCell(4, 2, 3)


def test_bad_input_is_refused():
    layer = layers.ConvLSTM2D(2, 3)
    with pytest.raises(ValueError, match=r"expected a 5-D input .*\(2, 3, 6, 1\)"):
        layer(np.zeros((2, 3, 6, 1)))
    with pytest.raises(ValueError, match="larger than the padded input"):
        layer(np.zeros((2, 3, 2, 6, 1)))
    layer(np.zeros((2, 3, 6, 6, 1)))
    with pytest.raises(ValueError, match=r"built for steps of shape \(6, 6, 1\).*\(2, 3, 6, 6, 2\)"):
        layer(np.zeros((2, 3, 6, 6, 2)))
    with pytest.raises(ValueError, match=r"built for steps of shape \(6, 6, 1\).*\(2, 3, 7, 6, 1\)"):
        layer(np.zeros((2, 3, 7, 6, 1)))
    with pytest.raises(ValueError, match="spatial axes must be known"):
        layers.ConvLSTM2D(2, 3)(layers.Input((None, None, 6, 1)))


def test_bad_initial_state_and_stateful_batch_are_refused():
    layer = layers.ConvLSTM1D(2, 3)
    x = np.zeros((2, 3, 6, 1))
    with pytest.raises(ValueError, match=r"initial_state must be \[h, c\], two tensors of shape \(2, 4, 2\)"):
        layer(x, initial_state=[np.zeros((2, 6, 2))] * 2)
    with pytest.raises(ValueError, match=r"got 1 of shapes"):
        layer(x, initial_state=[np.zeros((2, 4, 2))])
    with pytest.raises(ValueError, match="stateful=True needs a fixed batch size"):
        layers.ConvLSTM1D(2, 3, stateful=True)(layers.Input((3, 6, 1)))
    stateful = layers.ConvLSTM1D(2, 3, stateful=True)
    stateful(x)
    with pytest.raises(ValueError, match="keeps states for batches of 2"):
        stateful(np.zeros((3, 3, 6, 1)))


@pytest.mark.parametrize("rank", [1, 2])
def test_channels_first_is_channels_last_transposed(rank):
    x = data(SHAPES[rank])
    last = make(rank, strides=2, return_sequences=True, return_state=True)
    y_last = outputs(last(x))
    first = CLASSES[rank].from_config({**last.get_config(), "data_format": "channels_first"})
    moved = np.moveaxis(x, -1, 2)                                     # (n, T, C, *spatial)
    assert first.compute_output_shape(moved.shape)[1] == (N, F, *y_last[1].shape[1:-1])
    first.build(moved.shape)
    first.set_weights(last.get_weights())
    y_first = outputs(first(moved, initial_state=[np.moveaxis(s, -1, 1) * 0 for s in y_last[1:]]))
    np.testing.assert_allclose(y_first[0], np.moveaxis(y_last[0], -1, 2), rtol=1e-12)
    for a, b in zip(y_first[1:], y_last[1:]):
        np.testing.assert_allclose(a, np.moveaxis(b, -1, 1), rtol=1e-12)


def test_gradcheck_channels_first():
    layer = make(2, data_format="channels_first", padding="same", return_state=True)
    layer_gradcheck(Joined(layer, dtype="float64"), np.moveaxis(data(SHAPES[2]), -1, 2), mask=MASK)

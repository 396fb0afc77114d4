"""The fused recurrent ops against Keras 3's LSTM, GRU and SimpleRNN layers (skipped without keras):
outputs and final states on the same weights, with masks (pre- and post-padding, a fully
masked sample) and go_backwards, in float64."""
import numpy as np
import pytest

from glassnet import Tensor, ops

keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")

pytestmark = pytest.mark.usefixtures("keras_float64")

n, T, features, units = 4, 6, 5, 3


def a_mask():
    mask = np.ones((n, T), dtype=bool)
    mask[0, :2] = False          # pre-padded
    mask[1, -3:] = False         # post-padded
    mask[2, :] = False           # nothing valid: outputs zeros, states the initial ones
    return mask


def keras_run(layer, x, states, mask):
    layer.build((n, T, features))
    rng = np.random.default_rng(1)
    layer.set_weights([rng.standard_normal(w.shape) * 0.5 for w in layer.get_weights()])
    result = layer(torch.tensor(x), mask=None if mask is None else torch.tensor(mask),
                   initial_state=[torch.tensor(s) for s in states])
    return [keras.ops.convert_to_numpy(r) for r in result], layer.get_weights()


@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("kind", ["lstm", "gru", "gru_before", "simple"])
def test_outputs_and_states_equal_keras(kind, go_backwards, masked):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, T, features))
    mask = a_mask() if masked else None
    options = dict(return_sequences=True, return_state=True, go_backwards=go_backwards)
    if kind == "lstm":
        layer, n_states = keras.layers.LSTM(units, **options), 2
    elif kind == "simple":
        layer, n_states = keras.layers.SimpleRNN(units, **options), 1
    else:
        layer, n_states = keras.layers.GRU(units, reset_after=kind == "gru", **options), 1
    states = [rng.standard_normal((n, units)) for _ in range(n_states)]
    theirs, (W, U, b) = keras_run(layer, x, states, mask)
    recurrent_bias = None
    if kind == "gru":
        b, recurrent_bias = b[0], b[1]
    x_proj = ops.reshape(ops.linear(Tensor(x.reshape(n * T, features)), Tensor(W), Tensor(b)), (n, T, -1))
    common = dict(mask=mask, go_backwards=go_backwards)
    if kind == "lstm":
        ours = ops.lstm_sequence(x_proj, *states, U, **common)
    elif kind == "simple":
        ours = ops.simple_rnn_sequence(x_proj, *states, U, **common)
    else:
        ours = ops.gru_sequence(x_proj, *states, U, recurrent_bias, reset_after=kind == "gru", **common)
    assert len(ours) == len(theirs)
    if masked:                                    # Keras did use the mask: the empty sample outputs zeros
        assert np.all(theirs[0][2] == 0) and np.allclose(theirs[1][2], states[0][2])
    for a, b_ in zip(ours, theirs):
        np.testing.assert_allclose(a.numpy(), b_, rtol=1e-10, atol=1e-12)

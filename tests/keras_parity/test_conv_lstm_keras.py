"""ConvLSTM1D/2D/3D against Keras 3 itself, on identical weights, in float64 (skipped without keras).

Outputs (sequence and states) and the gradients w.r.t. the input, the initial states and
every weight must agree, for every return mode, with masks, go_backwards and initial states
(``assert_twins``, shared with the other recurrent layers). Dropout is left out: the two
frameworks draw different masks.
"""
import numpy as np
import pytest

from glassnet import layers as G

from .test_layers_keras import assert_config_matches
from .test_recurrent_keras import assert_twins

keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")
torch.set_num_threads(1)

K = keras.layers
N, T, F = 2, 3, 2
SHAPES = {1: (N, T, 5, 2), 2: (N, T, 4, 3, 2), 3: (N, 2, 3, 2, 2, 1)}
MASK = np.array([[True, True, False], [False, True, True]])
OPTIONS = [{}, {"return_sequences": True}, {"go_backwards": True}, {"go_backwards": True, "return_sequences": True},
           {"return_state": True, "return_sequences": True}, {"return_state": True, "go_backwards": True}]
pytestmark = pytest.mark.usefixtures("keras_float64")     # conftest.py: both sides in float64


def _x(rank, seed=0):
    return np.random.default_rng(seed).standard_normal(SHAPES[rank])


def _twins(rank, *args, shape=None, **kwargs):
    name = f"ConvLSTM{rank}D"
    g_layer = getattr(G, name)(*args, **kwargs)
    g_layer.build(SHAPES[rank] if shape is None else shape)
    rng = np.random.default_rng(7)        # a nonzero bias, weights large enough to leave tanh's linear part
    g_layer.set_weights([rng.standard_normal(w.shape) * 0.5 for w in g_layer.get_weights()])
    return g_layer, getattr(K, name)(*args, **kwargs)


@pytest.mark.parametrize("rank", [1, 2])
@pytest.mark.parametrize("masked", [False, True])
def test_return_modes(rank, masked):
    for options in OPTIONS:          # one test per rank and mask: each test's Keras teardown costs ~1 s
        g_layer, k_layer = _twins(rank, F, 2, padding="same", **options)
        assert_twins(g_layer, k_layer, x=_x(rank), **({"mask": MASK} if masked else {}))


WINDOWS = [(1, {"strides": 2}), (1, {"dilation_rate": 2}), (2, {"kernel_size": (2, 3), "strides": (2, 1)}),
           (2, {"kernel_size": 3, "padding": "same", "dilation_rate": (1, 2)}), (3, {"padding": "same"}),
           (3, {"strides": (1, 2, 1)}), (1, {"data_format": "channels_first", "strides": 2}),
           (2, {"data_format": "channels_first", "padding": "same"}), (3, {"data_format": "channels_first"})]


def test_windows():
    for rank, window in WINDOWS:
        arguments = {"kernel_size": 2, **window}
        x = _x(rank) if "data_format" not in window else np.moveaxis(_x(rank), -1, 2)   # (n, T, C, *spatial)
        g_layer, k_layer = _twins(rank, F, return_sequences=True, return_state=True, shape=x.shape, **arguments)
        assert_twins(g_layer, k_layer, x=x)


def test_initial_state():
    for rank in (1, 2):
        _initial_state(rank)


def _initial_state(rank):
    g_layer, k_layer = _twins(rank, F, 3, padding="same", return_state=True, return_sequences=True)
    state_shape = (N, *SHAPES[rank][2:-1], F)
    states = [np.random.default_rng(20 + i).standard_normal(state_shape) for i in range(2)]
    assert_twins(g_layer, k_layer, x=_x(rank), states=states, mask=MASK)


def test_activations_and_no_bias():
    # torch's hard_sigmoid backward rounds 1/6 to float32 (see test_recurrent_keras.py): 1e-5 relative
    options = dict(activation="relu", recurrent_activation="hard_sigmoid", use_bias=False, return_sequences=True)
    g_layer, k_layer = _twins(2, F, 2, **options)
    assert_twins(g_layer, k_layer, x=_x(2) * 0.5, grad_rtol=1e-5)


def test_config_and_shapes():
    for rank in (1, 2, 3):
        _config_and_shapes(rank)


def _config_and_shapes(rank):
    arguments = dict(filters=3, kernel_size=2, strides=1, padding="same", dilation_rate=2, unit_forget_bias=False,
                     kernel_regularizer="l2", recurrent_constraint="non_neg", dropout=0.1, recurrent_dropout=0.2,
                     seed=3, return_sequences=True, return_state=True, stateful=False)
    name = f"ConvLSTM{rank}D"
    ours, theirs = getattr(G, name)(**arguments), getattr(K, name)(**arguments)
    shape = SHAPES[rank]
    assert ours.compute_output_shape(shape) == tuple(theirs.compute_output_shape(shape))
    ours.build(shape)
    theirs.build(shape)
    assert [(w.name, w.shape) for w in ours.weights] == [(w.name, tuple(w.shape)) for w in theirs.weights]
    config, keras_config = ours.get_config(), theirs.get_config()
    assert set(config) == set(keras_config)
    assert_config_matches(config, keras_config, name)


# until glassnet/interop/keras_format.py's KERAS_LAYERS lists the ConvLSTM layers, saving warns
def test_keras_file_to_glassnet_and_back(tmp_path):
    """keras.io's next-frame model in miniature: Keras saves, glassnet loads, saves, Keras loads."""
    pytest.importorskip("h5py")
    from glassnet.saving import load_model

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((None, 6, 6, 1)),
                              K.ConvLSTM2D(3, 3, padding="same", return_sequences=True, activation="relu"),
                              K.BatchNormalization(), K.ConvLSTM2D(2, 1, return_sequences=True, go_backwards=True),
                              K.TimeDistributed(K.Conv2D(1, 3, padding="same"))])
    x = np.random.default_rng(1).standard_normal((2, 3, 6, 6, 1))
    expected = np.asarray(model.predict(x, verbose=0))
    model.save(tmp_path / "k.keras")
    ours = load_model(tmp_path / "k.keras")
    np.testing.assert_allclose(ours.predict(x, verbose=0), expected, rtol=1e-12, atol=1e-12)
    ours.save(tmp_path / "g.keras")
    theirs = keras.saving.load_model(tmp_path / "g.keras")
    np.testing.assert_allclose(np.asarray(theirs.predict(x, verbose=0)), expected, rtol=1e-12, atol=1e-12)

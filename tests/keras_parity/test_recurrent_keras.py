"""Recurrent layers against Keras 3 itself, on identical weights, in float64 (skipped without keras).

Each glassnet layer and its Keras twin are built for the same shape; Keras gets glassnet's
weights with ``set_weights(get_weights())`` (so the shapes, order and names must be Keras's);
then every output (the sequence and the states), the gradients w.r.t. the input and the
initial states, and the gradients w.r.t. every weight must agree — with masks, go_backwards,
return_state and initial states. Both of glassnet's paths are compared: the fused sequence
ops and the generic loop over the cell.
"""
import inspect

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers as G
from glassnet.layers.recurrent.rnn import RecurrentLayer

from .test_layers_keras import assert_config_matches

keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")
torch.set_num_threads(1)

K = keras.layers
RTOL, ATOL = 1e-9, 1e-12
N, T, D, U = 3, 5, 4, 3
pytestmark = pytest.mark.usefixtures("keras_float64")     # conftest.py: both sides in float64

MASK = np.array([[True, True, True, False, False], [False, True, True, True, True], [True, False, True, True, False]])


@pytest.fixture(params=["fused", "loop"])
def path(request, monkeypatch):
    monkeypatch.setattr(RecurrentLayer, "_use_fused_op", request.param == "fused")
    return request.param


def _rng(seed):
    return np.random.default_rng(seed)


def _outputs(y):
    return list(y) if isinstance(y, (tuple, list)) else [y]


def _glassnet_pass(layer, x, states, upstream, kwargs):
    xt = gn.Tensor(x.copy(), requires_grad=True)
    st = [gn.Tensor(s.copy(), requires_grad=True) for s in states]
    if st:
        kwargs = {**kwargs, "initial_state": st}
    outputs = _outputs(layer(xt, **kwargs))
    sum((o * gn.Tensor(u)).sum() for o, u in zip(outputs, upstream)).backward()
    return ([o.numpy() for o in outputs], [xt.grad] + [s.grad for s in st],
            [w.grad for w in layer.trainable_weights])


def _keras_pass(layer, x, states, upstream, kwargs):
    xt = torch.tensor(x.copy(), requires_grad=True)
    st = [torch.tensor(s.copy(), requires_grad=True) for s in states]
    kwargs = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    if st:
        kwargs["initial_state"] = st
    outputs = _outputs(layer(xt, **kwargs))
    sum((o * torch.tensor(u)).sum() for o, u in zip(outputs, upstream)).backward()
    return ([o.detach().numpy() for o in outputs], [xt.grad.numpy()] + [s.grad.numpy() for s in st],
            [w.value.grad.numpy() for w in layer.trainable_weights])


def assert_twins(g_layer, k_layer, x=None, states=(), grad_rtol=RTOL, **kwargs):
    """Same weights into Keras; outputs and all gradients agree."""
    x = _rng(0).standard_normal((N, T, D)) if x is None else x
    g_layer.build(x.shape)
    k_layer.build(x.shape)
    assert [w.shape for w in g_layer.get_weights()] == [tuple(w.shape) for w in k_layer.get_weights()]
    assert [w.name for w in g_layer.weights] == [w.name for w in k_layer.weights]
    k_layer.set_weights(g_layer.get_weights())
    probe = _outputs(k_layer(torch.tensor(x), **{k: torch.tensor(v) if isinstance(v, np.ndarray) else v
                                                for k, v in kwargs.items()},
                             **({"initial_state": [torch.tensor(s) for s in states]} if states else {})))
    upstream = [_rng(10 + i).standard_normal(tuple(o.shape)) for i, o in enumerate(probe)]
    y_g, dx_g, dw_g = _glassnet_pass(g_layer, x, states, upstream, dict(kwargs))
    y_k, dx_k, dw_k = _keras_pass(k_layer, x, states, upstream, dict(kwargs))
    assert len(y_g) == len(y_k)
    for a, b in zip(y_g, y_k):
        np.testing.assert_allclose(a, b, rtol=RTOL, atol=ATOL)
    for a, b in zip(dx_g, dx_k):
        np.testing.assert_allclose(a, b, rtol=grad_rtol, atol=ATOL)
    assert len(dw_g) == len(dw_k)
    for a, b in zip(dw_g, dw_k):
        np.testing.assert_allclose(a, b, rtol=grad_rtol, atol=ATOL)


LAYERS = {
    "SimpleRNN": (lambda **k: G.SimpleRNN(U, **k), lambda **k: K.SimpleRNN(U, **k)),
    "LSTM": (lambda **k: G.LSTM(U, **k), lambda **k: K.LSTM(U, **k)),
    "GRU": (lambda **k: G.GRU(U, **k), lambda **k: K.GRU(U, **k)),
    "GRU-reset-before": (lambda **k: G.GRU(U, reset_after=False, **k), lambda **k: K.GRU(U, reset_after=False, **k)),
}
OPTIONS = [{}, {"return_sequences": True}, {"go_backwards": True}, {"go_backwards": True, "return_sequences": True},
           {"return_state": True, "return_sequences": True}, {"return_state": True, "go_backwards": True}]


def _random_bias(g_layer):
    """Nonzero biases, so that every bias term (GRU's recurrent row too) is exercised."""
    g_layer.build((N, T, D))
    g_layer.set_weights([w if w.ndim == 2 and w.shape[0] != 2 else _rng(5).standard_normal(w.shape)
                         for w in g_layer.get_weights()])


@pytest.mark.parametrize("name", LAYERS)
@pytest.mark.parametrize("options", OPTIONS)
@pytest.mark.parametrize("masked", [False, True])
def test_layers(name, options, masked, path):
    make_g, make_k = LAYERS[name]
    g_layer = make_g(**options)
    _random_bias(g_layer)
    assert_twins(g_layer, make_k(**options), **({"mask": MASK} if masked else {}))


@pytest.mark.parametrize("name", LAYERS)
def test_initial_state(name, path):
    make_g, make_k = LAYERS[name]
    count = 2 if name == "LSTM" else 1
    states = [_rng(20 + i).standard_normal((N, U)) for i in range(count)]
    assert_twins(make_g(return_state=True, return_sequences=True), make_k(return_state=True, return_sequences=True),
                 states=states, mask=MASK)


def test_activations_and_no_bias(path):
    # torch's hardsigmoid backward multiplies by 1/6 rounded to float32 (``one_sixth(1.0f / 6.0f)``
    # in ATen), even for float64 tensors: Keras's gradients through hard_sigmoid are good to ~1e-6 relative
    options = dict(activation="relu", recurrent_activation="hard_sigmoid", use_bias=False, return_sequences=True)
    assert_twins(G.LSTM(U, **options), K.LSTM(U, **options), mask=MASK, grad_rtol=1e-5)
    assert_twins(G.GRU(U, **options), K.GRU(U, **options), grad_rtol=1e-5)


def test_sequence_of_length_one(path):
    x = _rng(1).standard_normal((N, 1, D))
    assert_twins(G.LSTM(U, return_sequences=True, return_state=True),
                 K.LSTM(U, return_sequences=True, return_state=True), x=x)


def test_stacked_cells():
    g_layer = G.RNN([G.SimpleRNNCell(4), G.LSTMCell(U), G.GRUCell(2)], return_sequences=True)
    k_layer = K.RNN([K.SimpleRNNCell(4), K.LSTMCell(U), K.GRUCell(2)], return_sequences=True)
    assert_twins(g_layer, k_layer, mask=MASK)


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
@pytest.mark.parametrize("inner", ["LSTM", "GRU"])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_bidirectional(merge_mode, inner, return_sequences, path):
    make_g, make_k = LAYERS[inner]
    g_layer = G.Bidirectional(make_g(return_sequences=return_sequences), merge_mode=merge_mode)
    k_layer = K.Bidirectional(make_k(return_sequences=return_sequences), merge_mode=merge_mode)
    assert_twins(g_layer, k_layer, mask=MASK)


@pytest.mark.parametrize("merge_mode", ["concat", None])
def test_bidirectional_states(merge_mode, path):
    g_layer = G.Bidirectional(G.LSTM(U, return_state=True, return_sequences=True), merge_mode=merge_mode)
    k_layer = K.Bidirectional(K.LSTM(U, return_state=True, return_sequences=True), merge_mode=merge_mode)
    states = [_rng(30 + i).standard_normal((N, U)) for i in range(4)]
    assert_twins(g_layer, k_layer, states=states)


def test_time_distributed_dense():
    assert_twins(G.TimeDistributed(G.Dense(2, activation="tanh")), K.TimeDistributed(K.Dense(2, activation="tanh")))


# --- arguments and configs ----------------------------------------------------------------------
CLASSES = ["SimpleRNN", "LSTM", "GRU", "SimpleRNNCell", "LSTMCell", "GRUCell", "RNN", "StackedRNNCells",
           "Bidirectional", "TimeDistributed"]


@pytest.mark.parametrize("name", CLASSES)
def test_arguments_and_defaults_equal_keras(name):
    ours = inspect.signature(getattr(G, name).__init__).parameters
    theirs = inspect.signature(getattr(K, name).__init__).parameters
    assert list(ours) == list(theirs)
    assert [p.default for p in ours.values()] == [p.default for p in theirs.values()]


CONFIGS = {
    "SimpleRNN": lambda L: L.SimpleRNN(U),
    "LSTM": lambda L: L.LSTM(U),
    "GRU": lambda L: L.GRU(U),
    "SimpleRNNCell": lambda L: L.SimpleRNNCell(U),
    "LSTMCell": lambda L: L.LSTMCell(U),
    "GRUCell": lambda L: L.GRUCell(U),
    "RNN": lambda L: L.RNN(L.LSTMCell(U)),
    "StackedRNNCells": lambda L: L.StackedRNNCells([L.LSTMCell(U), L.GRUCell(2)]),
    "Bidirectional": lambda L: L.Bidirectional(L.GRU(U)),
    "TimeDistributed": lambda L: L.TimeDistributed(L.Dense(2)),
}


@pytest.mark.parametrize("name", CONFIGS)
def test_config_keys_equal_keras(name):
    ours, theirs = CONFIGS[name](G).get_config(), CONFIGS[name](K).get_config()
    assert set(ours) == set(theirs)
    for ours_cell, theirs_cell in zip(ours.pop("cells", []), theirs.pop("cells", [])):   # StackedRNNCells
        assert ours_cell["class_name"] == theirs_cell["class_name"]
        assert_config_matches(ours_cell["config"], theirs_cell["config"], name)
    assert_config_matches(ours, theirs, name)      # values too, nested cells and layers included


@pytest.mark.parametrize("name", ["SimpleRNN", "LSTM", "GRU"])
def test_stateful_batches_and_reset(name, path):
    make_g, make_k = LAYERS[name]
    g_layer, k_layer = make_g(stateful=True), make_k(stateful=True)
    g_layer.build((N, T, D))
    k_layer.build((N, T, D))
    k_layer.set_weights(g_layer.get_weights())
    batches = [_rng(40 + i).standard_normal((N, T, D)) for i in range(3)]
    for i, x in enumerate(batches):
        if i == 2:
            g_layer.reset_states()
            k_layer.reset_states()
        np.testing.assert_allclose(g_layer(x).numpy(), k_layer(torch.tensor(x)).detach().numpy(), rtol=RTOL, atol=ATOL)

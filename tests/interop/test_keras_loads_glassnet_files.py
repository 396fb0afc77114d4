"""Both ways with Keras 3 itself (skipped unless keras and torch are importable).

For a model of every chapter built in glassnet: ``model.save("m.keras")`` → Keras's
``load_model`` predicts what glassnet predicts; Keras's ``save`` of that model →
glassnet's ``load_model`` predicts the same again. Weights files go both ways too.
Tolerance: float32, atol 1e-5 (glassnet and Keras/torch sum in different orders).
TextVectorization is not in this list: Keras's needs TensorFlow to be constructed at all.
"""
import os

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")
pytest.importorskip("h5py")
pytest.importorskip("torch")
keras = pytest.importorskip("keras")

import glassnet as gn  # noqa: E402
from glassnet import layers as L  # noqa: E402
from glassnet.saving import load_model  # noqa: E402

ATOL = 1e-5
rng = np.random.default_rng(0)


def mlp():
    model = gn.models.Sequential([L.Input((6,)), L.Dense(8, activation="relu"), L.BatchNormalization(),
                                  L.Dropout(0.3), L.Dense(3, activation="softmax")])
    x = rng.normal(size=(24, 6)).astype("float32")
    model.compile(optimizer=gn.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, rng.integers(0, 3, size=24), epochs=2, batch_size=8, verbose=0)
    return model, [x[:5]]


def cnn():
    model = gn.models.Sequential([
        L.Input((9, 9, 2)), L.Conv2D(4, 3, activation="relu", padding="same"), L.MaxPooling2D(2),
        L.SeparableConv2D(3, 2, activation="tanh"), L.DepthwiseConv2D(2, depth_multiplier=2),
        L.UpSampling2D(2), L.Conv2DTranspose(2, 3, strides=2), L.AveragePooling2D(2), L.Flatten(), L.Dense(2)])
    return model, [rng.normal(size=(3, 9, 9, 2)).astype("float32")]


def conv1d():
    model = gn.models.Sequential([L.Input((12, 3)), L.Conv1D(4, 3, activation="relu"), L.MaxPooling1D(2),
                                  L.GlobalAveragePooling1D(), L.Dense(1)])
    return model, [rng.normal(size=(3, 12, 3)).astype("float32")]


def recurrent():
    inputs = L.Input((7,), dtype="int32")
    h = L.Embedding(15, 4, mask_zero=True)(inputs)
    h = L.Bidirectional(L.LSTM(3, return_sequences=True))(h)
    h = L.TimeDistributed(L.Dense(4, activation="tanh"))(h)
    h = L.GRU(4, return_sequences=True)(h)
    outputs = L.SimpleRNN(3)(h)
    model = gn.models.Model(inputs, outputs)
    for w in model.weights:
        w.assign(w.data + rng.normal(scale=0.3, size=w.shape).astype("float32"))
    x = rng.integers(1, 15, size=(4, 7)).astype("int32")
    x[1, 3:] = 0
    return model, [x]


def attention():
    inputs = L.Input((5, 8))
    a = L.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=4)(inputs, inputs)
    h = L.LayerNormalization()(L.Add()([inputs, a]))
    h = L.Add()([h, L.Dense(8)(L.Dense(12, activation="gelu")(h))])
    h = L.LayerNormalization(epsilon=1e-6)(h)
    outputs = L.Dense(2)(L.GlobalAveragePooling1D()(h))
    model = gn.models.Model(inputs, outputs)
    for w in model.weights:
        w.assign(w.data + rng.normal(scale=0.2, size=w.shape).astype("float32"))
    return model, [rng.normal(size=(3, 5, 8)).astype("float32")]


def multi_io():
    a, b = L.Input((4,), name="a"), L.Input((3,), name="b")
    h = L.Concatenate()([L.Dense(5, activation="relu")(a), L.Dense(2)(b)])
    model = gn.models.Model([a, b], [L.Dense(1, name="y")(h), L.Dense(2, activation="softmax", name="z")(h)])
    model.compile(optimizer="sgd", loss=["mse", "sparse_categorical_crossentropy"])
    return model, [rng.normal(size=(4, 4)).astype("float32"), rng.normal(size=(4, 3)).astype("float32")]


def preprocessing():
    normalization = L.Normalization()
    normalization.adapt(rng.normal(loc=2.0, scale=3.0, size=(30, 3)).astype("float32"))
    model = gn.models.Sequential([L.Input((3,)), L.Rescaling(0.5, offset=1.0), normalization, L.Dense(2)])
    return model, [rng.normal(size=(4, 3)).astype("float32")]


def nested():
    """A Sequential used twice inside a functional model (one set of weights, Keras's
    ``layers/sequential/layers/dense`` paths)."""
    inner = gn.models.Sequential([L.Input((4,)), L.Dense(3, activation="relu"), L.Dense(3)])
    a, b = L.Input((4,)), L.Input((4,))
    model = gn.models.Model([a, b], L.Dense(1)(L.Concatenate()([inner(a), inner(b)])))
    return model, [rng.normal(size=(3, 4)).astype("float32"), rng.normal(size=(3, 4)).astype("float32")]


def stacked_cells():
    model = gn.models.Sequential([L.Input((5, 2)), L.RNN([L.LSTMCell(3), L.GRUCell(2)]), L.Dense(1)])
    return model, [rng.normal(size=(3, 5, 2)).astype("float32")]


MODELS = {f.__name__: f for f in (mlp, cnn, conv1d, recurrent, attention, multi_io, preprocessing, nested,
                                  stacked_cells)}


def _predict(model, xs):
    out = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
    return [np.asarray(o) for o in (out if isinstance(out, (list, tuple)) else [out])]


@pytest.mark.parametrize("name", MODELS)
def test_glassnet_file_loads_in_keras_and_back(name, tmp_path):
    gn.utils.set_random_seed(0)
    model, xs = MODELS[name]()
    ours = _predict(model, xs)
    model.save(tmp_path / "m.keras")
    theirs = keras.saving.load_model(tmp_path / "m.keras")
    for a, b in zip(_predict(theirs, xs), ours):
        np.testing.assert_allclose(a, b, atol=ATOL, rtol=0)
    if getattr(model, "optimizer", None) is not None and model.optimizer.iterations:
        assert int(theirs.optimizer.iterations) == model.optimizer.iterations
    theirs.save(tmp_path / "k.keras")
    again = load_model(tmp_path / "k.keras")
    for a, b in zip(_predict(again, xs), ours):
        np.testing.assert_allclose(a, b, atol=ATOL, rtol=0)


def test_weights_files_both_ways(tmp_path):
    gn.utils.set_random_seed(1)
    model, xs = attention()
    model.save_weights(tmp_path / "ours.weights.h5")
    model.save(tmp_path / "m.keras")
    theirs = keras.saving.load_model(tmp_path / "m.keras")
    for w in theirs.weights:
        w.assign(np.zeros(w.shape, dtype="float32"))
    theirs.load_weights(tmp_path / "ours.weights.h5")
    np.testing.assert_allclose(_predict(theirs, xs)[0], _predict(model, xs)[0], atol=ATOL, rtol=0)
    for w in theirs.weights:
        w.assign(w.numpy() * 0.5)
    theirs.save_weights(tmp_path / "theirs.weights.h5")
    model.load_weights(tmp_path / "theirs.weights.h5")
    np.testing.assert_allclose(_predict(model, xs)[0], _predict(theirs, xs)[0], atol=ATOL, rtol=0)

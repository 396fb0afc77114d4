"""Models built and saved by Keras 3 itself, for the layers the fixtures do not cover: they
load in glassnet with Keras's predictions (atol 1e-5, float32), and glassnet's re-save loads
back in Keras with the same predictions (skipped unless keras and torch are importable)."""
import json
import os
import zipfile

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")
pytest.importorskip("h5py")
pytest.importorskip("torch")
keras = pytest.importorskip("keras")
K = keras.layers

from glassnet.saving import load_model  # noqa: E402

ATOL = 1e-5
rng = np.random.default_rng(0)


def f32(*shape):
    return rng.normal(size=shape).astype("float32")


def two_inputs(make, a_shape, b_shape):
    a, b = keras.Input(a_shape), keras.Input(b_shape)
    return keras.Model([a, b], make(a, b))


def compiled():
    model = keras.Sequential([keras.Input((4,)), K.Dense(3, activation="softmax")])
    schedule = keras.optimizers.schedules.ExponentialDecay(0.01, 10, 0.9)
    model.compile(optimizer=keras.optimizers.Adam(schedule),
                  loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1),
                  metrics=[keras.metrics.CategoricalAccuracy(), "auc"])
    model.fit(f32(4, 4), np.eye(3)[[0, 1, 2, 0]], epochs=1, verbose=0)
    return model


CASES = {
    "conv1d_simple_rnn_time_distributed": (lambda: keras.Sequential([
        keras.Input((10, 3)), K.Conv1D(4, 3, padding="causal", dilation_rate=2), K.SimpleRNN(3, return_sequences=True),
        K.TimeDistributed(K.Dense(2)), K.Flatten()]), [(2, 10, 3)]),
    "dot_product_and_additive_attention": (lambda: two_inputs(
        lambda q, v: K.Concatenate()([K.Attention()([q, v]), K.AdditiveAttention()([q, v])]), (4, 3), (5, 3)),
        [(2, 4, 3), (2, 5, 3)]),
    "reshaping": (lambda: keras.Sequential([
        keras.Input((6, 4, 2)), K.ZeroPadding2D(1), K.Cropping2D(((1, 0), (0, 1))), K.UpSampling2D(2),
        K.Conv2DTranspose(2, 3, strides=2), K.DepthwiseConv2D(3), K.Reshape((-1, 2)), K.Permute((2, 1)),
        K.GlobalAveragePooling1D(), K.RepeatVector(3), K.Flatten()]), [(2, 6, 4, 2)]),
    "activations_regularizer_constraint": (lambda: keras.Sequential([
        keras.Input((5,)), K.Dense(4), K.PReLU(), K.LeakyReLU(0.2), K.ELU(),
        K.Dense(3, kernel_regularizer="l2", kernel_constraint=keras.constraints.MaxNorm(2.0)), K.Softmax(),
        K.GaussianNoise(0.1), K.ReLU(max_value=6.0), K.Activation("gelu")]), [(3, 5)]),
    "masking_gru_v1_lstm_options": (lambda: keras.Sequential([
        keras.Input((6, 3)), K.Masking(0.0),
        K.Bidirectional(K.GRU(3, reset_after=False, return_sequences=True), merge_mode="sum"),
        K.LSTM(2, dropout=0.1, recurrent_dropout=0.1, unroll=True), K.Dense(1)]), [(2, 6, 3)]),
    "separable_conv1d": (lambda: keras.Sequential([
        keras.Input((8, 3)), K.SeparableConv1D(4, 3), K.SpatialDropout1D(0.2), K.AveragePooling1D(2),
        K.GlobalMaxPooling1D()]), [(2, 8, 3)]),
    "image_preprocessing": (lambda: keras.Sequential([
        keras.Input((8, 8, 3)), K.Rescaling(1 / 255.0), K.Resizing(6, 6), K.CenterCrop(4, 4), K.RandomFlip(),
        K.RandomRotation(0.1), K.RandomZoom(0.1), K.Flatten(), K.Dense(2)]), [(2, 8, 8, 3)]),
    "merging": (lambda: two_inputs(lambda a, b: [K.Subtract()([a, b]), K.Multiply()([a, b]), K.Average()([a, b]),
                                                 K.Maximum()([a, b]), K.Minimum()([a, b]), K.Dot(axes=1)([a, b])],
                                   (3,), (3,)), [(2, 3), (2, 3)]),
    "normalization_options": (lambda: keras.Sequential([
        keras.Input((4, 5)), K.BatchNormalization(axis=1, center=False), K.LayerNormalization(scale=False),
        K.Dense(2, use_bias=False)]), [(3, 4, 5)]),
    "cross_attention": (lambda: two_inputs(
        lambda q, v: K.MultiHeadAttention(2, 3, output_shape=4, use_bias=False)(q, v), (4, 3), (6, 5)),
        [(2, 4, 3), (2, 6, 5)]),
    "schedule_loss_and_metric_objects": (compiled, [(2, 4)]),
}


def _predict(model, xs):
    out = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
    return [np.asarray(o) for o in (out if isinstance(out, (list, tuple)) else [out])]


@pytest.mark.parametrize("name", CASES)
def test_keras_model_to_glassnet_and_back(name, tmp_path):
    keras.utils.set_random_seed(0)
    make, shapes = CASES[name]
    model = make()
    xs = [f32(*shape) for shape in shapes]
    expected = _predict(model, xs)
    model.save(tmp_path / "k.keras")
    ours = load_model(tmp_path / "k.keras")
    for a, b in zip(_predict(ours, xs), expected):
        np.testing.assert_allclose(a, b, atol=ATOL, rtol=0)
    ours.save(tmp_path / "g.keras")
    theirs = keras.saving.load_model(tmp_path / "g.keras")
    for a, b in zip(_predict(theirs, xs), expected):
        np.testing.assert_allclose(a, b, atol=ATOL, rtol=0)
    if name == "schedule_loss_and_metric_objects":
        assert type(ours.optimizer._learning_rate).__name__ == "ExponentialDecay"
        assert ours.optimizer.iterations == 1 and int(theirs.optimizer.iterations) == 1


def test_functional_masks_of_masking_and_embedding(tmp_path):
    """Keras records ``any(not_equal(x, v), axis=-1)`` for a Masking layer and
    ``not_equal(ids, 0)`` for an Embedding as op nodes; glassnet drops them and masks as Keras did."""
    keras.utils.set_random_seed(0)
    inputs = keras.Input((6, 2))
    masking = keras.Model(inputs, K.Dense(1)(K.LSTM(3)(K.Masking(0.5)(inputs))))
    x = f32(3, 6, 2)
    x[1, 3:] = 0.5
    ids = keras.Input((5,), dtype="int32")
    h = K.GRU(2, return_sequences=True)(K.Dropout(0.1)(K.Embedding(8, 3, mask_zero=True)(ids)))
    embedding = keras.Model(ids, K.LSTM(2)(h))
    tokens = np.array([[1, 2, 3, 0, 0], [4, 5, 0, 0, 0]], dtype="int32")
    for model, data in ((masking, x), (embedding, tokens)):
        model.save(tmp_path / "m.keras")
        ours = load_model(tmp_path / "m.keras")
        np.testing.assert_allclose(ours.predict(data, verbose=0), model.predict(data, verbose=0), atol=ATOL, rtol=0)
        with zipfile.ZipFile(tmp_path / "m.keras") as archive:
            config = json.loads(archive.read("config.json"))
        assert "NotEqual" in [layer["class_name"] for layer in config["config"]["layers"]]   # the graph had them

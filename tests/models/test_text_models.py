"""Models that read raw text: Input(dtype="string") → TextVectorization → Dense, as in Keras.

The corpus is tiny and hand-written: every positive review holds "great", "loved" or
"wonderful", every negative one "awful", "hated" or "boring", so a bag of words separates
them and a small MLP must reach training accuracy 1.0.
"""
import numpy as np
import pytest

import glassnet
from glassnet import layers, ops
from glassnet.models import data_adapter as adapters

POSITIVE = ["a great movie", "wonderful acting and a great story", "i loved it", "great fun for everyone",
            "we loved the great cast", "a wonderful film", "truly great", "i loved every minute",
            "wonderful and moving", "the music was great"]
NEGATIVE = ["a terrible awful movie", "awful acting and a boring story", "i hated it", "a boring mess",
            "we hated the awful cast", "an awful film", "truly boring", "i hated every minute",
            "boring and dull", "the music was awful"]
# interleaved, so that validation_split's last 20% holds both classes
TEXTS = np.array([t for pair in zip(POSITIVE, NEGATIVE) for t in pair])
LABELS = np.array([1, 0] * 10, dtype="float32")


def vectorizer(**kwargs):
    layer = layers.TextVectorization(**kwargs)
    layer.adapt(TEXTS)
    return layer


def sequential(output_mode="tf_idf"):
    return glassnet.Sequential([layers.Input(shape=(1,), dtype="string", name="review"),
                                vectorizer(max_tokens=1000, output_mode=output_mode),
                                layers.Dense(16, activation="relu"), layers.Dense(1, activation="sigmoid")])


def functional(output_mode="multi_hot", shape=(1,)):
    inputs = layers.Input(shape=shape, dtype="string", name="review")
    x = vectorizer(max_tokens=1000, output_mode=output_mode)(inputs)
    x = layers.Dense(16, activation="relu")(x)
    return glassnet.Model(inputs, layers.Dense(1, activation="sigmoid")(x))


def compiled(model):
    model.compile(glassnet.optimizers.Adam(learning_rate=0.02), "binary_crossentropy", metrics=["accuracy"])
    return model


# --------------------------------------------------------------------------- training end to end

@pytest.mark.parametrize("make, output_mode", [(sequential, "tf_idf"), (sequential, "count"),
                                               (functional, "multi_hot"), (functional, "tf_idf")])
def test_fit_on_raw_text_separates_the_classes(make, output_mode):
    model = compiled(make(output_mode))
    history = model.fit(TEXTS, LABELS, epochs=40, batch_size=4, validation_split=0.2, verbose=0)
    assert history.history["accuracy"][-1] == 1.0
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    probabilities = model.predict(np.array(["a great movie", "an awful film"]), verbose=0)
    assert probabilities.shape == (2, 1) and probabilities[0, 0] > 0.5 > probabilities[1, 0]
    assert model.evaluate(TEXTS, LABELS, verbose=0, return_dict=True)["accuracy"] == 1.0


def test_text_of_shape_batch_or_batch_by_one_and_lists():
    model = functional()
    expected = model.predict(TEXTS, verbose=0)  # (20,) strings for Input(shape=(1,)): a trailing axis is added
    np.testing.assert_array_equal(model.predict(TEXTS.reshape(-1, 1), verbose=0), expected)
    np.testing.assert_array_equal(model.predict(list(TEXTS), verbose=0), expected)
    np.testing.assert_array_equal(model.predict(TEXTS.astype(object), verbose=0), expected)
    flat = functional(shape=())
    assert flat.input_shape == (None,)
    assert flat.predict(TEXTS.reshape(-1, 1), verbose=0).shape == (20, 1)  # (batch, 1) given to shape (): squeezed
    unknown = functional(shape=(None,))
    assert unknown.predict(TEXTS, verbose=0).shape == (20, 1)


def test_string_batches_are_sliced_and_shuffled_with_their_labels():
    glassnet.utils.set_random_seed(0)
    data = adapters.ArrayData(TEXTS, LABELS, batch_size=6, shuffle=True)
    seen = []
    for x_batch, y_batch, _ in data:
        assert x_batch.dtype.kind == "U"  # never cast to numbers
        np.testing.assert_array_equal(y_batch, [1.0 if t in POSITIVE else 0.0 for t in x_batch])
        seen.extend(x_batch)
    assert sorted(seen) == sorted(TEXTS) and seen != list(TEXTS)


def test_sequential_without_input_builds_a_string_input_from_the_data():
    model = compiled(glassnet.Sequential([vectorizer(output_mode="multi_hot"), layers.Dense(1, activation="sigmoid")]))
    model.fit(TEXTS, LABELS, epochs=2, verbose=0)
    assert model._layers[0].dtype == "string" and model.input_shape == (None,)
    assert model.predict(TEXTS[:3], verbose=0).shape == (3, 1)


def test_int_ids_feed_a_lambda():
    inputs = layers.Input(shape=(1,), dtype="string")
    ids = vectorizer(output_sequence_length=6)(inputs)
    assert ids.shape == (None, 6) and ids.dtype == "int64"
    features = layers.Lambda(lambda t: ops.cast(t, "float32") / 40.0)(ids)
    model = glassnet.Model(inputs, layers.Dense(1)(features))
    model.compile("sgd", "mse")
    model.fit(TEXTS, LABELS, epochs=1, verbose=0)
    layer = model.layers[1]
    np.testing.assert_array_equal(layer(["a great movie"]).numpy(),
                                  [[layer.get_vocabulary().index(w) for w in ("a", "great", "movie")] + [0, 0, 0]])


# --------------------------------------------------------------------------- saving and summary

@pytest.mark.parametrize("make", [sequential, functional])
def test_save_and_load_give_identical_predictions(make, tmp_path):
    model = compiled(make())
    model.fit(TEXTS, LABELS, epochs=3, verbose=0)
    model.save(tmp_path / "m.glassnet")
    loaded = glassnet.models.load_model(tmp_path / "m.glassnet")
    texts = np.array(["a great movie", "an unseen word", "boring"])
    np.testing.assert_array_equal(loaded.predict(texts, verbose=0), model.predict(texts, verbose=0))
    vectorization = [l for l in loaded.layers if isinstance(l, layers.TextVectorization)][0]
    assert vectorization.get_vocabulary() == model.layers[0 if make is sequential else 1].get_vocabulary()
    loaded.fit(TEXTS, LABELS, epochs=1, verbose=0)  # and it trains on


def test_string_input_dtype_spellings_and_config():
    for dtype in ("string", "str", str, object, np.dtype("U5")):
        assert layers.Input(shape=(1,), dtype=dtype).dtype == "string"
    layer = layers.InputLayer(shape=(1,), dtype="string")
    assert layer.get_config()["dtype"] == "string"
    assert layers.InputLayer.from_config(layer.get_config()).dtype == "string"


def test_summary_shows_the_string_input_and_the_vocabulary_width():
    lines = []
    functional(output_mode="count").summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert "review (InputLayer)" in text and "(None, 1)" in text
    width = vectorizer(output_mode="count").vocabulary_size()
    assert f"(None, {width})" in text and "TextVectorization" in text


# --------------------------------------------------------------------------- bad input

def test_no_vocabulary_fails_when_the_model_is_built():
    with pytest.raises(RuntimeError, match="no vocabulary.*adapt.*vocabulary="):
        glassnet.Sequential([layers.Input(shape=(1,), dtype="string"), layers.TextVectorization(output_mode="tf_idf"),
                             layers.Dense(1)])
    with pytest.raises(RuntimeError, match="no vocabulary"):
        layers.TextVectorization(output_mode="multi_hot")(layers.Input(shape=(1,), dtype="string"))


def test_numbers_given_to_a_text_model():
    model = compiled(sequential())
    weights = model.get_weights()
    with pytest.raises(TypeError, match="input layer 'review'.*expects strings.*numbers"):
        model.fit(np.zeros((20, 1)), LABELS, verbose=0)
    with pytest.raises(TypeError, match="input layer 'review'.*expects strings"):
        model.predict(np.arange(3).reshape(3, 1), verbose=0)
    with pytest.raises(TypeError, match="input layer 'review'.*expects strings"):
        functional()(glassnet.Tensor(np.zeros((2, 1), "float32")))
    for before, after in zip(weights, model.get_weights()):
        np.testing.assert_array_equal(before, after)


def test_text_given_to_a_numeric_model_or_layer():
    model = glassnet.Sequential([layers.Input(shape=(3,), name="features"), layers.Dense(1)])
    model.compile("sgd", "mse")
    with pytest.raises(TypeError, match="input layer 'features'.*expects numeric data.*strings"):
        model.fit(np.array([["a", "b", "c"]] * 4), np.zeros(4), verbose=0)
    with pytest.raises(TypeError, match="Dense.*inputs must be numbers, got strings"):
        layers.Dense(2)(np.array([["a b"]]))
    with pytest.raises(TypeError, match="dtype 'strang'"):
        layers.Input(shape=(1,), dtype="strang")
    with pytest.raises(TypeError, match="`y` must be numeric"):
        adapters.ArrayData(TEXTS, TEXTS)  # strings pass only as model inputs


def test_predict_on_batch_takes_strings():
    tv = layers.TextVectorization(output_mode="multi_hot")
    tv.adapt(["good film", "bad film"])
    model = glassnet.Sequential([layers.Input(shape=(1,), dtype="string"), tv, layers.Dense(1)])
    out = model.predict_on_batch(np.array(["good film", "bad"]))
    assert out.shape == (2, 1)

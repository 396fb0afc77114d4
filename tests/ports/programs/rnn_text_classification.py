"""Text classification with a bidirectional LSTM (keras.io, "Bidirectional LSTM on IMDB"):
integer sequences padded with pad_sequences, Embedding, two stacked Bidirectional LSTMs,
a sigmoid output. Synthetic "reviews": positive ones contain token 7."""
import numpy as np

import glassnet as keras
from glassnet import layers

MAX_FEATURES = 30
MAXLEN = 12


def make_data(n=208, seed=0):
    rng = np.random.default_rng(seed)
    sequences, labels = [], []
    for _ in range(n):
        length = int(rng.integers(4, MAXLEN + 4))
        tokens = list(rng.integers(8, MAX_FEATURES, size=length))
        label = int(rng.integers(0, 2))
        if label:
            tokens[int(rng.integers(0, min(length, MAXLEN)))] = 7
        sequences.append(tokens)
        labels.append(label)
    x = keras.utils.pad_sequences(sequences, maxlen=MAXLEN, truncating="post")
    return x, np.array(labels)


def build_model():
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(MAX_FEATURES, 16)(inputs)
    x = layers.Bidirectional(layers.LSTM(8, return_sequences=True))(x)
    x = layers.Bidirectional(layers.LSTM(8))(x)
    outputs = layers.Dense(1, activation="sigmoid")(x)
    return keras.Model(inputs, outputs)


def main():
    keras.utils.set_random_seed(0)
    x, y = make_data()
    model = build_model()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="binary_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x[:160], y[:160], batch_size=32, epochs=6, validation_data=(x[160:], y[160:]), verbose=0)
    return {"loss": history.history["loss"], "val_accuracy": history.history["val_accuracy"], "chance": 0.5}

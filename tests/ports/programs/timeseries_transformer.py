"""Timeseries classification with a Transformer (keras.io, "Timeseries classification with a
Transformer model"-style): encoder blocks written with Python operators on symbolic tensors
(``res = x + inputs``), Conv1D feed-forward layers, GlobalAveragePooling1D over channels first,
EarlyStopping; the series of one class carry a sine wave, the others noise only."""
import numpy as np

import glassnet as keras
from glassnet import layers

LENGTH = 40


def make_data(n=240, seed=0):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    x = rng.normal(0.0, 0.6, size=(n, LENGTH, 1)).astype("float32")
    phase = rng.uniform(0, 2 * np.pi, size=(n, 1))
    x[:, :, 0] += labels[:, None] * np.sin(np.linspace(0, 4 * np.pi, LENGTH)[None, :] + phase).astype("float32")
    return x, labels


def transformer_encoder(inputs, head_size, num_heads, ff_dim, dropout=0.0):
    x = layers.MultiHeadAttention(key_dim=head_size, num_heads=num_heads, dropout=dropout)(inputs, inputs)
    x = layers.Dropout(dropout)(x)
    x = layers.LayerNormalization(epsilon=1e-6)(x)
    res = x + inputs
    x = layers.Conv1D(filters=ff_dim, kernel_size=1, activation="relu")(res)
    x = layers.Dropout(dropout)(x)
    x = layers.Conv1D(filters=inputs.shape[-1], kernel_size=1)(x)
    x = layers.LayerNormalization(epsilon=1e-6)(x)
    return x + res


def build_model():
    inputs = keras.Input(shape=(LENGTH, 1))
    x = layers.Conv1D(8, 5, padding="same", activation="relu")(inputs)
    for _ in range(2):
        x = transformer_encoder(x, head_size=8, num_heads=2, ff_dim=16, dropout=0.1)
    x = layers.GlobalAveragePooling1D(data_format="channels_first")(x)
    x = layers.Dense(16, activation="relu")(x)
    outputs = layers.Dense(2, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def main():
    keras.utils.set_random_seed(0)
    x, y = make_data()
    model = build_model()
    model.compile(loss="sparse_categorical_crossentropy", optimizer=keras.optimizers.Adam(learning_rate=3e-3),
                  metrics=["sparse_categorical_accuracy"])
    callbacks = [keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True)]
    history = model.fit(x[:200], y[:200], validation_split=0.2, epochs=15, batch_size=16, callbacks=callbacks,
                        verbose=0)
    test_loss, test_accuracy = model.evaluate(x[200:], y[200:], verbose=0)
    return {"loss": history.history["loss"], "test_accuracy": test_accuracy, "chance": 0.5}

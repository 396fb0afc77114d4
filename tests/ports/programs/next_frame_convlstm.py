"""Next-frame video prediction with convolutional LSTMs (keras.io, "Next-Frame Video
Prediction with Convolutional LSTMs"-style): ConvLSTM2D layers with BatchNormalization read a
sequence of frames, a Conv3D predicts every next frame; here a dot moves across small frames."""
import numpy as np

import glassnet as keras
from glassnet import layers

FRAMES, SIZE = 6, 8


def make_data(n=96, seed=0):
    """Sequences of a dot moving one pixel to the right a frame from a random start; y is x one frame on."""
    rng = np.random.default_rng(seed)
    video = np.zeros((n, FRAMES + 1, SIZE, SIZE, 1), "float32")
    rows, cols = rng.integers(0, SIZE, n), rng.integers(0, SIZE - FRAMES, n)
    for t in range(FRAMES + 1):
        video[np.arange(n), t, rows, cols + t, 0] = 1.0
    return video[:, :-1], video[:, 1:]


def build_model():
    inputs = keras.Input(shape=(None, SIZE, SIZE, 1))
    x = layers.ConvLSTM2D(8, (3, 3), padding="same", return_sequences=True, activation="relu")(inputs)
    x = layers.BatchNormalization(momentum=0.8)(x)   # few steps here: moving statistics must catch up
    x = layers.ConvLSTM2D(8, (3, 3), padding="same", return_sequences=True, activation="relu")(x)
    outputs = layers.Conv3D(1, (3, 3, 3), activation="sigmoid", padding="same")(x)
    return keras.Model(inputs, outputs)


def main():
    keras.utils.set_random_seed(0)
    x, y = make_data()
    model = build_model()
    model.compile(loss=keras.losses.binary_crossentropy, optimizer=keras.optimizers.Adam(learning_rate=3e-3))
    callbacks = [keras.callbacks.ReduceLROnPlateau(monitor="val_loss", patience=3)]
    history = model.fit(x[:80], y[:80], batch_size=8, epochs=10, validation_data=(x[80:], y[80:]),
                        callbacks=callbacks, verbose=0)
    predicted = model.predict(x[80:], verbose=0)
    # from the second frame on the motion is known: is the brightest predicted pixel where the dot goes?
    hits = [np.argmax(predicted[i, t]) == np.argmax(y[80 + i, t]) for i in range(len(predicted)) for t in range(1, FRAMES)]
    return {"loss": history.history["loss"], "hit_rate": float(np.mean(hits)),
            "baseline_loss": float(keras.losses.binary_crossentropy(y[80:], np.full_like(y[80:], y.mean())).numpy().mean())}

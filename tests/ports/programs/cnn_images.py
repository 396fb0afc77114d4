"""A small convnet (keras.io, "Simple MNIST convnet"): Conv2D, MaxPooling2D, Flatten, Dropout,
Dense softmax with sparse labels, on 12×12 images of a horizontal or a vertical bar."""
import numpy as np

import glassnet as keras
from glassnet import layers

INPUT_SHAPE = (12, 12, 1)


def make_data(n=256, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(scale=0.3, size=(n,) + INPUT_SHAPE).astype("float32")
    labels = rng.integers(0, 2, size=n)
    positions = rng.integers(2, 10, size=n)
    for i, (label, p) in enumerate(zip(labels, positions)):
        if label == 0:
            x[i, p, 2:10, 0] += 1.0          # a horizontal bar
        else:
            x[i, 2:10, p, 0] += 1.0          # a vertical bar
    return x, labels


def build_model():
    return keras.Sequential([
        keras.Input(shape=INPUT_SHAPE),
        layers.Conv2D(8, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(16, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.25),
        layers.Dense(2, activation="softmax"),
    ])


def main():
    keras.utils.set_random_seed(0)
    x, y = make_data()
    model = build_model()
    model.compile(loss="sparse_categorical_crossentropy", optimizer=keras.optimizers.Adam(learning_rate=0.01),
                  metrics=["accuracy"])
    history = model.fit(x[:192], y[:192], batch_size=32, epochs=8, verbose=0)
    score = model.evaluate(x[192:], y[192:], verbose=0)
    return {"loss": history.history["loss"], "test_accuracy": score[1], "chance": 0.5}

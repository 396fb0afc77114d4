"""A multilayer perceptron for 4-class classification (keras.io, "Simple MNIST"-style MLP):
one-hot labels with to_categorical, Dense + Dropout, categorical cross-entropy, accuracy,
a validation split and evaluate."""
import numpy as np

import glassnet as keras
from glassnet import layers

NUM_CLASSES = 4


def make_data(n=512, seed=0):
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=3.0, size=(NUM_CLASSES, 16))
    labels = rng.integers(0, NUM_CLASSES, size=n)
    x = (centers[labels] + rng.normal(size=(n, 16))).astype("float32")
    return x, labels


def build_model():
    return keras.Sequential([
        keras.Input(shape=(16,)),
        layers.Dense(32, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(32, activation="relu"),
        layers.Dense(NUM_CLASSES, activation="softmax"),
    ])


def main():
    keras.utils.set_random_seed(0)
    x, labels = make_data()
    y = keras.utils.to_categorical(labels, NUM_CLASSES)
    model = build_model()
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    history = model.fit(x[:400], y[:400], batch_size=32, epochs=10, validation_split=0.1, verbose=0)
    score = model.evaluate(x[400:], y[400:], verbose=0)
    return {"loss": history.history["loss"], "test_loss": score[0], "test_accuracy": score[1], "chance": 0.25}

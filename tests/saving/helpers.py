"""Small models and data shared by the saving tests."""
import numpy as np

from glassnet import utils
from glassnet.layers import BatchNormalization, Concatenate, Dense, Dropout, Input
from glassnet.models import Model, Sequential


def data(n=40, features=4, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, features)).astype("float32"), rng.integers(0, classes, n)


def mlp(optimizer="adam"):
    model = Sequential([Input((4,)), Dense(8, activation="relu"), Dropout(0.25), Dense(3, activation="softmax")])
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def mlp_with_state(optimizer="rmsprop"):
    """Non-trainable weights (BatchNormalization's moving statistics), a frozen layer, a
    regularizer: the optimizer tracks only some of ``model.weights``."""
    model = Sequential([Input((4,)), Dense(8, kernel_regularizer="l2"), BatchNormalization(),
                        Dense(8, activation="relu"), Dropout(0.3), Dense(3, activation="softmax")])
    model.layers[2].trainable = False
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def two_branch():
    """The course's functional two-branch ("wide and deep") model: two inputs, one branch
    each, concatenated, one sigmoid output."""
    wide_in, deep_in = Input((3,), name="wide"), Input((5,), name="deep")
    deep = Dense(16, activation="relu")(deep_in)
    deep = Dense(8, activation="relu")(deep)
    merged = Concatenate()([wide_in, deep])
    output = Dense(1, activation="sigmoid")(merged)
    model = Model([wide_in, deep_in], output)
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def trained_mlp(epochs=1, seed=0):
    utils.set_random_seed(seed)
    x, y = data()
    model = mlp()
    model.fit(x, y, epochs=epochs, batch_size=8, verbose=0)
    return model, x, y

"""Time-series forecasting (keras.io, "Timeseries forecasting for weather prediction"):
windows cut with keras.utils.timeseries_dataset_from_array, a recurrent model (GRU) on
them, fit with validation on a second dataset, mean absolute error against the naive
"tomorrow = today" forecast."""
import numpy as np

import glassnet as keras
from glassnet import layers

SEQUENCE_LENGTH = 12


def make_series(n=400, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    temperature = np.sin(2 * np.pi * t / 24) + 0.1 * rng.normal(size=n)
    humidity = np.cos(2 * np.pi * t / 24) + 0.1 * rng.normal(size=n)
    return np.stack([temperature, humidity], axis=1).astype("float32")


def build_model():
    inputs = keras.Input(shape=(SEQUENCE_LENGTH, 2))
    x = layers.GRU(16)(inputs)
    outputs = layers.Dense(1)(x)
    return keras.Model(inputs, outputs)


def main():
    keras.utils.set_random_seed(0)
    series = make_series()
    targets = series[SEQUENCE_LENGTH:, 0]                   # the temperature right after each window
    dataset_train = keras.utils.timeseries_dataset_from_array(
        series[:-SEQUENCE_LENGTH], targets, sequence_length=SEQUENCE_LENGTH, batch_size=64, end_index=300)
    dataset_val = keras.utils.timeseries_dataset_from_array(
        series[:-SEQUENCE_LENGTH], targets, sequence_length=SEQUENCE_LENGTH, batch_size=64, start_index=300)
    model = build_model()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse", metrics=["mae"])
    history = model.fit(dataset_train, epochs=6, validation_data=dataset_val, verbose=0)
    naive_mae = float(np.mean(np.abs(series[300 + SEQUENCE_LENGTH:, 0] - series[299 + SEQUENCE_LENGTH:-1, 0])))
    return {"loss": history.history["loss"], "val_mae": history.history["val_mae"], "naive_mae": naive_mae}

"""Imbalanced classification with class weights and callbacks (keras.io, "Imbalanced
classification: credit card fraud detection", plus the callbacks guide): class_weight from
the label counts, ModelCheckpoint("model_at_epoch_{epoch}.keras"), EarlyStopping,
ReduceLROnPlateau, CSVLogger and a custom Callback that records what fit reports."""
import os

import numpy as np

import glassnet as keras
from glassnet import layers


class EpochRecorder(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.epochs, self.batches = [], 0

    def on_train_batch_end(self, batch, logs=None):
        self.batches += 1

    def on_epoch_end(self, epoch, logs=None):
        self.epochs.append((epoch, dict(logs)))


def make_data(n=600, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 8)).astype("float32")
    score = x[:, 0] + 0.5 * x[:, 1] - 0.5 * x[:, 2]
    y = (score > 1.6).astype("int64")[:, None]          # about 7% positives
    return x, y


def build_model():
    return keras.Sequential([
        keras.Input(shape=(8,)),
        layers.Dense(32, activation="relu"),
        layers.Dense(32, activation="relu"),
        layers.Dropout(0.3),
        layers.Dense(1, activation="sigmoid"),
    ])


def main(workdir="."):
    keras.utils.set_random_seed(0)
    x, y = make_data()
    train_x, train_y, val_x, val_y = x[:480], y[:480], x[480:], y[480:]
    counts = np.bincount(train_y[:, 0])
    weight_for_0, weight_for_1 = 1.0 / counts[0], 1.0 / counts[1]
    model = build_model()
    metrics = [keras.metrics.FalseNegatives(name="fn"), keras.metrics.TruePositives(name="tp"),
               keras.metrics.Precision(name="precision"), keras.metrics.Recall(name="recall")]
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="binary_crossentropy", metrics=metrics)
    recorder = EpochRecorder()
    callbacks = [
        keras.callbacks.ModelCheckpoint(os.path.join(workdir, "model_at_epoch_{epoch}.keras")),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True),
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=2),
        keras.callbacks.CSVLogger(os.path.join(workdir, "training.csv")),
        recorder,
    ]
    class_weight = {0: weight_for_0, 1: weight_for_1}
    history = model.fit(train_x, train_y, batch_size=64, epochs=12, verbose=0, callbacks=callbacks,
                        validation_data=(val_x, val_y), class_weight=class_weight)
    results = model.evaluate(val_x, val_y, verbose=0, return_dict=True)
    return {"loss": history.history["loss"], "val_recall": history.history["val_recall"], "results": results,
            "positives": int(val_y.sum()), "epochs_run": len(history.history["loss"]),
            "recorded": recorder.epochs, "batches": recorder.batches,
            "files": sorted(os.listdir(workdir))}

"""Customizing what happens in fit() (keras.io guide): a Model subclass overrides train_step
and test_step, computes the loss with self.compute_loss, updates its own metric trackers
(listed in the ``metrics`` property so they are reset every epoch), and fit/evaluate drive it.

The one line that differs from the guide's TensorFlow version: gradients come from
``keras.GradientTape()`` (glassnet's) where the guide writes ``tf.GradientTape()``.
"""
import numpy as np

import glassnet as keras
from glassnet import layers


class CustomModel(keras.Model):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.mae_metric = keras.metrics.MeanAbsoluteError(name="mae")

    def train_step(self, data):
        x, y = data
        with keras.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
        trainable_vars = self.trainable_variables
        gradients = tape.gradient(loss, trainable_vars)
        self.optimizer.apply_gradients(zip(gradients, trainable_vars))
        self.loss_tracker.update_state(loss)
        self.mae_metric.update_state(y, y_pred)
        return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

    def test_step(self, data):
        x, y = data
        y_pred = self(x, training=False)
        loss = self.compute_loss(y=y, y_pred=y_pred)
        self.loss_tracker.update_state(loss)
        self.mae_metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}

    @property
    def metrics(self):
        return [self.loss_tracker, self.mae_metric]


def build_model():
    inputs = keras.Input(shape=(32,))
    hidden = layers.Dense(16, activation="relu")(inputs)
    outputs = layers.Dense(1)(hidden)
    return CustomModel(inputs, outputs)


def main():
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.random((512, 32)).astype("float32")
    y = (x[:, :8].sum(axis=1, keepdims=True) - x[:, 8:16].sum(axis=1, keepdims=True)).astype("float32")
    model = build_model()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    history = model.fit(x[:448], y[:448], epochs=10, batch_size=32, verbose=0)
    test = model.evaluate(x[448:], y[448:], verbose=0, return_dict=True)
    baseline_mae = float(np.mean(np.abs(y[448:] - y[:448].mean())))
    return {"loss": history.history["loss"], "mae": history.history["mae"], "test": test,
            "baseline_mae": baseline_mae, "tracked": [m.name for m in model.metrics]}

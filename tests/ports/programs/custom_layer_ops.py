"""Custom layers written with keras.ops (keras.io, "Making new layers and models via
subclassing"): a Linear layer with add_weight and ops.matmul, a layer that adds an
activity-regularization loss with add_loss, and a subclassed Model using them."""
import numpy as np

import glassnet as keras
from glassnet import layers, ops


class Linear(layers.Layer):
    def __init__(self, units=32, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b

    def get_config(self):
        return {**super().get_config(), "units": self.units}


class ActivityRegularization(layers.Layer):
    def __init__(self, rate=1e-3, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * ops.sum(ops.square(inputs)))
        return inputs


class MLP(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.linear_1 = Linear(32)
        self.regularization = ActivityRegularization(1e-4)
        self.linear_2 = Linear(1)

    def call(self, inputs):
        x = ops.relu(self.linear_1(inputs))
        return self.linear_2(self.regularization(x))


def make_data(n=256, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(n, 3)).astype("float32")
    y = (np.sin(2 * x[:, :1]) + x[:, 1:2] * x[:, 2:3]).astype("float32")
    return x, y


def build_model():
    model = MLP()
    model(np.zeros((1, 3), dtype="float32"))
    return model


def main():
    keras.utils.set_random_seed(0)
    x, y = make_data()
    model = build_model()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    history = model.fit(x, y, batch_size=32, epochs=20, verbose=0)
    return {"loss": history.history["loss"], "variance": float(np.var(y)), "num_losses": len(model.losses)}

"""A stand-in model and a tiny training loop, to unit-test callbacks without a real model."""
import numpy as np

from glassnet.callbacks import CallbackList


class FakeOptimizer:
    def __init__(self, learning_rate=0.1):
        self.learning_rate = learning_rate


class FakeModel:
    """Exposes what callbacks touch: stop_training, get/set_weights, optimizer, save."""

    def __init__(self, learning_rate=0.1):
        self.stop_training = False
        self.optimizer = FakeOptimizer(learning_rate)
        self.weights_value = [np.zeros(2)]
        self.saved = []
        self.metrics_names = []

    def get_weights(self):
        return [w.copy() for w in self.weights_value]

    def set_weights(self, weights):
        self.weights_value = [np.array(w) for w in weights]

    def save(self, filepath, overwrite=True):
        self.saved.append(filepath)
        with open(filepath, "w") as f:
            f.write("model")

    def save_weights(self, filepath, overwrite=True):
        self.saved.append(filepath)
        with open(filepath, "w") as f:
            f.write("weights")


def run(callbacks, model, epoch_logs, steps=2, batch_logs=None, verbose=0):
    """Drive the hooks like ``fit``: epoch e ends with ``epoch_logs[e]``; the fake weights
    become ``[e, e]`` during epoch e. Returns the History."""
    epochs = len(epoch_logs)
    cbs = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0, model=model, verbose=verbose,
                       epochs=epochs, steps=steps)
    model.stop_training = False
    cbs.on_train_begin()
    logs = None
    for epoch in range(epochs):
        cbs.on_epoch_begin(epoch)
        for batch in range(steps):
            cbs.on_train_batch_begin(batch)
            cbs.on_train_batch_end(batch, dict(batch_logs(epoch, batch)) if batch_logs else {"loss": 1.0})
        model.weights_value = [np.full(2, float(epoch))]
        logs = dict(epoch_logs[epoch])
        cbs.on_epoch_end(epoch, logs)
        if model.stop_training:
            break
    cbs.on_train_end(logs)
    return model.history

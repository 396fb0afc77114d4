"""Custom training as in Keras 3: overridden train_step / test_step / predict_step driven by
fit / evaluate / predict with callbacks; GradientTape and value_and_grad; add_loss."""
import os
import sys

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers, ops


def _data(n=128, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    y = (x @ np.array([1.0, -1.0, 2.0, 0.5]) > 0).astype("float32")[:, None]
    return x, y


# --- gradients ----------------------------------------------------------------------------
def test_gradient_tape_matches_backward_and_leaves_grads_alone():
    W = gn.Variable(np.array([[1.0], [2.0]]), dtype="float64")
    b = gn.Variable(np.array([0.5]), dtype="float64")
    x = gn.Tensor(np.array([[1.0, 1.0], [2.0, 0.0]]))
    W.grad = np.full((2, 1), 7.0)          # an earlier gradient: the tape must not add to it or clear it
    with gn.GradientTape() as tape:
        loss = ops.mean((x @ W + b) ** 2)
    dW, db = tape.gradient(loss, [W, b])
    # by hand: z = xW + b = [3.5, 2.5]; L = (z₁² + z₂²)/2; dL/dz = z; dW = xᵀz = [3.5 + 5, 3.5]; db = 6
    assert np.allclose(dW, [[8.5], [3.5]], atol=1e-12) and np.allclose(db, [6.0], atol=1e-12)
    assert np.array_equal(W.grad, np.full((2, 1), 7.0)) and b.grad is None
    with pytest.raises(RuntimeError, match="only be called once"):
        tape.gradient(loss, [W])


def test_gradient_tape_persistent_watch_and_unconnected():
    x = gn.Tensor(np.array([3.0]))
    unused = gn.Variable(np.ones(2))
    with gn.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x * x
    assert np.allclose(tape.gradient(y, x), [27.0])               # d x³/dx = 3x²
    assert np.allclose(tape.gradient(y, [x, unused])[1], [0.0, 0.0])
    assert tape.gradient(y, [unused], unconnected_gradients="none") == [None]
    with gn.no_grad(), gn.GradientTape() as tape:                  # a tape records even inside no_grad
        z = gn.Variable(np.array([2.0])) * 5.0
    assert z.requires_grad


def test_value_and_grad():
    def loss_fn(weights, x, y):
        return ops.mean((gn.Tensor(x) @ weights[0] - y) ** 2)

    W = gn.Variable(np.zeros((2, 1)), dtype="float64")
    x, y = np.array([[1.0, 0.0], [0.0, 2.0]]), np.array([[1.0], [2.0]])
    loss, (dW,) = gn.value_and_grad(loss_fn)([W], x, y)
    # L = ((0 − 1)² + (0 − 2)²)/2 = 2.5; dL/dW = xᵀ(xW − y)·2/2 = [−1, −4]
    assert float(loss) == 2.5 and np.allclose(dW, [[-1.0], [-4.0]]) and W.grad is None
    (value, aux), grad = gn.value_and_grad(lambda a: (ops.sum(a * a), "aux"), has_aux=True)(np.array([1.0, -2.0]))
    assert float(value) == 5.0 and aux == "aux" and np.allclose(grad, [2.0, -4.0])


# --- train_step / test_step / predict_step ---------------------------------------------------
class TapeModel(gn.Model):
    """Keras 3's "customizing what happens in fit" step, with glassnet's GradientTape."""

    def train_step(self, data):
        x, y = data
        with gn.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(grads, self.trainable_variables)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


def _functional(cls):
    inputs = gn.Input((4,))
    outputs = layers.Dense(1, activation="sigmoid")(layers.Dense(8, activation="relu")(inputs))
    return cls(inputs, outputs)


def test_custom_train_step_learns_and_callbacks_see_its_logs():
    gn.utils.set_random_seed(0)
    x, y = _data()
    model = _functional(TapeModel)
    model.compile(optimizer=gn.optimizers.Adam(0.02), loss="binary_crossentropy", metrics=["accuracy"])
    seen = []
    callback = gn.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: seen.append(dict(logs)))
    history = model.fit(x, y, batch_size=32, epochs=8, verbose=0, callbacks=[callback],
                        validation_data=(x[:32], y[:32]))
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert history.history["loss"][-1] < 0.8 * history.history["loss"][0]
    assert history.history["accuracy"][-1] > 0.85
    assert len(seen) == 8 * 4 and set(seen[0]) == {"loss", "accuracy"}
    assert all(isinstance(v, float) for v in seen[-1].values())


def test_default_steps_are_used_by_train_on_batch_and_the_results_match_fit():
    x, y = _data(64)
    results = []
    for cls in (gn.Model, TapeModel):
        gn.utils.set_random_seed(1)
        model = _functional(cls)
        model.compile(optimizer=gn.optimizers.SGD(0.1), loss="binary_crossentropy", metrics=["accuracy"])
        results.append(model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0).history)
    # the same updates: the tape's gradients are backward()'s; the loss is a plain mean per
    # batch in the custom step (Keras's Mean), weighted by batch size in the default one
    assert np.allclose(results[0]["accuracy"], results[1]["accuracy"])
    assert np.allclose(results[0]["loss"], results[1]["loss"], atol=1e-6)
    logs = model.train_on_batch(x[:16], y[:16], return_dict=True)
    assert set(logs) == {"loss", "accuracy"}


def test_torch_style_step_with_zero_grad_and_backward():
    class TorchStyle(gn.Model):                    # Keras's "custom train_step in PyTorch" guide
        def train_step(self, data):
            x, y = data
            self.zero_grad()
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
            loss.backward()
            trainable_weights = [v for v in self.trainable_weights]
            gradients = [v.grad for v in trainable_weights]
            self.optimizer.apply(gradients, trainable_weights)
            return self.compute_metrics(x, y, y_pred, loss=loss)

    gn.utils.set_random_seed(3)
    x, y = _data(96)
    model = _functional(TorchStyle)
    model.compile(optimizer=gn.optimizers.Adam(0.02), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=32, epochs=6, verbose=0,
                        validation_data=gn.data.Dataset.from_tensor_slices((x, y)).batch(32))
    assert history.history["loss"][-1] < 0.8 * history.history["loss"][0]
    assert len(history.history["val_accuracy"]) == 6


def test_overridden_test_step_and_predict_step():
    class Stepped(gn.Model):
        def test_step(self, data):
            x, y = data
            y_pred = self(x, training=False)
            return {"mean_prediction": float(np.mean(y_pred.numpy())), "seen": len(x)}

        def predict_step(self, data):
            return self(data, training=False) * 0 + 42.0

    model = _functional(Stepped)
    model.compile(optimizer="sgd", loss="mse")
    x, y = _data(40)
    logs = model.evaluate(x, y, batch_size=16, verbose=0, return_dict=True)
    assert set(logs) == {"mean_prediction", "seen"} and logs["seen"] == 8      # the last batch's logs
    assert np.array_equal(model.predict(x, batch_size=16, verbose=0), np.full((40, 1), 42.0, dtype="float32"))


def test_gan_style_model_with_its_own_metrics(monkeypatch):
    monkeypatch.syspath_prepend(os.path.join(os.path.dirname(__file__), "..", "..", "examples"))
    sys.modules.pop("gan_custom_train_step", None)
    import gan_custom_train_step as example

    gan, history, before, after = example.main(epochs=12, verbose=0)
    assert set(history.history) == {"d_loss", "g_loss"} and len(history.history["d_loss"]) == 12
    assert abs(after - 3.0) < abs(before - 3.0) - 1.0      # the generator moved toward the real mean 3.0
    assert gan.metrics[0].name == "d_loss"


def test_add_loss_in_call_is_minimised():
    class ActivityPenalty(gn.Layer):
        def call(self, inputs):
            self.add_loss(0.1 * ops.sum(ops.square(inputs)))
            return inputs

    gn.utils.set_random_seed(2)
    x, y = _data(64)
    inputs = gn.Input((4,))
    hidden = ActivityPenalty()(layers.Dense(4)(inputs))
    model = gn.Model(inputs, layers.Dense(1, activation="sigmoid")(hidden))
    model.compile(optimizer=gn.optimizers.Adam(0.01), loss="binary_crossentropy")
    penalty = lambda: float(sum(p.numpy() for p in (model(x), model.losses)[1]))   # noqa: E731
    first = penalty()
    model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    assert model.losses and penalty() < first


def test_fit_error_reaches_on_train_error_from_a_custom_step():
    class Broken(gn.Model):
        def train_step(self, data):
            raise RuntimeError("step failed")

    errors = []

    class Watch(gn.callbacks.Callback):
        def on_train_error(self, error):
            errors.append(error)

    model = _functional(Broken)
    model.compile(optimizer="sgd", loss="mse")
    x, y = _data(8)
    with pytest.raises(RuntimeError, match="step failed"):
        model.fit(x, y, verbose=0, callbacks=[Watch()])
    assert len(errors) == 1 and str(errors[0]) == "step failed"

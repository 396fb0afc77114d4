"""fit/evaluate/predict semantics: Keras's numbers, checked against hand computations."""
import numpy as np
import pytest

import glassnet as gn
from glassnet import losses, optimizers
from glassnet.callbacks import Callback
from glassnet.data import Dataset
from glassnet.layers import BatchNormalization, Dense, Dropout, Input
from glassnet.models import Model, Sequential


def regression_data(n=10, features=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features))
    return x, x @ np.array([[1.0], [-2.0], [0.5]])[:features] + 0.3


def test_one_fit_step_equals_a_hand_computed_sgd_step(float64):
    # Dense(1) on 4 samples, mse, SGD(η = 0.1), one batch:
    #   ŷ = XW + b,  L = (1/N) Σ (ŷ − y)²,  ∂L/∂W = (2/N) Xᵀ(ŷ − y),  ∂L/∂b = (2/N) Σ (ŷ − y)
    x = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, -1.0], [2.0, 0.0, 1.0], [1.0, 1.0, 1.0]])
    y = np.array([[1.0], [0.0], [2.0], [1.0]])
    model = Sequential([Input((3,)), Dense(1)])
    W0, b0 = np.array([[0.5], [-0.25], [0.1]]), np.array([0.2])
    model.set_weights([W0, b0])
    model.compile(optimizer=optimizers.SGD(learning_rate=0.1), loss="mse")
    history = model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    error = x @ W0 + b0 - y
    W1 = W0 - 0.1 * (2 / 4) * x.T @ error
    b1 = b0 - 0.1 * (2 / 4) * error.sum(axis=0)
    W, b = model.get_weights()
    np.testing.assert_allclose(W, W1, rtol=1e-12)
    np.testing.assert_allclose(b, b1, rtol=1e-12)
    assert history.history["loss"] == [pytest.approx(np.mean(error ** 2), rel=1e-12)]


def test_history_loss_is_the_size_weighted_mean_of_pre_update_batch_losses(float64):
    x, y = regression_data(n=10)
    model = Sequential([Input((3,)), Dense(4, activation="tanh"), Dense(1)])
    model.compile(optimizer=optimizers.SGD(learning_rate=0.05), loss="mse", metrics=["mae"])
    replica = Sequential([Input((3,)), Dense(4, activation="tanh"), Dense(1)])
    replica.set_weights(model.get_weights())
    history = model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    # by hand: batches of 4, 4 and 2 rows; each loss computed before that batch's update
    mse = losses.MeanSquaredError()
    for epoch in range(2):
        weighted_loss, weighted_mae, rows = 0.0, 0.0, 0
        for start in (0, 4, 8):
            xb, yb = x[start:start + 4], y[start:start + 4]
            prediction = replica(xb)
            loss = mse(yb, prediction)
            weighted_loss += float(loss.data) * len(xb)
            weighted_mae += float(np.abs(prediction.numpy() - yb).sum())
            rows += len(xb)
            for w in replica.trainable_weights:
                w.grad = None
            loss.backward()
            for w in replica.trainable_weights:
                w.data -= 0.05 * w.grad
        assert history.history["loss"][epoch] == pytest.approx(weighted_loss / rows, rel=1e-12)
        assert history.history["mae"][epoch] == pytest.approx(weighted_mae / rows, rel=1e-12)
    for mine, theirs in zip(model.get_weights(), replica.get_weights()):
        np.testing.assert_allclose(mine, theirs, rtol=1e-12)


def test_logged_loss_includes_regularization(float64):
    x, y = regression_data(n=6)
    model = Sequential([Input((3,)), Dense(1, kernel_regularizer="l2")])
    model.compile(optimizer="sgd", loss="mse")
    W, b = model.get_weights()
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    penalty = 0.01 * np.sum(W ** 2)  # the "l2" regularizer's default factor
    assert logs["loss"] == pytest.approx(np.mean((x @ W + b - y) ** 2) + penalty, rel=1e-10)


def test_validation_split_takes_the_last_fraction_before_shuffling(float64):
    x, y = regression_data(n=20)
    model = Sequential([Input((3,)), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    seen = []

    class Spy(Callback):
        def on_train_batch_begin(self, batch, logs=None):
            seen.append(self.model.optimizer.iterations)

    history = model.fit(x, y, epochs=1, batch_size=5, validation_split=0.25, verbose=0, callbacks=[Spy()])
    assert len(seen) == 3  # 15 training rows in batches of 5
    # validation ran after the epoch, with the final weights, on rows 15..19
    assert history.history["val_loss"][0] == pytest.approx(model.evaluate(x[15:], y[15:], verbose=0), rel=1e-12)
    with pytest.raises(ValueError, match="validation_split"):
        model.fit(x, y, validation_split=1.5, verbose=0)


def test_validation_data_and_freq():
    x, y = regression_data(n=12)
    model = Sequential([Input((3,)), Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    history = model.fit(x, y, epochs=4, validation_data=(x[:4], y[:4]), validation_freq=2, verbose=0)
    assert len(history.history["loss"]) == 4 and len(history.history["val_loss"]) == 2
    assert set(history.history) == {"loss", "mae", "val_loss", "val_mae"}
    assert history.epoch == [0, 1, 2, 3] and model.history is history


def test_class_weight_equals_the_matching_sample_weight():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(30, 4)).astype("float32")
    y = rng.integers(0, 3, size=30)
    class_weight = {0: 1.0, 1: 3.0, 2: 0.5}

    def train(**weights):
        gn.utils.set_random_seed(7)
        model = Sequential([Input((4,)), Dense(3, activation="softmax")])
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
        model.fit(x, y, batch_size=8, epochs=2, verbose=0, **weights)
        return model.get_weights()

    by_class = train(class_weight=class_weight)
    by_sample = train(sample_weight=np.array([class_weight[c] for c in y]))
    unweighted = train()
    for a, b in zip(by_class, by_sample):
        np.testing.assert_array_equal(a, b)
    assert not np.allclose(by_class[0], unweighted[0])
    with pytest.raises(ValueError, match="class_weight` and `sample_weight"):
        train(class_weight=class_weight, sample_weight=np.ones(30))


def test_sample_weight_scales_the_loss_keras_style(float64):
    x, y = regression_data(n=4)
    model = Sequential([Input((3,)), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    W, b = model.get_weights()
    weights = np.array([1.0, 0.0, 2.0, 0.5])
    loss = model.evaluate(x, y, sample_weight=weights, verbose=0)
    # "sum_over_batch_size": Σ wᵢ·ℓᵢ / N (N counts the zero-weight sample too)
    assert loss == pytest.approx(np.sum(weights * ((x @ W + b - y) ** 2)[:, 0]) / 4, rel=1e-12)


def test_weighted_metrics_use_sample_weight_and_metrics_do_not():
    x = np.array([[1.0], [-1.0], [1.0], [-1.0]], "float32")
    y = np.array([1, 1, 0, 0])
    model = Sequential([Input((1,)), Dense(1, activation="sigmoid")])
    model.set_weights([np.array([[5.0]]), np.array([0.0])])  # predicts class 1 for x > 0
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"],
                  weighted_metrics=["accuracy"])
    logs = model.evaluate(x, y, sample_weight=np.array([1.0, 0.0, 0.0, 1.0]), verbose=0, return_dict=True)
    assert logs["accuracy"] == pytest.approx(0.5)           # 2 of 4 right
    assert logs["weighted_accuracy"] == pytest.approx(1.0)  # both weighted samples right


def test_fit_is_repeatable_bit_for_bit_with_the_same_seed():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(50, 5)).astype("float32")
    y = rng.integers(0, 2, size=50)

    def run():
        gn.utils.set_random_seed(42)
        model = Sequential([Input((5,)), Dense(8, activation="relu"), Dropout(0.3), BatchNormalization(),
                            Dense(2, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        history = model.fit(x, y, batch_size=16, epochs=3, validation_split=0.2, verbose=0)
        return model.get_weights(), history.history

    (weights_a, history_a), (weights_b, history_b) = run(), run()
    assert history_a == history_b
    for a, b in zip(weights_a, weights_b):
        np.testing.assert_array_equal(a, b)


def test_predict_is_deterministic_and_uses_moving_statistics():
    model = Sequential([Input((3,)), Dropout(0.5), BatchNormalization(name="bn")])
    x = np.random.default_rng(0).normal(2.0, 3.0, size=(64, 3)).astype("float32")
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, x, epochs=2, batch_size=16, verbose=0)
    first, second = model.predict(x, verbose=0), model.predict(x, verbose=0)
    np.testing.assert_array_equal(first, second)
    gamma, beta, moving_mean, moving_variance = model.get_layer("bn").get_weights()
    assert not np.allclose(moving_mean, 0.0)  # training moved them
    expected = gamma * (x - moving_mean) / np.sqrt(moving_variance + 1e-3) + beta
    np.testing.assert_allclose(first, expected, rtol=1e-5, atol=1e-6)


def test_callbacks_hooks_and_stop_training():
    calls = []

    class Recorder(Callback):
        def on_train_begin(self, logs=None):
            calls.append("train_begin")

        def on_epoch_begin(self, epoch, logs=None):
            calls.append(f"epoch_begin {epoch}")

        def on_train_batch_end(self, batch, logs=None):
            calls.append(f"batch_end {batch}")
            if batch == 1:
                self.model.stop_training = True

        def on_epoch_end(self, epoch, logs=None):
            calls.append(f"epoch_end {epoch} {sorted(logs)}")

        def on_train_end(self, logs=None):
            calls.append("train_end")

    x, y = regression_data(n=20)
    model = Sequential([Input((3,)), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, batch_size=5, epochs=3, verbose=0, callbacks=[Recorder()])
    assert calls == ["train_begin", "epoch_begin 0", "batch_end 0", "batch_end 1", "epoch_end 0 ['loss']",
                     "train_end"]
    assert len(history.history["loss"]) == 1


def test_initial_epoch_and_steps_per_epoch():
    x, y = regression_data(n=20)
    model = Sequential([Input((3,)), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, batch_size=5, epochs=5, initial_epoch=3, steps_per_epoch=2, verbose=0)
    assert history.epoch == [3, 4]
    assert model.optimizer.iterations == 4


def test_fit_on_a_dataset_and_a_generator():
    x, y = regression_data(n=24)
    x = x.astype("float32")
    model = Sequential([Input((3,)), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    dataset = Dataset.from_tensor_slices((x, y)).shuffle(True).batch(8)
    history = model.fit(dataset, epochs=2, verbose=0, validation_data=Dataset.from_tensor_slices((x, y)).batch(6))
    assert model.optimizer.iterations == 6 and len(history.history["val_loss"]) == 2

    def generator():
        while True:
            yield x[:8], y[:8], np.ones(8)

    model.fit(generator(), steps_per_epoch=3, epochs=2, verbose=0)
    assert model.optimizer.iterations == 12
    finite = ((x[i:i + 8], y[i:i + 8]) for i in range(0, 24, 8))
    with pytest.warns(UserWarning, match="ran out of data"):
        history = model.fit(finite, epochs=5, verbose=0)
    assert len(history.history["loss"]) == 1 and model.optimizer.iterations == 15
    with pytest.raises(ValueError, match="batch"):
        model.fit(Dataset.from_tensor_slices((x, y)), verbose=0)
    with pytest.raises(ValueError, match="`y` must not be given"):
        model.fit(dataset, y, verbose=0)


def test_evaluate_predict_and_batch_methods():
    x, y = regression_data(n=10)
    model = Sequential([Input((3,)), Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    labels = (y[:, 0] > 0).astype(int)
    loss, accuracy = model.evaluate(x, labels, batch_size=3, verbose=0)
    assert model.metrics_names == ["loss", "accuracy"]
    assert model.evaluate(x, labels, verbose=0, return_dict=True) == {"loss": pytest.approx(loss),
                                                                       "accuracy": pytest.approx(accuracy)}
    predictions = model.predict(x, batch_size=4, verbose=0)
    assert isinstance(predictions, np.ndarray) and predictions.shape == (10, 2)
    np.testing.assert_allclose(model.predict_on_batch(x), predictions, rtol=1e-6)
    model.reset_metrics()
    logs = model.test_on_batch(x, labels, return_dict=True)
    assert logs["loss"] == pytest.approx(loss, rel=1e-5)
    before = model.get_weights()[0].copy()
    result = model.train_on_batch(x, labels)
    assert len(result) == 2 and not np.allclose(before, model.get_weights()[0])


def test_nan_in_the_data_is_refused_before_any_step():
    """NaN *data* is an error up front (see test_bad_input.py for every argument)."""
    x = np.array([[np.nan, 1.0, 1.0]] * 4, "float32")
    model = Sequential([Input((3,)), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    weights = model.get_weights()
    with pytest.raises(ValueError, match=r"`x` contains 4 NaN"):
        model.fit(x, np.ones((4, 1), "float32"), epochs=2, verbose=0)
    for before, after in zip(weights, model.get_weights()):
        np.testing.assert_array_equal(before, after)


def test_nan_loss_from_divergent_training_is_logged_and_stopped_not_raised(capsys):
    """A NaN *loss* that training itself produces (a learning rate far too large) is
    logged, and TerminateOnNaN stops the run; nothing raises."""
    from glassnet.callbacks import TerminateOnNaN

    x, y = regression_data(n=32)
    model = Sequential([Input((3,)), Dense(16, activation="relu"), Dense(1)])
    model.compile(optimizer=optimizers.SGD(learning_rate=1e12), loss="mse")
    with np.errstate(over="ignore", invalid="ignore"):
        history = model.fit(x, y, epochs=20, batch_size=4, verbose=0, callbacks=[TerminateOnNaN()])
        unguarded = Sequential([Input((3,)), Dense(16, activation="relu"), Dense(1)])
        unguarded.compile(optimizer=optimizers.SGD(learning_rate=1e12), loss="mse")
        logged = unguarded.fit(x, y, epochs=3, batch_size=4, verbose=0)
    assert len(history.epoch) == 1 and not np.isfinite(history.history["loss"][0])
    assert "Invalid loss, terminating training" in capsys.readouterr().out
    assert len(logged.epoch) == 3 and not np.isfinite(logged.history["loss"]).any()


def test_subclassed_model_trains():
    class TwoLayer(Model):
        def __init__(self, hidden=8, **kwargs):
            super().__init__(**kwargs)
            self.hidden = Dense(hidden, activation="relu")
            self.dropout = Dropout(0.1)
            self.out = Dense(1)

        def call(self, inputs, training=False):
            return self.out(self.dropout(self.hidden(inputs), training=training))

    model = TwoLayer(name="two_layer")
    x, y = regression_data(n=32)
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x.astype("float32"), y, epochs=20, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert [layer.name for layer in model.layers] == [model.hidden.name, model.dropout.name, model.out.name]
    assert model.count_params() == 3 * 8 + 8 + 8 + 1
    np.testing.assert_array_equal(model.predict(x, verbose=0), model.predict(x, verbose=0))
    lines = []
    model.summary(print_fn=lines.append)
    assert any("(None, 8)" in line for line in lines) and any("Total params: 41" in line for line in lines)
    unbuilt = TwoLayer()
    unbuilt.build((None, 5))
    assert unbuilt.count_params() == 5 * 8 + 8 + 8 + 1


def test_compile_config_round_trip():
    model = Sequential([Input((3,)), Dense(2, activation="softmax")])
    model.compile(optimizer=optimizers.Adam(learning_rate=0.01), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy", "mae"])
    config = model.get_compile_config()
    other = Sequential([Input((3,)), Dense(2, activation="softmax")])
    other.compile_from_config(config)
    assert type(other.optimizer) is optimizers.Adam and other.optimizer.learning_rate == pytest.approx(0.01)
    assert other.loss == "sparse_categorical_crossentropy"


def test_class_weight_applies_to_the_training_part_only(float64):
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(20, 2)), rng.integers(0, 2, size=20)
    model = Sequential([Input((2,)), Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    history = model.fit(x, y, epochs=1, validation_split=0.25, class_weight={0: 5.0, 1: 0.1}, verbose=0)
    assert history.history["val_loss"][0] == pytest.approx(model.evaluate(x[15:], y[15:], verbose=0), rel=1e-12)


def test_predict_on_a_dataset_of_pairs_uses_the_inputs():
    x = np.arange(12, dtype="float32").reshape(6, 2)
    model = Sequential([Input((2,)), Dense(1)])
    from_pairs = model.predict(Dataset.from_tensor_slices((x, np.zeros(6))).batch(4), verbose=0)
    np.testing.assert_allclose(from_pairs, model.predict(x, verbose=0), rtol=1e-6)

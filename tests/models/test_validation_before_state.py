"""Bad input is refused before any state changes (issue 16, items 3 and 4).

Every test takes a copy of the weights (trainable and not) and the optimizer's iteration
count before the failing call, and checks that the call raised a
``ValueError`` (never an ``IndexError``/``AttributeError``) naming the culprit, and that
nothing changed.
"""
import numpy as np
import pytest

import glassnet as gn
from glassnet import layers
from glassnet.data import Dataset
from glassnet.models import Sequential


def _mlp(loss="sparse_categorical_crossentropy", metrics=None, optimizer="adam", batch_norm=False):
    hidden = [layers.Dense(8, activation="relu")] + ([layers.BatchNormalization()] if batch_norm else [])
    model = Sequential([layers.Input((4,)), *hidden, layers.Dense(3, activation="softmax")])
    model.compile(optimizer=optimizer, loss=loss, metrics=metrics)
    return model


def _data(n=20):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 4)).astype("float32")
    return x, rng.integers(0, 3, n)


class _Unchanged:
    """``with _Unchanged(model):`` asserts the weights and the optimizer's iterations are as before."""

    def __init__(self, model):
        self.model = model

    def __enter__(self):
        self.weights = self.model.get_weights()
        optimizer = self.model.optimizer
        self.iterations = int(optimizer.iterations) if optimizer is not None else None
        return self

    def __exit__(self, *exc):
        after = self.model.get_weights()
        assert len(after) == len(self.weights)
        for before, now in zip(self.weights, after):
            np.testing.assert_array_equal(before, now)
        if self.iterations is not None:
            assert int(self.model.optimizer.iterations) == self.iterations
        return False


# --- item 3: NaN guards ---------------------------------------------------------------------
def test_object_array_holding_nan_is_refused():
    x, y = _data()
    x_object = x.astype(object)
    x_object[3, 2] = np.nan
    model = _mlp()
    with _Unchanged(model), pytest.raises(ValueError, match=r"`x` contains 1 NaN.*index \(3, 2\)"):
        model.fit(x_object, y, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="`x` contains 1 NaN"):
        model.predict(x_object, verbose=0)


def test_object_array_of_numbers_trains_as_the_float_array():
    x, y = _data()
    gn.utils.set_random_seed(3)
    a = _mlp()
    a.fit(x, y, epochs=2, batch_size=8, verbose=0)
    gn.utils.set_random_seed(3)
    b = _mlp()
    b.fit(x.astype(object), y, epochs=2, batch_size=8, verbose=0)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_allclose(wa, wb, rtol=1e-6, atol=1e-7)


def test_object_array_of_non_numbers_is_a_type_error():
    x, y = _data()
    x_object = x.astype(object)
    x_object[0, 0] = {"a": 1}
    model = _mlp()
    with _Unchanged(model), pytest.raises(TypeError, match="`x` must be numeric"):
        model.fit(x_object, y, verbose=0)


@pytest.mark.parametrize("weight", [np.nan, np.inf, -np.inf, "2", None, True])
@pytest.mark.parametrize("validation_split", [0.0, 0.2])
def test_bad_class_weight_value_is_refused_naming_class_weight(weight, validation_split):
    x, y = _data()
    model = _mlp()
    with _Unchanged(model), pytest.raises(ValueError, match="`class_weight` values must be finite numbers"):
        model.fit(x, y, class_weight={0: weight, 1: 1.0}, validation_split=validation_split, verbose=0)


@pytest.mark.parametrize("class_weight", [{-1: 1.0}, {1.5: 1.0}, {"0": 1.0}, {}, [1.0, 2.0]])
def test_bad_class_weight_keys_are_refused(class_weight):
    x, y = _data()
    model = _mlp()
    with _Unchanged(model), pytest.raises(ValueError, match="`class_weight`"):
        model.fit(x, y, class_weight=class_weight, verbose=0)


def test_nan_class_weight_is_refused_for_a_dataset_too():
    x, y = _data()
    model = _mlp()
    data = Dataset.from_tensor_slices((x, y)).batch(5)
    with _Unchanged(model), pytest.raises(ValueError, match="`class_weight` values must be finite"):
        model.fit(data, class_weight={0: np.nan}, verbose=0)


@pytest.mark.parametrize("loss", ["sparse_categorical_crossentropy", "mse"])
@pytest.mark.parametrize("bad_label", [-1, -7])
def test_negative_label_with_class_weight_is_a_value_error(loss, bad_label):
    x, y = _data()
    y = y.astype("int64")
    y[4] = bad_label
    target = y if loss != "mse" else y.reshape(-1, 1).astype("float32")
    model = Sequential([layers.Input((4,)), layers.Dense(3 if loss != "mse" else 1)])
    model.compile(optimizer="sgd", loss=loss)
    with _Unchanged(model), pytest.raises(ValueError, match=rf"class labels >= 0.*{bad_label}(\.0)? at index 4"):
        model.fit(x, target, class_weight={0: 2.0, 1: 1.0}, verbose=0)


def test_non_finite_label_with_class_weight_is_a_value_error():
    x, y = _data()
    target = y.astype("float32").reshape(-1, 1)
    target[2, 0] = np.nan
    model = Sequential([layers.Input((4,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    with _Unchanged(model), pytest.raises(ValueError, match="class_weight.*nan at index 2"):
        model.fit(x, target, class_weight={0: 2.0}, verbose=0)


def test_huge_label_with_class_weight_costs_no_memory_and_is_refused_by_the_loss_check():
    x, y = _data()
    y = y.astype("int64")
    y[0] = 10**15                          # the old weight table had max(label) + 1 entries
    model = _mlp()
    with _Unchanged(model), pytest.raises(ValueError, match=r"integer class labels in \[0, 3\)"):
        model.fit(x, y, class_weight={0: 2.0}, verbose=0)


def test_class_weight_gives_the_listed_weights_and_one_elsewhere():
    from glassnet.models.data_adapter import class_weight_to_sample_weight

    weights = class_weight_to_sample_weight(np.array([0, 1, 2, 7, 1]), {1: 3.0, 2: 0.5})
    np.testing.assert_array_equal(weights, [1.0, 3.0, 0.5, 1.0, 3.0])
    one_hot = np.eye(3)[[2, 0, 1]]
    np.testing.assert_array_equal(class_weight_to_sample_weight(one_hot, {2: 4.0}), [4.0, 1.0, 1.0])
    np.testing.assert_array_equal(class_weight_to_sample_weight(np.array([[0.9], [0.2]]), {1: 5.0}), [5.0, 1.0])


# --- item 4: nothing changes before a call fails ---------------------------------------------
@pytest.mark.parametrize("batch_norm", [False, True])
def test_metric_that_cannot_take_the_labels_fails_before_any_weight_changes(batch_norm):
    """metrics=["mse"] on sparse labels: the metric fails on the first batch. The weights,
    the batch-normalization statistics and the optimizer are as before, for
    train_on_batch and for fit."""
    x, y = _data()
    model = _mlp(metrics=["mse"], batch_norm=batch_norm)
    with _Unchanged(model), pytest.raises(ValueError, match="mean_squared_error"):
        model.train_on_batch(x, y)
    with _Unchanged(model), pytest.raises(ValueError, match="mean_squared_error"):
        model.fit(x, y, epochs=2, verbose=0)


def test_metrics_still_describe_the_batch_before_the_update():
    """The metrics are now updated before the optimizer step; they still read the outputs
    of before the update, as Keras's do: train_on_batch's accuracy is that of predict
    just before it, and its loss the loss evaluate gives just before it."""
    x, y = _data()
    model = _mlp(metrics=["accuracy"])
    expected_accuracy = float(np.mean(np.argmax(model.predict(x, verbose=0), axis=1) == y))
    expected_loss = model.evaluate(x, y, batch_size=20, verbose=0, return_dict=True)["loss"]
    logs = model.train_on_batch(x, y, return_dict=True)
    assert logs["accuracy"] == pytest.approx(expected_accuracy, abs=1e-7)
    assert logs["loss"] == pytest.approx(expected_loss, rel=1e-6)


def test_optimizer_none_is_accepted_for_evaluation_and_refused_for_training():
    """Keras 3 accepts compile(optimizer=None) (a model that only evaluates) and then fails
    inside fit with an AttributeError; here fit and train_on_batch refuse it first."""
    x, y = _data()
    model = _mlp(optimizer=None)
    assert model.optimizer is None
    loss = model.evaluate(x, y, verbose=0)
    assert np.isfinite(loss)
    with _Unchanged(model), pytest.raises(ValueError, match="optimizer=None"):
        model.fit(x, y, verbose=0)
    with _Unchanged(model), pytest.raises(ValueError, match="optimizer=None"):
        model.train_on_batch(x, y)


@pytest.mark.parametrize("loss_fn", [lambda y_true, y_pred: 1.0,
                                     lambda y_true, y_pred: np.mean((y_pred.numpy() - y_true) ** 2, axis=-1)],
                         ids=["python_float", "numpy"])
def test_loss_without_a_graph_is_refused_at_the_first_step(loss_fn):
    x, y = _data()
    model = Sequential([layers.Input((4,)), layers.Dense(3)])
    model.compile(optimizer="sgd", loss=loss_fn)
    target = np.eye(3, dtype="float32")[y]
    with _Unchanged(model), pytest.raises(ValueError, match="no gradient path"):
        model.fit(x, target, verbose=0)
    with _Unchanged(model), pytest.raises(ValueError, match="no gradient path"):
        model.train_on_batch(x, target)


def test_fit_inside_no_grad_is_refused_not_silently_untrained():
    x, y = _data()
    model = _mlp()
    with gn.no_grad():
        with _Unchanged(model), pytest.raises(ValueError, match="No gradients provided"):
            model.fit(x, y, verbose=0)
    assert gn.is_grad_enabled()
    model.fit(x, y, verbose=0)                      # and outside it, the same model trains
    assert model.optimizer.iterations > 0

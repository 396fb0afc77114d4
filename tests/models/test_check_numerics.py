"""``fit(..., check_numerics=True)`` names the first layer whose forward or backward pass
produced a NaN or an infinity (issue 16, "Numerical health"); ``TerminateOnNaN`` stays.

Each model is a small stack around one layer that misbehaves on purpose:

* forward — ``log(x − 100)`` of a ReLU output is NaN (log of a negative number);
* backward — ``sqrt(x − x)`` is 0 forwards (finite), but its derivative 1/(2·√0) is ∞;
* a weight's gradient — a layer computing x·√(w − w): its output is 0 (finite) and
  dL/dx = √(w − w) = 0 is finite too, but dL/dw holds 1/(2·√0) = ∞;
* the loss — a loss function ``log(y_pred − 10)`` of finite softmax outputs is NaN; and
  ``mean(√(y_pred − y_pred))`` is 0, but its gradient is ∞: the last layer's input check
  names that layer and the loss.

The weights are checked to be unchanged: the error comes before the optimizer step.
"""
import numpy as np
import pytest

import glassnet as gn
from glassnet import callbacks, layers, ops
from glassnet.layers.base import Layer, call_state
from glassnet.models import Sequential

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")     # NumPy's warnings about the NaNs made on purpose


def _data(n=16):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 4)).astype("float32")
    return x, rng.integers(0, 3, n)


def _model(middle, loss="sparse_categorical_crossentropy"):
    model = Sequential([layers.Input((4,)), layers.Dense(6, activation="relu", name="hidden"), middle,
                        layers.Dense(3, activation="softmax", name="head")])
    model.compile(optimizer="sgd", loss=loss)
    return model


class _SqrtOfZeroWeight(Layer):
    """y = x·√(w − w): finite forwards and towards x, infinite towards w."""

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")

    def call(self, inputs):
        return inputs * ops.sqrt(self.w - self.w)


def _fit_raises(model, x, y, match):
    before = model.get_weights()
    with pytest.raises(FloatingPointError, match=match), np.errstate(all="ignore"):   # NumPy's own warnings
        model.fit(x, y, epochs=1, batch_size=16, verbose=0, check_numerics=True)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert call_state().numerics is None              # checking is off again after the error


def test_forward_nan_names_the_layer_that_made_it():
    x, y = _data()
    model = _model(layers.Lambda(lambda t: ops.log(t - 100.0), name="bad_log"))
    _fit_raises(model, x, y, r"forward pass of layer 'bad_log' \(Lambda\) produced 96 NaN")


def test_backward_inf_names_the_layer_whose_backward_made_it():
    x, y = _data()
    model = _model(layers.Lambda(lambda t: ops.sqrt(t - t), name="bad_sqrt"))
    _fit_raises(model, x, y, r"backward pass of layer 'bad_sqrt' \(Lambda\) produced 96 NaN or infinite.*to the layer's input")


def test_weight_gradient_inf_names_the_layer_of_the_weight():
    x, y = _data()
    model = _model(_SqrtOfZeroWeight(name="bad_weight"))
    _fit_raises(model, x, y, r"backward pass of layer 'bad_weight' produced 6 NaN or infinite.*'bad_weight/w'")


def test_non_finite_loss_from_finite_outputs_names_the_loss():
    x, y = _data()
    target = np.eye(3, dtype="float32")[y]

    def bad_loss(y_true, y_pred):
        return ops.mean(ops.log(y_pred - 10.0), axis=-1)

    model = _model(layers.Dense(5, name="fine"), loss=bad_loss)
    _fit_raises(model, x, target, "the loss is nan although every layer's output is finite")


def test_infinite_loss_gradient_names_the_last_layer_and_the_loss():
    x, y = _data()
    target = np.eye(3, dtype="float32")[y]

    def flat_loss(y_true, y_pred):
        return ops.mean(ops.sqrt(y_pred - y_pred), axis=-1)

    model = _model(layers.Dense(5, name="fine"), loss=flat_loss)
    _fit_raises(model, x, target, r"backward pass of layer 'head' \(Dense\), the model's last layer, or of the loss")


def test_checking_changes_no_number():
    """On a healthy model the checks are identities: the same weights bit for bit."""
    x, y = _data(40)
    results = []
    for check in (False, True):
        gn.utils.set_random_seed(7)
        model = _model(layers.BatchNormalization(name="bn"))
        history = model.fit(x, y, epochs=3, batch_size=8, validation_split=0.25, verbose=0, check_numerics=check)
        results.append((model.get_weights(), history.history))
    for a, b in zip(results[0][0], results[1][0]):
        np.testing.assert_array_equal(a, b)
    assert results[0][1] == results[1][1]
    assert call_state().numerics is None


def test_without_check_numerics_nothing_is_checked_and_terminate_on_nan_stays():
    """Off by default: the NaN of a bad layer reaches the loss, where TerminateOnNaN stops
    the run after the first batch."""
    x, y = _data(32)
    model = _model(layers.Lambda(lambda t: ops.log(t - 100.0), name="bad_log"))
    history = model.fit(x, y, epochs=3, batch_size=8, verbose=0, callbacks=[callbacks.TerminateOnNaN()])
    assert len(history.history["loss"]) == 1 and np.isnan(history.history["loss"][0])
    with pytest.raises(RuntimeError, match="NaN or Inf loss"):
        model.fit(x, y, epochs=1, batch_size=8, verbose=0, callbacks=[callbacks.TerminateOnNaN(raise_error=True)])

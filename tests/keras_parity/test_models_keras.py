"""Models and fit against Keras 3 itself (skipped without keras).

The same architecture is built in both; the Keras model gets the glassnet model's initial
weights (which proves ``get_weights()`` has Keras's order and shapes, functional models
included); then both train on the same data with ``shuffle=False`` and a batch size that
leaves a short last batch. The loss and metric history of every epoch, the validation
values, the final weights, ``evaluate`` and ``predict`` must agree in float64.

Keras's float64→float32 result-type rule is switched off during each test (see
test_layers_keras.py), so its matmuls really run in float64.
"""
import inspect

import numpy as np
import pytest

import glassnet as gn

keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")
torch.set_num_threads(1)   # tiny tensors: one thread is ~10x faster than several contending on 2 cores

RTOL = 1e-9
N, FEATURES, CLASSES, BATCH = 45, 6, 3, 16   # batches of 16, 16 and 13


pytestmark = pytest.mark.usefixtures("keras_float64")   # conftest.py: both sides in float64


def _data(seed=0, n=N):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, FEATURES))
    labels = rng.integers(0, CLASSES, n)
    return x, labels


# --- the architectures, written once for either framework ------------------------------------
def sequential(fw, kernel_regularizer=None, activity_regularizer=None, batch_norm=True, dropout=0.0):
    """Dense(8, tanh) [→ BatchNormalization] [→ Dropout] → Dense(3, softmax)."""
    L = fw.layers
    stack = [L.Input((FEATURES,)), L.Dense(8, activation="tanh", kernel_regularizer=kernel_regularizer,
                                           activity_regularizer=activity_regularizer)]
    if batch_norm:
        stack.append(L.BatchNormalization())
    if dropout:
        stack.append(L.Dropout(dropout))
    stack.append(L.Dense(CLASSES, activation="softmax"))
    return fw.Sequential(stack)


def two_branch(fw):
    """The course's functional model: two inputs, two Dense branches, Concatenate, one output."""
    L = fw.layers
    input_a, input_b = L.Input((4,)), L.Input((4,))
    a = L.Dense(40, activation="relu")(L.Dense(30, activation="relu")(input_a))
    b = L.Dense(50, activation="relu")(L.Dense(20, activation="relu")(input_b))
    output = L.Dense(CLASSES, activation="softmax")(L.Concatenate()([a, b]))
    return fw.Model([input_a, input_b], output)


def twins(build, **arguments):
    """(glassnet model, Keras model) of one architecture, Keras holding glassnet's weights."""
    ours = build(gn, **{k: (v(gn) if callable(v) else v) for k, v in arguments.items()})
    theirs = build(keras, **{k: (v(keras) if callable(v) else v) for k, v in arguments.items()})
    assert [w.shape for w in ours.get_weights()] == [tuple(w.shape) for w in theirs.get_weights()]
    assert [w.name for w in ours.weights] == [w.name for w in theirs.weights]
    theirs.set_weights(ours.get_weights())
    return ours, theirs


def assert_same_weights(ours, theirs):
    for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(a, np.asarray(b), rtol=RTOL, atol=1e-12)


def assert_same_history(ours, theirs):
    assert sorted(ours.history) == sorted(theirs.history)
    for key in theirs.history:
        np.testing.assert_allclose(ours.history[key], theirs.history[key], rtol=RTOL, err_msg=key)


def fit_both(models, x, y, optimizer, loss="sparse_categorical_crossentropy", metrics=("accuracy",), **fit_arguments):
    histories = []
    for fw, model in zip((gn, keras), models):
        model.compile(optimizer=optimizer(fw), loss=loss, metrics=list(metrics))
        histories.append(model.fit(x, y, batch_size=BATCH, epochs=3, shuffle=False, verbose=0, **fit_arguments))
    assert_same_history(*histories)
    assert_same_weights(*models)
    return histories


def assert_same_evaluate_and_predict(models, x, y, **arguments):
    ours, theirs = models
    np.testing.assert_allclose(ours.evaluate(x, y, batch_size=BATCH, verbose=0, **arguments),
                               theirs.evaluate(x, y, batch_size=BATCH, verbose=0, **arguments), rtol=RTOL)
    np.testing.assert_allclose(ours.predict(x, batch_size=BATCH, verbose=0),
                               np.asarray(theirs.predict(x, batch_size=BATCH, verbose=0)), rtol=RTOL, atol=1e-14)


OPTIMIZERS = {"sgd": lambda fw: fw.optimizers.SGD(0.1),
              "sgd_momentum": lambda fw: fw.optimizers.SGD(0.05, momentum=0.9),
              "adam": lambda fw: fw.optimizers.Adam(0.01)}


# --- structure ---------------------------------------------------------------------------------
def _summary_counts(model) -> list:
    lines = []
    model.summary(print_fn=lambda line, *args, **kwargs: lines.append(line))
    text = "\n".join(lines)
    return [line.split(":")[1].split("(")[0].strip() for line in text.splitlines()
            if line.strip().startswith(("Total params", "Trainable params", "Non-trainable params"))]


@pytest.mark.parametrize("build", [sequential, two_branch])
def test_weight_order_shapes_and_parameter_counts(build):
    ours, theirs = twins(build)   # checks the shapes and names of get_weights, in order
    assert ours.count_params() == theirs.count_params()
    assert _summary_counts(ours) == _summary_counts(theirs)
    assert len(_summary_counts(ours)) == 3
    assert [layer.count_params() for layer in ours.layers if layer.weights] == \
        [layer.count_params() for layer in theirs.layers if layer.weights]


@pytest.mark.parametrize("method", ["compile", "fit", "evaluate", "predict", "train_on_batch", "test_on_batch",
                                    "summary", "save", "save_weights", "load_weights", "get_layer"])
def test_model_method_defaults_equal_keras(method):
    ours = inspect.signature(getattr(gn.Model, method)).parameters
    theirs = inspect.signature(getattr(keras.Model, method)).parameters
    for argument in set(ours) & set(theirs):
        assert ours[argument].default == theirs[argument].default, f"Model.{method}({argument}=...)"


# --- training -----------------------------------------------------------------------------------
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_sequential_fit_history_weights_evaluate_predict(optimizer):
    x, y = _data()
    models = twins(sequential)
    fit_both(models, x, y, OPTIMIZERS[optimizer])
    assert_same_evaluate_and_predict(models, x, y)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_two_branch_functional_fit(optimizer):
    rng = np.random.default_rng(1)
    xa, xb, y = rng.standard_normal((50, 4)), rng.standard_normal((50, 4)), rng.integers(0, CLASSES, 50)
    models = twins(two_branch)
    fit_both(models, [xa, xb], y, OPTIMIZERS[optimizer], validation_split=0.2)
    ours, theirs = models
    np.testing.assert_allclose(ours.evaluate([xa, xb], y, verbose=0), theirs.evaluate([xa, xb], y, verbose=0),
                               rtol=RTOL)
    np.testing.assert_allclose(ours.predict([xa, xb], verbose=0), np.asarray(theirs.predict([xa, xb], verbose=0)),
                               rtol=RTOL, atol=1e-14)


def test_validation_split_takes_the_last_samples():
    x, y = _data()
    ours, theirs = fit_both(twins(sequential), x, y, OPTIMIZERS["sgd"], validation_split=0.25)
    assert len(ours.history["val_loss"]) == 3


def test_validation_data_with_and_without_sample_weights():
    x, y = _data()
    x_val, y_val = _data(seed=5, n=13)
    fit_both(twins(sequential), x, y, OPTIMIZERS["adam"], validation_data=(x_val, y_val))
    weights_val = np.random.default_rng(6).uniform(0.5, 1.5, 13)
    fit_both(twins(sequential), x, y, OPTIMIZERS["adam"], validation_data=(x_val, y_val, weights_val))


def test_regularization_penalties_are_part_of_the_logged_loss():
    x, y = _data()
    models = twins(sequential, kernel_regularizer=lambda fw: fw.regularizers.L2(0.05),
                   activity_regularizer=lambda fw: fw.regularizers.L1(0.01))
    ours, _ = fit_both(models, x, y, OPTIMIZERS["sgd"], validation_split=0.2)
    assert_same_evaluate_and_predict(models, x, y)
    # the logged loss is the cross-entropy plus the penalties: larger than the bare loss
    bare = twins(sequential)
    bare[0].set_weights(models[0].get_weights())
    bare[0].compile(loss="sparse_categorical_crossentropy")
    assert models[0].evaluate(x, y, verbose=0, return_dict=True)["loss"] > bare[0].evaluate(x, y, verbose=0)


def test_sample_weight_in_fit_and_evaluate():
    x, y = _data()
    sample_weight = np.random.default_rng(2).uniform(0.2, 2.0, N)
    models = twins(sequential)
    fit_both(models, x, y, OPTIMIZERS["sgd"], sample_weight=sample_weight)
    assert_same_evaluate_and_predict(models, x, y, sample_weight=sample_weight)


@pytest.mark.parametrize("validation_split", [0.0, 0.2])
def test_class_weight_in_fit(validation_split):
    x, y = _data()
    fit_both(twins(sequential), x, y, OPTIMIZERS["sgd"], class_weight={0: 0.5, 1: 2.0, 2: 1.0},
             validation_split=validation_split)


def test_one_hot_targets_and_regression_metrics():
    x, y = _data()
    one_hot = np.eye(CLASSES)[y]
    fit_both(twins(sequential), x, one_hot, OPTIMIZERS["adam"], loss="categorical_crossentropy",
             metrics=("accuracy", "categorical_crossentropy"))
    fit_both(twins(sequential), x, one_hot, OPTIMIZERS["sgd"], loss="mse", metrics=("mae",), validation_split=0.2)


def test_dropout_model_agrees_at_inference():
    x, y = _data()
    ours, theirs = twins(sequential, dropout=0.5)
    for model in (ours, theirs):
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    assert_same_evaluate_and_predict((ours, theirs), x, y)
    # after glassnet trains (its own dropout masks), the trained weights still infer alike
    ours.fit(x, y, batch_size=BATCH, epochs=2, verbose=0)
    theirs.set_weights(ours.get_weights())
    assert_same_evaluate_and_predict((ours, theirs), x, y)

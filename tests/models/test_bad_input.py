"""Bad input to compile/fit/evaluate/predict: a clear exception, raised before anything changes."""
import numpy as np
import pytest

from glassnet.layers import Dense, Input
from glassnet.models import Model, Sequential


def compiled_model():
    model = Sequential([Input((3,), name="features"), Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def unchanged(model, weights):
    assert model.optimizer.iterations == 0
    for before, after in zip(weights, model.get_weights()):
        np.testing.assert_array_equal(before, after)


X, Y = np.zeros((10, 3), "float32"), np.zeros(10, "int64")


def test_fit_before_compile():
    model = Sequential([Input((3,)), Dense(1)])
    for call in (lambda: model.fit(X, Y, verbose=0), lambda: model.evaluate(X, Y, verbose=0),
                 lambda: model.train_on_batch(X, Y)):
        with pytest.raises(RuntimeError, match="compile"):
            call()


@pytest.mark.parametrize("arguments, message", [
    (dict(x=X, y=Y[:9]), "same number of samples"),
    (dict(x=X[:0], y=Y[:0]), "empty"),
    (dict(x=np.zeros((10, 4), "float32"), y=Y), r"features.*expected shape \(None, 3\).*\(10, 4\)"),
    (dict(x=X, y=Y, sample_weight=np.ones(7)), "same number of samples"),
    (dict(x=X, y=Y, batch_size=0), "batch_size"),
    (dict(x=X, y=Y, epochs=-1), "epochs"),
    (dict(x=X, y=Y, verbose=3), "verbose"),
    (dict(x=X, y=None), "needs targets"),
    (dict(x=X, y=Y, validation_data=(X,)), "validation_data"),
    (dict(x=X, y=Y, validation_data=(np.zeros((4, 5), "float32"), Y[:4])), r"expected shape \(None, 3\)"),
    (dict(x=X, y=Y, class_weight=[1.0, 2.0]), "class_weight"),
    (dict(x=X, y=Y, validation_split=0.95), "validation_split"),
    (dict(x=X, y=Y, steps_per_epoch=0), "steps_per_epoch"),
    (dict(x=np.array([["a", "b", "c"]] * 10), y=Y), "numeric"),
])
def test_bad_fit_arguments_raise_before_training(arguments, message):
    model = compiled_model()
    weights = model.get_weights()
    with pytest.raises((ValueError, TypeError), match=message):
        model.fit(**arguments)
    unchanged(model, weights)


def test_unknown_names_in_compile_keep_the_previous_configuration():
    model = compiled_model()
    optimizer = model.optimizer
    with pytest.raises(ValueError, match="nonsense"):
        model.compile(optimizer="nonsense", loss="mse")
    with pytest.raises(ValueError, match="no_such_loss"):
        model.compile(optimizer="adam", loss="no_such_loss")
    with pytest.raises(ValueError, match="no_such_metric"):
        model.compile(optimizer="adam", loss="mse", metrics=["no_such_metric"])
    with pytest.raises(ValueError, match="loss_weights"):
        model.compile(optimizer="adam", loss="mse", loss_weights="heavy")
    with pytest.raises(ValueError, match="must be a list"):
        model.compile(optimizer="adam", loss="mse", metrics="accuracy")
    assert model.optimizer is optimizer and model.loss == "sparse_categorical_crossentropy"


def test_per_output_losses_must_match_the_outputs():
    inputs = Input((2,))
    model = Model(inputs, [Dense(1, name="a")(inputs), Dense(1, name="b")(inputs)])
    x, ys = np.zeros((4, 2), "float32"), [np.zeros((4, 1), "float32")] * 2
    model.compile(optimizer="sgd", loss={"a": "mse", "c": "mae"})
    with pytest.raises(ValueError, match="not output names"):
        model.fit(x, ys, verbose=0)
    model.compile(optimizer="sgd", loss=["mse", "mae", "mse"])
    with pytest.raises(ValueError, match="3 entries but the model has 2 outputs"):
        model.evaluate(x, ys, verbose=0)
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="2 outputs"):
        model.fit(x, ys[0], verbose=0)
    with pytest.raises(ValueError, match="single output"):
        model.fit(x, ys, class_weight={0: 1.0}, verbose=0)


def test_bad_predict_and_evaluate_input():
    model = compiled_model()
    with pytest.raises(ValueError, match="empty"):
        model.predict(X[:0], verbose=0)
    with pytest.raises(ValueError, match=r"expected shape \(None, 3\)"):
        model.predict(np.zeros((2, 2), "float32"), verbose=0)
    with pytest.raises(ValueError, match="`x` is required"):
        model.evaluate(None, Y, verbose=0)
    with pytest.raises(ValueError, match=r"expected shape \(None, 3\)"):
        model.predict_on_batch(np.zeros((2, 4), "float32"))


def test_callbacks_must_be_callback_instances():
    model = compiled_model()
    weights = model.get_weights()
    with pytest.raises(TypeError, match="Callback"):
        model.fit(X, Y, callbacks=[print], verbose=0)
    unchanged(model, weights)


def test_model_constructor_errors():
    with pytest.raises(TypeError, match="positional"):
        Model(Dense(1))
    model = Sequential([Input((2,)), Dense(1)])
    with pytest.raises(ValueError, match="exactly one"):
        model.get_layer()
    with pytest.raises(ValueError, match="out of range"):
        model.get_layer(index=5)

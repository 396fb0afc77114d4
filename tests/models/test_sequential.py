"""Sequential: the ways it gets built, add/pop, configs, and the digits acceptance test."""
import json

import numpy as np
import pytest

import glassnet as gn
from glassnet.layers import BatchNormalization, Dense, Dropout, Input, InputLayer
from glassnet.models import Sequential


def digits():
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    x, y = load_digits(return_X_y=True)
    return train_test_split((x / 16.0).astype("float32"), y, test_size=0.2, stratify=y, random_state=0)


def test_digits_mlp_reaches_95_percent_test_accuracy_within_30_epochs():
    x_train, x_test, y_train, y_test = digits()
    model = Sequential([Input((64,)), Dense(64, "relu"), Dropout(0.2), Dense(10, "softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x_train, y_train, epochs=30, batch_size=32, verbose=0)
    assert len(history.history["loss"]) == 30
    assert history.history["loss"][-1] < history.history["loss"][0]
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    assert accuracy >= 0.95
    predicted = model.predict(x_test, verbose=0).argmax(axis=1)
    assert np.mean(predicted == y_test) == pytest.approx(accuracy)


def test_digits_early_stopping_restores_the_best_validation_loss():
    """Issue 4's acceptance: with EarlyStopping(restore_best_weights=True) training stops
    early, and the restored weights give exactly the best validation loss seen."""
    from glassnet.callbacks import EarlyStopping
    from glassnet.optimizers import Adam
    from glassnet.utils import set_random_seed

    x_train, x_val, y_train, y_val = digits()
    set_random_seed(0)
    model = Sequential([Input((64,)), Dense(64, "relu"), Dropout(0.2), Dense(10, "softmax")])
    model.compile(optimizer=Adam(learning_rate=3e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    stopper = EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    epochs = 200
    history = model.fit(x_train, y_train, epochs=epochs, batch_size=32, validation_data=(x_val, y_val),
                        callbacks=[stopper], verbose=0)
    val_loss = history.history["val_loss"]
    assert len(history.epoch) < epochs                              # it stopped early ...
    best = int(np.argmin(val_loss))
    assert best == len(val_loss) - 4 and stopper.best_epoch == best  # ... 3 epochs after the best one
    # evaluate uses the same batches as fit's validation, so the numbers agree to rounding
    loss, _ = model.evaluate(x_val, y_val, verbose=0)
    assert loss == pytest.approx(min(val_loss), abs=1e-6) and loss < val_loss[-1]


def test_built_from_input_first():
    model = Sequential([Input((64,)), Dense(64, "relu"), Dense(10)])
    assert model.built
    assert [layer.name for layer in model.layers] == [model.layers[0].name, model.layers[1].name]
    assert not any(isinstance(layer, InputLayer) for layer in model.layers)
    assert model.count_params() == 64 * 64 + 64 + 64 * 10 + 10
    assert model.input_shape == (None, 64) and model.output_shape == (None, 10)


def test_built_from_input_shape_argument():
    model = Sequential([Dense(8, input_shape=(3,)), Dense(2)])
    assert model.built and model.count_params() == 3 * 8 + 8 + 8 * 2 + 2


def test_built_lazily_on_first_data_and_by_build():
    model = Sequential([Dense(8), Dense(2)])
    assert not model.built
    lines = []
    model.summary(print_fn=lines.append)   # Keras 3: unbuilt layers show "?" and "0 (unbuilt)"
    assert not model.built
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.zeros((4, 5), "float32"), np.zeros((4, 2), "float32"), verbose=0)
    assert model.built and model.input_shape == (None, 5)
    other = Sequential([Dense(3)])
    other.build((None, 7))
    assert other.count_params() == 7 * 3 + 3
    lines = []
    other.summary(print_fn=lines.append)
    assert any("(None, 3)" in line and "24" in line for line in lines)


def test_summary_of_an_unbuilt_model_as_keras_3():
    """Keras 3 prints an unbuilt Sequential: output shape "?", params "0 (unbuilt)", totals 0."""
    model = Sequential([Dense(8, name="hidden"), Dense(1, name="out")], name="lazy")
    lines = []
    model.summary(print_fn=lines.append)
    assert lines[0] == 'Model: "lazy"'
    rows = [line.split() for line in lines if line.startswith(("hidden", "out"))]
    assert rows == [["hidden", "(Dense)", "?", "0", "(unbuilt)"], ["out", "(Dense)", "?", "0", "(unbuilt)"]]
    assert " Total params: 0 (0.00 B)" in lines and " Trainable params: 0 (0.00 B)" in lines
    assert not model.built
    model.build((None, 3))   # now the same call prints the shapes and counts
    lines = []
    model.summary(print_fn=lines.append)
    assert any("(None, 8)" in line and line.endswith("32") for line in lines)
    assert " Total params: 41 (164.00 B)" in lines


def test_add_and_pop():
    model = Sequential()
    model.add(Input((4,)))
    model.add(Dense(5, name="first"))
    assert model.built and model.output_shape == (None, 5)
    model.add(Dense(2, name="second"))
    assert model.output_shape == (None, 2)
    popped = model.pop()
    assert popped.name == "second" and model.output_shape == (None, 5)
    with pytest.raises(ValueError, match="unique names"):
        model.add(Dense(1, name="first"))
    with pytest.raises(ValueError, match="only be the first"):
        model.add(Input((4,)))
    with pytest.raises(TypeError, match="expected a Layer"):
        model.add("dense")


def test_get_config_round_trip():
    model = Sequential([Input((6,)), Dense(4, activation="tanh"), BatchNormalization(), Dense(1)], name="net")
    config = json.loads(json.dumps(model.get_config()))
    assert [entry["class_name"] for entry in config["layers"]] == ["InputLayer", "Dense", "BatchNormalization",
                                                                    "Dense"]
    assert config["build_input_shape"] == [None, 6]
    clone = Sequential.from_config(config)
    assert clone.name == "net" and clone.built
    clone.set_weights(model.get_weights())
    x = np.random.default_rng(0).normal(size=(5, 6)).astype("float32")
    np.testing.assert_allclose(clone.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)


def test_lazily_built_config_round_trip():
    model = Sequential([Dense(3), Dense(1)])
    model(np.zeros((2, 4), "float32"))
    clone = Sequential.from_config(model.get_config())
    assert clone.built and clone.count_params() == model.count_params()


def test_wrong_input_shape_names_the_layer_and_the_shapes():
    model = Sequential([Input((64,), name="pixels"), Dense(10)])
    with pytest.raises(ValueError, match=r"pixels.*expected shape \(None, 64\).*\(5, 63\)"):
        model.predict(np.zeros((5, 63), "float32"), verbose=0)
    with pytest.raises(ValueError, match="pixels"):
        model(np.zeros((5, 63), "float32"))


def test_trainable_false_freezes_every_layer():
    model = Sequential([Input((2,)), Dense(3), Dense(1)])
    model.layers[0].trainable = False
    assert len(model.trainable_weights) == 2 and len(model.non_trainable_weights) == 2
    frozen = model.layers[0].get_weights()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.ones((8, 2), "float32"), np.ones((8, 1), "float32"), verbose=0)
    for before, after in zip(frozen, model.layers[0].get_weights()):
        np.testing.assert_array_equal(before, after)
    lines = []
    model.summary(print_fn=lines.append, show_trainable=True)
    assert any(line.rstrip().endswith("N") for line in lines if "dense" in line)


def test_top_level_names():
    assert gn.Sequential is Sequential
    assert gn.models.load_model is not None

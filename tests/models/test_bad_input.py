"""Bad input to compile/fit/evaluate/predict and bad model files: a clear exception, raised
before anything changes (weights, optimizer steps, the random stream).

Issue 4's list: x and y of different lengths, a wrong feature count, a loss-name typo, fit
before compile, NaN/inf in the data, an empty array, a truncated or corrupt model file, a
file naming an unregistered class — plus targets the loss cannot take (sparse labels out
of range, binary targets outside [0, 1]). A NaN *loss* produced by training itself is not an
error: see ``test_fit.py::test_nan_loss_from_divergent_training_is_logged_and_stopped_not_raised``.
"""
import zipfile

import numpy as np
import pytest

from glassnet import backend, losses
from glassnet.data import Dataset
from glassnet.layers import Concatenate, Dense, Input
from glassnet.models import Model, Sequential, load_model


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
    weights = model.get_weights()
    for call in (lambda: model.fit(X, Y, verbose=0), lambda: model.evaluate(X, Y, verbose=0),
                 lambda: model.train_on_batch(X, Y)):
        with pytest.raises(RuntimeError, match=r"compile\(\) before .*not compiled"):
            call()
    for before, after in zip(weights, model.get_weights()):
        np.testing.assert_array_equal(before, after)


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


def test_wrong_feature_count_for_a_model_built_from_data():
    model = Sequential([Dense(4), Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    model.fit(np.zeros((4, 5), "float32"), Y[:4], verbose=0)        # built for 5 features
    weights, steps = model.get_weights(), model.optimizer.iterations
    with pytest.raises(ValueError, match=r"expected shape \(None, 5\), got data of shape \(10, 3\)"):
        model.fit(X, Y, verbose=0)
    assert model.optimizer.iterations == steps
    for before, after in zip(weights, model.get_weights()):
        np.testing.assert_array_equal(before, after)


def test_unknown_names_in_compile_keep_the_previous_configuration():
    model = compiled_model()
    weights = model.get_weights()
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
    with pytest.raises(ValueError, match="Unknown loss 'mean_sqared_error'; known names: .*'mean_squared_error'"):
        model.compile(optimizer="sgd", loss="mean_sqared_error")      # a typo names the known losses
    unchanged(model, weights)


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


# --- NaN and infinity in the data ---------------------------------------------------------
def with_bad(array, index, value=np.nan):
    array = np.array(array, dtype="float32")
    array[index] = value
    return array


XF = np.random.default_rng(0).normal(size=(10, 3)).astype("float32")


@pytest.mark.parametrize("arguments, message", [
    (dict(x=with_bad(XF, (7, 1)), y=Y), r"fit: `x` contains 1 NaN .* nan at index \(7, 1\)"),
    (dict(x=with_bad(XF, (slice(2, 5), 0), np.inf), y=Y), r"`x` contains 3 NaN or infinite .* inf at index \(2, 0\)"),
    (dict(x=XF, y=Y, sample_weight=with_bad(np.ones(10), 4)), r"`sample_weight` contains 1 NaN .* index 4"),
    (dict(x=XF, y=Y, validation_data=(with_bad(XF, (9, 2), -np.inf), Y)),
     r"fit \(validation_data\): `x` contains 1 .* -inf at index \(9, 2\)"),
    (dict(x=XF, y=Y, validation_data=(XF, Y, with_bad(np.ones(10), 0))),
     r"fit \(validation_data\): `sample_weight` contains 1"),
    (dict(x=with_bad(XF, (8, 0)), y=Y, validation_split=0.3), r"`x` contains 1 NaN .* index \(8, 0\)"),
])
def test_nan_or_inf_in_the_data_is_refused_before_any_step(arguments, message):
    model = compiled_model()
    weights = model.get_weights()
    with pytest.raises(ValueError, match=message):
        model.fit(verbose=0, **arguments)
    unchanged(model, weights)


def test_nan_in_one_of_several_inputs_names_that_input():
    a, b = Input((3,), name="a"), Input((2,), name="b")
    model = Model([a, b], Dense(1)(Concatenate()([a, b])))
    model.compile(optimizer="sgd", loss="mse")
    weights = model.get_weights()
    with pytest.raises(ValueError, match=r"`x\[1\]` contains 1 NaN .* index \(2, 1\)"):
        model.fit([XF, with_bad(np.zeros((10, 2)), (2, 1))], np.zeros((10, 1)), verbose=0)
    with pytest.raises(ValueError, match=r"`x\['b'\]` contains 1 NaN"):
        model.fit({"a": XF, "b": with_bad(np.zeros((10, 2)), (2, 1))}, np.zeros((10, 1)), verbose=0)
    unchanged(model, weights)


def test_nan_in_float_targets_names_y():
    model = Sequential([Input((3,)), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    weights = model.get_weights()
    y = with_bad(np.zeros((10, 1)), (6, 0))
    for call, where in ((lambda: model.fit(XF, y, verbose=0), "fit"),
                        (lambda: model.evaluate(XF, y, verbose=0), "evaluate"),
                        (lambda: model.train_on_batch(XF, y), "train_on_batch"),
                        (lambda: model.test_on_batch(XF, y), "test_on_batch"),
                        (lambda: model.fit(XF, np.zeros((10, 1)), validation_data=(XF, y), verbose=0),
                         r"fit \(validation_data\)")):
        with pytest.raises(ValueError, match=rf"{where}: `y` contains 1 NaN .* index \(6, 0\)"):
            call()
    unchanged(model, weights)


def test_predict_refuses_nan_input():
    """Keras would return NaN rows; glassnet names the bad sample instead (see predict's docstring)."""
    model = compiled_model()
    with pytest.raises(ValueError, match=r"predict: `x` contains 1 NaN .* index \(3, 2\)"):
        model.predict(with_bad(XF, (3, 2)), verbose=0)
    with pytest.raises(ValueError, match=r"predict_on_batch: `x` contains 1 NaN"):
        model.predict_on_batch(with_bad(XF, (3, 2)))
    with pytest.raises(ValueError, match=r"predict, batch 1: `x` contains 1 NaN .* index \(0, 0\)"):
        model.predict(Dataset.from_tensor_slices(with_bad(XF, (4, 0))).batch(4), verbose=0)


def test_batches_of_a_dataset_or_generator_are_checked_each_before_its_step():
    model = compiled_model()
    weights = model.get_weights()
    with pytest.raises(ValueError, match=r"fit, batch 0: `x` contains 1 NaN .* index \(3, 0\)"):
        model.fit(Dataset.from_tensor_slices((with_bad(XF, (3, 0)), Y)).batch(4), verbose=0)
    unchanged(model, weights)
    bad_x = with_bad(XF, (9, 0))       # batch 2 of size 4 holds rows 8 and 9
    with pytest.raises(ValueError, match=r"fit, batch 2: `x` contains 1 NaN .* index \(1, 0\)"):
        model.fit(Dataset.from_tensor_slices((bad_x, Y)).batch(4), verbose=0)
    assert model.optimizer.iterations == 2                   # batches 0 and 1 were trained, not batch 2

    def generator():
        yield XF[:4], Y[:4]
        yield XF[4:8], np.array([0, 1, 5, 0])                 # label 5 of a 2-class output
    model = compiled_model()
    with pytest.raises(ValueError, match=r"fit, batch 1: `y` holds 1 invalid target.*\[0, 2\).* 5 at index 2"):
        model.fit(generator(), verbose=0)
    assert model.optimizer.iterations == 1
    with pytest.raises(ValueError, match=r"evaluate, batch 0: `x` contains 1 NaN"):
        model.evaluate(Dataset.from_tensor_slices((bad_x[8:], Y[8:])).batch(4), verbose=0)
    model = compiled_model()
    with pytest.raises(ValueError, match=r"fit \(validation_data\), batch 0: `x` contains 1 NaN"):
        model.fit(XF, Y, validation_data=Dataset.from_tensor_slices((bad_x[8:], Y[8:])).batch(4), verbose=0)
    assert model.optimizer.iterations == 1   # validation runs after the epoch: its one step was taken


# --- targets the loss cannot take ---------------------------------------------------------
def three_class_model(loss="sparse_categorical_crossentropy", units=3, activation="softmax", lazy=False):
    layers = [Dense(units, activation=activation)]
    model = Sequential(layers if lazy else [Input((3,))] + layers)
    model.compile(optimizer="adam", loss=loss)
    return model


LABELS = np.arange(10) % 3


@pytest.mark.parametrize("lazy", [False, True], ids=["built", "unbuilt"])
@pytest.mark.parametrize("y, message", [
    (np.where(np.arange(10) == 8, 3, LABELS), r"1 invalid target.*\[0, 3\) \(the model's output has 3 classes\).* 3 at "
                                              r"index 8"),
    (np.where(np.arange(10) >= 7, -1, LABELS), r"3 invalid target.* -1 at index 7"),
    (LABELS + 0.5, r"10 invalid target.* 0.5 at index 0"),
    (np.where(np.arange(10) == 9, 7, LABELS).reshape(10, 1), r"1 invalid target.* 7 at index \(9, 0\)"),
])
def test_sparse_labels_out_of_range_are_refused_up_front(y, message, lazy):
    """A bad label in the *last* batch used to raise only after several optimizer steps."""
    model = three_class_model(lazy=lazy)
    state = backend.rng().bit_generator.state
    with pytest.raises(ValueError, match="fit: `y` holds " + message):
        model.fit(XF, y, batch_size=2, shuffle=False, verbose=0)
    assert model.optimizer.iterations == 0
    assert model.built == (not lazy) and backend.rng().bit_generator.state == state   # nothing built or drawn


def test_sparse_labels_that_are_valid():
    model = three_class_model()
    model.fit(XF, LABELS.astype("float32"), verbose=0)           # integral floats are labels
    model.evaluate(XF, LABELS.reshape(10, 1), verbose=0)         # a trailing axis of 1
    model.compile(optimizer="adam", loss=losses.SparseCategoricalCrossentropy(ignore_class=-1))
    model.fit(XF, np.where(np.arange(10) > 7, -1, LABELS), verbose=0)   # ignore_class passes


def test_labels_in_evaluate_single_batches_and_validation_data():
    model = three_class_model()
    weights = model.get_weights()
    bad = np.where(np.arange(10) == 4, 3, LABELS)
    for call, where in ((lambda: model.evaluate(XF, bad, verbose=0), "evaluate"),
                        (lambda: model.train_on_batch(XF, bad), "train_on_batch"),
                        (lambda: model.test_on_batch(XF, bad), "test_on_batch"),
                        (lambda: model.fit(XF, LABELS, validation_data=(XF, bad), verbose=0),
                         r"fit \(validation_data\)")):
        with pytest.raises(ValueError, match=rf"{where}: `y` holds 1 invalid target.* 3 at index 4"):
            call()
    unchanged(model, weights)


def test_binary_crossentropy_targets_must_lie_in_0_1():
    model = three_class_model(loss="binary_crossentropy", units=1, activation="sigmoid")
    weights = model.get_weights()
    y = np.where(np.arange(10) % 2, 1.0, 0.0).reshape(10, 1)
    for bad_value in (2.0, -1.0):
        bad = y.copy()
        bad[5, 0] = bad_value
        with pytest.raises(ValueError, match=rf"fit: `y` holds 1 invalid target.*'binary_crossentropy'.*\[0, 1\].* "
                                             rf"{bad_value} at index \(5, 0\)"):
            model.fit(XF, bad, verbose=0)
    unchanged(model, weights)
    model.fit(XF, np.full((10, 1), 0.3), verbose=0)      # soft targets are fine


def test_labels_of_a_multi_output_model_name_the_output():
    inputs = Input((3,))
    model = Model(inputs, {"digit": Dense(4, activation="softmax", name="digit")(inputs),
                           "odd": Dense(1, activation="sigmoid", name="odd")(inputs)})
    model.compile(optimizer="sgd", loss={"digit": "sparse_categorical_crossentropy", "odd": "binary_crossentropy"})
    weights = model.get_weights()
    y = {"digit": np.where(np.arange(10) == 3, 4, np.arange(10) % 4), "odd": np.zeros((10, 1))}
    with pytest.raises(ValueError, match=r"`y\['digit'\]` holds 1 invalid target.*\[0, 4\).* 4 at index 3"):
        model.fit(XF, y, verbose=0)
    for before, after in zip(weights, model.get_weights()):
        np.testing.assert_array_equal(before, after)


def test_a_subclassed_model_checks_what_it_can_without_knowing_the_classes():
    class Net(Model):
        def __init__(self):
            super().__init__()
            self.out = Dense(3, activation="softmax")

        def call(self, inputs, training=False):
            return self.out(inputs)

    model = Net()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match=r"integer class labels >= 0.* -2 at index 0"):
        model.fit(XF, np.where(np.arange(10) == 0, -2, LABELS), verbose=0)
    assert not model.built


# --- model files --------------------------------------------------------------------------
@pytest.fixture
def saved_model(tmp_path):
    model = compiled_model()
    model.fit(XF, Y, epochs=1, verbose=0)
    path = tmp_path / "model.glassnet"
    model.save(path)
    return model, path


def test_truncated_or_corrupted_model_file_changes_no_weights(saved_model):
    model, path = saved_model
    weights = model.get_weights()
    data = path.read_bytes()
    truncated = path.with_name("cut.glassnet")
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=r"cut\.glassnet'.*corrupt or truncated"):
        load_model(truncated)
    with pytest.raises(ValueError, match=r"cut\.glassnet'.*corrupt or truncated"):
        model.load_weights(truncated)
    garbage = path.with_name("garbage.glassnet")
    garbage.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    with pytest.raises(ValueError, match=r"garbage\.glassnet'.*corrupt or truncated"):
        model.load_weights(garbage)
    for before, after in zip(weights, model.get_weights()):
        np.testing.assert_array_equal(before, after)


def test_a_model_file_naming_an_unregistered_layer_class(saved_model):
    import json

    from glassnet.saving import file_format

    model, path = saved_model
    entries = {name: zipfile.ZipFile(path).read(name) for name in zipfile.ZipFile(path).namelist()}
    config = json.loads(entries["config.json"])
    config["config"]["layers"][-1]["class_name"] = "MyPrivateLayer"
    entries["config.json"] = json.dumps(config).encode()
    edited = path.with_name("edited.glassnet")
    file_format.write_archive(str(edited), entries)
    state = backend.rng().bit_generator.state
    with pytest.raises(ValueError, match="unknown layer class 'MyPrivateLayer'.*register_serializable"):
        load_model(edited)
    assert backend.rng().bit_generator.state == state

"""save → load gives the same model: predictions, compile settings, optimizer state, and
training that continues bit for bit."""
import io
import json
import zipfile

import numpy as np
import pytest

import glassnet
from glassnet import backend, utils
from glassnet.callbacks import ReduceLROnPlateau
from glassnet.layers import Dense, Input, Layer
from glassnet.models import Model, Sequential, load_model
from glassnet.saving import load_weights, register_serializable, save_model, save_weights

from .helpers import data, mlp, mlp_with_state, trained_mlp, two_branch


def assert_same_weights(a, b):
    wa, wb = a.get_weights(), b.get_weights()
    assert len(wa) == len(wb)
    for x, y in zip(wa, wb):
        assert x.dtype == y.dtype
        np.testing.assert_array_equal(x, y)


def test_file_layout(tmp_path):
    model, _, _ = trained_mlp()
    path = tmp_path / "m.glassnet"
    model.save(path)
    archive = zipfile.ZipFile(path)
    assert sorted(archive.namelist()) == ["config.json", "metadata.json", "model.weights.npz", "optimizer.npz"]
    meta = json.loads(archive.read("metadata.json"))
    assert meta["format"] == "glassnet" and meta["glassnet_version"] == glassnet.__version__ and meta["date_saved"]
    config = json.loads(archive.read("config.json"))
    assert config["class_name"] == "Sequential"
    assert [l["class_name"] for l in config["config"]["layers"]] == ["InputLayer", "Dense", "Dropout", "Dense"]
    assert config["compile_config"]["optimizer"]["class_name"] == "Adam"
    assert config["compile_config"]["loss"] == "sparse_categorical_crossentropy"
    assert config["compile_config"]["metrics"] == ["accuracy"]
    keys = np.load(io.BytesIO(archive.read("model.weights.npz")), allow_pickle=False)
    assert [k.split(":")[0] for k in keys.files] == ["0000", "0001", "0002", "0003"]
    assert keys.files[0].endswith("/kernel") and keys.files[1].endswith("/bias")


def test_save_load_predict_identical(tmp_path):
    model, x, _ = trained_mlp()
    path = tmp_path / "m.glassnet"
    save_model(model, path)
    loaded = load_model(path)
    assert type(loaded) is Sequential and loaded.name == model.name
    assert [l.name for l in loaded.layers] == [l.name for l in model.layers]
    assert_same_weights(model, loaded)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_compile_settings_and_optimizer_state_restored(tmp_path):
    model, x, y = trained_mlp(epochs=2)
    model.save(tmp_path / "m.glassnet")
    loaded = glassnet.saving.load_model(tmp_path / "m.glassnet")
    assert loaded.compiled and type(loaded.optimizer) is type(model.optimizer)
    assert loaded.optimizer.get_config() == model.optimizer.get_config()
    assert loaded.optimizer.iterations == model.optimizer.iterations == 10
    for a, b in zip(model.optimizer.variables(), loaded.optimizer.variables()):
        np.testing.assert_array_equal(a, b)
    assert loaded.evaluate(x, y, verbose=0) == model.evaluate(x, y, verbose=0)


def test_compile_false_gives_an_uncompiled_model(tmp_path):
    model, x, _ = trained_mlp()
    model.save(tmp_path / "m.glassnet")
    loaded = load_model(tmp_path / "m.glassnet", compile=False)
    assert not loaded.compiled and loaded.optimizer is None
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


@pytest.mark.parametrize("make", [mlp, mlp_with_state])
def test_continue_training_bit_for_bit(tmp_path, make):
    """2 epochs, save, load, 3 more epochs == 5 uninterrupted epochs (shuffling and dropout
    included): load_model restores the random stream saved in the file."""
    x, y = data()
    utils.set_random_seed(7)
    uninterrupted = make()
    uninterrupted.fit(x, y, epochs=5, batch_size=8, verbose=0)

    utils.set_random_seed(7)
    first = make()
    first.fit(x, y, epochs=2, batch_size=8, verbose=0)
    first.save(tmp_path / "m.glassnet")
    utils.set_random_seed(999)   # whatever happens to the stream in between...
    resumed = load_model(tmp_path / "m.glassnet")
    resumed.fit(x, y, epochs=3, batch_size=8, verbose=0)
    assert_same_weights(uninterrupted, resumed)
    assert resumed.optimizer.iterations == uninterrupted.optimizer.iterations == 25


def test_changed_learning_rate_is_saved(tmp_path):
    model, x, y = trained_mlp()
    model.fit(x, y, epochs=3, verbose=0, callbacks=[ReduceLROnPlateau(monitor="loss", patience=0, factor=0.5,
                                                                      min_delta=10.0)])
    assert model.optimizer.learning_rate < 1e-3
    model.save(tmp_path / "m.glassnet")
    assert load_model(tmp_path / "m.glassnet").optimizer.learning_rate == model.optimizer.learning_rate


def test_two_branch_functional_model_round_trips(tmp_path):
    utils.set_random_seed(3)
    rng = np.random.default_rng(0)
    wide, deep = rng.normal(size=(32, 3)).astype("float32"), rng.normal(size=(32, 5)).astype("float32")
    target = (wide[:, :1] + deep[:, :1] > 0).astype("float32")
    model = two_branch()
    model.fit([wide, deep], target, epochs=2, batch_size=8, verbose=0)
    model.save(tmp_path / "wide_deep.glassnet")
    loaded = load_model(tmp_path / "wide_deep.glassnet")
    assert loaded.input_names == ["wide", "deep"]
    assert [l.name for l in loaded.layers] == [l.name for l in model.layers]
    assert_same_weights(model, loaded)
    np.testing.assert_array_equal(loaded.predict([wide, deep], verbose=0), model.predict([wide, deep], verbose=0))
    model.fit([wide, deep], target, epochs=1, batch_size=8, verbose=0, shuffle=False)
    loaded.fit([wide, deep], target, epochs=1, batch_size=8, verbose=0, shuffle=False)
    assert_same_weights(model, loaded)


@register_serializable(package="SavingTest")
class ScaleShift(Layer):
    """y = factor · x (a custom layer registered with the decorator)."""

    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def build(self, input_shape):
        self.offset = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="offset")

    def call(self, x):
        return x * self.factor + self.offset

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def test_registered_custom_layer_round_trips(tmp_path):
    model = Sequential([Input((4,)), ScaleShift(3.0), Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((5, 4), dtype="float32")
    model.save(tmp_path / "custom.glassnet")
    config = json.loads(zipfile.ZipFile(tmp_path / "custom.glassnet").read("config.json"))
    assert config["config"]["layers"][1]["class_name"] == "SavingTest>ScaleShift"
    loaded = load_model(tmp_path / "custom.glassnet")
    assert isinstance(loaded.layers[0], ScaleShift) and loaded.layers[0].factor == 3.0
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


class Unregistered(ScaleShift):
    pass


def test_custom_objects_find_unregistered_classes(tmp_path):
    model = Sequential([Input((4,)), Unregistered(0.5)])
    model.save(tmp_path / "u.glassnet")
    with pytest.raises(ValueError, match="unknown .*'Unregistered'.*register_serializable.*custom_objects"):
        load_model(tmp_path / "u.glassnet")
    loaded = load_model(tmp_path / "u.glassnet", custom_objects={"Unregistered": Unregistered})
    assert type(loaded.layers[0]) is Unregistered


@register_serializable(package="SavingTest")
class TwoLayer(Model):
    """A registered subclassed model."""

    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = Dense(units, activation="tanh")
        self.out = Dense(1)

    def call(self, x, training=False):
        return self.out(self.hidden(x))

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def test_registered_subclassed_model_round_trips(tmp_path):
    x, _ = data()
    y = x.sum(axis=1, keepdims=True)
    model = TwoLayer(units=6)
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=1, verbose=0)
    model.save(tmp_path / "sub.glassnet")
    loaded = load_model(tmp_path / "sub.glassnet")
    assert type(loaded) is TwoLayer and loaded.units == 6
    assert_same_weights(model, loaded)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.optimizer.iterations == model.optimizer.iterations


def test_save_and_load_weights(tmp_path):
    model, x, _ = trained_mlp()
    save_weights(model, tmp_path / "w.weights.npz")
    other = mlp()
    load_weights(other, tmp_path / "w.weights.npz")
    assert_same_weights(model, other)
    fresh = mlp()
    fresh.load_weights(tmp_path / "w.weights.npz")   # the model method delegates
    np.testing.assert_array_equal(fresh.predict(x, verbose=0), model.predict(x, verbose=0))


def test_load_weights_from_a_model_file(tmp_path):
    model, _, _ = trained_mlp()
    model.save(tmp_path / "m.glassnet")
    other = mlp()
    other.load_weights(tmp_path / "m.glassnet")
    assert_same_weights(model, other)


def test_overwrite_false(tmp_path):
    model, _, _ = trained_mlp()
    model.save(tmp_path / "m.glassnet")
    with pytest.raises(FileExistsError, match="overwrite=False"):
        model.save(tmp_path / "m.glassnet", overwrite=False)
    model.save_weights(tmp_path / "w.weights.npz")
    with pytest.raises(FileExistsError, match="overwrite=False"):
        save_weights(model, tmp_path / "w.weights.npz", overwrite=False)


def test_float64_model_round_trips(tmp_path):
    backend.set_floatx("float64")
    model, x, _ = trained_mlp()
    model.save(tmp_path / "m.glassnet")
    loaded = load_model(tmp_path / "m.glassnet")
    assert loaded.get_weights()[0].dtype == np.float64
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))

"""ModelCheckpoint on a fake model: file names, save_best_only, save_freq, bad input."""
import os

import numpy as np
import pytest

from glassnet.callbacks import ModelCheckpoint

from .fakes import FakeModel, run


def names(model):
    return [os.path.basename(p) for p in model.saved]


def test_filename_formatting_with_one_based_epoch(tmp_path):
    model = FakeModel()
    path = str(tmp_path / "{epoch:02d}-{val_loss:.2f}.glassnet")
    run([ModelCheckpoint(path)], model, [{"val_loss": 0.5}, {"val_loss": 0.4321}, {"val_loss": 0.6}])
    assert names(model) == ["01-0.50.glassnet", "02-0.43.glassnet", "03-0.60.glassnet"]
    assert sorted(os.listdir(tmp_path)) == names(model)


def test_save_best_only_saves_on_improvement(tmp_path, capsys):
    model = FakeModel()
    path = str(tmp_path / "best-{epoch}.glassnet")
    run([ModelCheckpoint(path, save_best_only=True, verbose=1)], model,
        [{"val_loss": 0.5}, {"val_loss": 0.6}, {"val_loss": 0.4}, {"val_loss": 0.4}])
    assert names(model) == ["best-1.glassnet", "best-3.glassnet"]
    out = capsys.readouterr().out
    assert "Epoch 1: val_loss improved from None to 0.50000, saving model to" in out
    assert "Epoch 2: val_loss did not improve from 0.50000" in out


def test_save_best_only_with_fixed_name_overwrites(tmp_path):
    model = FakeModel()
    path = str(tmp_path / "best.glassnet")
    run([ModelCheckpoint(path, save_best_only=True)], model, [{"val_loss": 3.0}, {"val_loss": 2.0}])
    assert names(model) == ["best.glassnet", "best.glassnet"]


def test_max_mode_and_initial_value_threshold(tmp_path):
    model = FakeModel()
    path = str(tmp_path / "{epoch}.glassnet")
    checkpoint = ModelCheckpoint(path, monitor="val_accuracy", save_best_only=True, initial_value_threshold=0.7)
    run([checkpoint], model, [{"val_accuracy": 0.6}, {"val_accuracy": 0.8}, {"val_accuracy": 0.75}])
    assert names(model) == ["2.glassnet"] and checkpoint.best == 0.8


def test_integer_save_freq_counts_batches_across_epochs(tmp_path):
    model = FakeModel()
    path = str(tmp_path / "e{epoch}-b{batch}.glassnet")
    # 3 epochs x 2 batches: save after batches 3 and 6 overall = (epoch 2, batch 1), (epoch 3, batch 2)
    run([ModelCheckpoint(path, save_freq=3)], model, [{"loss": 1.0}] * 3, steps=2)
    assert names(model) == ["e2-b1.glassnet", "e3-b2.glassnet"]


def test_weights_only_and_directory_creation(tmp_path):
    model = FakeModel()
    path = str(tmp_path / "sub" / "dir" / "w{epoch}.weights.npz")
    run([ModelCheckpoint(path, save_weights_only=True)], model, [{"loss": 1.0}])
    assert names(model) == ["w1.weights.npz"]
    assert open(model.saved[0]).read() == "weights"


def test_missing_format_field_is_a_clear_key_error(tmp_path):
    with pytest.raises(KeyError, match="no value for 'val_acc'.*available fields"):
        run([ModelCheckpoint(str(tmp_path / "{val_acc}.glassnet"))], FakeModel(), [{"loss": 1.0}])


def test_missing_monitor_warns_and_saves(tmp_path):
    model = FakeModel()
    with pytest.warns(UserWarning, match="only with val_loss available"):
        run([ModelCheckpoint(str(tmp_path / "m.glassnet"), save_best_only=True)], model, [{"loss": 1.0}])
    assert names(model) == ["m.glassnet"]


@pytest.mark.parametrize("filepath, kwargs, match", [
    ("model.h5", {}, r"must end in '\.glassnet' .* or '\.keras'"),
    ("model.h5", {"save_weights_only": True}, r"must end in '\.weights\.npz' .* or '\.weights\.h5'"),
    ("model.glassnet", {"save_weights_only": True}, r"must end in '\.weights\.npz'"),
    ("model.glassnet", {"save_freq": "batch"}, "`save_freq` must be 'epoch' or a positive int"),
    ("model.glassnet", {"save_freq": 0}, "`save_freq`"),
    ("model.glassnet", {"mode": "best"}, "`mode` must be one of"),
])
def test_bad_arguments(filepath, kwargs, match):
    with pytest.raises(ValueError, match=match):
        ModelCheckpoint(filepath, **kwargs)


def test_directory_as_filepath_is_refused(tmp_path):
    (tmp_path / "x.glassnet").mkdir()
    with pytest.raises(IsADirectoryError, match="is an existing directory"):
        run([ModelCheckpoint(str(tmp_path / "x.glassnet"))], FakeModel(), [{"loss": 1.0}])


def test_keras_file_names_as_in_keras_examples(tmp_path):
    """Keras's examples checkpoint to 'model_at_epoch_{epoch}.keras': glassnet writes Keras 3 archives."""
    pytest.importorskip("h5py")
    import glassnet as gn

    model = gn.Sequential([gn.layers.Input((3,)), gn.layers.Dense(2)])
    model.compile("sgd", "mse")
    x, y = np.ones((8, 3), np.float32), np.zeros((8, 2), np.float32)
    model.fit(x, y, epochs=2, verbose=0, callbacks=[
        gn.callbacks.ModelCheckpoint(str(tmp_path / "model_at_epoch_{epoch}.keras")),
        gn.callbacks.ModelCheckpoint(str(tmp_path / "w_{epoch}.weights.h5"), save_weights_only=True)])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model_at_epoch_1.keras", "model_at_epoch_2.keras",
                                                           "w_1.weights.h5", "w_2.weights.h5"]
    again = gn.models.load_model(str(tmp_path / "model_at_epoch_2.keras"))
    np.testing.assert_allclose(again.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)

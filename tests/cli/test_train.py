"""glassnet train CONFIG.toml: a tiny digits run with and without the monitor; config errors as one line, exit 2."""
import numpy as np
import pytest

from glassnet import cli
from glassnet.cli_train import ConfigError, read_config, run
from glassnet.models import load_model


def test_train_without_monitor_saves_a_model_that_predicts(tiny_config, tmp_path, capsys, db):
    config = tiny_config()
    assert cli.main(["train", str(config), "--no-monitor"]) == 0
    out = capsys.readouterr().out
    assert "Total params: 610" in out and "Test: loss:" in out and "Saved the model to" in out
    assert not db.exists()                                          # nothing recorded
    model = load_model(str(tmp_path / "tiny.glassnet"))
    assert model.predict(np.zeros((2, 64), np.float32), verbose=0).shape == (2, 10)


def test_train_with_the_monitor_records_the_run(tiny_config, capsys, db):
    RunStore = pytest.importorskip("glassnet.monitor").RunStore

    config = tiny_config('[monitor]\nhyperparameters = { note = "tiny" }\n')
    result = run(config, out=lambda line: None)
    (recorded,) = RunStore(db).list_runs()
    assert recorded["id"] == result["run_id"] and recorded["name"] == "tiny <digits>"
    assert recorded["status"] == "finished"
    run_info = RunStore(db).get_run(result["run_id"])
    assert run_info["hyperparameters"]["note"] == "tiny" and run_info["hyperparameters"]["batch_size"] == 64
    assert run_info["hyperparameters"]["learning_rate"] == pytest.approx(0.01)
    history = result["history"].history
    assert run_info["final_metrics"]["loss"] == pytest.approx(history["loss"][-1])


def test_train_overrides_epochs_and_runs_callbacks(tiny_config, tmp_path, capsys):
    config = tiny_config(f"""
        [[callbacks]]
        class = "CSVLogger"
        filename = "{tmp_path / 'log.csv'}"
    """)
    assert cli.main(["train", str(config), "--no-monitor", "--epochs", "2"]) == 0
    lines = (tmp_path / "log.csv").read_text().splitlines()
    assert lines[0].startswith("epoch") and len(lines) == 3


@pytest.mark.parametrize("extra, replace, message", [
    ("[fit2]\n", {}, "unknown key 'fit2'"),
    ("", {"batch_size = 64": "batch_size = 64\nbatchsize = 3"}, "unknown key fit.'batchsize'"),
    ("", {'class = "Dense", units = 8': 'class = "Dens", units = 8'}, "model.layers[0]: unknown class 'Dens'"),
    ("", {"units = 8,": "unit = 8,"}, "model.layers[0]: Dense: "),
    ("", {'dataset = "digits"': 'dataset = "cifar"'}, "unknown data.dataset 'cifar'"),
    ("", {'dataset = "digits"': 'x = "missing.npy"\ny = "missing.npy"'}, "no such file: 'missing.npy'"),
    ("", {"seed = 0": "seed = -1"}, "seed must be a non-negative integer"),
    ("[[callbacks]]\nclass = 'EarlyStoping'\n", {}, "callbacks[0]: unknown class 'EarlyStoping'"),
    ("", {'optimizer = { class = "Adam", learning_rate = 0.01 }': 'optimizer = "adamm"'}, "compile.optimizer"),
    ("", {"[model]": "[model]\nmodel_file = 'a.glassnet'"}, "not both"),
    ("", {'model = "': 'model = "x.h5" #'}, "output.model must be a path ending in .glassnet"),
    ("", {"epochs = 1": "epochs = 'ten'"}, "fit.epochs must be a positive integer, got 'ten'"),
    ("", {"validation_split = 0.2": "validation_split = 1.5"}, "data.validation_split must be a number in [0, 1)"),
])
def test_config_mistakes_are_one_line_and_exit_2(tiny_config, capsys, extra, replace, message):
    config = tiny_config(extra, **replace)
    assert cli.main(["train", str(config), "--no-monitor"]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and captured.err.startswith("glassnet train: error: ")
    assert message in captured.err and "Traceback" not in captured.err


def test_missing_and_malformed_config_files(tmp_path, capsys):
    assert cli.main(["train", str(tmp_path / "none.toml")]) == 2
    assert "no such config file" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text("[data\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        read_config(bad)


def test_own_arrays_from_npy_and_csv(tmp_path, capsys):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 3)).astype(np.float32)
    y = (x[:, 0] > 0).astype(int)
    np.save(tmp_path / "x.npy", x)
    np.savetxt(tmp_path / "y.csv", y, delimiter=",", header="label", comments="")
    config = tmp_path / "own.toml"
    config.write_text(f"""
[data]
x = "{tmp_path / 'x.npy'}"
y = "{tmp_path / 'y.csv'}"
[model]
layers = [{{ class = "Dense", units = 1, activation = "sigmoid" }}]
[compile]
loss = "binary_crossentropy"
[fit]
epochs = 1
verbose = 0
""")
    result = run(config, use_monitor=False, out=lambda line: None)
    assert result["model"].input_shape == (None, 3) and len(result["history"].history["loss"]) == 1

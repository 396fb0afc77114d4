"""RunStore: writing, reading, the 'lost' rule, deletion, CSV export, bad input."""
import csv
import time

import pytest

from glassnet.monitor import RunStore, default_db_path
from glassnet.monitor import store as store_module


def test_default_db_path_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("GLASSNET_MONITOR_DB", str(tmp_path / "x.db"))
    assert default_db_path() == tmp_path / "x.db"
    monkeypatch.delenv("GLASSNET_MONITOR_DB")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_db_path() == tmp_path / ".glassnet" / "runs.db"


def test_a_run_round_trips(tmp_path):
    store = RunStore(tmp_path / "runs.db")
    assert store.path.exists()
    run_id = store.create_run("first", hyperparameters={"lr": 0.01, "layers": [8, 2]}, params={"epochs": 2},
                              summary="Model: x", compile_config={"loss": "mse"})
    store.log(run_id, [("epoch", 0, 0, 1.0, {"loss": 0.5, "val_loss": 0.75}), ("epoch", 1, 1, 2.0, {"loss": 0.25}),
                       ("batch", 3, 0, 1.5, {"loss": 0.625}), ("system", 1, 0, 1.5, {"cpu_percent": 50.0})])
    store.update_run(run_id, status="finished", ended=3.0, final_metrics={"loss": 0.25, "bad": float("nan")})
    [listed] = store.list_runs()
    assert listed["id"] == run_id and listed["name"] == "first" and listed["status"] == "finished"
    assert listed["final_metrics"] == {"loss": 0.25, "bad": None}      # NaN is stored as JSON null
    run = store.get_run(run_id)
    assert run["hyperparameters"] == {"lr": 0.01, "layers": [8, 2]} and run["params"] == {"epochs": 2}
    assert run["summary"] == "Model: x" and run["compile_config"] == {"loss": "mse"} and run["ended"] == 3.0
    assert store.metrics(run_id) == [{"step": 0, "epoch": 0, "time": 1.0, "loss": 0.5, "val_loss": 0.75},
                                     {"step": 1, "epoch": 1, "time": 2.0, "loss": 0.25}]
    assert store.metrics(run_id, after=0) == [{"step": 1, "epoch": 1, "time": 2.0, "loss": 0.25}]
    assert store.metrics(run_id, "batch") == [{"step": 3, "epoch": 0, "time": 1.5, "loss": 0.625}]
    assert store.metrics(run_id, "system")[0]["cpu_percent"] == 50.0


def test_runs_are_listed_newest_first(tmp_path):
    store = RunStore(tmp_path / "runs.db")
    first = store.create_run("a")
    time.sleep(0.01)
    second = store.create_run("b")
    assert [r["id"] for r in store.list_runs()] == [second, first]


def test_a_silent_running_run_is_lost(tmp_path, monkeypatch):
    store = RunStore(tmp_path / "runs.db")
    run_id = store.create_run("quiet", heartbeat_every=0.05)
    assert store.get_run(run_id)["status"] == "running"
    monkeypatch.setattr(store_module, "LOST_AFTER_MIN", 0.1)
    time.sleep(0.25)
    assert store.get_run(run_id)["status"] == "lost" and store.list_runs()[0]["status"] == "lost"
    store.log(run_id, [])                                                  # a heartbeat: alive again
    assert store.get_run(run_id)["status"] == "running"
    store.update_run(run_id, status="finished")
    time.sleep(0.25)
    assert store.get_run(run_id)["status"] == "finished"                  # only running runs get lost


def test_delete_and_csv_export(tmp_path):
    store = RunStore(tmp_path / "runs.db")
    run_id = store.create_run("csv")
    store.log(run_id, [("epoch", 0, 0, 1.0, {"loss": 0.5}), ("epoch", 1, 1, 2.0, {"loss": 0.25, "val_loss": 0.5})])
    path = store.export_csv(run_id, tmp_path / "run.csv")
    with open(path, newline="") as file:
        rows = list(csv.DictReader(file))
    assert list(rows[0]) == ["step", "epoch", "time", "loss", "val_loss"]
    assert [(r["epoch"], float(r["loss"]), r["val_loss"]) for r in rows] == [("0", 0.5, ""), ("1", 0.25, "0.5")]
    store.delete_run(run_id)
    assert store.list_runs() == []
    with pytest.raises(KeyError, match="no run with id"):
        store.delete_run(run_id)
    with pytest.raises(KeyError, match="no run with id"):
        store.metrics(run_id)


def test_bad_input_is_refused(tmp_path):
    with pytest.raises(ValueError, match="must be a database file"):
        RunStore(tmp_path)
    store = RunStore(tmp_path / "runs.db")
    run_id = store.create_run("x")
    with pytest.raises(ValueError, match="`level` must be one of"):
        store.metrics(run_id, "minute")
    with pytest.raises(ValueError, match="`level` must be one of"):
        store.log(run_id, [("minute", 0, 0, 0.0, {})])
    with pytest.raises(ValueError, match="`status` must be one of"):
        store.update_run(run_id, status="lost")
    with pytest.raises(ValueError, match="unknown field"):
        store.update_run(run_id, colour="red")
    with pytest.raises(KeyError):
        store.get_run("nope")


def test_numpy_values_are_stored_as_numbers(tmp_path):
    import numpy as np
    store = RunStore(tmp_path / "runs.db")
    run_id = store.create_run("np", hyperparameters={"lr": np.float32(0.5), "sizes": np.array([8, 2]),
                                                     "bad": np.float32("nan"), "when": object})
    assert store.get_run(run_id)["hyperparameters"] == {"lr": 0.5, "sizes": [8, 2], "bad": None,
                                                        "when": "<class 'object'>"}

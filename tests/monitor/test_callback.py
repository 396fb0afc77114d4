"""Monitor inside fit: what a run records, and how it ends (finished, stopped early, crashed, interrupted)."""
import numpy as np
import pytest

import glassnet as gn
from glassnet.monitor import Monitor, RunStore

from .helpers import data, model


@pytest.fixture
def store(tmp_path):
    return RunStore(tmp_path / "runs.db")


def test_a_finished_run_holds_what_fit_reported(store):
    x, y = data()
    monitor = Monitor(name="mlp", db=store, hyperparameters={"units": 8, "lr": 1e-3}, notify=False, batch_every=2)
    net = model()
    history = net.fit(x, y, epochs=3, batch_size=16, validation_split=0.25, verbose=0, callbacks=[monitor])
    run = store.get_run(monitor.run_id)
    assert run["name"] == "mlp" and run["status"] == "finished" and run["exception"] is None
    assert run["hyperparameters"] == {"units": 8, "lr": 1e-3}
    assert run["params"] == {"verbose": 0, "epochs": 3, "steps": 5}
    assert run["compile_config"] == net.get_compile_config()
    assert 'Model: "sequential' in run["summary"] and "dense" in run["summary"]
    epochs = store.metrics(monitor.run_id)
    assert [row["epoch"] for row in epochs] == [0, 1, 2]
    for name, values in history.history.items():            # the same floats, not approximately
        assert [row[name] for row in epochs] == values
    assert run["final_metrics"] == {name: values[-1] for name, values in history.history.items()}
    batches = store.metrics(monitor.run_id, "batch")          # 5 batches x 3 epochs, every 2nd
    assert [row["step"] for row in batches] == [2, 4, 6, 8, 10, 12, 14]
    assert [row["epoch"] for row in batches] == [0, 0, 1, 1, 1, 2, 2]
    assert set(batches[0]) == {"step", "epoch", "time", "loss", "accuracy"}
    system = store.metrics(monitor.run_id, "system")
    assert system and system[-1]["cpu_percent"] >= 0 and system[-1]["rss_mb"] > 10


def test_early_stopping_marks_the_run_stopped_early(store):
    x, y = data()
    monitor = Monitor(db=store, notify=False)
    stopper = gn.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: setattr(net, "stop_training", epoch == 1))
    net = model()
    net.fit(x, y, epochs=10, batch_size=32, verbose=0, callbacks=[stopper, monitor])
    run = store.get_run(monitor.run_id)
    assert run["status"] == "stopped early" and len(store.metrics(monitor.run_id)) == 2
    assert run["name"].startswith("run-")


def batches_then_failure(x, y):
    """A data pipeline that breaks in the second epoch's first batch."""
    for _ in range(3):
        yield x[:16], y[:16]
    raise OSError("the data disk went away")


def test_a_crash_inside_fit_is_recorded_with_its_traceback(store):
    x, y = data()
    monitor = Monitor(name="crashy", db=store, notify=False)
    with pytest.raises(OSError, match="the data disk went away"):
        model().fit(batches_then_failure(x, y), epochs=5, steps_per_epoch=2, verbose=0, callbacks=[monitor])
    run = store.get_run(monitor.run_id)
    assert run["status"] == "crashed"
    assert run["exception"] == "OSError: the data disk went away"
    assert run["traceback"].startswith("Traceback (most recent call last):")
    assert "batches_then_failure" in run["traceback"] and run["traceback"].rstrip().endswith(run["exception"])
    [epoch] = store.metrics(monitor.run_id)                         # the epoch that completed is kept
    assert run["final_metrics"] == {k: v for k, v in epoch.items() if k not in ("step", "epoch", "time")}
    assert run["ended"] >= run["started"]


def test_ctrl_c_marks_the_run_interrupted(store):
    x, y = data()
    monitor = Monitor(db=store, notify=False)

    def interrupt(batch, logs):
        if batch == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        model().fit(x, y, epochs=2, batch_size=16, verbose=0,
                    callbacks=[monitor, gn.callbacks.LambdaCallback(on_train_batch_end=interrupt)])
    run = store.get_run(monitor.run_id)
    assert run["status"] == "interrupted" and run["exception"] == "KeyboardInterrupt: "


def test_each_fit_is_a_new_run(store):
    x, y = data()
    monitor = Monitor(name="twice", db=store, notify=False)
    net = model()
    net.fit(x, y, epochs=1, verbose=0, callbacks=[monitor])
    first = monitor.run_id
    net.fit(x, y, epochs=1, verbose=0, callbacks=[monitor])
    assert monitor.run_id != first and [r["name"] for r in store.list_runs()] == ["twice", "twice"]


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="batch_every"):
        Monitor(db=tmp_path / "r.db", batch_every=-1)
    with pytest.raises(ValueError, match="flush_every"):
        Monitor(db=tmp_path / "r.db", flush_every=0)
    with pytest.raises(TypeError, match="hyperparameters"):
        Monitor(db=tmp_path / "r.db", hyperparameters=[1, 2])
    with pytest.raises(ValueError, match="format"):
        Monitor(db=tmp_path / "r.db", notify={"webhook": "http://127.0.0.1:9/", "format": "teams"})

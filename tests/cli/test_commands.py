"""glassnet monitor, runs, summary and predict; --help everywhere; `python -m glassnet`; progress in a pipe."""
import os
import subprocess
import sys

import numpy as np
import pytest

import glassnet
from glassnet import cli
from glassnet.cli_train import run

COMMANDS = [["demo"], ["train"], ["monitor"], ["runs"], ["runs", "list"], ["runs", "show"], ["runs", "delete"],
            ["summary"], ["predict"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(command + ["--help"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: glassnet {' '.join(command)}")


def test_top_level_help_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    for name in ("demo", "train", "monitor", "runs", "summary", "predict"):
        assert name in out


@pytest.fixture
def trained(tiny_config, db, tmp_path):
    """A run recorded in the test's database and the saved model file."""
    pytest.importorskip("glassnet.monitor")
    result = run(tiny_config(), out=lambda line: None)
    return result["run_id"], tmp_path / "tiny.glassnet"


def test_runs_list_show_delete(trained, db, capsys):
    run_id, _ = trained
    assert cli.main(["runs", "list", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["ID", "NAME", "STATUS", "STARTED", "FINAL", "METRICS"]
    assert run_id in out and "tiny <digits>" in out and "finished" in out
    assert cli.main(["runs", "show", run_id, "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert f"Run {run_id}: tiny <digits>" in out and "batch_size: 64" in out and "per epoch:" in out
    assert cli.main(["runs", "delete", run_id, "--db", str(db)]) == 0
    assert capsys.readouterr().out.strip() == f"deleted run {run_id}"
    assert cli.main(["runs", "show", run_id, "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err == f"glassnet runs: error: no run with id '{run_id}' in {db}\n"


def test_runs_with_a_missing_database_is_a_usage_error(tmp_path, capsys):
    assert cli.main(["runs", "list", "--db", str(tmp_path / "none.db")]) == 2
    assert "no run database at" in capsys.readouterr().err
    assert cli.main(["runs"]) == 2                                # no action: the runs help
    assert "list" in capsys.readouterr().out


def test_monitor_passes_its_options_to_serve(monkeypatch, tmp_path):
    glassnet_monitor = pytest.importorskip("glassnet.monitor")
    calls = []
    monkeypatch.setattr(glassnet_monitor, "serve", lambda **kwargs: calls.append(kwargs))
    assert cli.main(["monitor", "--port", "0", "--db", str(tmp_path / "r.db"), "--token", "t" * 16]) == 0
    assert calls == [{"host": "127.0.0.1", "port": 0, "db": str(tmp_path / "r.db"), "token": "t" * 16,
                      "open_browser": False}]


def test_monitor_off_loopback_without_token_is_refused(capsys, tmp_path):
    pytest.importorskip("glassnet.monitor")
    assert cli.main(["monitor", "--host", "0.0.0.0", "--port", "0", "--db", str(tmp_path / "r.db")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("glassnet monitor: error: ") and "token" in err and err.count("\n") == 1


def test_summary_and_predict_round_trip(trained, tmp_path, capsys):
    _, model_file = trained
    assert cli.main(["summary", str(model_file)]) == 0
    assert "Total params: 610" in capsys.readouterr().out
    x = np.random.default_rng(0).random((5, 64)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    np.savetxt(tmp_path / "x.csv", x, delimiter=",", fmt="%.9g")
    expected = glassnet.models.load_model(str(model_file)).predict(x, verbose=0)
    assert cli.main(["predict", str(model_file), str(tmp_path / "x.npy"), "--output", str(tmp_path / "p.npy"),
                     "--batch-size", "2"]) == 0
    np.testing.assert_allclose(np.load(tmp_path / "p.npy"), expected, rtol=1e-6, atol=1e-7)
    assert cli.main(["predict", str(model_file), str(tmp_path / "x.csv"), "--output", str(tmp_path / "p.csv")]) == 0
    np.testing.assert_allclose(np.loadtxt(tmp_path / "p.csv", delimiter=","), expected, rtol=1e-6, atol=1e-7)
    capsys.readouterr()
    assert cli.main(["predict", str(model_file), str(tmp_path / "x.csv")]) == 0      # CSV to stdout
    printed = np.loadtxt(capsys.readouterr().out.splitlines(), delimiter=",")
    np.testing.assert_allclose(printed, expected, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("arguments, message", [
    (["summary", "{tmp}/none.glassnet"], "no such model file"),
    (["summary", "{tmp}/x.npy"], "cannot load"),
    (["predict", "{model}", "{tmp}/none.npy"], "no such file"),
    (["predict", "{model}", "{tmp}/x.npy", "--output", "{tmp}/p.txt"], "--output must end in .npy or .csv"),
    (["predict", "{model}", "{tmp}/wrong.npy"], "wrong.npy: "),
])
def test_summary_and_predict_errors(trained, tmp_path, capsys, arguments, message):
    _, model_file = trained
    np.save(tmp_path / "x.npy", np.zeros((2, 64), np.float32))
    np.save(tmp_path / "wrong.npy", np.zeros((2, 5), np.float32))
    argv = [a.replace("{tmp}", str(tmp_path)).replace("{model}", str(model_file)) for a in arguments]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"glassnet {argv[0]}: error: ") and message in err and err.count("\n") == 1


def _python_m_glassnet(arguments, env_extra=None, timeout=120):
    environment = {**os.environ, "PYTHONPATH": os.path.dirname(os.path.dirname(glassnet.__file__)), **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "glassnet", *arguments], capture_output=True, text=True,
                          env=environment, timeout=timeout)


def test_train_through_a_pipe_prints_lines_not_carriage_returns(tiny_config, db):
    """stdout is a pipe, not a terminal: verbose=1 writes whole lines (no `\\r` redraws), one bar line per epoch."""
    pytest.importorskip("glassnet.monitor")
    config = tiny_config(**{"epochs = 1": "epochs = 3", "verbose = 0": "verbose = 1",
                            "batch_size = 64": "batch_size = 8"})
    completed = _python_m_glassnet(["train", str(config)])
    assert completed.returncode == 0, completed.stderr
    assert "\r" not in completed.stdout
    bar_lines = [line for line in completed.stdout.splitlines() if "/144 " in line]
    assert len(bar_lines) == 3 and all("━" in line or "=" in line for line in bar_lines)   # one per epoch
    assert [line for line in completed.stdout.splitlines() if line.startswith("Epoch ")] == \
        ["Epoch 1/3", "Epoch 2/3", "Epoch 3/3"]
    assert "recorded in" in completed.stdout


def test_a_usage_error_through_python_dash_m(tmp_path):
    completed = _python_m_glassnet(["summary", str(tmp_path / "none.glassnet")])
    assert completed.returncode == 2
    assert completed.stderr == f"glassnet summary: error: no such model file: '{tmp_path / 'none.glassnet'}'\n"


def test_progress_bar_in_a_file_writes_whole_lines_not_redraws():
    """Keras issue #13716: 10,000 quick steps to a non-terminal stream give one final line, no `\\r`."""
    import io

    from glassnet.callbacks import Progbar

    stream = io.StringIO()                                       # isatty() is False
    bar = Progbar(10_000, stream=stream)
    for step in range(1, 10_001):
        bar.update(step, [("loss", 1.0 / step)])
    text = stream.getvalue()
    assert "\r" not in text and text.count("\n") == 1 and text.startswith("10000/10000 ")


def test_glassnet_monitor_serves_the_dashboard_until_ctrl_c(tmp_path):
    import re
    import signal
    import urllib.request

    pytest.importorskip("glassnet.monitor")
    environment = {**os.environ, "PYTHONPATH": os.path.dirname(os.path.dirname(glassnet.__file__))}
    process = subprocess.Popen([sys.executable, "-m", "glassnet", "monitor", "--port", "0", "--db",
                                str(tmp_path / "runs.db")], stderr=subprocess.PIPE, text=True, env=environment)
    try:
        line = process.stderr.readline()                         # "glassnet monitor: serving ... at http://..."
        url = re.search(r"http://127\.0\.0\.1:\d+/?", line).group(0)
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200 and b"<html" in response.read().lower()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

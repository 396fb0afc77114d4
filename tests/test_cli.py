"""The command line: help, version, and both demos (run short)."""
import os
import subprocess
import sys

import pytest

import glassnet
from glassnet import cli, demo


def test_help_lists_the_subcommands(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--help"])
    assert exit_info.value.code == 0
    assert "demo" in capsys.readouterr().out


def test_version(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--version"])
    assert capsys.readouterr().out.strip() == f"glassnet {glassnet.__version__}"


def test_no_command_prints_help(capsys):
    assert cli.main([]) == 2
    assert "usage" in capsys.readouterr().out


def test_bad_arguments_exit_with_an_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["demo", "--epochs", "0"])
    assert exit_info.value.code == 2
    assert "--epochs" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["demo", "--verbose", "7"])


def test_demo_trains_prints_accuracy_and_saves_the_plot(tmp_path, capsys):
    assert cli.main(["demo", "--epochs", "3", "--verbose", "0", "--output-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Test accuracy:" in out and "Total params: 4,810" in out
    path = tmp_path / "digits_mlp_history.png"
    assert path.exists() and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert str(path) in out


def test_low_level_demo_loss_goes_down():
    result = demo.run_low_level(epochs=3)
    assert result["losses"][-1] < result["losses"][0]
    assert 0.0 <= result["test_accuracy"] <= 1.0


def test_python_dash_m_runs_the_cli():
    environment = {**os.environ, "PYTHONPATH": os.path.dirname(os.path.dirname(glassnet.__file__))}
    completed = subprocess.run([sys.executable, "-m", "glassnet", "--version"], capture_output=True, text=True,
                               env=environment, timeout=60)
    assert completed.returncode == 0 and completed.stdout.strip() == f"glassnet {glassnet.__version__}"

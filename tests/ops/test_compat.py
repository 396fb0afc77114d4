"""python -m glassnet.compat: the name-coverage report, with and without Keras installed."""
import json
import subprocess
import sys

import pytest

from glassnet import compat


@pytest.fixture
def no_keras(monkeypatch):
    """Make ``import keras`` fail, as on a machine without Keras."""
    monkeypatch.setitem(sys.modules, "keras", None)


def test_report_runs_without_keras_from_the_snapshot(no_keras, capsys):
    assert compat.main([]) == 0
    text = capsys.readouterr().out
    assert "snapshot compat_keras_names.json" in text
    for label in ("keras (top level)", "keras.ops", "keras.layers", "keras.utils", "keras.backend"):
        assert label in text
    result = compat.report()
    assert result["source"].startswith("snapshot")
    assert set(result["namespaces"]) == set(compat.NAMESPACES)


def test_ops_coverage_counts():
    result = compat.report(prefer_live=False, namespaces=["ops"])
    ops = result["namespaces"]["ops"]
    assert len(ops["present"]) + len(ops["absent"]) == 341          # Keras 3.15's keras.ops
    assert len(ops["present"]) >= 220
    for name in ("shape", "take_along_axis", "scatter", "einsum", "dot_product_attention", "while_loop", "top_k"):
        assert name in ops["present"]
    assert set(ops["present"]).isdisjoint(ops["absent"])


def test_snapshot_layout():
    data = json.loads(compat.SNAPSHOT.read_text())
    assert data["keras_version"].startswith("3.15")
    assert set(data["names"]) == set(compat.NAMESPACES)
    assert all(names == sorted(names) for names in data["names"].values())


def test_json_namespace_choice_and_errors(capsys):
    assert compat.main(["--no-keras", "--json", "ops", "top"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result["namespaces"]) == {"ops", ""}
    assert compat.main(["--no-keras", "--present", "models"]) == 0
    assert "present (" in capsys.readouterr().out
    assert compat.main(["--no-keras", "nonsense"]) == 2
    assert "unknown namespace" in capsys.readouterr().err


def test_snapshot_needs_keras(no_keras, capsys):
    assert compat.main(["--snapshot"]) == 2
    assert "needs keras" in capsys.readouterr().err


def test_python_dash_m_runs():
    done = subprocess.run([sys.executable, "-m", "glassnet.compat", "--no-keras", "ops"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "keras.ops" in done.stdout and "of 341" in done.stdout


def test_live_names_match_the_snapshot():
    """Where Keras is importable, the committed snapshot is what Keras lists (regenerate with --snapshot)."""
    pytest.importorskip("keras")
    live = compat.keras_names_live()
    if live["keras_version"] != compat.keras_names_snapshot()["keras_version"]:
        pytest.skip(f"installed Keras {live['keras_version']} is not the snapshot's version")
    assert live == compat.keras_names_snapshot()

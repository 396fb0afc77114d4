"""Without the tensorboard package, TensorBoard files fail with an ImportError that names the extra."""
import sys

import pytest

import glassnet as gn
from glassnet.monitor import RunStore


def test_without_tensorboard_the_error_names_the_extra(monkeypatch, tmp_path):
    for name in [m for m in sys.modules if m == "tensorboard" or m.startswith("tensorboard.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "tensorboard", None)
    with pytest.raises(ImportError, match=r"glassnet\[monitor\]"):
        gn.callbacks.TensorBoard(tmp_path)
    store = RunStore(tmp_path / "runs.db")
    with pytest.raises(ImportError, match=r"pip install tensorboard"):
        store.export_tensorboard(store.create_run("x"), tmp_path / "tb")

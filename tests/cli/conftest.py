import textwrap

import pytest

TINY = """
    name = "tiny <digits>"
    seed = 0
    [data]
    dataset = "digits"
    validation_split = 0.2
    [model]
    layers = [
      { class = "Dense", units = 8, activation = "relu" },
      { class = "Dense", units = 10, activation = "softmax" },
    ]
    [compile]
    optimizer = { class = "Adam", learning_rate = 0.01 }
    loss = "sparse_categorical_crossentropy"
    metrics = ["accuracy"]
    [fit]
    epochs = 1
    batch_size = 64
    verbose = 0
    [output]
    model = "{out}"
"""


@pytest.fixture
def tiny_config(tmp_path):
    """``tiny_config(extra="")``: write the tiny digits config (plus ``extra`` TOML) and return its path."""
    def write(extra: str = "", **replace):
        text = textwrap.dedent(TINY).replace("{out}", str(tmp_path / "tiny.glassnet"))
        for old, new in replace.items():
            text = text.replace(old, new)
        path = tmp_path / "tiny.toml"
        path.write_text(text + textwrap.dedent(extra))
        return path
    return write


@pytest.fixture
def db(tmp_path, monkeypatch):
    """A fresh monitor database for the test (also $GLASSNET_MONITOR_DB, so nothing reaches ~/.glassnet)."""
    path = tmp_path / "runs.db"
    monkeypatch.setenv("GLASSNET_MONITOR_DB", str(path))
    return path

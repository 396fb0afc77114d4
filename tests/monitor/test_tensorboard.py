"""TensorBoard event files (the callback and the run store's export), read back with tensorboard's own reader."""
import numpy as np
import pytest

import glassnet as gn
from glassnet.monitor import Monitor, RunStore

from .helpers import data, model

event_accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator",
                                        reason="tensorboard is not installed (pip install 'glassnet[monitor]')")
from tensorboard.util import tensor_util  # noqa: E402


def read(folder):
    """{tag: [(step, value)]} of every tensor summary in an event folder, and the accumulator."""
    reader = event_accumulator.EventAccumulator(str(folder), size_guidance={"tensors": 0})
    reader.Reload()
    return {tag: [(e.step, tensor_util.make_ndarray(e.tensor_proto)) for e in reader.Tensors(tag)]
            for tag in reader.Tags()["tensors"]}, reader


def test_the_callback_writes_keras_tags(tmp_path):
    x, y = data()
    net = model()
    callback = gn.callbacks.TensorBoard(tmp_path / "logs", histogram_freq=2, update_freq=3)
    history = net.fit(x, y, epochs=3, batch_size=16, validation_split=0.25, verbose=0, callbacks=[callback])
    train, reader = read(tmp_path / "logs" / "train")
    validation, _ = read(tmp_path / "logs" / "validation")
    for name in ("loss", "accuracy"):    # float32 in the event file: equal to 1e-7 relative
        np.testing.assert_allclose([v for _, v in train[f"epoch_{name}"]], history.history[name], rtol=1e-7)
        np.testing.assert_allclose([v for _, v in validation[f"epoch_{name}"]], history.history[f"val_{name}"],
                                   rtol=1e-7)
        assert [s for s, _ in train[f"epoch_{name}"]] == [0, 1, 2]
    assert [s for s, _ in train["batch_loss"]] == [3, 6, 9, 12, 15]        # 5 batches x 3 epochs, every 3rd
    assert [float(v) for _, v in train["epoch_learning_rate"]] == pytest.approx([1e-3] * 3, rel=1e-7)
    kernel = net.layers[0].weights[0]
    steps, histogram = zip(*train[f"{kernel.path}/histogram"])
    assert steps == (0, 2)                                                 # epochs 0 and 2
    counts = histogram[-1][:, 2]                                           # (left, right, count) buckets
    assert counts.sum() == kernel.numpy().size and histogram[-1][0, 0] == pytest.approx(kernel.numpy().min())
    graph = reader.Graph()
    first, second = (layer.name for layer in net.layers)
    assert [(n.name, n.op, list(n.input)) for n in graph.node] == [(first, "Dense", []), (second, "Dense", [first])]
    assert "keras" in train


def test_a_functional_graph(tmp_path):
    inputs = gn.layers.Input((4,), name="x")
    left, right = gn.layers.Dense(3, name="left")(inputs), gn.layers.Dense(3, name="right")(inputs)
    net = gn.Model(inputs, gn.layers.Add(name="sum")([left, right]))
    net.compile(optimizer="sgd", loss="mse")
    net.fit(np.ones((8, 4), "float32"), np.zeros((8, 3), "float32"), verbose=0,
            callbacks=[gn.callbacks.TensorBoard(tmp_path)])
    _, reader = read(tmp_path / "train")
    nodes = {n.name: (n.op, list(n.input)) for n in reader.Graph().node}
    assert nodes == {"x": ("InputLayer", []), "left": ("Dense", ["x"]), "right": ("Dense", ["x"]),
                     "sum": ("Add", ["left", "right"])}


def test_export_of_a_recorded_run(tmp_path):
    x, y = data()
    store = RunStore(tmp_path / "runs.db")
    monitor = Monitor(db=store, notify=False, batch_every=5, hyperparameters={"units": 8})
    history = model().fit(x, y, epochs=2, batch_size=16, validation_split=0.25, verbose=0, callbacks=[monitor])
    store.export_tensorboard(monitor.run_id, tmp_path / "tb")
    train, _ = read(tmp_path / "tb" / "train")
    validation, _ = read(tmp_path / "tb" / "validation")
    np.testing.assert_allclose([v for _, v in train["epoch_loss"]], history.history["loss"], rtol=1e-7)
    np.testing.assert_allclose([v for _, v in validation["epoch_accuracy"]], history.history["val_accuracy"], rtol=1e-7)
    assert [s for s, _ in train["batch_loss"]] == [5, 10]
    assert train["hyperparameters"][0][1].item() == b'{"units": 8}'


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="update_freq"):
        gn.callbacks.TensorBoard(tmp_path, update_freq="minute")
    with pytest.raises(ValueError, match="histogram_freq"):
        gn.callbacks.TensorBoard(tmp_path, histogram_freq=-1)
    with pytest.raises(ValueError, match="profile_batch"):
        gn.callbacks.TensorBoard(tmp_path, profile_batch=(10, 20))

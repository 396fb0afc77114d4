"""Files written by Keras 3 load in glassnet (without Keras) and predict what Keras predicted.

The fixtures (tests/interop/fixtures/NAME.keras and NAME.npz) were written by Keras 3.15.1
with make_keras_fixtures.py; the .npz holds inputs and Keras's outputs for them. Keras is
made unimportable for these tests, so they prove the loader needs only h5py.
"""
import json
import sys
import zipfile

import numpy as np
import pytest

pytest.importorskip("h5py")

from glassnet.saving import load_model, load_weights, save_weights  # noqa: E402

from .helpers import ATOL, NAMES, fixture, inputs_and_outputs, members, predict  # noqa: E402


@pytest.fixture(autouse=True)
def no_keras(monkeypatch):
    """``import keras`` fails inside these tests (a None entry in sys.modules blocks the import)."""
    for name in [m for m in sys.modules if m == "keras" or m.startswith("keras.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "keras", None)


@pytest.mark.parametrize("name", NAMES)
def test_keras_file_predicts_as_keras_did(name):
    model = load_model(fixture(name))
    xs, ys = inputs_and_outputs(name)
    outputs = predict(model, xs)
    assert len(outputs) == len(ys)
    for out, expected in zip(outputs, ys):
        assert out.shape == expected.shape
        np.testing.assert_allclose(out, expected, atol=ATOL, rtol=0)


def test_masked_padding_is_honoured():
    """rnn.npz has padded rows: glassnet's implicit mask (Keras's NotEqual node dropped) agrees."""
    xs, ys = inputs_and_outputs("rnn")
    assert (xs[0] == 0).any()
    config = json.loads(members(fixture("rnn"))["config.json"])
    assert "NotEqual" in [layer["class_name"] for layer in config["config"]["layers"]]
    model = load_model(fixture("rnn"))
    unmasked = xs[0].copy()
    unmasked[unmasked == 0] = 1
    assert not np.allclose(predict(model, [unmasked])[0], ys[0], atol=1e-3)   # the mask matters here


def test_compile_settings_and_optimizer_state_are_restored():
    model = load_model(fixture("mlp"))
    assert type(model.optimizer).__name__ == "Adam"
    assert model.optimizer.learning_rate == pytest.approx(0.01)
    assert model.optimizer.iterations == 8            # 2 epochs of 4 batches in Keras
    state = model.optimizer.variables()
    assert any(np.abs(a).sum() > 0 for a in state[1:])   # Keras's m and v, not fresh zeros
    xs, _ = inputs_and_outputs("mlp")
    model.fit(xs[0], np.array([0, 1, 2, 0, 1, 2]), epochs=1, verbose=0)   # training continues
    assert model.optimizer.iterations == 9
    rms = load_model(fixture("multi_io"))
    assert type(rms.optimizer).__name__ == "RMSprop" and rms.optimizer.iterations == 4


def test_compile_false_gives_an_uncompiled_model():
    model = load_model(fixture("mlp"), compile=False)
    assert getattr(model, "optimizer", None) is None


def test_batch_norm_moving_statistics_come_from_the_file():
    model = load_model(fixture("mlp"))
    bn = next(layer for layer in model.layers if type(layer).__name__ == "BatchNormalization")
    import h5py
    with zipfile.ZipFile(fixture("mlp")) as archive, archive.open("model.weights.h5") as raw:
        import io
        with h5py.File(io.BytesIO(raw.read()), "r") as h5:
            np.testing.assert_array_equal(bn.weights[2].data, h5["layers/batch_normalization/vars/2"][()])


@pytest.mark.parametrize("name", NAMES)
def test_glassnet_rewrites_a_keras_file_and_reads_it_back(name, tmp_path):
    model = load_model(fixture(name))
    path = tmp_path / f"{name}.keras"
    model.save(path)
    assert sorted(members(path)) == ["config.json", "metadata.json", "model.weights.h5"]
    again = load_model(path)
    xs, ys = inputs_and_outputs(name)
    for a, b in zip(predict(again, xs), predict(model, xs)):
        np.testing.assert_array_equal(a, b)
    if getattr(model, "optimizer", None) is not None:
        assert again.optimizer.iterations == model.optimizer.iterations


def test_weights_h5_round_trip(tmp_path):
    model = load_model(fixture("transformer"))
    path = tmp_path / "t.weights.h5"
    model.save_weights(path)
    other = load_model(fixture("transformer"))
    for w in other.weights:
        w.assign(np.zeros(w.shape, dtype=w.dtype))
    load_weights(other, path)
    for a, b in zip(other.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
    save_weights(other, tmp_path / "u.weights.h5")
    xs, ys = inputs_and_outputs("transformer")
    np.testing.assert_allclose(predict(other, xs)[0], ys[0], atol=ATOL, rtol=0)


def _h5_tree(path) -> tuple:
    """``({dataset path: (shape, dtype)}, {vars group: name attribute})`` of a .keras file's weights."""
    import io

    import h5py
    datasets, names = {}, {}

    def visit(name, item):
        if isinstance(item, h5py.Dataset):
            datasets[name] = (item.shape, item.dtype.str)
        elif name.endswith("vars"):
            names[name] = item.attrs.get("name")

    with h5py.File(io.BytesIO(members(path)["model.weights.h5"]), "r") as h5:
        h5.visititems(visit)
    return datasets, names


@pytest.mark.parametrize("name", NAMES)
def test_glassnet_writes_keras_layout_exactly(name, tmp_path):
    """Same datasets (path, shape, dtype) and group names as the file Keras wrote; Keras's
    MultiHeadAttention also writes two empty groups (its dropout and softmax) glassnet has no
    layers for — they hold nothing."""
    model = load_model(fixture(name))
    model.save(tmp_path / "m.keras")
    keras_datasets, keras_names = _h5_tree(fixture(name))
    our_datasets, our_names = _h5_tree(tmp_path / "m.keras")
    assert our_datasets == keras_datasets
    internal = ("multi_head_attention/_dropout_layer/vars", "multi_head_attention/_softmax/vars")
    assert our_names == {k: v for k, v in keras_names.items() if not k.endswith(internal)}


def test_loading_leaves_the_random_stream_where_it_was(tmp_path):
    """Building a model draws initial weights; a load (good or failed) puts the stream back."""
    import glassnet as gn

    from .helpers import with_member

    config = json.loads(members(fixture("mlp"))["config.json"])
    config["config"]["layers"][1]["config"]["units"] = 17      # builds, then the weights do not fit
    bad = with_member(tmp_path / "bad.keras", fixture("mlp"), "config.json", json.dumps(config).encode())
    gn.utils.set_random_seed(7)
    expected = gn.backend.rng().random(3)
    gn.utils.set_random_seed(7)
    load_model(fixture("transformer"))
    with pytest.raises(ValueError, match="has shape"):
        load_model(bad)
    np.testing.assert_array_equal(gn.backend.rng().random(3), expected)


def test_keras_op_nodes_load_as_glassnet_ops(tmp_path):
    # ops_graph.keras: Keras wrote x + y, x[..., 1:], x[:, None, 0], ops.mean(axis, keepdims),
    # ops.concatenate, ops.transpose, 2.0 * ops.expand_dims(x, -1) - 1 as op nodes of its graph
    from glassnet.layers import OpLayer

    model = load_model(fixture("ops_graph"))
    xs, ys = inputs_and_outputs("ops_graph")
    for out, expected in zip(predict(model, xs), ys, strict=True):
        np.testing.assert_allclose(out, expected, atol=ATOL, rtol=0)
    functions = {layer.function for layer in model.layers if isinstance(layer, OpLayer)}
    assert functions == {"add", "getitem", "mean", "concatenate", "transpose", "expand_dims", "multiply",
                         "subtract"}
    model.save(tmp_path / "ops.glassnet")                # and glassnet's own format keeps them
    for a, b in zip(predict(load_model(tmp_path / "ops.glassnet"), xs), predict(model, xs)):
        np.testing.assert_array_equal(a, b)

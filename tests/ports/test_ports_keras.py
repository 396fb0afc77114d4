"""The same program sources under Keras 3 itself (PyTorch backend): the models they build
have the same parameter counts and weight shapes as under glassnet, and the cheap ones
train under Keras too (so the programs are real Keras programs). Skipped without keras."""
import importlib
import os
import types

import numpy as np
import pytest

keras = pytest.importorskip("keras")
pytest.importorskip("torch")

PROGRAMS = ["mlp_classifier", "cnn_images", "custom_layer_ops", "custom_train_step", "rnn_text_classification",
            "seq2seq_lstm", "transformer_block", "conv_autoencoder", "callbacks_class_weights", "functional_multi_io",
            "timeseries_gru", "segmentation_unet", "next_frame_convlstm", "timeseries_transformer"]


def keras_version_of(name: str) -> types.ModuleType:
    """The program ``name`` with its glassnet imports turned back into Keras's."""
    path = os.path.join(os.path.dirname(__file__), "programs", f"{name}.py")
    source = open(path, encoding="utf-8").read()
    assert "import glassnet as keras" in source
    source = source.replace("import glassnet as keras", "import keras").replace("from glassnet import", "from keras import")
    assert "glassnet" not in source.replace("glassnet's", "").replace("(glassnet", ""), name
    module = types.ModuleType(f"keras_port_{name}")
    module.__file__ = path
    exec(compile(source, path, "exec"), module.__dict__)
    return module


def _shapes(model) -> list:
    return sorted(tuple(int(d) for d in w.shape) for w in model.weights)


@pytest.mark.parametrize("name", PROGRAMS)
def test_same_architecture_under_keras(name):
    ours = importlib.import_module(name).build_model()
    theirs = keras_version_of(name).build_model()
    assert ours.count_params() == theirs.count_params(), name
    assert _shapes(ours) == _shapes(theirs), name


@pytest.mark.parametrize("name", ["custom_layer_ops", "next_frame_convlstm", "timeseries_transformer"])
def test_the_program_learns_under_keras_too(name):
    ours = importlib.import_module(name).main()
    theirs = keras_version_of(name).main()
    for result in (ours, theirs):
        assert result["loss"][-1] < 0.2 * result["loss"][0]
    if "test_accuracy" in ours:
        assert ours["test_accuracy"] > 0.9 and theirs["test_accuracy"] > 0.9
    if "hit_rate" in ours:
        assert ours["hit_rate"] > 0.9 and theirs["hit_rate"] > 0.9
    assert np.isfinite(theirs["loss"]).all()

"""Keras's smaller helpers: utils.Config, get_file (never downloading), interactive logging,
get_source_inputs, the dtype helpers of glassnet.backend, and keras.saving's names."""
import io
import logging
import os
import tarfile
import zipfile

import numpy as np
import pytest

import glassnet as gn
from glassnet import backend, utils
from glassnet.utils.file_utils import hash_file


# --- Config ---------------------------------------------------------------------------------
def test_config_reads_and_writes_as_attributes_and_items_and_freezes():
    config = utils.Config(learning_rate=0.1, momentum=0.9)
    config.seed = 123
    config["units"] = 4
    assert config.seed == 123 and config["learning_rate"] == 0.1 and config.get("nope", 7) == 7
    assert list(config) == ["learning_rate", "momentum", "seed", "units"]          # sorted, as Keras
    assert config.as_dict() == {"learning_rate": 0.1, "momentum": 0.9, "seed": 123, "units": 4}
    assert config.to_json() == '{"learning_rate": 0.1, "momentum": 0.9, "seed": 123, "units": 4}'
    config.freeze()
    assert config.frozen
    for change in (lambda: setattr(config, "seed", 1), lambda: config.__setitem__("x", 1),
                   lambda: config.pop("seed"), lambda: config.update(seed=2)):
        with pytest.raises(ValueError, match="frozen"):
            change()
    config.unfreeze()
    config.seed = 5
    assert config.seed == 5
    with pytest.raises(AttributeError, match="Did you mean 'momentum'"):
        config.momentun


# --- get_file -------------------------------------------------------------------------------
def _cache(tmp_path):
    return str(tmp_path / "cache")


def test_get_file_copies_a_local_origin_into_keras_cache_layout(tmp_path):
    source = tmp_path / "data.csv"
    source.write_text("a,b\n1,2\n")
    path = utils.get_file(origin=str(source), cache_dir=_cache(tmp_path))
    assert path == os.path.join(_cache(tmp_path), "datasets", "data.csv")
    assert open(path).read() == "a,b\n1,2\n"
    # a file:// URL and a sha256 that matches
    digest = hash_file(source)
    again = utils.get_file("copy.csv", origin=source.as_uri(), file_hash=digest, cache_dir=_cache(tmp_path))
    assert open(again).read() == "a,b\n1,2\n"
    with pytest.raises(ValueError, match="does not have the"):
        utils.get_file("bad.csv", origin=str(source), file_hash="0" * 64, cache_dir=_cache(tmp_path))
    assert not os.path.exists(os.path.join(_cache(tmp_path), "datasets", "bad.csv"))


def test_get_file_never_downloads_but_finds_what_is_cached(tmp_path):
    url = "https://example.com/files/mnist.npz"
    with pytest.raises(ValueError, match="never downloads.*mnist.npz"):
        utils.get_file("mnist.npz", origin=url, cache_dir=_cache(tmp_path))
    cached = tmp_path / "cache" / "datasets" / "mnist.npz"
    cached.write_bytes(b"x")
    assert utils.get_file("mnist.npz", origin=url, cache_dir=_cache(tmp_path)) == str(cached)
    with pytest.raises(ValueError, match="never downloads"):           # cached but stale
        utils.get_file("mnist.npz", origin=url, file_hash="0" * 32, cache_dir=_cache(tmp_path))
    with pytest.raises(ValueError, match="origin"):
        utils.get_file("x")
    with pytest.raises(ValueError, match="not a path"):
        utils.get_file("a/b.txt", origin=url, cache_dir=_cache(tmp_path))


def test_get_file_extracts_tar_and_zip_as_keras_3_and_refuses_escaping_members(tmp_path):
    tar_path = tmp_path / "pack.tar.gz"
    with tarfile.open(tar_path, "w:gz") as archive:
        data = b"hello"
        info = tarfile.TarInfo("pack/readme.txt")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    folder = utils.get_file("pack.tar.gz", origin=str(tar_path), extract=True, cache_dir=_cache(tmp_path))
    assert folder == os.path.join(_cache(tmp_path), "datasets", "pack_extracted")
    assert open(os.path.join(folder, "pack", "readme.txt")).read() == "hello"
    zip_path = tmp_path / "evil.zip"
    with zipfile.ZipFile(zip_path, "w") as archive:
        archive.writestr("../outside.txt", "no")
    with pytest.raises(ValueError, match="outside"):
        utils.get_file("evil.zip", origin=str(zip_path), extract=True, cache_dir=_cache(tmp_path))
    assert not (tmp_path / "cache" / "datasets" / "outside.txt").exists()


# --- interactive logging ----------------------------------------------------------------------
def test_progress_goes_to_the_logger_while_interactive_logging_is_off(caplog, capsys):
    x, y = np.random.default_rng(0).normal(size=(16, 3)), np.arange(16) % 2
    model = gn.Sequential([gn.Input((3,)), gn.layers.Dense(2, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy")
    assert utils.is_interactive_logging_enabled() and gn.config.is_interactive_logging_enabled()
    utils.disable_interactive_logging()
    try:
        with caplog.at_level(logging.INFO, logger="glassnet"):
            model.fit(x, y, epochs=2, batch_size=8, verbose=1)
    finally:
        utils.enable_interactive_logging()
    assert capsys.readouterr().out == ""
    lines = [r.getMessage() for r in caplog.records if r.name == "glassnet"]
    assert any(line.startswith("Epoch 1/2") for line in lines) and any("loss" in line for line in lines)
    assert not any("\r" in line for line in lines)
    model.fit(x, y, epochs=1, batch_size=8, verbose=2)
    assert "Epoch 1/1" in capsys.readouterr().out


# --- functional graph helpers -----------------------------------------------------------------
def test_get_source_inputs_and_is_keras_tensor():
    a, b = gn.Input((3,), name="a"), gn.Input((2,), name="b")
    out = gn.layers.Concatenate()([gn.layers.Dense(2)(a), b])
    assert utils.get_source_inputs(out) == [a, b] and utils.get_source_inputs(a) == [a]
    assert utils.is_keras_tensor(out) and not utils.is_keras_tensor(np.ones(2))
    with pytest.raises(ValueError, match="symbolic tensor"):
        utils.get_source_inputs(np.ones(2))


# --- dtype helpers ----------------------------------------------------------------------------
def test_standardize_dtype_and_its_predicates():
    assert backend.standardize_dtype(None) == backend.floatx()
    assert [backend.standardize_dtype(d) for d in (float, int, bool, np.int64, "uint8", np.dtype("float16"))] == \
        ["float32", "int32", "bool", "int64", "uint8", "float16"]
    assert utils.standardize_dtype("string") == "string"
    for bad in ("foo", "bfloat16", object):
        with pytest.raises(ValueError, match="Invalid dtype"):
            backend.standardize_dtype(bad)
    assert backend.is_float_dtype("float16") and not backend.is_float_dtype("int8")
    assert backend.is_int_dtype("uint16") and not backend.is_int_dtype(bool)


def test_result_type_promotes_as_glassnet_ops_do():
    assert backend.result_type("int32", "float32") == "float32"
    assert backend.result_type("int32", float) == "float32"          # a Python float is weak
    assert backend.result_type("uint8", int) == "uint8"              # so is a Python int
    assert backend.result_type("int64", "float16") == "float16"      # floats win
    assert backend.result_type("int8", "uint8") == "int16" and backend.result_type("bool", "int8") == "int8"
    assert backend.result_type("float64", "float32") == "float64"
    i32 = gn.ops.ones(2, dtype="int32")
    assert backend.result_type(i32, 1.5) == gn.ops.multiply(i32, 1.5).dtype.name == "float32"


def test_get_uid_shares_the_automatic_layer_names_counter():
    gn.backend.clear_session()
    assert gn.layers.Dense(1).name == "dense"
    assert backend.get_uid("dense") == 2
    assert gn.layers.Dense(1).name == "dense_2"
    assert backend.get_uid("other") == 1 and backend.get_uid("other") == 2
    gn.backend.clear_session()
    assert backend.get_uid("other") == 1
    assert backend.backend() == gn.config.backend() == "numpy"


def test_saving_has_keras_serialization_names():
    for name in ("register_keras_serializable", "custom_object_scope", "CustomObjectScope", "get_custom_objects",
                 "get_registered_name", "get_registered_object", "serialize_keras_object",
                 "deserialize_keras_object"):
        assert getattr(gn.saving, name) is getattr(gn.utils, name)
    gn.config.enable_unsafe_deserialization()      # accepted; glassnet never runs code from a file anyway


# --- caps on training runs (keras.config.set_max_epochs / set_max_steps_per_epoch) ---------------
def test_max_epochs_and_steps_cap_fit_evaluate_and_predict():
    x, y = np.random.default_rng(0).normal(size=(40, 3)), np.arange(40) % 2
    model = gn.Sequential([gn.Input((3,)), gn.layers.Dense(2, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy")
    assert gn.config.max_epochs() is None and gn.config.max_steps_per_epoch() is None
    gn.config.set_max_epochs(2)
    gn.config.set_max_steps_per_epoch(3)
    try:
        counts = []
        counter = gn.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: counts.append(batch))
        with pytest.warns(UserWarning, match="Limiting epochs to 2"):
            history = model.fit(x, y, epochs=10, batch_size=4, verbose=0, callbacks=[counter])
        assert len(history.history["loss"]) == 2 and counts == [0, 1, 2, 0, 1, 2]      # 10 batches → 3 an epoch
        with pytest.warns(UserWarning, match="Limiting steps to 3"):
            assert model.predict(x, batch_size=4, verbose=0).shape == (12, 2)
        model.fit(x, y, epochs=1, batch_size=20, verbose=0)                               # 2 batches: no cap needed
    finally:
        gn.config.set_max_epochs(None)
        gn.config.set_max_steps_per_epoch(None)
    assert len(model.fit(x, y, epochs=3, verbose=0).history["loss"]) == 3
    for bad in (0, -1, 2.5, True, "3"):
        with pytest.raises(ValueError, match="positive int"):
            gn.config.set_max_epochs(bad)

"""Corrupt, truncated, foreign or malicious files: clear errors, nothing run, nothing changed."""
import json
import os
import sys
import zipfile

import numpy as np
import pytest

from glassnet import backend
from glassnet.models import load_model
from glassnet.saving import file_format, load_weights, save_model, save_weights

from .helpers import mlp, trained_mlp


@pytest.fixture
def saved(tmp_path):
    model, x, y = trained_mlp()
    path = tmp_path / "m.glassnet"
    model.save(path)
    return model, path


def rewrite(path, **changes):
    """Copy a model file with some entries replaced (bytes, a dict for JSON) or removed (None)."""
    entries = dict((name, zipfile.ZipFile(path).read(name)) for name in zipfile.ZipFile(path).namelist())
    for name, value in changes.items():
        name = name.replace("__", ".")
        if value is None:
            entries.pop(name)
        else:
            entries[name] = json.dumps(value).encode() if isinstance(value, dict) else value
    out = path.with_name("edited.glassnet")
    file_format.write_archive(str(out), entries)
    return out


def config_of(path):
    return json.loads(zipfile.ZipFile(path).read("config.json"))


def test_unregistered_class_name_is_refused(saved):
    _, path = saved
    config = config_of(path)
    config["config"]["layers"][1]["class_name"] = "NoSuchLayer"
    with pytest.raises(ValueError, match="unknown layer class 'NoSuchLayer'.*register_serializable"):
        load_model(rewrite(path, config__json=config))
    config = config_of(path)
    config["class_name"] = "os.system"
    with pytest.raises(ValueError, match=r"edited\.glassnet'.*unknown class 'os\.system'.*never imports"):
        load_model(rewrite(path, config__json=config))


def test_no_code_named_in_a_file_is_imported(saved, tmp_path, monkeypatch):
    """A module on the path that would leave a trace if imported; a file naming it fails cleanly."""
    _, path = saved
    trace = tmp_path / "imported.txt"
    (tmp_path / "glassnet_evil_module.py").write_text(f"open({str(trace)!r}, 'w').write('ran')\n"
                                                      "class Evil:\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for where in ("model", "layer"):
        config = config_of(path)
        target = config if where == "model" else config["config"]["layers"][1]
        target.update(module="glassnet_evil_module", class_name="glassnet_evil_module.Evil",
                      registered_name="glassnet_evil_module.Evil")
        with pytest.raises(ValueError, match="glassnet_evil_module.Evil"):
            load_model(rewrite(path, config__json=config))
    assert not trace.exists() and "glassnet_evil_module" not in sys.modules


def test_random_bytes_are_not_a_model_file(tmp_path):
    path = tmp_path / "junk.glassnet"
    path.write_bytes(os.urandom(2000))
    with pytest.raises(ValueError, match=r"junk\.glassnet'.*not a glassnet model file, or corrupt or truncated"):
        load_model(path)


def test_truncated_file(saved):
    _, path = saved
    data = path.read_bytes()
    truncated = path.with_name("cut.glassnet")
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=r"cut\.glassnet'.*corrupt or truncated \(no zip end record"):
        load_model(truncated)


def test_every_truncation_is_caught(saved):
    _, path = saved
    data = path.read_bytes()
    cut = path.with_name("cut.glassnet")
    for size in list(range(0, len(data), max(len(data) // 40, 1))) + [len(data) - 1]:
        cut.write_bytes(data[:size])
        with pytest.raises(ValueError, match="corrupt or truncated"):
            load_model(cut)


def test_flipped_byte_fails_the_crc_check(saved):
    _, path = saved
    data = bytearray(path.read_bytes())
    archive = zipfile.ZipFile(path)
    info = archive.getinfo("model.weights.npz")
    offset = info.header_offset + 30 + len(info.filename) + len(info.extra) + 200   # inside the stored data
    data[offset] ^= 0xFF
    corrupt = path.with_name("flipped.glassnet")
    corrupt.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"flipped\.glassnet'.*'model\.weights\.npz' is corrupt \(CRC"):
        load_model(corrupt)


def test_missing_entries(saved):
    _, path = saved
    with pytest.raises(ValueError, match=r"missing \['model\.weights\.npz'\]"):
        load_model(rewrite(path, model__weights__npz=None))
    with pytest.raises(ValueError, match=r"missing \['metadata\.json'\]"):
        load_model(rewrite(path, metadata__json=None))


def test_foreign_zip_and_wrong_format(saved, tmp_path):
    _, path = saved
    other = tmp_path / "other.glassnet"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ValueError, match="not a complete glassnet model file; missing"):
        load_model(other)
    with pytest.raises(ValueError, match="metadata format is 'keras', expected 'glassnet'"):
        load_model(rewrite(path, metadata__json={"format": "keras", "format_version": 1}))
    with pytest.raises(ValueError, match="format version 99 is not supported"):
        load_model(rewrite(path, metadata__json={"format": "glassnet", "format_version": 99}))


def test_bad_json_and_bad_arrays(saved):
    _, path = saved
    with pytest.raises(ValueError, match=r"entry 'config\.json' is not valid JSON"):
        load_model(rewrite(path, config__json=b"{not json"))
    with pytest.raises(ValueError, match=r"entry 'config\.json' must hold a JSON object"):
        load_model(rewrite(path, config__json=b"[1, 2]"))
    with pytest.raises(ValueError, match=r"entry 'model\.weights\.npz'.*not a valid \.npz"):
        load_model(rewrite(path, model__weights__npz=b"garbage"))


def test_pickled_arrays_are_never_unpickled(saved, tmp_path):
    _, path = saved
    import io
    buffer = io.BytesIO()
    np.savez(buffer, **{"0000:dense/kernel": np.array([{"evil": 1}], dtype=object)})
    with pytest.raises(ValueError, match="object array that would need unpickling"):
        load_model(rewrite(path, model__weights__npz=buffer.getvalue()))


def test_weight_shape_mismatch_names_the_weight(saved):
    model, path = saved
    entries = file_format.load_npz(zipfile.ZipFile(path).read("model.weights.npz"), str(path))
    key = sorted(entries)[2]
    entries[key] = np.zeros((5, 5), dtype="float32")
    with pytest.raises(ValueError, match=rf"weight 2 '{key.split(':')[1]}' has shape \(5, 5\).*has shape \(8, 3\)"):
        load_model(rewrite(path, model__weights__npz=file_format.npz_bytes(entries)))


def test_a_bad_file_changes_nothing(saved):
    """load_weights checks every array before assigning; load_model leaves the random stream alone."""
    model, path = saved
    before = model.get_weights()
    state = backend.rng().bit_generator.state
    with pytest.raises(ValueError):
        load_model(rewrite(path, model__weights__npz=b"garbage"))
    assert backend.rng().bit_generator.state == state
    entries = file_format.load_npz(zipfile.ZipFile(path).read("model.weights.npz"), str(path))
    entries[sorted(entries)[0]] = np.zeros((1, 1), dtype="float32")
    with pytest.raises(ValueError, match="has shape"):   # fails after the model is built
        load_model(rewrite(path, model__weights__npz=file_format.npz_bytes(entries)))
    assert backend.rng().bit_generator.state == state
    save_weights(model, path.with_name("w.weights.npz"))
    entries = file_format.load_npz(str(path.with_name("w.weights.npz")), "w")
    entries[sorted(entries)[3]] = np.zeros(7, dtype="float32")   # the last bias, wrong shape
    bad = path.with_name("bad.weights.npz")
    np.savez(bad, **entries)
    target = mlp()
    target_before = target.get_weights()
    with pytest.raises(ValueError, match=r"bad\.weights\.npz'.*weight 3 .*has shape \(7,\)"):
        load_weights(target, bad)
    for a, b in zip(target.get_weights(), target_before):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(a, b)


def test_wrong_suffixes_and_missing_files(saved, tmp_path):
    model, path = saved
    with pytest.raises(ValueError, match=r"must end in '\.glassnet' or '\.keras'.*legacy HDF5"):
        load_model(tmp_path / "m.h5")       # .keras and .weights.h5 are glassnet.interop's (tests/interop)
    with pytest.raises(ValueError, match=r"must end in '\.glassnet'"):
        save_model(model, tmp_path / "m.txt")
    with pytest.raises(ValueError, match=r"must end in '\.weights\.npz'"):
        save_weights(model, tmp_path / "w.weights.txt")
    with pytest.raises(FileNotFoundError, match="no model file at"):
        load_model(tmp_path / "absent.glassnet")
    with pytest.raises(FileNotFoundError, match="no weights file at"):
        load_weights(model, tmp_path / "absent.weights.npz")
    with pytest.raises(TypeError, match="`filepath` must be a str or os.PathLike, got int"):
        save_model(model, 3)
    with pytest.raises(TypeError, match="`custom_objects` must be a dict"):
        load_model(path, custom_objects=["Scale"])


def test_a_plain_npz_is_not_a_weights_file(saved, tmp_path):
    model, _ = saved
    np.savez(tmp_path / "plain.weights.npz", *model.get_weights())
    with pytest.raises(ValueError, match="not a glassnet weights file"):
        load_weights(model, tmp_path / "plain.weights.npz")


def test_unbuilt_model_cannot_be_saved(tmp_path):
    from glassnet.layers import Dense
    from glassnet.models import Sequential
    with pytest.raises(ValueError, match="has no weights yet; build it first"):
        save_model(Sequential([Dense(2)]), tmp_path / "m.glassnet")


def test_atomic_save_keeps_the_previous_file(saved, monkeypatch):
    model, path = saved
    before = path.read_bytes()
    written = []
    original = zipfile.ZipFile.writestr

    def crash_after_first_entry(self, name, data, *args, **kwargs):
        if written:
            raise OSError("disk full (simulated)")
        written.append(name)
        return original(self, name, data, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", crash_after_first_entry)
    with pytest.raises(OSError, match="disk full"):
        model.save(path)
    monkeypatch.undo()
    assert written and path.read_bytes() == before
    assert os.listdir(path.parent) == ["m.glassnet"]   # no temporary file left behind
    assert load_model(path).get_weights()[0].shape == (4, 8)


def test_atomic_save_when_the_config_fails(saved, monkeypatch):
    model, path = saved
    before = path.read_bytes()
    monkeypatch.setattr(type(model), "get_config", lambda self: {"bad": object()})
    with pytest.raises(ValueError, match="model config is not JSON-serialisable"):
        model.save(path)
    assert path.read_bytes() == before


def test_atomic_weights_save(saved, monkeypatch):
    model, path = saved
    weights_path = path.with_name("w.weights.npz")
    model.save_weights(weights_path)
    before = weights_path.read_bytes()
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(OSError("crash before rename")))
    with pytest.raises(OSError, match="crash before rename"):
        model.save_weights(weights_path)
    monkeypatch.undo()
    assert weights_path.read_bytes() == before
    assert sorted(os.listdir(path.parent)) == ["m.glassnet", "w.weights.npz"]

"""Bad .keras and .weights.h5 files: a clear ValueError naming the file and member, nothing run."""
import io
import json
import os

import numpy as np
import pytest

h5py = pytest.importorskip("h5py")

from glassnet.interop import load_keras_weights  # noqa: E402
from glassnet.saving import load_model  # noqa: E402

from .helpers import fixture, members, with_member, write_archive  # noqa: E402


def config_of(name="mlp") -> dict:
    return json.loads(members(fixture(name))["config.json"])


def with_config(tmp_path, config: dict, name="mlp") -> str:
    return with_member(tmp_path / "bad.keras", fixture(name), "config.json", json.dumps(config).encode())


def h5_of(name="mlp") -> bytes:
    return members(fixture(name))["model.weights.h5"]


def edited_h5(edit, name="mlp") -> bytes:
    """The fixture's weights file after ``edit(h5file)``."""
    buffer = io.BytesIO(h5_of(name))
    with h5py.File(buffer, "r+") as h5:
        edit(h5)
    return buffer.getvalue()


def test_unknown_class_is_refused_by_name(tmp_path):
    config = config_of()
    config["config"]["layers"][1]["class_name"] = "FancyDense"
    with pytest.raises(ValueError, match=r"bad\.keras'.*unknown class 'FancyDense'"):
        load_model(with_config(tmp_path, config))


def test_a_class_named_os_system_is_never_called(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(os, "system", lambda *a: calls.append(a))
    config = config_of()
    config["config"]["layers"][1].update({"module": "os", "class_name": "system", "registered_name": "os.system",
                                          "config": {"command": "echo pwned"}})
    with pytest.raises(ValueError, match="unknown class 'system'"):
        load_model(with_config(tmp_path, config))
    config["config"]["layers"][1]["class_name"] = "os.system"
    with pytest.raises(ValueError, match=r"unknown class 'os\.system'"):
        load_model(with_config(tmp_path, config))
    config["module"], config["class_name"] = "os", "system"
    with pytest.raises(ValueError, match="unknown class 'system'"):
        load_model(with_config(tmp_path, config))
    assert calls == []


def test_unregistered_custom_class_and_other_keras_ops_are_refused(tmp_path):
    config = config_of()
    config["config"]["layers"][1]["registered_name"] = "MyPackage>Scale"
    with pytest.raises(ValueError, match="unknown class 'MyPackage>Scale'"):
        load_model(with_config(tmp_path, config))
    # a Keras op node becomes the glassnet.ops function of the same name; a name glassnet.ops lacks
    # (or one that names anything else) is refused, and nothing is imported
    for name in ("ViewAsComplex", "System", "Eval", "Keras_names"):
        config = config_of("ops_graph")
        op = next(layer for layer in config["config"]["layers"] if layer["class_name"] == "Add")
        op["class_name"] = op["registered_name"] = name
        with pytest.raises(ValueError, match=rf"calls the Keras operation '{name}' .* glassnet.ops does not have"):
            load_model(with_config(tmp_path, config, "ops_graph"))


def test_unknown_initializer_and_loss_are_refused(tmp_path):
    config = config_of()
    config["config"]["layers"][1]["config"]["kernel_initializer"]["class_name"] = "subprocess.Popen"
    with pytest.raises(ValueError, match=r"unknown initializer class 'subprocess\.Popen'"):
        load_model(with_config(tmp_path, config))
    config = config_of("cnn")
    config["compile_config"]["loss"]["class_name"] = "EvilLoss"
    with pytest.raises(ValueError, match="unknown loss class 'EvilLoss'"):
        load_model(with_config(tmp_path, config, "cnn"))
    assert load_model(with_config(tmp_path, config, "cnn"), compile=False).built   # not read without compiling


def test_keras_options_glassnet_lacks(tmp_path):
    config = config_of()
    config["config"]["layers"][1]["config"]["lora_rank"] = 4
    with pytest.raises(ValueError, match=r"Dense option lora_rank=4 is not supported"):
        load_model(with_config(tmp_path, config))
    config = config_of()
    config["config"]["layers"][1]["config"]["dtype"]["config"]["name"] = "mixed_float16"
    with pytest.raises(ValueError, match="dtype policy 'mixed_float16' is not supported"):
        load_model(with_config(tmp_path, config))
    config = config_of()
    config["compile_config"]["distribute"] = "mirrored"
    with pytest.raises(ValueError, match=r"compile_config has options glassnet does not know: \['distribute'\]"):
        load_model(with_config(tmp_path, config))


def test_corrupt_h5_member(tmp_path):
    data = h5_of()
    garbage = with_member(tmp_path / "bad.keras", fixture("mlp"), "model.weights.h5", b"\x00" * len(data))
    with pytest.raises(ValueError, match=r"bad\.keras'.*'model\.weights\.h5' is not a readable HDF5 file"):
        load_model(garbage)
    truncated = with_member(tmp_path / "cut.keras", fixture("mlp"), "model.weights.h5", data[: len(data) // 2])
    with pytest.raises(ValueError, match=r"cut\.keras'.*model\.weights\.h5"):
        load_model(truncated)


def test_wrong_weight_shape_is_named_before_anything_is_read(tmp_path):
    def widen(h5):
        del h5["layers/dense/vars/0"]
        h5["layers/dense/vars/0"] = np.zeros((8, 17), dtype="float32")

    path = with_member(tmp_path / "bad.keras", fixture("mlp"), "model.weights.h5", edited_h5(widen))
    with pytest.raises(ValueError, match=r"dataset 'layers/dense/vars/0' has shape \(8, 17\), but the model's "
                                         r"weight there has shape \(8, 16\)"):
        load_model(path)


def test_extra_missing_linked_and_string_datasets(tmp_path):
    cases = {
        "holds dataset 'layers/dense/vars/2'": lambda h5: h5.create_dataset("layers/dense/vars/2", data=[1.0]),
        r"lacks weights \['layers/dense_1/vars/1'\]": lambda h5: h5.__delitem__("layers/dense_1/vars/1"),
        "has a SoftLink at 'layers/dense/link'": lambda h5: h5.__setitem__("layers/dense/link",
                                                                          h5py.SoftLink("/layers/dense_1")),
        "has a ExternalLink": lambda h5: h5.__setitem__("layers/x", h5py.ExternalLink("/etc/passwd", "/")),
        "has dtype object": lambda h5: (h5.__delitem__("layers/dense/vars/1"),
                                        h5.create_dataset("layers/dense/vars/1", data=["a"] * 16,
                                                          dtype=h5py.string_dtype())),
    }
    for i, (message, edit) in enumerate(cases.items()):
        path = with_member(tmp_path / f"bad{i}.keras", fixture("mlp"), "model.weights.h5", edited_h5(edit))
        with pytest.raises(ValueError, match=message):
            load_model(path)


def test_duplicate_unknown_and_missing_members(tmp_path):
    entries = members(fixture("mlp"))
    duplicate = write_archive(tmp_path / "dup.keras", [*entries.items(), ("config.json", b"{}")])
    with pytest.raises(ValueError, match=r"dup\.keras'.*member 'config\.json' appears twice"):
        load_model(duplicate)
    for extra in ("evil.py", "assets/vocabulary.txt", "../config.json", "model.weights.npz"):
        path = write_archive(tmp_path / "extra.keras", [*entries.items(), (extra, b"x")])
        with pytest.raises(ValueError, match=f"unknown member {extra!r}"):
            load_model(path)
    partial = write_archive(tmp_path / "partial.keras", [(k, v) for k, v in entries.items() if k != "metadata.json"])
    with pytest.raises(ValueError, match=r"missing \['metadata\.json'\]"):
        load_model(partial)
    not_zip = tmp_path / "plain.keras"
    not_zip.write_bytes(b"not a zip at all")
    with pytest.raises(ValueError, match=r"plain\.keras'.*not a \.keras file"):
        load_model(not_zip)


def test_deep_json_and_bad_metadata(tmp_path):
    deep = b"[" * 100_000 + b"]" * 100_000
    path = with_member(tmp_path / "deep.keras", fixture("mlp"), "config.json", deep)
    with pytest.raises(ValueError, match=r"'config\.json' nests JSON 100000 levels deep"):
        load_model(path)
    for metadata, message in (({"keras_version": "2.15.0"}, "'keras_version' is '2.15.0'"),
                              ({}, "'keras_version' is None"),
                              ({"keras_version": "3.15.1", "date_saved": 7}, "'date_saved' must be a string")):
        path = with_member(tmp_path / "meta.keras", fixture("mlp"), "metadata.json", json.dumps(metadata).encode())
        with pytest.raises(ValueError, match=message):
            load_model(path)
    path = with_member(tmp_path / "list.keras", fixture("mlp"), "config.json", b"[1, 2]")
    with pytest.raises(ValueError, match="must hold a JSON object"):
        load_model(path)


def test_bad_weights_file_changes_nothing(tmp_path):
    model = load_model(fixture("mlp"))
    before = model.get_weights()

    def shrink(h5):
        del h5["layers/dense_1/vars/1"]
        h5["layers/dense_1/vars/1"] = np.zeros(2, dtype="float32")

    path = tmp_path / "bad.weights.h5"
    path.write_bytes(edited_h5(shrink))
    with pytest.raises(ValueError, match=r"bad\.weights\.h5'.*'layers/dense_1/vars/1' has shape \(2,\)"):
        load_keras_weights(model, path)
    for a, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(a, b)
    (tmp_path / "junk.weights.h5").write_bytes(b"junk")
    with pytest.raises(ValueError, match="not a readable HDF5 file"):
        model.load_weights(tmp_path / "junk.weights.h5")
    with pytest.raises(FileNotFoundError):
        model.load_weights(tmp_path / "absent.weights.h5")


@pytest.mark.parametrize("mutate", [
    lambda c: c["config"].__setitem__("layers", "x"),
    lambda c: c["config"]["layers"][1].__setitem__("inbound_nodes", 5),
    lambda c: c["config"]["layers"][0]["config"].__setitem__("batch_shape", 3),
    lambda c: c["config"]["layers"][1].__setitem__("config", []),
    lambda c: c["config"]["layers"][1]["inbound_nodes"][0].__setitem__("args", [{"class_name": "__keras_tensor__"}]),
    lambda c: c["config"]["layers"][1]["config"].__setitem__("units", "many"),
    lambda c: c.__setitem__("config", None),
    lambda c: c.__setitem__("compile_config", {"optimizer": "adam", "loss": {"class_name": 7, "config": {}}}),
], ids=["layers", "nodes", "batch_shape", "config", "tensor", "units", "none", "loss"])
def test_malformed_configs_give_value_errors(mutate, tmp_path):
    config = config_of("rnn")
    mutate(config)
    with pytest.raises(ValueError, match=r"bad\.keras'"):
        load_model(with_config(tmp_path, config, "rnn"))


def test_oversized_member_is_refused_before_reading(tmp_path, monkeypatch):
    from glassnet.interop import keras_archive
    monkeypatch.setattr(keras_archive, "MAX_MEMBER_BYTES", 1000)
    with pytest.raises(ValueError, match=r"member 'config\.json' is 4263 bytes, more than the 1000 read"):
        load_model(fixture("mlp"))


def test_zip_bomb_is_refused_before_inflating(tmp_path):
    import zipfile
    path = tmp_path / "bomb.keras"
    entries = members(fixture("mlp"))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data + (b" " * 50_000_000 if name == "config.json" else b""))
    with pytest.raises(ValueError, match=r"member 'config\.json' would inflate to \d+ bytes from \d+ \(a zip bomb"):
        load_model(path)


def test_without_h5py_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "h5py", None)
    with pytest.raises(ImportError, match=r"need h5py: pip install 'glassnet\[interop\]'"):
        load_model(fixture("mlp"))


def test_external_storage_and_filter_plugins_are_refused(tmp_path):
    secret = tmp_path / "secret.bin"
    secret.write_bytes(np.arange(16, dtype="float32").tobytes())

    def external(h5):
        del h5["layers/dense_1/vars/1"]
        h5.create_dataset("layers/dense_1/vars/1", shape=(3,), dtype="float32", external=[(str(secret), 0, 12)])

    path = with_member(tmp_path / "ext.keras", fixture("mlp"), "model.weights.h5", edited_h5(external))
    with pytest.raises(ValueError, match="keeps its data in other files"):
        load_model(path)

    def plugin(h5):   # filter id 307 (bzip2) is an HDF5 plugin, not built in
        from h5py import h5z
        if h5z.filter_avail(307):
            pytest.skip("an HDF5 bzip2 plugin is installed here")
        del h5["layers/dense_1/vars/1"]
        h5.create_dataset("layers/dense_1/vars/1", shape=(3,), dtype="float32", chunks=(3,),
                          compression=307, allow_unknown_filter=True)

    path = with_member(tmp_path / "plugin.keras", fixture("mlp"), "model.weights.h5", edited_h5(plugin))
    with pytest.raises(ValueError, match=r"uses HDF5 filters \[307\]; only the built-in ones"):
        load_model(path)


def test_duplicate_json_keys_and_odd_compression(tmp_path):
    data = members(fixture("mlp"))["config.json"]
    path = with_member(tmp_path / "keys.keras", fixture("mlp"), "config.json", b'{"class_name": "A", ' + data[1:])
    with pytest.raises(ValueError, match="duplicate key 'class_name'"):
        load_model(path)
    import zipfile
    with zipfile.ZipFile(tmp_path / "bz.keras", "w", compression=zipfile.ZIP_BZIP2) as archive:
        for name, member in members(fixture("mlp")).items():
            archive.writestr(name, member)
    with pytest.raises(ValueError, match="compressed with method 12"):
        load_model(tmp_path / "bz.keras")


def test_custom_class_of_a_keras_file_by_registration_or_custom_objects(tmp_path):
    import glassnet as gn
    from glassnet.saving import register_serializable

    class Halve(gn.layers.Layer):
        def call(self, x):
            return x * 0.5

    config = config_of()
    dropout = next(layer for layer in config["config"]["layers"] if layer["class_name"] == "Dropout")
    dropout.update({"module": "my_package.layers", "class_name": "Halve", "registered_name": "MyPackage>Halve",
                    "config": {"name": "halve", "trainable": True, "dtype": "float32"}})
    path = with_config(tmp_path, config)
    with pytest.raises(ValueError, match="unknown class 'MyPackage>Halve'"):
        load_model(path)
    model = load_model(path, custom_objects={"Halve": Halve})          # Keras's custom_objects, by class name
    assert type(model.layers[2]) is Halve
    register_serializable(package="MyPackage")(Halve)                   # or registered under Keras's name
    assert type(load_model(path).layers[2]) is Halve


def test_a_config_asking_for_more_weight_than_the_file_holds(tmp_path, monkeypatch):
    """Built under saving.weight_budget (Layer.add_weight charges it; patched in here if
    glassnet.layers.base does not call it yet): refused before the kernel is allocated."""
    import inspect

    from glassnet.layers.base import Layer
    from glassnet.saving import weight_budget

    if "weight_budget" not in inspect.getsource(Layer.add_weight):
        original = Layer.add_weight

        def add_weight(self, shape=None, *args, **kwargs):
            weight_budget.charge(tuple(shape or ()), f"{self.name}/{kwargs.get('name') or 'variable'}")
            return original(self, shape, *args, **kwargs)

        monkeypatch.setattr(Layer, "add_weight", add_weight)
    config = config_of()
    config["config"]["layers"][1]["config"]["units"] = 100_000_000      # 3.2 GB of kernel from a 30 kB file
    with pytest.raises(ValueError, match=r"bad\.keras'.*asks for weight .*\(8, 100000000\).*larger than its file"):
        load_model(with_config(tmp_path, config))
    assert load_model(fixture("mlp")).built                                # the real one fits its budget


def test_top_level_fields_and_input_shapes_are_checked(tmp_path):
    config = config_of()
    config["build_config"] = {"input_shape": [None, 10 ** 12]}   # a zeros batch of that would not fit anywhere
    with pytest.raises(ValueError, match=r"bad\.keras'.*build_config\.input_shape has a dimension outside"):
        load_model(with_config(tmp_path, config))
    config = config_of()
    config["exec"] = "print('hi')"
    with pytest.raises(ValueError, match=r"unknown fields \['exec'\]"):
        load_model(with_config(tmp_path, config))

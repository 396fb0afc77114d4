"""Model files whose config.json was written by hypothesis: a valid saved model with one to
three values anywhere in its config replaced by hostile JSON (wrong types, huge or negative
numbers, NaN-like strings, deep lists, unknown class names), or a config generated whole.

The file loads — and the model then predicts finite values of the right shape, or refuses
the input by name — or ``load_model`` raises ValueError/OSError naming the file. (The byte-
and member-level mutation fuzzer is ``tests/saving/test_fuzz_files.py``; this adds a
strategy over the config's structure.)
"""
import io
import json
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from glassnet.models import load_model

from ..saving.helpers import data, mlp
from .harness import REFUSED, check_call

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")

JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2 ** 63, 2 ** 64), st.floats(allow_nan=False),
                         st.text(max_size=8), st.sampled_from(["relu", "Dense", "os.system", "__import__", "NaN",
                                                               "glorot_uniform", "float64", "int8", "string"]))
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.sampled_from(["class_name", "config", "module", "name", "units",
                                                              "shape", "layers", "x"]), inner, max_size=3),
                           max_leaves=8)
X, _ = data(n=6)


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """The bytes of a small trained model file and its parsed config."""
    model = mlp()
    x, y = data()
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    path = tmp_path_factory.mktemp("seed") / "seed.glassnet"
    model.save(path)
    raw = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        config = json.loads(archive.read("config.json"))
    return raw, config


def _paths(tree, prefix=()):
    """Every path (keys and indices) to a value inside the JSON tree."""
    yield prefix
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            yield from _paths(value, (*prefix, index))


def _replace(tree, path, value):
    if not path:
        return value
    copy = dict(tree) if isinstance(tree, dict) else list(tree)
    copy[path[0]] = _replace(tree[path[0]], path[1:], value)
    return copy


def _with_config(raw: bytes, config) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = json.dumps(config).encode() if info.filename == "config.json" else source.read(info.filename)
            target.writestr(info.filename, body)
    return out.getvalue()


def _load_and_predict(tmp_path_factory, raw: bytes, group: str):
    path = tmp_path_factory.mktemp("files") / "model.glassnet"
    path.write_bytes(raw)
    model = check_call(group, lambda: load_model(path), names=(str(path), path.name, "model.glassnet"),
                       documented=(ValueError, OSError))
    if model is REFUSED:
        return

    def verify(out):
        assert out.shape[0] == len(X), out.shape

    check_call(group, lambda: model.predict(X, verbose=0), names=("x", "input", "shape", "dtype", "model", "layer"),
               verify=verify)


@given(data=st.data())
def test_config_with_hostile_values(saved, tmp_path_factory, data):
    raw, config = saved
    paths = list(_paths(config))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        try:
            config = _replace(config, path, data.draw(JSON_VALUES))
        except (KeyError, IndexError, TypeError):     # the path went away with an earlier replacement
            continue
    _load_and_predict(tmp_path_factory, _with_config(raw, config), "model_files")


@given(config=JSON_VALUES)
def test_config_generated_whole(saved, tmp_path_factory, config):
    raw, _ = saved
    _load_and_predict(tmp_path_factory, _with_config(raw, config), "model_files")

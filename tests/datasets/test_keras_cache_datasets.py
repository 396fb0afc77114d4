"""glassnet.datasets loaders of Keras's cached files: cifar10, cifar100, imdb, reuters, boston_housing,
california_housing, and the mnist / fashion_mnist fallback to Keras's cache.

Every file is a tiny one written here in the exact format keras.datasets downloads, into
tmp_path (KERAS_HOME points there). Keras itself is compared in
tests/keras_parity/test_datasets_keras.py, which reuses the writers below.
"""
from __future__ import annotations

import collections
import io
import json
import os
import pickle
import struct
import tarfile
import zipfile

import numpy as np
import pytest

import glassnet
from glassnet.datasets import (boston_housing, california_housing, cifar10, cifar100, fashion_mnist, imdb, locate,
                               mnist, reuters, safe_pickle)

from .helpers import make_mnist_folder

CIFAR10_FILES = ("data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5", "test_batch")


def ragged(rng, n, max_word=30, max_length=8):
    """An object array of ``n`` lists of word ranks 1..max_word (lengths 1..max_length), as IMDB stores them."""
    out = np.empty(n, dtype=object)
    for i in range(n):
        out[i] = [int(w) for w in rng.integers(1, max_word + 1, size=int(rng.integers(1, max_length + 1)))]
    return out


def write_imdb(folder, n_train=7, n_test=5, seed=0, name="imdb.npz"):
    rng = np.random.default_rng(seed)
    arrays = dict(x_train=ragged(rng, n_train), y_train=rng.integers(0, 2, n_train).astype(np.int64),
                  x_test=ragged(rng, n_test), y_test=rng.integers(0, 2, n_test).astype(np.int64))
    folder.mkdir(parents=True, exist_ok=True)
    np.savez(folder / name, **arrays)
    return arrays


def write_reuters(folder, n=11, seed=1, name="reuters.npz"):
    rng = np.random.default_rng(seed)
    arrays = dict(x=ragged(rng, n), y=rng.integers(0, 46, n).astype(np.int64))
    folder.mkdir(parents=True, exist_ok=True)
    np.savez(folder / name, **arrays)
    return arrays


def write_housing(folder, name, n, features, seed=2):
    rng = np.random.default_rng(seed)
    arrays = dict(x=rng.normal(size=(n, features)), y=rng.uniform(10, 50, size=n))
    folder.mkdir(parents=True, exist_ok=True)
    np.savez(folder / name, **arrays)
    return arrays


class Py2Pickler(pickle._Pickler):
    """Pickle protocol 2 as Python 2's cPickle wrote CIFAR's batches: every string (the dict's keys,
    the array's raw data, its dtype's code) as a Python 2 ``str`` (SHORT_BINSTRING / BINSTRING)."""

    dispatch = pickle._Pickler.dispatch.copy()

    def save_py2_string(self, obj):
        data = obj.encode("latin-1") if isinstance(obj, str) else obj
        if len(data) < 256:
            self.write(pickle.SHORT_BINSTRING + bytes([len(data)]) + data)
        else:
            self.write(pickle.BINSTRING + struct.pack("<i", len(data)) + data)
        self.memoize(obj)

    dispatch[bytes] = save_py2_string
    dispatch[str] = save_py2_string


def cifar_batch(rng, n, label_keys=("labels",), n_classes=(10,)):
    """One CIFAR batch file's bytes (a Python 2 pickle of a dict) and the dict."""
    batch = {"batch_label": "testing batch", "data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
             "filenames": [f"img_{i}.png" for i in range(n)]}
    for key, classes in zip(label_keys, n_classes):
        batch[key] = [int(v) for v in rng.integers(0, classes, n)]
    stream = io.BytesIO()
    Py2Pickler(stream, protocol=2).dump(batch)
    return stream.getvalue(), batch


def cifar10_batches(seed=3, sizes=(2, 3, 1, 2, 2, 3)):
    rng = np.random.default_rng(seed)
    return dict(zip(CIFAR10_FILES, (cifar_batch(rng, n) for n in sizes)))


def cifar100_batches(seed=4, sizes=(4, 3)):
    rng = np.random.default_rng(seed)
    return {name: cifar_batch(rng, n, ("fine_labels", "coarse_labels"), (100, 20))
            for name, n in zip(("train", "test"), sizes)}


def write_folder(folder, batches):
    folder.mkdir(parents=True, exist_ok=True)
    for name, (data, _) in batches.items():
        (folder / name).write_bytes(data)


def write_tar(path, inner, batches):
    """A .tar.gz holding ``inner/<name>`` for each batch, as the CIFAR download is laid out."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "w:gz") as archive:
        for name, (data, _) in batches.items():
            info = tarfile.TarInfo(f"{inner}/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """Keras's cache ($KERAS_HOME/datasets) in tmp_path; glassnet's own default places emptied."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    monkeypatch.delenv(locate.ENV_VAR, raising=False)
    work = tmp_path / "cwd" / "work"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    monkeypatch.setattr(locate, "REPO_ROOT", tmp_path / "repo" / "main")
    return tmp_path / "keras_home" / "datasets"


def expected_cifar(batches, label_key="labels"):
    x = np.concatenate([b["data"] for _, b in batches]).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    y = np.concatenate([b[label_key] for _, b in batches]).reshape(-1, 1)
    return x, y


# ------------------------------------------------------------------------------------------- CIFAR
@pytest.mark.parametrize("layout", ["keras3", "keras2", "keras3_archive", "saved_archive", "glassnet_data"])
def test_cifar10_layouts(cache, tmp_path, monkeypatch, layout):
    batches = cifar10_batches()
    if layout == "keras3":
        write_folder(cache / "cifar-10-batches-py-target" / "cifar-10-batches-py", batches)
    elif layout == "keras2":
        write_folder(cache / "cifar-10-batches-py", batches)
    elif layout == "keras3_archive":
        write_tar(cache / "cifar-10-batches-py-target_archive", "cifar-10-batches-py", batches)
    elif layout == "saved_archive":
        write_tar(cache / "cifar-10-python.tar.gz", "cifar-10-batches-py", batches)
    else:
        write_folder(tmp_path / "data" / "cifar10" / "cifar-10-batches-py", batches)
        monkeypatch.setenv(locate.ENV_VAR, str(tmp_path / "data"))
    (x_train, y_train), (x_test, y_test) = cifar10.load_data()
    assert x_train.shape == (10, 32, 32, 3) and x_test.shape == (3, 32, 32, 3)
    assert y_train.shape == (10, 1) and y_test.shape == (3, 1)
    assert all(a.dtype == np.uint8 for a in (x_train, y_train, x_test, y_test))
    x, y = expected_cifar([batches[name] for name in CIFAR10_FILES[:5]])   # batches 1..5 in order
    np.testing.assert_array_equal(x_train, x)
    np.testing.assert_array_equal(y_train, y)
    np.testing.assert_array_equal(x_test, expected_cifar([batches["test_batch"]])[0])


def test_cifar_pixel_layout_by_hand(cache):
    """Pixel (row 0, col 1) of image 0: red is data[1], green data[1024 + 1], blue data[2048 + 1]."""
    batches = cifar10_batches()
    write_folder(cache / "cifar-10-batches-py", batches)
    (x_train, _), _ = cifar10.load_data()
    data = batches["data_batch_1"][1]["data"]
    assert list(x_train[0, 0, 1]) == [data[0, 1], data[0, 1025], data[0, 2049]]


def test_cifar_channels_first(cache):
    batches = cifar100_batches()
    write_folder(cache / "cifar-100-python-target" / "cifar-100-python", batches)
    glassnet.backend.set_image_data_format("channels_first")
    try:
        (x_train, _), (x_test, _) = cifar100.load_data()
    finally:
        glassnet.backend.set_image_data_format("channels_last")
    assert x_train.shape == (4, 3, 32, 32) and x_test.shape == (3, 3, 32, 32)


@pytest.mark.parametrize("label_mode", ["fine", "coarse"])
def test_cifar100(cache, label_mode):
    batches = cifar100_batches()
    write_tar(cache / "cifar-100-python.tar.gz", "cifar-100-python", batches)
    (x_train, y_train), (x_test, y_test) = cifar100.load_data(label_mode=label_mode)
    x, y = expected_cifar([batches["train"]], f"{label_mode}_labels")
    np.testing.assert_array_equal(x_train, x)
    np.testing.assert_array_equal(y_train, y)
    assert x_train.dtype == np.uint8 and y_train.shape == (4, 1) and y_test.dtype == np.int64
    assert y_train.max() < (100 if label_mode == "fine" else 20)


def test_cifar100_bad_label_mode(cache):
    with pytest.raises(ValueError, match="label_mode"):
        cifar100.load_data(label_mode="medium")


def test_cifar_missing_names_places_and_url(cache):
    with pytest.raises(FileNotFoundError) as info:
        cifar10.load_data()
    message = str(info.value)
    assert "cifar-10-batches-py-target" in message
    assert "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz" in message
    assert str(cache / "cifar-10-python.tar.gz") in message and "never downloads" in message


def test_cifar_batch_that_is_not_a_batch(cache):
    batches = cifar10_batches()
    batches["test_batch"] = (pickle.dumps({b"data": np.zeros((2, 5), np.uint8), b"labels": [0, 1]}, protocol=3), None)
    write_folder(cache / "cifar-10-batches-py", batches)
    with pytest.raises(ValueError, match="test_batch"):
        cifar10.load_data()


# ------------------------------------------------------------------------------------ IMDB, Reuters
def write_tiny_imdb(folder):
    """Train [[1, 2, 3], [4, 5]] (labels 0, 1), test [[6]] (label 1)."""
    folder.mkdir(parents=True, exist_ok=True)
    seqs = np.empty(2, dtype=object)
    seqs[0], seqs[1] = [1, 2, 3], [4, 5]
    test = np.empty(1, dtype=object)
    test[0] = [6]
    np.savez(folder / "imdb.npz", x_train=seqs, y_train=np.array([0, 1]), x_test=test, y_test=np.array([1]))


def test_imdb_by_hand(cache):
    write_tiny_imdb(cache)
    order = np.arange(2)
    np.random.RandomState(113).shuffle(order)                   # Keras's shuffle of the 2 reviews
    (x_train, y_train), (x_test, y_test) = imdb.load_data()
    # start_char 1, index_from 3: [1, 2, 3] → [1, 4, 5, 6]; [4, 5] → [1, 7, 8]; [6] → [1, 9];
    # num_words=None → num_words = max word = 9, so word 9 itself is cut to oov_char 2 (as in Keras).
    train = {0: [1, 4, 5, 6], 1: [1, 7, 8]}
    assert [list(x) for x in x_train] == [train[i] for i in order]
    assert list(y_train) == [[0, 1][i] for i in order]
    assert x_train.dtype == object and x_train.shape == (2,)
    assert x_test.shape == (1, 2) and list(x_test[0]) == [1, 2] and list(y_test) == [1]   # equal lengths: 2-D
    # num_words=8, skip_top=5: words outside [5, 8) become 2; oov_char=None drops them instead.
    (x_train, _), (x_test, _) = imdb.load_data(num_words=8, skip_top=5)
    assert sorted(map(list, x_train)) == [[2, 2, 5, 6], [2, 7, 2]]
    (x_train, _), (x_test, _) = imdb.load_data(num_words=8, skip_top=5, oov_char=None)
    assert sorted(map(list, x_train)) == [[5, 6], [7]] and list(x_test[0]) == []
    # maxlen=4 keeps sequences shorter than 4 (start_char counted): [1, 7, 8] only.
    (x_train, y_train), _ = imdb.load_data(maxlen=4)
    assert [list(x) for x in x_train] == [[1, 7, 8]] and list(y_train) == [1]
    with pytest.raises(ValueError, match="maxlen"):
        imdb.load_data(maxlen=3)
    # start_char=None, index_from=0: the file's ranks as they are.
    (x_train, _), _ = imdb.load_data(start_char=None, index_from=0, num_words=100)
    assert sorted(map(list, x_train)) == [[1, 2, 3], [4, 5]]


def test_imdb_seed_and_path(cache, tmp_path):
    arrays = write_imdb(tmp_path / "elsewhere", n_train=9, name="reviews.npz")
    a = imdb.load_data(path=tmp_path / "elsewhere" / "reviews.npz", seed=7)
    b = imdb.load_data(path=str(tmp_path / "elsewhere" / "reviews.npz"), seed=7)
    c = imdb.load_data(path=tmp_path / "elsewhere" / "reviews.npz", seed=8)
    assert [list(x) for x in a[0][0]] == [list(x) for x in b[0][0]]
    assert [list(x) for x in a[0][0]] != [list(x) for x in c[0][0]]
    assert sorted(a[0][1]) == sorted(arrays["y_train"])
    write_imdb(cache, n_train=4, name="mine.npz")
    assert len(imdb.load_data(path="mine.npz")[0][0]) == 4          # a name: inside Keras's cache


def test_imdb_glassnet_data(cache, tmp_path, monkeypatch):
    write_imdb(tmp_path / "data" / "imdb", n_train=3)
    monkeypatch.setenv(locate.ENV_VAR, str(tmp_path / "data"))
    assert len(imdb.load_data()[0][0]) == 3


def test_imdb_missing_message(cache):
    with pytest.raises(FileNotFoundError) as info:
        imdb.load_data()
    message = str(info.value)
    assert str(cache / "imdb.npz") in message
    assert "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb.npz" in message


def test_word_index(cache, tmp_path):
    cache.mkdir(parents=True)
    (cache / "imdb_word_index.json").write_text(json.dumps({"the": 1, "and": 2}))
    (tmp_path / "r.json").write_text(json.dumps({"said": 1}))
    assert imdb.get_word_index() == {"the": 1, "and": 2}
    assert reuters.get_word_index(path=tmp_path / "r.json") == {"said": 1}
    with pytest.raises(FileNotFoundError, match="reuters_word_index.json"):
        reuters.get_word_index()
    (cache / "reuters_word_index.json").write_text("[1, 2]")
    with pytest.raises(ValueError, match="JSON object"):
        reuters.get_word_index()


def test_reuters(cache):
    arrays = write_reuters(cache, n=11)
    (x_train, y_train), (x_test, y_test) = reuters.load_data(test_split=0.3)
    assert len(x_train) == int(11 * 0.7) == 7 and len(x_test) == 4
    order = np.arange(11)
    np.random.RandomState(113).shuffle(order)
    np.testing.assert_array_equal(np.concatenate([y_train, y_test]), arrays["y"][order])
    first = arrays["x"][order[0]]
    expected = [1] + [w + 3 for w in first]
    top = max(max(w + 3 for w in x) for x in arrays["x"])
    assert list(x_train[0]) == [w if w < top else 2 for w in expected]
    assert len(reuters.get_label_names()) == 46 and reuters.get_label_names()[3] == "earn"


# ------------------------------------------------------------------------------------- housing sets
def test_boston_housing(cache):
    arrays = write_housing(cache, "boston_housing.npz", 10, 13)
    (x_train, y_train), (x_test, y_test) = boston_housing.load_data()
    assert x_train.shape == (8, 13) and x_test.shape == (2, 13) and y_train.shape == (8,)
    order = np.arange(10)
    np.random.RandomState(113).shuffle(order)
    np.testing.assert_array_equal(np.concatenate([x_train, x_test]), arrays["x"][order])
    np.testing.assert_array_equal(np.concatenate([y_train, y_test]), arrays["y"][order])
    with pytest.raises(ValueError, match="test_split"):
        boston_housing.load_data(test_split=1.0)


def test_california_housing(cache):
    arrays = write_housing(cache, "california_housing.npz", 605, 8)
    (x_train, y_train), (x_test, _) = california_housing.load_data(version="small", test_split=0.25, seed=3)
    assert x_train.shape == (450, 8) and x_test.shape == (150, 8)
    assert set(map(tuple, np.concatenate([x_train, x_test]))) == set(map(tuple, arrays["x"][:600]))
    (x_train, _), (x_test, _) = california_housing.load_data()
    assert len(x_train) + len(x_test) == 605 and len(x_train) == 484
    with pytest.raises(ValueError, match="version"):
        california_housing.load_data(version="medium")


def test_housing_refuses_object_arrays(cache):
    cache.mkdir(parents=True)
    np.savez(cache / "boston_housing.npz", x=np.array([[1], "a"], dtype=object), y=np.zeros(2))
    with pytest.raises(ValueError, match="object array"):
        boston_housing.load_data()


# ----------------------------------------------------------------------------- MNIST in Keras's cache
def test_mnist_falls_back_to_keras_npz(cache):
    rng = np.random.default_rng(0)
    arrays = dict(x_train=rng.integers(0, 256, (3, 28, 28), dtype=np.uint8), y_train=np.arange(3, dtype=np.uint8),
                  x_test=rng.integers(0, 256, (2, 28, 28), dtype=np.uint8), y_test=np.arange(2, dtype=np.uint8))
    with pytest.raises(FileNotFoundError, match="mnist.npz"):
        mnist.load_data()
    cache.mkdir(parents=True)
    np.savez(cache / "mnist.npz", **arrays)
    for loaded in (mnist.load_data(), mnist.load_data(path="mnist.npz")):
        (x_train, y_train), (x_test, y_test) = loaded
        np.testing.assert_array_equal(x_train, arrays["x_train"])
        np.testing.assert_array_equal(y_test, arrays["y_test"])


def test_fashion_mnist_falls_back_to_keras_folder(cache):
    arrays = make_mnist_folder(cache / "fashion-mnist", n_train=4)
    (x_train, y_train), _ = fashion_mnist.load_data()
    np.testing.assert_array_equal(x_train, arrays["train"][0])


# ------------------------------------------------------------------------------------------ safety
class RunsCode:
    """A pickle whose loading would call ``function(*args)``."""

    def __init__(self, function, *args):
        self.function, self.args = function, args

    def __reduce__(self):
        return self.function, self.args


def object_npy(payload: bytes, shape=(1,)) -> bytes:
    """A .npy file with an object dtype header followed by ``payload`` as its pickle."""
    stream = io.BytesIO()
    np.lib.format.write_array_header_1_0(stream, {"descr": "|O", "fortran_order": False, "shape": shape})
    return stream.getvalue() + payload


@pytest.mark.parametrize("function", [os.system, eval, exec])
def test_npz_pickle_naming_a_callable_is_refused(cache, tmp_path, function):
    marker = tmp_path / "ran"
    code = f"touch {marker}" if function is os.system else f"open({str(marker)!r}, 'w').close()"
    cache.mkdir(parents=True)
    with zipfile.ZipFile(cache / "imdb.npz", "w") as archive:
        for name in ("x_train", "y_train", "x_test", "y_test"):
            archive.writestr(f"{name}.npy", object_npy(pickle.dumps(RunsCode(function, code), protocol=3)))
    with pytest.raises(pickle.UnpicklingError, match="refusing") as info:
        imdb.load_data()
    assert function.__name__ in str(info.value) and "nothing from it was run" in str(info.value)
    assert not marker.exists()


def test_cifar_pickle_naming_a_callable_is_refused(cache, tmp_path):
    marker = tmp_path / "ran"
    batches = cifar10_batches()
    batches["data_batch_3"] = (pickle.dumps({b"data": RunsCode(os.system, f"touch {marker}")}, protocol=3), None)
    write_folder(cache / "cifar-10-batches-py", batches)
    with pytest.raises(pickle.UnpicklingError, match="system"):
        cifar10.load_data()
    assert not marker.exists()


def test_unpickler_allows_numpy_arrays_only():
    array = np.array([[1, 2], [3]], dtype=object)
    np.testing.assert_array_equal(safe_pickle.loads(pickle.dumps(array))[1], [3])
    with pytest.raises(pickle.UnpicklingError, match="collections.OrderedDict"):
        safe_pickle.loads(pickle.dumps(collections.OrderedDict(a=1)))
    with pytest.raises(ValueError, match="not a valid pickle"):
        safe_pickle.loads(b"\x80\x03]q\x00")


def test_size_bound(cache, monkeypatch):
    write_imdb(cache)
    monkeypatch.setattr(safe_pickle, "MAX_BYTES", 64)
    with pytest.raises(ValueError, match="MAX_BYTES"):
        imdb.load_data()


def test_npz_header_shape_must_match(cache):
    cache.mkdir(parents=True)
    with zipfile.ZipFile(cache / "reuters.npz", "w") as archive:
        archive.writestr("x.npy", object_npy(pickle.dumps(np.array([[1], [2]], dtype=object), protocol=3), (5,)))
        archive.writestr("y.npy", object_npy(pickle.dumps(np.array([1, 2], dtype=object), protocol=3), (2,)))
    with pytest.raises(ValueError, match="does not match its header"):
        reuters.load_data()


def test_path_must_be_a_path(cache):
    with pytest.raises(TypeError, match="path"):
        imdb.load_data(path=3)


def test_mnist_messages_name_keras_files(cache, tmp_path):
    with pytest.raises(FileNotFoundError, match="tf-keras-datasets/mnist.npz") as info:
        mnist.load_data()
    assert str(cache / "mnist.npz") in str(info.value)
    with pytest.raises(FileNotFoundError) as info:
        mnist.load_data(path=tmp_path / "nowhere")                   # an explicit folder: only there
    assert "mnist.npz" not in str(info.value)
    with pytest.raises(FileNotFoundError, match="tf-keras-datasets/<file>") as info:
        fashion_mnist.load_data()
    assert str(cache / "fashion-mnist") in str(info.value)


def test_keras_datasets_dir_as_keras_chooses_it(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "kh"))
    assert locate.keras_datasets_dir() == tmp_path / "kh" / "datasets"
    monkeypatch.delenv("KERAS_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    (tmp_path / "user").mkdir()
    assert locate.keras_datasets_dir() == tmp_path / "user" / ".keras" / "datasets"
    monkeypatch.setattr(os, "access", lambda path, mode: False)      # a read-only home: Keras uses /tmp
    assert str(locate.keras_datasets_dir()) == os.path.join("/tmp", ".keras", "datasets")

"""glassnet.datasets against keras.datasets on the same tiny files (skipped without keras).

Both read one Keras cache in tmp_path: glassnet through ``$KERAS_HOME``, Keras through its
``config._KERAS_DIR`` (fixed when Keras is imported). Keras checks each real file's hash and
would download on a mismatch, so its loaders get ``get_file`` without the hash (nothing else
changes; nothing is downloaded: every file is already there). Compared: values, dtypes,
shapes and order for every option, seed and split. CIFAR-10's Keras loader fixes 10,000
images per batch (180 MB), so its batch reader is compared instead of the whole loader.
"""
import numpy as np
import pytest

from glassnet.datasets import boston_housing, california_housing, cifar, cifar100, imdb, locate, reuters

from ..datasets.test_keras_cache_datasets import (cifar10_batches, cifar100_batches, write_housing, write_imdb,
                                                  write_reuters, write_tar)

keras = pytest.importorskip("keras")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """One cache for both: ``tmp_path/keras_home/datasets``; Keras's loaders skip the hash check."""
    from keras.src.backend import config
    from keras.src.datasets import (boston_housing as k_boston, california_housing as k_california,
                                    cifar100 as k_cifar100, imdb as k_imdb, reuters as k_reuters)
    from keras.src.utils import file_utils

    home = tmp_path / "keras_home"
    monkeypatch.setenv("KERAS_HOME", str(home))
    monkeypatch.delenv(locate.ENV_VAR, raising=False)
    monkeypatch.setattr(config, "_KERAS_DIR", str(home))

    def get_file_without_hash(*args, file_hash=None, **kwargs):
        return file_utils.get_file(*args, **kwargs)

    for module in (k_boston, k_california, k_cifar100, k_imdb, k_reuters):
        monkeypatch.setattr(module, "get_file", get_file_without_hash)
    return home / "datasets"


def assert_same(ours, theirs):
    """Nested ((x_train, y_train), (x_test, y_test)): same dtype, shape and values (object arrays too)."""
    for our_split, their_split in zip(ours, theirs):
        for a, b in zip(our_split, their_split):
            assert a.dtype == b.dtype and a.shape == b.shape
            if a.dtype == object:                    # arrays of lists of word indices
                assert a.tolist() == b.tolist()
            else:
                np.testing.assert_array_equal(a, b)


IMDB_OPTIONS = [{}, dict(seed=5), dict(num_words=20), dict(num_words=20, skip_top=6), dict(maxlen=6),
                dict(oov_char=None, num_words=15, skip_top=4), dict(start_char=None),
                dict(start_char=None, index_from=0),
                dict(index_from=0, maxlen=9, seed=0)]


def test_imdb(cache):
    write_imdb(cache, n_train=12, n_test=9)
    for options in IMDB_OPTIONS:
        assert_same(imdb.load_data(**options), keras.datasets.imdb.load_data(**options))


def test_imdb_equal_lengths_give_a_2d_object_array(cache):
    write_imdb(cache, n_train=3, n_test=2, seed=11)
    for options in (dict(maxlen=4), dict(num_words=5, oov_char=None, start_char=None, index_from=0)):
        try:
            theirs = keras.datasets.imdb.load_data(**options)
        except ValueError:
            with pytest.raises(ValueError):
                imdb.load_data(**options)
            continue
        assert_same(imdb.load_data(**options), theirs)


def test_reuters(cache):
    write_reuters(cache, n=13)
    for options in IMDB_OPTIONS + [dict(test_split=0.5), dict(test_split=0.0, seed=1)]:
        assert_same(reuters.load_data(**options), keras.datasets.reuters.load_data(**options))
    assert reuters.get_label_names() == keras.datasets.reuters.get_label_names()


def test_housing(cache):
    write_housing(cache, "boston_housing.npz", 17, 13)
    for options in ({}, dict(test_split=0.35, seed=4), dict(test_split=0.0)):
        assert_same(boston_housing.load_data(**options), keras.datasets.boston_housing.load_data(**options))
    write_housing(cache, "california_housing.npz", 611, 8)
    for options in ({}, dict(version="small"), dict(version="small", test_split=0.1, seed=9)):
        assert_same(california_housing.load_data(**options), keras.datasets.california_housing.load_data(**options))


@pytest.mark.parametrize("label_mode", ["fine", "coarse"])
def test_cifar100_archive_then_keras_extraction(cache, label_mode):
    write_tar(cache / "cifar-100-python-target_archive", "cifar-100-python", cifar100_batches())
    ours_from_archive = cifar100.load_data(label_mode)
    theirs = keras.datasets.cifar100.load_data(label_mode)          # extracts into cifar-100-python-target/
    assert (cache / "cifar-100-python-target" / "cifar-100-python" / "train").is_file()
    assert_same(ours_from_archive, theirs)
    assert_same(cifar100.load_data(label_mode), theirs)


def test_cifar10_batch_reader(tmp_path):
    from keras.src.datasets.cifar import load_batch

    for name, (data, _) in cifar10_batches().items():
        (tmp_path / name).write_bytes(data)
        ours, theirs = cifar.load_batch(data, name), load_batch(str(tmp_path / name))
        np.testing.assert_array_equal(ours[0], theirs[0])
        assert ours[0].dtype == theirs[0].dtype and list(ours[1]) == list(theirs[1])

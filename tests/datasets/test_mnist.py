import numpy as np
import pytest

from glassnet.datasets import fashion_mnist, locate, mnist

from .helpers import idx_bytes, make_mnist_folder, write


@pytest.fixture
def no_default_data(tmp_path, monkeypatch):
    """Point every default search place into tmp_path (so the real shared/data is never seen)."""
    monkeypatch.delenv(locate.ENV_VAR, raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))    # nor Keras's cache (~/.keras/datasets)
    work = tmp_path / "cwd" / "work"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    monkeypatch.setattr(locate, "REPO_ROOT", tmp_path / "repo" / "main")
    return tmp_path


@pytest.mark.parametrize("loader", [mnist, fashion_mnist])
@pytest.mark.parametrize("compress", [True, False])
def test_load_from_path(tmp_path, loader, compress):
    arrays = make_mnist_folder(tmp_path / "d", compress=compress)
    (x_train, y_train), (x_test, y_test) = loader.load_data(path=tmp_path / "d")
    assert x_train.shape == (3, 28, 28) and x_test.shape == (2, 28, 28)
    assert y_train.shape == (3,) and y_test.shape == (2,)
    assert all(a.dtype == np.uint8 for a in (x_train, y_train, x_test, y_test))
    np.testing.assert_array_equal(x_train, arrays["train"][0])
    np.testing.assert_array_equal(y_test, arrays["t10k"][1])


def test_env_var_then_cwd_then_repo(no_default_data, monkeypatch):
    tmp = no_default_data
    make_mnist_folder(tmp / "repo" / "shared" / "data" / "mnist", n_train=1)
    assert mnist.load_data()[0][0].shape[0] == 1                         # found next to the repo
    make_mnist_folder(tmp / "cwd" / "shared" / "data" / "mnist", n_train=2)
    assert mnist.load_data()[0][0].shape[0] == 2                         # cwd/../shared/data wins
    make_mnist_folder(tmp / "env" / "mnist", n_train=4)
    monkeypatch.setenv(locate.ENV_VAR, str(tmp / "env"))
    assert mnist.load_data()[0][0].shape[0] == 4                         # $GLASSNET_DATA/mnist wins
    make_mnist_folder(tmp / "env" / "fashion-mnist", n_train=5)
    assert fashion_mnist.load_data()[0][0].shape[0] == 5


def test_not_found_says_where_it_looked(no_default_data, monkeypatch):
    monkeypatch.setenv(locate.ENV_VAR, str(no_default_data / "env"))
    with pytest.raises(FileNotFoundError) as info:
        fashion_mnist.load_data()
    message = str(info.value)
    assert "'fashion-mnist' not found" in message and "never downloads" in message
    assert str(no_default_data / "env" / "fashion-mnist") in message
    assert "GLASSNET_DATA" in message and "train-images-idx3-ubyte.gz" in message


def test_explicit_path_is_the_only_place(tmp_path, no_default_data):
    make_mnist_folder(no_default_data / "cwd" / "shared" / "data" / "mnist")
    with pytest.raises(FileNotFoundError, match="never downloads"):
        mnist.load_data(path=tmp_path / "empty")
    with pytest.raises(TypeError, match="`path` must be a directory"):
        mnist.load_data(path=5)


def test_mismatched_images_and_labels(tmp_path):
    make_mnist_folder(tmp_path)
    write(tmp_path / "train-labels-idx1-ubyte.gz", idx_bytes(np.zeros(4, np.uint8)), compress=True)
    with pytest.raises(ValueError, match=r"train images.*\(3, 28, 28\).*labels \(4,\)"):
        mnist.load_data(path=tmp_path)


def test_corrupt_file_is_named(tmp_path):
    make_mnist_folder(tmp_path)
    write(tmp_path / "t10k-images-idx3-ubyte.gz", bytes([0, 0, 8, 3, 0, 0, 0, 9]), compress=True)
    with pytest.raises(ValueError, match="t10k-images-idx3-ubyte.gz"):
        mnist.load_data(path=tmp_path)

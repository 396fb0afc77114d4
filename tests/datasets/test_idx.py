import gzip

import numpy as np
import pytest

from glassnet.datasets import read_idx

from .helpers import idx_bytes, write

# MNIST-style labels file, byte by byte: magic 0x00000801 (uint8, 1 axis), size 3, data 7 0 9
LABELS = bytes([0x00, 0x00, 0x08, 0x01, 0x00, 0x00, 0x00, 0x03, 7, 0, 9])
# images file: magic 0x00000803 (uint8, 3 axes), sizes 1, 2, 2, data 0 255 / 16 32
IMAGES = bytes([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 0, 255, 16, 32])


@pytest.mark.parametrize("compress", [False, True])
def test_hand_written_bytes(tmp_path, compress):
    labels = read_idx(write(tmp_path / "labels.idx", LABELS, compress))
    images = read_idx(write(tmp_path / "images.idx", IMAGES, compress))
    np.testing.assert_array_equal(labels, [7, 0, 9])
    assert labels.dtype == np.uint8 and labels.shape == (3,)
    np.testing.assert_array_equal(images, [[[0, 255], [16, 32]]])
    assert images.dtype == np.uint8 and images.flags.writeable


def test_gzip_is_detected_by_content_not_name(tmp_path):
    path = write(tmp_path / "no-extension", LABELS, compress=True)
    np.testing.assert_array_equal(read_idx(path), [7, 0, 9])
    np.testing.assert_array_equal(read_idx(str(path)), [7, 0, 9])


def test_big_endian_int32_by_hand(tmp_path):
    # magic 0x00000C01 (int32, 1 axis), size 2, data 1 and -2 big-endian
    data = bytes([0, 0, 0x0C, 1, 0, 0, 0, 2, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFE])
    array = read_idx(write(tmp_path / "ints.idx", data))
    np.testing.assert_array_equal(array, [1, -2])
    assert array.dtype == np.int32 and array.dtype.isnative


@pytest.mark.parametrize("code,dtype", [(0x08, np.uint8), (0x09, np.int8), (0x0B, np.int16), (0x0C, np.int32),
                                        (0x0D, np.float32), (0x0E, np.float64)])
@pytest.mark.parametrize("compress", [False, True])
def test_every_dtype_roundtrips(tmp_path, code, dtype, compress):
    values = np.arange(-3, 9).reshape(2, 3, 2)
    values = values % 256 if dtype == np.uint8 else values
    array = values.astype(dtype)
    if array.dtype.kind == "f":
        array /= 2          # halves are exact in binary floating point
    out = read_idx(write(tmp_path / "a.idx", idx_bytes(array, code), compress))
    assert out.dtype == np.dtype(dtype) and out.shape == (2, 3, 2)
    np.testing.assert_array_equal(out, array)


@pytest.mark.parametrize("data,message", [
    (bytes([1, 0, 8, 1, 0, 0, 0, 0]), "bad magic number 0x01000801"),
    (bytes([0, 0, 7, 1, 0, 0, 0, 0]), "bad magic number 0x00000701"),
    (bytes([0, 0, 8]), "ends inside the 4-byte magic number"),
    (LABELS[:6], "ends inside the 1 axis sizes"),
    (LABELS[:-1], "truncated: header says shape (3,)"),
    (IMAGES[:-2], "only 2 data bytes follow"),
    (LABELS + b"\x00", "unexpected bytes after the 3 data bytes"),
])
@pytest.mark.parametrize("compress", [False, True])
def test_bad_files_raise_value_error_naming_the_file(tmp_path, data, message, compress):
    path = write(tmp_path / "bad.idx", data, compress)
    with pytest.raises(ValueError, match="bad.idx") as info:
        read_idx(path)
    assert message in str(info.value)


def test_corrupt_gzip(tmp_path):
    packed = gzip.compress(IMAGES * 50)
    path = write(tmp_path / "cut.gz", packed[: len(packed) // 2])
    with pytest.raises(ValueError, match=r"cut\.gz.*corrupt or truncated gzip"):
        read_idx(path)


def test_missing_file_and_bad_argument(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_idx(tmp_path / "absent.idx")
    with pytest.raises(TypeError, match="`path` must be a str or os.PathLike, got int"):
        read_idx(3)

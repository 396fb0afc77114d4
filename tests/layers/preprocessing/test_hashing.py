"""Hashing, HashedCrossing and their hashes (fingerprint.py) — bit for bit TensorFlow's.

FarmHash's Fingerprint64 is checked on farmhash.cc's own self-test vectors (farmhashnaTest:
its pseudo-random data, hashed at offset i² for length i, and at offset 0 for longer lengths),
SipHash-2-4 on the vectors of the SipHash paper and reference code (Aumasson & Bernstein), and the
layers on the outputs Keras's docstrings print (Keras runs these layers through TensorFlow,
which is not installed here).
"""
import json

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers
from glassnet.layers.preprocessing import fingerprint

MASK = (1 << 64) - 1
K0 = 0xc3a5c85c97cb3127

# (offset, length, farmhashna::Hash64(data + offset, length)) from farmhash.cc's expected[] table
FARMHASH_VECTORS = [
    (0, 0, 0x9ae16a3b2f90404f),
    (1, 1, 0x541150e87f415e96),
    (4, 2, 0x0f3786a4b25827c1),
    (9, 3, 0xef923a7a1af78eab),
    (16, 4, 0x11df592596f41d88),
    (25, 5, 0x831f448bdc5600b3),
    (49, 7, 0x1b5a063fb4c7f9f1),
    (64, 8, 0xa0f10149a0e538d6),
    (81, 9, 0xfb8d9c70660b910b),
    (225, 15, 0x44473e03be306c88),
    (256, 16, 0x03ead5f21d344056),
    (289, 17, 0x6abbfde37ee03b5b),
    (576, 24, 0x36a097aa49519d97),
    (961, 31, 0x55bdb0e71e3edebd),
    (1024, 32, 0x0782fa1b08b475e7),
    (1089, 33, 0x09deb3da5e16b5b8),
    (2304, 48, 0x01601bbbc1db4a56),
    (3969, 63, 0xa8edbff858475437),
    (4096, 64, 0xdef74bf4c9f1bc1b),
    (4225, 65, 0x3cceab392bc39b3f),
    (9216, 96, 0x1262318f0fffe11e),
    (10000, 100, 0x05ad36f677825ce0),
    (16129, 127, 0x99096f55f2e75eb0),
    (16384, 128, 0xf4a9a248b462909d),
    (16641, 129, 0xd4f7c858d78153b6),
    (40000, 200, 0x40f32eb90e5caa01),
    (0, 299, 0xcc79d4ba95da7979),
    (0, 341, 0x902d34061d0c9b0d),
    (0, 389, 0x43b6d221b3111645),
    (0, 444, 0xf4edef10db556f29),
    (0, 507, 0xd23a1f4d446476b6),
    (0, 579, 0xc537780b6fc3a700),
    (0, 661, 0xfb687f7817e37c58),
]


def farmhash_test_data(size: int) -> bytes:
    """farmhash.cc's Setup(): data[i] = (b >> 37) & 0xff of its 64-bit recurrence."""
    data, a, b = bytearray(size), 9, 777
    for i in range(size):
        a = (a + b) & MASK
        b = (b + a) & MASK
        a = ((a ^ (a >> 41)) * K0) & MASK
        b = (((b ^ (b >> 41)) * K0) + i) & MASK
        data[i] = (b >> 37) & 0xff
    return bytes(data)


def test_fingerprint64_matches_farmhash_self_test_vectors():
    data = farmhash_test_data(max(offset + length for offset, length, _ in FARMHASH_VECTORS))
    for offset, length, expected in FARMHASH_VECTORS:   # every branch: 0, 1–3, 4–7, 8–16, 17–32, 33–64, > 64
        assert fingerprint.fingerprint64(data[offset:offset + length]) == expected, (offset, length)


def test_siphash24_matches_the_reference_vectors():
    key = (0x0706050403020100, 0x0f0e0d0c0b0a0908)     # key bytes 00..0f, little-endian words
    assert fingerprint.siphash24(key, bytes(range(15))) == 0xa129ca6149be45e5      # the paper's appendix A
    # the reference implementation's vectors_sip64 (message 00 01 .. n−1), read as little-endian words
    for n, expected in ((0, 0x726fdb47dd0e0e31), (1, 0x74f839c593dc67fd), (7, 0xab0200f58b01d137),
                        (8, 0x93f5f5799a932462), (9, 0x9e0082df0ba9e4b0), (63, 0x958a324ceb064572)):
        assert fingerprint.siphash24(key, bytes(range(n))) == expected, n


def test_integers_hash_as_their_decimal_text():
    assert fingerprint.as_bytes(-42) == b"-42" and fingerprint.as_bytes("é") == "é".encode()
    assert fingerprint.cross_feature(-1) == MASK and fingerprint.cross_feature("A") == fingerprint.fingerprint64(b"A")


LETTERS = [["A"], ["B"], ["C"], ["D"], ["E"]]


@pytest.mark.parametrize("kwargs, inputs, expected", [
    (dict(num_bins=3), LETTERS, [1, 0, 1, 1, 2]),                           # FarmHash64
    (dict(num_bins=3, mask_value=""), [["A"], ["B"], [""], ["C"], ["D"]], [1, 1, 0, 2, 2]),
    (dict(num_bins=3, salt=[133, 137]), LETTERS, [1, 2, 1, 0, 2]),           # SipHash64
    (dict(num_bins=3, salt=133), LETTERS, [0, 0, 2, 1, 0]),                  # salt=[133, 133]
])
def test_hashing_keras_docstring_examples(kwargs, inputs, expected):
    output = layers.Hashing(**kwargs)(inputs)
    assert output.dtype == "int64" and output.shape == (5, 1)
    np.testing.assert_array_equal(output.numpy().ravel(), expected)


def test_hashing_by_hand_integers_floats_and_encodings():
    # 7 is hashed as b"7"; a float is truncated first (2.9 → 2), as tf.cast then tf.as_string
    bins = [fingerprint.fingerprint64(b) % 4 for b in (b"7", b"2", b"-3")]
    np.testing.assert_array_equal(layers.Hashing(num_bins=4)(np.array([7, 2, -3])).numpy(), bins)
    np.testing.assert_array_equal(layers.Hashing(num_bins=4)([7.0, 2.9, -3.2]).numpy(), bins)
    counts = layers.Hashing(num_bins=4, output_mode="count")([[7, 7, 2]]).numpy()
    expected = np.zeros((1, 4), "float32")
    for b in (bins[0], bins[0], bins[1]):
        expected[0, b] += 1
    np.testing.assert_array_equal(counts, expected)
    one_hot = layers.Hashing(num_bins=3, output_mode="one_hot")(LETTERS).numpy()
    np.testing.assert_array_equal(one_hot, np.eye(3, dtype="float32")[[1, 0, 1, 1, 2]])
    assert layers.Hashing(num_bins=3, output_mode="multi_hot").compute_output_shape((None, 2)) == (None, 3)
    assert layers.Hashing(num_bins=3, dtype="int32")(["A"]).dtype == "int32"


@pytest.mark.parametrize("kwargs, match", [
    (dict(num_bins=0), "num_bins"), (dict(num_bins=None), "num_bins"), (dict(num_bins=3, output_mode="binary"),
                                                                          "output_mode"),
    (dict(num_bins=3, salt="pepper"), "salt"), (dict(num_bins=3, salt=[1, 2, 3]), "salt"),
    (dict(num_bins=3, sparse=True, output_mode="one_hot"), "sparse"), (dict(num_bins=3, dtype="float32"), "dtype"),
])
def test_hashing_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        layers.Hashing(**kwargs)


def test_hashed_crossing_keras_docstring_examples():
    feature_1 = np.array(["A", "B", "A", "B", "A"])
    feature_2 = np.array([101, 101, 101, 102, 102])
    output = layers.HashedCrossing(num_bins=5)((feature_1, feature_2))
    assert output.dtype == "int64"
    np.testing.assert_array_equal(output.numpy(), [1, 4, 1, 1, 3])
    one_hot = layers.HashedCrossing(num_bins=5, output_mode="one_hot")((feature_1, feature_2)).numpy()
    np.testing.assert_array_equal(one_hot, np.eye(5, dtype="float32")[[1, 4, 1, 1, 3]])
    column = layers.HashedCrossing(num_bins=5)([feature_1[:, None], feature_2[:, None]])
    assert column.shape == (5, 1)
    assert int(layers.HashedCrossing(num_bins=5)(("A", 101)).numpy()) == 1


def test_hashed_crossing_by_hand_and_order_matters():
    h = fingerprint.fingerprint_cat64(fingerprint.CROSS_HASH_KEY, fingerprint.fingerprint64(b"x"))
    h = fingerprint.fingerprint_cat64(h, 3)                       # an integer enters as itself
    assert int(layers.HashedCrossing(num_bins=1000)((["x"], [3])).numpy()[0]) == h % 1000
    ab = layers.HashedCrossing(num_bins=10 ** 6)((["a"], ["b"])).numpy()
    ba = layers.HashedCrossing(num_bins=10 ** 6)((["b"], ["a"])).numpy()
    assert ab[0] != ba[0]


@pytest.mark.parametrize("inputs, match", [
    (np.array(["a"]), "list or tuple"), ((np.array(["a"]),), "list or tuple"),
    ((np.array([["a", "b"]]), np.array([[1, 2]])), "shape"), ((np.array(["a", "b"]), np.array([1])), "equal"),
    ((np.array([1.5]), np.array([1])), "integers or strings"),
])
def test_hashed_crossing_bad_inputs(inputs, match):
    with pytest.raises(ValueError, match=match):
        layers.HashedCrossing(num_bins=3)(inputs)


def test_bad_arguments_of_hashed_crossing():
    for kwargs, match in ((dict(num_bins=0), "num_bins"), (dict(num_bins=2, output_mode="count"), "output_mode"),
                          (dict(num_bins=2, sparse=True), "sparse")):
        with pytest.raises(ValueError, match=match):
            layers.HashedCrossing(**kwargs)


@pytest.mark.parametrize("make", [
    lambda: layers.Hashing(num_bins=5, mask_value="", salt=[3, 4], output_mode="multi_hot"),
    lambda: layers.Hashing(num_bins=5, salt=7),
    lambda: layers.HashedCrossing(num_bins=7, output_mode="one_hot"),
])
def test_config_round_trip(make):
    layer = make()
    config = json.loads(json.dumps(layer.get_config()))
    clone = type(layer).from_config(config)
    inputs = (["a", "b", ""], [1, 2, 3]) if isinstance(layer, layers.HashedCrossing) else [["a", "b"], ["", "c"]]
    np.testing.assert_array_equal(clone(inputs).numpy(), layer(inputs).numpy())
    assert clone.get_config() == config


def test_hashing_keys_match_keras():
    config = layers.Hashing(num_bins=3, salt=5).get_config()
    assert set(config) - {"name", "trainable", "dtype"} == {"num_bins", "salt", "mask_value", "output_mode", "sparse"}
    assert config["salt"] == [5, 5] and config["dtype"] == "int64"
    assert set(layers.HashedCrossing(num_bins=3).get_config()) == {"num_bins", "output_mode", "sparse", "name",
                                                                  "dtype"}


def test_in_a_functional_model_with_string_and_integer_inputs():
    words = gn.Input(shape=(1,), dtype="string")
    ids = gn.Input(shape=(1,), dtype="int64")
    hashed = layers.Hashing(num_bins=4, output_mode="one_hot")(words)
    crossed = layers.HashedCrossing(num_bins=3, output_mode="one_hot")([words, ids])
    assert hashed.shape == (None, 4) and crossed.shape == (None, 3)
    model = gn.Model([words, ids], layers.Concatenate()([hashed, crossed]))
    output = model.predict([np.array([["A"], ["B"]]), np.array([[1], [2]])], verbose=0)
    np.testing.assert_array_equal(output[:, :4], np.eye(4)[[fingerprint.fingerprint64(b"A") % 4,
                                                            fingerprint.fingerprint64(b"B") % 4]])
    assert output.shape == (2, 7) and np.all(output[:, 4:].sum(axis=1) == 1)

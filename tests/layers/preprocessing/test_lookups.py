"""StringLookup and IntegerLookup (index_lookup.py's shared vocabulary): Keras's docstring
examples, the ranking rule by hand, OOV buckets, invert, tf·idf, saving, and bad input."""
import json
import math
import warnings

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers
from glassnet.layers.preprocessing import fingerprint

VOCAB = ["a", "b", "c", "d"]
DATA = [["a", "c", "d"], ["d", "z", "b"]]
INT_VOCAB = [12, 36, 1138, 42]
INT_DATA = np.array([[12, 1138, 42], [42, 1000, 36]])


def values(tensor):
    return tensor.numpy().tolist()


# --- Keras's docstring examples ------------------------------------------------------------------
def test_string_lookup_keras_examples():
    assert values(layers.StringLookup(vocabulary=VOCAB)(DATA)) == [[1, 3, 4], [4, 0, 2]]
    adapted = layers.StringLookup()
    adapted.adapt(DATA)
    assert adapted.get_vocabulary() == ["[UNK]", "d", "z", "c", "b", "a"]
    assert values(adapted(DATA)) == [[5, 3, 1], [1, 2, 4]]
    assert values(layers.StringLookup(vocabulary=VOCAB, num_oov_indices=2)(DATA)) == [[2, 4, 5], [5, 1, 3]]
    one_hot = layers.StringLookup(vocabulary=VOCAB, output_mode="one_hot")(["a", "b", "c", "d", "z"])
    np.testing.assert_array_equal(one_hot.numpy(), np.eye(5)[[1, 2, 3, 4, 0]])
    counts_data = [["a", "c", "d", "d"], ["d", "z", "b", "z"]]
    multi_hot = layers.StringLookup(vocabulary=VOCAB, output_mode="multi_hot")(counts_data)
    assert values(multi_hot) == [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]]
    counts = layers.StringLookup(vocabulary=VOCAB, output_mode="count")(counts_data)
    assert values(counts) == [[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]]
    tf_idf = layers.StringLookup(output_mode="tf_idf", vocabulary=VOCAB, idf_weights=[0.25, 0.75, 0.6, 0.4])
    np.testing.assert_allclose(tf_idf(counts_data).numpy(), [[0, .25, 0, .6, .8], [1.0, 0, .75, 0, .4]], rtol=1e-6)
    with_unk = layers.StringLookup(output_mode="tf_idf", vocabulary=["[UNK]"] + VOCAB,
                                   idf_weights=[0.9, 0.25, 0.75, 0.6, 0.4])
    np.testing.assert_allclose(with_unk(counts_data).numpy(), [[0, .25, 0, .6, .8], [1.8, 0, .75, 0, .4]], rtol=1e-6)
    inverse = layers.StringLookup(vocabulary=VOCAB, invert=True)(np.array([[1, 3, 4], [4, 0, 2]]))
    assert inverse.tolist() == [["a", "c", "d"], ["d", "[UNK]", "b"]]


def test_integer_lookup_keras_examples():
    assert values(layers.IntegerLookup(vocabulary=INT_VOCAB)(INT_DATA)) == [[1, 3, 4], [4, 0, 2]]
    adapted = layers.IntegerLookup()
    adapted.adapt(INT_DATA)
    assert adapted.get_vocabulary() == [-1, 42, 1138, 1000, 36, 12]
    assert values(adapted(INT_DATA)) == [[5, 2, 1], [1, 3, 4]]
    two_oov = layers.IntegerLookup(vocabulary=INT_VOCAB, num_oov_indices=2)
    # 37 mod 2 = 1, 1000 mod 2 = 0
    assert values(two_oov(np.array([[12, 1138, 42], [37, 1000, 36]]))) == [[2, 4, 5], [1, 0, 3]]
    oov_values = np.array([100, 300, 700, 1100, 1700, 2000])
    floormod = layers.IntegerLookup(vocabulary=[10, 20, 30], num_oov_indices=4, oov_method="floormod")
    farmhash = layers.IntegerLookup(vocabulary=[10, 20, 30], num_oov_indices=4, oov_method="farmhash")
    assert values(floormod(oov_values)) == [0, 0, 0, 0, 0, 0]
    assert values(farmhash(oov_values)) == [3, 3, 2, 2, 0, 1]
    inverse = layers.IntegerLookup(vocabulary=INT_VOCAB, invert=True)(np.array([[1, 3, 4], [4, 0, 2]]))
    assert values(inverse) == [[12, 1138, 42], [42, -1, 36]]
    forward = layers.IntegerLookup(vocabulary=INT_VOCAB)
    back = layers.IntegerLookup(vocabulary=forward.get_vocabulary(), invert=True)
    assert values(back(forward(INT_DATA))) == [[12, 1138, 42], [42, -1, 36]]


# --- the rules by hand -----------------------------------------------------------------------------
def test_adapt_ranks_by_count_then_by_token_descending():
    layer = layers.StringLookup()
    layer.adapt(["b", "a", "c", "a", "é", "B"])      # a ×2; then b, c, é, B once: code-point order, descending
    assert layer.get_vocabulary() == ["[UNK]", "a", "é", "c", "b", "B"]
    numbers = layers.IntegerLookup(max_tokens=4)
    numbers.adapt([5, -2, 7, 7, 3])                  # 7 ×2; then 5 > 3 > −2, cut to 4 entries with the OOV
    assert numbers.get_vocabulary() == [-1, 7, 5, 3]
    assert numbers.vocabulary_size() == 4


def test_mask_token_and_num_oov_indices():
    layer = layers.StringLookup(vocabulary=VOCAB, mask_token="")
    assert layer.get_vocabulary() == ["", "[UNK]"] + VOCAB
    assert values(layer([["a", ""], ["z", "d"]])) == [[2, 0], [1, 5]]
    multi_hot = layers.StringLookup(vocabulary=VOCAB, mask_token="", output_mode="multi_hot")
    assert multi_hot.get_vocabulary() == ["[UNK]"] + VOCAB       # no mask slot outside "int": it is dropped
    assert values(multi_hot([["a", ""]])) == [[0, 1, 0, 0, 0]]
    masked_ints = layers.IntegerLookup(vocabulary=INT_VOCAB, mask_token=0)
    assert values(masked_ints([[12, 0, 7]])) == [[2, 0, 1]]
    strict = layers.StringLookup(vocabulary=VOCAB, num_oov_indices=0)
    assert values(strict(["d", "a"])) == [3, 0]
    with pytest.raises(ValueError, match="num_oov_indices=0.*'z'"):
        strict(["a", "z"])
    # several OOV indices: FarmHash64 of the string (SipHash with a salt) mod num_oov_indices
    hashed = layers.StringLookup(vocabulary=VOCAB, num_oov_indices=3)
    assert values(hashed(["zz"])) == [fingerprint.fingerprint64(b"zz") % 3]
    salted = layers.StringLookup(vocabulary=VOCAB, num_oov_indices=3, salt=[1, 2])
    assert values(salted(["zz"])) == [fingerprint.siphash24((1, 2), b"zz") % 3]


def test_tf_idf_adapt_by_hand():
    # documents {a, b}, {a, c}: N = 2, df(a) = 2, df(b) = df(c) = 1;  idf(t) = ln(1 + N / (1 + df(t)))
    layer = layers.StringLookup(output_mode="tf_idf")
    layer.adapt(np.array([["a", "b"], ["a", "c"]]))
    assert layer.get_vocabulary() == ["[UNK]", "a", "c", "b"]
    idf_a, idf_1 = math.log(1 + 2 / 3), math.log(1 + 2 / 2)
    unk = (idf_a + 2 * idf_1) / 3                               # the mean of the learned weights
    np.testing.assert_allclose(layer([["a", "a", "x"]]).numpy(), [[unk, 2 * idf_a, 0, 0]], rtol=1e-6)
    # a 1-D array is one document per element; a 1-D batch of an iterable is one document (Keras's rule)
    per_element = layers.StringLookup(output_mode="tf_idf")
    per_element.adapt(["a", "a", "b"])
    one_document = layers.StringLookup(output_mode="tf_idf")
    one_document.adapt(iter([np.array(["a", "a", "b"])]))
    assert per_element.get_config()["idf_weights"][1] == pytest.approx(math.log(1 + 3 / 3))
    assert one_document.get_config()["idf_weights"][1] == pytest.approx(math.log(1 + 1 / 2))


def test_pad_to_max_tokens_and_shapes():
    layer = layers.IntegerLookup(vocabulary=[5, 6], output_mode="count", max_tokens=6, pad_to_max_tokens=True)
    assert values(layer([[5, 5, 9]])) == [[1, 2, 0, 0, 0, 0]]
    assert layer.compute_output_shape((None, 3)) == (None, 6)
    one_hot = layers.StringLookup(vocabulary=VOCAB, output_mode="one_hot")
    assert one_hot.compute_output_shape((None, 1)) == (None, 5)
    assert one_hot(["a"]).shape == (5,)              # TensorFlow's rule: one id of shape (1,) → one vector
    assert one_hot([["a"], ["b"]]).shape == (2, 5)
    assert layers.StringLookup(vocabulary=VOCAB)("c").numpy() == 3
    assert layers.StringLookup(vocabulary=VOCAB)([b"c"]).numpy().tolist() == [3]


def test_vocabulary_files_and_set_vocabulary(tmp_path):
    path = tmp_path / "vocabulary.txt"
    path.write_text("[UNK]\na\nb\n\n", encoding="utf-8")
    assert layers.StringLookup(vocabulary=str(path)).get_vocabulary() == ["[UNK]", "a", "b"]
    ints = tmp_path / "ints.txt"
    ints.write_text("7\n3\n")
    assert layers.IntegerLookup(vocabulary=str(ints)).get_vocabulary() == [-1, 7, 3]
    layer = layers.StringLookup()
    layer.set_vocabulary(["x", "y"])
    assert values(layer(["y", "q"])) == [2, 0]
    layer.adapt(["q", "q"])                           # set_vocabulary does not freeze it (as in Keras)
    assert layer.get_vocabulary(include_special_tokens=False) == ["q"]


@pytest.mark.parametrize("cls, kwargs, match", [
    (layers.StringLookup, dict(max_tokens=1), "max_tokens"), (layers.StringLookup, dict(pad_to_max_tokens=True),
                                                              "max_tokens"),
    (layers.StringLookup, dict(num_oov_indices=-1), "num_oov_indices"),
    (layers.StringLookup, dict(output_mode="one_hot", invert=True), "invert"),
    (layers.StringLookup, dict(output_mode="ids"), "output_mode"), (layers.StringLookup, dict(sparse=True), "sparse"),
    (layers.StringLookup, dict(idf_weights=[1.0], vocabulary=["a"]), "idf_weights"),
    (layers.StringLookup, dict(output_mode="tf_idf", vocabulary=["a"]), "idf_weights"),
    (layers.StringLookup, dict(output_mode="tf_idf", vocabulary=["a"], idf_weights=[1., 2., 3.]), "idf_weights"),
    (layers.StringLookup, dict(vocabulary=[]), "empty"), (layers.StringLookup, dict(vocabulary=["a", "a"]), "repeated"),
    (layers.StringLookup, dict(vocabulary=["a", ""], mask_token=""), "mask token"),
    (layers.StringLookup, dict(vocabulary=["a", "[UNK]"], invert=True), "OOV token"),
    (layers.StringLookup, dict(vocabulary=["a", "b"], max_tokens=2), "max_tokens"),
    (layers.StringLookup, dict(vocabulary="/no/such/file.txt"), "does not exist"),
    (layers.StringLookup, dict(encoding="nope-8"), "encoding"), (layers.StringLookup, dict(salt="x"), "salt"),
    (layers.IntegerLookup, dict(salt=3), "farmhash"), (layers.IntegerLookup, dict(oov_method="mod"), "oov_method"),
    (layers.IntegerLookup, dict(vocabulary_dtype="int32"), "int64"),
    (layers.IntegerLookup, dict(mask_token="0"), "mask_token"), (layers.IntegerLookup, dict(bogus=1), "bogus"),
])
def test_bad_arguments(cls, kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        cls(**kwargs)


def test_bad_use():
    with pytest.raises(ValueError, match="static vocabulary"):
        layers.StringLookup(vocabulary=VOCAB).adapt(DATA)
    with pytest.raises(ValueError, match="no tokens"):
        layers.StringLookup(mask_token="").adapt(["", ""])
    with pytest.raises(RuntimeError, match="vocabulary"):
        layers.StringLookup(output_mode="multi_hot")(["a"])
    with pytest.raises(TypeError, match="StringLookup: inputs must be strings"):
        layers.StringLookup(vocabulary=VOCAB)(np.array([1, 2]))
    with pytest.raises(TypeError, match="must be numbers"):
        layers.IntegerLookup(vocabulary=INT_VOCAB)(np.array(["a"]))
    with pytest.raises(ValueError, match="integers"):
        layers.IntegerLookup(vocabulary=INT_VOCAB)([1.5])
    with pytest.raises(TypeError, match="dtype=\"string\""):
        layers.StringLookup(vocabulary=VOCAB)(gn.Input(shape=(1,), dtype="int64"))
    with pytest.raises(RuntimeError, match="before putting"):
        layers.IntegerLookup(output_mode="count")(gn.Input(shape=(1,), dtype="int64"))
    # no vocabulary yet in "int" mode: everything is out of vocabulary, as in Keras
    assert values(layers.IntegerLookup()([3, 4])) == [0, 0]


@pytest.mark.parametrize("make, inputs", [
    (lambda: layers.StringLookup(output_mode="tf_idf", max_tokens=4, pad_to_max_tokens=True), DATA),
    (lambda: layers.StringLookup(mask_token="", num_oov_indices=2, salt=9), DATA),
    (lambda: layers.IntegerLookup(output_mode="one_hot", oov_method="farmhash", num_oov_indices=2), INT_DATA),
    (lambda: layers.IntegerLookup(mask_token=0, oov_token=-7), INT_DATA),
])
def test_config_round_trip_after_adapt(make, inputs):
    layer = make()
    layer.adapt(inputs)
    config = json.loads(json.dumps(layer.get_config()))
    clone = type(layer).from_config(config)
    assert clone.get_vocabulary() == layer.get_vocabulary()
    np.testing.assert_array_equal(clone(inputs).numpy(), layer(inputs).numpy())
    clone.adapt(inputs)                                   # an adapted vocabulary stays adaptable
    keras_keys = {"invert", "max_tokens", "num_oov_indices", "oov_token", "mask_token", "output_mode", "sparse",
                  "pad_to_max_tokens", "idf_weights", "vocabulary", "vocabulary_size", "oov_method", "salt"}
    extra = {"encoding"} if isinstance(layer, layers.StringLookup) else {"vocabulary_dtype"}
    assert set(config) - {"name", "trainable", "dtype", "has_input_vocabulary"} == keras_keys | extra


def test_inverse_round_trip_config():
    layer = layers.StringLookup(vocabulary=VOCAB, invert=True, mask_token="")
    clone = layers.StringLookup.from_config(json.loads(json.dumps(layer.get_config())))
    assert clone([[0, 2, 9]]).tolist() == [["", "a", "[UNK]"]]


@pytest.mark.parametrize("suffix", [".glassnet", ".keras"])
def test_in_a_functional_model_saved_and_loaded(tmp_path, suffix):
    pytest.importorskip("h5py") if suffix == ".keras" else None
    words = gn.Input(shape=(1,), dtype="string")
    ids = gn.Input(shape=(1,), dtype="int64")
    string_lookup = layers.StringLookup(output_mode="one_hot")
    string_lookup.adapt(np.array([["red"], ["blue"], ["red"]]))
    integer_lookup = layers.IntegerLookup(output_mode="multi_hot", num_oov_indices=2)
    integer_lookup.adapt(np.array([3, 5, 5]))
    features = layers.Concatenate()([string_lookup(words), integer_lookup(ids)])
    assert features.shape == (None, 3 + 4)
    model = gn.Model([words, ids], layers.Dense(1, activation="sigmoid")(features))
    model.compile(optimizer="adam", loss="binary_crossentropy")
    x = [np.array([["red"], ["green"], ["blue"]]), np.array([[3], [5], [8]])]
    model.fit(x, np.array([[1.0], [0.0], [1.0]]), epochs=1, verbose=0)
    expected = model.predict(x, verbose=0)
    path = tmp_path / f"model{suffix}"
    with warnings.catch_warnings():       # .keras: a warning while KERAS_LAYERS does not list these classes
        warnings.simplefilter("ignore")
        model.save(path)
    loaded = gn.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), expected, rtol=1e-6)
    assert [layer.get_vocabulary() for layer in loaded.layers if isinstance(layer, layers.StringLookup)] == \
        [["[UNK]", "red", "blue"]]

"""TextVectorization: the course's three sentences by hand, Keras's own examples, bad input.

The layer maps strings to ids/counts; it has no weights and no gradient (its input is text),
so there is no gradient check here.
"""
import json
import math
import string

import numpy as np
import pytest

import glassnet as gn
from glassnet import backend, layers
from glassnet.layers.registry import deserialize, register_serializable, serialize
from glassnet.layers.preprocessing.text_pipeline import PUNCTUATION
from glassnet.layers.preprocessing.text_vectorization import TextVectorization

COURSE = ["He is a good boy", "She is a good girl", "Boy and girl are good"]
# After "lower_and_strip_punctuation" + "whitespace", the 15 tokens counted:
#   good 3 | is 2, a 2, boy 2, girl 2 | he 1, she 1, and 1, are 1
# sorted by count (descending), ties by the token itself (descending):
#   good | is, girl, boy, a | she, he, are, and
COURSE_TOKENS = ["good", "is", "girl", "boy", "a", "she", "he", "are", "and"]

# idf(t) = ln(1 + N / (1 + df(t))), N = 3 documents
IDF_GOOD = math.log(1 + 3 / (1 + 3))    # df 3: ln 1.75 = 0.559616
IDF_TWO = math.log(1 + 3 / (1 + 2))     # df 2 (is, a, boy, girl): ln 2 = 0.693147
IDF_ONE = math.log(1 + 3 / (1 + 1))     # df 1 (he, she, and, are): ln 2.5 = 0.916291
IDF_UNK = (IDF_GOOD + 4 * IDF_TWO + 4 * IDF_ONE) / 9  # mean of the 9 learned = 0.777485


def adapted(**kwargs):
    layer = TextVectorization(**kwargs)
    layer.adapt(COURSE)
    return layer


# --------------------------------------------------------------------------- Keras's examples

def test_keras_docstring_adapt_flow():
    # foo 1, bar 2, baz 2, bada 1, boom 1 -> baz, bar | foo, boom, bada
    layer = TextVectorization(max_tokens=5000, output_mode="int", output_sequence_length=4)
    layer.adapt(["foo bar", "bar baz", "baz bada boom"])
    assert layer.get_vocabulary() == ["", "[UNK]", "baz", "bar", "foo", "boom", "bada"]
    out = layer([["foo qux bar"], ["qux baz"]])
    assert isinstance(out, gn.Tensor) and out.dtype == np.int64
    np.testing.assert_array_equal(out.numpy(), [[4, 1, 3, 0], [1, 2, 0, 0]])


def test_keras_docstring_given_vocabulary():
    layer = TextVectorization(max_tokens=5000, output_sequence_length=4,
                              vocabulary=["earth", "wind", "and", "fire"])
    assert layer.get_vocabulary() == ["", "[UNK]", "earth", "wind", "and", "fire"]


@pytest.mark.parametrize("how", ["constructor", "set_vocabulary"])
def test_keras_fixed_vocabulary(how):
    if how == "constructor":
        layer = TextVectorization(output_sequence_length=4, vocabulary=["baz", "bar", "foo"])
    else:
        layer = TextVectorization(output_sequence_length=4)
        layer.set_vocabulary(["baz", "bar", "foo"])
    np.testing.assert_array_equal(layer([["foo qux bar"], ["qux baz"]]).numpy(), [[4, 1, 3, 0], [1, 2, 0, 0]])


def test_keras_multi_hot_count_tf_idf_with_given_vocabulary():
    vocabulary = ["foo", "bar", "baz"]  # indices 1, 2, 3; 0 is [UNK]
    multi_hot = TextVectorization(output_mode="multi_hot", vocabulary=vocabulary)
    np.testing.assert_array_equal(multi_hot([["foo bar"], ["baz foo foo"]]).numpy(), [[0, 1, 1, 0], [0, 1, 0, 1]])
    count = TextVectorization(output_mode="count", vocabulary=vocabulary)
    np.testing.assert_array_equal(count(["foo bar", "baz foo foo"]).numpy(), [[0, 1, 1, 0], [0, 2, 0, 1]])
    # tf-idf = count · idf: "baz foo foo" -> foo 2·0.3 = 0.6, baz 1·0.2 = 0.2
    tf_idf = TextVectorization(output_mode="tf_idf", vocabulary=vocabulary, idf_weights=[0.3, 0.5, 0.2])
    np.testing.assert_allclose(tf_idf(["foo bar", "baz foo foo"]).numpy(),
                               [[0.0, 0.3, 0.5, 0.0], [0.0, 0.6, 0.0, 0.2]], rtol=1e-6)
    # an unknown word gets the mean of the given weights: (0.3 + 0.5 + 0.2) / 3
    np.testing.assert_allclose(tf_idf(["qux"]).numpy(), [[1 / 3, 0, 0, 0]], rtol=1e-6)


def test_keras_standardization_examples():
    text = ["Hello, World!. This is just a nice test!"]
    strip = TextVectorization(vocabulary=["hello", "world", "this", "is", "nice", "test"])
    np.testing.assert_array_equal(strip(text).numpy(), [[2, 3, 4, 5, 1, 1, 6, 7]])
    lower = TextVectorization(standardize="lower",
                              vocabulary=["hello,", "hello", "world", "this", "is", "nice", "test"])
    np.testing.assert_array_equal(lower(text).numpy(), [[2, 1, 5, 6, 1, 1, 7, 1]])
    keep_case = TextVectorization(standardize="strip_punctuation", vocabulary=["Hello", "World", "Test"])
    np.testing.assert_array_equal(keep_case(["Hello, World! Test."]).numpy(), [[2, 3, 4]])
    raw = TextVectorization(standardize=None, vocabulary=["Hello", "world"])
    np.testing.assert_array_equal(raw(["Hello hello"]).numpy(), [[2, 1]])
    custom = TextVectorization(standardize=lambda s: s.replace("-", " "), vocabulary=["foo", "bar"])
    np.testing.assert_array_equal(custom(["foo-bar"]).numpy(), [[2, 3]])


def test_keras_split_examples():
    chars = TextVectorization(split="character", vocabulary=list("abcde"))
    np.testing.assert_array_equal(chars(["abcf"]).numpy(), [[2, 3, 4, 1]])
    custom = TextVectorization(split=lambda s: s.split("|"), vocabulary=["foo", "bar", "foobar"])
    # "foo|bar": punctuation stripping removes "|" first -> "foobar", one token
    np.testing.assert_array_equal(custom(["foo|bar"]).numpy(), [[4]])
    whole = TextVectorization(split=None, vocabulary=["foo", "bar", "baz"])
    np.testing.assert_array_equal(whole([["foo"], ["bar"], ["unknown"]]).numpy(), [[2], [3], [1]])
    np.testing.assert_array_equal(whole(["foo", "baz"]).numpy(), [2, 4])  # (batch,) in, (batch,) out


# --------------------------------------------------------------------------- the course, by hand

def test_course_vocabulary_after_adapt():
    layer = adapted()
    assert layer.get_vocabulary() == ["", "[UNK]"] + COURSE_TOKENS
    assert layer.get_vocabulary(include_special_tokens=False) == COURSE_TOKENS
    assert layer.vocabulary_size() == 11
    for mode in ("multi_hot", "count", "tf_idf"):
        other = adapted(output_mode=mode)
        assert other.get_vocabulary() == ["[UNK]"] + COURSE_TOKENS  # no padding token
        assert other.vocabulary_size() == 10


def test_course_int_ids_with_output_sequence_length():
    # ids: "" 0, [UNK] 1, good 2, is 3, girl 4, boy 5, a 6, she 7, he 8, are 9, and 10
    layer = adapted(output_sequence_length=6)
    np.testing.assert_array_equal(layer(COURSE).numpy(), [[8, 3, 6, 2, 5, 0],     # he is a good boy + pad
                                                          [7, 3, 6, 2, 4, 0],     # she is a good girl + pad
                                                          [5, 10, 4, 9, 2, 0]])   # boy and girl are good + pad
    short = adapted(output_sequence_length=3)
    np.testing.assert_array_equal(short(COURSE).numpy(), [[8, 3, 6], [7, 3, 6], [5, 10, 4]])  # truncated
    longest = adapted()  # no length: pad to the longest row of the batch
    np.testing.assert_array_equal(longest(["good boy", "a good girl is she"]).numpy(),
                                  [[2, 5, 0, 0, 0], [6, 2, 4, 3, 7]])


def test_unknown_words_map_to_one_in_int_mode():
    layer = adapted()
    # "the", "cat" are not in the vocabulary -> [UNK] = 1
    np.testing.assert_array_equal(layer(["The good cat"]).numpy(), [[1, 2, 1]])


def test_course_multi_hot():
    # columns: [UNK] good is girl boy a she he are and
    layer = adapted(output_mode="multi_hot")
    out = layer(COURSE + ["good good dog"])
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.numpy(), [[0, 1, 1, 0, 1, 1, 0, 1, 0, 0],
                                                [0, 1, 1, 1, 0, 1, 1, 0, 0, 0],
                                                [0, 1, 0, 1, 1, 0, 0, 0, 1, 1],
                                                [1, 1, 0, 0, 0, 0, 0, 0, 0, 0]])  # presence only


def test_course_count():
    layer = adapted(output_mode="count")
    # "good good boy is a good dog": good 3, boy 1, is 1, a 1, dog -> [UNK] 1
    np.testing.assert_array_equal(layer(["Good good boy is a good dog"]).numpy(),
                                  [[1, 3, 1, 0, 1, 1, 0, 0, 0, 0]])


def test_course_tf_idf():
    layer = adapted(output_mode="tf_idf")
    out = layer(COURSE).numpy()
    g, two, one = IDF_GOOD, IDF_TWO, IDF_ONE
    # columns: [UNK] good is girl boy a she he are and; every count is 1 here
    expected = [[0, g, two, 0, two, two, 0, one, 0, 0],      # he is a good boy
                [0, g, two, two, 0, two, one, 0, 0, 0],      # she is a good girl
                [0, g, 0, two, two, 0, 0, 0, one, one]]      # boy and girl are good
    np.testing.assert_allclose(out, expected, rtol=1e-6)
    assert round(g, 6) == 0.559616 and round(two, 6) == 0.693147 and round(one, 6) == 0.916291
    # tf is the raw count: "good good" -> 2 · 0.559616; "dog" -> [UNK] weight 0.777485
    np.testing.assert_allclose(layer(["good good dog"]).numpy()[0, :2], [IDF_UNK, 2 * g], rtol=1e-6)
    assert round(IDF_UNK, 6) == 0.777485


def test_ngrams_two_vocabulary():
    layer = adapted(ngrams=2)
    # bigrams: "he is" 1, "is a" 2, "a good" 2, "good boy" 1, "she is" 1, "good girl" 1,
    #          "boy and" 1, "and girl" 1, "girl are" 1, "are good" 1 — plus the unigrams
    # count 3: good | count 2 (descending): is a, is, girl, boy, a good, a |
    # count 1 (descending): she is, she, he is, he, good girl, good boy, girl are, boy and, are good, are,
    #                       and girl, and
    assert layer.get_vocabulary(include_special_tokens=False) == [
        "good", "is a", "is", "girl", "boy", "a good", "a", "she is", "she", "he is", "he", "good girl",
        "good boy", "girl are", "boy and", "are good", "are", "and girl", "and"]
    # unigrams first, then bigrams: he is a / he is, is a -> 12, 4, 6, 11, 3
    np.testing.assert_array_equal(layer(["he is a"]).numpy(), [[12, 4, 8, 11, 3]])


def test_ngrams_tuple_and_keras_examples():
    both = TextVectorization(ngrams=2)
    both.adapt(["foo bar baz"])
    assert "foo bar" in both.get_vocabulary() and "bar baz" in both.get_vocabulary()
    skip = TextVectorization(ngrams=(1, 3))
    skip.adapt(["foo bar baz"])
    vocabulary = skip.get_vocabulary()
    assert "foo" in vocabulary and "foo bar baz" in vocabulary and "foo bar" not in vocabulary


def test_max_tokens_truncation():
    # max_tokens counts the reserved tokens: "int" keeps 5 − 2 = 3 learned, others 5 − 1 = 4
    ids = adapted(max_tokens=5)
    assert ids.get_vocabulary() == ["", "[UNK]", "good", "is", "girl"]
    np.testing.assert_array_equal(ids(["he is a good boy"]).numpy(), [[1, 3, 1, 2, 1]])
    bag = adapted(max_tokens=5, output_mode="multi_hot")
    assert bag.get_vocabulary() == ["[UNK]", "good", "is", "girl", "boy"]
    np.testing.assert_array_equal(bag(["he is a good boy"]).numpy(), [[1, 1, 1, 0, 1]])
    keras_case = TextVectorization(max_tokens=5)
    keras_case.adapt(["a b c d e f g h i j"])
    assert len(keras_case.get_vocabulary()) == 5


def test_tf_idf_after_max_tokens_uses_mean_of_kept_tokens():
    layer = adapted(output_mode="tf_idf", max_tokens=3)  # [UNK], good, is
    np.testing.assert_allclose(layer(["bird"]).numpy(), [[(IDF_GOOD + IDF_TWO) / 2, 0, 0]], rtol=1e-6)


def test_pad_to_max_tokens():
    layer = TextVectorization(output_mode="multi_hot", vocabulary=["foo", "bar"], max_tokens=8, pad_to_max_tokens=True)
    np.testing.assert_array_equal(layer(["foo bar"]).numpy(), [[0, 1, 1, 0, 0, 0, 0, 0]])
    assert layer.compute_output_shape((None,)) == (None, 8)
    tf_idf = adapted(output_mode="tf_idf", max_tokens=12, pad_to_max_tokens=True)
    out = tf_idf(["good"]).numpy()
    assert out.shape == (1, 12)
    np.testing.assert_allclose(out[0, :2], [0, IDF_GOOD], rtol=1e-6)
    assert not out[0, 10:].any()


def test_tie_break_and_whitespace_rules():
    layer = TextVectorization()
    layer.adapt(["b a", "c"])  # all once: descending token order
    assert layer.get_vocabulary(include_special_tokens=False) == ["c", "b", "a"]
    # runs of ASCII whitespace split; a no-break space (U+00A0) does not (as tf.strings.split)
    tokens = TextVectorization(vocabulary=["a", "b"], split="whitespace")
    np.testing.assert_array_equal(tokens(["  a \t\n b  "]).numpy(), [[2, 3]])
    np.testing.assert_array_equal(tokens(["a\u00a0b"]).numpy(), [[1]])


def test_punctuation_set_and_ascii_only_lowering():
    assert PUNCTUATION == string.punctuation and len(PUNCTUATION) == 32
    layer = TextVectorization(split=None, vocabulary=["dont", "stateoftheart", "¿qué", "École"])
    # only the 32 ASCII signs go; only A-Z are lowered (tf.strings.lower without encoding)
    np.testing.assert_array_equal(layer(["Don't", "State-of-the-Art", "¿Qué?", "ÉCOLE", "école"]).numpy(),
                                  [2, 3, 4, 5, 1])
    everything = TextVectorization(split=None, vocabulary=["x"])
    np.testing.assert_array_equal(everything([PUNCTUATION + "X"]).numpy(), [2])


def test_unicode_accents_and_emoji():
    layer = TextVectorization()
    layer.adapt(["Café naïve 😀 👍🏽 日本語", "café 😀"])
    assert layer.get_vocabulary()[2:4] == ["😀", "café"]
    np.testing.assert_array_equal(layer(["😀 café ñ"]).numpy(), [[2, 3, 1]])
    chars = TextVectorization(split="character", output_mode="count")
    chars.adapt(["né😀"])
    assert sorted(chars.get_vocabulary()[1:]) == sorted(["n", "é", "😀"])
    assert chars(["😀😀"]).numpy().sum() == 2


def test_single_string_bytes_and_2d_input():
    layer = adapted()
    np.testing.assert_array_equal(layer("good boy").numpy(), [2, 5])  # a str: one row, no batch axis
    np.testing.assert_array_equal(layer(np.array([b"good boy"])).numpy(), [[2, 5]])  # bytes are decoded
    np.testing.assert_array_equal(layer(np.array([["good"], ["boy"]])).numpy(), [[2], [5]])
    bag = adapted(output_mode="count")
    assert bag("good").shape == (10,)


def test_float64_floatx():
    backend.set_floatx("float64")
    layer = adapted(output_mode="tf_idf")
    out = layer(["good"])
    assert out.dtype == np.float64
    assert out.numpy()[0, 1] == pytest.approx(IDF_GOOD, rel=1e-7)


def test_adapt_from_batches_and_steps():
    def batches():
        yield ["He is a good boy", "She is a good girl"]
        yield np.array([["Boy and girl are good"]])
        yield ["unique"]

    layer = TextVectorization()
    layer.adapt(batches(), steps=2)
    assert layer.get_vocabulary() == ["", "[UNK]"] + COURSE_TOKENS
    chunked = TextVectorization(output_mode="tf_idf")
    chunked.adapt(np.array(COURSE).reshape(3, 1), batch_size=2)
    np.testing.assert_allclose(chunked(COURSE).numpy(), adapted(output_mode="tf_idf")(COURSE).numpy())
    again = adapted()
    again.adapt(["x y y"])  # adapting again replaces the vocabulary
    assert again.get_vocabulary() == ["", "[UNK]", "y", "x"]


def test_vocabulary_file(tmp_path):
    path = tmp_path / "vocabulary.txt"
    path.write_text("foo\nbar\nbaz\n", encoding="utf-8")
    layer = TextVectorization(vocabulary=str(path))
    np.testing.assert_array_equal(layer(["foo bar baz unknown"]).numpy(), [[2, 3, 4, 1]])


def test_set_vocabulary_with_reserved_tokens_and_old_mode_names():
    layer = TextVectorization(vocabulary=["", "[UNK]", "a", "b"])
    assert layer.get_vocabulary() == ["", "[UNK]", "a", "b"]
    assert TextVectorization(output_mode="binary").output_mode == "multi_hot"
    tf_idf = TextVectorization(output_mode="tf-idf", vocabulary=["[UNK]", "a"], idf_weights=[0.9, 0.4])
    np.testing.assert_allclose(tf_idf(["a z"]).numpy(), [[0.9, 0.4]], rtol=1e-6)


def test_compute_output_shape():
    assert adapted(output_sequence_length=7).compute_output_shape((4,)) == (4, 7)
    assert adapted().compute_output_shape((None, 1)) == (None, None)
    assert adapted(output_mode="count").compute_output_shape((3,)) == (3, 10)


# --------------------------------------------------------------------------- configuration

@pytest.mark.parametrize("kwargs", [dict(output_sequence_length=6), dict(output_mode="multi_hot"),
                                    dict(output_mode="tf_idf", max_tokens=8, pad_to_max_tokens=True),
                                    dict(ngrams=(1, 2), standardize="lower", output_mode="count")])
def test_config_round_trip_reproduces_outputs(kwargs):
    layer = adapted(**kwargs)
    texts = COURSE + ["A good dog, a good cat!"]
    spec = json.loads(json.dumps(serialize(layer)))
    clone = deserialize(spec)
    assert isinstance(clone, TextVectorization) and clone.get_vocabulary() == layer.get_vocabulary()
    np.testing.assert_array_equal(clone(texts).numpy(), layer(texts).numpy())
    clone.adapt(["new words"])  # an adapted layer stays adaptable after loading


def test_config_with_given_vocabulary_and_keras_keys():
    layer = TextVectorization(vocabulary=["one", "two"], output_sequence_length=5)
    config = layer.get_config()
    for key in ("max_tokens", "standardize", "split", "ngrams", "output_mode", "output_sequence_length",
                "pad_to_max_tokens", "sparse", "ragged", "vocabulary", "idf_weights", "encoding", "vocabulary_size"):
        assert key in config
    assert config["vocabulary"] == ["", "[UNK]", "one", "two"] and config["vocabulary_size"] == 4
    clone = TextVectorization.from_config(config)
    np.testing.assert_array_equal(clone(["two one three"]).numpy(), [[3, 2, 1, 0, 0]])
    with pytest.raises(ValueError, match="static vocabulary"):
        clone.adapt(["x"])


def test_registered_callables_round_trip():
    @register_serializable(package="TestText", name="dash_to_space")
    def dash_to_space(text):
        return text.replace("-", " ")

    layer = TextVectorization(standardize=dash_to_space, vocabulary=["foo", "bar"])
    config = layer.get_config()
    assert config["standardize"] == "TestText>dash_to_space"
    np.testing.assert_array_equal(TextVectorization.from_config(config)(["foo-bar"]).numpy(), [[2, 3]])
    with pytest.raises(ValueError, match="register_serializable"):
        TextVectorization(split=lambda s: s.split(), vocabulary=["a"]).get_config()


# --------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("bad, named", [([1, 2], "int"), (np.array([1.5, 2.5]), "float64"),
                                        (["ok", 3], "int"), (gn.Tensor([1.0]), "Tensor"), (None, "NoneType")])
def test_numbers_instead_of_strings(bad, named):
    layer = adapted()
    with pytest.raises(TypeError, match=named):
        layer(bad)
    with pytest.raises(TypeError, match=named):
        TextVectorization().adapt(bad)


def test_call_before_vocabulary():
    for mode in ("int", "multi_hot"):
        with pytest.raises(RuntimeError, match="adapt"):
            TextVectorization(output_mode=mode)(["hello"])


def test_unknown_output_mode_lists_valid_ones():
    with pytest.raises(ValueError, match="output_mode='onehot'.*'int', 'multi_hot', 'count', 'tf_idf'"):
        TextVectorization(output_mode="onehot")


@pytest.mark.parametrize("kwargs, match", [
    (dict(standardize="upper"), "standardize"), (dict(split="comma"), "split"), (dict(ngrams="two"), "ngrams"),
    (dict(ngrams=0), "ngrams"), (dict(max_tokens=1), "max_tokens"), (dict(pad_to_max_tokens=True), "max_tokens"),
    (dict(output_mode="count", output_sequence_length=3), "output_sequence_length"),
    (dict(output_sequence_length=-1), "output_sequence_length"), (dict(sparse=True), "sparse"),
    (dict(ragged=True), "ragged"), (dict(encoding="nope-8"), "encoding"),
    (dict(idf_weights=[1.0], vocabulary=["a"]), "idf_weights"),
    (dict(output_mode="tf_idf", vocabulary=["a"]), "idf_weights"),
    (dict(output_mode="tf_idf", vocabulary=["a"], idf_weights=[1.0, 2.0, 3.0]), "idf_weights"),
    (dict(vocabulary=[]), "empty"), (dict(vocabulary=["a", "b", "a"]), "repeated"),
    (dict(vocabulary=["a", ""]), "mask token"), (dict(vocabulary=["a", "b", "c"], max_tokens=4), "max_tokens"),
    (dict(vocabulary="/no/such/vocabulary.txt"), "does not exist"), (dict(bogus=1), "bogus"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        TextVectorization(**kwargs)


def test_bad_shapes_and_adapt_arguments():
    layer = adapted()
    with pytest.raises(ValueError, match="shape"):
        layer([["a b", "c d"]])
    with pytest.raises(TypeError, match="single str"):
        TextVectorization().adapt("just one string")
    with pytest.raises(ValueError, match="empty"):
        TextVectorization().adapt([])
    with pytest.raises(ValueError, match="no tokens"):
        TextVectorization().adapt(["", "!!!"])
    with pytest.raises(ValueError, match="steps"):
        TextVectorization().adapt(COURSE, steps=1)
    with pytest.raises(ValueError, match="batch_size"):
        TextVectorization().adapt(COURSE, batch_size=0)


# --------------------------------------------------------------------------- on symbolic inputs (in a model)

@pytest.mark.parametrize("kwargs, input_shape, expected", [
    (dict(output_mode="tf_idf"), (1,), (None, 10)),                       # |V| = [UNK] + 9 course tokens
    (dict(output_mode="multi_hot", max_tokens=16, pad_to_max_tokens=True), (), (None, 16)),
    (dict(output_sequence_length=6), (1,), (None, 6)),
    (dict(), (1,), (None, None)),                                          # as long as the longest text
    (dict(split=None), (None,), (None, None)),                             # pre-tokenized: one id per token
    (dict(split=None), (), (None,)),                                       # one id per string
])
def test_symbolic_call_states_its_output(kwargs, input_shape, expected):
    out = adapted(**kwargs)(layers.Input(shape=input_shape, dtype="string"))
    assert out.shape == expected
    assert out.dtype == ("int64" if kwargs.get("output_mode", "int") == "int" else backend.floatx())


def test_symbolic_input_must_be_text_and_vocabulary_known():
    with pytest.raises(TypeError, match="must be strings.*float32.*dtype=\"string\""):
        adapted()(layers.Input(shape=(1,)))
    for mode in ("int", "tf_idf"):
        with pytest.raises(RuntimeError, match="no vocabulary.*adapt"):
            TextVectorization(output_mode=mode)(layers.Input(shape=(1,), dtype="string"))

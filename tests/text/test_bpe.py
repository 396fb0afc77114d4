"""Tests for glassnet.text.bpe: the merge algorithm by hand, round trips, speed, files."""
import json
import time

import numpy as np
import pytest

from glassnet.text import BPETokenizer, BytePairEncoding

CORPUS = [
    "The quick brown fox jumps over the lazy dog.",
    "The lazy dog sleeps; the quick fox runs away!",
    "Foxes and dogs: the eternal story of the quick and the lazy.",
    "Naïve café owners serve crème brûlée to the lazy dogs. 🙂🙂",
] * 20


def random_unicode(rng, length):
    return "".join(chr(c) for c in rng.integers(0, 0x110000, size=length))


@pytest.fixture(scope="module")
def trained():
    return BytePairEncoding().train(CORPUS, vocab_size=400)


# ---------------------------------------------------------------- the algorithm by hand

def test_textbook_example_aaabdaaabac():
    # Byte values: a=97, b=98.  Pair counts in "aaabdaaabac" (overlaps counted):
    #   aa:4  ab:2  bd:1  da:1  ba:1  ac:1             -> merge aa = 256: "Z a b d Z a b a c"
    #   Za:2  ab:2  bd dZ ba ac:1  tie: (97,98) < (256,97) -> merge ab = 257: "Z Y d Z Y a c"
    #   ZY:2  the rest 1                                -> merge ZY = 258: "X d X a c"
    #   every pair now occurs once < min_frequency=2    -> stop with 259 tokens
    bpe = BytePairEncoding().train(["aaabdaaabac"], vocab_size=1000)
    assert bpe.merges == [("a", "a"), ("a", "b"), ("aa", "ab")]
    assert bpe.vocab_size == 259
    assert bpe.encode("aaabdaaabac") == [258, ord("d"), 258, ord("a"), ord("c")]
    assert bpe.tokenize("aaabdaaabac") == ["aaab", "d", "aaab", "a", "c"]


def naive_bpe_merges(corpus, vocab_size, min_frequency):
    """The algorithm box verbatim: recount every pair from scratch before each merge."""
    from collections import Counter
    from glassnet.text.bpe import _WORD_PATTERN, _merge
    freq = Counter(w for doc in corpus for w in _WORD_PATTERN.findall(doc))
    words = {w: list(w.encode("utf-8", "surrogatepass")) for w in freq}
    merges = []
    while 256 + len(merges) < vocab_size:
        count = Counter()
        for w, symbols in words.items():
            for pair in zip(symbols, symbols[1:]):
                count[pair] += freq[w]
        if not count:
            break
        best = min(count, key=lambda pair: (-count[pair], pair))
        if count[best] < min_frequency:
            break
        merges.append(best)
        words = {w: _merge(symbols, best, 255 + len(merges)) for w, symbols in words.items()}
    return merges, words


@pytest.mark.parametrize("seed", range(3))
def test_incremental_training_equals_the_naive_algorithm(seed):
    rng = np.random.default_rng(seed)
    letters = list("aab ba c  ab\nd")
    corpus = ["".join(rng.choice(letters, size=int(rng.integers(0, 60)))) for _ in range(40)]
    for min_frequency in (1, 2, 5):
        bpe = BytePairEncoding().train(corpus, vocab_size=330, min_frequency=min_frequency)
        merges, segmented_words = naive_bpe_merges(corpus, 330, min_frequency)
        assert bpe._merges == merges
        # encoding a training word reproduces the segmentation training ended with
        for word, symbols in segmented_words.items():
            assert bpe.encode(word) == symbols


def test_min_frequency_one_merges_even_single_pairs():
    bpe = BytePairEncoding().train(["abc"], vocab_size=1000, min_frequency=1)
    assert bpe.merges == [("a", "b"), ("ab", "c")]
    assert bpe.tokenize("abc") == ["abc"]


def test_vocab_size_caps_the_number_of_merges():
    bpe = BytePairEncoding().train(CORPUS, vocab_size=260)
    assert bpe.vocab_size == 260 and len(bpe.merges) == 4
    assert BytePairEncoding().train(CORPUS, vocab_size=256).merges == []


def test_merges_never_cross_word_boundaries(trained):
    # A word is letters, digits or symbols with at most one leading space.
    for token in trained.vocab:
        body = token[1:] if token.startswith("Ġ") else token
        assert "Ġ" not in body


def test_frequent_words_become_single_tokens(trained):
    assert trained.tokenize("The lazy dog") == ["The", "Ġlazy", "Ġdog"]
    assert len(trained.tokenize("unseen zygote")) > 2   # rare words fall apart


def test_vocab_and_merges_are_consistent(trained):
    vocab = trained.vocab
    # The small corpus runs out of pairs seen twice before reaching 400 tokens.
    assert len(vocab) == trained.vocab_size == 256 + len(trained.merges) <= 400
    assert vocab["a"] == ord("a") and vocab["Ġ"] == ord(" ") and vocab["Ċ"] == ord("\n")
    for rank, (left, right) in enumerate(trained.merges):
        assert vocab[left + right] == 256 + rank


def test_training_on_the_same_data_is_deterministic(trained):
    again = BytePairEncoding().train(CORPUS, vocab_size=400)
    assert again.merges == trained.merges


def test_retraining_replaces_the_old_merges():
    bpe = BytePairEncoding().train(["aaaa aaaa"], vocab_size=300)
    bpe.train(["bbbb bbbb"], vocab_size=300)
    assert all("a" not in left + right for left, right in bpe.merges)


# ---------------------------------------------------------------- round trips

def test_round_trip_on_unseen_text(trained):
    text = ("Tokenizers meet text they never saw: Ζεύς, Москва, 東京, ½ + ¼ = ¾,\n"
            "\ttabs\r\nand  double  spaces, e\u0301 combining, 👩‍👩‍👧 family, \x00 NUL.")
    ids = trained.encode(text)
    assert all(isinstance(i, int) and 0 <= i < trained.vocab_size for i in ids)
    assert trained.decode(ids) == text
    vocab = trained.vocab
    assert [vocab[token] for token in trained.tokenize(text)] == ids


@pytest.mark.parametrize("seed", range(4))
def test_round_trip_on_random_unicode(trained, seed):
    rng = np.random.default_rng(seed)
    for _ in range(50):
        text = random_unicode(rng, int(rng.integers(0, 40)))   # surrogates included
        assert trained.decode(trained.encode(text)) == text


def test_round_trip_edge_cases(trained):
    for text in ["", " ", "\n\n", "   x   ", "\ud800", "\udfff\ud800", "_", "__init__"]:
        assert trained.decode(trained.encode(text)) == text
    assert trained.encode("") == [] and trained.decode([]) == ""


def test_decode_accepts_numpy_ids_and_survives_split_characters(trained):
    ids = np.array(trained.encode("the fox"), dtype=np.int64)
    assert trained.decode(ids) == "the fox"
    euro = list("€".encode("utf-8"))
    assert trained.decode(euro[:2]) == "\ufffd"   # half a character: replacement mark


def test_training_is_fast_on_a_megabyte():
    rng = np.random.default_rng(0)
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "zu", "ph", "qu", "st"]
    words = ["".join(rng.choice(syllables, size=int(rng.integers(1, 5)))) for _ in range(30_000)]
    text = " ".join(rng.choice(words, size=200_000, p=None))
    assert len(text) > 1_000_000
    start = time.perf_counter()
    bpe = BytePairEncoding().train([text], vocab_size=1000)
    assert time.perf_counter() - start < 60
    assert bpe.vocab_size == 1000
    assert bpe.decode(bpe.encode(text[:20_000])) == text[:20_000]


# ---------------------------------------------------------------- files

def test_save_and_load_round_trip(trained, tmp_path):
    path = tmp_path / "bpe.json"
    trained.save(path)
    with open(path, encoding="utf-8") as fh:
        state = json.load(fh)                     # plain JSON
    assert state["merges"][0] == list(trained._merges[0])
    loaded = BytePairEncoding.load(path)
    assert loaded.merges == trained.merges and loaded.vocab == trained.vocab
    text = "the quick café 🙂 unseen"
    assert loaded.encode(text) == trained.encode(text)
    assert list(tmp_path.iterdir()) == [path]    # no temporary file left behind


def test_load_rejects_bad_files(tmp_path):
    cases = {
        "not_json.json": "{ nope",
        "wrong_format.json": json.dumps({"format": "something else"}),
        "bad_merge.json": json.dumps({"format": "glassnet.text.BytePairEncoding",
                                      "version": 1, "merges": [[97, 300]]}),
        "bad_version.json": json.dumps({"format": "glassnet.text.BytePairEncoding",
                                        "version": 99, "merges": []}),
    }
    for name, content in cases.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
        with pytest.raises(ValueError):
            BytePairEncoding.load(tmp_path / name)


# ---------------------------------------------------------------- bad input

def test_alias():
    assert BPETokenizer is BytePairEncoding


def test_use_before_training_is_a_clear_error():
    bpe = BytePairEncoding()
    for call in (lambda: bpe.encode("x"), lambda: bpe.decode([1]), lambda: bpe.tokenize("x"),
                 lambda: bpe.save("unused.json")):
        with pytest.raises(RuntimeError, match=r"call train\(corpus, vocab_size\)"):
            call()


def test_training_input_errors():
    bpe = BytePairEncoding()
    with pytest.raises(ValueError, match="holds no text"):
        bpe.train([], vocab_size=300)
    with pytest.raises(ValueError, match="holds no text"):
        bpe.train(["", ""], vocab_size=300)
    with pytest.raises(TypeError, match="got str"):
        bpe.train("a single document", vocab_size=300)
    with pytest.raises(TypeError, match="an item of type int"):
        bpe.train(["ok", 3], vocab_size=300)
    with pytest.raises(TypeError, match="got int"):
        bpe.train(5, vocab_size=300)
    with pytest.raises(ValueError, match="'vocab_size' must be at least 256"):
        bpe.train(["text"], vocab_size=100)
    with pytest.raises(TypeError, match="'vocab_size' must be int, got float"):
        bpe.train(["text"], vocab_size=300.0)
    with pytest.raises(ValueError, match="'min_frequency' must be at least 1"):
        bpe.train(["text"], vocab_size=300, min_frequency=0)


def test_encode_decode_type_errors(trained):
    with pytest.raises(TypeError, match="'text' must be str, got bytes"):
        trained.encode(b"bytes")
    with pytest.raises(TypeError, match="'text' must be str, got NoneType"):
        trained.tokenize(None)
    with pytest.raises(TypeError, match="got str"):
        trained.decode("abc")
    with pytest.raises(TypeError, match="an item of type float"):
        trained.decode([1.5])
    with pytest.raises(ValueError, match="outside the vocabulary"):
        trained.decode([trained.vocab_size])

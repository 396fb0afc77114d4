"""Tests for glassnet.text.tokenize: sentences, words, characters, n-grams."""
import re

import numpy as np
import pytest

from glassnet.text import (char_ngrams, char_tokenize, ngrams, sent_tokenize, word_ngrams,
                           word_tokenize)


def random_unicode(rng, length):
    """A string of random code points from all planes, surrogates included."""
    return "".join(chr(c) for c in rng.integers(0, 0x110000, size=length))


def random_mixed_text(rng, length):
    """Random text weighted towards the interesting characters: spaces, marks, emoji."""
    pool = list("abcXYZ019 .,'’-!?\n\t@:/") + ["é", "e\u0301", "ß", "İ", "🙂", "👍🏽",
                                               "👩\u200d💻", "🇫🇷", "中", "文", "\u0301",
                                               "\u200d", "\ufe0f", "\ud800", "\x00", "...",
                                               "Mr.", "3.14", "don't", "http://a.b/c"]
    return "".join(pool[i] for i in rng.integers(0, len(pool), size=length))


# ---------------------------------------------------------------- sentences

@pytest.mark.parametrize("text, expected", [
    ("Hello world. How are you? I am fine!", ["Hello world.", "How are you?", "I am fine!"]),
    ("Mr. Smith met Dr. Jones at 3 p.m. today. They talked.",
     ["Mr. Smith met Dr. Jones at 3 p.m. today.", "They talked."]),
    ("Use a tool, e.g. a hammer. Or i.e. Something else.",
     ["Use a tool, e.g. a hammer.", "Or i.e. Something else."]),
    ("Pi is 3.14 roughly. Yes.", ["Pi is 3.14 roughly.", "Yes."]),
    ("Wait... what? Well... I see. Fine", ["Wait... what?", "Well...", "I see.", "Fine"]),
    ("Really?! Yes…  Okay.", ["Really?!", "Yes…", "Okay."]),
    ('He said "Stop." Then he left.', ['He said "Stop."', "Then he left."]),
    ('She asked: "Why?" "Because," he said.', ['She asked: "Why?"', '"Because," he said.']),
    ("J. K. Rowling wrote it. It sold.", ["J. K. Rowling wrote it.", "It sold."]),
    ("A title\n\nthe body starts here. done", ["A title", "the body starts here. done"]),
    ("It costs 5. 3 of us paid.", ["It costs 5. 3 of us paid."]),
    ("No terminator at the end", ["No terminator at the end"]),
    ("Ends with a period.", ["Ends with a period."]),
    ("  padded.   Text.  ", ["padded.", "Text."]),
    ("", []),
    ("   \n  ", []),
])
def test_sent_tokenize(text, expected):
    assert sent_tokenize(text) == expected


def test_sent_tokenize_uncased_scripts_start_sentences():
    assert sent_tokenize("Hello. 你好。") == ["Hello.", "你好。"]


def test_sent_tokenize_loses_no_text():
    rng = np.random.default_rng(0)
    for _ in range(200):
        text = random_mixed_text(rng, 60)
        sentences = sent_tokenize(text)
        assert "".join("".join(s.split()) for s in sentences) == "".join(text.split())


# ---------------------------------------------------------------- words

@pytest.mark.parametrize("text, expected", [
    ("Hello, world!", ["Hello", ",", "world", "!"]),
    ("don't", ["do", "n't"]),
    ("It's John's book; I'm sure they'll see, we've, you'd, they're.",
     ["It", "'s", "John", "'s", "book", ";", "I", "'m", "sure", "they", "'ll", "see", ",",
      "we", "'ve", ",", "you", "'d", ",", "they", "'re", "."]),
    ("can't won't isn't", ["ca", "n't", "wo", "n't", "is", "n't"]),
    ("don’t it’s", ["do", "n’t", "it", "’s"]),                  # curly apostrophe
    ("the students' books", ["the", "students", "'", "books"]),
    ("O'Neill rock'n'roll state-of-the-art", ["O'Neill", "rock'n'roll", "state-of-the-art"]),
    ("Pi=3.14, pop. 1,000,000 or 1.000,50 on the 3rd mp3",
     ["Pi", "=", "3.14", ",", "pop", ".", "1,000,000", "or", "1.000,50", "on", "the", "3rd",
      "mp3"]),
    ("It costs $3.50.", ["It", "costs", "$", "3.50", "."]),
    ("See https://example.com/a?b=1&c=2). Or www.glassnet.org.",
     ["See", "https://example.com/a?b=1&c=2", ")", ".", "Or", "www.glassnet.org", "."]),
    ("Mail jane.doe+nlp@uni-x.ac.uk, now", ["Mail", "jane.doe+nlp@uni-x.ac.uk", ",", "now"]),
    ("Wait... -- then", ["Wait", "...", "--", "then"]),
    ("café naïve Zürich Ελληνικά русский", ["café", "naïve", "Zürich", "Ελληνικά", "русский"]),
    ("e\u0301cole", ["e\u0301cole"]),                           # combining accent kept
    ("हिन्दी भाषा", ["हिन्दी", "भाषा"]),                               # Devanagari vowel signs
    ("I❤️NY 👍🏽 ok👩‍💻 🇫🇷🇩🇪", ["I", "❤️", "NY", "👍🏽", "ok", "👩‍💻", "🇫🇷", "🇩🇪"]),
    ("我爱北京", ["我", "爱", "北", "京"]),
    ("snake_case", ["snake_case"]),
    ("", []),
    (" \t\n ", []),
])
def test_word_tokenize(text, expected):
    assert word_tokenize(text) == expected


def test_word_tokenize_lowercase():
    assert word_tokenize("DON'T Stop", lowercase=True) == ["do", "n't", "stop"]
    assert word_tokenize("Ünïcode", lowercase=True) == ["ünïcode"]


@pytest.mark.parametrize("seed", range(5))
def test_word_tokenize_never_crashes_and_keeps_every_character(seed):
    rng = np.random.default_rng(seed)
    for make in (random_unicode, random_mixed_text):
        for _ in range(50):
            text = make(rng, int(rng.integers(0, 80)))
            tokens = word_tokenize(text)
            assert all(isinstance(t, str) and t and not t.isspace() for t in tokens)
            assert "".join(tokens) == re.sub(r"\s", "", text)
            word_tokenize(text, lowercase=True)
            sent_tokenize(text)


# ---------------------------------------------------------------- characters and n-grams

def test_char_tokenize():
    assert char_tokenize("hé 🙂") == ["h", "é", " ", "🙂"]
    assert char_tokenize("") == []
    text = random_unicode(np.random.default_rng(1), 100)
    assert "".join(char_tokenize(text)) == text


def test_ngrams():
    assert ngrams(["the", "cat", "sat"], 2) == [("the", "cat"), ("cat", "sat")]
    assert ngrams(["the", "cat", "sat"], 3) == [("the", "cat", "sat")]
    assert ngrams(["the", "cat"], 3) == []
    assert ngrams("abc", 1) == [("a",), ("b",), ("c",)]
    assert ngrams(iter([1, 2, 3]), 2) == [(1, 2), (2, 3)]
    # L items give max(L - n + 1, 0) n-grams
    for length in range(6):
        for n in range(1, 5):
            assert len(ngrams(range(length), n)) == max(length - n + 1, 0)


def test_word_ngrams_order_is_scikit_learns():
    tokens = ["the", "cat", "sat", "down"]
    assert word_ngrams(tokens) == tokens
    assert word_ngrams(tokens, ngram_range=(1, 2)) == [
        "the", "cat", "sat", "down", "the cat", "cat sat", "sat down"]
    assert word_ngrams(tokens, ngram_range=(2, 3), separator="_") == [
        "the_cat", "cat_sat", "sat_down", "the_cat_sat", "cat_sat_down"]
    assert word_ngrams([], ngram_range=(1, 3)) == []


def test_char_ngrams():
    assert char_ngrams("cats", ngram_range=(2, 3)) == ["ca", "at", "ts", "cat", "ats"]
    assert char_ngrams("a  b", ngram_range=(3, 3)) == ["a b"]   # whitespace run -> one space
    assert char_ngrams("", ngram_range=(1, 2)) == []


def test_ngrams_match_scikit_learn():
    feature_extraction = pytest.importorskip("sklearn.feature_extraction.text")
    text = "the quick  brown fox jumps over the lazy dog"
    for ngram_range in [(1, 1), (1, 3), (2, 4)]:
        word_analyzer = feature_extraction.CountVectorizer(
            ngram_range=ngram_range, lowercase=False, token_pattern=r"\S+").build_analyzer()
        assert word_ngrams(text.split(), ngram_range) == word_analyzer(text)
        char_analyzer = feature_extraction.CountVectorizer(
            analyzer="char", ngram_range=ngram_range, lowercase=False).build_analyzer()
        assert char_ngrams(text, ngram_range) == char_analyzer(text)


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("function", [sent_tokenize, word_tokenize, char_tokenize])
@pytest.mark.parametrize("value, type_name", [(None, "NoneType"), (42, "int"),
                                              (b"bytes", "bytes"), (["a"], "list")])
def test_non_string_text_raises_type_error(function, value, type_name):
    with pytest.raises(TypeError, match=f"'text' must be str, got {type_name}"):
        function(value)


def test_ngram_argument_errors():
    with pytest.raises(TypeError, match="'n' must be int, got float"):
        ngrams(["a"], 2.0)
    with pytest.raises(ValueError, match="'n' must be at least 1"):
        ngrams(["a"], 0)
    with pytest.raises(TypeError, match="'sequence' must be iterable, got int"):
        ngrams(5, 1)
    with pytest.raises(TypeError, match="'tokens' must be a sequence of strings, got str"):
        word_ngrams("the cat", (1, 2))
    with pytest.raises(TypeError, match="an item of type int"):
        word_ngrams(["the", 3], (1, 2))
    with pytest.raises(ValueError, match="1 <= min_n <= max_n"):
        word_ngrams(["a"], (2, 1))
    with pytest.raises(ValueError, match="1 <= min_n <= max_n"):
        char_ngrams("abc", (0, 1))
    with pytest.raises(TypeError, match="pair of ints"):
        char_ngrams("abc", 2)
    with pytest.raises(TypeError, match="'text' must be str, got int"):
        char_ngrams(3, (1, 1))

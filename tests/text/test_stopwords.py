"""Tests for glassnet.text.stopwords."""

import pytest

from glassnet.text.stopwords import ENGLISH_STOP_WORDS, StopWords


def test_english_list_is_a_lowercase_frozenset_of_function_words():
    assert isinstance(ENGLISH_STOP_WORDS, frozenset)
    assert 150 <= len(ENGLISH_STOP_WORDS) <= 200
    assert all(word == word.lower() for word in ENGLISH_STOP_WORDS)
    for function_word in ["the", "a", "is", "he", "she", "and", "are", "of", "not", "t"]:
        assert function_word in ENGLISH_STOP_WORDS
    for content_word in ["good", "boy", "girl", "king", "love"]:
        assert content_word not in ENGLISH_STOP_WORDS


def test_filter_is_case_insensitive_and_keeps_order_and_case():
    stop = StopWords()
    assert stop.filter("He is a good boy".split()) == ["good", "boy"]
    assert stop.filter(["Boy", "AND", "girl", "ARE", "Good"]) == ["Boy", "girl", "Good"]
    assert "THE" in stop and "The" in stop and "boy" not in stop
    assert 3 not in stop


def test_add_remove_len_iter():
    stop = StopWords()
    n = len(stop)
    stop.add("Boy", "girl")
    assert len(stop) == n + 2 and "boy" in stop
    stop.remove("boy", "the", "not-a-stop-word")  # removing an absent word is fine
    assert len(stop) == n and "the" not in stop and "boy" not in stop
    assert list(stop) == sorted(stop)  # iterates in alphabetical order
    assert stop.filter(["the", "girl", "house"]) == ["the", "house"]


def test_bring_your_own_list():
    stop = StopWords(words=["Foo", "bar"])
    assert len(stop) == 2 and list(stop) == ["bar", "foo"]
    assert stop.filter(["foo", "BAR", "the"]) == ["the"]
    assert len(StopWords(words=[])) == 0


def test_bad_input():
    with pytest.raises(ValueError, match="language"):
        StopWords(language="klingon")
    with pytest.raises(TypeError, match="single string"):
        StopWords(words="the a an")
    with pytest.raises(TypeError, match="item 1"):
        StopWords(words=["the", 3])
    with pytest.raises(TypeError, match="split"):
        StopWords().filter("the boy")

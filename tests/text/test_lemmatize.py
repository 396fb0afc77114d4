"""Tests for glassnet.text.lemmatize: the course table, parts of speech, fallbacks."""
import sys

import pytest

from glassnet.text import Lemmatizer, PorterStemmer, lemmatize

lemmatize_module = sys.modules["glassnet.text.lemmatize"]


@pytest.fixture(scope="module")
def lemmatizer():
    # lemminflect and simplemma are both dependencies of glassnet: no skip here.
    return Lemmatizer()


# ---------------------------------------------------------------- the course table

@pytest.mark.parametrize("word, lemma", [
    ("information", "information"),
    ("computers", "computer"),
    ("feet", "foot"),
    ("informative", "informative"),
])
def test_course_table(lemmatizer, word, lemma):
    assert lemmatizer.lemmatize(word) == lemma
    assert lemmatize(word) == lemma


def test_stemming_and_lemmatisation_side_by_side(lemmatizer):
    # The course's comparison: the stemmer cuts by rule, the lemmatiser looks words up.
    stemmer = PorterStemmer()
    words = ["information", "informative", "computers", "feet"]
    assert [stemmer.stem(w) for w in words] == ["inform", "inform", "comput", "feet"]
    assert [lemmatizer(w) for w in words] == ["information", "informative", "computer",
                                              "foot"]


# ---------------------------------------------------------------- parts of speech

@pytest.mark.parametrize("word, pos, lemma", [
    ("running", "v", "run"),
    ("running", "VERB", "run"),
    ("running", "n", "running"),          # the noun "running" is its own lemma
    ("better", "a", "good"),
    ("better", "ADJ", "good"),
    ("best", "adj", "good"),
    ("meeting", "v", "meet"),
    ("meeting", "NOUN", "meeting"),
    ("mice", "n", "mouse"),
    ("geese", "n", "goose"),
    ("was", "v", "be"),
    ("studies", "VERB", "study"),
    ("happier", "a", "happy"),
    ("happier", "s", "happy"),            # WordNet's adjective satellite
    ("quickly", "r", "quickly"),
    ("informative", "a", "informative"),
])
def test_part_of_speech(lemmatizer, word, pos, lemma):
    assert lemmatizer.lemmatize(word, pos=pos) == lemma


def test_without_pos_uses_the_most_likely_lemma(lemmatizer):
    assert lemmatizer.lemmatize("running") == "run"
    assert lemmatizer.lemmatize("children") == "child"
    assert lemmatizer.lemmatize("went") == "go"


@pytest.mark.parametrize("token", ["", "42", "3.14", "!", "🙂", " ", "\ud800"])
def test_tokens_without_letters_are_their_own_lemma(lemmatizer, token):
    assert lemmatizer.lemmatize(token) == token
    assert lemmatizer.lemmatize(token, pos="n") == token


def test_odd_words_do_not_crash(lemmatizer):
    for word in ["naïve", "café", "e\u0301cole", "don't", "x" * 500, "a\ud800b", "İstanbul"]:
        for pos in (None, "n", "v", "a", "r"):
            assert isinstance(lemmatizer.lemmatize(word, pos=pos), str)


# ---------------------------------------------------------------- fallbacks and errors

def test_only_simplemma_installed(monkeypatch):
    monkeypatch.setitem(sys.modules, "lemminflect", None)   # makes the import fail
    only_simplemma = Lemmatizer()
    assert only_simplemma.lemmatize("feet") == "foot"
    assert only_simplemma.lemmatize("running", pos="v") == "run"   # pos is ignored


def test_only_lemminflect_installed(monkeypatch):
    monkeypatch.setitem(sys.modules, "simplemma", None)
    only_lemminflect = Lemmatizer()
    assert only_lemminflect.lemmatize("feet") == "foot"            # tried as a noun first
    assert only_lemminflect.lemmatize("went") == "go"              # then as a verb
    assert only_lemminflect.lemmatize("happier") == "happy"          # then as an adjective
    assert only_lemminflect.lemmatize("information") == "information"
    assert only_lemminflect.lemmatize("blorfing") == "blorfing"      # unknown: no guess
    assert only_lemminflect.lemmatize("blorfing", pos="v") == "blorf"  # guessed by rule


def test_no_library_installed_names_the_pip_packages(monkeypatch):
    monkeypatch.setitem(sys.modules, "lemminflect", None)
    monkeypatch.setitem(sys.modules, "simplemma", None)
    with pytest.raises(ImportError, match="pip install lemminflect simplemma"):
        Lemmatizer()
    monkeypatch.setattr(lemmatize_module, "_default_lemmatizer", None)
    with pytest.raises(ImportError, match="pip install"):
        lemmatize("feet")


def test_bad_input(lemmatizer):
    with pytest.raises(TypeError, match="'word' must be str, got int"):
        lemmatizer.lemmatize(3)
    with pytest.raises(TypeError, match="'pos' must be str or None, got int"):
        lemmatizer.lemmatize("cats", pos=1)
    with pytest.raises(ValueError, match="'pos' must be one of"):
        lemmatizer.lemmatize("cats", pos="determiner")

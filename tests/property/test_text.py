"""The NLP toolkit on odd strings (any Unicode, control characters, lone surrogates, empty,
whitespace only) and on things that are not strings.

Tokenizers return lists of non-empty, whitespace-free str tokens (13a may keep a token
with inner punctuation); BLEU lies in [0, 100] and a hypothesis equal to its reference
with ≥ 4 tokens scores 100; vectorizers give one row per document, counts ≥ 0; BPE decodes
what it encodes. Non-strings are refused with a TypeError naming the argument.
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from glassnet import text

from .harness import REFUSED, check_call
from .strategies import HOSTILE

ODD_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=40) | st.sampled_from(
    ["", " ", "\t\n", "&amp; &lt;x&gt;", "-\n", "<skipped>", "3.50, 1-2", "a" * 200, "\x00", "\ud800", "İ", "ß"])
NOT_TEXT = HOSTILE.filter(lambda v: not isinstance(v, str))

TOKENIZERS = {"word_tokenize": text.word_tokenize, "sent_tokenize": text.sent_tokenize,
              "char_tokenize": text.char_tokenize, "tokenize_13a": text.tokenize_13a}


@pytest.mark.parametrize("name", sorted(TOKENIZERS))
@given(line=ODD_TEXT)
def test_tokenizers_give_tokens(name, line):
    def verify(tokens):
        assert isinstance(tokens, list) and all(isinstance(t, str) and t for t in tokens), tokens
        if name in ("word_tokenize", "tokenize_13a"):
            assert not any(c.isspace() for t in tokens for c in t), tokens

    check_call("text", lambda: TOKENIZERS[name](line), verify=verify)


@pytest.mark.parametrize("name", sorted(TOKENIZERS) + ["lemmatize", "stem", "sentence_bleu", "corpus_bleu",
                                                      "CountVectorizer", "StopWords.filter", "bpe_encode"])
@given(value=NOT_TEXT)
def test_non_text_is_refused_by_name(name, value):
    calls = {**TOKENIZERS, "lemmatize": text.lemmatize, "stem": text.PorterStemmer().stem,
             "sentence_bleu": lambda v: text.sentence_bleu(v, ["a b"]),
             "corpus_bleu": lambda v: text.corpus_bleu(v, [["a b"]]),
             "CountVectorizer": lambda v: text.CountVectorizer().fit_transform(v),
             "StopWords.filter": lambda v: text.StopWords().filter(v),
             "bpe_encode": lambda v: _bpe().encode(v)}
    result = check_call("text", lambda: calls[name](value),
                        names=("text", "line", "word", "hypothes", "reference", "document", "token", "str",
                               "sequence", "raw_documents", "iterable"))
    if result is not REFUSED:   # only an iterable of strings may pass (e.g. filter([]), filter({}), fit_transform(()))
        assert not isinstance(value, (str, bytes)) and hasattr(value, "__iter__"), f"{name}({value!r}) gave {result!r}"


@given(hypothesis=ODD_TEXT, reference=ODD_TEXT)
def test_bleu_is_a_score(hypothesis, reference):
    def verify(score):
        assert -1e-9 <= score.score <= 100 + 1e-9, score

    check_call("text", lambda: text.sentence_bleu(hypothesis, [reference]), verify=verify)
    check_call("text", lambda: text.corpus_bleu([hypothesis, reference], [[reference, hypothesis]]), verify=verify)


@given(words=st.lists(st.text("abcdefgh", min_size=1, max_size=5), min_size=4, max_size=10))
def test_bleu_of_a_perfect_match_is_100(words):
    line = " ".join(words)
    check_call("text", lambda: text.sentence_bleu(line, [line]),
               verify=lambda s: np.testing.assert_allclose(s.score, 100.0, atol=1e-9))


@given(documents=st.lists(ODD_TEXT, min_size=1, max_size=5))
def test_vectorizers_count_or_refuse(documents):
    for vectorizer in (text.CountVectorizer(), text.TfidfVectorizer()):
        def verify(matrix, vectorizer=vectorizer):
            dense = matrix.toarray() if hasattr(matrix, "toarray") else np.asarray(matrix)
            assert dense.shape[0] == len(documents) and np.all(dense >= 0) and np.all(np.isfinite(dense))

        check_call("text", lambda: vectorizer.fit_transform(documents), names=("vocabulary", "document"),
                   verify=verify)


_TRAINED = []


def _bpe():
    if not _TRAINED:
        _TRAINED.append(text.BytePairEncoding().train(["low lower lowest", "new newer newest"], 270))
    return _TRAINED[0]


@given(line=ODD_TEXT)
def test_bpe_round_trip(line):
    def verify(decoded):
        assert decoded == line, (decoded, line)

    try:
        line.encode("utf-8")
    except UnicodeEncodeError:      # a lone surrogate has no bytes: refusing it is right
        check_call("text", lambda: _bpe().decode(_bpe().encode(line)), names=("text", "utf-8", "surrogate"))
        return
    check_call("text", lambda: _bpe().decode(_bpe().encode(line)), verify=verify)


def test_tokenize_13a_issue_case():
    """Fault 7 of issue 16: AttributeError on a non-string."""
    with pytest.raises(TypeError, match="tokenize_13a: line must be a str, got int"):
        text.tokenize_13a(3)

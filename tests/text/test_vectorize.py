"""Tests for glassnet.text.vectorize: the course's tables, scikit-learn parity, bad input."""

import math

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction import text as sk_text

from glassnet.text.vectorize import CountVectorizer, CourseTfidf, TfidfVectorizer

# ----------------------------------------------------------------- the course's tables


def test_course_bag_of_words():
    docs = ["He is a good boy", "She is a good girl", "Boy and girl are good"]
    vectorizer = CountVectorizer(stop_words="english")  # lowercase=True by default
    X = vectorizer.fit_transform(docs)
    # after lower-casing and stop-word removal: "good boy", "good girl", "boy girl good"
    assert list(vectorizer.get_feature_names_out()) == ["boy", "girl", "good"]
    assert sp.isspmatrix_csr(X)
    np.testing.assert_array_equal(X.toarray(), [[1, 0, 1], [0, 1, 1], [1, 1, 1]])


def test_course_tfidf_table():
    docs = ["good boy", "good girl", "boy girl good"]
    tfidf = CourseTfidf()
    X = tfidf.fit_transform(docs).toarray()
    assert list(tfidf.get_feature_names_out()) == ["boy", "girl", "good"]
    # N = 3; df(boy) = 2, df(girl) = 2, df(good) = 3
    # idf(boy) = idf(girl) = ln(3/2),  idf(good) = ln(3/3) = 0
    np.testing.assert_array_equal(tfidf.idf_, [math.log(3 / 2), math.log(3 / 2), 0.0])
    expected = [
        # "good boy": tf(boy) = 1/2, tf(girl) = 0, tf(good) = 1/2 (times idf 0)
        [1 / 2 * math.log(1.5), 0.0, 0.0],
        # "good girl": tf(girl) = 1/2
        [0.0, 1 / 2 * math.log(1.5), 0.0],
        # "boy girl good": tf = 1/3 each
        [1 / 3 * math.log(1.5), 1 / 3 * math.log(1.5), 0.0],
    ]
    np.testing.assert_array_equal(X, expected)


def test_course_tfidf_counts_out_of_vocabulary_words_in_the_sentence_length():
    tfidf = CourseTfidf().fit(["good boy", "good girl", "boy girl good"])
    # "good boy dog" has 3 words, so tf(boy) = 1/3 although "dog" has no column
    X = tfidf.transform(["good boy dog", "dog"]).toarray()
    np.testing.assert_array_equal(X, [[1 / 3 * math.log(1.5), 0.0, 0.0], [0.0, 0.0, 0.0]])


def test_sklearn_tfidf_by_hand():
    docs = ["good boy", "good girl", "boy girl good"]
    X = TfidfVectorizer(norm=None).fit_transform(docs).toarray()
    # smooth idf: ln((1 + 3) / (1 + df)) + 1 -> boy, girl: ln(4/3) + 1; good: ln(4/4) + 1 = 1
    idf_boy = math.log(4 / 3) + 1
    np.testing.assert_allclose(X, [[idf_boy, 0, 1], [0, idf_boy, 1], [idf_boy, idf_boy, 1]],
                               rtol=0, atol=1e-15)
    X = TfidfVectorizer().fit_transform(docs).toarray()  # l2: each row has unit length
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), 1.0, rtol=0, atol=1e-15)
    np.testing.assert_allclose(X[0], np.array([idf_boy, 0, 1]) / math.hypot(idf_boy, 1),
                               rtol=0, atol=1e-15)


# ------------------------------------------------------------- scikit-learn parity

_WORDS = ["alpha", "Beta", "gamma", "délta", "épsilon", "zeta", "eta", "theta", "iota",
          "kappa", "lambda", "mu", "nu", "xi2", "a", "I", "the", "of", "and", "it's"]
_SEPARATORS = [" ", " ", " ", "  ", ", ", ". ", "\t", "\n ", "-", "! "]


def _corpus(seed, n_docs=120):
    """Documents of Zipf-distributed words with punctuation, tabs, accents, empties."""
    rng = np.random.default_rng(seed)
    p = 1.0 / np.arange(1, len(_WORDS) + 1)
    docs = []
    for _ in range(n_docs):
        n = rng.integers(0, 20)
        words = rng.choice(_WORDS, size=n, p=p / p.sum())
        seps = rng.choice(_SEPARATORS, size=n)
        docs.append("".join(w + s for w, s in zip(words, seps)))
    return docs


_COUNT_CASES = [
    {},
    {"ngram_range": (1, 3)},
    {"ngram_range": (2, 2)},
    {"min_df": 3, "max_df": 0.5},
    {"min_df": 0.05, "max_df": 60},
    {"max_features": 7},
    {"max_features": 25, "ngram_range": (1, 2)},
    {"analyzer": "char", "ngram_range": (1, 4)},
    {"analyzer": "char", "ngram_range": (5, 7), "max_features": 40},
    {"analyzer": "char_wb", "ngram_range": (2, 5)},
    {"analyzer": "char_wb", "ngram_range": (3, 3), "strip_accents": "ascii"},
    {"binary": True},
    {"binary": True, "max_features": 10, "ngram_range": (1, 2)},
    {"lowercase": False},
    {"stop_words": ["the", "of", "and", "a"]},
    {"strip_accents": "unicode"},
    {"token_pattern": r"(?u)\b\w+\b"},
    {"token_pattern": r"(\w+)'s"},
    {"tokenizer": str.split, "token_pattern": None},
    {"analyzer": str.split},
    {"vocabulary": ["alpha", "beta", "zzz", "the"]},
]
_TFIDF_CASES = [
    {},
    {"smooth_idf": False},
    {"sublinear_tf": True},
    {"norm": "l1"},
    {"norm": None},
    {"use_idf": False},
    {"sublinear_tf": True, "smooth_idf": False, "norm": None},
]


def _assert_same_matrix(ours, theirs, atol):
    assert sp.isspmatrix_csr(ours) and ours.shape == theirs.shape
    assert ours.dtype == theirs.dtype
    difference = abs(ours - theirs)
    assert difference.nnz == 0 or difference.max() <= atol


@pytest.mark.parametrize("params", _COUNT_CASES, ids=str)
def test_count_vectorizer_matches_sklearn(params):
    train, test = _corpus(0), _corpus(1)
    ours, theirs = CountVectorizer(**params), sk_text.CountVectorizer(**params)
    _assert_same_matrix(ours.fit_transform(train), theirs.fit_transform(train), atol=0)
    assert ours.vocabulary_ == theirs.vocabulary_
    assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())
    _assert_same_matrix(ours.transform(test), theirs.transform(test), atol=0)


@pytest.mark.parametrize("tfidf_params", _TFIDF_CASES, ids=str)
@pytest.mark.parametrize("params", _COUNT_CASES[:13], ids=str)
def test_tfidf_vectorizer_matches_sklearn(params, tfidf_params):
    train, test = _corpus(2), _corpus(3)
    kwargs = {**params, **tfidf_params}
    ours, theirs = TfidfVectorizer(**kwargs), sk_text.TfidfVectorizer(**kwargs)
    _assert_same_matrix(ours.fit_transform(train), theirs.fit_transform(train), atol=1e-12)
    assert ours.vocabulary_ == theirs.vocabulary_
    if ours.use_idf:
        np.testing.assert_allclose(ours.idf_, theirs.idf_, rtol=0, atol=1e-12)
    _assert_same_matrix(ours.transform(test), theirs.transform(test), atol=1e-12)


def test_tfidf_float32_matches_sklearn():
    train = _corpus(4)
    ours = TfidfVectorizer(dtype=np.float32, sublinear_tf=True).fit_transform(train)
    theirs = sk_text.TfidfVectorizer(dtype=np.float32, sublinear_tf=True).fit_transform(train)
    _assert_same_matrix(ours, theirs, atol=1e-6)


def test_fixed_vocabulary_mapping_and_transform_without_fit():
    vectorizer = CountVectorizer(vocabulary={"girl": 1, "boy": 0})
    X = vectorizer.transform(["boy boy girl", "dog"])
    np.testing.assert_array_equal(X.toarray(), [[2, 1], [0, 0]])
    assert list(vectorizer.get_feature_names_out()) == ["boy", "girl"]


def test_sklearn_estimator_contract():
    vectorizer = TfidfVectorizer(norm="l1", ngram_range=(1, 2), stop_words="english")
    params = clone(vectorizer).get_params()
    assert params["norm"] == "l1" and params["ngram_range"] == (1, 2)
    assert "sublinear_tf" in params and "max_features" in params
    assert vectorizer.fit(["a b c dd ee"]) is vectorizer
    assert not hasattr(TfidfVectorizer(), "vocabulary_")  # __init__ only stores


# -------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("cls", [CountVectorizer, TfidfVectorizer, CourseTfidf])
def test_bad_input(cls):
    with pytest.raises(TypeError, match="document 1 is int"):
        cls().fit(["good boy", 42])
    with pytest.raises(TypeError, match="iterable of documents"):
        cls().fit("good boy")
    with pytest.raises(ValueError, match="empty"):
        cls().fit([])
    with pytest.raises(NotFittedError, match="not fitted"):
        cls().transform(["good boy"])
    with pytest.raises(ValueError, match="no terms remain"):
        cls(min_df=2).fit(["good boy", "bad girl"])
    with pytest.raises(ValueError, match="empty vocabulary"):
        cls(stop_words="english").fit(["he is a", "she is"])
    with pytest.raises(ValueError, match="fewer documents"):
        cls(min_df=2, max_df=1).fit(["good boy", "good girl"])
    with pytest.raises(ValueError, match="ngram_range"):
        cls(ngram_range=(2, 1)).fit(["good boy"])
    with pytest.raises(ValueError, match="analyzer"):
        cls(analyzer="sentence").fit(["good boy"])
    with pytest.raises(ValueError, match="duplicate term"):
        cls(vocabulary=["boy", "boy"]).fit(["good boy"])
    fitted = cls().fit(["good boy"])
    with pytest.raises(TypeError, match="document 0 is NoneType"):
        fitted.transform([None])


def test_tfidf_parameter_errors():
    with pytest.raises(ValueError, match="norm"):
        TfidfVectorizer(norm="l3").fit(["good boy"])
    with pytest.raises(ValueError, match="dtype"):
        TfidfVectorizer(dtype=np.int64).fit(["good boy"])
    with pytest.raises(ValueError, match="max_df"):
        CountVectorizer(max_df=1.5).fit(["good boy"])

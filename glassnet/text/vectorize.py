r"""Bag of words and TF-IDF: turn a list of documents into a sparse document-term table.

Bag of words
------------
Each distinct *term* (a word, a word n-gram or a character n-gram) of the training
documents becomes a column; cell (d, t) is how often term t occurs in document d. Word
order inside a document is forgotten -- hence "bag". The course's example, after
lower-casing and removing stop words::

    "He is a good boy"       ->  good boy         boy  girl  good
    "She is a good girl"     ->  good girl    ->  [[1,   0,    1],
    "Boy and girl are good"  ->  boy girl good     [0,   1,    1],
                                                   [1,   1,    1]]

TF-IDF
------
A raw count rewards words that are frequent everywhere. TF-IDF multiplies a *term
frequency* (how much the document uses the term) by an *inverse document frequency*
(how rare the term is across the N documents; df(t) = number of documents that contain
t). Two definitions are in use and both are here:

* The course's definition, :class:`CourseTfidf`::

      tf(t, d)    = count(t, d) / (number of terms in d)
      idf(t)      = ln(N / df(t))
      tfidf(t, d) = tf(t, d) * idf(t)                      (no normalisation)

  A term that occurs in every document gets idf = ln(1) = 0 and disappears.

* scikit-learn's definition, :class:`TfidfVectorizer` (same numbers to the last bits)::

      tf(t, d)  = count(t, d)                  or 1 + ln(count(t, d)) if sublinear_tf
      idf(t)    = ln((1 + N) / (1 + df(t))) + 1  if smooth_idf (as if one extra document
                                                 contained every term once)
                = ln(N / df(t)) + 1             otherwise
      v_d       = tf(., d) * idf(.)             then v_d / ||v_d||_2 (norm="l2"),
                                                 v_d / ||v_d||_1 (norm="l1") or nothing

  The "+ 1" keeps terms that occur in every document from vanishing.

Pipeline of the analyzer (what becomes a term)
----------------------------------------------
``preprocess`` (lowercase, strip accents) -> ``tokenize`` (``token_pattern``, default
``(?u)\b\w\w+\b``: runs of two or more word characters) -> drop ``stop_words`` -> word
n-grams for n in ``ngram_range`` joined by a space. ``analyzer="char"`` takes character
n-grams of the whole (whitespace-collapsed) text instead; ``"char_wb"`` takes them
inside each word padded with one space on each side. The vocabulary is sorted
alphabetically, so column j is ``get_feature_names_out()[j]``.

The parameter names, defaults and results are scikit-learn's, so these classes drop into
a scikit-learn ``Pipeline``; the output is a ``scipy.sparse.csr_matrix``.
"""

import numbers
import re
import unicodedata
from collections.abc import Iterable, Mapping

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError

from .stopwords import ENGLISH_STOP_WORDS

__all__ = ["CountVectorizer", "TfidfVectorizer", "CourseTfidf"]

_TWO_OR_MORE_SPACES = re.compile(r"\s\s+")


# --------------------------------------------------------------------------- analyzers
def _word_ngrams(tokens, stop_words, min_n, max_n):
    """Drop stop words, then return every n-gram (min_n <= n <= max_n) joined by spaces."""
    if stop_words is not None:
        tokens = [token for token in tokens if token not in stop_words]
    if min_n == max_n == 1:
        return tokens
    ngrams = []
    for n in range(min_n, min(max_n, len(tokens)) + 1):
        ngrams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return ngrams


def _char_ngrams(text, min_n, max_n):
    """Character n-grams of the whole text, runs of whitespace collapsed to one space."""
    text = _TWO_OR_MORE_SPACES.sub(" ", text)
    return [
        text[i : i + n]
        for n in range(min_n, min(max_n, len(text)) + 1)
        for i in range(len(text) - n + 1)
    ]


def _char_wb_ngrams(text, min_n, max_n):
    """Character n-grams inside word boundaries: each word is padded as " word ".

    A padded word shorter than n is counted once, whole, and no longer n-grams are tried.
    """
    ngrams = []
    for word in text.split():
        padded = f" {word} "
        for n in range(min_n, max_n + 1):
            if n >= len(padded):
                ngrams.append(padded)
                break
            ngrams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return ngrams


def _strip_accents_unicode(text):
    """Decompose characters (NFKD) and drop the combining marks: "café" -> "cafe"."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _strip_accents_ascii(text):
    """Decompose characters (NFKD) and drop everything that is not ASCII."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


_ACCENT_STRIPPERS = {"unicode": _strip_accents_unicode, "ascii": _strip_accents_ascii}


def _normalize_rows(X, norm):
    """Divide each row of the CSR matrix X in place by its L1 or L2 norm (zero rows stay)."""
    row_of_entry = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
    if norm == "l2":
        norms = np.sqrt(np.bincount(row_of_entry, weights=X.data**2, minlength=X.shape[0]))
    else:
        norms = np.bincount(row_of_entry, weights=np.abs(X.data), minlength=X.shape[0])
    norms[norms == 0.0] = 1.0
    X.data /= norms[row_of_entry].astype(X.dtype, copy=False)
    return X


# ------------------------------------------------------------------------ bag of words
class CountVectorizer(BaseEstimator):
    r"""Bag of words: count how often each vocabulary term occurs in each document.

    Formula:
        ``X[d, t] = count(t, d)`` (or ``min(1, count(t, d))`` when ``binary``), with the
        terms produced by the analyzer (see the module docstring) and the vocabulary
        sorted alphabetically.

    Args:
        lowercase: Lower-case the text before tokenising.
        strip_accents: None, ``"unicode"`` (NFKD then drop combining marks), ``"ascii"``
            (NFKD then drop non-ASCII) or a callable ``str -> str``.
        preprocessor: Callable ``str -> str`` that replaces lower-casing and accent
            stripping.
        tokenizer: Callable ``str -> list[str]`` that replaces ``token_pattern``
            (``analyzer="word"`` only).
        stop_words: None, ``"english"`` (:data:`glassnet.text.stopwords.ENGLISH_STOP_WORDS`,
            not scikit-learn's list) or your own list. Applied after lower-casing and
            tokenising, before n-grams; the match is exact.
        token_pattern: Regular expression whose matches are the tokens; with one group,
            the group is the token.
        ngram_range: ``(min_n, max_n)``: all n-grams with min_n <= n <= max_n.
        analyzer: ``"word"``, ``"char"``, ``"char_wb"`` or a callable
            ``document -> list of terms`` (then no preprocessing is done and documents
            may be anything the callable accepts, e.g. lists of tokens).
        max_df: Drop terms found in more than this many documents (int) or this fraction
            of the documents (float in [0, 1]).
        min_df: Drop terms found in fewer documents than this (int or fraction).
        max_features: Keep only this many terms with the largest total count (ties
            broken by NumPy's default argsort, as scikit-learn does). None keeps all.
        vocabulary: A fixed vocabulary: a mapping term -> column or an iterable of terms.
            Then ``fit`` learns no vocabulary and the df/feature limits are not applied.
        binary: Record presence (1) instead of counts.
        dtype: dtype of the output matrix.

    Attributes:
        vocabulary_ (dict): term -> column index.
        fixed_vocabulary_ (bool): Whether ``vocabulary`` was given.

    Raises:
        TypeError: A document is not a string (the message names its index).
        ValueError: Empty corpus, bad parameter, or no term left after pruning.
        NotFittedError: ``transform`` before ``fit``.
    """

    def __init__(
        self,
        *,
        lowercase=True,
        strip_accents=None,
        preprocessor=None,
        tokenizer=None,
        stop_words=None,
        token_pattern=r"(?u)\b\w\w+\b",
        ngram_range=(1, 1),
        analyzer="word",
        max_df=1.0,
        min_df=1,
        max_features=None,
        vocabulary=None,
        binary=False,
        dtype=np.int64,
    ):
        self.lowercase = lowercase
        self.strip_accents = strip_accents
        self.preprocessor = preprocessor
        self.tokenizer = tokenizer
        self.stop_words = stop_words
        self.token_pattern = token_pattern
        self.ngram_range = ngram_range
        self.analyzer = analyzer
        self.max_df = max_df
        self.min_df = min_df
        self.max_features = max_features
        self.vocabulary = vocabulary
        self.binary = binary
        self.dtype = dtype

    # ---- the analyzer: document -> list of terms
    def build_preprocessor(self):
        """Return the callable ``str -> str`` applied before tokenising."""
        if self.preprocessor is not None:
            return self.preprocessor
        if callable(self.strip_accents):
            strip = self.strip_accents
        elif self.strip_accents is None:
            strip = None
        elif self.strip_accents in _ACCENT_STRIPPERS:
            strip = _ACCENT_STRIPPERS[self.strip_accents]
        else:
            raise ValueError(
                f"strip_accents must be None, 'unicode', 'ascii' or a callable, "
                f"got {self.strip_accents!r}"
            )
        lower = self.lowercase

        def preprocess(text):
            if lower:
                text = text.lower()
            return strip(text) if strip is not None else text

        return preprocess

    def build_tokenizer(self):
        """Return the callable ``str -> list[str]`` that splits text into tokens."""
        if self.tokenizer is not None:
            return self.tokenizer
        pattern = re.compile(self.token_pattern)
        if pattern.groups > 1:
            raise ValueError(
                f"token_pattern may have at most one capturing group, "
                f"{self.token_pattern!r} has {pattern.groups}"
            )
        return pattern.findall

    def get_stop_words(self):
        """Return the stop words as a frozenset, or None."""
        if self.stop_words is None:
            return None
        if isinstance(self.stop_words, str):
            if self.stop_words != "english":
                raise ValueError(
                    f"stop_words must be None, 'english' or a list of words, "
                    f"got {self.stop_words!r}"
                )
            return ENGLISH_STOP_WORDS
        return frozenset(self.stop_words)

    def build_analyzer(self):
        """Return the callable ``document -> list of terms`` described in the module doc."""
        if callable(self.analyzer):
            return self.analyzer
        min_n, max_n = self._checked_ngram_range()
        preprocess = self.build_preprocessor()
        if self.analyzer == "char":
            return lambda doc: _char_ngrams(preprocess(doc), min_n, max_n)
        if self.analyzer == "char_wb":
            return lambda doc: _char_wb_ngrams(preprocess(doc), min_n, max_n)
        if self.analyzer == "word":
            tokenize, stop_words = self.build_tokenizer(), self.get_stop_words()
            return lambda doc: _word_ngrams(tokenize(preprocess(doc)), stop_words, min_n, max_n)
        raise ValueError(
            f"analyzer must be 'word', 'char', 'char_wb' or a callable, got {self.analyzer!r}"
        )

    # ---- scikit-learn estimator API
    def fit(self, raw_documents, y=None):
        """Learn the vocabulary of ``raw_documents`` (an iterable of strings); return self."""
        self.fit_transform(raw_documents)
        return self

    def fit_transform(self, raw_documents, y=None):
        """Learn the vocabulary and return the (n_documents, n_terms) count matrix."""
        counts, _ = self._fit_counts(raw_documents)
        return counts

    def transform(self, raw_documents):
        """Count the fitted vocabulary's terms in new documents; unknown terms are ignored."""
        counts, _ = self._transform_counts(raw_documents)
        return counts

    def get_feature_names_out(self, input_features=None):
        """Return the terms in column order as an object array of str."""
        self._check_fitted()
        terms = [None] * len(self.vocabulary_)
        for term, column in self.vocabulary_.items():
            terms[column] = term
        return np.asarray(terms, dtype=object)

    # ---- the work
    def _fit_counts(self, raw_documents):
        """Fit the vocabulary; return the count matrix and the terms per document."""
        self._check_params()
        documents = self._checked_documents(raw_documents, fitting=True)
        fixed = self._fixed_vocabulary()
        self.fixed_vocabulary_ = fixed is not None
        vocabulary = dict(fixed) if fixed is not None else {}
        counts, lengths = self._count(documents, vocabulary, grow=fixed is None)
        if fixed is None:
            if not vocabulary:
                raise ValueError(
                    "empty vocabulary: the documents hold no terms "
                    "(only stop words, or nothing matching token_pattern?)"
                )
            counts, terms = self._sort_columns(counts, vocabulary)
            counts, terms = self._prune_columns(counts, terms)
            vocabulary = {term: column for column, term in enumerate(terms)}
        self.vocabulary_ = vocabulary
        return counts, lengths

    def _transform_counts(self, raw_documents):
        self._check_fitted()
        documents = self._checked_documents(raw_documents, fitting=False)
        return self._count(documents, self.vocabulary_, grow=False)

    def _count(self, documents, vocabulary, grow):
        """Count terms per document; with ``grow``, unseen terms get new columns.

        Every term occurrence appends its column to one flat list; ``sum_duplicates``
        then adds up repeated (document, column) entries, giving the counts.

        Returns:
            (csr_matrix of counts, array of the number of terms the analyzer produced
            for each document, in or out of the vocabulary).
        """
        analyze = self.build_analyzer()
        columns, row_starts, lengths = [], [0], []
        for document in documents:
            terms = analyze(document)
            if not isinstance(terms, list):
                terms = list(terms)
            lengths.append(len(terms))
            if grow:
                columns.extend([vocabulary.setdefault(t, len(vocabulary)) for t in terms])
            else:
                columns.extend([vocabulary[t] for t in terms if t in vocabulary])
            row_starts.append(len(columns))
        counts = sp.csr_matrix(
            (np.ones(len(columns), dtype=self.dtype), np.asarray(columns, dtype=np.int64),
             np.asarray(row_starts, dtype=np.int64)),
            shape=(len(documents), len(vocabulary)),
        )
        counts.sum_duplicates()
        if self.binary:
            counts.data.fill(1)
        return counts, np.asarray(lengths, dtype=np.float64)

    @staticmethod
    def _sort_columns(counts, vocabulary):
        """Reorder the columns so that the terms are in alphabetical order."""
        terms = sorted(vocabulary)
        new_column = np.empty(len(terms), dtype=np.int64)
        for column, term in enumerate(terms):
            new_column[vocabulary[term]] = column
        counts.indices = new_column[counts.indices].astype(counts.indices.dtype)
        counts.has_sorted_indices = False
        counts.sort_indices()
        return counts, terms

    def _prune_columns(self, counts, terms):
        """Apply max_df, min_df, then max_features; the columns must be sorted already."""
        n_documents = counts.shape[0]
        max_count = self._as_document_count(self.max_df, n_documents)
        min_count = self._as_document_count(self.min_df, n_documents)
        if max_count < min_count:
            raise ValueError(
                f"max_df={self.max_df!r} corresponds to fewer documents ({max_count}) "
                f"than min_df={self.min_df!r} ({min_count})"
            )
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        keep = (df <= max_count) & (df >= min_count)
        if self.max_features is not None and keep.sum() > self.max_features:
            total_count = np.asarray(counts.sum(axis=0)).ravel()
            most_frequent = (-total_count[keep]).argsort()[: self.max_features]
            top = np.zeros_like(keep)
            top[np.flatnonzero(keep)[most_frequent]] = True
            keep = top
        kept_columns = np.flatnonzero(keep)
        if kept_columns.size == 0:
            raise ValueError(
                "no terms remain after pruning with min_df/max_df; "
                "try a lower min_df or a higher max_df"
            )
        return counts[:, kept_columns], [terms[column] for column in kept_columns]

    @staticmethod
    def _as_document_count(limit, n_documents):
        """An int is a number of documents; a float is a fraction of them."""
        return limit if isinstance(limit, numbers.Integral) else limit * n_documents

    # ---- checks
    def _checked_documents(self, raw_documents, fitting):
        if isinstance(raw_documents, str) or not isinstance(raw_documents, Iterable):
            raise TypeError(
                "raw_documents must be an iterable of documents (e.g. a list of str), "
                f"got {type(raw_documents).__name__}"
            )
        documents = list(raw_documents)
        if fitting and not documents:
            raise ValueError("raw_documents is empty: fit needs at least one document")
        if not callable(self.analyzer):
            for index, document in enumerate(documents):
                if not isinstance(document, str):
                    raise TypeError(
                        f"document {index} is {type(document).__name__}, expected str"
                    )
        return documents

    def _check_fitted(self):
        if not hasattr(self, "vocabulary_"):
            fixed = self._fixed_vocabulary()
            if fixed is None:
                raise NotFittedError(
                    f"This {type(self).__name__} is not fitted yet: call fit(documents) "
                    "first, or pass vocabulary="
                )
            self.vocabulary_, self.fixed_vocabulary_ = fixed, True

    def _fixed_vocabulary(self):
        """Validate the ``vocabulary`` parameter; return it as term -> column, or None."""
        vocabulary = self.vocabulary
        if vocabulary is None:
            return None
        if isinstance(vocabulary, Mapping):
            mapping = dict(vocabulary)
            if sorted(mapping.values()) != list(range(len(mapping))):
                raise ValueError(
                    "vocabulary mapping must use each column 0 .. len(vocabulary)-1 exactly once"
                )
        else:
            terms = sorted(vocabulary) if isinstance(vocabulary, (set, frozenset)) else vocabulary
            mapping = {}
            for column, term in enumerate(terms):
                if mapping.setdefault(term, column) != column:
                    raise ValueError(f"duplicate term in vocabulary: {term!r}")
        if not mapping:
            raise ValueError("vocabulary is empty")
        return mapping

    def _checked_ngram_range(self):
        try:
            min_n, max_n = self.ngram_range
        except (TypeError, ValueError):
            raise ValueError(
                f"ngram_range must be a pair (min_n, max_n), got {self.ngram_range!r}"
            ) from None
        if not (isinstance(min_n, numbers.Integral) and isinstance(max_n, numbers.Integral)
                and 1 <= min_n <= max_n):
            raise ValueError(
                f"ngram_range must be integers with 1 <= min_n <= max_n, got {self.ngram_range!r}"
            )
        return min_n, max_n

    def _check_params(self):
        self._checked_ngram_range()
        for name in ("max_df", "min_df"):
            value = getattr(self, name)
            valid_int = isinstance(value, numbers.Integral) and not isinstance(value, bool) \
                and value >= 1
            valid_fraction = isinstance(value, numbers.Real) and \
                not isinstance(value, numbers.Integral) and 0.0 <= value <= 1.0
            if not (valid_int or valid_fraction):
                raise ValueError(
                    f"{name} must be an int >= 1 (documents) or a float in [0, 1] "
                    f"(fraction), got {value!r}"
                )
        if self.max_features is not None and not (
            isinstance(self.max_features, numbers.Integral) and self.max_features >= 1
        ):
            raise ValueError(
                f"max_features must be None or an int >= 1, got {self.max_features!r}"
            )


# The TF-IDF classes live in tfidf.py (they extend CountVectorizer, defined above).
from .tfidf import CourseTfidf, TfidfVectorizer  # noqa: E402

"""TF-IDF: the course's definition (``CourseTfidf``) and scikit-learn's (``TfidfVectorizer``).

Both build on the bag of words of ``vectorize.CountVectorizer``; the formulas of each are
in the module docstring of ``vectorize`` and in each class's docstring.
"""

import numpy as np
from sklearn.exceptions import NotFittedError

from .vectorize import CountVectorizer, _normalize_rows

__all__ = ["TfidfVectorizer", "CourseTfidf"]


class TfidfVectorizer(CountVectorizer):
    r"""TF-IDF as scikit-learn defines it: counts, times idf, then row normalisation.

    Formula:
        ``tf = count(t, d)`` or ``1 + ln(count(t, d))`` when ``sublinear_tf``;
        ``idf(t) = ln((1 + N) / (1 + df(t))) + 1`` when ``smooth_idf``, else
        ``ln(N / df(t)) + 1``; ``x_d = tf * idf``, then ``x_d / ||x_d||`` for ``norm``.
        N is the number of training documents and df(t) the number that contain t.

    Args:
        norm: ``"l2"`` (unit Euclidean length, the default), ``"l1"`` or None.
        use_idf: Multiply by idf; False leaves the (sublinear) term frequencies.
        smooth_idf: Add one to N and to every df, as if one extra document held every
            term once; prevents division by zero for a fixed vocabulary.
        sublinear_tf: Replace tf by 1 + ln(tf).
        dtype: Float dtype of the output, float64 or float32.
        **others: All of :class:`CountVectorizer`'s parameters, with the same meaning.

    Attributes:
        vocabulary_ (dict): term -> column index.
        idf_ (ndarray): idf(t) per column (only when ``use_idf``).

    For the course's definition (tf divided by the document length, idf = ln(N/df), no
    normalisation) use :class:`CourseTfidf`.
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
        dtype=np.float64,
        norm="l2",
        use_idf=True,
        smooth_idf=True,
        sublinear_tf=False,
    ):
        super().__init__(
            lowercase=lowercase, strip_accents=strip_accents, preprocessor=preprocessor,
            tokenizer=tokenizer, stop_words=stop_words, token_pattern=token_pattern,
            ngram_range=ngram_range, analyzer=analyzer, max_df=max_df, min_df=min_df,
            max_features=max_features, vocabulary=vocabulary, binary=binary, dtype=dtype,
        )
        self.norm = norm
        self.use_idf = use_idf
        self.smooth_idf = smooth_idf
        self.sublinear_tf = sublinear_tf

    def fit_transform(self, raw_documents, y=None):
        """Learn the vocabulary and idf; return the TF-IDF matrix of ``raw_documents``."""
        counts, _ = self._fit_counts(raw_documents)
        if self.use_idf:
            n_documents = counts.shape[0] + int(self.smooth_idf)
            df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(self.dtype)
            df += float(self.smooth_idf)
            self.idf_ = np.log(n_documents / df) + 1.0
        elif hasattr(self, "idf_"):
            del self.idf_
        return self._weight(counts)

    def transform(self, raw_documents):
        """Return the TF-IDF matrix of new documents with the fitted vocabulary and idf."""
        if self.use_idf and not hasattr(self, "idf_"):
            raise NotFittedError(
                "This TfidfVectorizer is not fitted yet: call fit(documents) first"
            )
        counts, _ = self._transform_counts(raw_documents)
        return self._weight(counts)

    def _weight(self, counts):
        """tf (optionally sublinear) * idf, then normalise each row."""
        X = counts.astype(self.dtype)
        if self.sublinear_tf:
            np.log(X.data, out=X.data)
            X.data += 1.0
        if self.use_idf:
            X.data *= self.idf_[X.indices]
        if self.norm is not None:
            X = _normalize_rows(X, self.norm)
        return X

    def _check_params(self):
        super()._check_params()
        if self.norm not in ("l1", "l2", None):
            raise ValueError(f"norm must be 'l1', 'l2' or None, got {self.norm!r}")
        if np.dtype(self.dtype) not in (np.float64, np.float32):
            raise ValueError(f"dtype must be float64 or float32, got {self.dtype!r}")


class CourseTfidf(CountVectorizer):
    r"""TF-IDF exactly as the course defines it (no smoothing, no normalisation).

    Formula:
        ``tf(t, d) = count(t, d) / n_d`` where n_d is the number of terms the analyzer
        produced for document d (after stop-word removal; terms outside the vocabulary
        count too, so pruning a word does not change another word's tf);
        ``idf(t) = ln(N / df(t))`` (natural log; N training documents, df(t) of them
        contain t; a fixed-vocabulary term never seen in training gets idf 0);
        ``tfidf(t, d) = tf(t, d) * idf(t)``.

    Worked example (the course's table)::

        "good boy", "good girl", "boy girl good"     N = 3
        idf(good) = ln(3/3) = 0,  idf(boy) = idf(girl) = ln(3/2)
        "good boy" -> boy: 1/2 * ln(3/2),  girl: 0,  good: 1/2 * 0 = 0

    Args:
        **params: :class:`CountVectorizer`'s parameters, with the same meaning.

    Attributes:
        vocabulary_ (dict): term -> column index.
        idf_ (ndarray): ln(N / df(t)) per column.
    """

    def fit_transform(self, raw_documents, y=None):
        """Learn the vocabulary and idf; return the course's TF-IDF table (float64)."""
        counts, lengths = self._fit_counts(raw_documents)
        df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
        ratio = np.divide(counts.shape[0], df, out=np.ones_like(df), where=df > 0)
        self.idf_ = np.log(ratio)
        return self._weight(counts, lengths)

    def transform(self, raw_documents):
        """Return the course's TF-IDF table of new documents with the fitted idf."""
        if not hasattr(self, "idf_"):
            raise NotFittedError("This CourseTfidf is not fitted yet: call fit(documents) first")
        counts, lengths = self._transform_counts(raw_documents)
        return self._weight(counts, lengths)

    def _weight(self, counts, lengths):
        """tf = count / n_d, times idf; entries that become 0 are dropped from the matrix."""
        X = counts.astype(np.float64)
        row_of_entry = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
        tf = X.data / lengths[row_of_entry]
        X.data = tf * self.idf_[X.indices]
        X.eliminate_zeros()
        return X

r"""word2vec: learn a vector per word so that words used in similar contexts lie close.

Concept (Mikolov et al., 2013)
------------------------------
Slide a window over the text. Each position gives a *center* word c and the *context*
words o within ``window`` positions of it. Every word w has two vectors: an input
vector v_w (row of ``vectors``; these are the embeddings you keep) and an output vector
u_w (row of ``output_vectors``).

* Skip-gram (``sg=1``) predicts each context word o from the center word c.
* CBOW (``sg=0``) predicts the center word c from the mean of its context vectors,
  h = (1/|C|) sum_{o in C} v_o.

Negative sampling turns "predict o out of the whole vocabulary" into K+1 binary
questions: is (c, o) a real pair (label 1), and are (c, k_1) ... (c, k_K) real pairs
(label 0), where the K negatives k are drawn from the unigram distribution raised to
``ns_exponent``: P(w) = count(w)^0.75 / sum_w' count(w')^0.75. The objective for one
pair, maximised by stochastic gradient ascent, is::

    L = log sigma(u_o . v_c) + sum_{k=1..K} log sigma(-u_k . v_c)      sigma(x) = 1/(1+e^-x)

Its gradient, written with one "error" g_t per target t in {o, k_1..k_K} with label
y_t (1 for o, 0 for the negatives) and learning rate alpha::

    g_t       = alpha * (y_t - sigma(u_t . v_c))
    dL/du_t   = (y_t - sigma(u_t . v_c)) v_c       ->  u_t += g_t v_c
    dL/dv_c   = sum_t (y_t - sigma(u_t . v_c)) u_t  ->  v_c += sum_t g_t u_t

For CBOW replace v_c by h and the positive target o by the center word; as in Mikolov's
word2vec.c and gensim, each context vector v_o then receives the whole of sum_t g_t u_t.

The fused NumPy step
--------------------
Instead of looping over pairs in Python, one step handles a whole batch of
``batch_words`` words at once: gather V = vectors[centers] (B, d) and
U = output_vectors[targets] (B, K+1, d), compute all B(K+1) scores u_t . v_c with one
einsum, all errors G (B, K+1) at once, then dV = sum_t G[:, t] U[:, t]. The updates
u_t += g_t v_c and v_c += dV are scattered onto the words' rows by :func:`scatter_add`
(the same as ``np.add.at``, computed as one sparse product, which sums the updates of
each word in a single pass and is much faster). Within a batch every pair sees the
vectors as they were at the start of the step -- the usual mini-batch approximation of
word2vec's per-pair updates. A word that collects m > 64 updates in one step receives 64
times their mean instead of their sum (:data:`MAX_UPDATES_PER_STEP`), which keeps small
vocabularies from diverging.

Details that follow word2vec.c
------------------------------
* Vocabulary: words seen at least ``min_count`` times, most frequent first.
* Subsampling of frequent words: each occurrence of w is kept with probability
  ``p_keep(w) = sqrt(t / f(w)) + t / f(w)`` (capped at 1), where f(w) is the word's
  relative frequency and t = ``sample``; the paper's simpler form is
  p_discard = 1 - sqrt(t / f(w)). Words rarer than t are always kept; "the" is mostly
  dropped, which speeds training and improves rare-word vectors. ``sample=0`` disables it.
* Dynamic window: for every center the window is drawn uniformly from 1..``window``,
  so near words count more than far ones.
* Learning rate: alpha decays linearly from ``alpha`` to ``min_alpha`` over all epochs.
* Initialisation: v_w ~ U(-0.5/d, 0.5/d), u_w = 0.
"""

import json
import os
from collections import Counter
from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp
from scipy.special import expit

__all__ = ["Word2Vec", "KeyedVectors", "scatter_add"]

_FORMAT = "glassnet.word2vec/1"

MAX_UPDATES_PER_STEP = 64
"""A word's summed update in one fused step is capped at this many times its mean update.

The m gradients a word collects in one step are all computed from the same (stale)
vectors, so their sum is one step m times as long as a single SGD update. For frequent
words in a small vocabulary m reaches the thousands and the training diverges; the cap
keeps every word within 64 plain SGD steps per fused step. Words seen fewer than 64 times
in a step (nearly all of them in real text) get the exact sum.
"""


def scatter_add(W, rows, values, coefficients=None, value_index=None, max_count=None):
    """``W[rows[i]] += coefficients[i] * values[value_index[i]]`` for every i, summing repeats.

    With the defaults (coefficients 1, ``value_index[i] = i``) this is
    ``np.add.at(W, rows, values)``. It is computed as one sparse product,
    ``W[unique_rows] += S @ values``, where S[j, m] is the sum of ``coefficients[i]`` over
    the i with ``rows[i] == unique_rows[j]`` and ``value_index[i] == m``. The product sums
    the contributions of each word in one pass -- many times faster than ``np.add.at``
    for 2-D values -- and the (n, d) array of scaled rows is never built.

    Args:
        W: (n_rows, d) array, updated in place.
        rows: (n,) the row of W that each contribution goes to.
        values: (n_values, d) the vectors to add.
        coefficients: (n,) a factor per contribution (default 1).
        value_index: (n,) which row of ``values`` each contribution adds (default i).
        max_count: If given, a row of W that receives m > max_count contributions gets
            ``max_count / m`` times their sum, i.e. ``max_count`` times their mean.
    """
    n = len(rows)
    if coefficients is None:
        coefficients = np.ones(n, dtype=values.dtype)
    if value_index is None:
        value_index = np.arange(n)
    unique_rows, which = np.unique(rows, return_inverse=True)
    which = which.ravel()
    S = sp.csr_matrix((coefficients, (which, value_index)), shape=(len(unique_rows), len(values)))
    summed = S @ values
    if max_count is not None:
        m = np.bincount(which).astype(values.dtype)
        summed *= np.minimum(1.0, max_count / m)[:, None]
    W[unique_rows] += summed


class KeyedVectors:
    """Word vectors with look-up and cosine-similarity queries (gensim's ``wv``).

    Args:
        index_to_key: The words, row i of ``vectors`` belonging to ``index_to_key[i]``.
        vectors: (n_words, vector_size) array, shared (not copied).
    """

    def __init__(self, index_to_key, vectors):
        self.index_to_key = list(index_to_key)
        self.key_to_index = {word: i for i, word in enumerate(self.index_to_key)}
        self.vectors = vectors

    def get_index(self, word):
        """Row of ``word``; KeyError naming the word if it is not in the vocabulary."""
        try:
            return self.key_to_index[word]
        except KeyError:
            raise KeyError(f"word {word!r} is not in the vocabulary") from None

    def __getitem__(self, word):
        """A copy of the vector of ``word``."""
        return self.vectors[self.get_index(word)].copy()

    def __contains__(self, word):
        return word in self.key_to_index

    def __len__(self):
        return len(self.index_to_key)

    def similarity(self, word1, word2):
        """Cosine similarity cos(v1, v2) = v1 . v2 / (|v1| |v2|)."""
        v1, v2 = self[word1].astype(np.float64), self[word2].astype(np.float64)
        return float(v1 @ v2 / (np.linalg.norm(v1) * np.linalg.norm(v2) or 1.0))

    def most_similar(self, positive=(), negative=(), topn=10):
        """The ``topn`` words closest (by cosine) to the mean of the unit vectors of
        ``positive`` minus those of ``negative``; the query words themselves are left out.

        Returns:
            A list of (word, cosine similarity), most similar first.
        """
        positive = [positive] if isinstance(positive, str) else list(positive or ())
        negative = [negative] if isinstance(negative, str) else list(negative or ())
        if not positive and not negative:
            raise ValueError("most_similar needs at least one positive or negative word")
        unit = self._unit_vectors()
        query = sum(unit[self.get_index(w)] for w in positive) - sum(
            unit[self.get_index(w)] for w in negative
        )
        query = query / (np.linalg.norm(query) or 1.0)
        similarity = unit @ query
        similarity[[self.key_to_index[w] for w in positive + negative]] = -np.inf
        topn = min(topn, len(self) - len(set(positive + negative)))
        best = np.argsort(-similarity, kind="stable")[:topn]
        return [(self.index_to_key[i], float(similarity[i])) for i in best]

    def analogy(self, a, b, c):
        """The word x with a - b + c ~ x, e.g. ``analogy("king", "man", "woman")`` ->
        "queen" ("man is to king as woman is to x"); the query words are excluded."""
        return self.most_similar(positive=[a, c], negative=[b], topn=1)[0][0]

    def _unit_vectors(self):
        vectors = self.vectors.astype(np.float64)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0.0, 1.0, norms)


class Word2Vec:
    """Skip-gram / CBOW word2vec with negative sampling, trained by fused NumPy steps.

    Args:
        vector_size: d, the length of each word vector.
        window: Largest distance between a center and a context word.
        min_count: Ignore words seen fewer times than this.
        sg: 1 for skip-gram, 0 for CBOW.
        negative: K, the number of negative samples per positive pair.
        ns_exponent: Exponent of the counts in the negative-sampling distribution.
        sample: t in the subsampling formula (see module doc); 0 keeps every word.
        alpha: Initial learning rate.
        min_alpha: Learning rate reached at the end of training (linear decay).
        epochs: Passes over the corpus made by :meth:`fit` / :meth:`train`.
        batch_words: About this many words (whole sentences) form one fused step.
        seed: Seed of the random generator (initialisation, subsampling, windows,
            negatives); the same seed and data give the same vectors.

    Attributes (after :meth:`build_vocab`):
        wv (KeyedVectors): The words and their input vectors, for queries.
        index_to_key (list), key_to_index (dict), counts (ndarray): The vocabulary.
        vectors, output_vectors (ndarray): v and u, float32 (n_words, vector_size).
        loss_history_ (list): Mean negative-sampling loss -L per pair, per epoch.

    Example::

        sentences = [["the", "king", "rules"], ["the", "queen", "rules"], ...]
        model = Word2Vec(vector_size=50, min_count=1).fit(sentences)
        model.most_similar("king", topn=5)      # [(word, cosine), ...]
        model.analogy("king", "man", "woman")   # ideally "queen"
    """

    def __init__(self, vector_size=100, window=5, min_count=5, sg=1, negative=5,
                 ns_exponent=0.75, sample=1e-3, alpha=0.025, min_alpha=1e-4, epochs=5,
                 batch_words=1000, seed=1):
        self.vector_size = vector_size
        self.window = window
        self.min_count = min_count
        self.sg = sg
        self.negative = negative
        self.ns_exponent = ns_exponent
        self.sample = sample
        self.alpha = alpha
        self.min_alpha = min_alpha
        self.epochs = epochs
        self.batch_words = batch_words
        self.seed = seed
        self._check_params()

    # ------------------------------------------------------------------ public API
    def fit(self, sentences):
        """Build the vocabulary and train for ``epochs`` epochs; return self.

        Args:
            sentences: A list (or re-iterable) of sentences, each a list of str tokens.
        """
        _check_corpus(sentences, "fit")
        if iter(sentences) is sentences:  # a one-shot iterator: keep it for both passes
            sentences = list(sentences)
        self.build_vocab(sentences)
        return self.train(sentences)

    def build_vocab(self, sentences):
        """Count the words, keep those seen ``min_count`` times, initialise the vectors."""
        _check_corpus(sentences, "build_vocab")
        counter = Counter()
        for index, sentence in enumerate(sentences):
            counter.update(_checked_sentence(sentence, index))
        if not counter:
            raise ValueError("sentences is empty: build_vocab needs at least one token")
        kept = [(w, n) for w, n in counter.most_common() if n >= self.min_count]
        if not kept:
            raise ValueError(
                f"no word occurs min_count={self.min_count} times "
                f"(the most frequent occurs {counter.most_common(1)[0][1]} times)"
            )
        words, counts = zip(*kept)
        self._rng = np.random.default_rng(self.seed)
        d = self.vector_size
        vectors = (self._rng.random((len(words), d), dtype=np.float32) - 0.5) / d
        self._set_vocabulary([str(w) for w in words], np.asarray(counts, dtype=np.int64),
                             vectors, np.zeros_like(vectors))
        return self

    def train(self, sentences, epochs=None):
        """Train on ``sentences`` for ``epochs`` (default ``self.epochs``); return self.

        Out-of-vocabulary tokens are dropped. Appends one mean loss per epoch to
        ``loss_history_``.
        """
        if not hasattr(self, "wv"):
            raise RuntimeError("call build_vocab(sentences) (or fit) before train")
        epochs = self.epochs if epochs is None else epochs
        tokens, sentence_of = self._encode(sentences)
        batch_ends = _batch_ends(sentence_of, self.batch_words)
        n_steps = epochs * len(batch_ends)
        for epoch in range(epochs):
            losses, pairs = 0.0, 0
            for b, (start, stop) in enumerate(zip(np.r_[0, batch_ends[:-1]], batch_ends)):
                progress = (epoch * len(batch_ends) + b) / n_steps
                alpha = self.alpha - (self.alpha - self.min_alpha) * progress
                loss, n = self._train_batch(tokens[start:stop], sentence_of[start:stop], alpha)
                if not np.isfinite(loss):
                    raise FloatingPointError(
                        f"word2vec diverged in epoch {epoch + 1} (loss is not finite); "
                        "lower alpha or batch_words"
                    )
                losses, pairs = losses + loss, pairs + n
            self.loss_history_.append(losses / max(pairs, 1))
        return self

    def most_similar(self, positive=(), negative=(), topn=10):
        """See :meth:`KeyedVectors.most_similar`."""
        return self.wv.most_similar(positive, negative, topn)

    def similarity(self, word1, word2):
        """See :meth:`KeyedVectors.similarity`."""
        return self.wv.similarity(word1, word2)

    def analogy(self, a, b, c):
        """See :meth:`KeyedVectors.analogy` (``analogy("king", "man", "woman")``)."""
        return self.wv.analogy(a, b, c)

    def __getitem__(self, word):
        return self.wv[word]

    def __contains__(self, word):
        return hasattr(self, "wv") and word in self.wv

    # ------------------------------------------------------------------ one batch
    def _train_batch(self, tokens, sentence_of, alpha):
        """Subsample, pair up centers and contexts, and apply one fused step."""
        keep = self._rng.random(len(tokens)) < self._keep_probability[tokens]
        tokens, sentence_of = tokens[keep], sentence_of[keep]
        center_at, context_at = _context_pairs(sentence_of, self.window, self._rng)
        if len(center_at) == 0:
            return 0.0, 0
        if self.sg:  # v_c = v[center], positive target o = context word
            inputs = tokens[center_at]
            dV, loss = self._negative_sampling_step(self.vectors[inputs], tokens[context_at], alpha)
            scatter_add(self.vectors, inputs, dV, max_count=MAX_UPDATES_PER_STEP)
            return loss, len(inputs)
        # CBOW: h = mean of the context vectors of each center; positive target = center.
        # h = A @ vectors with A[row, w] = (times w is in the row's window) / (window size).
        centers, center_row = np.unique(center_at, return_inverse=True)
        center_row, context_words = center_row.ravel(), tokens[context_at]
        n_context = np.bincount(center_row).astype(np.float32)
        A = sp.csr_matrix((1.0 / n_context[center_row], (center_row, context_words)),
                          shape=(len(centers), len(self.vectors)))
        dH, loss = self._negative_sampling_step(A @ self.vectors, tokens[centers], alpha)
        # as in word2vec.c, every context word receives its center's whole dH
        scatter_add(self.vectors, context_words, dH, value_index=center_row,
                    max_count=MAX_UPDATES_PER_STEP)
        return loss, len(centers)

    def _negative_sampling_step(self, V, positives, alpha):
        """The fused step for B rows: update the output vectors, return (dV, summed loss).

        V (B, d) holds v_c (or h); ``positives`` (B,) the positive targets o.
        """
        B, K = len(positives), self.negative
        noise = np.searchsorted(self._noise_cdf, self._rng.random((B, K)), side="right")
        targets = np.column_stack([positives, np.minimum(noise, len(self._noise_cdf) - 1)])
        labels = np.zeros((B, K + 1), dtype=np.float32)
        labels[:, 0] = 1.0
        valid = np.ones((B, K + 1), dtype=np.float32)
        valid[:, 1:] = targets[:, 1:] != targets[:, :1]  # a negative equal to o is skipped

        U = self.output_vectors[targets]                        # (B, K+1, d)  u_t
        scores = np.einsum("bkd,bd->bk", U, V)                  # (B, K+1)     u_t . v_c
        G = alpha * (labels - expit(scores)) * valid            # g_t
        dV = np.einsum("bk,bkd->bd", G, U)                      # sum_t g_t u_t
        # u_t += g_t v_c for every (b, t): the coefficient g_t times row b of V
        scatter_add(self.output_vectors, targets.ravel(), V, coefficients=G.ravel(),
                    value_index=np.repeat(np.arange(B), K + 1), max_count=MAX_UPDATES_PER_STEP)

        signed = np.where(labels == 1.0, -scores, scores)       # -log sigma(+-s) = log(1+e^(-+s))
        loss = float(np.sum(np.logaddexp(0.0, signed) * valid))
        return dV, loss

    # ------------------------------------------------------------------ helpers
    def _set_vocabulary(self, words, counts, vectors, output_vectors):
        self.index_to_key, self.counts = words, counts
        self.vectors, self.output_vectors = vectors, output_vectors
        self.wv = KeyedVectors(words, vectors)
        self.key_to_index = self.wv.key_to_index
        self.loss_history_ = []
        noise = counts.astype(np.float64) ** self.ns_exponent
        self._noise_cdf = np.cumsum(noise) / noise.sum()
        if self.sample > 0:
            f = counts / counts.sum()
            t = self.sample
            self._keep_probability = np.minimum(np.sqrt(t / f) + t / f, 1.0)
        else:
            self._keep_probability = np.ones(len(words))

    def _encode(self, sentences):
        """Token ids of all in-vocabulary tokens, and the sentence each belongs to."""
        ids, lengths = [], []
        index = self.key_to_index
        for i, sentence in enumerate(sentences):
            encoded = [index[w] for w in _checked_sentence(sentence, i) if w in index]
            ids.extend(encoded)
            lengths.append(len(encoded))
        if not ids:
            raise ValueError("sentences hold no in-vocabulary token: nothing to train on")
        sentence_of = np.repeat(np.arange(len(lengths)), lengths)
        return np.asarray(ids, dtype=np.int64), sentence_of

    def _check_params(self):
        positive_ints = ("vector_size", "window", "min_count", "negative", "epochs",
                         "batch_words")
        for name in positive_ints:
            value = getattr(self, name)
            if not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{name} must be an int >= 1, got {value!r}")
        if self.sg not in (0, 1):
            raise ValueError(f"sg must be 1 (skip-gram) or 0 (CBOW), got {self.sg!r}")
        if not self.alpha > 0 or not 0 <= self.min_alpha <= self.alpha:
            raise ValueError(f"need alpha > 0 and 0 <= min_alpha <= alpha, "
                             f"got alpha={self.alpha!r}, min_alpha={self.min_alpha!r}")
        if self.sample < 0:
            raise ValueError(f"sample must be >= 0, got {self.sample!r}")

    # ------------------------------------------------------------------ save / load
    def save(self, path):
        """Write ``path.json`` (settings and vocabulary) and ``path.npz`` (the vectors).

        No pickle is involved. Each file is written to a temporary name first and then
        renamed, so a crash never leaves a half-written model. Returns the two paths.
        """
        if not hasattr(self, "wv"):
            raise RuntimeError("nothing to save: the model has no vocabulary yet")
        base = _base_path(path)
        config = {name: getattr(self, name) for name in _PARAMS}
        meta = {"format": _FORMAT, "config": config, "words": self.index_to_key,
                "counts": self.counts.tolist(), "loss_history": self.loss_history_}
        json_path, npz_path = base + ".json", base + ".npz"
        with open(npz_path + ".tmp", "wb") as f:
            np.savez(f, vectors=self.vectors, output_vectors=self.output_vectors)
        with open(json_path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(meta, f, ensure_ascii=False)
        os.replace(npz_path + ".tmp", npz_path)
        os.replace(json_path + ".tmp", json_path)
        return json_path, npz_path

    @classmethod
    def load(cls, path):
        """Load a model written by :meth:`save` (``path`` with or without the suffix)."""
        base = _base_path(path)
        with open(base + ".json", encoding="utf-8") as f:
            try:
                meta = json.load(f)
            except json.JSONDecodeError as error:
                raise ValueError(f"{base}.json is not valid JSON: {error}") from None
        if not isinstance(meta, dict) or meta.get("format") != _FORMAT:
            raise ValueError(f"{base}.json is not a glassnet word2vec file")
        model = cls(**meta["config"])
        with np.load(base + ".npz", allow_pickle=False) as arrays:
            if set(arrays.files) != {"vectors", "output_vectors"}:
                raise ValueError(f"{base}.npz must hold vectors and output_vectors")
            vectors, output_vectors = arrays["vectors"], arrays["output_vectors"]
        expected = (len(meta["words"]), model.vector_size)
        if vectors.shape != expected or output_vectors.shape != expected \
                or len(meta["counts"]) != expected[0]:
            raise ValueError(f"{base}.npz holds arrays of shape {vectors.shape}, "
                             f"expected {expected} from {base}.json")
        model._rng = np.random.default_rng(model.seed)
        model._set_vocabulary(meta["words"], np.asarray(meta["counts"], dtype=np.int64),
                              vectors.astype(np.float32), output_vectors.astype(np.float32))
        model.loss_history_ = list(meta.get("loss_history", []))
        return model


_PARAMS = ("vector_size", "window", "min_count", "sg", "negative", "ns_exponent", "sample",
           "alpha", "min_alpha", "epochs", "batch_words", "seed")


def _check_corpus(sentences, method: str) -> None:
    """A TypeError naming the argument unless ``sentences`` is an iterable (not a single str)."""
    if isinstance(sentences, (str, bytes)) or not isinstance(sentences, Iterable):
        raise TypeError(f"{method}: sentences must be a list of sentences (lists of str tokens), "
                        f"got {type(sentences).__name__}")


def _checked_sentence(sentence, index):
    if isinstance(sentence, str):
        raise TypeError(f"sentence {index} is a str; each sentence must be a list of tokens")
    if not isinstance(sentence, Iterable):
        raise TypeError(f"sentence {index} is a {type(sentence).__name__}; each sentence must be a list of tokens")
    sentence = list(sentence)
    for token in sentence:
        if not isinstance(token, str):
            raise TypeError(f"sentence {index} holds a {type(token).__name__}, expected str tokens")
    return sentence


def _context_pairs(sentence_of, window, rng):
    """Positions (center, context) with |center - context| <= the center's window.

    Each center draws its window uniformly from 1..window (word2vec's dynamic window);
    pairs never cross sentences. Returned sorted by center position.
    """
    reach = rng.integers(1, window + 1, size=len(sentence_of))
    position = np.arange(len(sentence_of))
    centers, contexts = [], []
    for distance in range(1, window + 1):
        same_sentence = sentence_of[distance:] == sentence_of[:-distance]
        left, right = position[:-distance], position[distance:]
        forward = same_sentence & (reach[left] >= distance)    # center left, context right
        backward = same_sentence & (reach[right] >= distance)  # center right, context left
        centers += [left[forward], right[backward]]
        contexts += [right[forward], left[backward]]
    centers, contexts = np.concatenate(centers), np.concatenate(contexts)
    order = np.argsort(centers, kind="stable")
    return centers[order], contexts[order]


def _batch_ends(sentence_of, batch_words):
    """End offsets of batches of about ``batch_words`` tokens that end on sentence ends."""
    sentence_ends = np.flatnonzero(np.diff(sentence_of)) + 1
    sentence_ends = np.append(sentence_ends, len(sentence_of))
    wanted = np.arange(batch_words, len(sentence_of), batch_words)
    ends = sentence_ends[np.searchsorted(sentence_ends, wanted)]
    return np.unique(np.append(ends, len(sentence_of)))


def _base_path(path):
    path = os.fspath(path)
    for suffix in (".json", ".npz"):
        if path.endswith(suffix):
            return path[: -len(suffix)]
    return path

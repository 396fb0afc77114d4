"""The vocabulary of a translation model: tokens ↔ ids, with the four reserved ids a decoder needs.

    id 0  ""         padding (``Embedding(mask_zero=True)`` skips it; as TextVectorization)
    id 1  "[UNK]"    any token the vocabulary does not hold
    id 2  "[START]"  fed to the decoder before the first output token
    id 3  "[END]"    the decoder emits it to say the sentence is over
    id 4… the corpus's tokens, most frequent first (ties: first seen first)

    >>> vocab = Vocabulary().fit(["A dog runs .", "A cat sleeps ."])
    >>> vocab.encode("a dog sleeps", add_start=True, add_end=True)
    [2, 4, 6, 9, 3]
    >>> vocab.decode([4, 8, 3, 5])          # stops at [END]
    ['a', 'cat']
"""
from __future__ import annotations

from collections import Counter

import numpy as np

from .data import pad_batch

PAD_TOKEN, UNKNOWN_TOKEN, START_TOKEN, END_TOKEN = "", "[UNK]", "[START]", "[END]"
RESERVED_TOKENS = (PAD_TOKEN, UNKNOWN_TOKEN, START_TOKEN, END_TOKEN)


class Vocabulary:
    """Token ↔ id tables built from a corpus, with padding, unknown, start and end ids.

    ``fit(sentences)`` counts the tokens of every sentence; tokens seen fewer than
    ``min_frequency`` times are left out, the rest are sorted by descending count (ties keep
    the order in which they were first seen, so the result is deterministic) and cut so that
    the vocabulary, reserved ids included, has at most ``max_tokens`` entries. A sentence is
    a str (split by ``tokenizer``) or an already tokenised list of str.

    Args:
        max_tokens: the most entries, the 4 reserved ones included (an int > 4), or None.
        min_frequency: the fewest occurrences a token needs to get its own id (default 1).
        tokenizer: a callable ``str -> list[str]`` for sentences given as str; default
            ``glassnet.text.word_tokenize`` (words and punctuation), lower-cased when
            ``lowercase``.
        lowercase: lower-case str sentences with the default tokenizer (default True).

    Attributes (after ``fit`` or ``from_tokens``):
        tokens_: the list of tokens, index = id. index_: token → id. counts_: the corpus
        counts (a Counter; empty after ``from_tokens``).
    """

    pad_id, unknown_id, start_id, end_id = 0, 1, 2, 3

    def __init__(self, max_tokens=None, min_frequency=1, tokenizer=None, lowercase=True):
        if max_tokens is not None and (isinstance(max_tokens, bool) or not isinstance(max_tokens, (int, np.integer))
                                       or max_tokens <= len(RESERVED_TOKENS)):
            raise ValueError(f"Vocabulary: max_tokens must be None or an int > {len(RESERVED_TOKENS)} (the reserved "
                             f"ids {list(RESERVED_TOKENS)} count), got {max_tokens!r}")
        if isinstance(min_frequency, bool) or not isinstance(min_frequency, (int, np.integer)) or min_frequency < 1:
            raise ValueError(f"Vocabulary: min_frequency must be an int >= 1, got {min_frequency!r}")
        if tokenizer is not None and not callable(tokenizer):
            raise ValueError(f"Vocabulary: tokenizer must be a callable str -> list[str] or None, got {tokenizer!r}")
        self.max_tokens = None if max_tokens is None else int(max_tokens)
        self.min_frequency = int(min_frequency)
        self.tokenizer = tokenizer
        self.lowercase = bool(lowercase)

    # --- building -------------------------------------------------------------------------
    def fit(self, sentences) -> "Vocabulary":
        """Learn the vocabulary from ``sentences`` (str or lists of tokens); returns self.

        Raises:
            ValueError: if ``sentences`` is empty or a single str, or a sentence holds a
                reserved token ("" or "[UNK]", "[START]", "[END]").
        """
        if isinstance(sentences, str) or not hasattr(sentences, "__iter__"):
            raise ValueError(f"Vocabulary.fit: sentences must be a list of sentences (str or lists of tokens), got "
                             f"{type(sentences).__name__}")
        counts, n = Counter(), 0
        for n, sentence in enumerate(sentences, start=1):
            tokens = self.tokenize(sentence)
            reserved = sorted(set(tokens) & set(RESERVED_TOKENS))
            if reserved:
                raise ValueError(f"Vocabulary.fit: sentence {n - 1} holds the reserved token(s) {reserved}; the "
                                 f"reserved tokens {list(RESERVED_TOKENS)} cannot be corpus tokens")
            counts.update(tokens)
        if n == 0:
            raise ValueError("Vocabulary.fit: sentences is empty; give at least one sentence")
        kept = [token for token, count in sorted(counts.items(), key=lambda item: -item[1])
                if count >= self.min_frequency]
        if self.max_tokens is not None:
            kept = kept[:self.max_tokens - len(RESERVED_TOKENS)]
        self._set_tokens(kept)
        self.counts_ = counts
        return self

    @classmethod
    def from_tokens(cls, tokens, **kwargs) -> "Vocabulary":
        """A vocabulary with the given tokens at ids 4, 5, … (the reserved ids before them).

        Raises:
            ValueError: for a token that is not a str, repeats, or is reserved.
        """
        vocabulary = cls(**kwargs)
        tokens = list(tokens)
        for token in tokens:
            if not isinstance(token, str):
                raise ValueError(f"Vocabulary.from_tokens: tokens must be str, got {token!r}")
        repeated = sorted({t for t in tokens if tokens.count(t) > 1})
        reserved = sorted(set(tokens) & set(RESERVED_TOKENS))
        if repeated or reserved:
            raise ValueError(f"Vocabulary.from_tokens: tokens must be distinct and not reserved "
                             f"{list(RESERVED_TOKENS)}; repeated {repeated}, reserved {reserved}")
        vocabulary._set_tokens(tokens)
        vocabulary.counts_ = Counter()
        return vocabulary

    def _set_tokens(self, tokens: list) -> None:
        self.tokens_ = [*RESERVED_TOKENS, *tokens]
        self.index_ = {token: i for i, token in enumerate(self.tokens_)}

    def _check_fitted(self, method: str) -> None:
        if not hasattr(self, "tokens_"):
            raise ValueError(f"Vocabulary.{method}: the vocabulary is empty; call fit(sentences) or use "
                             f"Vocabulary.from_tokens(tokens) first")

    def __len__(self) -> int:
        self._check_fitted("__len__")
        return len(self.tokens_)

    @property
    def vocabulary_size(self) -> int:
        """The number of ids (reserved ones included): the ``input_dim`` of an Embedding."""
        return len(self)

    def get_vocabulary(self) -> list:
        """The tokens by id, reserved ones first."""
        self._check_fitted("get_vocabulary")
        return list(self.tokens_)

    # --- tokens ↔ ids ---------------------------------------------------------------------
    def tokenize(self, sentence) -> list:
        """A str split into tokens (``tokenizer``), or a list of tokens as it is."""
        if isinstance(sentence, str):
            if self.tokenizer is not None:
                return list(self.tokenizer(sentence))
            from ..text import word_tokenize
            return word_tokenize(sentence, lowercase=self.lowercase)
        if isinstance(sentence, (list, tuple)) and all(isinstance(token, str) for token in sentence):
            return list(sentence)
        raise ValueError(f"Vocabulary: a sentence must be a str or a list of str tokens, got {sentence!r}")

    def encode(self, sentence, add_start=False, add_end=False) -> list:
        """The ids of a sentence's tokens ("[UNK]"'s id for unknown ones), with the start
        id before and the end id after when asked."""
        self._check_fitted("encode")
        ids = [self.index_.get(token, self.unknown_id) for token in self.tokenize(sentence)]
        return [self.start_id] * bool(add_start) + ids + [self.end_id] * bool(add_end)

    def encode_batch(self, sentences, add_start=False, add_end=False, max_length=None) -> np.ndarray:
        """The sentences' ids in one (n, length) int32 array, padded with 0 at the end
        (``pad_batch``; longer sentences are cut to ``max_length``)."""
        return pad_batch([self.encode(s, add_start, add_end) for s in sentences], max_length=max_length,
                         pad_id=self.pad_id)

    def decode(self, ids) -> list:
        """The tokens of ``ids`` up to the first end id: padding and start ids dropped.

        Raises:
            ValueError: for an id that is not an int in [0, vocabulary size).
        """
        self._check_fitted("decode")
        tokens = []
        for i in np.asarray(ids).reshape(-1).tolist():
            if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < len(self.tokens_):
                raise ValueError(f"Vocabulary.decode: ids must be ints in [0, {len(self.tokens_)}), got {i!r}")
            if i == self.end_id:
                break
            if i not in (self.pad_id, self.start_id):
                tokens.append(self.tokens_[i])
        return tokens

    def decode_text(self, ids) -> str:
        """``decode(ids)`` joined with spaces (what ``glassnet.text.corpus_bleu`` scores)."""
        return " ".join(self.decode(ids))

    # --- config -----------------------------------------------------------------------------
    def get_config(self) -> dict:
        """The settings and the learned tokens (reserved ones excluded), JSON-ready; the
        tokenizer is not saved (pass it again to ``from_config``)."""
        config = {"max_tokens": self.max_tokens, "min_frequency": self.min_frequency, "lowercase": self.lowercase}
        if hasattr(self, "tokens_"):
            config["tokens"] = self.tokens_[len(RESERVED_TOKENS):]
        return config

    @classmethod
    def from_config(cls, config: dict, tokenizer=None) -> "Vocabulary":
        config = dict(config)
        tokens = config.pop("tokens", None)
        if tokens is None:
            return cls(**config, tokenizer=tokenizer)
        return cls.from_tokens(tokens, **config, tokenizer=tokenizer)

    def __repr__(self) -> str:
        size = len(self.tokens_) if hasattr(self, "tokens_") else "not fitted"
        return f"Vocabulary(size={size}, max_tokens={self.max_tokens}, min_frequency={self.min_frequency})"


__all__ = ["Vocabulary", "PAD_TOKEN", "UNKNOWN_TOKEN", "START_TOKEN", "END_TOKEN", "RESERVED_TOKENS"]

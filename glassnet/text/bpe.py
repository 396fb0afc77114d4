"""Byte-pair encoding (BPE): a subword vocabulary learned from data.

Word vocabularies never cover every word and character vocabularies make sequences long.
BPE (Sennrich, Haddow & Birch, 2016, after Gage's 1994 compression scheme) sits between
the two: it starts from single symbols and learns, from a corpus, which adjacent symbols
to glue together. Frequent words end up as one token, rare words as a few pieces,
for instance::

    "lowest" -> ["low", "est"]        "glassnet" -> ["gl", "ass", "net"]

Training, the algorithm box::

    input:   corpus, target vocabulary size V, minimum pair frequency f_min
    split    the corpus into words; count each distinct word w: freq(w)
    start    every word as its sequence of UTF-8 bytes; vocabulary = the 256 bytes
    repeat until |vocabulary| = V:
        count(a, b) = sum over words w of freq(w) * (times a is directly followed by b in w)
        (a, b) = the pair with the largest count        (ties: the smallest ids)
        stop if count(a, b) < f_min
        add the new symbol ab to the vocabulary, record the merge (a, b) -> ab
        replace every a b by ab in every word (left to right, without overlap)
    return   the list of merges, in the order they were learned

Only the words that contain the merged pair change, so after a merge the pair counts
are updated for those words alone (an index ``pair -> words containing it`` finds them)
and the best pair comes from a heap: training never rescans the text.

Encoding a word applies the learned merges in the same order: repeatedly merge the
adjacent pair that was learned earliest, until no learned pair is left. This gives
exactly the segmentation training produced.

This implementation is *byte-level* (as in GPT-2): the base symbols are the 256 byte
values of UTF-8, not characters. Every string therefore encodes without an "unknown"
token, and ``decode(encode(text)) == text`` holds for any Python string — emoji,
combining marks, and even unpaired surrogates (encoded with UTF-8's ``surrogatepass``).
Text is first split into words with a GPT-2-style rule: a run of letters, of digits or
of other symbols, each taking one leading space with it (``" the"``), or a run of
whitespace; merges never cross these word boundaries. For display, ``tokenize`` and
``vocab`` show tokens with GPT-2's printable byte alphabet, where a space reads ``Ġ``
and a newline ``Ċ``: ``"Hello world" -> ["Hello", "Ġworld"]``.
"""

from __future__ import annotations

import heapq
import json
import operator
import os
import re
import tempfile
from collections import Counter, defaultdict
from typing import Dict, Iterable, List, Sequence, Tuple

__all__ = ["BytePairEncoding", "BPETokenizer"]

_FORMAT = "glassnet.text.BytePairEncoding"
_FORMAT_VERSION = 1

# Word splitting: optional space + letters | digits | other symbols (underscore included),
# then whitespace runs (all but the last space, which goes with the next word).
# Every character is matched by some alternative, so the split loses nothing.
_WORD_PATTERN = re.compile(r" ?[^\W\d_]+| ?\d+| ?(?:[^\w\s]|_)+|\s+(?!\S)|\s+")


def _printable_byte_alphabet() -> List[str]:
    """GPT-2's map from each byte to a visible character, so tokens can be printed.

    Bytes that are already visible Latin-1 characters stand for themselves; the others
    (control characters, space, DEL, no-break space, soft hyphen) are shifted to
    U+0100 onwards in order: space (0x20) becomes ``Ġ`` (U+0120), newline ``Ċ``.
    """
    visible = set(range(ord("!"), ord("~") + 1)) | set(range(0xA1, 0xAC + 1)) \
        | set(range(0xAE, 0xFF + 1))
    alphabet, shifted = [], 0
    for byte in range(256):
        if byte in visible:
            alphabet.append(chr(byte))
        else:
            alphabet.append(chr(256 + shifted))
            shifted += 1
    return alphabet


_BYTE_TO_CHAR = _printable_byte_alphabet()


def _pairs(symbols: Sequence[int]) -> List[Tuple[int, int]]:
    """The adjacent pairs of a symbol sequence: ``[a, b, c] -> [(a, b), (b, c)]``."""
    return list(zip(symbols, symbols[1:]))


def _merge(symbols: Sequence[int], pair: Tuple[int, int], new_id: int) -> List[int]:
    """Replace each non-overlapping occurrence of ``pair``, left to right, by ``new_id``."""
    first, second = pair
    merged, i = [], 0
    while i < len(symbols):
        if i + 1 < len(symbols) and symbols[i] == first and symbols[i + 1] == second:
            merged.append(new_id)
            i += 2
        else:
            merged.append(symbols[i])
            i += 1
    return merged


class BytePairEncoding:
    """A trainable byte-level BPE subword tokenizer.

    Ids ``0..255`` are the single bytes; id ``256 + k`` is the symbol made by the k-th
    learned merge. Train with ``train``, then ``encode``/``decode``/``tokenize``; persist
    with ``save`` and ``BytePairEncoding.load`` (plain JSON).

    Example (the textbook "aaabdaaabac": merge aa, then ab, then aa+ab; every pair
    left occurs once, below ``min_frequency=2``, so training stops there):
        >>> bpe = BytePairEncoding().train(["aaabdaaabac"], vocab_size=300)
        >>> bpe.merges
        [('a', 'a'), ('a', 'b'), ('aa', 'ab')]
        >>> bpe.tokenize("aaabdaaabac")
        ['aaab', 'd', 'aaab', 'a', 'c']
        >>> bpe.decode(bpe.encode("naïve 🙂")) == "naïve 🙂"
        True
    """

    def __init__(self):
        self._merges: List[Tuple[int, int]] = []
        self._ranks: Dict[Tuple[int, int], int] = {}
        self._token_bytes: List[bytes] = [bytes([b]) for b in range(256)]
        self._cache: Dict[str, List[int]] = {}
        self._trained = False

    def __repr__(self) -> str:
        state = f"vocab_size={self.vocab_size}" if self._trained else "untrained"
        return f"BytePairEncoding({state})"

    # ------------------------------------------------------------------ training

    def train(self, corpus: Iterable[str], vocab_size: int,
              min_frequency: int = 2) -> "BytePairEncoding":
        """Learn merges from a corpus until the vocabulary has ``vocab_size`` tokens.

        Training starts afresh: merges learned before are discarded.

        Args:
            corpus: an iterable of documents (strings), e.g. a list or an open file.
            vocab_size: the target vocabulary size, at least 256 (the byte alphabet).
                Fewer tokens result when no pair occurs ``min_frequency`` times any more.
            min_frequency: a pair must occur at least this often to be merged.

        Returns:
            ``self``, trained.

        Raises:
            TypeError: if ``corpus`` is a string or yields a non-string, or the sizes are
                not ints.
            ValueError: if ``vocab_size < 256``, ``min_frequency < 1`` or the corpus
                holds no text.
        """
        for name, value, least in (("vocab_size", vocab_size, 256),
                                   ("min_frequency", min_frequency, 1)):
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(f"train() argument {name!r} must be int, "
                                f"got {type(value).__name__}")
            if value < least:
                raise ValueError(f"train() argument {name!r} must be at least {least}, "
                                 f"got {value}")
        word_freq = self._count_words(corpus)
        if not word_freq:
            raise ValueError("train() argument 'corpus' holds no text to learn from")

        # The word-frequency table: each distinct word as a list of symbol ids.
        words = [list(word.encode("utf-8", "surrogatepass")) for word in word_freq]
        freqs = list(word_freq.values())

        # count(a, b) and, for each pair, the words that contain it.
        pair_count: Dict[Tuple[int, int], int] = defaultdict(int)
        pair_words: Dict[Tuple[int, int], set] = defaultdict(set)
        for index, symbols in enumerate(words):
            for pair in _pairs(symbols):
                pair_count[pair] += freqs[index]
                pair_words[pair].add(index)
        heap = [(-count, pair) for pair, count in pair_count.items()]
        heapq.heapify(heap)

        merges: List[Tuple[int, int]] = []
        while 256 + len(merges) < vocab_size and heap:
            negative_count, pair = heapq.heappop(heap)
            if -negative_count != pair_count.get(pair, 0):
                continue  # A stale heap entry: this pair's count has changed since.
            if -negative_count < min_frequency:
                break
            new_id = 256 + len(merges)
            merges.append(pair)
            changed = set()
            for index in pair_words.pop(pair):
                old_pairs = _pairs(words[index])
                if pair not in old_pairs:
                    continue
                new_symbols = _merge(words[index], pair, new_id)
                new_pairs = _pairs(new_symbols)
                for old in old_pairs:
                    pair_count[old] -= freqs[index]
                for new in new_pairs:
                    pair_count[new] += freqs[index]
                    pair_words[new].add(index)
                for old in set(old_pairs) - set(new_pairs) - {pair}:
                    pair_words[old].discard(index)
                changed.update(old_pairs, new_pairs)
                words[index] = new_symbols
            del pair_count[pair]
            for other in changed - {pair}:
                if pair_count[other] > 0:
                    heapq.heappush(heap, (-pair_count[other], other))
                else:
                    del pair_count[other]
                    pair_words.pop(other, None)

        self._set_merges(merges)
        return self

    @staticmethod
    def _count_words(corpus: Iterable[str]) -> Counter:
        """freq(w) for every word of the corpus, after the GPT-2-style split."""
        if isinstance(corpus, (str, bytes)):
            raise TypeError("train() argument 'corpus' must be an iterable of strings, "
                            f"got {type(corpus).__name__} (wrap one document in a list)")
        try:
            documents = iter(corpus)
        except TypeError:
            raise TypeError("train() argument 'corpus' must be an iterable of strings, "
                            f"got {type(corpus).__name__}") from None
        word_freq: Counter = Counter()
        for document in documents:
            if not isinstance(document, str):
                raise TypeError("train() argument 'corpus' must hold only strings, "
                                f"got an item of type {type(document).__name__}")
            word_freq.update(_WORD_PATTERN.findall(document))
        return word_freq

    def _set_merges(self, merges: Sequence[Tuple[int, int]]) -> None:
        """Install a merge list: ranks for encoding and the bytes of every token."""
        self._merges = [tuple(pair) for pair in merges]
        self._ranks = {pair: rank for rank, pair in enumerate(self._merges)}
        self._token_bytes = [bytes([b]) for b in range(256)]
        for first, second in self._merges:
            self._token_bytes.append(self._token_bytes[first] + self._token_bytes[second])
        self._cache = {}
        self._trained = True

    # ------------------------------------------------------------------ using it

    def _check_trained(self, method: str) -> None:
        if not self._trained:
            raise RuntimeError(f"BytePairEncoding.{method}() needs a trained tokenizer: "
                               "call train(corpus, vocab_size) or BytePairEncoding.load(path) "
                               "first")

    def _encode_word(self, word: str) -> List[int]:
        """Encode one word: merge the earliest-learned adjacent pair until none is left."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        symbols = list(word.encode("utf-8", "surrogatepass"))
        while len(symbols) > 1:
            pair = min(_pairs(symbols), key=lambda p: self._ranks.get(p, len(self._ranks)))
            if pair not in self._ranks:
                break
            symbols = _merge(symbols, pair, 256 + self._ranks[pair])
        if len(self._cache) < 100_000:
            self._cache[word] = symbols
        return symbols

    def encode(self, text: str) -> List[int]:
        """Text to token ids.

        Raises:
            TypeError: if ``text`` is not a string.
            RuntimeError: if the tokenizer has not been trained or loaded.
        """
        if not isinstance(text, str):
            raise TypeError(f"encode() argument 'text' must be str, got {type(text).__name__}")
        self._check_trained("encode")
        ids: List[int] = []
        for word in _WORD_PATTERN.findall(text):
            ids.extend(self._encode_word(word))
        return ids

    def decode(self, ids: Iterable[int]) -> str:
        """Token ids back to text: join the tokens' bytes and decode them as UTF-8.

        ``decode(encode(text)) == text`` for every string. Id sequences that ``encode``
        cannot produce may cut a character's bytes apart; such bytes decode to U+FFFD.

        Raises:
            TypeError: if an id is not an integer.
            ValueError: if an id is outside ``0 .. vocab_size - 1``.
            RuntimeError: if the tokenizer has not been trained or loaded.
        """
        self._check_trained("decode")
        if isinstance(ids, (str, bytes)):
            raise TypeError(f"decode() argument 'ids' must be a sequence of ints, "
                            f"got {type(ids).__name__}")
        pieces = []
        for token_id in ids:
            try:
                token_id = operator.index(token_id)
            except TypeError:
                raise TypeError(f"decode() argument 'ids' must hold ints, got an item of "
                                f"type {type(token_id).__name__}") from None
            if not 0 <= token_id < len(self._token_bytes):
                raise ValueError(f"decode() got id {token_id}, outside the vocabulary "
                                 f"0..{len(self._token_bytes) - 1}")
            pieces.append(self._token_bytes[token_id])
        data = b"".join(pieces)
        try:
            return data.decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            return data.decode("utf-8", "replace")

    def tokenize(self, text: str) -> List[str]:
        """Text to token strings, written in the printable byte alphabet (space = ``Ġ``).

        Raises:
            TypeError: if ``text`` is not a string.
            RuntimeError: if the tokenizer has not been trained or loaded.
        """
        if not isinstance(text, str):
            raise TypeError(f"tokenize() argument 'text' must be str, "
                            f"got {type(text).__name__}")
        return [self._token_string(token_id) for token_id in self.encode(text)]

    def _token_string(self, token_id: int) -> str:
        return "".join(_BYTE_TO_CHAR[byte] for byte in self._token_bytes[token_id])

    @property
    def vocab_size(self) -> int:
        """The number of tokens: 256 bytes plus one per merge."""
        return len(self._token_bytes)

    @property
    def vocab(self) -> Dict[str, int]:
        """Token string (printable byte alphabet) -> id, for all ``vocab_size`` tokens."""
        return {self._token_string(i): i for i in range(len(self._token_bytes))}

    @property
    def merges(self) -> List[Tuple[str, str]]:
        """The learned merges in order, as pairs of token strings: ``("Ġ", "t")``."""
        return [(self._token_string(a), self._token_string(b)) for a, b in self._merges]

    # ------------------------------------------------------------------ persistence

    def save(self, path) -> None:
        """Write the tokenizer to ``path`` as JSON (written to a temporary file, then renamed).

        The file holds the merges as pairs of ids, which define everything, and the
        readable vocabulary for inspection.
        """
        self._check_trained("save")
        state = {
            "format": _FORMAT,
            "version": _FORMAT_VERSION,
            "merges": [list(pair) for pair in self._merges],
            "vocab": self.vocab,
        }
        path = os.fspath(path)
        directory = os.path.dirname(os.path.abspath(path))
        handle, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as fh:
                json.dump(state, fh, ensure_ascii=False, indent=1)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise

    @classmethod
    def load(cls, path) -> "BytePairEncoding":
        """Read a tokenizer written by ``save``: ``bpe = BytePairEncoding.load(path)``.

        Raises:
            ValueError: if the file is not valid JSON or not a BPE tokenizer file, or
                its merges are malformed.
        """
        with open(os.fspath(path), encoding="utf-8") as fh:
            try:
                state = json.load(fh)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path!s} is not valid JSON: {error}") from None
        if not isinstance(state, dict) or state.get("format") != _FORMAT:
            raise ValueError(f"{path!s} is not a {_FORMAT} file")
        if state.get("version") != _FORMAT_VERSION:
            raise ValueError(f"{path!s} has format version {state.get('version')!r}; "
                             f"this glassnet reads version {_FORMAT_VERSION}")
        merges = state.get("merges")
        if not isinstance(merges, list):
            raise ValueError(f"{path!s}: 'merges' must be a list of [id, id] pairs")
        for rank, pair in enumerate(merges):
            if (not isinstance(pair, list) or len(pair) != 2
                    or not all(type(i) is int and 0 <= i < 256 + rank for i in pair)):
                raise ValueError(f"{path!s}: merge {rank} is {pair!r}; expected two ids "
                                 f"of earlier tokens (0..{256 + rank - 1})")
        tokenizer = cls()
        tokenizer._set_merges(merges)
        if "vocab" in state and state["vocab"] != tokenizer.vocab:
            raise ValueError(f"{path!s}: 'vocab' does not agree with 'merges'")
        return tokenizer


BPETokenizer = BytePairEncoding

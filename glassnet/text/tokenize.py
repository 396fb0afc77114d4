"""Tokenisation: cut raw text into sentences, words, characters and n-grams.

A model never sees text, only a sequence of *tokens* drawn from a vocabulary. The first
step of every NLP pipeline chooses what a token is:

* sentences — ``sent_tokenize`` splits after ``.``, ``!``, ``?`` or an ellipsis when the
  next sentence visibly starts (whitespace, then a capital letter) — but not after "Mr."
  or "e.g.", and never inside "3.14";
* words — ``word_tokenize`` keeps URLs, e-mail addresses and numbers whole, splits
  punctuation off and splits English contractions the way the Penn Treebank does
  (``don't -> do n't``);
* characters — ``char_tokenize``;
* n-grams — ``ngrams``, ``word_ngrams`` and ``char_ngrams`` turn a token sequence into
  overlapping windows of n consecutive tokens, the features of a bag-of-n-grams model::

      ngrams(["the", "cat", "sat"], 2) == [("the", "cat"), ("cat", "sat")]
      a sequence of length L has max(L - n + 1, 0) n-grams.

Subword tokenisation (byte-pair encoding) lives in ``bpe.py``.

Every function accepts any Unicode string (accents, combining marks, emoji, CJK,
unpaired surrogates) without failing; input of the wrong type raises ``TypeError``
naming the argument.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Iterable, List, Sequence, Tuple

__all__ = [
    "sent_tokenize",
    "word_tokenize",
    "char_tokenize",
    "ngrams",
    "word_ngrams",
    "char_ngrams",
]


def _check_str(value, argument: str, function: str) -> None:
    """Raise ``TypeError`` unless ``value`` is a ``str``."""
    if not isinstance(value, str):
        raise TypeError(f"{function}() argument {argument!r} must be str, "
                        f"got {type(value).__name__}")


# ---------------------------------------------------------------------- sentences

# Words after which a full stop does not end a sentence (compared lowercased, without the
# final "."; dotted forms such as "e.g" and "u.s" are recognised by _DOTTED below).
# Abbreviations usually followed by a number ("No. 5", "Fig. 3", "Jan. 1") need no entry:
# a digit never starts a new sentence.
ABBREVIATIONS = frozenset("""
    mr mrs ms mx dr prof sr jr st mt rev fr gen col capt lt sgt cmdr adm hon gov pres sen
    rep messrs mme mlle vs etc cf al approx dept inc ltd co corp
""".split())

_DOTTED = re.compile(r"^(?:[^\W\d_]\.)+[^\W\d_]$")  # e.g, i.e, u.s, a.m, p.h.d
_SENTENCE_END = re.compile(
    r"(?<![.!?…])(?P<end>[.!?…]++)"  # terminator: a whole run of . ! ? … ("?!", "...")
    r"(?P<close>[\"'”’»)\]]*+)"     # closing quotes or brackets stay with the sentence
    r"(?P<space>\s+)"                # a sentence boundary needs whitespace
    r"|\n\s*\n"                      # a blank line always ends a sentence
)  # (The lookbehind and possessive ++, *+ keep long runs of "!!!!" linear in time.)
_OPENERS = "\"'“‘«([¿¡"


def _is_abbreviation(text: str, start: int, end: int) -> bool:
    """Whether the word ending at ``text[end]`` (a single ``.``) is an abbreviation.

    The word is the run of letters, digits and dots before ``end``, not reaching back
    past ``start`` (the start of the current sentence).
    """
    begin = end
    while begin > start and (text[begin - 1].isalnum() or text[begin - 1] in "._"):
        begin -= 1
    word = text[begin:end].lower().lstrip(".")
    if not word:
        return False
    if word in ABBREVIATIONS or _DOTTED.match(word):
        return True
    return len(word) == 1 and word.isalpha()  # an initial, as in "J. R. R. Tolkien"


def _starts_sentence(character: str) -> bool:
    """A capital letter, or a letter of a script without case (CJK, Arabic, Hebrew...)."""
    return character.isupper() or (character.isalpha() and not character.islower())


def sent_tokenize(text: str) -> List[str]:
    """Split text into sentences.

    Rules, in order:

    1. A blank line (two line breaks) always ends a sentence.
    2. Otherwise a sentence ends after a terminator — a run of ``. ! ?`` (``"?!"``) or an
       ellipsis (``...`` or ``…``) — plus any closing quotes/brackets, when whitespace
       follows and then the end of the text or a capital letter (optionally after an
       opening quote or bracket; a letter of a script without case, such as Chinese,
       counts as a capital). So ``"3.14"``, ``"wait... it"`` and ``"cost 5. 3 more"``
       do not split.
    3. A single ``.`` after an abbreviation (``Mr.``, ``Dr.``, ``etc.``, ``vs.``, see
       ``ABBREVIATIONS``), a dotted abbreviation (``e.g.``, ``i.e.``, ``U.S.``) or a
       one-letter initial (``J. K. Rowling``) does not end a sentence. The price is that a
       sentence really ending in one (``"... in the U.S."``, ``"... and so on, etc."``)
       is joined to the next one.

    Args:
        text: the text to split.

    Returns:
        The sentences, stripped of surrounding whitespace, in order; ``[]`` for blank text.

    Raises:
        TypeError: if ``text`` is not a string.

    Example:
        >>> sent_tokenize("Mr. Smith paid $3.50 for it, e.g. a bargain! Was it? Yes...")
        ['Mr. Smith paid $3.50 for it, e.g. a bargain!', 'Was it?', 'Yes...']
    """
    _check_str(text, "text", "sent_tokenize")
    sentences = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group("end") is not None:
            blank_line = match.group("space").count("\n") >= 2
            following = match.end()  # the first character after any opening quotes
            while following < len(text) and text[following] in _OPENERS:
                following += 1
            if (not blank_line and following < len(text)
                    and not _starts_sentence(text[following])):
                continue
            if (not blank_line and match.group("end") == "."
                    and _is_abbreviation(text, start, match.start())):
                continue
            cut = match.end() - len(match.group("space"))
        else:
            cut = match.start()
        sentence = text[start:cut].strip()
        if sentence:
            sentences.append(sentence)
        start = match.end()
    last = text[start:].strip()
    if last:
        sentences.append(last)
    return sentences


# ---------------------------------------------------------------------- words

# Ranges of Unicode code points treated as single-character tokens (CJK ideographs, which
# are written without spaces) and as emoji.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef\U00030000-\U0003134f"
_EMOJI = "\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff"
_EMOJI_MODIFIER = "\ufe0e\ufe0f\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f"


@functools.lru_cache(maxsize=None)
def _combining_marks() -> str:
    """A regex character-class body with every combining mark (categories Mn, Mc, Me).

    Python's ``\\w`` leaves out combining marks, so "é" written as ``e`` + U+0301, or any
    Devanagari word, would be cut apart without them. Marks exist only in planes 0, 1
    and 14 of Unicode, so only those are scanned (once, in a few hundredths of a second).
    """
    ranges = []
    for first, last in ((0, 0x1FFFF), (0xE0000, 0xE0FFF)):
        start = None
        for code in range(first, last + 2):
            is_mark = code <= last and unicodedata.category(chr(code)).startswith("M")
            if is_mark and start is None:
                start = code
            elif not is_mark and start is not None:
                ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(code - 1))}")
                start = None
    return "".join(ranges)


@functools.lru_cache(maxsize=None)
def _word_pattern() -> "re.Pattern[str]":
    """The word tokeniser's regular expression; its alternatives are tried in order."""
    letter = rf"(?:[^\W{_CJK}]|[{_combining_marks()}])"  # \w minus CJK, plus marks
    emoji = rf"[{_EMOJI}][{_EMOJI_MODIFIER}]*"
    return re.compile(
        rf"""
        (?:https?|ftp)://[^\s<>"]*[^\s<>".,;:!?)\]}}'"]   # URL, without trailing punctuation
        | www\.[^\s<>"]*[^\s<>".,;:!?)\]}}'"]
        | [\w.+-]{{1,64}}@\w[\w-]*(?:\.\w[\w-]*)+         # e-mail address
        | \d+(?:[.,]\d+)+                              # 3.14  1,000,000  1.000,50
        | [\U0001f1e6-\U0001f1ff]{{2}}                 # flag: two regional indicators
        | {emoji}(?:\u200d{emoji})*                    # emoji, skin tone, ZWJ sequence
        | [{_CJK}]                                     # one CJK ideograph
        | {letter}+(?:[-'’]{letter}+)*                 # word: state-of-the-art, don't
        | \.{{2,}} | -{{2,}}                           # ellipsis, dash
        | \S                                           # any other single character
        """,
        re.VERBOSE,
    )


# Penn Treebank contractions split off the end of a word (after normalising ’ to ').
_CLITICS = ("n't", "'s", "'m", "'d", "'re", "'ve", "'ll")


def _split_contraction(word: str) -> List[str]:
    """``don't -> [do, n't]``, ``it's -> [it, 's]``, ``can't -> [ca, n't]`` (as in the PTB)."""
    lowered = word.lower().replace("’", "'")
    for clitic in _CLITICS:
        if lowered.endswith(clitic) and len(word) > len(clitic):
            cut = len(word) - len(clitic)
            return [word[:cut], word[cut:]]
    return [word]


def word_tokenize(text: str, lowercase: bool = False) -> List[str]:
    """Split text into word and punctuation tokens.

    Rules (each token is the first of these that matches at the current position):

    1. URLs (``https://...``, ``ftp://...``, ``www....``) and e-mail addresses are one
       token; a trailing ``.`` ``,`` ``)`` etc. is not part of the URL.
    2. Numbers with decimal or thousands separators are one token: ``3.14``,
       ``1,000,000``; plain digits follow rule 5 (``42``, ``3rd``, ``mp3``).
    3. An emoji is one token, together with its skin-tone and variation modifiers and any
       zero-width-joiner sequence (👩‍💻); a flag (two regional indicators) is one token.
    4. Each CJK ideograph is its own token (these scripts put no spaces between words).
    5. A word is a run of letters, digits, underscores and combining marks (so accented
       letters, precomposed or not, stay inside the word), possibly joined by internal
       hyphens or apostrophes: ``state-of-the-art``, ``O'Neill``. English contractions
       are then split like the Penn Treebank: ``don't -> do n't``, ``can't -> ca n't``,
       ``it's -> it 's``, ``I'm``, ``he'd``, ``we're``, ``they've``, ``you'll``, and
       the possessive ``John's -> John 's``; the curly apostrophe ’ works the same.
    6. ``...`` and ``--`` are one token each; every other character that is not
       whitespace is a token of its own (``!``, ``"``, ``$``, ``'``).

    Tokens are substrings of the text, in order, so ``"".join(tokens)`` is the text with
    its whitespace removed. Unlike NLTK's Treebank tokenizer, quotes are not rewritten
    to `````` / ``''``, and ``cannot``/``gonna`` are not split.

    Args:
        text: the text to split (one document; sentence splitting is not needed).
        lowercase: lowercase every token (``str.lower``) after splitting.

    Returns:
        The list of tokens.

    Raises:
        TypeError: if ``text`` is not a string.

    Example:
        >>> word_tokenize("Don't pay $1,000.50 at www.example.com!")
        ['Do', "n't", 'pay', '$', '1,000.50', 'at', 'www.example.com', '!']
        >>> word_tokenize("Mail bob@mail.org: café 🙂 中文")
        ['Mail', 'bob@mail.org', ':', 'café', '🙂', '中', '文']
    """
    _check_str(text, "text", "word_tokenize")
    tokens = []
    for token in _word_pattern().findall(text):
        if "'" in token or "’" in token:
            tokens.extend(_split_contraction(token))
        else:
            tokens.append(token)
    if lowercase:
        tokens = [token.lower() for token in tokens]
    return tokens


def char_tokenize(text: str) -> List[str]:
    """Split text into its characters (Unicode code points), whitespace included.

    ``"".join(char_tokenize(text)) == text``. A letter written with a combining accent
    (``e`` + U+0301) is two code points and therefore two tokens.

    Raises:
        TypeError: if ``text`` is not a string.

    Example:
        >>> char_tokenize("hé!")
        ['h', 'é', '!']
    """
    _check_str(text, "text", "char_tokenize")
    return list(text)


# ---------------------------------------------------------------------- n-grams

def _check_ngram_range(ngram_range, function: str) -> Tuple[int, int]:
    """Validate ``(min_n, max_n)`` with ``1 <= min_n <= max_n``."""
    if (not isinstance(ngram_range, (tuple, list)) or len(ngram_range) != 2
            or not all(isinstance(n, int) and not isinstance(n, bool) for n in ngram_range)):
        raise TypeError(f"{function}() argument 'ngram_range' must be a pair of ints "
                        f"(min_n, max_n), got {ngram_range!r}")
    min_n, max_n = ngram_range
    if not 1 <= min_n <= max_n:
        raise ValueError(f"{function}() argument 'ngram_range' must satisfy "
                         f"1 <= min_n <= max_n, got {tuple(ngram_range)!r}")
    return min_n, max_n


def ngrams(sequence: Iterable, n: int) -> List[tuple]:
    """All windows of ``n`` consecutive items, as tuples, in order.

    A sequence of length L gives ``max(L - n + 1, 0)`` n-grams: the i-th is
    ``(s[i], s[i+1], ..., s[i+n-1])``.

    Args:
        sequence: any iterable (a list of tokens, a string of characters, ...).
        n: the window length, at least 1.

    Returns:
        The list of n-tuples; empty when the sequence is shorter than ``n``.

    Raises:
        TypeError: if ``n`` is not an int or ``sequence`` is not iterable.
        ValueError: if ``n < 1``.

    Example:
        >>> ngrams(["the", "cat", "sat"], 2)
        [('the', 'cat'), ('cat', 'sat')]
    """
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"ngrams() argument 'n' must be int, got {type(n).__name__}")
    if n < 1:
        raise ValueError(f"ngrams() argument 'n' must be at least 1, got {n}")
    try:
        items = tuple(sequence)
    except TypeError:
        raise TypeError(f"ngrams() argument 'sequence' must be iterable, "
                        f"got {type(sequence).__name__}") from None
    return [items[i:i + n] for i in range(len(items) - n + 1)]


def word_ngrams(tokens: Sequence[str], ngram_range: Tuple[int, int] = (1, 1),
                separator: str = " ") -> List[str]:
    """Word n-grams for every n in ``ngram_range``, joined into strings.

    The order is scikit-learn's (``CountVectorizer(analyzer="word")``): all the n-grams
    for ``n = min_n``, left to right, then those for ``min_n + 1``, up to ``max_n``.

    Args:
        tokens: a sequence of string tokens (for example ``word_tokenize(text)``).
        ngram_range: ``(min_n, max_n)``, both inclusive.
        separator: the string placed between the words of an n-gram.

    Returns:
        The n-grams as strings.

    Raises:
        TypeError: if ``tokens`` is a string or holds a non-string, or ``ngram_range``
            or ``separator`` has the wrong type.
        ValueError: if ``ngram_range`` is not ``1 <= min_n <= max_n``.

    Example:
        >>> word_ngrams(["the", "cat", "sat"], ngram_range=(1, 2))
        ['the', 'cat', 'sat', 'the cat', 'cat sat']
    """
    if isinstance(tokens, str):
        raise TypeError("word_ngrams() argument 'tokens' must be a sequence of strings, "
                        "got str (split it first, e.g. with word_tokenize)")
    try:
        tokens = list(tokens)
    except TypeError:
        raise TypeError(f"word_ngrams() argument 'tokens' must be a sequence of strings, "
                        f"got {type(tokens).__name__}") from None
    for token in tokens:
        if not isinstance(token, str):
            raise TypeError(f"word_ngrams() argument 'tokens' must hold only strings, "
                            f"got an item of type {type(token).__name__}")
    _check_str(separator, "separator", "word_ngrams")
    min_n, max_n = _check_ngram_range(ngram_range, "word_ngrams")
    return [separator.join(tokens[i:i + n])
            for n in range(min_n, max_n + 1)
            for i in range(len(tokens) - n + 1)]


_WHITESPACE_RUN = re.compile(r"\s\s+")


def char_ngrams(text: str, ngram_range: Tuple[int, int] = (1, 1)) -> List[str]:
    """Character n-grams for every n in ``ngram_range``, as scikit-learn makes them.

    As ``CountVectorizer(analyzer="char", lowercase=False)``: runs of two or more
    whitespace characters are first collapsed to one space, then all the n-grams for
    ``n = min_n`` are listed left to right, then those for ``min_n + 1``, up to ``max_n``.

    Args:
        text: the text.
        ngram_range: ``(min_n, max_n)``, both inclusive.

    Returns:
        The n-grams as strings.

    Raises:
        TypeError: if ``text`` is not a string or ``ngram_range`` is not a pair of ints.
        ValueError: if ``ngram_range`` is not ``1 <= min_n <= max_n``.

    Example:
        >>> char_ngrams("cats", ngram_range=(2, 3))
        ['ca', 'at', 'ts', 'cat', 'ats']
    """
    _check_str(text, "text", "char_ngrams")
    min_n, max_n = _check_ngram_range(ngram_range, "char_ngrams")
    text = _WHITESPACE_RUN.sub(" ", text)
    return [text[i:i + n]
            for n in range(min_n, max_n + 1)
            for i in range(len(text) - n + 1)]

"""Lemmatisation: map an inflected word to its dictionary form (its *lemma*).

Where a stemmer cuts suffixes by rule and may return non-words, a lemmatiser looks words
up in a lexicon and returns a real word, knowing the irregular forms::

    ===========  ============  ===============
    word         Porter stem   lemma
    ===========  ============  ===============
    information  inform        information
    computers    comput        computer
    feet         feet          foot
    running      run           run    (as a verb; the noun "running" stays "running")
    better       better        good   (as an adjective)
    ===========  ============  ===============

The lemma depends on the part of speech (``"meeting"`` is a noun or a form of
``"meet"``), so ``lemmatize`` takes an optional ``pos``. The lexicons are large data
files; glassnet does not reinvent them but uses two maintained libraries that ship
their data inside the wheel (nothing is downloaded at run time):

* `lemminflect <https://pypi.org/project/lemminflect/>`_ (``pip install lemminflect``)
  when a part of speech is given: a lexicon derived from the SPECIALIST lexicon plus
  learned rules for unknown words;
* `simplemma <https://pypi.org/project/simplemma/>`_ (``pip install simplemma``) when no
  part of speech is given: a dictionary of word forms that picks the most likely lemma.

If only one of the two is installed it serves every call (simplemma then ignores
``pos``; lemminflect, given no ``pos``, looks the word up as noun, verb, adjective and
adverb in that order and takes the first lemma that differs from the word). If neither is installed, an
``ImportError`` says what to install.

Letter case follows the library: lemminflect keeps it (``Computers -> Computer``),
simplemma lowercases a capitalised word it knows (``Computers -> computer``). A token
without any letter (``"42"``, ``"!"``, ``"🙂"``, ``""``) is its own lemma.
"""

from __future__ import annotations

import importlib
from typing import Optional

__all__ = ["Lemmatizer", "lemmatize"]

# Universal POS tags (as lemminflect and spaCy use) and WordNet's one-letter tags.
_POS_ALIASES = {
    "NOUN": "NOUN", "N": "NOUN",
    "VERB": "VERB", "V": "VERB",
    "ADJ": "ADJ", "A": "ADJ", "S": "ADJ",  # WordNet's "s" is an adjective satellite
    "ADV": "ADV", "R": "ADV",
    "PROPN": "PROPN", "AUX": "AUX",
}
_NO_POS_ORDER = ("NOUN", "VERB", "ADJ", "ADV")


def _optional_import(name: str):
    """Import a module, or return None if it is not installed."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


class Lemmatizer:
    """English lemmatiser backed by lemminflect (with a POS) and simplemma (without).

    The libraries are imported when the lemmatiser is created; see the module docstring
    for which one answers which call.

    Raises:
        ImportError: if neither ``lemminflect`` nor ``simplemma`` is installed.

    Example:
        >>> lemmatizer = Lemmatizer()
        >>> [lemmatizer.lemmatize(w) for w in ["information", "computers", "feet"]]
        ['information', 'computer', 'foot']
        >>> lemmatizer.lemmatize("running", pos="v"), lemmatizer.lemmatize("better", pos="ADJ")
        ('run', 'good')
    """

    def __init__(self):
        self._lemminflect = _optional_import("lemminflect")
        self._simplemma = _optional_import("simplemma")
        if self._lemminflect is None and self._simplemma is None:
            raise ImportError("glassnet's Lemmatizer needs the lexicon of 'lemminflect' "
                              "or 'simplemma': pip install lemminflect simplemma")

    def __repr__(self) -> str:
        backends = [name for name, module in (("lemminflect", self._lemminflect),
                                              ("simplemma", self._simplemma)) if module]
        return f"Lemmatizer(backends={backends})"

    @staticmethod
    def normalize_pos(pos: Optional[str]) -> Optional[str]:
        """``"n"``, ``"noun"``, ``"NOUN"`` -> ``"NOUN"``; also v/VERB, a/s/ADJ, r/ADV.

        Raises:
            TypeError: if ``pos`` is neither None nor a string.
            ValueError: if ``pos`` names no known part of speech.
        """
        if pos is None:
            return None
        if not isinstance(pos, str):
            raise TypeError(f"lemmatize() argument 'pos' must be str or None, "
                            f"got {type(pos).__name__}")
        try:
            return _POS_ALIASES[pos.upper()]
        except KeyError:
            raise ValueError(f"lemmatize() argument 'pos' must be one of NOUN, VERB, ADJ, "
                             f"ADV, PROPN, AUX or WordNet's n, v, a, s, r; got {pos!r}") \
                from None

    def lemmatize(self, word: str, pos: Optional[str] = None) -> str:
        """Return the lemma of one word.

        Args:
            word: a single word (token).
            pos: its part of speech, ``"NOUN"``/``"VERB"``/``"ADJ"``/``"ADV"`` (also
                ``"PROPN"``, ``"AUX"``) or WordNet's ``"n"``/``"v"``/``"a"``/``"r"``,
                in any case; None when unknown.

        Returns:
            The lemma; the word itself when no library knows better.

        Raises:
            TypeError: if ``word`` is not a string.
            ValueError: if ``pos`` is not a known part of speech.
        """
        if not isinstance(word, str):
            raise TypeError(f"lemmatize() argument 'word' must be str, "
                            f"got {type(word).__name__}")
        upos = self.normalize_pos(pos)
        if not any(character.isalpha() for character in word):
            return word
        try:
            word.encode("utf-8")
        except UnicodeEncodeError:
            return word  # Unpaired surrogates: no lexicon can hold this word.
        if upos is not None and self._lemminflect is not None:
            return self._lemminflect_lemma(word, upos)
        if self._simplemma is not None:
            return self._simplemma.lemmatize(word, lang="en")
        for candidate_pos in _NO_POS_ORDER:
            lemma = self._lemminflect_lemma(word, candidate_pos, guess_unknown=False)
            if lemma != word:
                return lemma
        return word

    def _lemminflect_lemma(self, word: str, upos: str, guess_unknown: bool = True) -> str:
        """lemminflect's first lemma for ``word`` as ``upos``.

        Words missing from its lexicon get a lemma from its learned rules when
        ``guess_unknown`` is true (``blorfing`` as a verb -> ``blorf``), else stay as
        they are; guessing is only safe when the part of speech is known.
        """
        lemmas = self._lemminflect.getLemma(word, upos=upos, lemmatize_oov=guess_unknown)
        return lemmas[0] if lemmas and lemmas[0] else word

    __call__ = lemmatize


_default_lemmatizer: Optional[Lemmatizer] = None


def lemmatize(word: str, pos: Optional[str] = None) -> str:
    """Lemmatise one word with a shared ``Lemmatizer`` (created on first use).

    Example:
        >>> lemmatize("feet"), lemmatize("running", pos="v")
        ('foot', 'run')
    """
    global _default_lemmatizer
    if _default_lemmatizer is None:
        _default_lemmatizer = Lemmatizer()
    return _default_lemmatizer.lemmatize(word, pos=pos)

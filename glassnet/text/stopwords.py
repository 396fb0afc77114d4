"""Stop words: the very frequent function words that carry little topic information.

Concept
-------
In a bag-of-words or TF-IDF model every distinct word becomes a column. Words such as
"the", "is", "and" or "of" appear in almost every sentence, so they add columns without
telling documents apart; removing them before counting ("stop-word removal") makes the
table smaller and the remaining columns more informative::

    "He is a good boy"  --lowercase-->  he is a good boy  --remove stop words-->  good boy

Where the list comes from
-------------------------
``ENGLISH_STOP_WORDS`` is written for glassnet and is equivalent in spirit to NLTK's
English list (the closed classes of English grammar): personal, possessive, reflexive,
demonstrative and interrogative pronouns; articles and determiners; the forms of the
auxiliaries *be*, *have* and *do*; common prepositions, conjunctions and adverbs of
degree or place ("very", "here", "again"); the modal verbs; and the pieces that the
usual tokenisers leave behind when they split contractions ("don", "t", "ll", "ve",
"didn", ...). Everything is lower case: :meth:`StopWords.filter` compares
case-insensitively. It deliberately keeps content words, so "good", "boy" and "girl"
survive, as the course's bag-of-words example requires.

Because a stop list is a modelling choice, :class:`StopWords` lets you start from this
list, from your own (``words=``), and ``add`` or ``remove`` words.
"""

from collections.abc import Iterable, Iterator

__all__ = ["ENGLISH_STOP_WORDS", "StopWords"]

_PRONOUNS = """
i me my myself we us our ours ourselves you your yours yourself yourselves
he him his himself she her hers herself it its itself they them their theirs
themselves what which who whom whose this that these those
"""
_AUXILIARIES_AND_MODALS = """
am is are was were be been being have has had having do does did doing
can could will would shall should may might must
"""
_ARTICLES_DETERMINERS_QUANTIFIERS = """
a an the some any no nor not only own same such all both each few more most other
several many much
"""
_PREPOSITIONS_AND_CONJUNCTIONS = """
and but if or because as until while of at by for with about against between into
through during before after above below to from up down in out on off over under
across among around within without upon toward since though although unless whether
than so too very just then once
"""
_ADVERBS = """
here there when where why how again further now also ever yet else however
"""
# What tokenisers leave when they split contractions such as "don't" -> "don" "t".
_CONTRACTION_PIECES = """
s t d ll m o re ve y ain aren couldn didn doesn hadn hasn haven isn ma mightn
mustn needn shan shouldn wasn weren won wouldn don
"""

ENGLISH_STOP_WORDS = frozenset(
    " ".join(
        [
            _PRONOUNS,
            _AUXILIARIES_AND_MODALS,
            _ARTICLES_DETERMINERS_QUANTIFIERS,
            _PREPOSITIONS_AND_CONJUNCTIONS,
            _ADVERBS,
            _CONTRACTION_PIECES,
        ]
    ).split()
)
"""frozenset of str: glassnet's English stop-word list (lower case, about 180 words)."""

_BUILT_IN = {"english": ENGLISH_STOP_WORDS}


class StopWords:
    """A mutable, case-insensitive set of stop words with a ``filter`` for token lists.

    Args:
        words: Your own stop words (any iterable of strings). When given, ``language``
            is ignored. Words are stored in lower case.
        language: Name of a built-in list, used when ``words`` is None. Only
            ``"english"`` (:data:`ENGLISH_STOP_WORDS`) is built in.

    Raises:
        ValueError: ``language`` is not a built-in list.
        TypeError: ``words`` is a single string or holds something other than strings.

    Example:
        >>> stop = StopWords()
        >>> stop.filter("He is a good boy".split())
        ['good', 'boy']
        >>> stop.add("boy"); stop.filter(["good", "Boy"])
        ['good']
    """

    def __init__(self, words: Iterable[str] | None = None, language: str = "english"):
        if words is None:
            if language not in _BUILT_IN:
                raise ValueError(
                    f"language must be one of {sorted(_BUILT_IN)}, got {language!r}; "
                    "pass your own list with words=[...]"
                )
            words = _BUILT_IN[language]
        self._words = set(_lowercased(words, argument="words"))

    def add(self, *words: str) -> None:
        """Add one or more words (stored in lower case)."""
        self._words.update(_lowercased(words, argument="add"))

    def remove(self, *words: str) -> None:
        """Remove words; removing a word that is not in the list is not an error."""
        self._words.difference_update(_lowercased(words, argument="remove"))

    def filter(self, tokens: Iterable[str]) -> list[str]:
        """Return the tokens that are not stop words, in order and with their own case.

        The comparison ignores case: ``"The"`` is removed when ``"the"`` is a stop word.
        """
        if isinstance(tokens, str):
            raise TypeError("filter expects a list of tokens, got a single string; split it first")
        if isinstance(tokens, bytes) or not isinstance(tokens, Iterable):
            raise TypeError(f"filter: tokens must be a list of str, got {type(tokens).__name__}")
        tokens = list(tokens)
        for position, token in enumerate(tokens):
            if not isinstance(token, str):
                raise TypeError(f"filter: tokens[{position}] is {type(token).__name__}, expected str")
        return [token for token in tokens if token.lower() not in self._words]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word.lower() in self._words

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._words))

    def __len__(self) -> int:
        return len(self._words)

    def __repr__(self) -> str:
        return f"StopWords({len(self)} words)"


def _lowercased(words: Iterable[str], argument: str) -> list[str]:
    """Check that ``words`` is an iterable of strings and return them in lower case."""
    if isinstance(words, str):
        raise TypeError(f"{argument} expects an iterable of words, got the single string {words!r}")
    lowered = []
    for position, word in enumerate(words):
        if not isinstance(word, str):
            raise TypeError(
                f"{argument}: item {position} is {type(word).__name__}, expected str"
            )
        lowered.append(word.lower())
    return lowered

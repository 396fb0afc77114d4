"""The Porter stemmer: strip English suffixes by rule, step by step.

Stemming maps related words onto one shared *stem* by cutting suffixes off, with no
dictionary: ``connected``, ``connecting``, ``connection`` and ``connections`` all become
``connect``.  Martin Porter's algorithm (1980, "An algorithm for suffix stripping",
*Program* 14(3)) does this with five steps of rewrite rules ``(condition) S1 -> S2``:
when a word ends with the suffix ``S1`` and the part before it (the *stem*) meets the
condition, ``S1`` is replaced by ``S2``.

The conditions are written with the *measure* of a stem.  Write each letter as ``c``
(consonant) or ``v`` (vowel) — ``a e i o u`` are vowels, and ``y`` is a vowel when it
follows a consonant (``toy`` is c-v-c, ``syzygy`` is c-v-c-v-c-v) — and collapse runs into
``C`` and ``V``.  Every word then has the form::

    [C](VC)^m[V]        m = measure = the number of VC pairs

    m=0: tr, ee, tree, y, by        m=1: trouble, oats, trees, ivy
    m=2: troubles, private, oaten, orrery

The other conditions are ``*S`` (the stem ends with the letter S), ``*v*`` (the stem
contains a vowel), ``*d`` (the stem ends with a double consonant, ``-tt``, ``-ss``) and
``*o`` (the stem ends consonant-vowel-consonant where the last consonant is not w, x or y:
``-wil``, ``-hop``).  In each step the rule with the *longest* matching suffix is the only
one considered: if its condition fails, the step leaves the word alone.

Stems are not always words, and different words need not meet:

    ===========  =======
    word         stem
    ===========  =======
    information  inform
    informative  inform
    computers    comput
    feet         feet      (no suffix rule knows irregular plurals: see lemmatize.py)
    ===========  =======

Three variants are offered, with the names and exact behaviour of NLTK's
``nltk.stem.PorterStemmer`` (checked word for word by ``tests/text/test_porter.py``):

* ``ORIGINAL_ALGORITHM`` — the rules exactly as printed in the 1980 paper.
* ``MARTIN_EXTENSIONS`` — the changes Porter later made in his reference implementation:
  step 2 uses ``bli -> ble`` instead of ``abli -> able`` and adds ``logi -> log``, and
  words of one or two letters are returned unchanged.
* ``NLTK_EXTENSIONS`` (the default) — Martin's version plus NLTK's own departures:
  a small pool of irregular forms (``dying -> die``, ``skies -> sky``, ``news -> news``,
  ``exceed -> exceed`` ...); ``-ies``/``-ied`` become ``-ie`` in four-letter words
  (``dies -> die``) and ``-i`` otherwise; step 1c turns ``y`` into ``i`` only after a
  consonant that is not the first letter (``cry -> cri`` but ``say -> say``,
  ``by -> by``); step 2 applies ``alli -> al`` before the other rules and then runs
  step 2 again, adds ``fulli -> ful`` and tests ``logi -> log`` on the stem including
  the ``l``; and ``*o`` also holds for a two-letter vowel-consonant stem (``at``).
"""

from __future__ import annotations

from typing import Callable, Optional, Sequence, Tuple

__all__ = ["PorterStemmer"]

# A rule: (suffix S1, replacement S2, condition on the stem or None for "always").
Rule = Tuple[str, str, Optional[Callable[[str], bool]]]

_VOWELS = frozenset("aeiou")


class PorterStemmer:
    """Porter's suffix-stripping stemmer, in NLTK's three variants.

    Args:
        mode: ``"NLTK_EXTENSIONS"`` (default), ``"MARTIN_EXTENSIONS"`` or
            ``"ORIGINAL_ALGORITHM"``; also available as class constants
            (``PorterStemmer.ORIGINAL_ALGORITHM``). See the module docstring.

    Example:
        >>> stemmer = PorterStemmer()
        >>> [stemmer.stem(w) for w in ["information", "informative", "computers", "feet"]]
        ['inform', 'inform', 'comput', 'feet']
    """

    ORIGINAL_ALGORITHM = "ORIGINAL_ALGORITHM"
    MARTIN_EXTENSIONS = "MARTIN_EXTENSIONS"
    NLTK_EXTENSIONS = "NLTK_EXTENSIONS"
    MODES = (ORIGINAL_ALGORITHM, MARTIN_EXTENSIONS, NLTK_EXTENSIONS)

    # NLTK_EXTENSIONS only: irregular forms looked up before any rule runs.
    IRREGULAR_FORMS = {
        "sky": ("sky", "skies"),
        "die": ("dying",),
        "lie": ("lying",),
        "tie": ("tying",),
        "news": ("news",),
        "inning": ("innings", "inning"),
        "outing": ("outings", "outing"),
        "canning": ("cannings", "canning"),
        "howe": ("howe",),
        "proceed": ("proceed",),
        "exceed": ("exceed",),
        "succeed": ("succeed",),
    }

    def __init__(self, mode: str = NLTK_EXTENSIONS):
        if not isinstance(mode, str):
            raise TypeError(f"mode must be a string, got {type(mode).__name__}")
        if mode not in self.MODES:
            raise ValueError(f"mode must be one of {self.MODES}, got {mode!r}")
        self.mode = mode
        self.pool = {}
        if mode == self.NLTK_EXTENSIONS:
            for stem, forms in self.IRREGULAR_FORMS.items():
                for form in forms:
                    self.pool[form] = stem

    def __repr__(self) -> str:
        return f"PorterStemmer(mode={self.mode!r})"

    # ------------------------------------------------------------------ public API

    def stem(self, word: str, to_lowercase: bool = True) -> str:
        """Return the stem of one word.

        Args:
            word: the word to stem (a single token; it is not split).
            to_lowercase: lowercase the word first (the rules only know lowercase
                letters, so capitalised words are otherwise mostly left alone).

        Returns:
            The stem, which need not be an English word (``computers -> comput``).

        Raises:
            TypeError: if ``word`` is not a string.
        """
        if not isinstance(word, str):
            raise TypeError(f"word must be a string, got {type(word).__name__}")
        stem = word.lower() if to_lowercase else word
        if self.mode == self.NLTK_EXTENSIONS and stem in self.pool:
            return self.pool[stem]  # Irregular form: "dying" -> "die".
        if self.mode != self.ORIGINAL_ALGORITHM and len(word) <= 2:
            return stem  # Too short to carry a suffix.
        for step in (self._step1a, self._step1b, self._step1c, self._step2,
                     self._step3, self._step4, self._step5a, self._step5b):
            stem = step(stem)
        return stem

    # ------------------------------------------------------------------ helpers

    def _is_consonant(self, word: str, i: int) -> bool:
        """Whether ``word[i]`` is a consonant: not a e i o u, and ``y`` only after a vowel.

        ``y`` at the start of a word is a consonant (``yes``); elsewhere it is a vowel
        exactly when the letter before it is a consonant (``fly``, but ``toy``).
        """
        letter = word[i]
        if letter in _VOWELS:
            return False
        if letter == "y":
            return i == 0 or not self._is_consonant(word, i - 1)
        return True

    def _cv_pattern(self, word: str) -> str:
        """The word as a string of ``c``/``v`` letters: ``tree -> ccvv``."""
        return "".join("c" if self._is_consonant(word, i) else "v" for i in range(len(word)))

    def _measure(self, stem: str) -> int:
        """m in ``[C](VC)^m[V]``: the number of vowel-run-then-consonant-run pairs.

        ``tree -> 0``, ``trouble -> 1``, ``troubles -> 2``. Counting the places where a
        vowel is directly followed by a consonant gives exactly m.
        """
        return self._cv_pattern(stem).count("vc")

    def _has_positive_measure(self, stem: str) -> bool:
        """Condition ``(m > 0)``."""
        return self._measure(stem) > 0

    def _contains_vowel(self, stem: str) -> bool:
        """Condition ``*v*``: the stem contains a vowel."""
        return any(not self._is_consonant(stem, i) for i in range(len(stem)))

    def _ends_double_consonant(self, word: str) -> bool:
        """Condition ``*d``: the word ends with two equal consonants (``-tt``, ``-ss``)."""
        return (len(word) >= 2 and word[-1] == word[-2]
                and self._is_consonant(word, len(word) - 1))

    def _ends_cvc(self, word: str) -> bool:
        """Condition ``*o``: the word ends consonant-vowel-consonant, last not w, x, y.

        Under NLTK_EXTENSIONS a two-letter word vowel-consonant (``at``, ``on``) counts
        too, so that ``ated`` -> ``at`` -> ``ate`` as in Porter's own implementation.
        """
        n = len(word)
        if (n >= 3 and self._is_consonant(word, n - 3) and not self._is_consonant(word, n - 2)
                and self._is_consonant(word, n - 1) and word[-1] not in "wxy"):
            return True
        return (self.mode == self.NLTK_EXTENSIONS and n == 2
                and not self._is_consonant(word, 0) and self._is_consonant(word, 1))

    def _apply_rules(self, word: str, rules: Sequence[Rule]) -> str:
        """Apply the first rule whose suffix ends ``word``; leave the word if its condition fails.

        The suffix ``"*d"`` stands for "any double consonant": the stem is then the word
        without both letters. Rules are listed so that the first match is the longest.
        """
        for suffix, replacement, condition in rules:
            if suffix == "*d":
                if not self._ends_double_consonant(word):
                    continue
                stem = word[:-2]
            elif word.endswith(suffix):
                stem = word[:len(word) - len(suffix)]
            else:
                continue
            if condition is None or condition(stem):
                return stem + replacement
            return word
        return word

    # ------------------------------------------------------------------ the steps

    def _step1a(self, word: str) -> str:
        """Step 1a, plurals::

            SSES -> SS      caresses -> caress
            IES  -> I       ponies   -> poni,   ties -> ti
            SS   -> SS      caress   -> caress
            S    ->         cats     -> cat

        NLTK_EXTENSIONS: a four-letter ``-ies`` word becomes ``-ie`` (``ties -> tie``).
        """
        if self.mode == self.NLTK_EXTENSIONS and len(word) == 4 and word.endswith("ies"):
            return word[:-3] + "ie"
        return self._apply_rules(word, [
            ("sses", "ss", None),
            ("ies", "i", None),
            ("ss", "ss", None),
            ("s", "", None),
        ])

    def _step1b(self, word: str) -> str:
        """Step 1b, past tense and gerund::

            (m>0) EED ->       feed -> feed,  agreed -> agree
            (*v*) ED  ->       plastered -> plaster,  bled -> bled
            (*v*) ING ->       motoring -> motor,  sing -> sing

        and when the second or third rule fired, tidy the stem up::

            AT -> ATE                       conflat(ed)  -> conflate
            BL -> BLE                       troubl(ed)   -> trouble
            IZ -> IZE                       siz(ed)      -> size
            (*d and not (*L or *S or *Z))
               -> single letter             hopp(ing) -> hop,  fall(ing) -> fall
            (m=1 and *o) -> E               fil(ing) -> file,  fail(ing) -> fail

        NLTK_EXTENSIONS: ``-ied`` becomes ``-ie`` in four-letter words (``tied -> tie``)
        and ``-i`` otherwise (``cried -> cri``), like ``-ies`` in step 1a.
        """
        if self.mode == self.NLTK_EXTENSIONS and word.endswith("ied"):
            return word[:-3] + ("ie" if len(word) == 4 else "i")

        if word.endswith("eed"):
            stem = word[:-3]
            return stem + "ee" if self._measure(stem) > 0 else word

        for suffix in ("ed", "ing"):
            if word.endswith(suffix) and self._contains_vowel(word[:-len(suffix)]):
                stem = word[:-len(suffix)]
                break
        else:
            return word

        last = stem[-1]
        return self._apply_rules(stem, [
            ("at", "ate", None),
            ("bl", "ble", None),
            ("iz", "ize", None),
            ("*d", last, lambda s: last not in "lsz"),
            ("", "e", lambda s: self._measure(s) == 1 and self._ends_cvc(s)),
        ])

    def _step1c(self, word: str) -> str:
        """Step 1c::

            (*v*) Y -> I        happy -> happi,  sky -> sky

        NLTK_EXTENSIONS replaces ``*v*`` with "the letter before ``y`` is a consonant and
        not the first letter", so ``enjoy -> enjoy`` and ``cry -> cri``, ``by -> by``.
        """
        if self.mode == self.NLTK_EXTENSIONS:
            def condition(stem):
                return len(stem) > 1 and self._is_consonant(stem, len(stem) - 1)
        else:
            condition = self._contains_vowel
        return self._apply_rules(word, [("y", "i", condition)])

    def _step2(self, word: str) -> str:
        """Step 2, double suffixes to single ones, all under ``(m>0)``::

            ATIONAL -> ATE    relational -> relate     IZATION -> IZE   vietnamization -> vietnamize
            TIONAL  -> TION   conditional -> condition ATION   -> ATE   predication -> predicate
            ENCI    -> ENCE   valenci -> valence       ATOR    -> ATE   operator -> operate
            ANCI    -> ANCE   hesitanci -> hesitance   ALISM   -> AL    feudalism -> feudal
            IZER    -> IZE    digitizer -> digitize    IVENESS -> IVE   decisiveness -> decisive
            ABLI    -> ABLE   conformabli -> conformable  FULNESS -> FUL  hopefulness -> hopeful
            ALLI    -> AL     radicalli -> radical     OUSNESS -> OUS   callousness -> callous
            ENTLI   -> ENT    differentli -> different ALITI   -> AL    formaliti -> formal
            ELI     -> E      vileli -> vile           IVITI   -> IVE   sensitiviti -> sensitive
            OUSLI   -> OUS    analogousli -> analogous BILITI  -> BLE   sensibiliti -> sensible

        MARTIN_EXTENSIONS and NLTK_EXTENSIONS use ``BLI -> BLE`` in place of
        ``ABLI -> ABLE`` and add ``LOGI -> LOG``.  NLTK_EXTENSIONS also applies
        ``ALLI -> AL`` first and re-runs the step on the result, adds
        ``FULLI -> FUL``, and tests ``LOGI -> LOG`` on the stem plus its ``l``.
        """
        positive = self._has_positive_measure
        if self.mode == self.NLTK_EXTENSIONS and word.endswith("alli") \
                and positive(word[:-4]):
            return self._step2(word[:-4] + "al")

        if self.mode == self.ORIGINAL_ALGORITHM:
            bli_rule = ("abli", "able", positive)
        else:
            bli_rule = ("bli", "ble", positive)
        rules = [
            ("ational", "ate", positive),
            ("tional", "tion", positive),
            ("enci", "ence", positive),
            ("anci", "ance", positive),
            ("izer", "ize", positive),
            bli_rule,
            ("alli", "al", positive),
            ("entli", "ent", positive),
            ("eli", "e", positive),
            ("ousli", "ous", positive),
            ("ization", "ize", positive),
            ("ation", "ate", positive),
            ("ator", "ate", positive),
            ("alism", "al", positive),
            ("iveness", "ive", positive),
            ("fulness", "ful", positive),
            ("ousness", "ous", positive),
            ("aliti", "al", positive),
            ("iviti", "ive", positive),
            ("biliti", "ble", positive),
        ]
        if self.mode == self.NLTK_EXTENSIONS:
            rules.append(("fulli", "ful", positive))
            rules.append(("logi", "log", lambda stem: positive(word[:-3])))
        elif self.mode == self.MARTIN_EXTENSIONS:
            rules.append(("logi", "log", positive))
        return self._apply_rules(word, rules)

    def _step3(self, word: str) -> str:
        """Step 3, more suffixes, all under ``(m>0)``::

            ICATE -> IC     triplicate -> triplic    ICAL -> IC   electrical -> electric
            ATIVE ->        formative -> form        FUL  ->      hopeful -> hope
            ALIZE -> AL     formalize -> formal      NESS ->      goodness -> good
            ICITI -> IC     electriciti -> electric
        """
        positive = self._has_positive_measure
        return self._apply_rules(word, [
            ("icate", "ic", positive),
            ("ative", "", positive),
            ("alize", "al", positive),
            ("iciti", "ic", positive),
            ("ical", "ic", positive),
            ("ful", "", positive),
            ("ness", "", positive),
        ])

    def _step4(self, word: str) -> str:
        """Step 4, strip a last suffix from long stems, all under ``(m>1)``::

            AL    revival -> reviv       ENT  dependent -> depend
            ANCE  allowance -> allow     ION  adoption -> adopt   (also needs *S or *T)
            ENCE  inference -> infer     OU   homologou -> homolog
            ER    airliner -> airlin     ISM  communism -> commun
            IC    gyroscopic -> gyroscop ATE  activate -> activ
            ABLE  adjustable -> adjust   ITI  angulariti -> angular
            IBLE  defensible -> defens   OUS  homologous -> homolog
            ANT   irritant -> irrit      IVE  effective -> effect
            EMENT replacement -> replac  IZE  bowdlerize -> bowdler
            MENT  adjustment -> adjust
        """
        def long_stem(stem):
            return self._measure(stem) > 1

        def long_stem_ending_s_or_t(stem):
            return self._measure(stem) > 1 and stem[-1] in "st"

        return self._apply_rules(word, [
            ("al", "", long_stem),
            ("ance", "", long_stem),
            ("ence", "", long_stem),
            ("er", "", long_stem),
            ("ic", "", long_stem),
            ("able", "", long_stem),
            ("ible", "", long_stem),
            ("ant", "", long_stem),
            ("ement", "", long_stem),
            ("ment", "", long_stem),
            ("ent", "", long_stem),
            ("ion", "", long_stem_ending_s_or_t),
            ("ou", "", long_stem),
            ("ism", "", long_stem),
            ("ate", "", long_stem),
            ("iti", "", long_stem),
            ("ous", "", long_stem),
            ("ive", "", long_stem),
            ("ize", "", long_stem),
        ])

    def _step5a(self, word: str) -> str:
        """Step 5a, drop a final ``e``::

            (m>1) E ->                  probate -> probat,  rate -> rate
            (m=1 and not *o) E ->       cease -> ceas
        """
        if word.endswith("e"):
            stem = word[:-1]
            m = self._measure(stem)
            if m > 1 or (m == 1 and not self._ends_cvc(stem)):
                return stem
        return word

    def _step5b(self, word: str) -> str:
        """Step 5b, undouble a final ``l``::

            (m>1 and *d and *L) -> single letter     controll -> control,  roll -> roll

        The measure is taken of the word minus one ``l`` (as in NLTK).
        """
        return self._apply_rules(word, [
            ("ll", "l", lambda stem: self._measure(word[:-1]) > 1),
        ])

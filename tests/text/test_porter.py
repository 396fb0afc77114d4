"""Tests for glassnet.text.porter: the paper's examples, the course table, NLTK's stems.

The expected stems of the three modes come from NLTK 3.10.4, stored once in
tests/text/data/porter_*.tsv (see data/porter_README.md); NLTK is not needed here.
"""
import pathlib
import random

import pytest

from glassnet.text import PorterStemmer

DATA = pathlib.Path(__file__).parent / "data"
MODES = {
    "original": PorterStemmer.ORIGINAL_ALGORITHM,
    "martin": PorterStemmer.MARTIN_EXTENSIONS,
    "nltk": PorterStemmer.NLTK_EXTENSIONS,
}


def read_table(name):
    rows = []
    with open(DATA / f"porter_{name}.tsv", encoding="utf-8") as fh:
        for line in fh:
            word, stem = line.rstrip("\n").split("\t")
            rows.append((word, stem))
    return rows


# ---------------------------------------------------------------- the course table

@pytest.mark.parametrize("word, stem", [
    ("information", "inform"),
    ("informative", "inform"),
    ("computers", "comput"),
    ("feet", "feet"),
])
def test_course_table(word, stem):
    assert PorterStemmer().stem(word) == stem


# ---------------------------------------------------------------- NLTK reference data

@pytest.mark.parametrize("name", sorted(MODES))
def test_matches_nltk_reference_table(name):
    rows = read_table(name)
    assert len(rows) >= 500
    stemmer = PorterStemmer(mode=MODES[name])
    mismatches = [(w, s, stemmer.stem(w)) for w, s in rows if stemmer.stem(w) != s]
    assert mismatches == []


def test_reference_tables_cover_the_tricky_cases():
    words = {w for w, _ in read_table("nltk")}
    for suffix in ("ational", "iveness", "ies", "eed", "ly", "ing", "ed", "y"):
        assert sum(w.endswith(suffix) for w in words) >= 3, suffix
    assert any(w[:1].isupper() for w in words)
    assert any(len(w) <= 2 for w in words)
    # the modes genuinely differ on the stored words
    original, nltk = dict(read_table("original")), dict(read_table("nltk"))
    assert sum(original[w] != nltk[w] for w in words) >= 100


def test_optional_live_parity_with_nltk():
    nltk_porter = pytest.importorskip("nltk.stem.porter")
    rng = random.Random(7)
    words = [w for w, _ in read_table("nltk")]
    words += ["".join(rng.choice("aeiouyslbdtngrzAEY") for _ in range(rng.randint(0, 10)))
              for _ in range(3000)]
    for mode in MODES.values():
        ours, theirs = PorterStemmer(mode=mode), nltk_porter.PorterStemmer(mode=mode)
        for lower in (True, False):
            assert [ours.stem(w, lower) for w in words] == \
                   [theirs.stem(w, lower) for w in words]


# ---------------------------------------------------------------- the paper, step by step

@pytest.fixture
def original():
    return PorterStemmer(mode=PorterStemmer.ORIGINAL_ALGORITHM)


@pytest.mark.parametrize("stem, m", [
    ("tr", 0), ("ee", 0), ("tree", 0), ("y", 0), ("by", 0),
    ("trouble", 1), ("oats", 1), ("trees", 1), ("ivy", 1),
    ("troubles", 2), ("private", 2), ("oaten", 2), ("orrery", 2),
])
def test_measure_examples_from_the_paper(original, stem, m):
    assert original._measure(stem) == m


def test_condition_helpers(original):
    assert original._contains_vowel("tr") is False
    assert original._contains_vowel("sky") is True        # y after a consonant is a vowel
    assert original._contains_vowel("y") is False         # a leading y is a consonant
    assert original._ends_double_consonant("hopp")
    assert not original._ends_double_consonant("free")    # ee: double, but vowels
    assert original._ends_cvc("hop") and original._ends_cvc("wil")
    assert not original._ends_cvc("snow") and not original._ends_cvc("box")
    assert not original._ends_cvc("tray")                 # last consonant may not be w,x,y
    # *o on a two-letter stem is an NLTK extension only
    assert not original._ends_cvc("at")
    assert PorterStemmer()._ends_cvc("at")


@pytest.mark.parametrize("step, word, expected", [
    ("_step1a", "caresses", "caress"), ("_step1a", "ponies", "poni"),
    ("_step1a", "ties", "ti"), ("_step1a", "caress", "caress"), ("_step1a", "cats", "cat"),
    ("_step1b", "feed", "feed"), ("_step1b", "agreed", "agree"),
    ("_step1b", "plastered", "plaster"), ("_step1b", "bled", "bled"),
    ("_step1b", "motoring", "motor"), ("_step1b", "sing", "sing"),
    ("_step1b", "conflated", "conflate"), ("_step1b", "troubled", "trouble"),
    ("_step1b", "sized", "size"), ("_step1b", "hopping", "hop"),
    ("_step1b", "tanned", "tan"), ("_step1b", "falling", "fall"),
    ("_step1b", "hissing", "hiss"), ("_step1b", "fizzed", "fizz"),
    ("_step1b", "failing", "fail"), ("_step1b", "filing", "file"),
    ("_step1c", "happy", "happi"), ("_step1c", "sky", "sky"),
    ("_step2", "relational", "relate"), ("_step2", "conditional", "condition"),
    ("_step2", "rational", "rational"), ("_step2", "valenci", "valence"),
    ("_step2", "hesitanci", "hesitance"), ("_step2", "digitizer", "digitize"),
    ("_step2", "conformabli", "conformable"), ("_step2", "radicalli", "radical"),
    ("_step2", "differentli", "different"), ("_step2", "vileli", "vile"),
    ("_step2", "analogousli", "analogous"), ("_step2", "vietnamization", "vietnamize"),
    ("_step2", "predication", "predicate"), ("_step2", "operator", "operate"),
    ("_step2", "feudalism", "feudal"), ("_step2", "decisiveness", "decisive"),
    ("_step2", "hopefulness", "hopeful"), ("_step2", "callousness", "callous"),
    ("_step2", "formaliti", "formal"), ("_step2", "sensitiviti", "sensitive"),
    ("_step2", "sensibiliti", "sensible"),
    ("_step3", "triplicate", "triplic"), ("_step3", "formative", "form"),
    ("_step3", "formalize", "formal"), ("_step3", "electriciti", "electric"),
    ("_step3", "electrical", "electric"), ("_step3", "hopeful", "hope"),
    ("_step3", "goodness", "good"),
    ("_step4", "revival", "reviv"), ("_step4", "allowance", "allow"),
    ("_step4", "inference", "infer"), ("_step4", "airliner", "airlin"),
    ("_step4", "gyroscopic", "gyroscop"), ("_step4", "adjustable", "adjust"),
    ("_step4", "defensible", "defens"), ("_step4", "irritant", "irrit"),
    ("_step4", "replacement", "replac"), ("_step4", "adjustment", "adjust"),
    ("_step4", "dependent", "depend"), ("_step4", "adoption", "adopt"),
    ("_step4", "homologou", "homolog"), ("_step4", "communism", "commun"),
    ("_step4", "activate", "activ"), ("_step4", "angulariti", "angular"),
    ("_step4", "homologous", "homolog"), ("_step4", "effective", "effect"),
    ("_step4", "bowdlerize", "bowdler"),
    ("_step5a", "probate", "probat"), ("_step5a", "rate", "rate"),
    ("_step5a", "cease", "ceas"),
    ("_step5b", "controll", "control"), ("_step5b", "roll", "roll"),
])
def test_each_step_on_the_papers_examples(original, step, word, expected):
    assert getattr(original, step)(word) == expected


def test_whole_algorithm_on_the_papers_closing_examples(original):
    # "generalizations" goes through steps 1a, 2 (twice via ization/alize) and 4.
    assert original.stem("generalizations") == "gener"
    assert original.stem("oscillators") == "oscil"
    for word in ["connect", "connected", "connecting", "connection", "connections"]:
        assert original.stem(word) == "connect"


# ---------------------------------------------------------------- the modes differ

@pytest.mark.parametrize("word, original, martin, nltk", [
    ("dying", "dy", "dy", "die"),          # NLTK's irregular-forms pool
    ("skies", "ski", "ski", "sky"),
    ("news", "new", "new", "news"),
    ("exceed", "exce", "exce", "exceed"),
    ("ties", "ti", "ti", "tie"),           # four-letter -ies -> -ie
    ("say", "sai", "sai", "say"),          # step 1c: y after a vowel stays
    ("is", "i", "is", "is"),               # short words are left alone
    ("analogy", "analogi", "analog", "analog"),     # logi -> log
    ("hopefully", "hopefulli", "hopefulli", "hope"),  # fulli -> ful
    ("ated", "at", "at", "ate"),           # *o on a two-letter stem
])
def test_modes_differ_as_documented(word, original, martin, nltk):
    got = [PorterStemmer(mode=m).stem(word) for m in MODES.values()]
    assert got == [original, martin, nltk]


def test_lowercasing():
    stemmer = PorterStemmer()
    assert stemmer.stem("Running") == "run"
    assert stemmer.stem("DYING") == "die"
    assert stemmer.stem("Running", to_lowercase=False) == "Run"
    assert stemmer.stem("RUNNING", to_lowercase=False) == "RUNNING"  # rules know a-z only


def test_default_mode_and_constants():
    assert PorterStemmer().mode == "NLTK_EXTENSIONS" == PorterStemmer.NLTK_EXTENSIONS
    assert PorterStemmer.ORIGINAL_ALGORITHM == "ORIGINAL_ALGORITHM"
    assert PorterStemmer.MARTIN_EXTENSIONS == "MARTIN_EXTENSIONS"


def test_never_crashes_on_odd_strings():
    for mode in MODES.values():
        stemmer = PorterStemmer(mode=mode)
        for word in ["", "y", "yy", "e", "café", "naïve", "İstanbul", "ß", "🙂", "123", "a-b"]:
            assert isinstance(stemmer.stem(word), str)


def test_bad_input():
    with pytest.raises(ValueError, match="mode"):
        PorterStemmer(mode="SNOWBALL")
    with pytest.raises(TypeError, match="word must be a string, got int"):
        PorterStemmer().stem(5)

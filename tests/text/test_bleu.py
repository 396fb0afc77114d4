"""Tests for glassnet.text.bleu: hand-worked scores, the 13a tokeniser, sacreBLEU parity."""

import math
import random

import pytest

from glassnet.text.bleu import BLEUScore, corpus_bleu, sentence_bleu, tokenize_13a

HYP = "the cat is on the mat"
REF = "the cat sat on the mat"
# n-grams of HYP and whether REF has them:
#   1-grams: the x2 (ref has 2), cat, is (no), on, mat         -> 5 / 6
#   2-grams: the cat, cat is (no), is on (no), on the, the mat -> 3 / 5
#   3-grams: the cat is, cat is on, is on the (all no), on the mat -> 1 / 4
#   4-grams: the cat is on, cat is on the, is on the mat       -> 0 / 3


def test_hand_worked_pair_with_exp_smoothing():
    result = corpus_bleu([HYP], [[REF]])
    assert result.counts == [5, 3, 1, 0]
    assert result.totals == [6, 5, 4, 3]
    assert (result.sys_len, result.ref_len, result.bp) == (6, 6, 1.0)
    # exp smoothing: the first order without a match gets 1 / (2 * total) = 1/6
    assert result.precisions == pytest.approx([500 / 6, 60.0, 25.0, 100 / 6], abs=1e-12)
    # geometric mean: (5/6 * 3/5 * 1/4 * 1/6) ** (1/4) = (1/48) ** (1/4) = 0.37991...
    assert result.score == pytest.approx(100 * (1 / 48) ** 0.25, abs=1e-12)
    assert float(result) == result.score
    assert str(result) == (
        "BLEU = 37.99 83.3/60.0/25.0/16.7 (BP = 1.000 ratio = 1.000 hyp_len = 6 ref_len = 6)"
    )
    assert sentence_bleu(HYP, [REF]).score == pytest.approx(result.score, abs=1e-12)


def test_smoothing_methods_by_hand():
    assert corpus_bleu([HYP], [[REF]], smooth_method="none").score == 0.0  # p4 = 0
    floor = corpus_bleu([HYP], [[REF]], smooth_method="floor")  # p4 = 0.1 / 3
    assert floor.precisions[3] == pytest.approx(100 * 0.1 / 3, abs=1e-12)
    assert floor.score == pytest.approx(100 * (5 / 6 * 3 / 5 * 1 / 4 * 0.1 / 3) ** 0.25, abs=1e-12)
    add_k = corpus_bleu([HYP], [[REF]], smooth_method="add-k")  # (c + 1) / (t + 1), n >= 2
    assert add_k.precisions == pytest.approx([500 / 6, 400 / 6, 200 / 5, 100 / 4], abs=1e-12)
    assert add_k.counts == [5, 3, 1, 0]  # the raw statistics are reported
    add_half = corpus_bleu([HYP], [[REF]], smooth_method="add-k", smooth_value=0.5)
    assert add_half.precisions[3] == pytest.approx(100 * 0.5 / 3.5, abs=1e-12)


def test_brevity_penalty_and_effective_order():
    # c = 2, r = 6: BP = exp(1 - 6/2) = e^-2; p1 = 2/2, p2 = 1/1, no 3- or 4-grams
    sentence = sentence_bleu("the cat", [REF])  # effective order: mean over n = 1, 2
    assert sentence.bp == pytest.approx(math.exp(-2), abs=1e-15)
    assert sentence.score == pytest.approx(100 * math.exp(-2), abs=1e-12)
    # without effective order the missing orders have precision 0, so BLEU = 0
    assert corpus_bleu(["the cat"], [[REF]]).score == 0.0
    assert corpus_bleu([""], [[REF]]).bp == 0.0  # empty hypothesis: c = 0


def test_multiple_references_clip_and_closest_length():
    hyp = "the the the the"
    refs = ["the cat sat", "the the dog on mat"]
    result = sentence_bleu(hyp, refs)
    # "the" is clipped to its largest count in one reference: max(1, 2) = 2 of 4
    assert (result.counts[0], result.totals[0]) == (2, 4)
    # |4 - 3| == |4 - 5|: the tie goes to the shorter reference
    assert (result.sys_len, result.ref_len, result.bp) == (4, 3, 1.0)
    # corpus shape: one stream per reference; None where a segment has fewer references
    corpus = corpus_bleu([hyp, HYP], [[refs[0], REF], [refs[1], None]])
    assert corpus.counts[0] == 2 + 5 and corpus.ref_len == 3 + 6


def test_lowercase_and_tokenizers():
    assert corpus_bleu(["The Cat"], [["the cat"]]).counts[0] == 0
    assert corpus_bleu(["The Cat"], [["the cat"]], lowercase=True).counts[0] == 2
    # 13a splits "mat." into "mat ."; "none" keeps "mat." as one token
    assert corpus_bleu(["on the mat."], [["on the mat ."]]).score == pytest.approx(100.0)
    assert corpus_bleu(["on the mat."], [["on the mat ."]], tokenize="none").counts[0] == 2


def test_tokenize_13a_rules():
    assert tokenize_13a("It costs $3.50, doesn't it?") == \
        ["It", "costs", "$", "3.50", ",", "doesn't", "it", "?"]
    # comma between digits stays; a dash after a digit is split; entities are unescaped
    assert tokenize_13a("1,000-2,000 &amp; (more)") == \
        ["1,000", "-", "2,000", "&", "(", "more", ")"]
    assert tokenize_13a("end.Start, x") == ["end", ".", "Start", ",", "x"]
    assert tokenize_13a("a<skipped>b-\nc\nd") == ["abc", "d"]


def test_bad_input():
    with pytest.raises(TypeError, match="streams"):
        corpus_bleu([HYP], [REF])  # a flat list instead of [[REF]]
    with pytest.raises(ValueError, match=r"references\[0\] has 2 segments"):
        corpus_bleu([HYP], [[REF, REF]])
    with pytest.raises(TypeError, match=r"hypotheses\[1\] is int"):
        corpus_bleu([HYP, 3], [[REF, REF]])
    with pytest.raises(ValueError, match="empty"):
        corpus_bleu([], [[]])
    with pytest.raises(ValueError, match="smooth_method"):
        corpus_bleu([HYP], [[REF]], smooth_method="laplace")
    with pytest.raises(ValueError, match="tokenize"):
        corpus_bleu([HYP], [[REF]], tokenize="intl")
    with pytest.raises(ValueError, match="no reference"):
        corpus_bleu([HYP], [[None]])
    with pytest.raises(TypeError, match="hypothesis must be a str"):
        sentence_bleu([HYP], [REF])
    with pytest.raises(TypeError, match="list of str"):
        sentence_bleu(HYP, REF)


# ---------------------------------------------------------------- sacreBLEU parity

_VOCABULARY = ("the a cat dog sat on mat , . ! ? 3.5 1,000 9-5 it's don't (yes) "
               "\"quoted\" A The Mat &amp; x/y").split()


def _sentence(rnd):
    return " ".join(rnd.choice(_VOCABULARY) for _ in range(rnd.randint(0, 12)))


_SETTINGS = [
    dict(smooth_method="exp"),
    dict(smooth_method="none"),
    dict(smooth_method="floor"),
    dict(smooth_method="floor", smooth_value=0.5),
    dict(smooth_method="add-k"),
    dict(smooth_method="add-k", smooth_value=2),
    dict(smooth_method="exp", lowercase=True),
    dict(smooth_method="exp", tokenize="none"),
    dict(smooth_method="floor", use_effective_order=True),
]


@pytest.mark.parametrize("settings", _SETTINGS, ids=str)
def test_parity_with_sacrebleu(settings):
    sacrebleu = pytest.importorskip("sacrebleu")
    rnd = random.Random(str(settings))
    n_refs = rnd.choice([1, 2, 3])
    hyps = [_sentence(rnd) for _ in range(300)]
    refs = [[_sentence(rnd) for _ in hyps] for _ in range(n_refs)]

    ours, theirs = corpus_bleu(hyps, refs, **settings), sacrebleu.corpus_bleu(hyps, refs, **settings)
    assert ours.score == pytest.approx(theirs.score, abs=1e-9)
    assert ours.precisions == pytest.approx(theirs.precisions, abs=1e-9)
    assert (ours.sys_len, ours.ref_len, ours.bp) == (theirs.sys_len, theirs.ref_len, theirs.bp)
    if settings["smooth_method"] != "add-k":  # sacreBLEU reports add-k's smoothed counts
        assert (ours.counts, ours.totals) == (theirs.counts, theirs.totals)

    for hyp, *segment_refs in list(zip(hyps, *refs))[:100]:
        ours = sentence_bleu(hyp, segment_refs, **settings)
        theirs = sacrebleu.sentence_bleu(hyp, segment_refs, **settings)
        assert ours.score == pytest.approx(theirs.score, abs=1e-9)


def test_result_object_fields():
    result = BLEUScore(50.0, [1], [2], [50.0], 1.0, 2, 4)
    assert result.ratio == 0.5 and float(result) == 50.0
    assert BLEUScore(0.0, [0], [0], [0.0], 0.0, 0, 0).ratio == 0.0

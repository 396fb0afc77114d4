r"""BLEU: how many of a translation's n-grams appear in the reference translations.

Concept (Papineni et al., 2002), computed the way sacreBLEU computes it
---------------------------------------------------------------------
For each hypothesis segment, count its n-grams (n = 1..4) and *clip* each count by the
largest number of times that n-gram occurs in any one reference, so that repeating a
correct word earns nothing extra. Summed over the whole corpus:

    p_n  = sum_seg sum_g min(count_hyp(g), max_r count_ref_r(g)) / sum_seg sum_g count_hyp(g)
           (the "modified n-gram precision"; numerator = counts, denominator = totals)

    c    = total hypothesis length (tokens),   r = sum over segments of the length of the
           reference closest in length to the hypothesis (ties: the shorter one)

    BP   = 1                  if c >= r       (brevity penalty: precision alone would
         = exp(1 - r / c)     if 0 < c < r     reward very short output)
         = 0                  if c = 0

    BLEU = 100 * BP * exp( (1/N) * sum_{n=1..N} ln p_n )       N = max_ngram_order = 4

so BLEU is 100 times the geometric mean of the precisions, times the brevity penalty.
If no n-gram of any order matches, BLEU = 0.

Smoothing (Chen & Cherry, 2014; needed when some p_n = 0, mostly for single sentences)
--------------------------------------------------------------------------------------
* ``"none"``:  p_n = 0 makes BLEU = 0.
* ``"floor"``: a p_n with no match becomes smooth_value / total_n (default 0.1).
* ``"add-k"``: for n >= 2 add k to both counts and totals (default k = 1).
* ``"exp"``:   the m-th order with no match (m = 1, 2, ...) gets 1 / (2^m * total_n)
  (NIST's mteval-v13a smoothing; sacreBLEU's default).

With *effective order* (sacreBLEU's choice for sentence BLEU) orders whose total is 0 --
the hypothesis is shorter than n -- are left out of the mean instead of counting as 0.

Tokenisation
------------
BLEU counts tokens, so the tokeniser is part of the metric. ``"13a"`` reproduces WMT's
mteval-v13a rules (sacreBLEU's default): drop ``<skipped>``, join lines, unescape
``&quot; &amp; &lt; &gt;``, put spaces around ASCII symbols except ``' , - .``, split off
a period or comma unless it sits between digits, and split a dash that follows a digit.
``"none"`` splits on whitespace only. Scores are on sacreBLEU's 0-100 scale and agree
with sacreBLEU's ``corpus_bleu`` / ``sentence_bleu`` to floating-point round-off.
"""

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["BLEUScore", "corpus_bleu", "sentence_bleu", "tokenize_13a"]

SMOOTH_DEFAULTS = {"none": None, "floor": 0.1, "add-k": 1, "exp": None}
"""Smoothing methods and their default ``smooth_value`` (sacreBLEU's defaults)."""

# mteval-v13a's language-dependent rules, in the order they are applied.
_ASCII_SYMBOLS = "!\"#$%&()*+/:;<=>?@[\\]^_`{|}~"  # every ASCII symbol except ' , - .
_SPACE_AROUND_SYMBOL = re.compile("([" + re.escape(_ASCII_SYMBOLS) + "])")
_PERIOD_COMMA_AFTER_NON_DIGIT = re.compile(r"([^0-9])([.,])")
_PERIOD_COMMA_BEFORE_NON_DIGIT = re.compile(r"([.,])([^0-9])")
_DASH_AFTER_DIGIT = re.compile(r"([0-9])(-)")


def tokenize_13a(line: str) -> list[str]:
    """Split a line into tokens with the mteval-v13a rules used by WMT and sacreBLEU.

    Example:
        >>> tokenize_13a("It costs $3.50, doesn't it?")
        ['It', 'costs', '$', '3.50', ',', "doesn't", 'it', '?']
    """
    if not isinstance(line, str):
        raise TypeError(f"tokenize_13a: line must be a str, got {type(line).__name__}")
    line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    if "&" in line:
        line = line.replace("&quot;", '"').replace("&amp;", "&")
        line = line.replace("&lt;", "<").replace("&gt;", ">")
    line = f" {line} "
    line = _SPACE_AROUND_SYMBOL.sub(r" \1 ", line)
    line = _PERIOD_COMMA_AFTER_NON_DIGIT.sub(r"\1 \2 ", line)
    line = _PERIOD_COMMA_BEFORE_NON_DIGIT.sub(r" \1 \2", line)
    line = _DASH_AFTER_DIGIT.sub(r"\1 \2 ", line)
    return line.split()


_TOKENIZERS = {"13a": tokenize_13a, "none": str.split}


@dataclass
class BLEUScore:
    """The result of :func:`corpus_bleu` or :func:`sentence_bleu`.

    Attributes:
        score: BLEU on the 0-100 scale (``float(result)`` gives it too).
        counts: Clipped n-gram matches per order n = 1..max_ngram_order (raw statistics,
            before any smoothing).
        totals: Hypothesis n-grams per order (raw statistics).
        precisions: p_n in percent, after smoothing.
        bp: Brevity penalty.
        sys_len: Total hypothesis length c in tokens.
        ref_len: Total closest-reference length r in tokens.
    """

    score: float
    counts: list[int]
    totals: list[int]
    precisions: list[float]
    bp: float
    sys_len: int
    ref_len: int

    @property
    def ratio(self) -> float:
        """Hypothesis length over reference length, c / r (0 when r = 0)."""
        return self.sys_len / self.ref_len if self.ref_len else 0.0

    def __float__(self) -> float:
        return float(self.score)

    def __str__(self) -> str:
        precisions = "/".join(f"{p:.1f}" for p in self.precisions)
        return (
            f"BLEU = {self.score:.2f} {precisions} (BP = {self.bp:.3f} "
            f"ratio = {self.ratio:.3f} hyp_len = {self.sys_len:d} ref_len = {self.ref_len:d})"
        )


def corpus_bleu(
    hypotheses: Sequence[str],
    references: Sequence[Sequence[str]],
    smooth_method: str = "exp",
    smooth_value: float | None = None,
    tokenize: str = "13a",
    lowercase: bool = False,
    max_ngram_order: int = 4,
    use_effective_order: bool = False,
) -> BLEUScore:
    """Corpus BLEU of hypotheses against one or more reference streams (sacreBLEU's shape).

    Args:
        hypotheses: One string per segment.
        references: A list of reference *streams*; each stream is a list of strings
            parallel to ``hypotheses`` (``references[k][i]`` is the k-th reference of
            segment i). An entry may be None where a segment has fewer references.
        smooth_method: ``"exp"`` (default), ``"floor"``, ``"add-k"`` or ``"none"``.
        smooth_value: The value for ``"floor"`` (default 0.1) or ``"add-k"`` (default 1).
        tokenize: ``"13a"`` (default) or ``"none"`` (whitespace split).
        lowercase: Lower-case hypotheses and references first.
        max_ngram_order: N, the largest n-gram order.
        use_effective_order: Leave out orders with no hypothesis n-grams.

    Returns:
        A :class:`BLEUScore`.

    Raises:
        TypeError: A hypothesis or reference is not a string, or ``references`` is a flat
            list of strings instead of a list of streams.
        ValueError: Empty input, a stream of the wrong length, a segment without any
            reference, or an unknown option.

    Example:
        >>> round(corpus_bleu(["the cat sat on the mat"], [["the cat sat on the mat"]]).score, 6)
        100.0
    """
    tokenizer = _check_options(smooth_method, tokenize, max_ngram_order)
    _check_strings(hypotheses, "hypotheses")
    if not hypotheses:
        raise ValueError("hypotheses is empty")
    if isinstance(references, str) or not isinstance(references, Sequence) or not references:
        raise TypeError("references must be a non-empty list of reference streams")
    if isinstance(references[0], str):
        raise TypeError(
            "references must be a list of reference streams (lists of str parallel to "
            "hypotheses); for a single reference per segment pass [references]"
        )
    for k, stream in enumerate(references):
        _check_strings(stream, f"references[{k}]", allow_none=True)
        if len(stream) != len(hypotheses):
            raise ValueError(
                f"references[{k}] has {len(stream)} segments, hypotheses has {len(hypotheses)}"
            )

    def preprocess(segment):
        return tokenizer((segment.lower() if lowercase else segment).rstrip())

    sys_len = ref_len = 0
    correct, total = [0] * max_ngram_order, [0] * max_ngram_order
    for i, hypothesis in enumerate(hypotheses):
        refs = [stream[i] for stream in references if stream[i] is not None]
        if not refs:
            raise ValueError(f"segment {i} has no reference (all streams hold None)")
        stats = _segment_statistics(
            preprocess(hypothesis), [preprocess(ref) for ref in refs], max_ngram_order
        )
        sys_len += stats[0]
        ref_len += stats[1]
        for n in range(max_ngram_order):
            correct[n] += stats[2][n]
            total[n] += stats[3][n]
    return _bleu_from_statistics(
        correct, total, sys_len, ref_len, smooth_method, smooth_value,
        max_ngram_order, use_effective_order,
    )


def sentence_bleu(
    hypothesis: str,
    references: Sequence[str],
    smooth_method: str = "exp",
    smooth_value: float | None = None,
    tokenize: str = "13a",
    lowercase: bool = False,
    max_ngram_order: int = 4,
    use_effective_order: bool = True,
) -> BLEUScore:
    """BLEU of one hypothesis against its references (a list of strings).

    The same as :func:`corpus_bleu` on a one-segment corpus, except that
    ``use_effective_order`` defaults to True, as in sacreBLEU's ``sentence_bleu``.

    Example:
        >>> sentence_bleu("the cat is on the mat", ["the cat sat on the mat"]).counts
        [5, 3, 1, 0]
    """
    if not isinstance(hypothesis, str):
        raise TypeError(f"hypothesis must be a str, got {type(hypothesis).__name__}")
    _check_strings(references, "references")
    if not references:
        raise ValueError("references is empty: give at least one reference string")
    return corpus_bleu(
        [hypothesis], [[ref] for ref in references], smooth_method, smooth_value,
        tokenize, lowercase, max_ngram_order, use_effective_order,
    )


def _ngram_counts(tokens, max_order):
    """Counter of every n-gram (as a tuple), 1 <= n <= max_order."""
    return Counter(
        tuple(tokens[i : i + n])
        for n in range(1, max_order + 1)
        for i in range(len(tokens) - n + 1)
    )


def _closest_length(hyp_len, ref_lens):
    """The reference length closest to hyp_len; on a tie, the shorter reference."""
    return min(ref_lens, key=lambda ref_len: (abs(ref_len - hyp_len), ref_len))


def _segment_statistics(hyp_tokens, refs_tokens, max_order):
    """(hyp_len, closest ref_len, clipped matches per order, hypothesis n-grams per order)."""
    max_ref_counts = Counter()
    for ref_tokens in refs_tokens:
        max_ref_counts |= _ngram_counts(ref_tokens, max_order)  # | keeps the max count
    correct, total = [0] * max_order, [0] * max_order
    for ngram, count in _ngram_counts(hyp_tokens, max_order).items():
        total[len(ngram) - 1] += count
        correct[len(ngram) - 1] += min(count, max_ref_counts[ngram])
    ref_len = _closest_length(len(hyp_tokens), [len(ref) for ref in refs_tokens])
    return len(hyp_tokens), ref_len, correct, total


def _bleu_from_statistics(correct, total, sys_len, ref_len, smooth_method, smooth_value,
                          max_order, use_effective_order):
    """Brevity penalty, smoothed precisions and their geometric mean (see module doc)."""
    if smooth_value is None:
        smooth_value = SMOOTH_DEFAULTS[smooth_method]
    if sys_len >= ref_len:
        bp = 1.0
    else:
        bp = math.exp(1 - ref_len / sys_len) if sys_len > 0 else 0.0
    precisions = [0.0] * max_order
    raw = BLEUScore(0.0, list(correct), list(total), precisions, bp, sys_len, ref_len)
    if not any(correct):
        return raw

    order = max_order  # number of orders in the geometric mean
    exp_halvings = 1.0
    for n in range(1, max_order + 1):
        matches, ngrams = correct[n - 1], total[n - 1]
        if smooth_method == "add-k" and n > 1:
            matches, ngrams = matches + smooth_value, ngrams + smooth_value
        if ngrams == 0:
            break  # the hypotheses have no n-grams of this order or higher
        if use_effective_order:
            order = n
        if matches > 0:
            precisions[n - 1] = 100.0 * matches / ngrams
        elif smooth_method == "exp":
            exp_halvings *= 2
            precisions[n - 1] = 100.0 / (exp_halvings * ngrams)
        elif smooth_method == "floor":
            precisions[n - 1] = 100.0 * smooth_value / ngrams

    if any(p == 0.0 for p in precisions[:order]):
        return raw  # a zero precision makes the geometric mean 0
    raw.score = bp * math.exp(sum(math.log(p) for p in precisions[:order]) / order)
    return raw


def _check_options(smooth_method, tokenize, max_ngram_order):
    if smooth_method not in SMOOTH_DEFAULTS:
        raise ValueError(
            f"smooth_method must be one of {sorted(SMOOTH_DEFAULTS)}, got {smooth_method!r}"
        )
    if tokenize not in _TOKENIZERS:
        raise ValueError(f"tokenize must be one of {sorted(_TOKENIZERS)}, got {tokenize!r}")
    if not isinstance(max_ngram_order, int) or max_ngram_order < 1:
        raise ValueError(f"max_ngram_order must be an int >= 1, got {max_ngram_order!r}")
    return _TOKENIZERS[tokenize]


def _check_strings(items, name, allow_none=False):
    if isinstance(items, str) or not isinstance(items, Sequence):
        raise TypeError(f"{name} must be a list of str, got {type(items).__name__}")
    for index, item in enumerate(items):
        if not (isinstance(item, str) or (allow_none and item is None)):
            raise TypeError(f"{name}[{index}] is {type(item).__name__}, expected str")

"""Greedy decoding and beam search on hand-made decoders (glassnet.seq2seq.decoding, .state).

The decoders here are tables: P(next | previous) (a bigram model) or P(next | the two
previous) (a trigram model, whose state must follow each beam), one table per sentence.
"""
import itertools
import math

import numpy as np
import pytest

from glassnet.seq2seq import (beam_search, greedy_decode, repeat_state, score_sequences, select_state,
                              state_batch_size, top_k)

START, END, A, B = 0, 1, 2, 3


def bigram(*rows_per_sentence):
    """step_fn over one table per sentence; rows: {previous token: {next token: probability}}."""
    tables = np.zeros((len(rows_per_sentence), 4, 4))
    for n, rows in enumerate(rows_per_sentence):
        for previous, row in rows.items():
            for token, p in row.items():
                tables[n, previous, token] = p
    with np.errstate(divide="ignore"):
        log_tables = np.log(tables)

    def step_fn(tokens, state):
        return log_tables[state["table"], tokens], state

    return step_fn, {"table": np.arange(len(rows_per_sentence))}


def trigram(seed, sentences=4, vocab=5):
    """Random P(next | previous two) per sentence; the state holds the token before last."""
    rng = np.random.default_rng(seed)
    log_tables = np.log(rng.dirichlet(np.full(vocab, 0.5), size=(sentences, vocab, vocab)))

    def step_fn(tokens, state):
        log_probs = log_tables[state["table"], state["previous"], tokens]
        return log_probs, {"table": state["table"], "previous": np.asarray(tokens)}

    return step_fn, {"table": np.arange(sentences), "previous": np.full(sentences, START)}


# beam beats greedy:
#   START -> A 0.6, B 0.4;   A -> END 0.4, A 0.3, B 0.3;   B -> END 0.9, A 0.05, B 0.05
BEAM_BEATS_GREEDY = {START: {A: 0.6, B: 0.4}, A: {END: 0.4, A: 0.3, B: 0.3}, B: {END: 0.9, A: 0.05, B: 0.05},
                     END: {END: 1.0}}


def test_greedy_takes_the_locally_best_word():
    step_fn, state = bigram(BEAM_BEATS_GREEDY)
    # step 1: A (0.6) beats B (0.4); step 2 after A: END (0.4) -> [A, END], P = 0.6 * 0.4 = 0.24
    assert greedy_decode(step_fn, state, START, END, max_length=5) == [[A, END]]
    np.testing.assert_allclose(score_sequences(step_fn, state, START, [[A, END]]), [math.log(0.24)])


def test_beam_search_finds_a_more_probable_sentence():
    step_fn, state = bigram(BEAM_BEATS_GREEDY)
    # k = 2. step 1 keeps A (0.6) and B (0.4). step 2 extends both:
    #   A END 0.24, A A 0.18, A B 0.18, B END 0.4 * 0.9 = 0.36, B A 0.02, B B 0.02
    # keeps B END (0.36) and A END (0.24): both finished, so it stops; 0.36 > greedy's 0.24
    sequences, scores = beam_search(step_fn, state, START, END, max_length=5, beam_width=2)
    assert sequences == [[B, END]]
    np.testing.assert_allclose(scores, [math.log(0.36)])
    assert scores[0] > score_sequences(step_fn, state, START, greedy_decode(step_fn, state, START, END, 5))[0]


# length penalty: START -> END 0.5, A 0.5;   A -> END 0.9, A 0.05, B 0.05
SHORT_OR_LONG = {START: {END: 0.5, A: 0.5}, A: {END: 0.9, A: 0.05, B: 0.05}, B: {END: 1.0}, END: {END: 1.0}}


def test_length_penalty_changes_the_choice():
    step_fn, state = bigram(SHORT_OR_LONG)
    # [END]:    s = ln 0.5 = -0.693, |h| = 1
    # [A, END]: s = ln(0.5 * 0.9) = ln 0.45 = -0.799, |h| = 2
    # alpha = 0 ranks by s: [END] (-0.693 > -0.799)
    sequences, scores = beam_search(step_fn, state, START, END, max_length=4, beam_width=2, length_penalty=0.0)
    assert sequences == [[END]]
    np.testing.assert_allclose(scores, [math.log(0.5)])
    # alpha = 1 ranks by s / |h|: [A, END] (-0.799 / 2 = -0.400 > -0.693 / 1)
    sequences, scores = beam_search(step_fn, state, START, END, max_length=4, beam_width=2, length_penalty=1.0)
    assert sequences == [[A, END]]
    np.testing.assert_allclose(scores, [math.log(0.45) / 2])


def test_stops_at_max_length_without_an_end_token():
    # END never comes: START -> A 1;  A -> A 0.7, B 0.3;  B -> A 0.6, B 0.4
    step_fn, state = bigram({START: {A: 1.0}, A: {A: 0.7, B: 0.3}, B: {A: 0.6, B: 0.4}, END: {END: 1.0}})
    assert greedy_decode(step_fn, state, START, END, max_length=4) == [[A, A, A, A]]
    # the best 4 tokens: A A A A, P = 1 * 0.7^3 = 0.343 (A B A A: 0.3 * 0.6 * 0.7 = 0.126, ...)
    sequences, scores = beam_search(step_fn, state, START, END, max_length=4, beam_width=3)
    assert sequences == [[A, A, A, A]]
    np.testing.assert_allclose(scores, [math.log(0.343)])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_beam_width_one_is_greedy(seed):
    step_fn, state = trigram(seed)
    greedy = greedy_decode(step_fn, state, START, END, max_length=8)
    for alpha in (0.0, 0.7):
        sequences, scores = beam_search(step_fn, state, START, END, max_length=8, beam_width=1, length_penalty=alpha)
        assert sequences == greedy
        lengths = np.array([len(s) for s in greedy])
        np.testing.assert_allclose(scores, score_sequences(step_fn, state, START, greedy) / lengths ** alpha)


@pytest.mark.parametrize("alpha", [0.0, 1.0])
def test_a_beam_wide_enough_is_exhaustive_search(alpha):
    # vocab 5, at most 3 tokens: after 2 steps there are at most 5^2 = 25 hypotheses, so k = 25
    # prunes nothing before the last step, which keeps the 25 best of all finished-or-3-long
    # sentences: beam search must return the best of them all
    step_fn, state = trigram(seed=7, sentences=3)
    sequences, scores = beam_search(step_fn, state, START, END, max_length=3, beam_width=25, length_penalty=alpha)
    for n in range(3):
        one = {"table": state["table"][n:n + 1], "previous": state["previous"][n:n + 1]}
        candidates = [list(c[:c.index(END) + 1]) if END in c else list(c)
                      for c in itertools.product(range(5), repeat=3)]
        candidates = [list(c) for c in {tuple(c) for c in candidates}]
        totals = [score_sequences(step_fn, one, START, [c])[0] / len(c) ** alpha for c in candidates]
        assert sequences[n] == candidates[int(np.argmax(totals))]
        np.testing.assert_allclose(scores[n], max(totals))


@pytest.mark.parametrize("seed", [3, 4])
def test_batched_decoding_equals_one_by_one(seed):
    step_fn, state = trigram(seed, sentences=5)
    greedy = greedy_decode(step_fn, state, START, END, max_length=7)
    beams, scores = beam_search(step_fn, state, START, END, max_length=7, beam_width=3, length_penalty=0.6)
    for n in range(5):
        one = select_state(state, [n])
        assert greedy_decode(step_fn, one, START, END, max_length=7) == [greedy[n]]
        one_beam, one_score = beam_search(step_fn, one, START, END, max_length=7, beam_width=3, length_penalty=0.6)
        assert one_beam == [beams[n]]
        assert one_score[0] == scores[n]


def test_beam_wider_than_the_vocabulary():
    # vocab 4, k = 6: step 1 has only 4 hypotheses; the 2 empty slots stay at -inf and are never returned
    step_fn, state = bigram(BEAM_BEATS_GREEDY)
    sequences, scores = beam_search(step_fn, state, START, END, max_length=5, beam_width=6)
    assert sequences == [[B, END]]
    np.testing.assert_allclose(scores, [math.log(0.36)])


def test_top_k_breaks_ties_by_the_lower_index():
    values = np.array([[1.0, 3.0, 3.0, 2.0, 3.0], [-np.inf, 0.0, -np.inf, -1.0, -np.inf]])
    np.testing.assert_array_equal(top_k(values, 2), [[1, 2], [1, 3]])
    np.testing.assert_array_equal(top_k(values, 4), [[1, 2, 4, 3], [1, 3, 0, 2]])
    np.testing.assert_array_equal(top_k(values, 1)[:, 0], values.argmax(axis=1))
    np.testing.assert_array_equal(top_k(values, 5), np.argsort(-values, axis=1, kind="stable"))


def test_state_helpers():
    state = {"h": np.arange(6).reshape(3, 2), "pair": [np.arange(3), None]}
    assert state_batch_size(state) == 3
    repeated = repeat_state(state, 2)
    np.testing.assert_array_equal(repeated["pair"][0], [0, 0, 1, 1, 2, 2])
    assert repeated["pair"][1] is None
    picked = select_state(state, [2, 0, 0])
    np.testing.assert_array_equal(picked["h"], [[4, 5], [0, 1], [0, 1]])
    with pytest.raises(ValueError, match="same leading batch axis"):
        state_batch_size([np.zeros((2, 3)), np.zeros((3, 3))])
    with pytest.raises(ValueError, match="at least one array"):
        state_batch_size([None])


def test_errors():
    step_fn, state = bigram(BEAM_BEATS_GREEDY)
    with pytest.raises(ValueError, match="max_length"):
        greedy_decode(step_fn, state, START, END, max_length=0)
    with pytest.raises(ValueError, match="start_id"):
        greedy_decode(step_fn, state, -1, END, max_length=3)
    with pytest.raises(ValueError, match="beam_width"):
        beam_search(step_fn, state, START, END, max_length=3, beam_width=0)
    with pytest.raises(ValueError, match="length_penalty"):
        beam_search(step_fn, state, START, END, max_length=3, length_penalty=-1.0)
    with pytest.raises(ValueError, match="end_id 9"):
        greedy_decode(step_fn, state, START, 9, max_length=3)
    with pytest.raises(ValueError, match=r"shape \(batch, vocab\)"):
        greedy_decode(lambda tokens, s: (np.zeros(4), s), state, START, END, max_length=3)
    with pytest.raises(ValueError, match="NaN"):
        beam_search(lambda tokens, s: (np.full((len(tokens), 4), np.nan), s), state, START, END, max_length=3)

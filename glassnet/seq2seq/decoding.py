"""Turning a trained decoder into output sentences: greedy decoding and beam search.

A decoder is seen through one function, called once per output position for a whole batch:

    step_fn(tokens, state) -> (log_probs, new_state)

    tokens     (batch,) int: the token each sentence emitted last (start_id at the first step)
    state      whatever the model carries between steps (an LSTM's [h, c]; with attention the
               encoder's outputs too), a nesting of lists/tuples/dicts of arrays whose axis 0
               is the batch (``glassnet.seq2seq.state``)
    log_probs  (batch, vocab): log P(y_t = v | y_<t, source) for every token v

The decoder models a sentence as a chain of such steps, so the log-probability of an output
y_1 … y_n (ending with the end token) is the sum of the steps' entries:

    log P(y | x) = Σ_t log P(y_t | y_<t, x)

Finding the y of largest P(y | x) exactly would mean scoring every sentence; greedy decoding
and beam search are the two classic approximations. Both stop a sentence at the end token or
after ``max_length`` output tokens, whichever comes first; a sentence stopped by
``max_length`` has max_length tokens and no end token. Both return, per source sentence, the
emitted ids without the start token and with the end token when one was emitted.
"""
from __future__ import annotations

import numpy as np

from ..layers.arguments import check_positive_int
from .state import as_array, repeat_state, select_state, state_batch_size, to_numpy_state


def _check_id(owner: str, name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{owner}: {name} must be a non-negative int (a token id), got {value!r}")
    return int(value)


def _step(step_fn, tokens, state, batch: int, end_id, owner: str):
    """Run one step and check what came back: (log_probs (batch, vocab) float64, state)."""
    log_probs, state = step_fn(tokens, state)
    log_probs = as_array(log_probs)
    if log_probs.ndim != 2 or log_probs.shape[0] != batch:
        raise ValueError(f"{owner}: step_fn must return log_probs of shape (batch, vocab) = ({batch}, vocab), got "
                         f"shape {log_probs.shape}")
    if end_id is not None and end_id >= log_probs.shape[1]:
        raise ValueError(f"{owner}: end_id {end_id} is not a token of the step's vocabulary of {log_probs.shape[1]}")
    if np.isnan(log_probs).any():
        raise ValueError(f"{owner}: step_fn returned NaN log-probabilities")
    return log_probs.astype(np.float64, copy=False), to_numpy_state(state)


def _until_end(row, end_id: int) -> list:
    """The ids of ``row`` up to and including its first end_id (all of them if there is none)."""
    ends = np.flatnonzero(row == end_id)
    return row[: ends[0] + 1 if ends.size else len(row)].tolist()


def greedy_decode(step_fn, initial_state, start_id, end_id, max_length):
    """Greedy decoding: at each step take the single most probable token.

    Algorithm:
        y_0 = start_id
        for t = 1 … max_length:
            y_t = argmax_v log P(v | y_<t, x)        (ties: the lowest id)
            stop the sentence if y_t = end_id
    The batch runs together until every sentence has stopped; a stopped sentence keeps
    being fed ``end_id`` and its further outputs are dropped. Fast (one step per position),
    but a choice is never revisited: a likely first word can lead to an unlikely sentence.

    Args:
        step_fn: ``step_fn(tokens (batch,), state) -> (log_probs (batch, vocab), state)``.
        initial_state: the state for the first step (the encoder's summary of the sources),
            arrays with a leading batch axis, one row per source sentence.
        start_id, end_id: the start and end token ids.
        max_length: the most output tokens per sentence (end token included).

    Returns:
        One list of ids per sentence: without the start token, ending with ``end_id``
        unless ``max_length`` tokens were emitted first.

    Raises:
        ValueError: for a bad id or max_length, a state without a batch axis, or log_probs
            of the wrong shape or with NaN.
    """
    owner = "greedy_decode"
    start_id, end_id = _check_id(owner, "start_id", start_id), _check_id(owner, "end_id", end_id)
    max_length = check_positive_int(owner, "max_length", max_length)
    batch = state_batch_size(initial_state, owner)
    state, tokens = to_numpy_state(initial_state), np.full(batch, start_id, dtype=np.int64)
    finished, emitted = np.zeros(batch, dtype=bool), []
    for _ in range(max_length):
        log_probs, state = _step(step_fn, tokens, state, batch, end_id, owner)
        tokens = np.where(finished, end_id, log_probs.argmax(axis=1))
        emitted.append(tokens)
        finished |= tokens == end_id
        if finished.all():
            break
    return [_until_end(row, end_id) for row in np.stack(emitted, axis=1)]


def top_k(values, k: int):
    """Column indices of the k largest entries of each row, largest first; ties go to the
    lower index (so k = 1 picks what ``argmax`` picks).

    Linear time per row: ``np.argpartition`` finds the k-th largest value t; every entry
    above t is kept, and of the entries equal to t only the lowest-indexed ones that fill k.
    """
    rows, n = values.shape
    if k >= n:
        return np.argsort(-values, axis=1, kind="stable")
    kth = np.take_along_axis(values, np.argpartition(-values, k - 1, axis=1)[:, k - 1:k], axis=1)
    above = values > kth
    at = values == kth
    room = k - above.sum(axis=1, keepdims=True)               # how many ties at t still fit
    chosen = above | (at & (np.cumsum(at, axis=1) <= room))   # exactly k per row
    index = np.nonzero(chosen)[1].reshape(rows, k)            # ascending column order
    order = np.argsort(-np.take_along_axis(values, index, axis=1), axis=1, kind="stable")
    return np.take_along_axis(index, order, axis=1)


def length_normalized(scores, lengths, length_penalty: float):
    """score / length^α (α = ``length_penalty``; α = 0: the plain total log-probability)."""
    return scores / np.power(np.maximum(lengths, 1), length_penalty)


def beam_search(step_fn, initial_state, start_id, end_id, max_length, beam_width=4, length_penalty=0.0):
    """Beam search: keep the ``beam_width`` best partial sentences at every step.

    Each hypothesis h has a total log-probability s(h) = Σ_t log P(y_t | y_<t, x) and a
    length |h| (its tokens after the start token, end token included). Hypotheses are ranked
    by the length-normalised score

        score(h) = s(h) / |h|^α             α = length_penalty (plain, not GNMT's
                                            ((5 + |h|)/6)^α); α = 0 ranks by s(h) alone

    since s(h) only falls as h grows, α = 0 favours short sentences; α ≈ 0.6–1 evens that out.

    Algorithm (per source sentence, all sentences and beams in one batch of batch·k rows):
        beams = {[start]} with s = 0 (the other k − 1 slots start at s = −∞, so the first
                step expands one hypothesis instead of k copies of it)
        for t = 1 … max_length:
            every unfinished hypothesis h extends to h+v for every token v:
                s(h+v) = s(h) + log P(v | h, x),  |h+v| = |h| + 1
            a finished hypothesis (ends with end_id) has one extension, itself:
                s and |h| unchanged
            keep the k extensions of highest score(·) (ties: lower beam, then lower id);
            reorder/repeat the decoder state to follow each kept hypothesis's parent
            stop when all kept hypotheses are finished
        return the best kept hypothesis and its score
    Keeping finished hypotheses in the beam, ranked together with the others, is the
    scheme of TensorFlow's GNMT ``BeamSearchDecoder``. With k = 1 it is greedy decoding.

    Args:
        step_fn: ``step_fn(tokens (batch·k,), state) -> (log_probs (batch·k, vocab), state)``;
            row b·k + j is beam j of sentence b.
        initial_state: the first step's state with one row per sentence (it is repeated k
            times here, ``repeat_state``).
        start_id, end_id: the start and end token ids.
        max_length: the most output tokens per sentence (end token included).
        beam_width: k, the hypotheses kept per sentence.
        length_penalty: α ≥ 0 above.

    Returns:
        ``(sequences, scores)``: one list of ids per sentence (without the start token,
        ending with ``end_id`` unless stopped at ``max_length``), and a float64 array of
        their scores score(h) (= the total log-probability when α = 0).

    Raises:
        ValueError: as ``greedy_decode``; for beam_width < 1 or a negative length_penalty.
    """
    owner = "beam_search"
    start_id, end_id = _check_id(owner, "start_id", start_id), _check_id(owner, "end_id", end_id)
    max_length = check_positive_int(owner, "max_length", max_length)
    k = check_positive_int(owner, "beam_width", beam_width)
    if isinstance(length_penalty, bool) or not isinstance(length_penalty, (int, float)) or not length_penalty >= 0:
        raise ValueError(f"{owner}: length_penalty must be a number >= 0, got {length_penalty!r}")
    batch = state_batch_size(initial_state, owner)
    state = repeat_state(to_numpy_state(initial_state), k)
    tokens = np.full(batch * k, start_id, dtype=np.int64)
    scores = np.full((batch, k), -np.inf)
    scores[:, 0] = 0.0
    lengths = np.zeros((batch, k), dtype=np.int64)
    finished = np.zeros((batch, k), dtype=bool)
    first_row = (np.arange(batch) * k)[:, None]
    history = []                                      # (parent beam, token) of each step, each (batch, k)
    for _ in range(max_length):
        log_probs, state = _step(step_fn, tokens, state, batch * k, end_id, owner)
        vocab = log_probs.shape[1]
        log_probs = log_probs.reshape(batch, k, vocab)
        only_end = np.full(vocab, -np.inf)
        only_end[end_id] = 0.0
        log_probs = np.where(finished[..., None], only_end, log_probs)
        extended = scores[..., None] + log_probs                      # s(h+v), (batch, k, vocab)
        new_lengths = lengths + ~finished                             # |h+v|, (batch, k)
        ranked = length_normalized(extended, new_lengths[..., None], length_penalty)
        best = top_k(ranked.reshape(batch, k * vocab), k)             # (batch, k) flat indices
        parent, token = np.divmod(best, vocab)
        scores = np.take_along_axis(extended.reshape(batch, k * vocab), best, axis=1)
        lengths = np.take_along_axis(new_lengths, parent, axis=1)
        finished = np.take_along_axis(finished, parent, axis=1) | (token == end_id)
        finished |= np.isneginf(scores)       # filler slots (k > the hypotheses there are) stay put
        history.append((parent, token))
        state = select_state(state, (first_row + parent).ravel())
        tokens = token.ravel()
        if finished.all():
            break
    sequences = _backtrack(history, batch)
    best_scores = length_normalized(scores[:, 0], lengths[:, 0], length_penalty)
    return [_until_end(row, end_id) for row in sequences], best_scores


def _backtrack(history, batch: int):
    """The tokens of beam 0 (the best) of each sentence, followed back through the parents."""
    rows, beam = np.arange(batch), np.zeros(batch, dtype=np.int64)
    sequences = np.empty((batch, len(history)), dtype=np.int64)
    for t in range(len(history) - 1, -1, -1):
        parent, token = history[t]
        sequences[:, t] = token[rows, beam]
        beam = parent[rows, beam]
    return sequences


def score_sequences(step_fn, initial_state, start_id, sequences):
    """The total log-probability Σ_t log P(y_t | y_<t, x) of given outputs (teacher forcing).

    Feeds start_id, then each sequence's own tokens, and adds up the log-probability the
    decoder gave each next token; useful to compare decoders' choices or rescore n-best lists.

    Args:
        step_fn, initial_state, start_id: as ``greedy_decode``.
        sequences: one list of ids per sentence (as returned by the decoders); lengths may differ.

    Returns:
        A float64 array with one total per sequence (0 for an empty sequence).
    """
    owner = "score_sequences"
    start_id = _check_id(owner, "start_id", start_id)
    batch = state_batch_size(initial_state, owner)
    if len(sequences) != batch:
        raise ValueError(f"{owner}: got {len(sequences)} sequences for a state of batch {batch}")
    length = max((len(s) for s in sequences), default=0)
    ids = np.full((batch, length), start_id, dtype=np.int64)
    for row, sequence in enumerate(sequences):
        ids[row, :len(sequence)] = sequence
    valid = np.arange(length)[None, :] < np.array([len(s) for s in sequences])[:, None]
    state, tokens, total = to_numpy_state(initial_state), np.full(batch, start_id, dtype=np.int64), np.zeros(batch)
    for t in range(length):
        log_probs, state = _step(step_fn, tokens, state, batch, None, owner)
        total += np.where(valid[:, t], log_probs[np.arange(batch), ids[:, t]], 0.0)
        tokens = ids[:, t]
    return total


__all__ = ["greedy_decode", "beam_search", "score_sequences", "top_k", "length_normalized"]

"""What the encoder–decoder tests share: the toy reversal task and the step/training comparison."""
import numpy as np

SYMBOLS = ["a", "b", "c", "d", "e", "f", "g", "h"]


def reversal_pairs(n, seed=0, lengths=(2, 7), symbols=SYMBOLS):
    """n sentences of lengths[0] to lengths[1] − 1 symbols and their reversals (the toy translation task)."""
    rng = np.random.default_rng(seed)
    sources = [list(rng.choice(symbols, size=rng.integers(*lengths))) for _ in range(n)]
    return sources, [s[::-1] for s in sources]


def step_probabilities(s2s, data):
    """Run ``encode``/``step`` along the teacher-forced decoder inputs: (n, T, vocab) probabilities."""
    state = s2s.encode(data.source_ids)
    steps = []
    for t in range(data.decoder_input_ids.shape[1]):
        log_probs, state = s2s.step(data.decoder_input_ids[:, t], state)
        steps.append(np.exp(log_probs))
    return np.stack(steps, axis=1)


def assert_step_matches_training_model(s2s, data):
    training = s2s.model.predict(data.inputs, verbose=0)
    real = data.decoder_input_ids != 0                 # padded positions are masked, not compared
    np.testing.assert_allclose(step_probabilities(s2s, data)[real], training[real], atol=1e-6, rtol=0)


def assert_learns_to_reverse(s2s, vocab, data, targets, history):
    """The loss fell 20×; greedy and beam search reproduce ≥ 90 % of the training reversals and of
    100 unseen sentences."""
    assert history.history["loss"][-1] < 0.05 * history.history["loss"][0]
    greedy = s2s.greedy_decode(data.source_ids, vocab.start_id, vocab.end_id, max_length=9)
    assert np.mean([vocab.decode(ids) == target for ids, target in zip(greedy, targets)]) >= 0.9
    beams, scores = s2s.beam_search(data.source_ids[:100], vocab.start_id, vocab.end_id, max_length=9,
                                    beam_width=3, length_penalty=0.6)
    assert np.mean([vocab.decode(ids) == target for ids, target in zip(beams, targets)]) >= 0.9
    assert np.all(scores <= 0)
    new_sources, new_targets = reversal_pairs(100, seed=1)
    translated = s2s.translate(new_sources, vocab, vocab, max_length=9, beam_width=3)
    assert np.mean([t == " ".join(target) for t, target in zip(translated, new_targets)]) >= 0.9


def train_reversal(make_model, pairs, epochs, learning_rate, **pair_options):
    """A model (``make_model(vocabulary_size)``) trained with teacher forcing to reverse ``pairs``
    toy sentences: (s2s, vocab, data, sources, targets, history)."""
    from glassnet import optimizers, utils
    from glassnet.seq2seq import Vocabulary, prepare_translation_data

    utils.set_random_seed(0)
    sources, targets = reversal_pairs(pairs, **pair_options)
    vocab = Vocabulary().fit(sources)                   # the same symbols on both sides
    data = prepare_translation_data(sources, targets, vocab, vocab)
    s2s = make_model(len(vocab))
    s2s.model.compile(optimizer=optimizers.Adam(learning_rate=learning_rate), loss="sparse_categorical_crossentropy")
    history = s2s.model.fit(data.inputs, data.decoder_target_ids, sample_weight=data.sample_weight, epochs=epochs,
                            batch_size=32, verbose=0)
    return s2s, vocab, data, sources, targets, history


def assert_trained_step_matches_and_beam_of_one_is_greedy(s2s, vocab, data, max_length=9):
    """On 64 training pairs: ``step`` gives the teacher-forced probabilities, and beam search of
    width 1 returns greedy decoding's ids. Returns (subset, greedy ids) for further checks."""
    from glassnet.seq2seq import TranslationData

    subset = TranslationData(*(array[:64] for array in data))
    assert_step_matches_training_model(s2s, subset)
    greedy = s2s.greedy_decode(subset.source_ids, vocab.start_id, vocab.end_id, max_length=max_length)
    beams, _ = s2s.beam_search(subset.source_ids, vocab.start_id, vocab.end_id, max_length=max_length, beam_width=1)
    assert beams == greedy
    return subset, greedy

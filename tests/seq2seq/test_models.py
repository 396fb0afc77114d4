"""The LSTM encoder–decoder: teacher-forced training, and decoding with the same weights."""
import numpy as np
import pytest

import glassnet
from glassnet import seq2seq
from glassnet.seq2seq import EncoderDecoder, LSTMEncoderDecoder, Vocabulary, prepare_translation_data
from tests.seq2seq.helpers import (
    SYMBOLS,
    assert_step_matches_training_model,
    assert_trained_step_matches_and_beam_of_one_is_greedy,
    train_reversal,
)

@pytest.fixture(scope="module")
def reversal():
    """An LSTM encoder–decoder trained to reverse sequences (~3 s on 2 cores)."""
    return train_reversal(lambda size: LSTMEncoderDecoder(size, size, embedding_dim=16, units=64), 400,
                          epochs=15, learning_rate=0.01, lengths=(2, 6), symbols=SYMBOLS[:6])


def test_training_graph_shapes():
    s2s = LSTMEncoderDecoder(11, 13, embedding_dim=8, units=16)
    assert s2s.model.output_shape == (None, None, 13)
    assert [len(t.shape) for t in s2s.encoder_model.outputs] == [2, 2]
    # the inference models use the training model's layer objects, so the same weights
    assert {id(w) for w in s2s.encoder_model.weights + s2s.decoder_model.weights} == {id(w) for w in s2s.model.weights}


def test_decoder_step_gives_the_training_models_probabilities():
    # untrained weights, float32, padded sources and targets of different lengths
    vocab = Vocabulary().fit([["a", "b", "c"], ["d", "e"]])
    s2s = LSTMEncoderDecoder(len(vocab), len(vocab), embedding_dim=8, units=16)
    data = prepare_translation_data([["a", "b", "c"], ["d"], ["e", "e"]], [["c", "b"], ["d", "a", "c", "e"], ["a"]],
                                    vocab, vocab)
    assert_step_matches_training_model(s2s, data)


def test_learns_to_reverse_and_decodes_it(reversal):
    s2s, vocab, data, sources, targets, history = reversal
    assert history.history["loss"][-1] < 0.05 * history.history["loss"][0]
    greedy = s2s.greedy_decode(data.source_ids, vocab.start_id, vocab.end_id, max_length=8)
    exact = np.mean([vocab.decode(ids) == target for ids, target in zip(greedy, targets)])
    assert exact >= 0.9
    assert all(ids[-1] == vocab.end_id for ids in greedy)
    beams, scores = s2s.beam_search(data.source_ids[:100], vocab.start_id, vocab.end_id, max_length=8, beam_width=3,
                                    length_penalty=0.6)
    assert np.mean([vocab.decode(ids) == target for ids, target in zip(beams, targets)]) >= 0.9
    assert np.all(scores <= 0)


def test_trained_step_matches_and_beam_of_one_is_greedy(reversal):
    s2s, vocab, data, *_ = reversal
    assert_trained_step_matches_and_beam_of_one_is_greedy(s2s, vocab, data, max_length=8)


def test_translate_and_rebuild_from_the_training_model(reversal):
    s2s, vocab, _, sources, targets, _ = reversal
    translated = s2s.translate(sources[:20], vocab, vocab, max_length=8, batch_size=8)
    assert np.mean([t == " ".join(target) for t, target in zip(translated, targets[:20])]) >= 0.9
    again = LSTMEncoderDecoder.from_model(s2s.model)
    assert again.translate(sources[:20], vocab, vocab, max_length=8, beam_width=2) == \
        s2s.translate(sources[:20], vocab, vocab, max_length=8, beam_width=2)


class CountDown(EncoderDecoder):
    """A model without layers: emits source length − 1, …, 1 as tokens, then END (id 0)."""

    def encode(self, source_ids):
        return {"left": (np.asarray(source_ids) != 0).sum(axis=1)}

    def step(self, tokens, state):
        left = state["left"] - 1
        log_probs = np.full((len(left), 10), -10.0)
        log_probs[np.arange(len(left)), np.maximum(left, 0)] = 0.0
        return log_probs, {"left": left}


def test_any_encoder_decoder_plugs_into_the_decoders():
    model = CountDown()
    sources = np.array([[5, 5, 5, 5], [5, 5, 0, 0]])
    assert model.greedy_decode(sources, start_id=9, end_id=0, max_length=6) == [[3, 2, 1, 0], [1, 0]]
    sequences, scores = model.beam_search(sources, start_id=9, end_id=0, max_length=6, beam_width=3)
    assert sequences == [[3, 2, 1, 0], [1, 0]]
    np.testing.assert_allclose(scores, [0.0, 0.0])
    with pytest.raises(NotImplementedError, match="must implement encode"):
        EncoderDecoder().encode(sources)
    with pytest.raises(NotImplementedError, match="must implement step"):
        EncoderDecoder().step(np.zeros(2), None)


def test_inference_pieces_after_save_and_load(tmp_path):
    vocab = Vocabulary().fit([["a", "b", "c"], ["d", "e"]])
    s2s = LSTMEncoderDecoder(len(vocab), len(vocab), embedding_dim=8, units=16, name="tiny")
    path = str(tmp_path / "tiny.glassnet")
    s2s.model.save(path)
    again = LSTMEncoderDecoder.from_model(glassnet.models.load_model(path), name="tiny")
    data = prepare_translation_data([["a", "b", "c"], ["d"]], [["c", "b"], ["d", "a"]], vocab, vocab)
    assert again.greedy_decode(data.source_ids, 2, 3, 5) == s2s.greedy_decode(data.source_ids, 2, 3, 5)
    assert_step_matches_training_model(again, data)

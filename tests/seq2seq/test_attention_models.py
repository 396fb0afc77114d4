"""The Bahdanau encoder–decoder: teacher-forced training, decoding with the same weights, attention weights."""
import numpy as np
import pytest

import glassnet
from glassnet import seq2seq
from glassnet.seq2seq import BahdanauEncoderDecoder, Vocabulary, prepare_translation_data
from tests.seq2seq.helpers import (
    assert_learns_to_reverse,
    assert_step_matches_training_model,
    assert_trained_step_matches_and_beam_of_one_is_greedy,
    train_reversal,
)

def small_data():
    vocab = Vocabulary().fit([["a", "b", "c"], ["d", "e"]])
    data = prepare_translation_data([["a", "b", "c", "d"], ["d"], ["e", "e"]],
                                    [["c", "b"], ["d", "a", "c", "e"], ["a"]], vocab, vocab)
    return vocab, data


@pytest.fixture(scope="module")
def reversal():
    """A Bahdanau encoder–decoder trained to reverse sequences (a few seconds on 2 cores)."""
    return train_reversal(lambda size: BahdanauEncoderDecoder(size, size, embedding_dim=16, units=32), 500,
                          epochs=12, learning_rate=0.01)


def test_graph_shapes_and_shared_weights():
    s2s = BahdanauEncoderDecoder(11, 13, embedding_dim=8, units=16, attention_dim=12)
    assert s2s.model.output_shape == (None, None, 13)
    assert s2s.attention_model.output_shape == (None, None, None)
    assert [tuple(t.shape) for t in s2s.encoder_model.outputs] == [(None, 16), (None, 16), (None, None, 32),
                                                                   (None, None, 12)]
    # the inference models use the training model's layer objects, so the same weights
    inference = s2s.encoder_model.weights + s2s.decoder_model.weights
    assert {id(w) for w in inference} == {id(w) for w in s2s.model.weights}


@pytest.mark.parametrize("dropout", [0.0, 0.3])
def test_decoder_step_gives_the_training_models_probabilities(dropout):
    # untrained weights, float32, padded sources and targets of different lengths; dropout
    # is off outside training
    vocab, data = small_data()
    s2s = BahdanauEncoderDecoder(len(vocab), len(vocab), embedding_dim=8, units=16, dropout=dropout)
    assert_step_matches_training_model(s2s, data)
    if dropout:    # ... and on in training
        training = s2s.model(data.inputs, training=True).numpy()
        assert not np.allclose(training, s2s.model.predict(data.inputs, verbose=0))


def test_attention_weights_sum_to_one_over_the_real_source_words():
    vocab, data = small_data()
    s2s = BahdanauEncoderDecoder(len(vocab), len(vocab), embedding_dim=8, units=16)
    alpha = s2s.attention_weights(data.source_ids, data.decoder_input_ids)
    assert alpha.shape == data.decoder_input_ids.shape + data.source_ids.shape[1:]
    real_source = (data.source_ids != 0)[:, None, :]
    np.testing.assert_allclose(alpha.sum(axis=-1), 1.0, atol=1e-6)
    assert np.all(alpha[np.broadcast_to(~real_source, alpha.shape)] == 0)
    assert np.all(alpha[np.broadcast_to(real_source, alpha.shape)] > 0)
    # the second sentence has one source word: all its attention goes there
    np.testing.assert_allclose(alpha[1, :, 0], 1.0)
    # a padded source row changes nothing: the same sentence alone, unpadded, has the same weights
    alone = s2s.attention_weights(data.source_ids[2:3, :2], data.decoder_input_ids[2:3])
    np.testing.assert_allclose(alone[0], alpha[2, :, :2], atol=1e-6)


def test_learns_to_reverse_and_decodes_it(reversal):
    s2s, vocab, data, sources, targets, history = reversal
    assert_learns_to_reverse(s2s, vocab, data, targets, history)


def test_trained_attention_looks_at_the_mirrored_word(reversal):
    # reversing: output word i of an n-word sentence is source word n − 1 − i
    s2s, vocab, data, *_ = reversal
    alpha = s2s.attention_weights(data.source_ids[:50], data.decoder_input_ids[:50])
    lengths = (data.source_ids[:50] != 0).sum(axis=1)
    hits = [alpha[b, i].argmax() == n - 1 - i for b, n in enumerate(lengths) for i in range(n)]
    assert np.mean(hits) >= 0.8


def test_trained_step_matches_and_translate_with_attention(reversal):
    s2s, vocab, data, *_ = reversal
    subset, greedy = assert_trained_step_matches_and_beam_of_one_is_greedy(s2s, vocab, data, max_length=9)
    with_attention = s2s.translate_with_attention(subset.source_ids, vocab.start_id, vocab.end_id, max_length=9)
    assert [ids for ids, _ in with_attention] == greedy
    for (ids, alpha), source in zip(with_attention, subset.source_ids):
        assert alpha.shape == (len(ids), subset.source_ids.shape[1])
        np.testing.assert_allclose(alpha.sum(axis=1), 1.0, atol=1e-6)
        assert np.all(alpha[:, source == 0] == 0)


def test_inference_pieces_after_save_and_load(tmp_path):
    vocab, data = small_data()
    s2s = BahdanauEncoderDecoder(len(vocab), len(vocab), embedding_dim=8, units=16, name="tiny")
    path = str(tmp_path / "tiny.glassnet")
    s2s.model.save(path)
    again = BahdanauEncoderDecoder.from_model(glassnet.models.load_model(path), name="tiny")
    np.testing.assert_array_equal(again.model.predict(data.inputs, verbose=0), s2s.model.predict(data.inputs,
                                                                                                   verbose=0))
    assert again.greedy_decode(data.source_ids, 2, 3, 5) == s2s.greedy_decode(data.source_ids, 2, 3, 5)
    assert_step_matches_training_model(again, data)


def test_bad_source_ids():
    s2s = BahdanauEncoderDecoder(7, 7, embedding_dim=4, units=4)
    with pytest.raises(ValueError, match="source_ids must be a \\(batch, length\\) array of int ids"):
        s2s.encode(np.array([1, 2, 3]))
    with pytest.raises(ValueError, match="source_ids"):
        s2s.attention_weights(np.ones((2, 3)), np.ones((2, 2), dtype=int))

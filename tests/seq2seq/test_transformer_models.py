"""The Transformer encoder–decoder: teacher-forced training, and step-by-step decoding with the same weights."""
import numpy as np
import pytest

import glassnet
from glassnet import seq2seq
from glassnet.seq2seq import TransformerEncoderDecoder, Vocabulary, prepare_translation_data
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


def tiny(vocab, **kwargs):
    options = dict(embedding_dim=16, num_layers=2, num_heads=2, intermediate_dim=32, max_length=8)
    return TransformerEncoderDecoder(len(vocab), len(vocab), **{**options, **kwargs})


@pytest.fixture(scope="module")
def reversal():
    """A one-layer Transformer trained to reverse sequences (~5 s on 2 cores)."""
    return train_reversal(lambda size: TransformerEncoderDecoder(size, size, embedding_dim=32, num_layers=1, num_heads=2,
                                                                 intermediate_dim=64, dropout=0.0, max_length=10),
                          800, epochs=20, learning_rate=0.005)


def test_graph_shapes_and_shared_weights():
    s2s = TransformerEncoderDecoder(11, 13, embedding_dim=16, num_layers=3, num_heads=4, intermediate_dim=24)
    assert s2s.model.output_shape == (None, None, 13)
    assert len(s2s.encoder_layers) == len(s2s.decoder_layers) == 3
    assert tuple(s2s.encoder_model.outputs[0].shape) == (None, None, 16)
    # the inference models use the training model's layer objects, so the same weights
    inference = s2s.encoder_model.weights + s2s.decoder_model.weights + s2s.output_layer.weights
    assert {id(w) for w in inference} == {id(w) for w in s2s.model.weights}


@pytest.mark.parametrize("normalize_first", [True, False])
def test_decoder_step_gives_the_training_models_probabilities(normalize_first):
    # untrained weights, dropout on (unused outside training), padded sources and targets
    vocab, data = small_data()
    s2s = tiny(vocab, normalize_first=normalize_first, dropout=0.2)
    assert_step_matches_training_model(s2s, data)


def test_padding_and_later_tokens_change_nothing():
    vocab, data = small_data()
    s2s = tiny(vocab)
    full = s2s.model.predict(data.inputs, verbose=0)
    # sentence 1 alone, its source and target unpadded: the same probabilities at its positions
    source, target = data.source_ids[1:2, :1], data.decoder_input_ids[1:2, :5]
    np.testing.assert_allclose(s2s.model.predict([source, target], verbose=0)[0], full[1, :5], atol=1e-6)
    # causality: changing the token at position 3 leaves positions 0..2 as they were
    changed = data.decoder_input_ids.copy()
    changed[1, 3] = 4 if changed[1, 3] != 4 else 5
    again = s2s.model.predict([data.source_ids, changed], verbose=0)
    np.testing.assert_allclose(again[1, :3], full[1, :3], atol=1e-6)
    assert not np.allclose(again[1, 3], full[1, 3])


def test_learns_to_reverse_and_decodes_it(reversal):
    s2s, vocab, data, sources, targets, history = reversal
    assert_learns_to_reverse(s2s, vocab, data, targets, history)


def test_trained_step_matches_and_beam_of_one_is_greedy(reversal):
    s2s, vocab, data, *_ = reversal
    assert_trained_step_matches_and_beam_of_one_is_greedy(s2s, vocab, data, max_length=9)


@pytest.mark.parametrize("normalize_first", [True, False])
def test_inference_pieces_after_save_and_load(tmp_path, normalize_first):
    vocab, data = small_data()
    s2s = tiny(vocab, normalize_first=normalize_first, name="tiny")
    path = str(tmp_path / "tiny.glassnet")
    s2s.model.save(path)
    again = TransformerEncoderDecoder.from_model(glassnet.models.load_model(path), name="tiny")
    assert len(again.decoder_layers) == 2 and (again.decoder_norm is not None) == normalize_first
    np.testing.assert_array_equal(again.model.predict(data.inputs, verbose=0),
                                  s2s.model.predict(data.inputs, verbose=0))
    assert again.greedy_decode(data.source_ids, 2, 3, 6) == s2s.greedy_decode(data.source_ids, 2, 3, 6)
    assert_step_matches_training_model(again, data)


def test_bad_input_names_the_limit():
    vocab, data = small_data()
    s2s = tiny(vocab, max_length=4)
    with pytest.raises(ValueError, match="source_ids must be a \\(batch, length\\) array of int ids"):
        s2s.encode(np.array([1, 2, 3]))
    with pytest.raises(ValueError, match="longer than max_length=4"):
        s2s.encode(np.ones((1, 5), dtype=int))
    with pytest.raises(ValueError, match="decode with max_length ≤ 4"):
        s2s.greedy_decode(data.source_ids, 2, 3, max_length=6)

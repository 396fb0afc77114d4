"""Vocabulary, padding and the teacher-forcing shift (glassnet.seq2seq.vocabulary, .data)."""
import numpy as np
import pytest

from glassnet.seq2seq import (TranslationData, Vocabulary, pad_batch, prepare_translation_data,
                              teacher_forcing_split)

CORPUS = [["a", "dog", "runs"], ["a", "cat", "runs"], ["the", "dog", "sleeps"], ["a", "dog"]]
# counts: a 3, dog 3, runs 2, cat 1, the 1, sleeps 1 -> ids by count, ties first-seen first:
#   a 4, dog 5, runs 6, cat 7, the 8, sleeps 9


def test_reserved_ids_and_order():
    vocab = Vocabulary().fit(CORPUS)
    assert (vocab.pad_id, vocab.unknown_id, vocab.start_id, vocab.end_id) == (0, 1, 2, 3)
    assert vocab.get_vocabulary() == ["", "[UNK]", "[START]", "[END]", "a", "dog", "runs", "cat", "the", "sleeps"]
    assert len(vocab) == vocab.vocabulary_size == 10
    assert vocab.counts_["dog"] == 3


def test_max_tokens_and_min_frequency():
    assert Vocabulary(max_tokens=6).fit(CORPUS).get_vocabulary()[4:] == ["a", "dog"]
    assert Vocabulary(min_frequency=2).fit(CORPUS).get_vocabulary()[4:] == ["a", "dog", "runs"]
    assert Vocabulary(max_tokens=6, min_frequency=3).fit(CORPUS).get_vocabulary()[4:] == ["a", "dog"]


def test_encode_decode_round_trip():
    vocab = Vocabulary().fit(CORPUS)
    for sentence in CORPUS:
        ids = vocab.encode(sentence, add_start=True, add_end=True)
        assert ids[0] == 2 and ids[-1] == 3
        assert vocab.decode(ids) == sentence
    assert vocab.encode(["the", "cat", "flies"]) == [8, 7, 1]          # unknown word -> [UNK]
    assert vocab.decode([8, 7, 1]) == ["the", "cat", "[UNK]"]
    # decode stops at [END] and drops padding and [START]
    assert vocab.decode([2, 4, 0, 5, 3, 6, 6]) == ["a", "dog"]
    assert vocab.decode(np.array([[4, 5]])) == ["a", "dog"]
    assert vocab.decode_text([4, 5, 6, 3, 0, 0]) == "a dog runs"


def test_strings_use_the_word_tokenizer():
    vocab = Vocabulary().fit(["A dog runs.", "A cat sleeps."])
    # lower-cased word_tokenize: a 2, . 2, dog, runs, cat, sleeps
    assert vocab.get_vocabulary()[4:] == ["a", ".", "dog", "runs", "cat", "sleeps"]
    assert vocab.encode("A dog sleeps!", add_end=True) == [4, 6, 9, 1, 3]
    upper = Vocabulary(tokenizer=str.split).fit(["A dog", "a cat"])
    assert upper.get_vocabulary()[4:] == ["A", "dog", "a", "cat"]


def test_encode_batch_pads_at_the_end():
    vocab = Vocabulary().fit(CORPUS)
    batch = vocab.encode_batch([["a", "dog"], ["the", "cat", "runs"]], add_end=True)
    np.testing.assert_array_equal(batch, [[4, 5, 3, 0], [8, 7, 6, 3]])
    assert batch.dtype == np.int32
    np.testing.assert_array_equal(vocab.encode_batch([["the", "cat", "runs"]], max_length=2), [[8, 7]])


def test_config_round_trip():
    vocab = Vocabulary(max_tokens=8, min_frequency=1).fit(CORPUS)
    again = Vocabulary.from_config(vocab.get_config())
    assert again.get_vocabulary() == vocab.get_vocabulary()
    assert again.max_tokens == 8
    assert Vocabulary.from_tokens(["x", "y"]).encode(["y", "x", "z"]) == [5, 4, 1]


def test_pad_batch():
    np.testing.assert_array_equal(pad_batch([[5, 6, 7], [8]]), [[5, 6, 7], [8, 0, 0]])
    np.testing.assert_array_equal(pad_batch([[5, 6, 7], [8]], max_length=2), [[5, 6], [8, 0]])
    np.testing.assert_array_equal(pad_batch([[5], []], max_length=3, pad_id=9), [[5, 9, 9], [9, 9, 9]])


def test_teacher_forcing_shift():
    y = [[7, 8, 9], [5]]
    decoder_input, decoder_target = teacher_forcing_split(y, start_id=2, end_id=3)
    # input = [START] y,  target = y [END],  padded with 0 to the longest n + 1 = 4
    np.testing.assert_array_equal(decoder_input, [[2, 7, 8, 9], [2, 5, 0, 0]])
    np.testing.assert_array_equal(decoder_target, [[7, 8, 9, 3], [5, 3, 0, 0]])
    # a padded array gives the same; max_length keeps the end id
    again = teacher_forcing_split(np.array([[7, 8, 9], [5, 0, 0]]), 2, 3)
    np.testing.assert_array_equal(again[0], decoder_input)
    short_input, short_target = teacher_forcing_split(y, 2, 3, max_length=3)
    np.testing.assert_array_equal(short_input, [[2, 7, 8], [2, 5, 0]])
    np.testing.assert_array_equal(short_target, [[7, 8, 3], [5, 3, 0]])


def test_prepare_translation_data():
    source = Vocabulary().fit(CORPUS)
    german = [["ein", "hund"], ["eine", "katze", "läuft"]]
    target = Vocabulary().fit(german)
    data = prepare_translation_data([["a", "dog"], ["a", "cat", "runs"]], german, source, target)
    assert isinstance(data, TranslationData)
    np.testing.assert_array_equal(data.source_ids, [[4, 5, 0], [4, 7, 6]])
    np.testing.assert_array_equal(data.decoder_input_ids, [[2, 4, 5, 0], [2, 6, 7, 8]])
    np.testing.assert_array_equal(data.decoder_target_ids, [[4, 5, 3, 0], [6, 7, 8, 3]])
    np.testing.assert_array_equal(data.sample_weight, [[1, 1, 1, 0], [1, 1, 1, 1]])
    assert data.sample_weight.dtype == np.float32
    assert data.inputs[0] is data.source_ids and data.inputs[1] is data.decoder_input_ids


@pytest.mark.parametrize("kwargs, message", [({"max_tokens": 4}, "max_tokens"), ({"max_tokens": 2.5}, "max_tokens"),
                                             ({"min_frequency": 0}, "min_frequency"), ({"tokenizer": 3}, "tokenizer")])
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Vocabulary(**kwargs)


def test_errors():
    with pytest.raises(ValueError, match="empty"):
        Vocabulary().fit([])
    with pytest.raises(ValueError, match="list of sentences"):
        Vocabulary().fit("a dog runs")
    with pytest.raises(ValueError, match="reserved"):
        Vocabulary().fit([["a", "[END]"]])
    with pytest.raises(ValueError, match="fit"):
        Vocabulary().encode(["a"])
    with pytest.raises(ValueError, match="str or a list of str"):
        Vocabulary().fit([[1, 2]])
    vocab = Vocabulary().fit(CORPUS)
    with pytest.raises(ValueError, match=r"\[0, 10\)"):
        vocab.decode([4, 10])
    with pytest.raises(ValueError, match="distinct"):
        Vocabulary.from_tokens(["x", "x"])
    with pytest.raises(ValueError, match="already holds"):
        teacher_forcing_split([[2, 7]], 2, 3)
    with pytest.raises(ValueError, match="max_length"):
        teacher_forcing_split([[7]], 2, 3, max_length=1)
    with pytest.raises(ValueError, match="1-D sequence of int"):
        pad_batch([["a"]])
    with pytest.raises(ValueError, match="aligned"):
        prepare_translation_data([["a"]], [], vocab, vocab)

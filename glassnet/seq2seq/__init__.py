"""Sequence to sequence: translation with an encoder–decoder, and the ways to decode its output.

=====================  ==============================================================
file                   what
=====================  ==============================================================
vocabulary.py          Vocabulary: tokens ↔ ids with padding 0, [UNK] 1, [START] 2, [END] 3
data.py                pad_batch, teacher_forcing_split ([START] y → y [END]),
                       prepare_translation_data → TranslationData for ``fit``
models.py              EncoderDecoder (the ``encode``/``step`` extension point) and
                       LSTMEncoderDecoder (training graph + encoder/decoder-step models)
attention_models.py    BahdanauEncoderDecoder: Bidirectional-LSTM encoder, LSTM decoder,
                       additive attention (e_ij, α_ij, c_i) and its weights for heat maps
transformer_models.py  TransformerEncoderDecoder: N encoder and N decoder layers (causal
                       self-attention, cross-attention); ``step`` re-runs the decoder on
                       the prefix
decoding.py            greedy_decode, beam_search (length-normalised), score_sequences
state.py               repeat_state, select_state: the decoder state's rows (beam search)
=====================  ==============================================================

From sentence pairs to translations::

    from glassnet import seq2seq
    src_vocab = seq2seq.Vocabulary(max_tokens=8000).fit(source_sentences)
    tgt_vocab = seq2seq.Vocabulary(max_tokens=8000).fit(target_sentences)
    data = seq2seq.prepare_translation_data(source_sentences, target_sentences, src_vocab, tgt_vocab)
    s2s = seq2seq.LSTMEncoderDecoder(len(src_vocab), len(tgt_vocab), embedding_dim=128, units=256)
    s2s.model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    s2s.model.fit(data.inputs, data.decoder_target_ids, sample_weight=data.sample_weight, epochs=10)
    s2s.translate(["ein hund läuft ."], src_vocab, tgt_vocab, beam_width=5, length_penalty=0.6)
"""
from .attention_models import BahdanauEncoderDecoder
from .data import TranslationData, pad_batch, prepare_translation_data, teacher_forcing_split
from .decoding import beam_search, greedy_decode, length_normalized, score_sequences, top_k
from .models import EncoderDecoder, LSTMEncoderDecoder
from .state import repeat_state, select_state, state_batch_size
from .transformer_models import TransformerEncoderDecoder
from .vocabulary import END_TOKEN, PAD_TOKEN, RESERVED_TOKENS, START_TOKEN, UNKNOWN_TOKEN, Vocabulary

__all__ = ["Vocabulary", "PAD_TOKEN", "UNKNOWN_TOKEN", "START_TOKEN", "END_TOKEN", "RESERVED_TOKENS",
           "pad_batch", "teacher_forcing_split", "TranslationData", "prepare_translation_data",
           "EncoderDecoder", "LSTMEncoderDecoder", "BahdanauEncoderDecoder",
           "TransformerEncoderDecoder",
           "greedy_decode", "beam_search", "score_sequences", "top_k", "length_normalized",
           "repeat_state", "select_state", "state_batch_size"]

"""Encoder–decoder models: one trainable graph for teacher forcing, and the pieces to decode with.

An encoder–decoder translates x = x_1 … x_S into y = y_1 … y_n in two halves:

    encoder:  reads the whole source and summarises it in a state s_0 = encode(x)
    decoder:  one step per output word, P(y_t | y_<t, x), from its state and the previous word

Training (teacher forcing, ``glassnet.seq2seq.data``) runs the decoder over the true
[START] y_1 … y_n in one pass; decoding (``greedy_decode``, ``beam_search``) runs it one step
at a time on its own choices. Both must use the same weights and give the same
probabilities at the same position — ``step`` here calls the very layers the training
model was built from.

The extension point is ``EncoderDecoder``: a model is anything with

    encode(source_ids (batch, S)) -> state                 arrays with a leading batch axis
    step(tokens (batch,), state)  -> (log_probs (batch, vocab), state)

and the decoding methods come with it. What goes in the state is the model's own affair,
as long as every array in it has one row per sentence (beam search repeats and reorders
rows): the LSTM's [h, c]; for Bahdanau attention (a Bidirectional-LSTM encoder) also the
encoder's outputs (batch, S, 2u) and the source mask (batch, S), read by every step; for a
Transformer the encoder's memory and the target prefix so far (batch, t), the step
re-running the decoder on the prefix and returning its last position.
"""
from __future__ import annotations

import numpy as np

from .. import layers
from ..models import Model
from ..tensor import no_grad
from .decoding import beam_search, greedy_decode
from .state import to_numpy_state


class EncoderDecoder:
    """What a decoder needs from a translation model: ``encode`` and ``step``.

    A subclass implements ``encode`` and ``step`` (see the module docstring for the state
    each kind of model would carry) and may keep its trainable graph in ``self.model``;
    ``greedy_decode``, ``beam_search`` and ``translate`` work for every subclass alike.
    """

    def encode(self, source_ids):
        """The decoder's first state for a batch of source id sequences (batch, S)."""
        raise NotImplementedError(f"{type(self).__name__} must implement encode(source_ids) -> state, a nesting of "
                                  f"arrays with one row per source sentence")

    def step(self, tokens, state):
        """One decoder step: log P(y_t | y_<t, x) for every token, and the next state."""
        raise NotImplementedError(f"{type(self).__name__} must implement step(tokens (batch,), state) -> "
                                  f"(log_probs (batch, vocab), new_state)")

    def greedy_decode(self, source_ids, start_id, end_id, max_length):
        """``glassnet.seq2seq.greedy_decode`` from this model's encoding of ``source_ids``."""
        return greedy_decode(self.step, self.encode(source_ids), start_id, end_id, max_length)

    def beam_search(self, source_ids, start_id, end_id, max_length, beam_width=4, length_penalty=0.0):
        """``glassnet.seq2seq.beam_search`` from this model's encoding of ``source_ids``."""
        return beam_search(self.step, self.encode(source_ids), start_id, end_id, max_length, beam_width,
                           length_penalty)

    def translate(self, sentences, source_vocabulary, target_vocabulary, max_length=50, beam_width=1,
                  length_penalty=0.0, batch_size=64) -> list:
        """Sentences in, translated sentences out (str, tokens joined by spaces).

        Encodes with ``source_vocabulary``, decodes ``batch_size`` sentences at a time
        (greedy when beam_width is 1, else beam search), and maps the ids back with
        ``target_vocabulary.decode_text``.
        """
        out = []
        for begin in range(0, len(sentences), batch_size):
            source_ids = source_vocabulary.encode_batch(sentences[begin:begin + batch_size])
            start, end = target_vocabulary.start_id, target_vocabulary.end_id
            if beam_width == 1:
                ids = self.greedy_decode(source_ids, start, end, max_length)
            else:
                ids, _ = self.beam_search(source_ids, start, end, max_length, beam_width, length_penalty)
            out += [target_vocabulary.decode_text(row) for row in ids]
        return out


class LSTMEncoderDecoder(EncoderDecoder):
    """The LSTM encoder–decoder of Sutskever et al. (2014), without attention.

    Training graph (``self.model``, inputs [source_ids, decoder_input_ids]):

        source_ids (batch, S) → Embedding(mask_zero) → LSTM(units, return_state) → h_S, c_S
        decoder_input_ids (batch, T) → Embedding(mask_zero)
            → LSTM(units, return_sequences, initial_state=[h_S, c_S])
            → Dense(target_vocab_size, softmax) → P(y_t | y_<t, x), (batch, T, target vocab)

    Padding (id 0) is masked: the encoder's final state is that of the unpadded sentence.
    Train with ``model.compile(loss="sparse_categorical_crossentropy")`` and
    ``model.fit(data.inputs, data.decoder_target_ids, sample_weight=data.sample_weight)``
    (``prepare_translation_data``); the weights leave padded target positions out of the loss.

    Inference pieces, sharing the same layer objects (so the same, trained, weights):
        ``encoder_model``: source_ids → [h_S, c_S];
        ``decoder_model``: [token_ids (batch, 1), h, c] → [probs (batch, 1, vocab), h', c'];
        ``encode``/``step``: NumPy in and out, log-probabilities for the decoders.

    Args:
        source_vocab_size, target_vocab_size: the two Embeddings' input_dim (and the output
            layer's width), e.g. ``len(vocabulary)``.
        embedding_dim: the word vectors' length.
        units: the LSTMs' state size u.
        name: prefix of the layer names (so two models can live side by side).
    """

    def __init__(self, source_vocab_size, target_vocab_size, embedding_dim=64, units=128, name="seq2seq"):
        self.name = name
        self.source_embedding = layers.Embedding(source_vocab_size, embedding_dim, mask_zero=True,
                                                 name=f"{name}_source_embedding")
        self.encoder = layers.LSTM(units, return_state=True, name=f"{name}_encoder")
        self.target_embedding = layers.Embedding(target_vocab_size, embedding_dim, mask_zero=True,
                                                 name=f"{name}_target_embedding")
        self.decoder = layers.LSTM(units, return_sequences=True, return_state=True, name=f"{name}_decoder")
        self.output_layer = layers.Dense(target_vocab_size, activation="softmax", name=f"{name}_output")
        self._connect()

    @classmethod
    def from_model(cls, model, name="seq2seq") -> "LSTMEncoderDecoder":
        """Rebuild the inference pieces around a trained training graph (e.g. after
        ``glassnet.models.load_model``), finding its layers by their names."""
        self = cls.__new__(cls)
        self.name = name
        for attribute, suffix in (("source_embedding", "source_embedding"), ("encoder", "encoder"),
                                  ("target_embedding", "target_embedding"), ("decoder", "decoder"),
                                  ("output_layer", "output")):
            setattr(self, attribute, model.get_layer(f"{name}_{suffix}"))
        self._connect()
        return self

    def _connect(self) -> None:
        """Call the layers on symbolic inputs: the training graph and the two inference graphs."""
        units = self.encoder.units
        source_ids = layers.Input((None,), dtype="int32", name=f"{self.name}_source_ids")
        decoder_input_ids = layers.Input((None,), dtype="int32", name=f"{self.name}_decoder_input_ids")
        _, h, c = self.encoder(self.source_embedding(source_ids))
        sequence, _, _ = self.decoder(self.target_embedding(decoder_input_ids), initial_state=[h, c])
        self.model = Model([source_ids, decoder_input_ids], self.output_layer(sequence), name=self.name)
        self.encoder_model = Model(source_ids, [h, c], name=f"{self.name}_encoder_model")
        token_ids = layers.Input((1,), dtype="int32", name=f"{self.name}_token_ids")
        h_in = layers.Input((units,), name=f"{self.name}_h")
        c_in = layers.Input((units,), name=f"{self.name}_c")
        step_output, h_out, c_out = self.decoder(self.target_embedding(token_ids), initial_state=[h_in, c_in])
        self.decoder_model = Model([token_ids, h_in, c_in], [self.output_layer(step_output), h_out, c_out],
                                   name=f"{self.name}_decoder_model")

    def encode(self, source_ids):
        """[h_S, c_S], each (batch, units), of the padded source id sequences (batch, S)."""
        source_ids = np.asarray(source_ids)
        if source_ids.ndim != 2:
            raise ValueError(f"{type(self).__name__}.encode: source_ids must be (batch, length) ids, got shape "
                             f"{source_ids.shape}")
        with no_grad():
            return to_numpy_state(self.encoder_model(source_ids))

    def step(self, tokens, state):
        """log P(y_t | y_<t, x) (batch, target vocab) after feeding ``tokens`` (batch,), and [h, c]."""
        h, c = state
        with no_grad():
            probs, h, c = self.decoder_model([np.asarray(tokens).reshape(-1, 1), h, c])
        probs = probs.numpy()[:, 0]
        return np.log(np.maximum(probs, np.finfo(probs.dtype).tiny)), [h.numpy(), c.numpy()]


__all__ = ["EncoderDecoder", "LSTMEncoderDecoder"]

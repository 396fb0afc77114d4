"""The encoder–decoder with Bahdanau (additive) attention: the decoder looks back at every source word.

The LSTM encoder–decoder (``LSTMEncoderDecoder``) squeezes the whole source into one state
[h_S, c_S]; long sentences lose detail. Bahdanau, Cho & Bengio (2015) keep every encoder
state h_j and let each decoder step i choose which to read:

    e_ij = vᵀ · tanh(W·s_i + U·h_j)         alignment score of target position i with source word j
    α_ij = exp(e_ij) / Σ_k exp(e_ik)         attention weights: α_ij ≥ 0, Σ_j α_ij = 1 (real j only)
    c_i  = Σ_j α_ij · h_j                    context vector: a weighted mean of the encoder states
    h̃_i = tanh(W_c · [c_i ; s_i] + b_c)      the attentional state (Luong et al., 2015)
    P(y_i | y_<i, x) = softmax(W_o · h̃_i + b_o)

Here s_i is the decoder LSTM's output at position i (after reading y_{i−1}), so the query is
the current state (the "decoder outputs" form of Luong et al., 2015, with Bahdanau's
additive score); the original paper scores with s_{i−1} and feeds c_i into the LSTM.
The tanh layer h̃_i brings [c_i ; s_i] (3u numbers) down to u before the vocabulary-wide
softmax layer, the largest matrix of the model (3× fewer multiplications there).
Batched over a sentence (``AdditiveAttention``): E[b, i, j] = Σ_d v_d·tanh(Q[b, i, d] + K[b, j, d])
with Q = S·W (batch, T, a) and K = H·U (batch, S, a), so E is (batch, T, S);
A = softmax_j(E) with the padded source words masked out; C = A·H (batch, T, 2u).
"""
from __future__ import annotations

import numpy as np

from .. import layers
from ..models import Model
from ..tensor import no_grad
from .models import EncoderDecoder
from .state import to_numpy_state

_LAYERS = (("source_embedding", "source_embedding"), ("encoder", "encoder"), ("bridge_h", "bridge_h"),
           ("bridge_c", "bridge_c"), ("target_embedding", "target_embedding"), ("decoder", "decoder"),
           ("query_projection", "query_projection"), ("key_projection", "key_projection"),
           ("attention", "attention"), ("concatenate", "concatenate"), ("combine", "combine"),
           ("dropout", "dropout"), ("output_layer", "output"))


class BahdanauEncoderDecoder(EncoderDecoder):
    """A Bidirectional-LSTM encoder, an LSTM decoder and additive attention between them.

    Training graph (``self.model``, inputs [source_ids, decoder_input_ids]):

        source_ids (batch, S) → Embedding(mask_zero) → Dropout
            → Bidirectional(LSTM(u, return_sequences, return_state))
            → H = [→h_j ; ←h_j] (batch, S, 2u), and the final states →h_S, →c_S, ←h_1, ←c_1
        bridge (the two directions' states merged into the decoder's first state):
            s_0 = tanh(W_s·[→h_S ; ←h_1] + b_s),   m_0 = W_m·[→c_S ; ←c_1] + b_m    (Dense(u) each)
        decoder_input_ids (batch, T) → Embedding(mask_zero) → Dropout → LSTM(u, return_sequences,
            initial_state=[s_0, m_0]) → s_i (batch, T, u)
        attention: query W·s_i (Dense(a), ``query_projection``), key U·h_j (Dense(a, no bias),
            ``key_projection``), value h_j; ``AdditiveAttention`` (its ``scale`` is v) gives
            c_i (batch, T, 2u) and α (batch, T, S), the padded source words masked
        [c_i ; s_i] (batch, T, 3u) → Dense(u, tanh) → h̃_i → Dropout → Dense(target vocab, softmax)
            → P(y_i | y_<i, x)

    Train as ``LSTMEncoderDecoder``: ``model.compile(loss="sparse_categorical_crossentropy")``
    and ``model.fit(data.inputs, data.decoder_target_ids, sample_weight=data.sample_weight)``.
    The output carries the target padding mask (``Concatenate`` merges the context's and the
    decoder's masks, as in Keras), so the loss is the mean over real target tokens, as for
    ``LSTMEncoderDecoder``.

    Inference pieces, sharing the same layer objects (so the same, trained, weights):
        ``encoder_model``: source_ids → [s_0, m_0, H, U·H];
        ``decoder_model``: [token_ids (batch, 1), s, m, H, U·H, source_mask (batch, S)]
            → [probs (batch, 1, vocab), s', m', α (batch, 1, S)];
        ``attention_model``: [source_ids, decoder_input_ids] → α (batch, T, S), the weights of
            the teacher-forced pass (for a heat map; ``attention_weights``).
        ``encode``/``step``: NumPy in and out; the state is [s, m, H, U·H, source_mask], so the
            keys U·h_j are projected once per sentence, not once per step.

    Args:
        source_vocab_size, target_vocab_size: the Embeddings' input_dim (and the output width).
        embedding_dim: the word vectors' length.
        units: u, the state size of each encoder direction and of the decoder.
        attention_dim: a, the size of the projected query and keys (default ``units``).
        dropout: rate of a ``Dropout`` on both embeddings' outputs and on h̃ (training only; 0).
        name: prefix of the layer names (so two models can live side by side).
    """

    def __init__(self, source_vocab_size, target_vocab_size, embedding_dim=64, units=128, attention_dim=None,
                 dropout=0.0, name="bahdanau"):
        self.name = name
        attention_dim = units if attention_dim is None else attention_dim
        self.source_embedding = layers.Embedding(source_vocab_size, embedding_dim, mask_zero=True,
                                                 name=f"{name}_source_embedding")
        self.encoder = layers.Bidirectional(layers.LSTM(units, return_sequences=True, return_state=True),
                                            name=f"{name}_encoder")
        self.bridge_h = layers.Dense(units, activation="tanh", name=f"{name}_bridge_h")
        self.bridge_c = layers.Dense(units, name=f"{name}_bridge_c")
        self.target_embedding = layers.Embedding(target_vocab_size, embedding_dim, mask_zero=True,
                                                 name=f"{name}_target_embedding")
        self.decoder = layers.LSTM(units, return_sequences=True, return_state=True, name=f"{name}_decoder")
        self.query_projection = layers.Dense(attention_dim, name=f"{name}_query_projection")
        self.key_projection = layers.Dense(attention_dim, use_bias=False, name=f"{name}_key_projection")
        self.attention = layers.AdditiveAttention(name=f"{name}_attention")
        self.concatenate = layers.Concatenate(name=f"{name}_concatenate")
        self.combine = layers.Dense(units, activation="tanh", name=f"{name}_combine")
        self.dropout = layers.Dropout(dropout, name=f"{name}_dropout")
        self.output_layer = layers.Dense(target_vocab_size, activation="softmax", name=f"{name}_output")
        self._connect()

    @classmethod
    def from_model(cls, model, name="bahdanau") -> "BahdanauEncoderDecoder":
        """Rebuild the inference pieces around a trained training graph (e.g. after
        ``glassnet.models.load_model``), finding its layers by their names."""
        self = cls.__new__(cls)
        self.name = name
        names = {layer.name for layer in model.layers}
        for attribute, suffix in _LAYERS:
            if attribute == "dropout" and f"{name}_dropout" not in names:   # a model saved without one
                self.dropout = layers.Dropout(0.0, name=f"{name}_dropout")
            else:
                setattr(self, attribute, model.get_layer(f"{name}_{suffix}"))
        self._connect()
        return self

    def _attend(self, decoder_sequence, values, keys, source_mask=None):
        """P(y_i | y_<i, x) and α_i for the decoder outputs s_i; ``source_mask`` None takes the values' own mask."""
        query = self.query_projection(decoder_sequence)
        mask = None if source_mask is None else [None, source_mask, source_mask]
        context, weights = self.attention([query, values, keys], mask=mask, return_attention_scores=True)
        attentional = self.combine(self.concatenate([context, decoder_sequence]))
        return self.output_layer(self.dropout(attentional)), weights

    def _connect(self) -> None:
        """Call the layers on symbolic inputs: the training graph and the inference graphs."""
        name, units = self.name, self.decoder.units
        source_ids = layers.Input((None,), dtype="int32", name=f"{name}_source_ids")
        decoder_input_ids = layers.Input((None,), dtype="int32", name=f"{name}_decoder_input_ids")
        source_vectors = self.dropout(self.source_embedding(source_ids))
        values, forward_h, forward_c, backward_h, backward_c = self.encoder(source_vectors)
        s0 = self.bridge_h(layers.concatenate([forward_h, backward_h]))
        m0 = self.bridge_c(layers.concatenate([forward_c, backward_c]))
        keys = self.key_projection(values)
        decoder_inputs = self.dropout(self.target_embedding(decoder_input_ids))
        sequence, _, _ = self.decoder(decoder_inputs, initial_state=[s0, m0])
        probs, weights = self._attend(sequence, values, keys)
        self.model = Model([source_ids, decoder_input_ids], probs, name=name)
        self.attention_model = Model([source_ids, decoder_input_ids], weights, name=f"{name}_attention_model")
        self.encoder_model = Model(source_ids, [s0, m0, values, keys], name=f"{name}_encoder_model")

        token_ids = layers.Input((1,), dtype="int32", name=f"{name}_token_ids")
        s_in = layers.Input((units,), name=f"{name}_s")
        m_in = layers.Input((units,), name=f"{name}_m")
        values_in = layers.Input((None, values.shape[-1]), name=f"{name}_values")
        keys_in = layers.Input((None, keys.shape[-1]), name=f"{name}_keys")
        mask_in = layers.Input((None,), name=f"{name}_source_mask")
        step_output, s_out, m_out = self.decoder(self.dropout(self.target_embedding(token_ids)),
                                                 initial_state=[s_in, m_in])
        step_probs, step_weights = self._attend(step_output, values_in, keys_in, mask_in)
        self.decoder_model = Model([token_ids, s_in, m_in, values_in, keys_in, mask_in],
                                   [step_probs, s_out, m_out, step_weights], name=f"{name}_decoder_model")

    @staticmethod
    def _source_ids(owner: str, source_ids) -> np.ndarray:
        source_ids = np.asarray(source_ids)
        if source_ids.ndim != 2 or not np.issubdtype(source_ids.dtype, np.integer):
            raise ValueError(f"{owner}: source_ids must be a (batch, length) array of int ids, got shape "
                             f"{source_ids.shape} and dtype {source_ids.dtype}")
        return source_ids

    def encode(self, source_ids):
        """[s_0, m_0, H, U·H, source_mask] of the padded source id sequences (batch, S)."""
        source_ids = self._source_ids(f"{type(self).__name__}.encode", source_ids)
        with no_grad():
            state = to_numpy_state(self.encoder_model(source_ids))
        return state + [(source_ids != 0).astype(state[0].dtype)]

    def step(self, tokens, state):
        """log P(y_i | y_<i, x) (batch, target vocab) after feeding ``tokens`` (batch,), and the state."""
        probs, state, _ = self._decoder_step(tokens, state)
        return np.log(np.maximum(probs, np.finfo(probs.dtype).tiny)), state

    def _decoder_step(self, tokens, state):
        """(probs (batch, vocab), the next state, α (batch, S)) of one decoder step."""
        s, m, values, keys, source_mask = state
        with no_grad():
            probs, s, m, weights = self.decoder_model([np.asarray(tokens).reshape(-1, 1), s, m, values, keys,
                                                       source_mask])
        return probs.numpy()[:, 0], [s.numpy(), m.numpy(), values, keys, source_mask], weights.numpy()[:, 0]

    def attention_weights(self, source_ids, decoder_input_ids) -> np.ndarray:
        """α (batch, T, S) of the teacher-forced pass: row i is where target position i looked.

        Give ``decoder_input_ids`` = [START] y_1 … y_n (e.g. ``teacher_forcing_split`` of a
        reference, or of the model's own translation): row i is then the attention with which
        y_{i+1} (or [END]) was predicted. Each row sums to 1 over the real source words and is
        0 at padded ones.
        """
        source_ids = self._source_ids(f"{type(self).__name__}.attention_weights", source_ids)
        with no_grad():
            return self.attention_model([source_ids, np.asarray(decoder_input_ids)]).numpy()

    def translate_with_attention(self, source_ids, start_id, end_id, max_length):
        """Greedy translations and the attention weights with which each token was chosen.

        Returns:
            A list with, per sentence, ``(ids, alpha)``: the emitted ids (ending with
            ``end_id`` unless ``max_length`` was reached) and alpha (len(ids), S), row i the
            α of the step that emitted ids[i].
        """
        source_ids = self._source_ids(f"{type(self).__name__}.translate_with_attention", source_ids)
        state = self.encode(source_ids)
        tokens = np.full(len(source_ids), start_id, dtype=np.int32)
        emitted, alphas = [], []
        finished = np.zeros(len(source_ids), dtype=bool)
        for _ in range(max_length):
            probs, state, weights = self._decoder_step(tokens, state)
            tokens = np.where(finished, end_id, probs.argmax(axis=1)).astype(np.int32)
            emitted.append(tokens)
            alphas.append(weights)
            finished |= tokens == end_id
            if finished.all():
                break
        emitted, alphas = np.stack(emitted, axis=1), np.stack(alphas, axis=1)
        out = []
        for row, alpha in zip(emitted, alphas):
            ends = np.flatnonzero(row == end_id)
            n = ends[0] + 1 if ends.size else len(row)
            out.append((row[:n].tolist(), alpha[:n]))
        return out


__all__ = ["BahdanauEncoderDecoder"]

"""Attention: dot-product (Luong-style) attention over a query and a value sequence."""
from __future__ import annotations

from ... import ops
from ...ops.attention import masked_softmax, scaled_dot_product_attention
from ..base import Layer
from ..regularization.dropout import random_generator
from .masks import apply_dropout, as_mask, causal_mask, check_dropout, combine_masks, dropout_mask

SCORE_MODES = ("dot", "concat")


class Attention(Layer):
    """Dot-product attention, a.k.a. Luong-style attention (Luong et al., 2015).

    Formula, for query q_i (the course's decoder state s_i) and keys k_j = h_j::

        e_ij = q_i · k_jᵀ                          score_mode="dot"  (× scale if use_scale)
        e_ij = w · Σ_d tanh(q_id + k_jd)           score_mode="concat" (tanh(scale·(q + k)) if use_scale)
        α_ij = exp(e_ij) / Σ_k exp(e_ik)           α_ij ≥ 0,  Σ_j α_ij = 1
        c_i  = Σ_j α_ij · v_j

    Batched: E = Q·Kᵀ (batch, Tq, Tv), A = softmax(E), C = A·V (batch, Tq, dim); the dot path
    runs as one fused op (``ops.scaled_dot_product_attention``). Unlike ``MultiHeadAttention``
    there is no 1/√d scaling (CONVENTIONS.md, "Attention"), and no projection: the query and the
    keys must have the same feature size.

    Masks (Keras's rules): a value mask (batch, Tv) removes padded keys by lowering their
    scores by 1e9 (a query whose keys are all masked falls back to the unmasked softmax, as in
    Keras); ``use_causal_mask`` lets query i see only keys j ≤ i; a query mask (batch, Tq) sets
    the output rows of padded queries to 0 and is passed on as the output's mask.

    Args:
        use_scale: learn a scalar ``scale`` (initialised to 1) multiplying the scores.
        score_mode: "dot" or "concat" (the latter also learns ``concat_score_weight`` w, init 1).
        dropout: fraction of the attention weights dropped in training, in [0, 1).
        seed: int for a layer-owned random stream of the dropout; None uses ``backend.rng()``.

    Call arguments:
        inputs: ``[query, value]`` or ``[query, value, key]`` (value second; key defaults to
            value): query (batch, Tq, dim), value (batch, Tv, dim_v), key (batch, Tv, dim).
        mask: ``[query_mask, value_mask]`` (boolean (batch, Tq) and (batch, Tv)); taken from
            the inputs' masks when not given.
        return_attention_scores: also return A (batch, Tq, Tv) (after masking and softmax,
            before dropout).
        training: whether dropout is applied.
        use_causal_mask: mask every key j > i for query i (decoder self-attention).

    Output shape:
        (batch, Tq, dim_v); with ``return_attention_scores``, also (batch, Tq, Tv).
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if score_mode not in SCORE_MODES:
            raise ValueError(f"{type(self).__name__}: score_mode must be one of {SCORE_MODES}, got {score_mode!r}")
        self.use_scale = bool(use_scale)
        self.score_mode = score_mode
        self.dropout = check_dropout(type(self).__name__, dropout)
        self.seed = seed
        self.seed_generator = random_generator(seed)

    def _check_inputs(self, inputs, mask=None):
        """Keras's validation: a list of 2 or 3 inputs, a list of 2 or 3 masks."""
        if (not isinstance(inputs, (list, tuple)) or not 2 <= len(inputs) <= 3
                or not all(isinstance(x, (tuple, list)) or hasattr(x, "shape") for x in inputs)):
            got = f"a list of {len(inputs)}" if isinstance(inputs, list) else type(inputs).__name__
            raise ValueError(f"{self.name}: call the layer on a list [query, value] or [query, value, key], got {got}")
        if mask is not None and (not isinstance(mask, (list, tuple)) or not 2 <= len(mask) <= 3):
            raise ValueError(f"{self.name}: mask must be a list [query_mask, value_mask], got {mask!r}")
        shapes = [tuple(x) if isinstance(x, (tuple, list)) else tuple(x.shape) for x in inputs]
        query, value = shapes[0], shapes[1]
        key = shapes[2] if len(shapes) > 2 else value
        if any(len(s) != 3 for s in shapes):
            raise ValueError(f"{self.name}: query, value and key must be 3-D (batch, time, dim), got shapes {shapes}")
        if key[1] is not None and value[1] is not None and key[1] != value[1]:
            raise ValueError(f"{self.name}: key and value must have the same length Tv, got shapes {key} and {value}")
        if query[-1] != key[-1]:
            raise ValueError(f"{self.name}: the query's feature size ({query[-1]}) must equal the "
                             f"{'key' if len(shapes) > 2 else 'value'}'s ({key[-1]}): the scores are q·k over it")
        return query, value, key

    def build(self, input_shape):
        self._check_inputs(input_shape)
        self.scale = self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(shape=(), initializer="ones", name="scale")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(shape=(), initializer="ones", name="concat_score_weight")

    def _scores(self, query, key):
        """E (batch, Tq, Tv) for the concat form: w · Σ_d tanh(scale·(q_i + k_j))."""
        pairs = ops.add(ops.expand_dims(query, -2), ops.expand_dims(key, -3))      # (batch, Tq, Tv, dim)
        if self.scale is not None:
            pairs = ops.mul(pairs, self.scale)
        return ops.mul(ops.sum(ops.tanh(pairs), axis=-1), self.concat_score_weight)

    def _masks(self, query, value, mask, use_causal_mask):
        """The (query mask, score mask) of the call, checked against the inputs' shapes."""
        query_mask = value_mask = None
        if mask is not None:
            query_mask = as_mask(self.name, "query_mask", mask[0], query.shape[:2])
            value_mask = as_mask(self.name, "value_mask", mask[1], value.shape[:2])
        causal = causal_mask(query.shape[1], value.shape[1]) if use_causal_mask else None
        return query_mask, combine_masks(value_mask=value_mask, causal=causal)

    def call(self, inputs, mask=None, training=None, return_attention_scores=False, use_causal_mask=False):
        self._check_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        query_mask, scores_mask = self._masks(query, value, mask, use_causal_mask)
        drop = dropout_mask(self.dropout, self.seed_generator, training, (*query.shape[:-1], value.shape[1]),
                            query.dtype)
        weights = None
        if self.score_mode == "dot":                  # one fused op (the weights too, when asked for)
            scaled_query = query if self.scale is None else ops.mul(query, self.scale)    # (q·s)·kᵀ = (q·kᵀ)·s
            output = scaled_dot_product_attention(scaled_query, key, value, mask=scores_mask, scale=1.0,
                                                  mask_mode="subtract", dropout_mask=drop,
                                                  return_weights=return_attention_scores)
            if return_attention_scores:
                output, weights = output
        else:                                         # concat here, additive in AdditiveAttention
            weights = masked_softmax(self._scores(query, key), scores_mask, mask_mode="subtract")
            output = ops.matmul(apply_dropout(weights, drop), value)
        if query_mask is not None:
            output = ops.where(query_mask[..., None], output, 0.0)
        return (output, weights) if return_attention_scores else output

    def compute_mask(self, inputs, previous_mask=None):
        """The output keeps the query's mask (the first of ``[query_mask, value_mask]``)."""
        if not previous_mask or previous_mask[0] is None:
            return None
        mask = previous_mask[0]
        return mask.data if hasattr(mask, "data") else mask

    def compute_output_shape(self, input_shape):
        query, value, _ = self._check_inputs(input_shape)
        return (*query[:-1], value[-1])

    def get_config(self) -> dict:
        return {**super().get_config(), "use_scale": self.use_scale, "score_mode": self.score_mode,
                "dropout": self.dropout, "seed": self.seed}

"""AdditiveAttention: Bahdanau-style attention, scores from tanh of a sum."""
from __future__ import annotations

from ... import ops
from .attention import Attention


class AdditiveAttention(Attention):
    """Additive attention, a.k.a. Bahdanau-style attention (Bahdanau et al., 2015).

    The course's form, for the decoder state s_{i−1} and the encoder states h_j::

        e_ij = vᵀ · tanh(W·s_{i−1} + U·h_j)
        α_ij = exp(e_ij) / Σ_k exp(e_ik)        so that  α_ij ≥ 0  and  Σ_j α_ij = 1
        c_i  = Σ_j α_ij · h_j

    Keras's layer (and this one) has no projection matrices W, U — project the inputs with
    ``Dense`` layers first if you want them (CONVENTIONS.md, "Attention") — and v is the
    learned ``scale`` vector::

        e_ij = Σ_d scale_d · tanh(q_id + k_jd)      (scale = 1 when use_scale=False)

    Batched: the sum q_i + k_j is formed for every pair, (batch, Tq, Tv, dim), then reduced
    over dim to E (batch, Tq, Tv); A = softmax(E) with the masks of ``Attention``; C = A·V.

    Args:
        use_scale: learn the vector ``scale`` (dim,), glorot-uniform initialised (default True).
        dropout: fraction of the attention weights dropped in training, in [0, 1).
        seed: int for a layer-owned random stream of the dropout; None uses ``backend.rng()``.

    Call arguments, masks and shapes: as ``Attention`` (query and key must have the same
    feature size dim).
    """

    def __init__(self, use_scale=True, dropout=0.0, seed=None, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, seed=seed, **kwargs)
        self.score_mode = "additive"

    def build(self, input_shape):
        query, _, _ = self._check_inputs(input_shape)
        self.scale = None
        if self.use_scale:
            self.scale = self.add_weight(shape=(query[-1],), initializer="glorot_uniform", name="scale")

    def _scores(self, query, key):
        """E (batch, Tq, Tv) = Σ_d scale_d · tanh(q_id + k_jd)."""
        pairs = ops.tanh(ops.add(ops.expand_dims(query, -2), ops.expand_dims(key, -3)))    # (batch, Tq, Tv, dim)
        if self.scale is not None:
            pairs = ops.mul(pairs, self.scale)
        return ops.sum(pairs, axis=-1)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["score_mode"]
        return config

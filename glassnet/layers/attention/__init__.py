"""Attention layers: α_ij = softmax_j(e_ij), c_i = Σ_j α_ij·v_j with three kinds of score e_ij.

=========================  ===============================================================
file                       layers
=========================  ===============================================================
attention.py               Attention (Luong: e_ij = q_i·k_jᵀ, or the "concat" tanh form)
additive_attention.py      AdditiveAttention (Bahdanau: e_ij = Σ scale·tanh(q_i + k_j))
multi_head_attention.py    MultiHeadAttention (H heads of e_ij = Q_i·K_jᵀ/√d_k on projections)
masks.py                   the masks they share: padding, causal, combined as Keras does
=========================  ===============================================================
"""
from .additive_attention import AdditiveAttention
from .attention import Attention
from .multi_head_attention import MultiHeadAttention

__all__ = ["Attention", "AdditiveAttention", "MultiHeadAttention"]

"""Transformer layers (Vaswani et al., 2017): the blocks and the position information they need.

=========================  ===============================================================
file                       layers
=========================  ===============================================================
positional_embedding.py    PositionEmbedding (learned P[t]), SinePositionEncoding
                           (PE(pos, 2i) = sin(pos/10000^(2i/d)), PE(pos, 2i+1) = cos(…)),
                           TokenAndPositionEmbedding (E[id_t] + P[t])
block.py                   what the two blocks share: Add & Norm around each sublayer
                           (post-norm LN(x + F(x)) or pre-norm x + F(LN(x))), the
                           feed-forward network FFN(x) = max(0, x·W₁ + b₁)·W₂ + b₂, key masks
transformer_encoder.py     TransformerEncoderLayer (self-attention → FFN)
transformer_decoder.py     TransformerDecoderLayer (causal self-attention → cross-attention
                           to the encoder → FFN)
=========================  ===============================================================
"""
from .positional_embedding import PositionEmbedding, SinePositionEncoding, TokenAndPositionEmbedding
from .transformer_decoder import TransformerDecoderLayer
from .transformer_encoder import TransformerEncoderLayer

__all__ = ["PositionEmbedding", "SinePositionEncoding", "TokenAndPositionEmbedding", "TransformerEncoderLayer",
           "TransformerDecoderLayer"]

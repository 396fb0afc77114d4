"""TransformerEncoderLayer: self-attention and a feed-forward network, each with a residual and LayerNorm."""
from __future__ import annotations

from .block import TransformerBlock


class TransformerEncoderLayer(TransformerBlock):
    """One encoder layer of "Attention is all you need" (Vaswani et al., 2017, §3.1).

    Formula, for x of shape (batch, T, d_model), post-norm (``normalize_first=False``, the paper
    and PyTorch's default)::

        x' = LayerNorm(x + Dropout(MHA(x, x, x)))          self-attention: each position reads all
        y  = LayerNorm(x' + Dropout(FFN(x')))              FFN(x) = max(0, x·W₁ + b₁)·W₂ + b₂

    and pre-norm (``normalize_first=True``)::

        x' = x + Dropout(MHA(LayerNorm(x), LayerNorm(x), LayerNorm(x)))
        y  = x' + Dropout(FFN(LayerNorm(x')))

    MHA has H = num_heads heads of key_dim = d_model / H (``MultiHeadAttention``, its dropout
    on the attention weights at the same rate). Built from the public layers — one
    ``MultiHeadAttention``, two ``LayerNormalization``, two ``Dense``, two ``Dropout`` — as
    keras_hub's ``TransformerEncoder``, whose arguments and defaults it takes; it computes what
    PyTorch's ``nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout,
    batch_first=True, norm_first=...)`` computes from the same weights (the tests check that),
    except that PyTorch also drops out the FFN's hidden layer (keras_hub does not; no
    difference at dropout 0 or at inference).

    Masks: ``padding_mask`` (batch, T), True at real tokens — by default the input's own mask
    (``Embedding(mask_zero=True)``) — hides the padded keys from every query;
    ``attention_mask`` (batch, T, T) further limits which key j query i may see. Padded
    positions still get an output (computed from the real tokens); the output carries the
    input's mask, so masked pooling or a masked loss ignores them.

    Args:
        intermediate_dim: d_ff, the feed-forward network's hidden width.
        num_heads: H; must divide d_model.
        dropout: the rate of every dropout (default 0).
        activation: the FFN's activation (default "relu").
        layer_norm_epsilon: ε of the LayerNorms (default 1e-5).
        kernel_initializer, bias_initializer: of the projections ("glorot_uniform", "zeros").
        normalize_first: pre-norm when True (default False: post-norm).

    Call arguments:
        inputs: (batch, T, d_model).  padding_mask: (batch, T) boolean.
        attention_mask: (batch, T, T) boolean, True where query i may attend to key j.
        training: whether dropout is applied.

    Input shape:
        (batch, T, d_model). Output shape: the same. Weights, in order: the attention's
        (query, key, value, output kernels and biases), the self-attention LayerNorm's gamma and
        beta, the feed-forward LayerNorm's, then W₁, b₁, W₂, b₂.

    Raises:
        ValueError: when num_heads does not divide d_model, for an input that is not
            (batch, T, d) or does not fit the built weights, or masks of the wrong shape.
    """

    def build(self, input_shape):
        d_model = self._model_dim(input_shape)
        self.self_attention = self._attention("self_attention", d_model)
        self.self_attention_layer_norm = self._layer_norm("self_attention_layer_norm")
        self.self_attention_dropout = self._dropout("self_attention_dropout")
        self._make_feedforward(d_model)
        self.self_attention.build(input_shape, input_shape)
        self.self_attention_layer_norm.build_once(input_shape)
        self._build_feedforward(input_shape)

    def call(self, inputs, padding_mask=None, attention_mask=None, training=None):
        d_model = self._model_dim(inputs.shape)
        if d_model != self.self_attention.query_kernel.shape[0]:
            raise ValueError(f"{self.name}: built for d_model={self.self_attention.query_kernel.shape[0]}, got inputs "
                             f"of shape {inputs.shape}")
        masks = self._key_masks(inputs, inputs, padding_mask, attention_mask, "padding_mask", "attention_mask")

        def self_attention(h):
            return self.self_attention(h, h, training=training, **masks)

        x = self._residual(inputs, self_attention, self.self_attention_layer_norm, self.self_attention_dropout,
                           training)
        return self._feedforward(x, training)

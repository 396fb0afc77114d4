"""TransformerDecoderLayer: causal self-attention, cross-attention to the encoder, and a feed-forward
network, each with a residual and LayerNorm."""
from __future__ import annotations

from .block import TransformerBlock


class TransformerDecoderLayer(TransformerBlock):
    """One decoder layer of "Attention is all you need" (Vaswani et al., 2017, §3.1).

    Formula, for the decoder sequence x (batch, T, d_model) and the encoder's output z
    (batch, S, d_z), post-norm (``normalize_first=False``, the paper and PyTorch's default)::

        x'  = LayerNorm(x + Dropout(MHA_self(x, x, x, causal)))     position t reads positions ≤ t
        x'' = LayerNorm(x' + Dropout(MHA_cross(x', z, z)))           every position reads the encoder
        y   = LayerNorm(x'' + Dropout(FFN(x'')))                     FFN(x) = max(0, x·W₁ + b₁)·W₂ + b₂

    and pre-norm (``normalize_first=True``): each line becomes h + Dropout(F(LayerNorm(h))),
    e.g. x' = x + Dropout(MHA_self(LN(x), LN(x), LN(x), causal)) — the cross-attention
    normalises its query x' only, not z.

    The causal mask M_ij = [j ≤ i] makes the output at position t independent of the tokens
    after t, so the decoder can be trained on whole target sequences (teacher forcing) and run
    one token at a time. Called without ``encoder_sequence`` on its first call, the layer has no
    cross-attention and is a decoder-only (GPT-style) block. The residual and feed-forward
    sublayers are the encoder's (``block.TransformerBlock``); the arguments and call follow
    keras_hub's ``TransformerDecoder`` and compute what PyTorch's ``nn.TransformerDecoderLayer``
    computes from the same weights (the tests check that; PyTorch also drops out the FFN's
    hidden layer, which makes no difference at dropout 0 or at inference).

    Args:
        intermediate_dim, num_heads, dropout, activation, layer_norm_epsilon, kernel_initializer,
        bias_initializer, normalize_first: as ``TransformerEncoderLayer``.

    Call arguments:
        decoder_sequence: x (batch, T, d_model).
        encoder_sequence: z (batch, S, d_z), or None for a decoder-only layer.
        decoder_padding_mask: (batch, T) boolean, True at real tokens (default: x's own mask);
            hides padded decoder positions as keys of the self-attention.
        decoder_attention_mask: (batch, T, T), further limits the self-attention.
        encoder_padding_mask: (batch, S) (default: z's own mask); hides padded encoder steps.
        encoder_attention_mask: (batch, T, S), further limits the cross-attention.
        use_causal_mask: apply M_ij = [j ≤ i] in the self-attention (default True).
        training: whether dropout is applied.

    Input shape:
        x (batch, T, d_model), z (batch, S, d_z). Output shape: (batch, T, d_model), carrying
        x's mask. Weights, in order: self-attention, its LayerNorm, cross-attention, its
        LayerNorm, the feed-forward LayerNorm, W₁, b₁, W₂, b₂.

    Raises:
        ValueError: when num_heads does not divide d_model, for inputs of the wrong rank or
            width, masks of the wrong shape, or an encoder_sequence given to a layer built
            without one (or missing for a layer built with one).
    """

    def build(self, decoder_sequence_shape, encoder_sequence_shape=None):
        """Create the sublayers and their weights; the cross-attention's only when the encoder's
        shape is known (here, or at the first call with an ``encoder_sequence``)."""
        d_model = self._model_dim(decoder_sequence_shape)
        self.self_attention = self._attention("self_attention", d_model)
        self.self_attention_layer_norm = self._layer_norm("self_attention_layer_norm")
        self.self_attention_dropout = self._dropout("self_attention_dropout")
        self.cross_attention = self._attention("cross_attention", d_model)
        self.cross_attention_layer_norm = self._layer_norm("cross_attention_layer_norm")
        self.cross_attention_dropout = self._dropout("cross_attention_dropout")
        self._make_feedforward(d_model)
        self.self_attention.build(decoder_sequence_shape, decoder_sequence_shape)
        self.self_attention_layer_norm.build_once(decoder_sequence_shape)
        self._build_feedforward(decoder_sequence_shape)
        if encoder_sequence_shape is not None:
            self._build_cross_attention(decoder_sequence_shape, encoder_sequence_shape)
        self._build_input_shape = decoder_sequence_shape
        self.built = True

    build._marks_built = True   # Keras's two-shape signature: not wrapped by Layer.__init_subclass__

    def _build_cross_attention(self, decoder_shape, encoder_shape) -> None:
        if len(encoder_shape) != 3 or encoder_shape[-1] is None:
            raise ValueError(f"{self.name}: encoder_sequence must have shape (batch, S, features), got shape "
                             f"{tuple(encoder_shape)}")
        self.cross_attention.build(decoder_shape, encoder_shape)
        self.cross_attention_layer_norm.build_once(decoder_shape)

    @property
    def has_cross_attention(self) -> bool:
        return self.built and self.cross_attention.built

    def call(self, decoder_sequence, encoder_sequence=None, decoder_padding_mask=None, decoder_attention_mask=None,
             encoder_padding_mask=None, encoder_attention_mask=None, use_causal_mask=True, training=None):
        x = decoder_sequence
        d_model = self._model_dim(x.shape)
        if d_model != self.self_attention.query_kernel.shape[0]:
            raise ValueError(f"{self.name}: built for d_model={self.self_attention.query_kernel.shape[0]}, got "
                             f"decoder_sequence of shape {x.shape}")
        if encoder_sequence is not None:
            encoder_sequence = self._convert_input(encoder_sequence)
            if not self.has_cross_attention and not getattr(self, "_called", False):
                self._build_cross_attention(x.shape, encoder_sequence.shape)
            if not self.has_cross_attention:
                raise ValueError(f"{self.name}: the layer was first called without an encoder_sequence (a decoder-only "
                                 f"layer, no cross-attention); it cannot take one now")
        elif self.has_cross_attention:
            raise ValueError(f"{self.name}: the layer has a cross-attention (built with an encoder_sequence); pass "
                             f"encoder_sequence")
        self._called = True
        self_masks = self._key_masks(x, x, decoder_padding_mask, decoder_attention_mask, "decoder_padding_mask",
                                     "decoder_attention_mask")

        def self_attention(h):
            return self.self_attention(h, h, use_causal_mask=use_causal_mask, training=training, **self_masks)

        x = self._residual(x, self_attention, self.self_attention_layer_norm, self.self_attention_dropout, training)
        if encoder_sequence is not None:
            cross_masks = self._key_masks(x, encoder_sequence, encoder_padding_mask, encoder_attention_mask,
                                          "encoder_padding_mask", "encoder_attention_mask")

            def cross_attention(h):
                return self.cross_attention(h, encoder_sequence, training=training, **cross_masks)

            x = self._residual(x, cross_attention, self.cross_attention_layer_norm, self.cross_attention_dropout,
                               training)
        return self._feedforward(x, training)

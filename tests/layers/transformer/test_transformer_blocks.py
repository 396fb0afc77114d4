"""TransformerEncoderLayer and TransformerDecoderLayer: gradient checks (padding masks, causal mask,
cross-attention, dropout), the block written out by hand, causality, pre- vs post-norm, masks from
the embedding, shapes, configs, bad input, and small models that train, save and load."""
import json

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers, ops
from glassnet.testing import layer_gradcheck
from tests.layers.helpers import data

pytestmark = pytest.mark.usefixtures("float64")    # tests/conftest.py

B, T, S, D = 2, 4, 3, 4
PADDING = np.array([[True, True, True, True], [True, True, False, False]])
ENCODER_PADDING = np.array([[True, True, False], [True, True, True]])


def perturbed(layer, seed=7):
    layer.set_weights([w + 0.2 * data(*w.shape, seed=seed + i) for i, w in enumerate(layer.get_weights())])
    return layer


class Decode(layers.Layer):
    """decoder(x, z, **options) on a list input [x, z] (or [x] for a decoder-only layer), for layer_gradcheck."""

    def __init__(self, inner, **options):
        super().__init__(dtype="float64")
        self.inner = inner
        self.options = options

    def call(self, inputs, training=None):
        return self.inner(*inputs, training=training, **self.options)


# --- tier (a): gradient checks -------------------------------------------------------------------
ENCODER_CASES = {
    "post-norm": ({}, {}),
    "pre-norm-padding": ({"normalize_first": True}, {"padding_mask": PADDING}),
    "attention-mask-gelu": ({"activation": "gelu"}, {"attention_mask": data(B, T, T, seed=5) > -0.5}),
}


@pytest.mark.parametrize("case", ENCODER_CASES)
def test_encoder_gradcheck(case):
    config, options = ENCODER_CASES[case]
    layer = layers.TransformerEncoderLayer(6, 2, dtype="float64", **config)
    layer_gradcheck(layer, data(B, T, D, seed=1), **options)


DECODER_CASES = {
    "causal-cross-padding": ({}, True, {"decoder_padding_mask": PADDING, "encoder_padding_mask": ENCODER_PADDING}),
    "pre-norm-cross-attention-mask": ({"normalize_first": True}, True,
                                      {"encoder_attention_mask": data(B, T, S, seed=4) > -0.5}),
    "decoder-only-causal": ({}, False, {}),
    "not-causal": ({"normalize_first": True}, True, {"use_causal_mask": False}),
}


@pytest.mark.parametrize("case", DECODER_CASES)
def test_decoder_gradcheck(case):
    config, cross, options = DECODER_CASES[case]
    layer = layers.TransformerDecoderLayer(6, 2, dtype="float64", **config)
    inputs = [data(B, T, D, seed=1)] + ([data(B, S, 5, seed=2)] if cross else [])
    layer_gradcheck(Decode(layer, **options), inputs)


def test_gradcheck_with_dropout_in_training():
    """Every draw comes from the global stream, so re-seeding it before each evaluation fixes the masks."""
    encoder = layers.TransformerEncoderLayer(6, 2, dropout=0.3, dtype="float64")
    decoder = layers.TransformerDecoderLayer(6, 2, dropout=0.3, dtype="float64")
    reseed = lambda: gn.utils.set_random_seed(3)                                  # noqa: E731
    layer_gradcheck(encoder, data(B, T, D, seed=1), training=True, before_call=reseed, padding_mask=PADDING)
    layer_gradcheck(Decode(decoder), [data(B, T, D, seed=1), data(B, S, D, seed=2)], training=True, before_call=reseed)


# --- the formula, by hand ---------------------------------------------------------------------------
def layer_norm(x, gamma, beta, eps=1e-5):
    return gamma * (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + eps) + beta


def attention(q, kv, weights, heads, mask):
    Wq, bq, Wk, bk, Wv, bv, Wo, bo = weights
    out = 0
    for h in range(heads):
        Q, K, V = q @ Wq[:, h] + bq[h], kv @ Wk[:, h] + bk[h], kv @ Wv[:, h] + bv[h]
        e = Q @ K.transpose(0, 2, 1) / np.sqrt(Wq.shape[-1])
        e = np.where(mask, e, -np.inf)
        a = np.exp(e - e.max(-1, keepdims=True))
        out = out + (a / a.sum(-1, keepdims=True)) @ V @ Wo[h]
    return out + bo


@pytest.mark.parametrize("normalize_first", [False, True])
def test_decoder_matches_the_formula_written_in_numpy(normalize_first):
    """x' = LN(x + MHA(x, x, causal ∧ padding)), x'' = LN(x' + MHA(x', z)), y = LN(x'' + FFN(x'')), or pre-norm."""
    layer = layers.TransformerDecoderLayer(6, 2, normalize_first=normalize_first)
    x, z = data(B, T, D, seed=1), data(B, S, 5, seed=2)
    layer(x, z)
    w = perturbed(layer).get_weights()
    self_mask = np.tril(np.ones((T, T), bool))[None] & PADDING[:, None, :]
    cross_mask = np.broadcast_to(ENCODER_PADDING[:, None, :], (B, T, S))

    def ffn(h):
        return np.maximum(0, h @ w[22] + w[23]) @ w[24] + w[25]

    sublayers = [(lambda h: attention(h, h, w[:8], 2, self_mask), w[8:10]),
                 (lambda h: attention(h, z, w[10:18], 2, cross_mask), w[18:20]),
                 (ffn, w[20:22])]
    h = x
    for F, (gamma, beta) in sublayers:
        h = h + F(layer_norm(h, gamma, beta)) if normalize_first else layer_norm(h + F(h), gamma, beta)
    out = layer(x, z, decoder_padding_mask=PADDING, encoder_padding_mask=ENCODER_PADDING).numpy()
    np.testing.assert_allclose(out, h, rtol=1e-10, atol=1e-12)


def test_causal_mask_output_at_t_ignores_later_tokens():
    layer = layers.TransformerDecoderLayer(8, 2)
    x, z = data(B, 6, D, seed=1), data(B, S, D, seed=2)
    layer(x, z)
    out = perturbed(layer)(x, z).numpy()
    for t in range(5):
        changed = x.copy()
        changed[:, t + 1:] = data(B, 5 - t, D, seed=t + 10)
        again = layer(changed, z).numpy()
        np.testing.assert_allclose(again[:, :t + 1], out[:, :t + 1], rtol=1e-12, atol=1e-14)
        assert not np.allclose(again[:, t + 1:], out[:, t + 1:])
    # without the causal mask, an early position sees a later change
    free = layer(x, z, use_causal_mask=False).numpy()
    changed = x.copy()
    changed[:, -1] += 1.0
    assert not np.allclose(layer(changed, z, use_causal_mask=False).numpy()[:, 0], free[:, 0])


def test_padded_keys_change_nothing_in_real_positions_and_the_mask_travels():
    ids = np.array([[3, 1, 4, 1], [5, 9, 0, 0]])
    embed = layers.TokenAndPositionEmbedding(10, T, D, mask_zero=True)
    encoder = layers.TransformerEncoderLayer(6, 2)
    h = embed(ids)
    out = encoder(h)
    np.testing.assert_array_equal(out._keras_mask, ids != 0)
    h2 = gn.Tensor(np.where((ids != 0)[..., None], h.numpy(), 50.0))        # garbage in the padded steps
    h2._keras_mask = ids != 0
    np.testing.assert_allclose(encoder(h2).numpy()[ids != 0], out.numpy()[ids != 0], rtol=1e-12)
    # the same from an explicit padding_mask on a tensor without a mask
    np.testing.assert_allclose(encoder(h.numpy(), padding_mask=ids != 0).numpy(), out.numpy(), rtol=1e-14)
    decoder = layers.TransformerDecoderLayer(6, 2)
    y = decoder(h, out)
    np.testing.assert_array_equal(y._keras_mask, ids != 0)
    np.testing.assert_allclose(decoder(h2, out).numpy()[ids != 0], y.numpy()[ids != 0], rtol=1e-12)


# --- pre- vs post-norm, shapes, configs -------------------------------------------------------------
def test_pre_and_post_norm_differ_and_both_train():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((32, 5, 4))
    y = (x[:, :, 0].sum(axis=1) > 0).astype(int)
    outputs, losses = [], []
    for normalize_first in (False, True):
        gn.utils.set_random_seed(1)
        inputs = layers.Input((5, 4))
        h = layers.TransformerEncoderLayer(8, 2, normalize_first=normalize_first)(inputs)
        model = gn.Model(inputs, layers.Dense(2, activation="softmax")(layers.GlobalAveragePooling1D()(h)))
        outputs.append(model.predict(x, verbose=0))
        model.compile(optimizer=gn.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
        history = model.fit(x, y, epochs=15, batch_size=8, verbose=0)
        losses.append(history.history["loss"])
    assert not np.allclose(outputs[0], outputs[1])               # the same seed, different architectures
    for loss in losses:
        assert loss[-1] < 0.6 * loss[0]


def test_shapes_and_weights():
    encoder = layers.TransformerEncoderLayer(16, 4)
    encoder.build((None, 7, 8))
    assert [w.shape for w in encoder.get_weights()] == [
        (8, 4, 2), (4, 2), (8, 4, 2), (4, 2), (8, 4, 2), (4, 2), (4, 2, 8), (8,),   # attention, key_dim 8/4
        (8,), (8,), (8,), (8,), (8, 16), (16,), (16, 8), (8,)]                        # 2 LayerNorms, W₁ b₁ W₂ b₂
    assert encoder.compute_output_shape((None, 7, 8)) == (None, 7, 8)
    assert encoder(data(3, 7, 8)).shape == (3, 7, 8)
    decoder = layers.TransformerDecoderLayer(16, 4)
    decoder.build((None, 7, 8), (None, 3, 5))
    assert decoder.has_cross_attention and len(decoder.get_weights()) == 26
    assert decoder(data(2, 7, 8), data(2, 3, 5)).shape == (2, 7, 8)
    assert decoder.compute_output_shape((None, 7, 8)) == (None, 7, 8)
    only = layers.TransformerDecoderLayer(16, 4)
    assert only(data(2, 7, 8)).shape == (2, 7, 8) and not only.has_cross_attention
    assert len(only.get_weights()) == 16
    assert encoder.weights[0].path == f"{encoder.name}/self_attention/query/kernel"


def test_config_round_trip():
    originals = [layers.TransformerEncoderLayer(6, 2, dropout=0.1, activation="gelu", layer_norm_epsilon=1e-6,
                                                kernel_initializer="he_normal", bias_initializer="ones",
                                                normalize_first=True),
                 layers.TransformerDecoderLayer(6, 2, layer_norm_epsilon=1e-3)]
    x, z = data(B, T, D, seed=1), data(B, S, D, seed=2)
    for original in originals:
        args = (x, z) if isinstance(original, layers.TransformerDecoderLayer) else (x,)
        expected = original(*args).numpy()
        saved = json.loads(json.dumps(layers.serialize(original)))
        for copy in (type(original).from_config(original.get_config()), layers.deserialize(saved)):
            assert copy.get_config() == original.get_config()
            copy(*args)
            copy.set_weights(original.get_weights())
            np.testing.assert_array_equal(copy(*args).numpy(), expected)


# --- bad input --------------------------------------------------------------------------------------
def test_bad_input():
    for bad, message in (({"num_heads": 0}, "num_heads must be a positive int"),
                         ({"intermediate_dim": 2.5}, "intermediate_dim must be a positive int"),
                         ({"dropout": 1.0}, r"dropout must be a number in \[0, 1\)"),
                         ({"layer_norm_epsilon": -1}, "layer_norm_epsilon must be a number ≥ 0"),
                         ({"activation": "no-such-activation"}, "no-such-activation")):
        arguments = {"intermediate_dim": 8, "num_heads": 2, **bad}
        for cls in (layers.TransformerEncoderLayer, layers.TransformerDecoderLayer):
            with pytest.raises(ValueError, match=message):
                cls(**arguments)
    with pytest.raises(ValueError, match="num_heads=3 does not divide d_model=4"):
        layers.TransformerEncoderLayer(8, 3)(data(B, T, D))
    with pytest.raises(ValueError, match="num_heads=3 does not divide d_model=4"):
        layers.TransformerDecoderLayer(8, 3)(data(B, T, D))
    encoder = layers.TransformerEncoderLayer(8, 2)
    with pytest.raises(ValueError, match=r"shape \(batch, sequence_length, d_model\)"):
        encoder(data(B, D))
    x = data(B, T, D)
    with pytest.raises(ValueError, match=r"padding_mask must have shape \(2, 4\)"):
        encoder(x, padding_mask=np.ones((B, T + 1), bool))
    with pytest.raises(ValueError, match=r"attention_mask must have shape \(2, 4, 4\)"):
        encoder(x, attention_mask=np.ones((B, T, T + 1), bool))
    with pytest.raises(ValueError, match="built for d_model=4"):
        encoder(data(B, T, 6))
    decoder = layers.TransformerDecoderLayer(8, 2)
    z = data(B, S, D)
    decoder(x, z)
    with pytest.raises(ValueError, match=r"encoder_padding_mask must have shape \(2, 3\)"):
        decoder(x, z, encoder_padding_mask=np.ones((B, T), bool))
    with pytest.raises(ValueError, match=r"decoder_padding_mask must have shape \(2, 4\)"):
        decoder(x, z, decoder_padding_mask=np.ones((B, S), bool))
    with pytest.raises(ValueError, match=r"encoder_attention_mask must have shape \(2, 4, 3\)"):
        decoder(x, z, encoder_attention_mask=np.ones((B, T, T), bool))
    with pytest.raises(ValueError, match="pass encoder_sequence"):
        decoder(x)
    only = layers.TransformerDecoderLayer(8, 2)
    only(x)
    with pytest.raises(ValueError, match="cannot take one now"):
        only(x, z)
    with pytest.raises(ValueError, match="encoder_sequence must have shape"):
        layers.TransformerDecoderLayer(8, 2)(x, data(B, D))


# --- in models --------------------------------------------------------------------------------------
def test_small_classifier_fits_and_saves(tmp_path):
    """TokenAndPositionEmbedding(mask_zero) → encoder → masked mean → Dense: the loss falls; save/load."""
    gn.utils.set_random_seed(0)
    rng = np.random.default_rng(1)
    tokens = rng.integers(1, 12, size=(64, 6))
    tokens[:24, 4:] = 0
    labels = ((tokens >= 6).sum(axis=1) > (tokens > 0).sum(axis=1) / 2).astype(int)
    ids = layers.Input((6,), dtype="int32")
    h = layers.TokenAndPositionEmbedding(12, 6, 8, mask_zero=True)(ids)
    h = layers.TransformerEncoderLayer(16, 2)(h)
    model = gn.Model(ids, layers.Dense(2, activation="softmax")(layers.GlobalAveragePooling1D()(h)))
    model.compile(optimizer=gn.optimizers.Adam(learning_rate=0.01), loss="sparse_categorical_crossentropy")
    history = model.fit(tokens, labels, epochs=20, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    expected = model.predict(tokens[:5], verbose=0)
    model.save(tmp_path / "encoder.glassnet")
    loaded = gn.models.load_model(tmp_path / "encoder.glassnet")
    np.testing.assert_array_equal(loaded.predict(tokens[:5], verbose=0), expected)


def test_encoder_decoder_model_learns_to_copy_and_saves(tmp_path):
    """A one-layer seq2seq with teacher forcing: target = source, shifted right by a start token 1."""
    gn.utils.set_random_seed(0)
    rng = np.random.default_rng(2)
    source = rng.integers(2, 8, size=(96, 5))
    decoder_in = np.concatenate([np.ones((96, 1), int), source[:, :-1]], axis=1)
    src, tgt = layers.Input((5,), dtype="int32"), layers.Input((5,), dtype="int32")
    memory = layers.TransformerEncoderLayer(32, 2)(layers.TokenAndPositionEmbedding(8, 5, 16)(src))
    h = layers.TransformerDecoderLayer(32, 2)(layers.TokenAndPositionEmbedding(8, 5, 16)(tgt), memory)
    model = gn.Model([src, tgt], layers.Dense(8, activation="softmax")(h))
    model.compile(optimizer=gn.optimizers.Adam(learning_rate=0.01), loss="sparse_categorical_crossentropy")
    history = model.fit([source, decoder_in], source, epochs=15, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.3 * history.history["loss"][0]
    expected = model.predict([source[:4], decoder_in[:4]], verbose=0)
    model.save(tmp_path / "seq2seq.glassnet")
    loaded = gn.models.load_model(tmp_path / "seq2seq.glassnet")
    np.testing.assert_array_equal(loaded.predict([source[:4], decoder_in[:4]], verbose=0), expected)

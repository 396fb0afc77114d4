"""Attention and AdditiveAttention: gradient checks, a hand-worked example, masks, causality,
shapes, configs, bad input, and training inside a functional Model."""
import json

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers, ops
from glassnet.testing import layer_gradcheck
from tests.layers.helpers import data

pytestmark = pytest.mark.usefixtures("float64")    # tests/conftest.py

B, TQ, TV, D = 2, 3, 4, 3
Q_MASK = np.array([[True, True, False], [True, True, True]])
V_MASK = np.array([[True, True, True, False], [True, False, True, True]])


class Flat(layers.Layer):
    """Calls an attention layer and returns one tensor: the output, and the scores flattened after it."""

    def __init__(self, inner, **call_kwargs):
        super().__init__(dtype="float64")
        self.inner = inner
        self.call_kwargs = call_kwargs

    def call(self, inputs, training=None):
        result = self.inner(list(inputs), training=training, **self.call_kwargs)
        if not isinstance(result, tuple):
            return result
        output, scores = result
        return ops.concatenate([ops.reshape(output, (B, -1)), ops.reshape(scores, (B, -1))], axis=1)


def inputs(key=False, dim_v=D):
    arrays = [data(B, TQ, D, seed=1), data(B, TV, dim_v, seed=2)]
    return arrays + [data(B, TV, D, seed=3)] if key else arrays


# --- tier (a): gradient checks -----------------------------------------------------------------
ATTENTION_LAYERS = {
    "dot": lambda: layers.Attention(dtype="float64"),
    "dot-scale": lambda: layers.Attention(use_scale=True, dtype="float64"),
    "concat": lambda: layers.Attention(score_mode="concat", dtype="float64"),
    "concat-scale": lambda: layers.Attention(score_mode="concat", use_scale=True, dtype="float64"),
    "additive": lambda: layers.AdditiveAttention(dtype="float64"),
    "additive-no-scale": lambda: layers.AdditiveAttention(use_scale=False, dtype="float64"),
}


@pytest.mark.parametrize("make", ATTENTION_LAYERS.values(), ids=ATTENTION_LAYERS.keys())
@pytest.mark.parametrize("call", [{}, {"mask": [Q_MASK, V_MASK]}, {"use_causal_mask": True, "mask": [None, V_MASK]},
                                  {"return_attention_scores": True, "mask": [Q_MASK, V_MASK]}],
                         ids=["plain", "padding-masks", "causal", "scores"])
def test_gradcheck(make, call):
    key = "use_causal_mask" not in call
    arrays = inputs(key=key, dim_v=2) if key else [data(B, TQ, D, seed=1), data(B, TQ, D, seed=2)]
    if not key:                                          # self-attention shapes: Tv = Tq
        call = {**call, "mask": [None, np.array([[True, True, False], [True, True, True]])]}
    layer = make()
    layer_gradcheck(Flat(layer, **call), arrays)


def test_gradcheck_with_dropout_in_training():
    layer = layers.Attention(use_scale=True, dropout=0.3, dtype="float64")
    layer_gradcheck(Flat(layer, return_attention_scores=True), inputs(), training=True,
                    before_call=lambda: setattr(layer, "seed_generator", np.random.default_rng(4)))


@pytest.mark.parametrize("make", [lambda: layers.Attention(use_scale=True, dropout=0.3, dtype="float64"),
                                  lambda: layers.AdditiveAttention(dropout=0.3, dtype="float64")])
def test_gradcheck_with_dropout_fused_path(make):
    layer = make()
    layer_gradcheck(Flat(layer, mask=[Q_MASK, V_MASK]), inputs(key=True), training=True,
                    before_call=lambda: setattr(layer, "seed_generator", np.random.default_rng(4)))


def test_dropout_fused_path_equals_the_weights_path():
    """Without scores the dot path runs one fused op; asking for the scores must not change the output."""
    x = inputs(key=True)
    fused = layers.Attention(dropout=0.4, seed=2)(x, training=True).numpy()
    with_scores, _ = layers.Attention(dropout=0.4, seed=2)(x, training=True, return_attention_scores=True)
    np.testing.assert_allclose(with_scores.numpy(), fused, rtol=1e-13)


# --- tier (b): worked by hand ------------------------------------------------------------------
def test_hand_worked_dot_attention():
    # query q = [1, 0]; keys = values: v1 = [1, 0], v2 = [0, 1]
    # e = [q·v1, q·v2] = [1, 0]
    # α = [e¹, e⁰] / (e + 1) = [2.7182818/3.7182818, 1/3.7182818] = [0.7310586, 0.2689414]
    # c = 0.7310586·[1, 0] + 0.2689414·[0, 1] = [0.7310586, 0.2689414]
    q = np.array([[[1.0, 0.0]]])
    v = np.array([[[1.0, 0.0], [0.0, 1.0]]])
    c, alpha = layers.Attention()([q, v], return_attention_scores=True)
    np.testing.assert_allclose(alpha.numpy(), [[[0.7310586, 0.2689414]]], atol=1e-7)
    np.testing.assert_allclose(c.numpy(), [[[0.7310586, 0.2689414]]], atol=1e-7)
    # use_scale with scale = 2: e = [2, 0], α = [e²/(e² + 1), 1/(e² + 1)] = [0.8807971, 0.1192029]
    layer = layers.Attention(use_scale=True)
    layer.build([q.shape, v.shape])
    layer.set_weights([np.array(2.0)])
    np.testing.assert_allclose(layer([q, v]).numpy(), [[[0.8807971, 0.1192029]]], atol=1e-7)
    # a value mask hiding v2: α = [1, 0], c = v1
    np.testing.assert_allclose(layers.Attention()([q, v], mask=[None, np.array([[True, False]])]).numpy(),
                               [[[1.0, 0.0]]])


def test_hand_worked_additive_attention():
    # scale = [1, 1] (use_scale=False), q = [0, 0], keys = values: v1 = [1, 0], v2 = [0, 0]
    # e = [tanh(1) + tanh(0), 0] = [0.7615942, 0];  α1 = 1/(1 + e^−0.7615942) = 0.6816997
    c, alpha = layers.AdditiveAttention(use_scale=False)([np.zeros((1, 1, 2)), np.array([[[1.0, 0.0], [0.0, 0.0]]])],
                                                         return_attention_scores=True)
    np.testing.assert_allclose(alpha.numpy(), [[[0.6816997, 0.3183003]]], atol=1e-7)
    np.testing.assert_allclose(c.numpy(), [[[0.6816997, 0.0]]], atol=1e-7)


def test_weights_are_distributions_and_masked_keys_get_none():
    for layer in (layers.Attention(), layers.AdditiveAttention(), layers.Attention(score_mode="concat")):
        _, alpha = layer(inputs(), mask=[None, V_MASK], return_attention_scores=True)
        assert (alpha.numpy() >= 0).all()
        np.testing.assert_allclose(alpha.numpy().sum(-1), 1.0, rtol=1e-12)
        assert (alpha.numpy()[~np.broadcast_to(V_MASK[:, None], alpha.shape)] == 0).all()


def test_query_mask_zeroes_padded_rows_and_is_the_output_mask():
    q, v = inputs()
    q_t = gn.Tensor(q)
    q_t._keras_mask = Q_MASK
    out = layers.Attention()([q_t, gn.Tensor(v)])
    assert (out.numpy()[~Q_MASK] == 0).all()
    np.testing.assert_array_equal(out._keras_mask, Q_MASK)


@pytest.mark.parametrize("make", ATTENTION_LAYERS.values(), ids=ATTENTION_LAYERS.keys())
def test_causal_mask_output_at_t_ignores_later_tokens(make):
    layer = make()
    x = data(B, 5, D)
    out = layer([x, x], use_causal_mask=True).numpy()
    for t in range(4):
        changed = x.copy()
        changed[:, t + 1:] = data(B, 4 - t, D, seed=t + 10)
        again = layer([changed, changed], use_causal_mask=True).numpy()
        np.testing.assert_allclose(again[:, :t + 1], out[:, :t + 1], rtol=1e-12)
        assert not np.allclose(again[:, t + 1:], out[:, t + 1:])


# --- shapes, configs ---------------------------------------------------------------------------
def test_shapes():
    q, v, k = data(B, TQ, D), data(B, TV, 5), data(B, TV, D)
    for layer in (layers.Attention(), layers.AdditiveAttention(), layers.Attention(score_mode="concat")):
        out, scores = layer([q, v, k], return_attention_scores=True)
        assert out.shape == (B, TQ, 5) and scores.shape == (B, TQ, TV)
        assert layer.compute_output_shape([q.shape, v.shape, k.shape]) == (B, TQ, 5)
    additive = layers.AdditiveAttention()
    additive([q, k])
    assert [w.shape for w in additive.get_weights()] == [(D,)]
    concat = layers.Attention(use_scale=True, score_mode="concat")
    concat([q, k])
    assert [w.name for w in concat.weights] == ["scale", "concat_score_weight"]
    assert layers.Attention().compute_output_shape([(None, 7, D), (None, 9, D), (None, 9, D)]) == (None, 7, D)


@pytest.mark.parametrize("make", [lambda: layers.Attention(use_scale=True, score_mode="concat", dropout=0.2, seed=3),
                                  lambda: layers.AdditiveAttention(use_scale=True, dropout=0.1)])
def test_config_round_trip(make):
    original = make()
    x = inputs(key=True)
    expected = original(x, mask=[Q_MASK, V_MASK]).numpy()
    original.set_weights([w + 0.5 for w in original.get_weights()])
    expected = original(x, mask=[Q_MASK, V_MASK]).numpy()
    saved = json.loads(json.dumps(layers.serialize(original)))
    for copy in (type(original).from_config(original.get_config()), layers.deserialize(saved)):
        assert type(copy) is type(original) and copy.get_config() == original.get_config()
        copy(x)
        copy.set_weights(original.get_weights())
        np.testing.assert_array_equal(copy(x, mask=[Q_MASK, V_MASK]).numpy(), expected)
    assert "score_mode" not in layers.AdditiveAttention().get_config()


def test_dropout_only_in_training_and_repeatable_with_a_seed():
    x = inputs()
    plain = layers.Attention()(x).numpy()
    np.testing.assert_array_equal(layers.Attention(dropout=0.5, seed=1)(x, training=False).numpy(), plain)
    first = layers.Attention(dropout=0.5, seed=1)(x, training=True).numpy()
    assert not np.allclose(first, plain)
    np.testing.assert_array_equal(layers.Attention(dropout=0.5, seed=1)(x, training=True).numpy(), first)


# --- bad input -----------------------------------------------------------------------------------
def test_bad_input():
    q, v = inputs()
    with pytest.raises(ValueError, match=r"list \[query, value\]"):
        layers.Attention()(q)
    with pytest.raises(ValueError, match=r"list \[query, value\]"):
        layers.Attention()([q, v, v, v])
    with pytest.raises(ValueError, match="feature size"):
        layers.Attention()([q, data(B, TV, D + 1)])
    with pytest.raises(ValueError, match="feature size"):
        layers.AdditiveAttention()([q, v, data(B, TV, D + 1)])
    with pytest.raises(ValueError, match="same length"):
        layers.Attention()([q, v, data(B, TV + 1, D)])
    with pytest.raises(ValueError, match="query_mask must have shape"):
        layers.Attention()([q, v], mask=[np.ones((B, TQ + 1), bool), None])
    with pytest.raises(ValueError, match="value_mask must have shape"):
        layers.Attention()([q, v], mask=[None, np.ones((B, TQ), bool)])
    with pytest.raises(ValueError, match="mask must be a list"):
        layers.Attention()([q, v], mask=V_MASK)
    with pytest.raises(ValueError, match="3-D"):
        layers.Attention()([q[0], v[0]])
    with pytest.raises(ValueError, match="score_mode"):
        layers.Attention(score_mode="general")
    with pytest.raises(ValueError, match="dropout"):
        layers.AdditiveAttention(dropout=1.0)


# --- in a model ------------------------------------------------------------------------------
def test_functional_model_with_padding_masks_trains():
    gn.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    tokens = rng.integers(1, 10, size=(64, 6))
    tokens[:32, 4:] = 0                                        # padding, masked by the Embedding
    target = (tokens == 3).sum(axis=1, keepdims=True).astype("float64")
    ids = layers.Input((6,), dtype="int32")
    x = layers.Embedding(10, 8, mask_zero=True)(ids)
    query = layers.Dense(8)(x)
    context = layers.Attention(use_scale=True)([query, x])
    context = layers.AdditiveAttention()([context, x])
    outputs = layers.Dense(1)(layers.GlobalAveragePooling1D()(context))
    model = gn.Model(ids, outputs)
    model.compile(optimizer=gn.optimizers.Adam(learning_rate=0.01), loss="mse")
    history = model.fit(tokens, target, epochs=10, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.7 * history.history["loss"][0]

"""MultiHeadAttention: gradient checks, the per-head formula, masks, causality, weights and their
initialisation, shapes, configs, bad input, and a small transformer block that trains."""
import json
import math

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers, ops
from glassnet.testing import layer_gradcheck
from tests.layers.helpers import data

pytestmark = pytest.mark.usefixtures("float64")    # tests/conftest.py

B, TQ, TV = 2, 3, 4
Q_MASK = np.array([[True, True, False], [True, True, True]])
V_MASK = np.array([[True, True, True, False], [True, False, True, True]])


class Call(layers.Layer):
    """mha(query, value, key, **options) on a list input, as one tensor (scores flattened after the output)."""

    def __init__(self, inner, masks=(), **options):
        super().__init__(dtype="float64")
        self.inner = inner
        self.masks = masks
        self.options = options

    def call(self, inputs, training=None):
        inputs = list(inputs) if len(inputs) > 1 else [inputs[0], inputs[0]]
        for tensor, mask in zip(inputs, self.masks):
            tensor._keras_mask = mask
        result = self.inner(*inputs, training=training, **self.options)
        if not isinstance(result, tuple):
            return result
        output, scores = result
        return ops.concatenate([ops.reshape(output, (B, -1)), ops.reshape(scores, (B, -1))], axis=1)


# --- tier (a): gradient checks -------------------------------------------------------------------
CASES = {
    "self": ({}, "self", {}),
    "padding-masks-from-inputs": ({}, "qv", {"masks": (Q_MASK, V_MASK)}),
    "causal": ({"value_dim": 2}, "self", {"use_causal_mask": True}),
    "key-not-value-scores": ({"output_shape": (2, 2)}, "qvk", {"return_attention_scores": True,
                                                               "value_mask": V_MASK, "query_mask": Q_MASK}),
    "no-bias-attention-mask": ({"use_bias": False}, "qv", {"attention_mask": data(B, TQ, TV, seed=9) > 0}),
}


@pytest.mark.parametrize("case", CASES)
def test_gradcheck(case):
    config, kind, options = CASES[case]
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=2, dtype="float64", **config)
    if kind == "self":
        arrays = [data(B, TQ, 3, seed=1)]                        # mha(x, x): one input, used twice
    else:
        arrays = [data(B, TQ, 3, seed=1), data(B, TV, 4, seed=2)] + ([data(B, TV, 5, seed=3)] if kind == "qvk" else [])
    layer_gradcheck(Call(layer, **options), arrays)


def test_gradcheck_with_dropout_in_training():
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=2, dropout=0.4, dtype="float64")
    layer_gradcheck(Call(layer, return_attention_scores=True), [data(B, TQ, 3, seed=1), data(B, TV, 3, seed=2)],
                    training=True, before_call=lambda: setattr(layer, "seed_generator", np.random.default_rng(5)))


def test_gradcheck_with_dropout_fused_path():
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=2, dropout=0.4, dtype="float64")
    layer_gradcheck(Call(layer, use_causal_mask=True), [data(B, TQ, 3, seed=1), data(B, TQ, 3, seed=2)],
                    training=True, before_call=lambda: setattr(layer, "seed_generator", np.random.default_rng(5)))


def test_dropout_fused_path_equals_the_weights_path_and_is_off_at_inference():
    q, v = data(B, TQ, 4, seed=1), data(B, TV, 4, seed=2)
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=3, dropout=0.5)
    layer(q, v)
    layer.seed_generator = np.random.default_rng(0)
    fused = layer(q, v, value_mask=V_MASK, training=True).numpy()
    layer.seed_generator = np.random.default_rng(0)
    with_scores, _ = layer(q, v, value_mask=V_MASK, training=True, return_attention_scores=True)
    np.testing.assert_allclose(with_scores.numpy(), fused, rtol=1e-13)
    inference = layer(q, v, value_mask=V_MASK).numpy()
    assert not np.allclose(inference, fused)
    np.testing.assert_array_equal(layer(q, v, value_mask=V_MASK).numpy(), inference)


# --- the formula, head by head --------------------------------------------------------------------
def test_matches_the_per_head_formula():
    """output = concat_h(softmax(Q_h·K_hᵀ/√d_k)·V_h)·W^O + b^O, written out with plain NumPy."""
    layer = layers.MultiHeadAttention(num_heads=3, key_dim=2, value_dim=4)
    q, v, k = data(B, TQ, 5, seed=1), data(B, TV, 6, seed=2), data(B, TV, 7, seed=3)
    layer(q, v, k)
    layer.set_weights([w + 0.1 * data(*w.shape, seed=i) for i, w in enumerate(layer.get_weights())])
    Wq, bq, Wk, bk, Wv, bv, Wo, bo = layer.get_weights()
    heads = []
    for h in range(3):
        Q = q @ Wq[:, h] + bq[h]                       # (B, Tq, d_k)
        K = k @ Wk[:, h] + bk[h]
        V = v @ Wv[:, h] + bv[h]                       # (B, Tv, d_v)
        e = Q @ K.transpose(0, 2, 1) / math.sqrt(2)
        e[~np.broadcast_to(V_MASK[:, None], e.shape)] = -np.inf
        alpha = np.exp(e - e.max(-1, keepdims=True))
        alpha /= alpha.sum(-1, keepdims=True)
        heads.append(alpha @ V)
    expected = sum(heads[h] @ Wo[h] for h in range(3)) + bo
    out, scores = layer(q, v, k, value_mask=V_MASK, return_attention_scores=True)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12)
    assert scores.shape == (B, 3, TQ, TV)
    np.testing.assert_allclose(scores.numpy().sum(-1), 1.0, rtol=1e-12)


def test_causal_mask_output_at_t_ignores_later_tokens():
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=3)
    x = data(B, 5, 4)
    out = layer(x, x, use_causal_mask=True).numpy()
    for t in range(4):
        changed = x.copy()
        changed[:, t + 1:] = data(B, 4 - t, 4, seed=t + 10)
        again = layer(changed, changed, use_causal_mask=True).numpy()
        np.testing.assert_allclose(again[:, :t + 1], out[:, :t + 1], rtol=1e-12)
        assert not np.allclose(again[:, t + 1:], out[:, t + 1:])


def test_padded_keys_change_nothing_and_the_query_mask_travels():
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=3)
    q, v = data(B, TQ, 4, seed=1), data(B, TV, 4, seed=2)
    q_t, v_t = gn.Tensor(q), gn.Tensor(v)
    q_t._keras_mask, v_t._keras_mask = Q_MASK, V_MASK
    out = layer(q_t, v_t)
    np.testing.assert_array_equal(out._keras_mask, Q_MASK)
    changed = v.copy()
    changed[~V_MASK] = 100.0
    v_t2 = gn.Tensor(changed)
    v_t2._keras_mask = V_MASK
    again = layer(q_t, v_t2)
    np.testing.assert_allclose(again.numpy()[Q_MASK], out.numpy()[Q_MASK], rtol=1e-12)
    # an explicit value_mask does the same as the value's own mask
    np.testing.assert_allclose(layer(q, v, value_mask=V_MASK, query_mask=Q_MASK).numpy(), out.numpy(), rtol=1e-12)


def test_padded_query_rows_follow_keras_paths():
    """All keys masked for a query: the mean value projected (fused path), or the output bias when
    the scores are returned (Keras's Softmax layer) — see the class docstring."""
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=3)
    q, v = data(B, TQ, 4, seed=1), data(B, TV, 4, seed=2)
    fused = layer(q, v, query_mask=Q_MASK).numpy()
    with_scores, scores = layer(q, v, query_mask=Q_MASK, return_attention_scores=True)
    assert (scores.numpy()[0, :, 2] == 0).all()
    np.testing.assert_allclose(with_scores.numpy()[0, 2], layer.get_weights()[-1], rtol=1e-12)
    np.testing.assert_allclose(with_scores.numpy()[Q_MASK], fused[Q_MASK], rtol=1e-12)
    Wv, bv, Wo, bo = layer.get_weights()[4:]
    mean_value = v[0].mean(axis=0) @ Wv.reshape(4, -1) + bv.reshape(-1)
    np.testing.assert_allclose(fused[0, 2], mean_value @ Wo.reshape(-1, 4) + bo, rtol=1e-12)


# --- weights, shapes, configs --------------------------------------------------------------------
def test_weight_layout_and_flattened_dense_glorot_init():
    layer = layers.MultiHeadAttention(num_heads=4, key_dim=16, value_dim=8)
    layer.build((None, 10, 64), (None, 12, 32), (None, 12, 48))
    assert [w.shape for w in layer.get_weights()] == [(64, 4, 16), (4, 16), (48, 4, 16), (4, 16), (32, 4, 8), (4, 8),
                                                     (4, 8, 64), (64,)]
    assert [w.path for w in layer.weights][:2] == [f"{layer.name}/query/kernel", f"{layer.name}/query/bias"]
    # glorot_uniform of the Dense it stands for: limit √(6/(fan_in + fan_out))
    for kernel, (fan_in, fan_out) in zip(layer.get_weights()[::2], [(64, 64), (48, 64), (32, 32), (32, 64)]):
        limit = math.sqrt(6 / (fan_in + fan_out))
        assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.9 * limit
    assert layer.count_params() == sum(w.size for w in layer.get_weights())


def test_shapes():
    q, v = data(B, TQ, 5), data(B, TV, 3)
    for config, expected in (({}, (B, TQ, 5)), ({"output_shape": 7}, (B, TQ, 7)),
                             ({"output_shape": (2, 3)}, (B, TQ, 2, 3))):
        layer = layers.MultiHeadAttention(num_heads=2, key_dim=4, **config)
        out, scores = layer(q, v, return_attention_scores=True)
        assert out.shape == expected and scores.shape == (B, 2, TQ, TV)
        assert layer.compute_output_shape(q.shape, v.shape) == expected
    assert layers.MultiHeadAttention(2, 4, attention_axes=1)(q, v).shape == (B, TQ, 5)


def test_config_round_trip():
    original = layers.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=2, dropout=0.1, output_shape=(2, 2),
                                         kernel_regularizer="l2", bias_initializer="ones", attention_axes=-2, seed=3)
    q, v = data(B, TQ, 4), data(B, TV, 5)
    expected = original(q, v, value_mask=V_MASK).numpy()
    saved = json.loads(json.dumps(layers.serialize(original)))
    for copy in (layers.MultiHeadAttention.from_config(original.get_config()), layers.deserialize(saved)):
        assert copy.get_config() == original.get_config()
        copy(q, v)
        copy.set_weights(original.get_weights())
        np.testing.assert_array_equal(copy(q, v, value_mask=V_MASK).numpy(), expected)
    assert len(original.losses) == 4                       # the l2 penalty of each kernel


# --- bad input -------------------------------------------------------------------------------------
def test_bad_input():
    for bad in ({"num_heads": 0, "key_dim": 2}, {"num_heads": 2, "key_dim": -1},
                {"num_heads": 2, "key_dim": 2, "value_dim": 0}, {"num_heads": 2.5, "key_dim": 2}):
        with pytest.raises(ValueError, match="must be a positive int"):
            layers.MultiHeadAttention(**bad)
    with pytest.raises(ValueError, match="attention_axes"):
        layers.MultiHeadAttention(2, 2, attention_axes=(1, 2))
    with pytest.raises(ValueError, match="output_shape"):
        layers.MultiHeadAttention(2, 2, output_shape="wide")
    layer = layers.MultiHeadAttention(2, 2)
    q, v = data(B, TQ, 4), data(B, TV, 4)
    with pytest.raises(ValueError, match="3-D"):
        layer(q[0], v[0])
    with pytest.raises(ValueError, match="same length"):
        layer(q, v, data(B, TV + 1, 4))
    with pytest.raises(ValueError, match="value_mask must have shape"):
        layer(q, v, value_mask=np.ones((B, TQ), bool))
    with pytest.raises(ValueError, match="query_mask must have shape"):
        layer(q, v, query_mask=np.ones((B, TV), bool))
    with pytest.raises(ValueError, match="attention_mask must have shape"):
        layer(q, v, attention_mask=np.ones((B, TV, TQ), bool))
    layer(q, v)
    with pytest.raises(ValueError, match="built for query features of size 4"):
        layer(data(B, TQ, 6), v)


# --- in a model ------------------------------------------------------------------------------------
def test_transformer_block_in_a_functional_model_trains():
    """Embedding(mask_zero) → causal self-attention + residual → LayerNorm → pooling → Dense."""
    gn.utils.set_random_seed(0)
    rng = np.random.default_rng(1)
    tokens = rng.integers(1, 12, size=(64, 6))
    tokens[:24, 4:] = 0
    target = (tokens >= 6).mean(axis=1, keepdims=True)
    ids = layers.Input((6,), dtype="int32")
    x = layers.Embedding(12, 8, mask_zero=True)(ids)
    attended = layers.MultiHeadAttention(num_heads=2, key_dim=4, dropout=0.1)(x, x, use_causal_mask=True)
    x = layers.LayerNormalization()(layers.Add()([x, attended]))
    outputs = layers.Dense(1)(layers.GlobalAveragePooling1D()(x))
    model = gn.Model(ids, outputs)
    model.compile(optimizer=gn.optimizers.Adam(learning_rate=0.01), loss="mse")
    history = model.fit(tokens, target, epochs=10, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert model.predict(tokens[:3], verbose=0).shape == (3, 1)


def test_model_with_the_three_attention_layers_saves_and_loads(tmp_path):
    ids = layers.Input((6,), dtype="int32")
    x = layers.Embedding(12, 8, mask_zero=True)(ids)
    x = layers.MultiHeadAttention(num_heads=2, key_dim=4)(x, x, use_causal_mask=True)
    x = layers.Attention(use_scale=True)([x, x])
    x = layers.AdditiveAttention()([x, x])
    model = gn.Model(ids, layers.Dense(1)(layers.GlobalAveragePooling1D()(x)))
    tokens = np.random.default_rng(0).integers(0, 12, (4, 6))
    expected = model.predict(tokens, verbose=0)
    model.save(tmp_path / "attention.glassnet")
    loaded = gn.models.load_model(tmp_path / "attention.glassnet")
    np.testing.assert_array_equal(loaded.predict(tokens, verbose=0), expected)

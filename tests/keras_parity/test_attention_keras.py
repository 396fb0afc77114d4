"""Attention layers against Keras 3 itself, on identical weights, in float64 (skipped without keras).

Each glassnet layer and its Keras twin are built for the same shapes; Keras gets glassnet's
weights with ``set_weights(get_weights())`` (so shapes and order must be Keras's); then the
outputs (and the attention scores), the gradients w.r.t. every input and every weight agree
to 1e-9 — with padding masks, causal masks, key ≠ value and a multi-axis output_shape. Last,
MultiHeadAttention against ``torch.nn.MultiheadAttention`` (its packed in_proj layout).
"""
import numpy as np
import pytest

import glassnet as gn
from glassnet import layers as G

from .test_layers_keras import assert_config_matches

keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")
from keras.src import backend as keras_backend  # noqa: E402  (after the importorskip)

K = keras.layers
RTOL, ATOL = 1e-9, 1e-12
B, TQ, TV, D = 3, 4, 5, 6
pytestmark = pytest.mark.usefixtures("keras_float64")     # conftest.py: both sides in float64

Q_MASK = np.array([[True, True, True, False], [True, True, True, True], [True, False, True, True]])
V_MASK = np.array([[True, True, True, False, False], [True, True, True, True, True],
                   [False, True, True, True, False]])


def _rng(seed):
    return np.random.default_rng(seed)


def _as_list(y):
    return list(y) if isinstance(y, (tuple, list)) else [y]


def _compare(g_layer, k_layer, arrays, g_call, k_call, upstream_seed=9, real_queries=None):
    """Outputs, input gradients and weight gradients of g_call(glassnet tensors) and k_call(torch tensors).

    ``real_queries`` (batch, Tq): the loss ignores the output of the other (padded) queries, as a
    masked loss does (see MultiHeadAttention's docstring on Keras's gradient there).
    """
    g_inputs = [gn.Tensor(a.copy(), requires_grad=True) for a in arrays]
    g_out = _as_list(g_call(g_inputs))
    upstream = [_rng(upstream_seed + i).standard_normal(o.shape) for i, o in enumerate(g_out)]
    if real_queries is not None:
        upstream[0] *= real_queries[..., None]
    sum((o * gn.Tensor(u)).sum() for o, u in zip(g_out, upstream)).backward()
    k_inputs = [torch.tensor(a.copy(), requires_grad=True) for a in arrays]
    k_out = _as_list(k_call(k_inputs))
    assert len(k_out) == len(g_out)
    sum((o * torch.tensor(u)).sum() for o, u in zip(k_out, upstream)).backward()
    for g, k in zip(g_out, k_out):
        np.testing.assert_allclose(g.numpy(), k.detach().numpy(), rtol=RTOL, atol=ATOL)
    for g, k in zip(g_inputs, k_inputs):
        np.testing.assert_allclose(g.grad, k.grad.numpy(), rtol=RTOL, atol=ATOL)
    g_weights, k_weights = g_layer.trainable_weights, k_layer.trainable_weights
    assert len(g_weights) == len(k_weights)
    for g, k in zip(g_weights, k_weights):
        np.testing.assert_allclose(g.grad, k.value.grad.numpy(), rtol=RTOL, atol=ATOL)


def _same_weights(g_layer, k_layer):
    assert [w.shape for w in g_layer.get_weights()] == [tuple(w.shape) for w in k_layer.get_weights()]
    assert [w.name for w in g_layer.weights] == [w.name for w in k_layer.weights]
    k_layer.set_weights(g_layer.get_weights())


# --- Attention and AdditiveAttention ---------------------------------------------------------
DOT_CASES = {
    "dot": ({}, {}),
    "dot-scale-masks": ({"use_scale": True}, {"masks": True}),
    "dot-causal-scores": ({"use_scale": True}, {"use_causal_mask": True, "return_attention_scores": True}),
    "dot-key-masks-causal": ({}, {"key": True, "masks": True, "use_causal_mask": True}),
    "concat": ({"score_mode": "concat"}, {"masks": True}),
    "concat-scale-key-scores": ({"score_mode": "concat", "use_scale": True},
                                {"key": True, "return_attention_scores": True}),
}


def _attention_arrays(key, dim_v=D):
    arrays = [_rng(1).standard_normal((B, TQ, D)), _rng(2).standard_normal((B, TV, dim_v))]
    if key:
        arrays.append(_rng(3).standard_normal((B, TV, D)))
    return arrays


def _run_attention_pair(g_layer, k_layer, options, dim_v=D):
    options = dict(options)
    key, masks = options.pop("key", False), options.pop("masks", False)
    arrays = _attention_arrays(key, dim_v if key else D)
    shapes = [a.shape for a in arrays]
    g_layer.build(shapes)
    k_layer.build(shapes)
    if g_layer.weights:
        g_layer.set_weights([w + 0.3 * _rng(5).standard_normal(w.shape) for w in g_layer.get_weights()])
    _same_weights(g_layer, k_layer)
    g_kwargs, k_kwargs = dict(options), dict(options)
    if masks:
        g_kwargs["mask"] = [Q_MASK, V_MASK]
        k_kwargs["mask"] = [torch.tensor(Q_MASK), torch.tensor(V_MASK)]
    _compare(g_layer, k_layer, arrays, lambda xs: g_layer(xs, **g_kwargs), lambda xs: k_layer(xs, **k_kwargs))


@pytest.mark.parametrize("case", DOT_CASES)
def test_attention_matches_keras(case):
    config, options = DOT_CASES[case]
    _run_attention_pair(G.Attention(**config), K.Attention(**config), options)


@pytest.mark.parametrize("use_scale", [True, False])
@pytest.mark.parametrize("options", [{}, {"masks": True, "use_causal_mask": True, "return_attention_scores": True},
                                     {"key": True, "masks": True}])
def test_additive_attention_matches_keras(use_scale, options):
    _run_attention_pair(G.AdditiveAttention(use_scale=use_scale), K.AdditiveAttention(use_scale=use_scale), options)


def test_attention_value_of_another_width_and_fully_masked_query_row():
    """value (B, Tv, 3) ≠ query width; a sample whose keys are all masked falls back as in Keras."""
    v_mask = V_MASK.copy()
    v_mask[0] = False
    arrays = [_rng(1).standard_normal((B, TQ, D)), _rng(2).standard_normal((B, TV, 3)),
              _rng(3).standard_normal((B, TV, D))]
    g_layer, k_layer = G.Attention(use_scale=True), K.Attention(use_scale=True)
    g_layer.build([a.shape for a in arrays])
    k_layer.build([a.shape for a in arrays])
    _same_weights(g_layer, k_layer)
    _compare(g_layer, k_layer, arrays, lambda xs: g_layer(xs, mask=[None, v_mask]),
             lambda xs: k_layer(xs, mask=[None, torch.tensor(v_mask)]))


def test_attention_configs_match_keras():
    for g_layer, k_layer in ((G.Attention(use_scale=True, score_mode="concat", dropout=0.1, seed=3),
                              K.Attention(use_scale=True, score_mode="concat", dropout=0.1, seed=3)),
                             (G.AdditiveAttention(use_scale=False, dropout=0.2),
                              K.AdditiveAttention(use_scale=False, dropout=0.2))):
        assert_config_matches(g_layer.get_config(), k_layer.get_config(), type(g_layer).__name__)


# --- MultiHeadAttention ------------------------------------------------------------------------
def _mha_pair(**config):
    return G.MultiHeadAttention(**config), K.MultiHeadAttention(**config)


def _run_mha(config, key=False, q_mask=False, v_mask=False, k_mask=False, attention_mask=None, dims=(D, 5, 4),
             **call):
    g_layer, k_layer = _mha_pair(**config)
    d_q, d_v, d_k = dims
    arrays = [_rng(1).standard_normal((B, TQ, d_q)), _rng(2).standard_normal((B, TV, d_v))]
    if key:
        arrays.append(_rng(3).standard_normal((B, TV, d_k)))
    shapes = [a.shape for a in arrays]
    g_layer.build(*shapes)
    k_layer.build(*shapes)
    g_layer.set_weights([w + 0.2 * _rng(7 + i).standard_normal(w.shape) for i, w in enumerate(g_layer.get_weights())])
    _same_weights(g_layer, k_layer)

    def masked(inputs, set_mask, make):
        if q_mask:
            set_mask(inputs[0], make(Q_MASK))
        if v_mask:
            set_mask(inputs[1], make(V_MASK))
        if k_mask:
            set_mask(inputs[2], make(V_MASK[::-1].copy()))
        return inputs

    def g_set(t, m):
        t._keras_mask = m

    def g_call(xs):
        xs = masked(xs, g_set, np.asarray)
        extra = {} if attention_mask is None else {"attention_mask": attention_mask}
        return g_layer(*xs, **call, **extra)

    def k_call(xs):
        xs = masked(xs, keras_backend.set_keras_mask, torch.tensor)
        extra = {} if attention_mask is None else {"attention_mask": torch.tensor(attention_mask)}
        return k_layer(*xs, **call, **extra)

    _compare(g_layer, k_layer, arrays, g_call, k_call, real_queries=Q_MASK if q_mask else None)


MHA_CASES = {
    "plain": ({"num_heads": 2, "key_dim": 3}, {}),
    "query-and-value-masks": ({"num_heads": 2, "key_dim": 3}, {"q_mask": True, "v_mask": True}),
    "causal": ({"num_heads": 3, "key_dim": 2}, {"use_causal_mask": True}),
    "causal-with-masks-and-scores": ({"num_heads": 2, "key_dim": 3},
                                     {"use_causal_mask": True, "q_mask": True, "v_mask": True,
                                      "return_attention_scores": True}),
    "key-not-value-key-mask": ({"num_heads": 2, "key_dim": 3, "value_dim": 4},
                               {"key": True, "v_mask": True, "k_mask": True}),
    "output-shape-no-bias": ({"num_heads": 2, "key_dim": 3, "use_bias": False, "output_shape": (2, 5)},
                             {"key": True}),
    "output-shape-int-scores": ({"num_heads": 2, "key_dim": 4, "output_shape": 7}, {"return_attention_scores": True}),
    "dropout-configured-at-inference": ({"num_heads": 2, "key_dim": 3, "dropout": 0.3},
                                        {"q_mask": True, "v_mask": True}),
    "attention-mask": ({"num_heads": 2, "key_dim": 3},
                       {"attention_mask": _rng(4).random((B, TQ, TV)) > 0.3, "q_mask": True}),
}


@pytest.mark.parametrize("case", MHA_CASES)
def test_multi_head_attention_matches_keras(case):
    config, options = MHA_CASES[case]
    _run_mha(config, **options)


def test_multi_head_attention_self_attention_matches_keras():
    g_layer, k_layer = _mha_pair(num_heads=2, key_dim=3)
    x = _rng(1).standard_normal((B, TQ, D))
    g_layer.build(x.shape, x.shape)
    k_layer.build(x.shape, x.shape)
    _same_weights(g_layer, k_layer)
    _compare(g_layer, k_layer, [x], lambda xs: g_layer(xs[0], xs[0], use_causal_mask=True),
             lambda xs: k_layer(xs[0], xs[0], use_causal_mask=True))


def test_multi_head_attention_config_matches_keras():
    for config in ({"num_heads": 2, "key_dim": 3},
                   {"num_heads": 3, "key_dim": 4, "value_dim": 2, "dropout": 0.1, "use_bias": False,
                    "output_shape": (2, 3), "attention_axes": (1,), "kernel_initializer": "he_normal",
                    "bias_regularizer": "l2", "kernel_constraint": "non_neg", "seed": 5}):
        assert_config_matches(G.MultiHeadAttention(**config).get_config(), K.MultiHeadAttention(**config).get_config(),
                              "MultiHeadAttention")


def test_multi_head_attention_matches_torch_multihead_attention():
    """torch packs W_q, W_k, W_v as in_proj_weight (3E, E), rows = outputs; Keras keeps (E, H, d)."""
    E, H = 6, 2
    g_layer = G.MultiHeadAttention(num_heads=H, key_dim=E // H)
    x_q, x_kv = _rng(1).standard_normal((B, TQ, E)), _rng(2).standard_normal((B, TV, E))
    g_layer.build(x_q.shape, x_kv.shape)
    g_layer.set_weights([w + 0.2 * _rng(3 + i).standard_normal(w.shape) for i, w in enumerate(g_layer.get_weights())])
    Wq, bq, Wk, bk, Wv, bv, Wo, bo = g_layer.get_weights()
    t_layer = torch.nn.MultiheadAttention(E, H, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        t_layer.in_proj_weight.copy_(torch.tensor(np.concatenate([W.reshape(E, E).T for W in (Wq, Wk, Wv)])))
        t_layer.in_proj_bias.copy_(torch.tensor(np.concatenate([b.reshape(E) for b in (bq, bk, bv)])))
        t_layer.out_proj.weight.copy_(torch.tensor(Wo.reshape(E, E).T))
        t_layer.out_proj.bias.copy_(torch.tensor(bo))
    key_padding = ~V_MASK                                   # torch: True = ignore
    g_out, g_scores = g_layer(x_q, x_kv, value_mask=V_MASK, return_attention_scores=True)
    t_out, t_scores = t_layer(torch.tensor(x_q), torch.tensor(x_kv), torch.tensor(x_kv),
                              key_padding_mask=torch.tensor(key_padding), average_attn_weights=False)
    np.testing.assert_allclose(g_out.numpy(), t_out.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(g_scores.numpy(), t_scores.detach().numpy(), rtol=1e-10, atol=1e-12)

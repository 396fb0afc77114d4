"""Parity with PyTorch: the encoder and decoder layers give PyTorch's outputs and gradients
(``nn.TransformerEncoderLayer`` / ``nn.TransformerDecoderLayer``, batch_first, dropout 0) from the
same weights, in float64, post-norm and pre-norm, with key padding masks and the causal mask.

Weight conversion: a glassnet attention kernel (d, H, d_k) is the flattened Dense (d, H·d_k)
with the heads side by side, which is the layout of PyTorch's projections, transposed (PyTorch
computes x·Wᵀ). So in_proj_weight = [W_Q; W_K; W_V] (3d, d) with W_Q = kernel.reshape(d, d)ᵀ,
in_proj_bias = [b_Q; b_K; b_V] flattened, out_proj.weight = kernel_O.reshape(d, d)ᵀ.
"""
import numpy as np
import pytest

import glassnet as gn
from glassnet import layers
from tests.layers.helpers import data

pytestmark = pytest.mark.usefixtures("float64")    # tests/conftest.py

torch = pytest.importorskip("torch")

B, T, S, D, HEADS, FF = 2, 5, 4, 8, 2, 12
TOLERANCE = 1e-9
DECODER_PADDING = np.array([[True] * 5, [True, True, True, False, False]])     # padding at the end
ENCODER_PADDING = np.array([[True, True, False, False], [True] * 4])


def perturbed(layer, seed=7):
    """Random biases and LayerNorm parameters too (they start at 0 and 1), so every weight matters."""
    layer.set_weights([w + 0.2 * data(*w.shape, seed=seed + i) for i, w in enumerate(layer.get_weights())])


def t(array):
    return torch.from_numpy(np.ascontiguousarray(array))


def attention_state(prefix, weights):
    """The 8 MultiHeadAttention arrays → PyTorch's nn.MultiheadAttention parameters."""
    Wq, bq, Wk, bk, Wv, bv, Wo, bo = weights
    d = Wo.shape[-1]
    return {f"{prefix}.in_proj_weight": np.concatenate([W.reshape(W.shape[0], -1).T for W in (Wq, Wk, Wv)]),
            f"{prefix}.in_proj_bias": np.concatenate([b.reshape(-1) for b in (bq, bk, bv)]),
            f"{prefix}.out_proj.weight": Wo.reshape(-1, d).T, f"{prefix}.out_proj.bias": bo}


def torch_layer(layer, decoder: bool):
    kind = torch.nn.TransformerDecoderLayer if decoder else torch.nn.TransformerEncoderLayer
    net = kind(D, HEADS, FF, dropout=0.0, batch_first=True, norm_first=layer.normalize_first, dtype=torch.float64)
    w = layer.get_weights()
    state = attention_state("self_attn", w[:8])
    rest = w[10:]
    state.update({"norm1.weight": w[8], "norm1.bias": w[9]})
    if decoder:
        state.update(attention_state("multihead_attn", w[10:18]))
        state.update({"norm2.weight": w[18], "norm2.bias": w[19]})
        norms, rest = ["norm3"], w[20:]
    else:
        norms = ["norm2"]
    gamma, beta, W1, b1, W2, b2 = rest
    state.update({f"{norms[0]}.weight": gamma, f"{norms[0]}.bias": beta, "linear1.weight": W1.T, "linear1.bias": b1,
                  "linear2.weight": W2.T, "linear2.bias": b2})
    params = dict(net.named_parameters())
    assert sorted(params) == sorted(state)
    with torch.no_grad():
        for name, value in state.items():
            params[name].copy_(t(value))
    return net


def gradients(layer, inputs, run):
    """Output, then ∂L/∂inputs and ∂L/∂weights for L = Σ r ⊙ output (glassnet)."""
    tensors = [gn.Tensor(x, requires_grad=True) for x in inputs]
    out = run(*tensors)
    r = data(*out.shape, seed=99)
    out.backward(r)
    return out.numpy(), [x.grad for x in tensors], [w.grad for w in layer.trainable_weights], r


def assert_close(a, b):
    np.testing.assert_allclose(a, b, rtol=0, atol=TOLERANCE)


def torch_weight_grads(net, layer, decoder):
    """PyTorch's parameter gradients, back in glassnet's weight order and shapes."""
    g = {name: p.grad.numpy() for name, p in net.named_parameters()}
    shapes = [w.shape for w in layer.get_weights()]

    def attention(prefix):
        W, b = g[f"{prefix}.in_proj_weight"], g[f"{prefix}.in_proj_bias"]
        out = []
        for i in range(3):
            out += [W[i * D:(i + 1) * D].T, b[i * D:(i + 1) * D]]
        return out + [g[f"{prefix}.out_proj.weight"].T, g[f"{prefix}.out_proj.bias"]]

    grads = attention("self_attn") + [g["norm1.weight"], g["norm1.bias"]]
    last = "norm2"
    if decoder:
        grads += attention("multihead_attn") + [g["norm2.weight"], g["norm2.bias"]]
        last = "norm3"
    grads += [g[f"{last}.weight"], g[f"{last}.bias"], g["linear1.weight"].T, g["linear1.bias"], g["linear2.weight"].T,
              g["linear2.bias"]]
    return [a.reshape(s) for a, s in zip(grads, shapes)]


@pytest.mark.parametrize("normalize_first", [False, True])
@pytest.mark.parametrize("padding", [False, True])
def test_encoder_matches_torch(normalize_first, padding):
    layer = layers.TransformerEncoderLayer(FF, HEADS, normalize_first=normalize_first)
    x = data(B, T, D, seed=1)
    layer(x)
    perturbed(layer)
    mask = DECODER_PADDING if padding else None
    out, (dx,), dw, r = gradients(layer, [x], lambda x: layer(x, padding_mask=mask))
    net = torch_layer(layer, decoder=False)
    tx = t(x).requires_grad_(True)
    t_out = net(tx, src_key_padding_mask=None if mask is None else t(~mask))
    t_out.backward(t(r))
    assert_close(out, t_out.detach().numpy())
    assert_close(dx, tx.grad.numpy())
    for mine, theirs in zip(dw, torch_weight_grads(net, layer, decoder=False)):
        assert_close(mine, theirs)


@pytest.mark.parametrize("normalize_first", [False, True])
def test_decoder_matches_torch_with_causal_and_padding_masks(normalize_first):
    layer = layers.TransformerDecoderLayer(FF, HEADS, normalize_first=normalize_first)
    x, z = data(B, T, D, seed=1), data(B, S, D, seed=2)
    layer(x, z)
    perturbed(layer)

    def run(x, z):
        return layer(x, z, decoder_padding_mask=DECODER_PADDING, encoder_padding_mask=ENCODER_PADDING)

    out, (dx, dz), dw, r = gradients(layer, [x, z], run)
    net = torch_layer(layer, decoder=True)
    tx, tz = t(x).requires_grad_(True), t(z).requires_grad_(True)
    causal = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)          # True = may not attend
    t_out = net(tx, tz, tgt_mask=causal, tgt_key_padding_mask=t(~DECODER_PADDING),
                memory_key_padding_mask=t(~ENCODER_PADDING))
    t_out.backward(t(r))
    assert_close(out, t_out.detach().numpy())
    assert_close(dx, tx.grad.numpy())
    assert_close(dz, tz.grad.numpy())
    for mine, theirs in zip(dw, torch_weight_grads(net, layer, decoder=True)):
        assert_close(mine, theirs)


def test_masks_from_the_embedding_equal_explicit_padding_masks():
    """Embedding(mask_zero=True)'s mask reaching the encoder is the same as padding_mask= (and torch's)."""
    ids = np.array([[3, 1, 4, 1, 5], [9, 2, 6, 0, 0]])
    embed = layers.TokenAndPositionEmbedding(10, T, D, mask_zero=True)
    layer = layers.TransformerEncoderLayer(FF, HEADS)
    h = embed(ids)
    layer(h)
    perturbed(layer)
    from_mask = layer(embed(ids)).numpy()
    np.testing.assert_array_equal(layer(gn.Tensor(h.numpy()), padding_mask=ids != 0).numpy(), from_mask)
    net = torch_layer(layer, decoder=False)
    with torch.no_grad():
        expected = net(t(h.numpy()), src_key_padding_mask=t(ids == 0)).numpy()
    assert_close(from_mask, expected)

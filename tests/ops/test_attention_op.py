"""The fused attention op (glassnet/ops/attention.py): gradient checks, the composed twin built
from matmul / softmax / where, the two fully-masked-row behaviours, PyTorch parity, bad input."""
import numpy as np
import pytest

from glassnet import Tensor, ops
from glassnet.ops.attention import attention_weights, masked_softmax, scaled_dot_product_attention
from glassnet.testing import gradcheck


def rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def causal(Tq, Tk):
    return np.tril(np.ones((Tq, Tk), dtype=bool))


def padding_mask(B, Tq, Tk):
    """(B, 1, Tk): sample 0 sees every key, sample 1 only its first two."""
    mask = np.ones((B, 1, Tk), dtype=bool)
    mask[1, :, 2:] = False
    return mask


# --- the composed twin: the same formula, one existing op at a time -----------------------
def composed(q, k, v, mask=None, scale=None, mask_mode="zeros"):
    scale = 1 / np.sqrt(q.shape[-1]) if scale is None else scale
    e = ops.mul(ops.matmul(q, ops.transpose(k, tuple(range(k.ndim - 2)) + (k.ndim - 1, k.ndim - 2))), scale)
    if mask is not None:
        mask = np.broadcast_to(mask, e.shape)
        e = ops.where(mask, e, ops.sub(e, 1e9)) if mask_mode == "subtract" else ops.where(mask, e, -1e9)
    alpha = ops.softmax(e, axis=-1)
    if mask is not None and mask_mode == "zeros":
        alpha = ops.where(mask, alpha, 0.0)
    return ops.matmul(alpha, v), alpha


CASES = {
    "3d": ((2, 3, 4), (2, 5, 4), (2, 5, 3), None),
    "3d-padding": ((2, 3, 4), (2, 5, 4), (2, 5, 3), padding_mask(2, 3, 5)),
    "3d-causal": ((2, 4, 3), (2, 4, 3), (2, 4, 2), causal(4, 4)),
    "4d-heads": ((2, 2, 3, 4), (2, 2, 5, 4), (2, 2, 5, 3), None),
    "4d-causal-and-padding": ((2, 2, 4, 3), (2, 2, 4, 3), (2, 2, 4, 2),
                              causal(4, 4) & padding_mask(2, 4, 4)[:, None]),
    "broadcast-kv": ((2, 2, 3, 4), (1, 1, 5, 4), (1, 1, 5, 3), None),
    "fully-masked-rows": ((2, 3, 4), (2, 5, 4), (2, 5, 3),
                          padding_mask(2, 3, 5) & np.array([True, False, True])[:, None]),
}


@pytest.mark.parametrize("mask_mode", ["zeros", "uniform", "subtract"])
@pytest.mark.parametrize("case", ["3d", "3d-padding", "4d-causal-and-padding", "fully-masked-rows"])
def test_gradcheck_fused_mask_modes(case, mask_mode):
    q_shape, k_shape, v_shape, mask = CASES[case]
    tolerance = {}
    if case == "fully-masked-rows" and mask_mode == "subtract":
        # e − 1e9 keeps e only to ~1.2e-7 (the float64 spacing at 1e9): a step of 1e-6 would
        # see that rounding, a step of 1e-3 sees it as a 1e-4 relative wobble
        tolerance = dict(eps=1e-3, atol=1e-3, rtol=1e-3)
    gradcheck(lambda q, k, v: scaled_dot_product_attention(q, k, v, mask=mask, mask_mode=mask_mode),
              [rand(*q_shape, seed=1), rand(*k_shape, seed=2), rand(*v_shape, seed=3)], **tolerance)
    gradcheck(lambda q, k, v: scaled_dot_product_attention(q, k, v, mask=mask, mask_mode=mask_mode,
                                                           return_weights=True)[0],
              [rand(*q_shape, seed=1), rand(*k_shape, seed=2), rand(*v_shape, seed=3)], **tolerance)


@pytest.mark.parametrize("case", CASES)
def test_gradcheck_fused(case):
    q_shape, k_shape, v_shape, mask = CASES[case]
    gradcheck(lambda q, k, v: scaled_dot_product_attention(q, k, v, mask=mask),
              [rand(*q_shape, seed=1), rand(*k_shape, seed=2), rand(*v_shape, seed=3)])


@pytest.mark.parametrize("case", ["3d-padding", "4d-causal-and-padding"])
def test_gradcheck_weights_and_output_used_together(case):
    """return_weights: a loss reading both C and A sends gradient through both into q, k, v."""
    q_shape, k_shape, v_shape, mask = CASES[case]

    def both(q, k, v):
        c, a = scaled_dot_product_attention(q, k, v, mask=mask, return_weights=True)
        return ops.add(ops.sum(c, axis=-1), ops.sum(ops.mul(a, a), axis=-1))

    gradcheck(both, [rand(*q_shape, seed=4), rand(*k_shape, seed=5), rand(*v_shape, seed=6)])


def test_dropout_mask_fused_gradcheck_and_twin():
    """C = (A ⊙ D)·V with a constant D; the returned weights are A, before D (as Keras returns them)."""
    q, k, v = rand(2, 2, 3, 4), rand(2, 2, 5, 4, seed=1), rand(2, 2, 5, 3, seed=2)
    mask = padding_mask(2, 3, 5)[:, None]
    drop = (np.random.default_rng(3).random((2, 2, 3, 5)) > 0.3) / 0.7
    gradcheck(lambda q, k, v: scaled_dot_product_attention(q, k, v, mask=mask, dropout_mask=drop), [q, k, v])
    gradcheck(lambda q, k, v: ops.add(ops.sum(scaled_dot_product_attention(q, k, v, mask=mask, dropout_mask=drop,
                                                                           return_weights=True)[1], axis=-1),
                                      ops.sum(scaled_dot_product_attention(q, k, v, mask=mask, dropout_mask=drop,
                                                                           return_weights=True)[0], axis=-1)),
              [q, k, v])
    upstream = rand(2, 2, 3, 3, seed=4)
    results = []
    for fn in (lambda *t: scaled_dot_product_attention(*t, mask=mask, dropout_mask=drop),
               lambda *t: scaled_dot_product_attention(*t, mask=mask, dropout_mask=drop, return_weights=True)[0],
               lambda *t: ops.matmul(ops.mul(composed(*t, mask=mask)[1], drop), t[2])):
        tensors = [Tensor(a.copy(), requires_grad=True) for a in (q, k, v)]
        out = fn(*tensors)
        out.backward(upstream)
        results.append([out.numpy()] + [t.grad for t in tensors])
    for fused, weights_path, twin in zip(*results):
        np.testing.assert_allclose(fused, twin, rtol=1e-12, atol=1e-13)
        np.testing.assert_allclose(weights_path, twin, rtol=1e-12, atol=1e-13)
    _, a = scaled_dot_product_attention(q, k, v, mask=mask, dropout_mask=drop, return_weights=True)
    np.testing.assert_allclose(a.numpy().sum(-1), 1.0, rtol=1e-12)
    with pytest.raises(ValueError, match="dropout_mask"):
        scaled_dot_product_attention(q, k, v, dropout_mask=np.ones((3, 3)))


def test_gradcheck_masked_softmax_and_weights():
    mask = padding_mask(2, 3, 5)
    gradcheck(lambda e: masked_softmax(e, mask), [rand(2, 3, 5)])
    gradcheck(lambda e: masked_softmax(e, mask, mask_mode="subtract"), [rand(2, 3, 5)])
    fully = CASES["fully-masked-rows"][3]
    for mode in ("zeros", "uniform"):      # "subtract": see test_gradcheck_fused_mask_modes
        gradcheck(lambda e: masked_softmax(e, fully, mask_mode=mode), [rand(2, 3, 5)])
        gradcheck(lambda q, k: attention_weights(q, k, fully, mask_mode=mode), [rand(2, 3, 4), rand(2, 5, 4, seed=1)])
    gradcheck(lambda q, k: attention_weights(q, k, causal(3, 3), scale=0.7), [rand(2, 3, 4), rand(2, 3, 4, seed=1)])


@pytest.mark.parametrize("mask_mode", ["zeros", "uniform", "subtract"])
@pytest.mark.parametrize("case", CASES)
def test_fused_matches_composed_twin_values_and_gradients(case, mask_mode):
    q_shape, k_shape, v_shape, mask = CASES[case]
    arrays = [rand(*q_shape, seed=7), rand(*k_shape, seed=8), rand(*v_shape, seed=9)]
    upstream = rand(*np.broadcast_shapes(q_shape[:-1], v_shape[:-2] + (1,)), v_shape[-1], seed=10)
    results = []
    for fn in (lambda q, k, v: scaled_dot_product_attention(q, k, v, mask=mask, mask_mode=mask_mode),
               lambda q, k, v: composed(q, k, v, mask=mask, mask_mode=mask_mode)[0]):
        tensors = [Tensor(a.copy(), requires_grad=True) for a in arrays]
        out = fn(*tensors)
        out.backward(upstream)
        results.append([out.numpy()] + [t.grad for t in tensors])
    for fused, twin in zip(*results):
        np.testing.assert_allclose(fused, twin, rtol=1e-12, atol=1e-13)


def test_returned_weights_match_the_twin_and_are_distributions():
    q, k, v = rand(2, 3, 4), rand(2, 5, 4, seed=1), rand(2, 5, 2, seed=2)
    mask = padding_mask(2, 3, 5)
    c, a = scaled_dot_product_attention(q, k, v, mask=mask, return_weights=True)
    c_twin, a_twin = composed(Tensor(q), Tensor(k), Tensor(v), mask=mask)
    np.testing.assert_allclose(a.numpy(), a_twin.numpy(), rtol=1e-12)
    np.testing.assert_allclose(c.numpy(), c_twin.numpy(), rtol=1e-12)
    assert (a.numpy() >= 0).all()                                      # α_ij ≥ 0
    np.testing.assert_allclose(a.numpy().sum(-1), 1.0, rtol=1e-12)     # Σ_j α_ij = 1
    assert (a.numpy()[1, :, 2:] == 0).all()                            # masked keys: exactly 0


def test_hand_worked_example():
    # one query q = [1, 0], keys k1 = [1, 0], k2 = [0, 1], values v1 = [1], v2 = [3], scale 1:
    # e = [1, 0];  α = [e/(e + 1), 1/(e + 1)] = [0.7310586, 0.2689414]
    # c = 0.7310586·1 + 0.2689414·3 = 1.5378828
    c, a = scaled_dot_product_attention([[[1.0, 0.0]]], [[[1.0, 0.0], [0.0, 1.0]]], [[[1.0], [3.0]]],
                                        scale=1.0, return_weights=True)
    np.testing.assert_allclose(a.numpy(), [[[np.e / (np.e + 1), 1 / (np.e + 1)]]], rtol=1e-6)
    np.testing.assert_allclose(c.numpy(), [[[(np.e + 3) / (np.e + 1)]]], rtol=1e-6)


def test_default_scale_is_one_over_root_d():
    q, k, v = rand(1, 2, 9), rand(1, 3, 9, seed=1), rand(1, 3, 2, seed=2)
    np.testing.assert_allclose(scaled_dot_product_attention(q, k, v).numpy(),
                               scaled_dot_product_attention(q, k, v, scale=1 / 3).numpy(), rtol=1e-14)


def test_fully_masked_row_in_both_modes():
    q, k, v = rand(1, 2, 3), rand(1, 4, 3, seed=1), rand(1, 4, 2, seed=2)
    mask = np.array([[[True, True, False, False], [False] * 4]])
    # zeros (Keras's Softmax layer, torch ≥ 2.5): the row's weights and output are 0
    c, a = scaled_dot_product_attention(q, k, v, mask=mask, return_weights=True)
    assert (a.numpy()[0, 1] == 0).all() and (c.numpy()[0, 1] == 0).all()
    qt = Tensor(q, requires_grad=True)
    scaled_dot_product_attention(qt, k, v, mask=mask).sum().backward()
    assert (qt.grad[0, 1] == 0).all() and np.isfinite(qt.grad).all()
    # subtract (Keras's Attention): the row falls back to the unmasked softmax
    c_sub = scaled_dot_product_attention(q, k, v, mask=mask, mask_mode="subtract").numpy()
    c_free = scaled_dot_product_attention(q, k, v).numpy()
    np.testing.assert_allclose(c_sub[0, 1], c_free[0, 1], rtol=1e-6)
    np.testing.assert_allclose(c_sub[0, 0], c.numpy()[0, 0], rtol=1e-14)
    # uniform (Keras's ops.dot_product_attention): weights 1/Tk, the output is the mean value
    c_uni, a_uni = scaled_dot_product_attention(q, k, v, mask=mask, mask_mode="uniform", return_weights=True)
    np.testing.assert_allclose(a_uni.numpy()[0, 1], 0.25, rtol=1e-15)
    np.testing.assert_allclose(c_uni.numpy()[0, 1], v[0].mean(axis=0), rtol=1e-14)
    np.testing.assert_allclose(c_uni.numpy()[0, 0], c.numpy()[0, 0], rtol=1e-14)


def test_float32_stays_float32_and_large_scores_are_stable():
    q = (rand(2, 3, 4) * 1e3).astype(np.float32)
    c = scaled_dot_product_attention(q, q, q, mask=causal(3, 3))
    assert c.dtype == np.float32 and np.isfinite(c.numpy()).all()


def test_integer_masks_are_read_as_booleans():
    q, k, v = rand(1, 2, 3), rand(1, 4, 3, seed=1), rand(1, 4, 2, seed=2)
    mask = np.array([[1, 1, 0, 1]])
    np.testing.assert_array_equal(scaled_dot_product_attention(q, k, v, mask=mask).numpy(),
                                  scaled_dot_product_attention(q, k, v, mask=mask.astype(bool)).numpy())


def test_bad_input():
    q, k, v = rand(1, 2, 3), rand(1, 4, 3, seed=1), rand(1, 4, 2, seed=2)
    with pytest.raises(ValueError, match="same feature size"):
        scaled_dot_product_attention(q, rand(1, 4, 5), v)
    with pytest.raises(ValueError, match="same length Tk"):
        scaled_dot_product_attention(q, k, rand(1, 3, 2))
    with pytest.raises(ValueError, match="same length Tk"):
        scaled_dot_product_attention(q, k, rand(1, 3, 2), return_weights=True)
    with pytest.raises(ValueError, match="does not broadcast"):
        scaled_dot_product_attention(q, k, v, mask=np.ones((1, 3), dtype=bool))
    with pytest.raises(ValueError, match="mask_mode"):
        scaled_dot_product_attention(q, k, v, mask_mode="replace")
    with pytest.raises(ValueError, match="does not broadcast"):
        masked_softmax(rand(2, 3), np.ones((3, 3), dtype=bool))


# --- PyTorch parity ----------------------------------------------------------------------
@pytest.mark.parametrize("case", ["3d", "3d-padding", "3d-causal", "4d-heads", "4d-causal-and-padding"])
def test_torch_parity(case):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    q_shape, k_shape, v_shape, mask = CASES[case]
    arrays = [rand(*q_shape, seed=11), rand(*k_shape, seed=12), rand(*v_shape, seed=13)]
    upstream = rand(*q_shape[:-1], v_shape[-1], seed=14)
    ours = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    out = scaled_dot_product_attention(*ours, mask=mask)
    out.backward(upstream)
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    ref = F.scaled_dot_product_attention(*theirs, attn_mask=None if mask is None else torch.tensor(mask))
    ref.backward(torch.tensor(upstream))
    np.testing.assert_allclose(out.numpy(), ref.detach().numpy(), rtol=1e-10, atol=1e-12)
    for t, r in zip(ours, theirs):
        np.testing.assert_allclose(t.grad, r.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_torch_parity_fully_masked_row_and_float32():
    torch = pytest.importorskip("torch")
    q, k, v = (rand(2, 3, 8, seed=s).astype(np.float32) for s in (1, 2, 3))
    mask = np.ones((2, 3, 3), dtype=bool)
    mask[1, 2] = False
    ref = torch.nn.functional.scaled_dot_product_attention(*(torch.tensor(a) for a in (q, k, v)),
                                                           attn_mask=torch.tensor(mask))
    np.testing.assert_allclose(scaled_dot_product_attention(q, k, v, mask=mask).numpy(), ref.numpy(),
                               rtol=1e-5, atol=1e-6)

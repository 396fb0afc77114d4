"""The fused whole-sequence recurrent ops (glassnet/ops/recurrent.py): gradient checks,
the composed step-by-step twin, PyTorch parity, masking and bad input."""
import numpy as np
import pytest

from glassnet import Tensor, ops
from glassnet.ops.recurrent import gru_sequence, lstm_sequence, simple_rnn_sequence
from glassnet.testing import gradcheck

N, U_ = 3, 3
ACTIVATIONS = ["tanh", "sigmoid", "relu", "linear", "hard_sigmoid"]
GATES = {"simple": 1, "lstm": 4, "gru": 3, "gru_before": 3}
N_STATES = {"simple": 1, "lstm": 2, "gru": 1, "gru_before": 1}


def mixed_mask(T):
    """Sample 0 has its first steps masked, sample 1 its last steps, sample 2 none."""
    mask = np.ones((N, T), dtype=bool)
    mask[0, :min(2, T - 1) if T > 1 else 1] = False
    if T > 1:
        mask[1, -3:] = False
    return mask


def make_inputs(kind, T, rng, bias=True, scale=0.6):
    """[x_proj, h0, (c0), U, (recurrent_bias)] as float64 arrays."""
    k = GATES[kind]
    inputs = [rng.standard_normal((N, T, k * U_)), rng.standard_normal((N, U_))]
    if kind == "lstm":
        inputs.append(rng.standard_normal((N, U_)))
    inputs.append(rng.standard_normal((U_, k * U_)) * scale)
    if kind == "gru" and bias:
        inputs.append(rng.standard_normal(3 * U_))
    return inputs


def fused(kind, **options):
    """The op as a function of its tensor inputs, returning (outputs, *states)."""
    if kind == "simple":
        return lambda x, h, U: simple_rnn_sequence(x, h, U, **options)
    if kind == "lstm":
        return lambda x, h, c, U: lstm_sequence(x, h, c, U, **options)
    if kind == "gru":
        return lambda x, h, U, b=None: gru_sequence(x, h, U, b, **options)
    return lambda x, h, U: gru_sequence(x, h, U, reset_after=False, **options)


# --- the composed twin: the same recurrence, one glassnet op at a time ------------------
def act(name, x):
    if name == "tanh":
        return ops.tanh(x)
    if name == "sigmoid":
        return ops.sigmoid(x)
    if name == "relu":
        return ops.relu(x)
    if name == "linear":
        return x
    return ops.div(ops.clip(ops.add(x, 3.0), 0.0, 6.0), 6.0)       # hard_sigmoid = relu6(x + 3)/6


def composed(kind, mask=None, go_backwards=False, activation="tanh", recurrent_activation="sigmoid",
             recurrent_dropout=None):
    def run(x, h, *rest):
        c = rest[0] if kind == "lstm" else None
        U = rest[1] if kind == "lstm" else rest[0]
        b = rest[1] if kind == "gru" and len(rest) > 1 else None
        u, T = U.shape[0], x.shape[1]
        k = GATES[kind]
        D = recurrent_dropout
        if D is not None and kind == "simple":
            D = D[None]
        cols = [ops.getitem(U, (slice(None), slice(g * u, (g + 1) * u))) for g in range(k)]

        def rec(h_prev, g):                   # (h ⊙ D_g)·U_g
            return ops.matmul(h_prev if D is None else ops.mul(h_prev, D[g]), cols[g])

        steps = range(T - 1, -1, -1) if go_backwards else range(T)
        out_prev = Tensor(np.zeros((x.shape[0], u)))
        outputs = []
        for t in steps:
            xt = ops.getitem(x, (slice(None), t))
            xg = [ops.getitem(xt, (slice(None), slice(g * u, (g + 1) * u))) for g in range(k)]
            if kind == "simple":
                new = [act(activation, ops.add(xg[0], rec(h, 0)))]
            elif kind == "lstm":
                i = act(recurrent_activation, ops.add(xg[0], rec(h, 0)))
                f = act(recurrent_activation, ops.add(xg[1], rec(h, 1)))
                c_tilde = act(activation, ops.add(xg[2], rec(h, 2)))
                o = act(recurrent_activation, ops.add(xg[3], rec(h, 3)))
                c_new = ops.add(ops.mul(f, c), ops.mul(i, c_tilde))
                new = [ops.mul(o, act(activation, c_new)), c_new]
            else:
                rz, rr = rec(h, 0), rec(h, 1)
                if kind == "gru" and b is not None:
                    bz, br, bh = (ops.getitem(b, slice(g * u, (g + 1) * u)) for g in range(3))
                    rz, rr = ops.add(rz, bz), ops.add(rr, br)
                z = act(recurrent_activation, ops.add(xg[0], rz))
                r = act(recurrent_activation, ops.add(xg[1], rr))
                if kind == "gru":
                    rh = rec(h, 2)
                    if b is not None:
                        rh = ops.add(rh, bh)
                    h_tilde = act(activation, ops.add(xg[2], ops.mul(r, rh)))
                else:
                    hd = h if D is None else ops.mul(h, D[2])
                    h_tilde = act(activation, ops.add(xg[2], ops.matmul(ops.mul(r, hd), cols[2])))
                new = [ops.add(ops.mul(z, h), ops.mul(ops.sub(1.0, z), h_tilde))]
            states = [h] if c is None else [h, c]
            if mask is not None:
                m = mask[:, t, None]
                out_prev = ops.where(m, new[0], out_prev)
                new = [ops.where(m, s_new, s) for s_new, s in zip(new, states)]
            else:
                out_prev = new[0]
            outputs.append(out_prev)
            h = new[0]
            c = new[1] if kind == "lstm" else None
        return (ops.stack(outputs, axis=1), h) if kind != "lstm" else (ops.stack(outputs, axis=1), h, c)
    return run


def combine(result, seed=1):
    """Σ r_0 ⊙ outputs + Σ r_j ⊙ state_j: gradients from the sequence and every final state."""
    rng = np.random.default_rng(seed)
    total = None
    for piece in result:
        term = ops.sum(ops.mul(piece, rng.standard_normal(piece.shape)))
        total = term if total is None else ops.add(total, term)
    return total


def dropout_masks(kind, rng):
    k = {"simple": None, "lstm": 4, "gru": 3, "gru_before": 3}[kind]
    shape = (N, U_) if k is None else (k, N, U_)
    return (rng.random(shape) > 0.3) / 0.7


# --- gradient checks -------------------------------------------------------------------
OPTION_SETS = [
    ("plain", {}),
    ("mask", {"mask": "mixed"}),
    ("backwards", {"go_backwards": True}),
    ("mask_backwards", {"mask": "mixed", "go_backwards": True}),
    ("dropout", {"recurrent_dropout": True}),
    ("mask_dropout", {"mask": "mixed", "recurrent_dropout": True}),
]


def resolve(kind, T, options, rng):
    options = dict(options)
    if options.get("mask") == "mixed":
        options["mask"] = mixed_mask(T)
    if options.get("recurrent_dropout"):
        options["recurrent_dropout"] = dropout_masks(kind, rng)
    return options


@pytest.mark.parametrize("kind", list(GATES))
@pytest.mark.parametrize("T", [1, 7])
@pytest.mark.parametrize("label,options", OPTION_SETS, ids=[o[0] for o in OPTION_SETS])
def test_gradcheck(kind, T, label, options):
    rng = np.random.default_rng(T)
    options = resolve(kind, T, options, rng)
    fn = fused(kind, **options)
    assert gradcheck(lambda *a: combine(fn(*a)), make_inputs(kind, T, rng))


@pytest.mark.parametrize("kind", list(GATES))
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradcheck_activations(kind, activation):
    rng = np.random.default_rng(3)
    options = {"activation": activation}
    if kind != "simple":
        # an unbounded z (linear, relu) lets a GRU's state grow without limit: σ stays bounded there
        bounded = {"tanh": "hard_sigmoid", "hard_sigmoid": "sigmoid", "linear": "sigmoid", "relu": "sigmoid"}
        options["recurrent_activation"] = activation if kind == "lstm" and activation != "tanh" else bounded.get(activation, activation)
    fn = fused(kind, mask=mixed_mask(4), **options)
    # relu/hard_sigmoid kinks: hit within ±eps only with probability ~1e-6 per element
    inputs = make_inputs(kind, 4, rng, scale=0.3)
    assert gradcheck(lambda *a: combine(fn(*a)), inputs)


def test_gru_without_recurrent_bias_and_each_output_alone():
    rng = np.random.default_rng(5)
    inputs = make_inputs("gru", 5, rng, bias=False)
    assert gradcheck(lambda *a: combine(gru_sequence(*a)), inputs)
    for which in range(3):  # outputs only, h_T only, c_T only
        assert gradcheck(lambda *a: combine(lstm_sequence(*a)[which:which + 1]), make_inputs("lstm", 4, rng))


# --- the composed twin ------------------------------------------------------------------
TWIN_OPTIONS = OPTION_SETS + [("activations", {"activation": "relu", "recurrent_activation": "hard_sigmoid"}),
                              ("linear", {"activation": "linear", "recurrent_activation": "tanh"})]


@pytest.mark.parametrize("kind", list(GATES))
@pytest.mark.parametrize("label,options", TWIN_OPTIONS, ids=[o[0] for o in TWIN_OPTIONS])
def test_matches_composed_twin(kind, label, options):
    rng = np.random.default_rng(11)
    T = 6
    options = resolve(kind, T, options, rng)
    if kind == "simple":
        options.pop("recurrent_activation", None)
    arrays = make_inputs(kind, T, rng)
    results = []
    for fn in (fused(kind, **options), composed(kind, **options)):
        tensors = [Tensor(a.copy(), requires_grad=True) for a in arrays]
        out = fn(*tensors)
        combine(out).backward()
        results.append(([o.data for o in out], [t.grad for t in tensors]))
    (outs_f, grads_f), (outs_c, grads_c) = results
    assert len(outs_f) == 1 + N_STATES[kind]
    for a, b in zip(outs_f + grads_f, outs_c + grads_c):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


# --- masking: padding changes nothing ---------------------------------------------------
@pytest.mark.parametrize("kind", list(GATES))
@pytest.mark.parametrize("padding", ["pre", "post"])
def test_padding_gives_the_unpadded_result(kind, padding):
    rng = np.random.default_rng(7)
    arrays = make_inputs(kind, 5, rng)
    x = arrays[0]
    pad = rng.standard_normal((N, 3, x.shape[2])) * 10          # garbage in the padded steps
    x_padded = np.concatenate([pad, x] if padding == "pre" else [x, pad], axis=1)
    mask = np.ones((N, 8), dtype=bool)
    mask[:, :3] = padding != "pre"
    mask[:, 5:] = mask[:, 5:] if padding == "pre" else False
    plain = fused(kind)(*[Tensor(a) for a in arrays])
    masked = fused(kind, mask=mask)(*[Tensor(x_padded)] + [Tensor(a) for a in arrays[1:]])
    for a, b in zip(plain[1:], masked[1:]):                      # final states
        np.testing.assert_allclose(a.data, b.data, rtol=1e-12)
    np.testing.assert_allclose(masked[0].data[:, -1], plain[0].data[:, -1], rtol=1e-12)
    if padding == "pre":                                         # zeros before the first valid step
        assert np.all(masked[0].data[:, :3] == 0)
    else:                                                        # the last output repeats
        assert np.all(masked[0].data[:, 5:] == masked[0].data[:, 4:5])
    # padded steps get no gradient
    xt = Tensor(x_padded, requires_grad=True)
    combine(fused(kind, mask=mask)(xt, *[Tensor(a) for a in arrays[1:]])).backward()
    assert np.all(xt.grad[~mask] == 0)


def test_fully_masked_sample_keeps_its_initial_state_and_outputs_zeros():
    rng = np.random.default_rng(2)
    x, h0, c0, U = make_inputs("lstm", 4, rng)
    mask = np.ones((N, 4), dtype=bool)
    mask[1] = False
    outputs, h, c = lstm_sequence(x, h0, c0, U, mask=mask)
    np.testing.assert_array_equal(h.data[1], h0[1])
    np.testing.assert_array_equal(c.data[1], c0[1])
    assert np.all(outputs.data[1] == 0)


def test_go_backwards_equals_reversed_input():
    rng = np.random.default_rng(4)
    x, h0, U, b = make_inputs("gru", 6, rng)
    mask = mixed_mask(6)
    back = gru_sequence(x, h0, U, b, mask=mask, go_backwards=True)
    forward = gru_sequence(x[:, ::-1].copy(), h0, U, b, mask=mask[:, ::-1].copy())
    for a, b_ in zip(back, forward):
        np.testing.assert_allclose(a.data, b_.data, rtol=1e-13)


# --- inference: nothing saved for backward ----------------------------------------------
@pytest.mark.parametrize("kind", list(GATES))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_without_gradients_the_op_keeps_one_step_and_gives_the_same_numbers(kind, dtype):
    from glassnet import no_grad
    from glassnet.ops.recurrent_base import RecurrentSequence
    rng = np.random.default_rng(11)
    arrays = [a.astype(dtype) for a in make_inputs(kind, 7, rng)]
    options = {"mask": mixed_mask(7), "go_backwards": kind == "lstm"}
    saved = fused(kind, **options)(*[Tensor(a, requires_grad=True) for a in arrays])
    with no_grad():
        plain = fused(kind, **options)(*[Tensor(a, requires_grad=True) for a in arrays])
    free = fused(kind, **options)(*[Tensor(a) for a in arrays])      # no input needs a gradient
    for a, b, c in zip(saved, plain, free):
        np.testing.assert_array_equal(a.data, b.data)
        np.testing.assert_array_equal(a.data, c.data)
        assert b._ctx is None and c._ctx is None
    # the op itself: one row per saved buffer, two per state, and no backward
    op = {"simple": ops.SimpleRNNSequence, "lstm": ops.LSTMSequence}.get(kind, ops.GRUSequence)()
    extra = {"reset_after": False} if kind == "gru_before" else {}
    op.forward(*arrays, **extra, save_for_backward=False)
    assert isinstance(op, RecurrentSequence) and all(S.shape[0] == 2 for S in op.S)
    assert op.G.shape[0] == 1 if hasattr(op, "G") else op.A.shape[0] == 1
    with pytest.raises(RuntimeError, match="save_for_backward=False"):
        op.backward(np.ones((N, 7 + N_STATES[kind], U_), dtype=dtype))


# --- dtypes ---------------------------------------------------------------------------
@pytest.mark.parametrize("kind", list(GATES))
def test_float32_stays_float32_and_matches_float64(kind):
    rng = np.random.default_rng(9)
    arrays = make_inputs(kind, 5, rng)
    tensors = [Tensor(a.astype(np.float32), requires_grad=True) for a in arrays]
    out = fused(kind, mask=mixed_mask(5))(*tensors)
    combine(out).backward()
    reference = fused(kind, mask=mixed_mask(5))(*[Tensor(a) for a in arrays])
    for a, b in zip(out, reference):
        assert a.dtype == np.float32
        np.testing.assert_allclose(a.data, b.data, rtol=1e-4, atol=1e-5)
    assert all(t.grad.dtype == np.float32 for t in tensors)


# --- PyTorch parity -------------------------------------------------------------------
def torch_setup(module_name, units=4, features=5, n=3, T=6, seed=0):
    torch = pytest.importorskip("torch")
    torch.manual_seed(seed)
    module = getattr(torch.nn, module_name)(features, units, batch_first=True).double()
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, T, features))
    h0 = rng.standard_normal((n, units))
    c0 = rng.standard_normal((n, units))
    return torch, module, x, h0, c0


def torch_run(torch, module, x, states, r):
    xt = torch.tensor(x, requires_grad=True)
    st = [torch.tensor(s[None], requires_grad=True) for s in states]
    out, final = module(xt, st[0] if len(st) == 1 else tuple(st))
    final = [final] if len(st) == 1 else list(final)
    loss = (out * torch.tensor(r[0])).sum() + sum((f[0] * torch.tensor(ri)).sum() for f, ri in zip(final, r[1:]))
    loss.backward()
    return out, final, xt, st


def glass_run(step, x, states, W, b, r):
    xt = Tensor(x, requires_grad=True)
    st = [Tensor(s, requires_grad=True) for s in states]
    Wt, bt = Tensor(W, requires_grad=True), Tensor(b, requires_grad=True)
    n, T, f = x.shape
    x_proj = ops.reshape(ops.linear(ops.reshape(xt, (n * T, f)), Wt, bt), (n, T, -1))
    result = step(x_proj, *st)
    loss = None
    for piece, ri in zip(result, r):
        term = ops.sum(ops.mul(piece, ri))
        loss = term if loss is None else ops.add(loss, term)
    loss.backward()
    return result, xt, st, Wt, bt


def random_directions(n, T, units, count, seed=3):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal((n, T, units))] + [rng.standard_normal((n, units)) for _ in range(count)]


def close(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_lstm_matches_torch():
    torch, m, x, h0, c0 = torch_setup("LSTM")
    r = random_directions(3, 6, 4, 2)
    out, final, xt, st = torch_run(torch, m, x, [h0, c0], r)
    W, U = m.weight_ih_l0.detach().numpy().T, m.weight_hh_l0.detach().numpy().T     # i, f, g, o = Keras's i, f, c, o
    b = (m.bias_ih_l0 + m.bias_hh_l0).detach().numpy()
    Ut = Tensor(U.copy(), requires_grad=True)
    result, gx, gs, gW, gb = glass_run(lambda xp_, h, c: lstm_sequence(xp_, h, c, Ut), x, [h0, c0], W, b, r)
    close(result[0].data, out.detach().numpy())
    close(result[1].data, final[0].detach().numpy()[0])
    close(result[2].data, final[1].detach().numpy()[0])
    close(gx.grad, xt.grad.numpy())
    close(gs[0].grad, st[0].grad.numpy()[0])
    close(gs[1].grad, st[1].grad.numpy()[0])
    close(gW.grad, m.weight_ih_l0.grad.numpy().T)
    close(Ut.grad, m.weight_hh_l0.grad.numpy().T)
    close(gb.grad, m.bias_ih_l0.grad.numpy())


def test_gru_matches_torch():
    torch, m, x, h0, _ = torch_setup("GRU")
    r = random_directions(3, 6, 4, 1)
    out, final, xt, st = torch_run(torch, m, x, [h0], r)
    u = 4

    def keras_order(a):                      # torch's rows r, z, n -> Keras's z, r, h
        return np.concatenate([a[u:2 * u], a[:u], a[2 * u:]])
    W = keras_order(m.weight_ih_l0.detach().numpy()).T
    U = keras_order(m.weight_hh_l0.detach().numpy()).T
    b_in, b_rec = keras_order(m.bias_ih_l0.detach().numpy()), keras_order(m.bias_hh_l0.detach().numpy())
    Ut, brt = Tensor(U.copy(), requires_grad=True), Tensor(b_rec.copy(), requires_grad=True)
    result, gx, gs, gW, gb = glass_run(lambda xp_, h: gru_sequence(xp_, h, Ut, brt), x, [h0], W, b_in, r)
    close(result[0].data, out.detach().numpy())
    close(result[1].data, final[0].detach().numpy()[0])
    close(gx.grad, xt.grad.numpy())
    close(gs[0].grad, st[0].grad.numpy()[0])
    close(gW.grad, keras_order(m.weight_ih_l0.grad.numpy()).T)
    close(Ut.grad, keras_order(m.weight_hh_l0.grad.numpy()).T)
    close(gb.grad, keras_order(m.bias_ih_l0.grad.numpy()))
    close(brt.grad, keras_order(m.bias_hh_l0.grad.numpy()))


def test_simple_rnn_matches_torch():
    torch, m, x, h0, _ = torch_setup("RNN")
    r = random_directions(3, 6, 4, 1)
    out, final, xt, st = torch_run(torch, m, x, [h0], r)
    W, U = m.weight_ih_l0.detach().numpy().T, m.weight_hh_l0.detach().numpy().T
    b = (m.bias_ih_l0 + m.bias_hh_l0).detach().numpy()
    Ut = Tensor(U.copy(), requires_grad=True)
    result, gx, gs, gW, gb = glass_run(lambda xp_, h: simple_rnn_sequence(xp_, h, Ut), x, [h0], W, b, r)
    close(result[0].data, out.detach().numpy())
    close(result[1].data, final[0].detach().numpy()[0])
    close(gx.grad, xt.grad.numpy())
    close(gs[0].grad, st[0].grad.numpy()[0])
    close(gW.grad, m.weight_ih_l0.grad.numpy().T)
    close(Ut.grad, m.weight_hh_l0.grad.numpy().T)
    close(gb.grad, m.bias_ih_l0.grad.numpy())


# --- bad input --------------------------------------------------------------------------
def test_bad_shapes_raise_value_errors_naming_them():
    rng = np.random.default_rng(0)
    x, h0, c0, U = make_inputs("lstm", 4, rng)
    with pytest.raises(ValueError, match=r"x_proj must be 3-D.*\(3, 48\)"):
        lstm_sequence(x.reshape(3, -1), h0, c0, U)
    with pytest.raises(ValueError, match=r"h0 must be \(n, units\) = \(3, 3\), got shape \(3, 4\)"):
        lstm_sequence(x, np.zeros((3, 4)), c0, U)
    with pytest.raises(ValueError, match=r"c0 must be .*got shape \(2, 3\)"):
        lstm_sequence(x, h0, np.zeros((2, 3)), U)
    with pytest.raises(ValueError, match=r"U must be .*got U \(3, 9\)"):
        lstm_sequence(x, h0, c0, U[:, :9])
    with pytest.raises(ValueError, match=r"U must be .*\(4, 12\)"):
        simple_rnn_sequence(x, h0, np.zeros((4, 12)))
    with pytest.raises(ValueError, match=r"mask must be \(n, T\) = \(3, 4\), got shape \(3, 5\)"):
        lstm_sequence(x, h0, c0, U, mask=np.ones((3, 5), dtype=bool))
    with pytest.raises(ValueError, match=r"recurrent_dropout must have shape \(4, 3, 3\)"):
        lstm_sequence(x, h0, c0, U, recurrent_dropout=np.ones((3, 3)))
    xg, hg, Ug, bg = make_inputs("gru", 4, rng)
    with pytest.raises(ValueError, match=r"recurrent_bias must be .*\(9,\).*got shape \(3,\)"):
        gru_sequence(xg, hg, Ug, bg[:3])
    with pytest.raises(ValueError, match="reset_after=True"):
        gru_sequence(xg, hg, Ug, bg, reset_after=False)
    with pytest.raises(ValueError, match="U has dtype float32 but x_proj has float64"):
        lstm_sequence(Tensor(x), Tensor(h0), Tensor(c0), Tensor(U.astype(np.float32)))
    with pytest.raises(ValueError, match="no time steps"):
        gru_sequence(xg[:, :0], hg, Ug)


def test_unsupported_activation_raises():
    rng = np.random.default_rng(0)
    x, h0, c0, U = make_inputs("lstm", 2, rng)
    with pytest.raises(ValueError, match=r"activation='softsign' is not supported.*'hard_sigmoid'"):
        lstm_sequence(x, h0, c0, U, activation="softsign")
    with pytest.raises(ValueError, match="recurrent_activation='elu'"):
        gru_sequence(*make_inputs("gru", 2, rng), recurrent_activation="elu")

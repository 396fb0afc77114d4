"""Central-difference gradient checks (float64) for every primitive op."""
import numpy as np
import pytest

from glassnet import ops
from tests.gradcheck import GradcheckError, gradcheck

rng = np.random.default_rng(0)


def randn(*shape):
    return rng.standard_normal(shape)


def positive(*shape):
    return rng.uniform(0.5, 2.0, shape)


def away_from_zero(*shape):
    """Values with |x| in [0.3, 2]: no kinks of abs/relu/max inside ±eps."""
    return rng.uniform(0.3, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


# (name, function, inputs) — broadcasting cases included.
CASES = [
    ("add", ops.add, [randn(3, 4), randn(3, 4)]),
    ("add_broadcast", ops.add, [randn(2, 3, 4), randn(3, 1)]),
    ("add_scalar_shape", ops.add, [randn(3, 4), randn()]),
    ("sub_broadcast", ops.sub, [randn(4), randn(5, 4)]),
    ("mul_broadcast", ops.mul, [randn(2, 1, 4), randn(3, 1)]),
    ("div_broadcast", ops.div, [randn(3, 4), positive(4)]),
    ("neg", ops.neg, [randn(3, 2)]),
    ("power_scalar", lambda x: ops.power(x, 3), [randn(3, 4)]),
    ("power_fractional", lambda x: ops.power(x, 1.5), [positive(3, 4)]),
    ("power_tensor", ops.power, [positive(3, 4), randn(4)]),
    ("exp", ops.exp, [randn(3, 4)]),
    ("log", ops.log, [positive(3, 4)]),
    ("sqrt", ops.sqrt, [positive(3, 4)]),
    ("abs", ops.abs, [away_from_zero(3, 4)]),
    ("maximum", ops.maximum, [randn(3, 4), randn(3, 4)]),
    ("maximum_broadcast", ops.maximum, [randn(3, 4), randn(1, 4)]),
    ("minimum", ops.minimum, [randn(3, 4), randn(4)]),
    ("where", lambda a, b: ops.where(np.arange(12).reshape(3, 4) % 3 == 0, a, b), [randn(3, 4), randn(3, 4)]),
    ("where_broadcast", lambda a, b: ops.where(np.array([True, False, True, False]), a, b), [randn(3, 4), randn(1)]),
    ("clip", lambda x: ops.clip(x, -0.5, 0.5), [np.array([-2.0, -0.7, -0.3, 0.1, 0.4, 0.9, 3.0])]),
    ("tanh", ops.tanh, [randn(3, 4)]),
    ("sigmoid", ops.sigmoid, [randn(3, 4) * 3]),
    ("relu", ops.relu, [away_from_zero(3, 4)]),
    ("square", ops.square, [randn(3, 4)]),
    ("matmul_2d", ops.matmul, [randn(3, 4), randn(4, 5)]),
    ("linear", ops.linear, [randn(3, 4), randn(4, 5), randn(5)]),
    ("linear_no_bias", ops.linear, [randn(3, 4), randn(4, 5)]),
    ("linear_relu", lambda x, W, b: ops.linear(x, W, b, relu=True), [randn(3, 4), randn(4, 5), away_from_zero(5) * 3]),
    ("matmul_batched", ops.matmul, [randn(2, 3, 4), randn(2, 4, 5)]),
    ("matmul_broadcast_batch", ops.matmul, [randn(2, 1, 3, 4), randn(3, 4, 2)]),
    ("matmul_sequence_by_matrix", ops.matmul, [randn(2, 3, 4), randn(4, 5)]),   # one 2-D product in backward
    ("matmul_vec_mat", ops.matmul, [randn(4), randn(4, 3)]),
    ("matmul_mat_vec", ops.matmul, [randn(2, 3, 4), randn(4)]),
    ("matmul_vec_vec", ops.matmul, [randn(4), randn(4)]),
    ("sum_all", ops.sum, [randn(3, 4)]),
    ("sum_axis", lambda x: ops.sum(x, axis=1), [randn(3, 4, 2)]),
    ("sum_axes_keepdims", lambda x: ops.sum(x, axis=(0, 2), keepdims=True), [randn(3, 4, 2)]),
    ("mean_axis", lambda x: ops.mean(x, axis=-1), [randn(3, 4)]),
    ("mean_keepdims", lambda x: ops.mean(x, axis=0, keepdims=True), [randn(3, 4)]),
    ("max_axis", lambda x: ops.max(x, axis=1), [randn(3, 5)]),
    ("max_all_keepdims", lambda x: ops.max(x, keepdims=True), [randn(3, 5)]),
    ("min_axis", lambda x: ops.min(x, axis=0, keepdims=True), [randn(4, 3)]),
    ("var_axis", lambda x: ops.var(x, axis=0), [randn(5, 3)]),
    ("var_keepdims", lambda x: ops.var(x, axis=(1, 2), keepdims=True), [randn(2, 3, 4)]),
    ("logsumexp", lambda x: ops.logsumexp(x, axis=-1), [randn(3, 5)]),
    ("logsumexp_keepdims", lambda x: ops.logsumexp(x, axis=0, keepdims=True), [randn(3, 5)]),
    ("reshape", lambda x: ops.reshape(x, (4, 3)), [randn(3, 4)]),
    ("reshape_infer", lambda x: ops.reshape(x, (2, -1)), [randn(3, 4)]),
    ("transpose", ops.transpose, [randn(3, 4)]),
    ("permute", lambda x: ops.transpose(x, (2, 0, 1)), [randn(2, 3, 4)]),
    ("broadcast_to", lambda x: ops.broadcast_to(x, (2, 3, 4)), [randn(3, 1)]),
    ("expand_dims", lambda x: ops.expand_dims(x, 1), [randn(3, 4)]),
    ("squeeze", lambda x: ops.squeeze(x, 1), [randn(3, 1, 4)]),
    ("concatenate", lambda a, b, c: ops.concatenate([a, b, c], axis=1), [randn(2, 3), randn(2, 1), randn(2, 2)]),
    ("stack", lambda a, b: ops.stack([a, b], axis=1), [randn(2, 3), randn(2, 3)]),
    ("split", lambda x: ops.split(x, 3, axis=1)[1] * ops.split(x, [1, 4], axis=1)[2].sum(), [randn(2, 6)]),
    ("pad", lambda x: ops.pad(x, ((1, 2), (0, 1))), [randn(3, 4)]),
    ("slice", lambda x: x[1:, ::2], [randn(3, 4)]),
    ("int_index", lambda x: x[1], [randn(3, 4)]),
    ("bool_mask", lambda x: x[np.array([[True, False, True, False]] * 3)], [randn(3, 4)]),
    ("gather_repeated", lambda x: x[np.array([0, 2, 2, 1, 2])], [randn(3, 4)]),
    ("gather_2d_index", lambda x: x[np.array([[0, 1], [1, 1]])], [randn(3, 4)]),
    ("fancy_pair", lambda x: x[np.array([0, 0, 2]), np.array([1, 1, 3])], [randn(3, 4)]),
    ("softmax", lambda x: ops.softmax(x, axis=-1), [randn(3, 5)]),
    ("softmax_axis0", lambda x: ops.softmax(x, axis=0), [randn(3, 5)]),
    ("log_softmax", lambda x: ops.log_softmax(x, axis=-1), [randn(3, 5)]),
    ("cast", lambda x: ops.cast(x, "float64") * 2.0, [randn(3)]),
    ("erf", ops.erf, [randn(3, 4)]),
    ("softplus", ops.softplus, [randn(3, 4) * 5]),
    ("binary_step", ops.binary_step, [away_from_zero(3, 4)]),
    ("getitem", lambda x: ops.getitem(x, (slice(None), 1)), [randn(3, 4)]),
    ("softmax_ce_dense", lambda z: ops.softmax_cross_entropy(z, np.eye(5)[[0, 3, 1]]), [randn(3, 5)]),
    ("softmax_ce_soft_labels", lambda z: ops.softmax_cross_entropy(z, np.full((3, 5), 0.3)), [randn(3, 5)]),
    ("softmax_ce_sparse", lambda z: ops.softmax_cross_entropy(z, np.array([4, 0, 0]), sparse=True), [randn(3, 5)]),
    ("conv", lambda x, w, b: ops.conv(x, w, b, strides=2, padding="same"), [randn(2, 5, 4, 3), randn(3, 3, 3, 2), randn(2)]),
    ("conv_transpose", lambda x, w: ops.conv_transpose(x, w, strides=2, padding="same"), [randn(2, 3, 2, 3), randn(3, 3, 2, 3)]),
    ("max_pool", lambda x: ops.max_pool(x, 2), [np.random.default_rng(7).permutation(48).reshape(1, 4, 4, 3) / 7.0]),
    ("avg_pool", lambda x: ops.avg_pool(x, 3, strides=2, padding="same"), [randn(2, 5, 4, 2)]),
    ("softmax_ce_sparse_seq", lambda z: ops.softmax_cross_entropy(z, np.array([[1, 2], [0, 0]]), sparse=True), [randn(2, 2, 3)]),
    # the recurrent ops return (outputs, *final states): checked together as one concatenation
    ("simple_rnn_sequence", lambda x, h, U: ops.concatenate([r if r.ndim == 3 else ops.expand_dims(r, 1) for r in ops.simple_rnn_sequence(x, h, U)], axis=1),
     [randn(2, 3, 4), randn(2, 4), randn(4, 4) * 0.5]),
    ("lstm_sequence", lambda x, h, c, U: ops.concatenate([r if r.ndim == 3 else ops.expand_dims(r, 1) for r in ops.lstm_sequence(x, h, c, U)], axis=1),
     [randn(2, 3, 12), randn(2, 3), randn(2, 3), randn(3, 12) * 0.5]),
    ("gru_sequence", lambda x, h, U, b: ops.concatenate([r if r.ndim == 3 else ops.expand_dims(r, 1) for r in ops.gru_sequence(x, h, U, b)], axis=1),
     [randn(2, 3, 9), randn(2, 3), randn(3, 9) * 0.5, randn(9)]),
]


@pytest.mark.parametrize("name,fn,inputs", CASES, ids=[c[0] for c in CASES])
def test_gradcheck(name, fn, inputs):
    assert gradcheck(fn, [np.array(x, dtype=np.float64) for x in inputs])


def test_every_op_has_a_gradcheck():
    """Each of glassnet's own short ops (``ops.__all__`` less the Keras-named functions, which
    tests/ops/keras_api checks) appears in at least one case above."""
    names = {c[0] for c in CASES}
    covered = names | {n.split("_")[0] for n in names} | {"softmax_cross_entropy"}
    keras_named = set(ops._keras_names()) | {"image", "linalg", "nn", "numpy", "result_type"}
    missing = [op for op in ops.__all__ if op[0].islower() and op not in covered and op not in keras_named]
    assert not missing, f"ops without a gradient check: {missing}"


def test_fused_softmax_cross_entropy_matches_composed():
    z = randn(4, 6)
    y = np.eye(6)[[1, 5, 0, 2]]
    fused = ops.softmax_cross_entropy(z, y).numpy()
    composed = -(ops.log_softmax(z) * y).sum(axis=-1).numpy()
    sparse = ops.softmax_cross_entropy(z, np.array([1, 5, 0, 2]), sparse=True).numpy()
    np.testing.assert_allclose(fused, composed, rtol=1e-12)
    np.testing.assert_allclose(sparse, composed, rtol=1e-12)


def test_fused_linear_matches_matmul_plus_bias():
    x, W, b = randn(6, 4), randn(4, 3), randn(3)
    np.testing.assert_allclose(ops.linear(x, W, b).numpy(), (ops.matmul(x, W) + b).numpy(), rtol=1e-12)
    np.testing.assert_allclose(ops.linear(x, W, b, relu=True).numpy(), ops.relu(ops.matmul(x, W) + b).numpy(),
                               rtol=1e-12)
    with pytest.raises(ValueError, match=r"\(6, 4\) and \(3, 3\)"):
        ops.linear(x, randn(3, 3))


def test_gradcheck_reports_input_and_element():
    """A deliberately wrong backward is caught, naming the input and element."""
    from glassnet.tensor import Function

    class WrongSquare(Function):
        def forward(self, x):
            self.x = x
            return x * x

        def backward(self, grad):
            return grad * self.x  # should be 2x

    with pytest.raises(GradcheckError, match=r"input 0 \(shape \(2, 3\)\) element \(\d, \d\)"):
        gradcheck(lambda x: WrongSquare.apply(x), [randn(2, 3)])

"""The autograd engine: semantics of Tensor, backward, no_grad, Variable, and bad input."""
import gc
import tracemalloc

import numpy as np
import pytest

import glassnet as gn
from glassnet import backend, ops
from glassnet.utils import set_random_seed


def test_course_neuron_forward_and_gradient():
    # z = w·x + b = 0.9·2 + 0.2·3 + 0.3·(−1) + 0.5 = 1.8 + 0.6 − 0.3 + 0.5 = 2.6
    x = gn.Tensor([2.0, 3.0, -1.0], dtype="float64")
    w = gn.Tensor([0.9, 0.2, 0.3], requires_grad=True, dtype="float64")
    b = gn.Tensor(0.5, requires_grad=True, dtype="float64")
    z = (w * x).sum() + b
    a = ops.sigmoid(z)
    assert z.item() == pytest.approx(2.6, abs=1e-12)
    assert a.item() == pytest.approx(0.9309, abs=1e-4)  # 1 / (1 + e^−2.6) = 0.93086
    a.backward()
    s = a.item()
    # chain rule: da/dw = σ'(z)·x = s(1 − s)·x ;  da/db = s(1 − s)
    np.testing.assert_allclose(w.grad, s * (1 - s) * np.array([2.0, 3.0, -1.0]), rtol=1e-12)
    assert b.grad == pytest.approx(s * (1 - s), rel=1e-12)


def test_leaves_accumulate_and_can_be_cleared():
    x = gn.Tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    (x * 3.0).sum().backward()
    np.testing.assert_allclose(x.grad, [2 + 3, 4 + 3])
    x.grad = None
    (x * x).sum().backward()
    np.testing.assert_allclose(x.grad, [2, 4])


def test_tensor_used_many_times_sums_its_gradients():
    x = gn.Tensor([0.5, -1.5], requires_grad=True, dtype="float64")
    y = x * x + x * 3.0 + x  # dy/dx = 2x + 4
    y.sum().backward()
    np.testing.assert_allclose(x.grad, 2 * np.array([0.5, -1.5]) + 4)


def test_diamond_graph_intermediate_used_twice():
    x = gn.Tensor(2.0, requires_grad=True, dtype="float64")
    h = x * x          # h = x²
    y = h * h + h      # y = x⁴ + x² → dy/dx = 4x³ + 2x = 36
    y.backward()
    assert x.grad == pytest.approx(36.0)
    assert h.grad is None  # intermediates keep no gradient


def test_two_leaves_added_do_not_share_grad_array():
    a = gn.Tensor(np.ones(3), requires_grad=True)
    b = gn.Tensor(np.ones(3), requires_grad=True)
    (a + b).sum().backward()
    a.grad *= 0  # must not change b.grad
    np.testing.assert_allclose(b.grad, 1.0)


def test_backward_with_explicit_grad_for_non_scalar():
    x = gn.Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = x * 2.0
    y.backward(np.array([[1.0, 0.0], [0.5, 2.0]]))
    np.testing.assert_allclose(x.grad, [[2.0, 0.0], [1.0, 4.0]])


def test_broadcast_gradient_is_summed_to_input_shape():
    x = gn.Tensor(np.ones((4, 3)), requires_grad=True)
    b = gn.Tensor(np.zeros(3), requires_grad=True)
    (x + b).sum().backward()
    assert b.grad.shape == (3,)
    np.testing.assert_allclose(b.grad, 4.0)


def test_no_grad_records_nothing_and_detach_cuts_graph():
    x = gn.Tensor([1.0, 2.0], requires_grad=True)
    with gn.no_grad():
        y = x * 2.0
    assert not y.requires_grad and y.is_leaf
    d = (x * 2.0).detach()
    assert not d.requires_grad
    assert gn.is_grad_enabled()

    @gn.no_grad()
    def f(t):
        return t * t

    assert not f(x).requires_grad


def test_dtype_is_kept_by_python_scalars_and_floatx_is_settable():
    x = gn.Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    assert (x * 2.5 + 1).dtype == np.float32
    assert gn.Tensor([1.0, 2.0]).dtype == np.float32
    backend.set_floatx("float64")
    assert gn.Tensor([1.0, 2.0]).dtype == np.float64
    assert gn.Variable([1, 2]).dtype == np.float64
    with pytest.raises(ValueError, match="float16"):
        backend.set_floatx("int8")


def test_grad_has_the_data_dtype():
    x = gn.Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    (x * np.float64(2.0)).sum().backward()
    assert x.grad.dtype == np.float32


def test_comparisons_return_plain_boolean_arrays():
    x = gn.Tensor([1.0, 2.0, 3.0])
    assert isinstance(x > 1.5, np.ndarray)
    np.testing.assert_array_equal(x >= 2.0, [False, True, True])
    assert hash(x) == id(x) or isinstance(hash(x), int)


def test_reflected_operators_with_numpy_arrays_return_tensors():
    x = gn.Tensor([1.0, 2.0], requires_grad=True)
    y = np.array([3.0, 4.0]) * x + np.array([1.0, 1.0])
    assert isinstance(y, gn.Tensor)
    y.sum().backward()
    np.testing.assert_allclose(x.grad, [3.0, 4.0])


def test_variable_assign_name_and_trainable():
    v = gn.Variable(np.zeros((2, 2)), name="kernel")
    assert v.requires_grad and v.trainable and v.name == "kernel"
    v.assign(np.ones((2, 2)))
    np.testing.assert_array_equal(v.numpy(), 1.0)
    with pytest.raises(ValueError, match=r"\(3,\).*\(2, 2\)"):
        v.assign(np.ones(3))
    frozen = gn.Variable([1.0], trainable=False)
    assert not frozen.requires_grad


def test_deep_chain_of_10000_ops_backward_without_recursion_error():
    x = gn.Tensor(1.0, requires_grad=True, dtype="float64")
    y = x
    for _ in range(10_000):
        y = y * 1.0001
    y.backward()
    assert x.grad == pytest.approx(1.0001 ** 10_000, rel=1e-9)


def test_thousand_training_steps_do_not_grow_memory():
    set_random_seed(0)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((64, 10)).astype(np.float32)
    y = rng.integers(0, 3, 64)
    W1 = gn.Variable(rng.standard_normal((10, 16)) * 0.1)
    W2 = gn.Variable(rng.standard_normal((16, 3)) * 0.1)

    def step():
        loss = ops.softmax_cross_entropy(ops.relu(gn.Tensor(X) @ W1) @ W2, y, sparse=True).mean()
        loss.backward()
        for w in (W1, W2):
            w.data -= 0.01 * w.grad
            w.grad = None
        return loss.item()

    for _ in range(50):  # warm-up: caches, first allocations
        step()
    gc.collect()
    tracemalloc.start()
    for _ in range(200):
        step()
    _, peak_early = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    for _ in range(800):
        step()
    current, peak_late = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak_late <= peak_early * 1.2 + 64 * 1024
    assert current < 1024 * 1024


def test_graph_is_freed_and_second_backward_raises():
    x = gn.Tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()
    h = x * 3.0
    h.sum().backward()
    with pytest.raises(RuntimeError, match="second time"):
        (h * 2.0).sum().backward()


def test_retain_graph_allows_a_second_backward():
    x = gn.Tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad, [4.0, 8.0])


@pytest.mark.parametrize("bad,error,match", [
    ("abc", TypeError, "numeric"),
    ([[1.0, 2.0], [3.0]], ValueError, "ragged"),
    ({"a": 1}, TypeError, "numeric"),
    ([1.0, None], TypeError, "numeric"),
])
def test_bad_tensor_data(bad, error, match):
    with pytest.raises(error, match=match):
        gn.Tensor(bad)


def test_requires_grad_on_integer_tensor_raises():
    with pytest.raises(TypeError, match="floating"):
        gn.Tensor([1, 2], requires_grad=True)


def test_matmul_incompatible_shapes_names_them():
    with pytest.raises(ValueError, match=r"\(3, 4\) and \(5, 2\)"):
        ops.matmul(np.ones((3, 4)), np.ones((5, 2)))


def test_backward_on_non_scalar_without_grad_names_shape():
    x = gn.Tensor(np.ones((2, 3)), requires_grad=True)
    with pytest.raises(RuntimeError, match=r"\(2, 3\)"):
        (x * 2.0).backward()
    with pytest.raises(ValueError, match=r"\(3,\).*\(2, 3\)"):
        (x * 2.0).backward(np.ones(3))


def test_backward_on_tensor_without_grad_raises():
    with pytest.raises(RuntimeError, match="does not require grad"):
        gn.Tensor([1.0]).backward()


def test_bad_op_arguments():
    with pytest.raises(ValueError, match="cannot reshape"):
        ops.reshape(np.ones((2, 3)), (4, 2))
    with pytest.raises(ValueError, match="axis 3"):
        ops.sum(np.ones((2, 3)), axis=3)
    with pytest.raises(ValueError, match="greater than"):
        ops.clip(np.ones(2), 1.0, 0.0)
    with pytest.raises(ValueError, match="class labels"):
        ops.softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 3]), sparse=True)


def test_seeding_is_reproducible_and_leaves_numpy_global_state_alone():
    state = np.random.get_state()[1].copy()
    set_random_seed(7)
    a = backend.rng().standard_normal(5)
    set_random_seed(7)
    b = backend.rng().standard_normal(5)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(np.random.get_state()[1], state)
    with pytest.raises(ValueError):
        set_random_seed(-1)


def test_sigmoid_is_stable_for_large_inputs():
    s = ops.sigmoid(np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])).numpy()
    assert np.all(np.isfinite(s))
    assert s[2] == 0.5
    assert s[1] == pytest.approx(1 / (1 + np.exp(40.0)), rel=1e-12)
    assert s[4] == 1.0


def test_logsumexp_and_log_softmax_are_stable():
    z = np.array([[1000.0, 1000.0], [-1000.0, 0.0]])
    np.testing.assert_allclose(ops.logsumexp(z, axis=-1).numpy(), [1000 + np.log(2), 0.0], atol=1e-12)
    assert np.all(np.isfinite(ops.log_softmax(z).numpy()))


def test_grad_assignment_is_checked():
    v = gn.Variable(np.zeros(3))
    v.grad = np.ones(3, dtype=np.float32)
    v.grad = None
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(3,\)"):
        v.grad = np.ones((2, 3))
    with pytest.raises(TypeError, match="list"):
        v.grad = [1.0, 2.0, 3.0]


def test_variable_defaults_to_floatx_like_keras():
    assert gn.Variable(np.ones(3)).dtype == np.float32          # float64 data, float32 variable
    assert gn.Variable(np.ones(3), dtype="float64").dtype == np.float64
    counter = gn.Variable(0, dtype="int64", trainable=False)     # integer state is allowed untrained
    assert counter.dtype == np.int64

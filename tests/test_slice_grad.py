"""Slices' gradients are kept as (index, values) and summed in place: same results, O(T) not O(T²)."""
import numpy as np

import glassnet as gn
from glassnet import ops
from glassnet.slice_grad import SliceGrad, accumulate
from glassnet.testing import gradcheck


def test_gradients_through_many_and_overlapping_slices_are_exact():
    rng = np.random.default_rng(0)
    x = gn.Tensor(rng.normal(size=(3, 7, 2)), requires_grad=True)
    y = sum(ops.getitem(x, (slice(None), t)) * (t + 1) for t in range(7))          # every step once
    y = y + ops.getitem(x, (slice(None), slice(2, 5))).sum(axis=1) * 10.0            # overlapping reads
    y = y + ops.getitem(x, (slice(None), 3)) * x[:, 3] + ops.exp(x).sum(axis=1)       # a slice read twice, dense
    y.sum().backward()
    expected = np.broadcast_to(np.arange(1, 8, dtype=float)[None, :, None], (3, 7, 2)).copy()
    expected[:, 2:5] += 10.0
    expected[:, 3] += 2 * x.data[:, 3]
    expected += np.exp(x.data)
    np.testing.assert_allclose(x.grad, expected, rtol=1e-12)
    assert gradcheck(lambda a: sum(ops.getitem(a, (slice(None), t)) ** 2 for t in range(4)) * ops.getitem(a, 0).sum(),
                     [rng.normal(size=(2, 4))])


def test_a_single_slice_gradient_reaches_a_leaf_as_an_array_of_its_own():
    x = gn.Tensor(np.ones((2, 3)), requires_grad=True)
    ops.getitem(x, 1).sum().backward()
    assert isinstance(x.grad, np.ndarray) and x.grad.flags.owndata
    np.testing.assert_array_equal(x.grad, [[0, 0, 0], [1, 1, 1]])


def test_accumulate_adds_in_place_only_into_arrays_it_allocated():
    class Parent:
        data = np.zeros((2, 2))
    parent, shared = Parent(), np.ones((2, 2))
    grads, owned = {}, {}
    accumulate(grads, owned, parent, shared)                        # first: stored as given
    accumulate(grads, owned, parent, SliceGrad((2, 2), 0, np.array([5.0, 5.0])))
    np.testing.assert_array_equal(shared, np.ones((2, 2)))           # never written into
    accumulate(grads, owned, parent, np.full((2, 2), 2.0))
    np.testing.assert_array_equal(grads[id(parent)], [[8, 8], [3, 3]])


def test_an_rnn_over_many_steps_backpropagates_in_linear_memory_traffic():
    # 400 steps of a generic RNN(cell): each step's input slice no longer costs a full-size zeros array
    cell = gn.layers.SimpleRNNCell(4)
    layer = gn.layers.RNN(cell)
    x = gn.Tensor(np.random.default_rng(0).normal(size=(2, 400, 3)).astype("float32"), requires_grad=True)
    layer(x).sum().backward()
    assert x.grad.shape == (2, 400, 3) and np.isfinite(x.grad).all() and np.abs(x.grad[:, -1]).sum() > 0

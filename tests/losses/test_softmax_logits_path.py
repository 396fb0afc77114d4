"""Cross-entropy of a softmax output uses the fused logits path while the graph is recorded."""
import numpy as np

import glassnet as gn
from glassnet import losses, ops


def test_softmax_output_and_logits_give_the_same_loss_and_gradient():
    rng = np.random.default_rng(0)
    z0 = rng.standard_normal((5, 4))
    t = np.array([0, 3, 1, 1, 2])
    z1 = gn.Tensor(z0, requires_grad=True)
    via_softmax = losses.sparse_categorical_crossentropy(t, ops.softmax(z1))
    assert isinstance(via_softmax._ctx, ops.SoftmaxCrossEntropy)      # the fused op was used
    via_softmax.sum().backward()
    z2 = gn.Tensor(z0, requires_grad=True)
    via_logits = losses.sparse_categorical_crossentropy(t, z2, from_logits=True)
    via_logits.sum().backward()
    np.testing.assert_allclose(via_softmax.numpy(), via_logits.numpy(), rtol=1e-12)
    np.testing.assert_allclose(z1.grad, z2.grad, rtol=1e-12)
    # without a graph (inference) the probability path gives the same values here
    with gn.no_grad():
        p = ops.softmax(gn.Tensor(z0))
    np.testing.assert_allclose(losses.sparse_categorical_crossentropy(t, p).numpy(), via_logits.numpy(), rtol=1e-9)


def test_categorical_crossentropy_of_softmax_output_is_exact_beyond_the_clip():
    z = gn.Tensor(np.array([[0.0, 40.0]]), requires_grad=True)
    y = np.array([[1.0, 0.0]])
    loss = losses.categorical_crossentropy(y, ops.softmax(z))
    assert abs(loss.item() - 40.0) < 1e-9     # probability path would clip at −ln 1e-7 ≈ 16.1

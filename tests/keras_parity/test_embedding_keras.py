"""Embedding and Masking against Keras 3 (skipped without keras): outputs, gradients, masks, configs."""
import numpy as np
import pytest

import glassnet as gn
from glassnet import layers as G

keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")
K = keras.layers

pytestmark = pytest.mark.usefixtures("keras_float64")


def test_embedding_output_gradient_and_mask():
    ids = np.array([[1, 4, 4, 0], [2, 0, 0, 0]])
    ours, theirs = G.Embedding(5, 3, mask_zero=True), K.Embedding(5, 3, mask_zero=True)
    ours.build(ids.shape)
    theirs.build(ids.shape)
    theirs.set_weights(ours.get_weights())
    upstream = np.random.default_rng(0).standard_normal((2, 4, 3))
    y = ours(ids)
    (y * gn.Tensor(upstream)).sum().backward()
    ty = theirs(torch.tensor(ids))
    (ty * torch.tensor(upstream)).sum().backward()
    np.testing.assert_allclose(y.numpy(), ty.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(ours.embeddings.grad, theirs.embeddings.value.grad.numpy(), rtol=1e-12)
    np.testing.assert_array_equal(y._keras_mask, keras.ops.convert_to_numpy(theirs.compute_mask(ids)))
    assert set(ours.get_config()) == set(theirs.get_config()) - {"quantization_config", "activity_regularizer"}


def test_masking_output_and_mask():
    x = np.array([[[1.0, 2.0], [0.0, 0.0], [0.0, 3.0]]])
    y = G.Masking()(x)
    theirs = K.Masking()
    np.testing.assert_allclose(y.numpy(), keras.ops.convert_to_numpy(theirs(x)))
    np.testing.assert_array_equal(y._keras_mask, keras.ops.convert_to_numpy(theirs.compute_mask(x)))
    assert set(G.Masking().get_config()) == set(theirs.get_config())

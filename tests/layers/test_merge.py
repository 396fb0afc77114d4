"""Merge layers: values, gradients through every input, shape checks."""
import numpy as np
import pytest

from glassnet import layers
from glassnet.testing import layer_gradcheck

rng = np.random.default_rng(0)
A, B, C = (rng.standard_normal((2, 3)) for _ in range(3))


@pytest.mark.parametrize("cls, expected", [
    (layers.Add, A + B + C),
    (layers.Multiply, A * B * C),
    (layers.Average, (A + B + C) / 3),
    (layers.Maximum, np.maximum(np.maximum(A, B), C)),
    (layers.Minimum, np.minimum(np.minimum(A, B), C)),
])
def test_elementwise_merges(cls, expected):
    layer = cls(dtype="float64")
    np.testing.assert_allclose(layer([A, B, C]).numpy(), expected, rtol=1e-12)
    layer_gradcheck(layer, [A, B, C])
    assert layer.compute_output_shape([(None, 3), (None, 3), (None, 3)]) == (None, 3)


def test_subtract_takes_exactly_two():
    layer = layers.Subtract(dtype="float64")
    np.testing.assert_array_equal(layer([A, B]).numpy(), A - B)
    layer_gradcheck(layer, [A, B])
    with pytest.raises(ValueError, match="exactly 2 inputs, got 3"):
        layers.Subtract()([A, B, C])


def test_broadcast_axis_of_length_one():
    np.testing.assert_allclose(layers.Add(dtype="float64")([A, A[:, :1]]).numpy(), A + A[:, :1])


def test_mismatched_shapes_name_the_shapes():
    with pytest.raises(ValueError, match=r"same shape.*\[\(2, 3\), \(2, 4\)\]"):
        layers.Add()([A, np.zeros((2, 4))])
    with pytest.raises(ValueError, match="same shape"):
        layers.Multiply()([A, np.zeros((2, 3, 1))])
    with pytest.raises(ValueError, match="list of tensors"):
        layers.Add()(A)
    with pytest.raises(ValueError, match=r"except axis -1.*\[\(2, 3\), \(4, 3\)\]"):
        layers.Concatenate()([A, np.zeros((4, 3))])


def test_concatenate():
    joined = layers.Concatenate(dtype="float64")([A, B[:, :2]]).numpy()
    np.testing.assert_array_equal(joined, np.concatenate([A, B[:, :2]], -1))
    np.testing.assert_array_equal(layers.concatenate([A, B], axis=0, dtype="float64").numpy(), np.concatenate([A, B], 0))
    assert layers.Concatenate().compute_output_shape([(None, 3), (None, 2)]) == (None, 5)
    layer_gradcheck(layers.Concatenate(axis=0, dtype="float64"), [A, B[:1]])


def test_dot_per_sample_and_keras_example():
    # (batch, n)·(batch, n) along axis 1: one dot product per sample, shape (batch, 1)
    y = layers.Dot(axes=1, dtype="float64")([A, B]).numpy()
    np.testing.assert_allclose(y, (A * B).sum(1, keepdims=True), rtol=1e-12)
    # Keras's docstring example: x (1, 5, 2), y (1, 2, 5), axes (1, 2) → [[260, 360], [320, 445]]
    x1, x2 = np.arange(10.0).reshape(1, 5, 2), np.arange(10.0, 20.0).reshape(1, 2, 5)
    np.testing.assert_array_equal(layers.Dot(axes=(1, 2))([x1, x2]).numpy(), [[[260, 360], [320, 445]]])
    assert layers.Dot(axes=(1, 2)).compute_output_shape([(None, 5, 2), (None, 2, 5)]) == (None, 2, 2)
    assert layers.Dot(axes=-1).compute_output_shape([(None, 3), (None, 3)]) == (None, 1)


def test_dot_normalize_is_cosine_similarity():
    y = layers.Dot(axes=-1, normalize=True, dtype="float64")([A, B]).numpy()
    cosine = (A * B).sum(1) / np.linalg.norm(A, axis=1) / np.linalg.norm(B, axis=1)
    np.testing.assert_allclose(y[:, 0], cosine, rtol=1e-12)


@pytest.mark.parametrize("axes, shapes", [(1, [(2, 3), (2, 3)]), ((1, 2), [(2, 4, 2), (2, 3, 4)]),
                                          (-1, [(2, 3, 4), (2, 4)])])
@pytest.mark.parametrize("normalize", [False, True])
def test_dot_gradcheck(axes, shapes, normalize):
    inputs = [rng.standard_normal(s) for s in shapes]
    layer_gradcheck(layers.Dot(axes=axes, normalize=normalize, dtype="float64"), inputs)


def test_dot_bad_input():
    with pytest.raises(ValueError, match=r"axis 1 of \(2, 3\) has 3, axis 1 of \(2, 4\) has 4"):
        layers.Dot(axes=1)([A, np.zeros((2, 4))])
    with pytest.raises(ValueError, match="non-batch axis"):
        layers.Dot(axes=0)([A, B])
    with pytest.raises(ValueError, match="int or a pair"):
        layers.Dot(axes=(1, 2, 3))


def test_functional_forms_and_symbolic_shapes():
    a, b = layers.Input((3,)), layers.Input((3,))
    assert layers.add([a, b]).shape == (None, 3)
    assert layers.concatenate([a, b]).shape == (None, 6)
    assert layers.dot([a, b], axes=1).shape == (None, 1)
    np.testing.assert_allclose(layers.maximum([A, B]).numpy(), np.maximum(A, B), rtol=1e-6)


def test_masks_merge_as_in_keras():
    import numpy as np
    from glassnet import Tensor
    a, b = Tensor(np.ones((2, 3, 4))), Tensor(np.ones((2, 3, 4)))
    a._keras_mask = np.array([[True, True, False], [True, False, False]])
    b._keras_mask = np.array([[True, False, False], [True, True, False]])
    # Add & co.: the OR of the masks when every input has one
    np.testing.assert_array_equal(layers.Add()([a, b])._keras_mask, [[True, True, False], [True, True, False]])
    # Concatenate along the features: a step counts if any input keeps it
    np.testing.assert_array_equal(layers.Concatenate()([a, b])._keras_mask, [[True, True, False], [True, True, False]])
    c = Tensor(np.ones((2, 3, 2)))                              # no mask: its features count as kept
    assert layers.Add()([a, Tensor(np.ones((2, 3, 4)))])._keras_mask is None
    np.testing.assert_array_equal(layers.Concatenate()([a, c])._keras_mask, np.ones((2, 3), dtype=bool))
    # Concatenate along time: the masks are joined
    np.testing.assert_array_equal(layers.Concatenate(axis=1)([a, b])._keras_mask,
                                  [[True, True, False, True, False, False], [True, False, False, True, True, False]])
    assert layers.Dot(axes=2)([a, b])._keras_mask is None


def test_one_mask_for_a_tuple_of_outputs_goes_to_the_first():
    import numpy as np
    from glassnet import Tensor
    q, v = Tensor(np.ones((1, 2, 3))), Tensor(np.ones((1, 4, 3)))
    q._keras_mask = np.array([[True, False]])
    context, scores = layers.Attention()([q, v], return_attention_scores=True)
    np.testing.assert_array_equal(context._keras_mask, q._keras_mask)    # the query's mask, as in Keras
    assert scores._keras_mask is None

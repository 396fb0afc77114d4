"""glassnet.testing.layer_gradcheck: it checks inputs and weights, and catches a wrong gradient."""
import numpy as np
import pytest

from glassnet import Function, layers
from glassnet.testing import GradcheckError, layer_gradcheck


class WrongSquare(Function):
    """f = a² with a deliberately wrong derivative (a instead of 2a)."""

    def forward(self, a):
        self.a = a
        return a * a

    def backward(self, grad):
        return grad * self.a


class SquaredWeights(layers.Layer):
    """y = x · (w ⊙ w), its weight read through a list attribute and a wrong square."""

    def build(self, input_shape):
        self.pieces = [self.add_weight((input_shape[-1],), "ones", name="w")]

    def call(self, inputs):
        return inputs * WrongSquare.apply(self.pieces[0])


def test_wrong_weight_gradient_is_caught_and_weights_are_restored():
    layer = SquaredWeights(dtype="float64")
    layer(np.ones((2, 3)))
    weight = layer.pieces[0]
    layer_gradcheck(layer, np.ones((2, 3)), wrt_weights=False)  # w.r.t. the input it is right
    with pytest.raises(GradcheckError, match="input 1"):
        layer_gradcheck(layer, np.ones((2, 3)))
    assert layer.pieces[0] is weight


def test_sublayer_weights_are_checked():
    class Block(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.inner = layers.Dense(2, dtype=kwargs.get("dtype"))

        def call(self, inputs):
            return self.inner(inputs) * 2.0

    block = Block(dtype="float64")
    layer_gradcheck(block, np.random.default_rng(0).standard_normal((3, 2)))
    assert block.inner.kernel.__class__.__name__ == "Variable"


def test_float32_layer_is_refused():
    with pytest.raises(ValueError, match="float64"):
        layer_gradcheck(layers.Dense(2), np.ones((2, 2)))

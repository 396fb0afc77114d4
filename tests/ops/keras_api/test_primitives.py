"""The primitives added for Keras's ops (math_primitives.py, core_api.CustomGradient), each applied
directly and checked against central differences in float64, with a hand-checked value."""
import math

import numpy as np
import pytest

from glassnet import Tensor
from glassnet.ops import core_api
from glassnet.ops.math_primitives import (Arcsin, Arctan, Cos, Cumsum, Einsum, Erfinv, Expm1, I0, Inverse, Log1p,
                                          LogAbsDet, ScatterAdd, Sin)
from tests.gradcheck import gradcheck

rng = np.random.default_rng(3)
SQUARE = rng.standard_normal((3, 3)) + 3 * np.eye(3)

CASES = [
    ("Sin", lambda x: Sin.apply(x), [rng.standard_normal(5)]),
    ("Cos", lambda x: Cos.apply(x), [rng.standard_normal(5)]),
    ("Arcsin", lambda x: Arcsin.apply(x), [rng.uniform(-0.9, 0.9, 5)]),
    ("Arctan", lambda x: Arctan.apply(x), [rng.standard_normal(5)]),
    ("Expm1", lambda x: Expm1.apply(x), [rng.standard_normal(5)]),
    ("Log1p", lambda x: Log1p.apply(x), [rng.uniform(-0.5, 2.0, 5)]),
    ("Erfinv", lambda x: Erfinv.apply(x), [rng.uniform(-0.9, 0.9, 5)]),
    ("I0", lambda x: I0.apply(x), [rng.standard_normal(5)]),
    ("Cumsum", lambda x: Cumsum.apply(x, axis=1), [rng.standard_normal((2, 4))]),
    ("ScatterAdd", lambda v: ScatterAdd.apply(v, index=(np.array([0, 2, 0]),), shape=(3, 2)),
     [rng.standard_normal((3, 2))]),
    ("Einsum", lambda a, b: Einsum.apply(a, b, subscripts="ij,jk->ik"), [rng.standard_normal((2, 3)),
                                                                          rng.standard_normal((3, 2))]),
    ("Einsum-summed-letter", lambda a, b: Einsum.apply(a, b, subscripts="ij,k->ik"), [rng.standard_normal((2, 3)),
                                                                                      rng.standard_normal(2)]),
    ("Inverse", lambda a: Inverse.apply(a), [SQUARE]),
    ("LogAbsDet", lambda a: LogAbsDet.apply(a), [SQUARE]),
    ("LogAbsDet-batched", lambda a: LogAbsDet.apply(a), [np.stack([SQUARE, SQUARE.T + np.eye(3)])]),
]


@pytest.mark.parametrize("name, fn, inputs", CASES, ids=[c[0] for c in CASES])
def test_primitive_gradcheck(name, fn, inputs):
    assert gradcheck(fn, inputs)


def test_values_by_hand():
    assert np.isclose(Sin.apply(Tensor(np.array(math.pi / 6))).item(), 0.5)
    assert np.isclose(Arctan.apply(Tensor(np.array(1.0))).item(), math.pi / 4)
    assert Expm1.apply(Tensor(np.array(1e-10))).item() == pytest.approx(1e-10, rel=1e-9)   # exp(x) − 1 would lose it
    assert Log1p.apply(Tensor(np.array(1e-10))).item() == pytest.approx(1e-10, rel=1e-9)
    assert np.isclose(I0.apply(Tensor(np.array(0.0))).item(), 1.0)
    assert Cumsum.apply(Tensor(np.array([1.0, 2.0, 3.0])), axis=0).tolist() == [1.0, 3.0, 6.0]
    placed = ScatterAdd.apply(Tensor(np.array([1.0, 2.0, 5.0])), index=(np.array([0, 2, 0]),), shape=(3,))
    assert placed.tolist() == [6.0, 0.0, 2.0]                                             # repeats add up
    assert np.isclose(LogAbsDet.apply(Tensor(np.diag([2.0, -3.0]))).item(), math.log(6.0))
    np.testing.assert_allclose(Inverse.apply(Tensor(np.diag([2.0, 4.0]))).numpy(), np.diag([0.5, 0.25]))


def test_custom_gradient_primitive():
    def clip_gradient(x):
        def grad(upstream):
            return upstream * 0.5
        return x * x, grad

    x = Tensor(np.array([3.0]), requires_grad=True)
    y = core_api.CustomGradient.apply(x, fn=clip_gradient)
    y.backward(np.array([1.0]))
    assert y.tolist() == [9.0] and x.grad.tolist() == [0.5]              # the given backward, not 2x

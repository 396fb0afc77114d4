"""Every Keras-named glassnet.ops function against NumPy (float64, to 1e-9) and, where
differentiable, against central differences (tests/gradcheck.py)."""
import numpy as np
import pytest

import glassnet as gn
from glassnet import ops
from tests.gradcheck import gradcheck

from .cases import CASES
from .harness import float_slots, outputs, pick, rebuild, resolve


@pytest.fixture(autouse=True)
def float64():
    gn.backend.set_floatx("float64")
    yield
    gn.backend.set_floatx("float32")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_value_matches_numpy(case):
    if case.ref is None:
        pytest.skip("checked by hand in test_keras_ops_by_hand.py")
    got = outputs(resolve(ops, case.name)(*case.inputs, **case.kw))
    want = outputs(case.ref(*case.inputs, **case.kw))
    assert len(got) == len(want), f"{case.id}: {len(got)} outputs, expected {len(want)}"
    for g, w in zip(got, want):
        assert g.shape == np.shape(w), f"{case.id}: shape {g.shape}, expected {np.shape(w)}"
        np.testing.assert_allclose(g, w, rtol=1e-9, atol=1e-12, err_msg=case.id)


GRAD_CASES = [c for c in CASES if c.grad]


@pytest.mark.parametrize("case", GRAD_CASES, ids=[c.id for c in GRAD_CASES])
def test_gradient_matches_central_differences(case):
    slots = float_slots(case.inputs)
    arrays = [case.inputs[s[0]] if len(s) == 1 else case.inputs[s[0]][s[1]] for s in slots]
    function = resolve(ops, case.name)

    def fn(*tensors):
        return pick(function(*rebuild(case.inputs, slots, tensors), **case.kw), case.out)

    wrt = None if case.wrt is None else [slots.index((i,)) for i in case.wrt]
    assert gradcheck(fn, arrays, wrt=wrt)


def test_every_keras_named_function_has_a_case_or_a_test_by_hand():
    """The coverage promise: each Keras name glassnet.ops implements is exercised here or by hand."""
    from .test_keras_ops_by_hand import BY_HAND
    names = {c.name for c in CASES} | BY_HAND
    missing = sorted(set(ops._keras_names()) - names)
    assert not missing, f"Keras-named ops without a test: {missing}"

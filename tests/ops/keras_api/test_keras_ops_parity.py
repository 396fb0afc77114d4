"""glassnet.ops against keras.ops itself, on the same generated inputs: values and gradients.

Skipped unless keras and torch are importable (neither is a dependency). Keras runs on its
PyTorch backend; both sides compute in float64 (as tests/keras_parity/conftest.py explains,
Keras would otherwise turn float64 into float32 on torch).
"""
import os

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")
if keras.config.backend() != "torch":
    pytest.skip("the parity tests drive Keras's torch backend", allow_module_level=True)

import glassnet as gn  # noqa: E402
from glassnet import Tensor, ops  # noqa: E402

from .cases import CASES  # noqa: E402
from .harness import float_slots, outputs, pick, rebuild, resolve  # noqa: E402

# Cases with keras=False are those where Keras's torch backend itself departs from NumPy and from
# Keras's documentation (dot of N-D tensors uses matmul, vdot refuses 2-D, imag refuses real
# tensors, nonzero returns one stacked tensor); glassnet follows NumPy there.
# Factorizations are defined only up to the sign of each vector:
UP_TO_SIGN = {"qr", "eigh"}
PARITY = [c for c in CASES if c.keras]


@pytest.fixture(autouse=True)
def float64(monkeypatch):
    from keras.src.backend.common import dtypes
    monkeypatch.setitem(dtypes.BIT64_TO_BIT32_DTYPE, "float64", "float64")
    keras.config.set_floatx("float64")
    gn.backend.set_floatx("float64")
    yield
    keras.config.set_floatx("float32")
    gn.backend.set_floatx("float32")


def _as_keras(x):
    if isinstance(x, np.ndarray):
        return keras.ops.convert_to_tensor(x)
    if isinstance(x, (list, tuple)):
        return type(x)(_as_keras(v) for v in x)
    return x


def _keras_call(case, values=None):
    slots = float_slots(case.inputs)
    args = case.inputs if values is None else rebuild(case.inputs, slots, values)
    return resolve(keras.ops, case.name)(*[_as_keras(a) for a in args], **case.kw)


@pytest.mark.parametrize("case", PARITY, ids=[c.id for c in PARITY])
def test_values_match_keras(case):
    ours = outputs(resolve(ops, case.name)(*case.inputs, **case.kw))
    theirs = outputs(_keras_call(case))
    assert len(ours) == len(theirs), f"{case.id}: {len(ours)} outputs, Keras {len(theirs)}"
    for a, b in zip(ours, theirs):
        assert a.shape == b.shape, f"{case.id}: shape {a.shape}, Keras {b.shape}"
        if case.name in UP_TO_SIGN:
            a, b = np.abs(a), np.abs(b)
        np.testing.assert_allclose(a.astype(np.float64), b.astype(np.float64), rtol=1e-6, atol=1e-7, err_msg=case.id)


GRADS = [c for c in PARITY if c.grad and c.keras_grad]


@pytest.mark.parametrize("case", GRADS, ids=[c.id for c in GRADS])
def test_gradients_match_keras(case):
    slots = float_slots(case.inputs)
    arrays = [case.inputs[s[0]] if len(s) == 1 else case.inputs[s[0]][s[1]] for s in slots]
    wrt = range(len(arrays)) if case.wrt is None else [slots.index((i,)) for i in case.wrt]

    leaves = [Tensor(a, requires_grad=True) for a in arrays]
    ours = pick(resolve(ops, case.name)(*rebuild(case.inputs, slots, leaves), **case.kw), case.out)
    r = np.random.default_rng(0).standard_normal(ours.shape)
    ours.backward(r)

    torch_leaves = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    theirs = pick(_keras_call(case, torch_leaves), case.out)
    (theirs * torch.tensor(r, dtype=theirs.dtype)).sum().backward()
    for i in wrt:
        g_ours = leaves[i].grad if leaves[i].grad is not None else np.zeros_like(arrays[i])
        g_theirs = torch_leaves[i].grad.numpy() if torch_leaves[i].grad is not None else np.zeros_like(arrays[i])
        np.testing.assert_allclose(g_ours, g_theirs, rtol=1e-6, atol=1e-9, err_msg=f"{case.id}: input {i}")

"""Optimizers with hostile hyperparameters and hostile gradients.

A hostile hyperparameter is refused by name, or the optimizer takes a finite step (checked
exactly for plain SGD: w − lr·g). A hostile gradient (wrong shape, a string, None in the
wrong place, a NaN-free object array) is refused before any variable or slot changes.
"""
import inspect

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import glassnet
from glassnet import optimizers

from .harness import REFUSED, check_call
from .strategies import HOSTILE

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

OPTIMIZERS = [optimizers.SGD, optimizers.Adam, optimizers.AdamW, optimizers.RMSprop, optimizers.Adagrad,
              optimizers.Adadelta, optimizers.Adamax, optimizers.Nadam, optimizers.Lion]
HYPERPARAMETERS = [(cls, name) for cls in OPTIMIZERS for name in inspect.signature(cls.__init__).parameters
                   if name not in ("self", "name", "kwargs")]


@pytest.mark.parametrize("cls, argument", HYPERPARAMETERS, ids=[f"{c.__name__}-{a}" for c, a in HYPERPARAMETERS])
@given(value=HOSTILE)
def test_hostile_hyperparameter_is_refused_or_steps(cls, argument, value):
    assume(not (argument == "learning_rate" and callable(value)))   # see test_bad_schedule_is_named
    assume(not (argument in ("amsgrad", "nesterov") and isinstance(value, np.ndarray)))   # see below
    optimizer = check_call("optimizers", lambda: cls(**{argument: value}), names=(argument, cls.__name__))
    if optimizer is REFUSED:
        return
    w = glassnet.Variable(np.array([1.0, -2.0, 0.5], np.float32))
    g = np.array([0.5, -0.25, 1.0], np.float32)

    def verify(_):                     # a learning rate of 1e38 overflows float32 honestly; not a bug
        overflows = isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > 1e6
        assert overflows or np.all(np.isfinite(w.numpy())), \
            f"{cls.__name__}({argument}={value!r}) made the weight non-finite"

    result = check_call("optimizers", lambda: optimizer.apply_gradients([(g, w)]), names=(argument, cls.__name__),
                        verify=verify)
    if result is REFUSED:
        np.testing.assert_array_equal(w.numpy(), [1.0, -2.0, 0.5])


@given(lr=st.floats(1e-6, 10), g=st.lists(st.floats(-1e3, 1e3, width=32), min_size=3, max_size=3))
def test_sgd_step_is_w_minus_lr_g(lr, g):
    w = glassnet.Variable(np.array([1.0, -2.0, 0.5], np.float32))
    g = np.array(g, np.float32)
    check_call("optimizers", lambda: optimizers.SGD(learning_rate=lr).apply_gradients([(g, w)]),
               verify=lambda _: np.testing.assert_allclose(
                   w.numpy(), np.array([1.0, -2.0, 0.5], np.float32) - np.float32(lr) * g, rtol=1e-5, atol=1e-4))


def _slots(optimizer) -> list:
    """The optimizer's state arrays (``variables`` is a method in glassnet, a property in Keras)."""
    variables = optimizer.variables
    return list(variables() if callable(variables) else variables)


HOSTILE_GRADIENTS = st.sampled_from([
    np.ones(4, np.float32), np.ones((3, 1), np.float32), np.ones((), np.float32), np.zeros(0, np.float32),
    "abc", object(), 3.0,               # strings, complex and object arrays: test_non_real_gradient_is_refused
])


@pytest.mark.parametrize("cls", OPTIMIZERS, ids=[c.__name__ for c in OPTIMIZERS])
@given(gradient=HOSTILE_GRADIENTS)
def test_hostile_gradient_changes_nothing(cls, gradient):
    w = glassnet.Variable(np.array([1.0, -2.0, 0.5], np.float32))
    optimizer = cls()
    optimizer.apply_gradients([(np.full(3, 0.1, np.float32), w)])      # slots exist now
    before = (w.numpy().copy(), [np.array(v) for v in _slots(optimizer)])

    def verify(_):
        assert np.all(np.isfinite(w.numpy()))

    result = check_call("optimizers", lambda: optimizer.apply_gradients([(gradient, w)]),
                        names=("grad", "gradient", "shape", "variable"), verify=verify)
    if result is REFUSED:
        np.testing.assert_array_equal(w.numpy(), before[0])
        assert all(np.array_equal(a, np.array(b)) for a, b in zip(before[1], _slots(optimizer))), \
            "a refused step changed an optimizer slot"


# --- open faults in glassnet/optimizers/base.py (not H3's file; the fix is in H3's report) -----


@pytest.mark.parametrize("gradient", [[1.0, "a", 2.0], np.array([1 + 1j, 2, 3]),
                                      np.array([1.0, None, 2.0], dtype=object)], ids=["str", "complex", "object"])
def test_non_real_gradient_is_refused(gradient):
    """A complex gradient is silently cast to real; an object array with None makes the weight NaN;
    strings give NumPy's "could not convert string to float"."""
    w = glassnet.Variable(np.array([1.0, -2.0, 0.5], np.float32))
    with pytest.raises(TypeError, match="gradient"):
        optimizers.SGD().apply_gradients([(gradient, w)])
    np.testing.assert_array_equal(w.numpy(), [1.0, -2.0, 0.5])


def test_bad_schedule_is_named():
    """A callable learning_rate that does not take the step count: Python's "len() takes exactly one argument"."""
    w = glassnet.Variable(np.array([1.0, -2.0, 0.5], np.float32))
    with pytest.raises((TypeError, ValueError), match="learning_rate"):
        optimizers.Adagrad(learning_rate=len).apply_gradients([(np.ones(3, np.float32), w)])


@pytest.mark.parametrize("make", [lambda: optimizers.AdamW(amsgrad=np.array([1, 2])),
                                  lambda: optimizers.Adam(amsgrad=np.array([1, 2])),
                                  lambda: optimizers.SGD(nesterov=np.array([1, 2]))], ids=["AdamW", "Adam", "SGD"])
def test_flag_given_an_array_is_named(make):
    """amsgrad/nesterov=np.array([1, 2]): NumPy's "truth value of an array ... is ambiguous"."""
    with pytest.raises((TypeError, ValueError), match="amsgrad|nesterov"):
        make()

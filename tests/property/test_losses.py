"""Losses on hostile input: per-sample values against NumPy on generated data, then arrays
of any rank 0–3 (sides 0–4) with NaN for every built-in loss name.

The function form (``losses.get(name)(y_true, y_pred)``) returns one value per sample
(Keras's convention: the mean over the last axis, no batch reduction); the class form
returns their mean.
"""
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from glassnet import losses

from .harness import assert_close, check_call

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

EPS = 1e-7


def _bce(y, p):
    p = np.clip(p, EPS, 1 - EPS)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p), axis=-1)


REFERENCES = {
    "mean_squared_error": lambda y, p: np.mean((y - p) ** 2, axis=-1),
    "mean_absolute_error": lambda y, p: np.mean(np.abs(y - p), axis=-1),
    "binary_crossentropy": _bce,
    "hinge": lambda y, p: np.mean(np.maximum(1 - (2 * y - 1) * p, 0), axis=-1),
    "log_cosh": lambda y, p: np.mean(np.log(np.cosh(p - y)), axis=-1),
    "poisson": lambda y, p: np.mean(p - y * np.log(p + EPS), axis=-1),
}


@pytest.mark.parametrize("name", sorted(REFERENCES))
@given(shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4), data=st.data())
def test_loss_matches_numpy(name, shape, data):
    y = data.draw(hnp.arrays(np.float64, shape, elements=st.sampled_from([0.0, 1.0])))
    p = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(0.01, 0.99)))
    check_call("losses", lambda: losses.get(name)(y, p), verify=lambda out: assert_close(
        out, REFERENCES[name](y, p), rtol=1e-5, atol=1e-6, dtype=False))
    check_call("losses", lambda: _class_form(name)(y, p), verify=lambda out: assert_close(
        out, np.mean(REFERENCES[name](y, p)), rtol=1e-5, atol=1e-6, dtype=False))


def _class_form(name):
    return {"mean_squared_error": losses.MeanSquaredError, "mean_absolute_error": losses.MeanAbsoluteError,
            "binary_crossentropy": losses.BinaryCrossentropy, "hinge": losses.Hinge, "log_cosh": losses.LogCosh,
            "poisson": losses.Poisson}[name]()


NAMES = ["mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
         "mean_squared_logarithmic_error", "binary_crossentropy", "categorical_crossentropy",
         "sparse_categorical_crossentropy", "hinge", "squared_hinge", "categorical_hinge", "kl_divergence",
         "huber", "log_cosh", "poisson", "cosine_similarity", "binary_focal_crossentropy"]
ANY_ARRAY = hnp.arrays(np.float32, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
                       elements=st.floats(-2, 2, width=32) | st.just(np.nan))
HOSTILE_ARRAYS = st.one_of(ANY_ARRAY, st.sampled_from([None, "abc", [1, "a"], [[1, 2], [3]], np.array(["x"]),
                                                       np.array([1 + 2j]), np.array([None, 1.0], dtype=object)]))


def _shape(value):
    """np.shape, or None for a ragged list (whose shape NumPy refuses to say)."""
    try:
        return np.shape(value)
    except ValueError:
        return None


@pytest.mark.parametrize("name", NAMES)
@given(y_true=HOSTILE_ARRAYS, y_pred=HOSTILE_ARRAYS)
def test_loss_on_any_input_refuses_cleanly(name, y_true, y_pred):
    assume(not (name == "categorical_crossentropy" and _shape(y_true) == () and _shape(y_pred) == (1,)))  # below
    def verify(out):
        out = np.asarray(out.numpy())
        assert out.dtype.kind == "f", f"{name} returned dtype {out.dtype}"

    check_call("losses", lambda: losses.get(name)(y_true, y_pred),
               names=("y_true", "y_pred", "shape", "label", "class", "numeric", "dtype", name), verify=verify)



def test_categorical_crossentropy_without_a_class_axis():
    """A 0-d y_true against a (1,) y_pred is squeezed to 0-d, then y_pred.shape[axis]: IndexError."""
    with pytest.raises(ValueError, match="y_pred"):
        losses.get("categorical_crossentropy")(np.array(0.0, np.float32), np.array([0.0], np.float32))

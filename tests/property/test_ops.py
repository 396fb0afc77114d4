"""ops on hostile input: shapes of rank 0–4 (sides 0–4, so empty tensors too), float32 and
float64 with NaN and ±inf, axes good and bad. Each call matches NumPy (values, shape,
dtype) or is refused with a ValueError/TypeError naming the op or the argument.

Where NumPy refuses, glassnet must refuse too; where NumPy works, glassnet must give its
answer — with the documented exceptions: glassnet refuses ``clip`` with x_min > x_max and
bools as axes (``axis=True`` is a bug, not a request for axis 1), and accepts a list of axes.
"""
import numpy as np
import pytest
import scipy.special
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from glassnet import ops

from .harness import DOCUMENTED, RAW_MESSAGES, REFUSED, assert_close, check_call, numpy_outcome

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")
from .strategies import FLOAT_DTYPES, axis_arguments, float_arrays

REDUCTIONS = {
    "sum": (ops.sum, np.sum),
    "mean": (ops.mean, np.mean),
    "max": (ops.max, np.max),
    "min": (ops.min, np.min),
    "var": (ops.var, np.var),
    "std": (ops.std, np.std),
    "logsumexp": (ops.logsumexp, lambda x, axis, keepdims: _logsumexp(x, axis, keepdims)),
}


def _logsumexp(x, axis, keepdims):
    """log Σ exp(x) = m + log Σ exp(x − m), m the (finite) max; an empty axis gives −∞.

    (scipy.special.logsumexp refuses empty (0, 0) input and reshapes axis=() oddly.)
    """
    m = np.max(x, axis=axis, keepdims=True, initial=-np.inf)
    m = np.where(np.isfinite(m), m, 0)
    out = m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))
    return out.reshape(np.sum(x, axis=axis, keepdims=keepdims).shape)


def _same_fate(name, ours, reference, *, names=(), tolerance=1e-4, lenient=False, dtype=True, documented=DOCUMENTED):
    """glassnet's call and NumPy's reference either both work (and agree) or both refuse.

    ``lenient``: glassnet may refuse where NumPy works (a documented stricter rule).
    """
    works, expected = numpy_outcome(reference)

    def verify(result):
        assert works or lenient, f"{name}: NumPy refuses ({type(expected).__name__}: {expected}) but glassnet returned"
        if works:
            assert_close(result, expected, rtol=tolerance, atol=tolerance, dtype=dtype)

    result = check_call("ops", ours, names=(name, *names), verify=verify, documented=documented)
    if result is REFUSED and works and not lenient:
        raise AssertionError(f"{name}: NumPy works ({np.asarray(expected).shape}) but glassnet refused")
    return result


def _is_bool_axis(axis) -> bool:
    items = axis if isinstance(axis, (tuple, list)) else (axis,)
    return any(isinstance(a, (bool, np.bool_)) for a in items)


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@given(x=float_arrays(), axis=axis_arguments(), keepdims=st.booleans())
def test_reductions_match_numpy_or_refuse(name, x, axis, keepdims):
    ours, reference = REDUCTIONS[name]
    _same_fate(name, lambda: ours(x, axis=axis, keepdims=keepdims),
               lambda: np.asarray(reference(x, axis=axis, keepdims=keepdims), dtype=x.dtype), names=("axis",),
               lenient=_is_bool_axis(axis) or (x.ndim == 0 and axis in (0, -1)))  # np.std refuses what np.var takes


@given(x=float_arrays(), axes=st.one_of(st.none(), st.permutations(range(4)).map(tuple),
                                        st.lists(st.integers(-6, 6), max_size=5).map(tuple),
                                        st.sampled_from([(0.0,), 1.5, "01", (True, False)])))
def test_transpose_matches_numpy_or_refuses(x, axes):
    if isinstance(axes, tuple) and axes and x.ndim == len(axes) and all(isinstance(a, int) for a in axes):
        pass  # a permutation of the right length: must work
    _same_fate("transpose", lambda: ops.transpose(x, axes), lambda: np.transpose(x, axes), names=("axes",),
               lenient=_is_bool_axis(axes))


def test_transpose_issue_cases():
    """Fault 7 of issue 16: an out-of-range axis wrapped around, and a 0-d tensor divided by zero."""
    A = np.ones((2, 3, 4), np.float32)
    with pytest.raises(ValueError, match="transpose: axes entry 5 is out of range"):
        ops.transpose(A, (0, 1, 5))
    with pytest.raises(ValueError, match="0-d tensor has no axes"):
        ops.transpose(np.float32(2.0), (0,))
    assert ops.transpose(np.float32(2.0)).numpy() == np.float32(2.0)


def test_mean_float_axis_issue_case():
    """Fault 7 of issue 16: ops.mean(t, axis=1.5) was "'float' object is not iterable"."""
    with pytest.raises(TypeError, match="mean: axis must be None, an int or a tuple of ints, got 1.5"):
        ops.mean(np.ones((2, 3), np.float32), axis=1.5)
    with pytest.raises(ValueError, match="repeats an axis"):
        ops.sum(np.ones((2, 3), np.float32), axis=(1, -1))


BOUNDS = st.one_of(st.none(), st.floats(-3, 3), st.sampled_from([float("nan"), float("inf"), -float("inf")]))


@given(x=float_arrays(), low=BOUNDS, high=BOUNDS)
def test_clip_matches_numpy_or_refuses(x, low, high):
    """One-sided bounds work as in NumPy; x_min > x_max is refused (NumPy returns x_max)."""
    assume(not (low is None and high is None))
    one_sided = low is None or high is None                  # see test_clip_open_side_keeps_inf
    assume(not one_sided or (not np.isinf(x).any() and all(b is None or np.isfinite(b) for b in (low, high))))
    _same_fate("clip", lambda: ops.clip(x, low, high), lambda: np.clip(x, low, high), names=("x_min", "x_max"),
               lenient=low is not None and high is not None and (low > high or np.isnan(low) or np.isnan(high)))


def test_clip_one_sided():
    t = np.array([-2.0, 0.5, 3.0], np.float32)
    assert ops.clip(t, -1.0, None).numpy().tolist() == [-1.0, 0.5, 3.0]
    assert ops.clip(t, None, 1.0).numpy().tolist() == [-2.0, 0.5, 1.0]


@given(x=float_arrays(hnp.array_shapes(min_dims=0, max_dims=3, max_side=4)),
       shape=st.one_of(st.lists(st.integers(-2, 6), max_size=4).map(tuple), st.integers(-3, 30),
                       st.sampled_from(["3", (2.0, 3), (True,), (None, 2)])))
def test_reshape_matches_numpy_or_refuses(x, shape):
    _same_fate("reshape", lambda: ops.reshape(x, shape), lambda: np.reshape(x, shape), names=("shape",),
               lenient=_is_bool_axis(shape) or _numpy_only_shape(shape) or (x.size == 0 and -1 in np.atleast_1d(shape)))


def _numpy_only_shape(shape) -> bool:
    """NumPy reads any negative entry (−2, −7) as −1; glassnet, as Keras, accepts only −1."""
    entries = shape if isinstance(shape, tuple) else (shape,)
    return any(isinstance(s, int) and s < -1 for s in entries)


@given(x=float_arrays(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3)),
       n=st.integers(1, 3), axis=st.one_of(st.integers(-4, 4), st.sampled_from([1.5, None, "0", True])))
def test_concatenate_and_stack_match_numpy_or_refuse(x, n, axis):
    xs = [x] * n
    _same_fate("concatenate", lambda: ops.concatenate(xs, axis=axis), lambda: np.concatenate(xs, axis=axis),
               lenient=_is_bool_axis(axis))
    if axis is not None:
        _same_fate("stack", lambda: ops.stack(xs, axis=axis), lambda: np.stack(xs, axis=axis),
                   lenient=_is_bool_axis(axis))


@given(x=float_arrays(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)),
       sections=st.one_of(st.integers(-1, 4), st.lists(st.integers(0, 4), max_size=3)),
       axis=st.integers(-5, 5))
def test_split_matches_numpy_or_refuses(x, sections, axis):
    assume(x.ndim >= 1 and -x.ndim <= axis < x.ndim)      # see test_split_bad_axis_is_refused
    assume(x.shape[axis] > 0)                              # see test_split_of_an_empty_axis
    def ours():
        return [p.numpy() for p in ops.split(x, sections, axis=axis)]

    def reference():
        return np.split(x, sections, axis=axis)

    works, expected = numpy_outcome(reference)

    def verify(result):
        assert works, f"NumPy refuses ({expected}) but glassnet returned"
        assert len(result) == len(expected)
        for got, want in zip(result, expected):
            assert_close(got, want)

    result = check_call("ops", ours, names=("split", "axis", "sections"), verify=verify)
    assert result is not REFUSED or not works, "NumPy splits but glassnet refused"


UNARY = {
    "exp": (ops.exp, np.exp), "log": (ops.log, np.log), "sqrt": (ops.sqrt, np.sqrt), "abs": (ops.abs, np.abs),
    "tanh": (ops.tanh, np.tanh), "negative": (ops.negative, np.negative), "square": (ops.square, np.square),
    "sign": (ops.sign, np.sign), "floor": (ops.floor, np.floor), "sin": (ops.sin, np.sin),
    "sigmoid": (ops.sigmoid, scipy.special.expit), "relu": (ops.relu, lambda a: np.maximum(a, 0)),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@given(x=float_arrays())
def test_unary_ops_match_numpy(name, x):
    ours, reference = UNARY[name]
    _same_fate(name, lambda: ours(x), lambda: reference(x).astype(x.dtype))


BINARY = {
    "add": (ops.add, np.add), "subtract": (ops.subtract, np.subtract), "multiply": (ops.multiply, np.multiply),
    "divide": (ops.divide, np.divide), "maximum": (ops.maximum, np.maximum), "minimum": (ops.minimum, np.minimum),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3).map(
           lambda s: s.input_shapes)                        # shapes that broadcast, or (below) any two
       | st.tuples(hnp.array_shapes(min_dims=1, max_dims=3, max_side=4), hnp.array_shapes(min_dims=1, max_dims=3,
                                                                                          max_side=4)),
       dtype=FLOAT_DTYPES, data=st.data())
def test_binary_ops_broadcast_as_numpy_or_refuse(name, shapes, dtype, data):
    a = data.draw(float_arrays(st.just(shapes[0]), st.just(dtype)))
    b = data.draw(float_arrays(st.just(shapes[1]), st.just(dtype)))
    ours, reference = BINARY[name]
    _same_fate(name, lambda: ours(a, b), lambda: reference(a, b), names=("shape", "broadcast"))


# --- open faults in glassnet/ops/numpy_*.py (helper F's files; the fixes are in H3's report) ---


def test_clip_open_side_keeps_inf():
    """numpy_math.clip stands in the dtype's largest value for an open side, so −inf becomes −3.4e38."""
    t = np.array([-np.inf, 0.5, np.inf], np.float32)
    np.testing.assert_array_equal(ops.clip(t, None, 0.0).numpy(), [-np.inf, 0.0, 0.0])


@pytest.mark.parametrize("x, axis", [(np.ones((2, 3, 4), np.float32), 5), (np.float32(1.0), 0)])
def test_split_bad_axis_is_refused(x, axis):
    """numpy_shape.split reads x.shape[axis] before checking axis: IndexError."""
    with pytest.raises(ValueError, match="axis"):
        ops.split(x, 2, axis=axis)


def test_split_of_an_empty_axis():
    """numpy_shape.split steps range() by n // sections = 0: "range() arg 3 must not be zero"."""
    assert [p.shape for p in ops.split(np.zeros((0, 2), np.float32), 2)] == [(0, 2), (0, 2)]


@pytest.mark.parametrize("call", [lambda x: ops.reshape(x, None), lambda x: ops.reshape(x, 2.0),
                                  lambda x: ops.sum(x.astype(np.int32), axis=1.5),
                                  lambda x: ops.swapaxes(x, 0, 7)])
def test_keras_named_wrappers_check_their_arguments(call):
    """reshape's tuple(newshape), keras_base.axis_tuple's tuple(axis) and swapaxes' list index
    raise Python's own TypeError/IndexError before the primitives can check."""
    with pytest.raises((ValueError, TypeError), match="shape|axis"):
        try:
            call(np.ones((2, 3), np.float32))
        except (ValueError, TypeError) as exc:
            assert "not iterable" not in str(exc)
            raise


# --- the Keras-named ops that take an axis, against their NumPy twins -------------------------
AXIS_OPS = {
    "argmax": (lambda x, a: ops.argmax(x, axis=a), lambda x, a: np.argmax(x, axis=a)),
    "argmin": (lambda x, a: ops.argmin(x, axis=a), lambda x, a: np.argmin(x, axis=a)),
    "cumsum": (lambda x, a: ops.cumsum(x, axis=a), lambda x, a: np.cumsum(x, axis=a)),
    "cumprod": (lambda x, a: ops.cumprod(x, axis=a), lambda x, a: np.cumprod(x, axis=a)),
    "prod": (lambda x, a: ops.prod(x, axis=a), lambda x, a: np.prod(x, axis=a)),
    "sort": (lambda x, a: ops.sort(x, axis=a), lambda x, a: np.sort(x, axis=a)),
    "flip": (lambda x, a: ops.flip(x, axis=a), lambda x, a: np.flip(x, axis=a)),
    "roll": (lambda x, a: ops.roll(x, 1, axis=a), lambda x, a: np.roll(x, 1, axis=a)),
    "expand_dims": (lambda x, a: ops.expand_dims(x, a), lambda x, a: np.expand_dims(x, a)),
    "squeeze": (lambda x, a: ops.squeeze(x, axis=a), lambda x, a: np.squeeze(x, axis=a)),
    "moveaxis": (lambda x, a: ops.moveaxis(x, a, 0), lambda x, a: np.moveaxis(x, a, 0)),
    "swapaxes": (lambda x, a: ops.swapaxes(x, a, 0), lambda x, a: np.swapaxes(x, a, 0)),
    "take": (lambda x, a: ops.take(x, np.array([0]), axis=a), lambda x, a: np.take(x, np.array([0]), axis=a)),
    "repeat": (lambda x, a: ops.repeat(x, 2, axis=a), lambda x, a: np.repeat(x, 2, axis=a)),
    "count_nonzero": (lambda x, a: ops.count_nonzero(x, axis=a), lambda x, a: np.count_nonzero(x, axis=a)),
    "any": (lambda x, a: ops.any(x, axis=a), lambda x, a: np.any(x, axis=a)),
    "all": (lambda x, a: ops.all(x, axis=a), lambda x, a: np.all(x, axis=a)),
    "softmax": (lambda x, a: ops.softmax(x, axis=a),
                lambda x, a: np.exp(x - np.max(x, axis=a, keepdims=True))
                / np.sum(np.exp(x - np.max(x, axis=a, keepdims=True)), axis=a, keepdims=True)),
    "norm": (lambda x, a: ops.norm(x, axis=a), lambda x, a: np.linalg.norm(x, axis=a)),
}
# Where NumPy accepts what Keras refuses (or the reverse), glassnet may follow Keras:
LENIENT_OPS = {"argmax", "argmin", "sort", "norm", "softmax", "take"}




@pytest.mark.parametrize("name", sorted(AXIS_OPS))
@given(x=float_arrays(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3), finite=True),
       axis=st.one_of(st.integers(-4, 4), st.sampled_from([None, 1.5, "0", True])))
def test_keras_named_axis_ops_match_numpy_or_refuse(name, x, axis):
    """(NumPy lets cumsum, repeat and squeeze take axis 0 of a 0-d array; glassnet may refuse:
    a 0-d tensor has no axes. An index past the end is NumPy's and Keras's IndexError.)"""
    ours, reference = AXIS_OPS[name]
    _same_fate(name, lambda: ours(x, axis), lambda: reference(x, axis), names=("axis", "index"),
               lenient=name in LENIENT_OPS or _is_bool_axis(axis) or (x.ndim == 0 and axis is not None),
               dtype=False, documented=(ValueError, TypeError, IndexError) if name == "take" else DOCUMENTED)



"""keras.ops tensor creation: zeros, ones, full, arange, linspace, eye, tri, window functions.

A created tensor depends on no input, so it is a constant (``copy`` and the ``*_like``
functions read only a shape and dtype). dtypes follow Keras: ``zeros((2, 3))`` is floatx,
``arange(5)`` int32, ``arange(0.0, 1.0, 0.25)`` floatx.
"""
from __future__ import annotations

import numpy as np

from ..backend import xp
from ..tensor import Tensor
from .elementwise import Cast
from .keras_base import constant, floatx_dtype, result_dtype, standardize_dtype, tensor


def _dtype(dtype, default=None) -> np.dtype:
    return standardize_dtype(dtype) if dtype is not None else (default or floatx_dtype())


def _shape(shape) -> tuple:
    return (int(shape),) if np.ndim(shape) == 0 else tuple(int(n) for n in shape)


def zeros(shape, dtype=None) -> Tensor:
    return constant(xp.zeros(_shape(shape), dtype=_dtype(dtype)))


def ones(shape, dtype=None) -> Tensor:
    return constant(xp.ones(_shape(shape), dtype=_dtype(dtype)))


def empty(shape, dtype=None) -> Tensor:
    """An uninitialised tensor (here: zeros, so no stale memory shows)."""
    return zeros(shape, dtype)


def full(shape, fill_value, dtype=None) -> Tensor:
    """``shape`` filled with ``fill_value`` (its dtype by Keras's rule unless ``dtype`` is given)."""
    fill = tensor(fill_value)
    return constant(xp.full(_shape(shape), fill.data, dtype=_dtype(dtype, fill.dtype)))


def zeros_like(x, dtype=None) -> Tensor:
    x = tensor(x)
    return constant(xp.zeros(x.shape, dtype=_dtype(dtype, x.dtype)))


def ones_like(x, dtype=None) -> Tensor:
    x = tensor(x)
    return constant(xp.ones(x.shape, dtype=_dtype(dtype, x.dtype)))


def empty_like(x, dtype=None) -> Tensor:
    return zeros_like(x, dtype)


def full_like(x, fill_value, dtype=None) -> Tensor:
    x = tensor(x)
    return constant(xp.full(x.shape, tensor(fill_value).data, dtype=_dtype(dtype, x.dtype)))


def copy(x) -> Tensor:
    """A copy of x (the gradient passes through)."""
    x = tensor(x)
    return Cast.apply(x, dtype=x.dtype) if x.requires_grad else constant(x.data.copy())


def array(x, dtype=None) -> Tensor:
    """x as a tensor (Keras's ``array`` is ``convert_to_tensor``)."""
    return tensor(x, dtype)


def arange(start, stop=None, step=None, dtype=None) -> Tensor:
    """start, start + step, … below stop; int32 for int arguments, floatx for floats."""
    if stop is None:
        start, stop = 0, start
    step = 1 if step is None else step
    default = result_dtype(*[v for v in (start, stop, step)])
    return constant(xp.arange(tensor(start).data, tensor(stop).data, tensor(step).data).astype(_dtype(dtype, default)))


def _float_or(dtype) -> np.dtype:
    return _dtype(dtype)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """``num`` evenly spaced values from start to stop (``retstep``: also the spacing)."""
    out = np.linspace(tensor(start).data, tensor(stop).data, num, endpoint=endpoint, retstep=retstep, axis=axis)
    if retstep:
        values, step = out
        return constant(values.astype(_float_or(dtype))), constant(np.asarray(step, _float_or(dtype)))
    return constant(out.astype(_float_or(dtype)))


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0) -> Tensor:
    """base ** linspace(start, stop)."""
    out = np.logspace(tensor(start).data, tensor(stop).data, num, endpoint=endpoint, base=base, axis=axis)
    return constant(out.astype(_float_or(dtype)))


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0) -> Tensor:
    """``num`` values from start to stop in a geometric progression."""
    out = np.geomspace(tensor(start).data, tensor(stop).data, num, endpoint=endpoint, axis=axis)
    return constant(out.astype(_float_or(dtype)))


def eye(N, M=None, k=0, dtype=None) -> Tensor:  # noqa: N803 (Keras's names)
    """Ones on diagonal k of an N×M matrix."""
    return constant(xp.eye(int(N), None if M is None else int(M), int(k), dtype=_dtype(dtype)))


def identity(n, dtype=None) -> Tensor:
    return eye(n, dtype=dtype)


def tri(N, M=None, k=0, dtype=None) -> Tensor:  # noqa: N803
    """Ones at and below diagonal k of an N×M matrix."""
    return constant(xp.tri(int(N), None if M is None else int(M), int(k), dtype=_dtype(dtype)))


def bartlett(x) -> Tensor:
    """The Bartlett (triangular) window of length x."""
    return constant(np.bartlett(int(tensor(x).data)).astype(floatx_dtype()))


def blackman(x) -> Tensor:
    return constant(np.blackman(int(tensor(x).data)).astype(floatx_dtype()))


def hamming(x) -> Tensor:
    return constant(np.hamming(int(tensor(x).data)).astype(floatx_dtype()))


def hanning(x) -> Tensor:
    return constant(np.hanning(int(tensor(x).data)).astype(floatx_dtype()))


def kaiser(x, beta) -> Tensor:
    return constant(np.kaiser(int(tensor(x).data), float(beta)).astype(floatx_dtype()))


__all__ = ["zeros", "ones", "empty", "full", "zeros_like", "ones_like", "empty_like", "full_like", "copy",
    "array", "arange", "linspace", "logspace", "geomspace", "eye", "identity", "tri", "bartlett", "blackman",
    "hamming", "hanning", "kaiser"]

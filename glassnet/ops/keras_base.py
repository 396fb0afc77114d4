"""Keras's conversion and dtype rules, shared by the Keras-named ops (``*_api.py``).

Every ``glassnet.ops`` function named after a ``keras.ops`` function takes Tensors,
NumPy arrays, nested lists or Python numbers and returns a ``Tensor``. Two rules decide
the dtype of the result, as in Keras 3:

* **conversion** (``tensor``): a Python float or a list of them becomes ``floatx()``
  (float32 by default), a Python int ``int32``, a bool ``bool``; NumPy arrays and
  Tensors keep their dtype; a list of Tensors is stacked (so gradients flow back).
* **promotion** (``result_dtype``): floats win over ints and bools. Two float operands
  give the wider float; int with float gives that float (not float64 as NumPy would);
  two int operands promote as NumPy does. An operand that is not a Tensor (a Python
  number or a NumPy array) is *weak* next to a Tensor: it takes the Tensor's float dtype
  (``x + 0.5`` stays float32; as on Keras's JAX and PyTorch backends, where a float64
  array next to float32 computes in float32), and a weak float next to an integer
  Tensor makes the result ``floatx()``.

Ops that are not differentiable (comparisons, ``argmax``, ``floor`` ...) compute on the
arrays and return a Tensor that needs no gradient (``constant``).
"""
from __future__ import annotations

import numbers

import numpy as np

from .. import backend
from ..backend import xp
from ..tensor import Tensor
from .axes import canonical_axes
from .elementwise import Cast
from .shape_ops import Stack


def floatx_dtype() -> np.dtype:
    return np.dtype(backend.floatx())


def standardize_dtype(dtype) -> np.dtype | None:
    """A dtype name, NumPy dtype or Python type -> a NumPy dtype ('float' is floatx)."""
    if dtype is None:
        return None
    if dtype is float or (isinstance(dtype, str) and dtype == "float"):
        return floatx_dtype()
    if dtype is int or (isinstance(dtype, str) and dtype == "int"):
        return np.dtype("int32")
    if dtype is bool:
        return np.dtype(bool)
    try:
        return np.dtype(dtype)
    except TypeError:
        raise TypeError(f"unknown dtype {dtype!r}") from None


def data(x):
    """The array inside a Tensor (other inputs through ``tensor`` first)."""
    return x.data if isinstance(x, Tensor) else tensor(x).data


def tensor(x, dtype=None) -> Tensor:
    """``x`` as a Tensor under Keras's conversion rule (a Tensor passes through unchanged).

    Args:
        x: Tensor, NumPy array, nested list or Python number.
        dtype: optional dtype to cast to (differentiably, for floats).
    """
    if not isinstance(x, Tensor):
        if isinstance(x, (bool, np.bool_)):
            array = xp.asarray(x, dtype=bool)
        elif isinstance(x, numbers.Integral) and not isinstance(x, np.integer):
            array = xp.asarray(x, dtype=np.int32)
        elif isinstance(x, (list, tuple)) and _any(isinstance(v, Tensor) for v in x):
            parts = [tensor(v) for v in x]                      # a list of tensors: stacked, with gradient
            target = result_dtype(*parts)
            x = Stack.apply(*[cast_to(p, target) for p in parts], axis=0)
            return x if dtype is None else cast_to(x, standardize_dtype(dtype))
        elif isinstance(x, (list, tuple)):
            array = np.asarray(x)
            if array.dtype == np.float64:
                array = array.astype(floatx_dtype())
            elif array.dtype == np.int64:
                array = array.astype(np.int32)
        else:
            array = xp.asarray(x)
            if isinstance(x, float) and array.dtype == np.float64:
                array = array.astype(floatx_dtype())
        if array.dtype.kind not in "biuf":
            raise TypeError(f"cannot make a numeric tensor from {type(x).__name__} (dtype {array.dtype})")
        x = Tensor._wrap(array)
    if dtype is not None:
        x = cast_to(x, standardize_dtype(dtype))
    return x


def _any(iterable) -> bool:
    for item in iterable:
        if item:
            return True
    return False


def cast_to(x: Tensor, dtype: np.dtype) -> Tensor:
    """x in ``dtype``: differentiable between floats, a constant otherwise; no-op if equal."""
    if x.dtype == dtype:
        return x
    if x.requires_grad and dtype.kind == "f":
        return Cast.apply(x, dtype=dtype)
    return Tensor._wrap(x.data.astype(dtype))


def float_tensor(x) -> Tensor:
    """``x`` as a float Tensor: ints and bools become ``floatx()`` (Keras's rule for sqrt, exp, mean ...)."""
    x = tensor(x)
    return x if x.dtype.kind == "f" else Tensor._wrap(x.data.astype(floatx_dtype()))


def constant(array) -> Tensor:
    """A Tensor of a computed array, outside the graph (the result of a non-differentiable op)."""
    return Tensor._wrap(xp.asarray(array))


def _promote(a: np.dtype, b: np.dtype) -> np.dtype:
    """Promotion of two strong dtypes: floats win; ints promote as NumPy; bool is the bottom."""
    if a.kind == "f" and b.kind == "f":
        return np.promote_types(a, b)
    if a.kind == "f" or b.kind == "f":
        return a if a.kind == "f" else b
    if a.kind == "b" or b.kind == "b":
        return b if a.kind == "b" else a
    return np.promote_types(a, b)


def result_dtype(*xs) -> np.dtype:
    """The dtype Keras gives an op of ``xs`` (see the module docstring)."""
    strong = [x.dtype for x in xs if isinstance(x, Tensor)]
    weak = [tensor(x).dtype for x in xs if not isinstance(x, Tensor)]
    if not strong:
        strong, weak = weak, []
    out = strong[0]
    for d in strong[1:]:
        out = _promote(out, d)
    for d in weak:
        if d.kind == "f" and out.kind != "f":
            out = floatx_dtype()
        elif d.kind in "iu" and out.kind == "b":
            out = np.dtype(np.int32) if d == np.int32 else d
    return out


def promoted(*xs, dtype=None) -> list:
    """The inputs as Tensors of one dtype (``result_dtype``, or ``dtype`` when given)."""
    if dtype is None and len(xs) == 2 and isinstance(xs[0], Tensor) and isinstance(xs[1], Tensor) \
            and xs[0].dtype == xs[1].dtype:
        return list(xs)                               # the common case inside layers: nothing to do
    target = standardize_dtype(dtype) if dtype is not None else result_dtype(*xs)
    return [cast_to(tensor(x), target) for x in xs]


def promoted_float(*xs) -> list:
    """As ``promoted``, then ints and bools to ``floatx()`` (for divide, arctan2, hypot ...)."""
    target = result_dtype(*xs)
    if target.kind != "f":
        target = floatx_dtype()
    return [cast_to(tensor(x), target) for x in xs]


def axis_tuple(axis, ndim: int, owner: str = "") -> tuple:
    """None -> every axis; an int or sequence -> a sorted tuple of non-negative axes
    (checked by ``axes.canonical_axes``: ints only, in range, none repeated)."""
    return canonical_axes(axis, ndim, owner)

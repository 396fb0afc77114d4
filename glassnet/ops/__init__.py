"""The primitive ops, as functions of Tensors (arrays and numbers are accepted too).

Each function below applies one ``Function`` (forward + backward, in the files of
this package) or composes a few. Everything else in glassnet — activations, losses,
layers — is written with these, and so gets its gradient for free.

=================  =============================================================
file               ops
=================  =============================================================
elementwise.py     add, sub, mul, div, neg, power, maximum, minimum, where, clip, cast
unary.py           exp, log, sqrt, abs, tanh, sigmoid, relu
reduce.py          sum, mean, max, min, var, logsumexp
matmul.py          matmul
linear.py          linear (x·W + b fused, for Dense)
conv.py            conv, conv_transpose (im2col.py: windows as rows of a matrix)
pooling.py         max_pool, avg_pool (a loop over the window's offsets, strided views)
windows.py         conv_output_length and the other sizes of sliding windows
shape.py           reshape, transpose, broadcast_to, concatenate, stack, pad
indexing.py        getitem (slices, masks, gather with repeated indices)
softmax.py         softmax, log_softmax, softmax_cross_entropy (fused)
special.py         erf, softplus, binary_step
recurrent.py       simple_rnn_sequence, lstm_sequence, gru_sequence (whole sequence, fused BPTT)
=================  =============================================================

Optional compiled twins (Numba, ``glassnet[fast]``; switch: ``glassnet.kernels``):
``pool_kernels.py`` (max pooling), ``relu_kernels.py`` (a fused ReLU's backward) and
``recurrent_kernels.py`` (the LSTM and GRU steps, forward and backward), ``softmax_kernels.py``
(the row reductions of attention's softmax) and ``normalization_kernels.py`` (layer norm's rows).
"""
from __future__ import annotations

import builtins
import numbers

import numpy as np


from ..backend import xp
from ..tensor import Tensor
from .attention import attention_weights, masked_softmax, scaled_dot_product_attention
from .conv import Conv, ConvTranspose, conv, conv_transpose
from .elementwise import Add, Cast, Clip, Div, Maximum, Minimum, Mul, Neg, Pow, PowScalar, Sub, Where
from .indexing import GetItem, getitem
from .linear import Linear
from .matmul import MatMul
from .pooling import AvgPool2D, MaxPool2D, pool
from .recurrent import GRUSequence, LSTMSequence, SimpleRNNSequence, gru_sequence, lstm_sequence, simple_rnn_sequence
from .reduce import LogSumExp, Max, Mean, Min, Sum, Var
from .shape import BroadcastTo, Concatenate, Pad, Reshape, Stack, Transpose
from .softmax import LogSoftmax, Softmax, SoftmaxCrossEntropy
from .special import binary_step, erf, softplus
from .unary import Abs, Exp, Log, Relu, Sigmoid, Sqrt, Tanh
from .windows import conv_output_length, transposed_output_length


def _pair(a, b):
    """Make two operands tensors; a bare number or array takes the other's float dtype."""
    if isinstance(a, Tensor) and not isinstance(b, Tensor):
        return a, a._lift(b)
    if isinstance(b, Tensor) and not isinstance(a, Tensor):
        return b._lift(a), b
    return a, b


# --- arithmetic ----------------------------------------------------------------------
def add(a, b) -> Tensor:
    return Add.apply(*_pair(a, b))


def sub(a, b) -> Tensor:
    return Sub.apply(*_pair(a, b))


def mul(a, b) -> Tensor:
    return Mul.apply(*_pair(a, b))


def div(a, b) -> Tensor:
    return Div.apply(*_pair(a, b))


def neg(x) -> Tensor:
    return Neg.apply(x)


def power(a, b) -> Tensor:
    """a ** b; a constant number exponent uses the cheaper ``PowScalar``."""
    if isinstance(b, numbers.Number):
        return PowScalar.apply(a, exponent=b)
    return Pow.apply(*_pair(a, b))


def maximum(a, b) -> Tensor:
    return Maximum.apply(*_pair(a, b))


def minimum(a, b) -> Tensor:
    return Minimum.apply(*_pair(a, b))


def where(condition, a, b) -> Tensor:
    """Element-wise ``a if condition else b``; ``condition`` is a boolean array."""
    condition = condition.data if isinstance(condition, Tensor) else condition
    return Where.apply(*_pair(a, b), condition=condition)


def clip(x, min_value, max_value) -> Tensor:
    if min_value is not None and max_value is not None and min_value > max_value:
        raise ValueError(f"clip: min_value {min_value} is greater than max_value {max_value}")
    return Clip.apply(x, low=min_value, high=max_value)


def cast(x, dtype) -> Tensor:
    return Cast.apply(x, dtype=np.dtype(dtype))


# --- one-input math ------------------------------------------------------------------
def exp(x) -> Tensor:
    return Exp.apply(x)


def log(x) -> Tensor:
    return Log.apply(x)


def sqrt(x) -> Tensor:
    return Sqrt.apply(x)


def abs(x) -> Tensor:  # noqa: A001  (the op's natural name)
    return Abs.apply(x)


def tanh(x) -> Tensor:
    return Tanh.apply(x)


def sigmoid(x) -> Tensor:
    return Sigmoid.apply(x)


def relu(x) -> Tensor:
    return Relu.apply(x)


def square(x) -> Tensor:
    """x² (as x·x: one multiply, gradient 2x)."""
    x = x if isinstance(x, Tensor) else Tensor(x)
    return Mul.apply(x, x)


# --- reductions ----------------------------------------------------------------------
def sum(x, axis=None, keepdims=False) -> Tensor:  # noqa: A001
    return Sum.apply(x, axis=axis, keepdims=keepdims)


def mean(x, axis=None, keepdims=False) -> Tensor:
    return Mean.apply(x, axis=axis, keepdims=keepdims)


def max(x, axis=None, keepdims=False) -> Tensor:  # noqa: A001
    return Max.apply(x, axis=axis, keepdims=keepdims)


def min(x, axis=None, keepdims=False) -> Tensor:  # noqa: A001
    return Min.apply(x, axis=axis, keepdims=keepdims)


def var(x, axis=None, keepdims=False) -> Tensor:
    return Var.apply(x, axis=axis, keepdims=keepdims)


def logsumexp(x, axis=None, keepdims=False) -> Tensor:
    return LogSumExp.apply(x, axis=axis, keepdims=keepdims)


# --- linear algebra ------------------------------------------------------------------
def matmul(a, b) -> Tensor:
    return MatMul.apply(*_pair(a, b))


def linear(x, W, b=None, relu=False) -> Tensor:
    """x·W + b for a 2-D x, fused (see ``Linear``); ``b`` may be None; ``relu`` applies max(0, ·)."""
    if not (isinstance(x, Tensor) and isinstance(W, Tensor)):
        x, W = _pair(x, W)
    if b is None:
        return Linear.apply(x, W, relu=relu)
    if not isinstance(b, Tensor):
        W, b = _pair(W, b)
    return Linear.apply(x, W, b, relu=relu)


# --- shapes --------------------------------------------------------------------------
def reshape(x, shape) -> Tensor:
    return Reshape.apply(x, shape=tuple(shape) if not isinstance(shape, int) else (shape,))


def transpose(x, axes=None) -> Tensor:
    return Transpose.apply(x, axes=axes)


def broadcast_to(x, shape) -> Tensor:
    return BroadcastTo.apply(x, shape=tuple(shape))


def expand_dims(x, axis) -> Tensor:
    x = x if isinstance(x, Tensor) else Tensor(x)
    return reshape(x, xp.expand_dims(xp.empty(x.shape, dtype=bool), axis).shape)


def squeeze(x, axis=None) -> Tensor:
    x = x if isinstance(x, Tensor) else Tensor(x)
    return reshape(x, xp.squeeze(xp.empty(x.shape, dtype=bool), axis).shape)


def concatenate(tensors, axis=0) -> Tensor:
    return Concatenate.apply(*tensors, axis=axis)


def stack(tensors, axis=0) -> Tensor:
    return Stack.apply(*tensors, axis=axis)


def split(x, indices_or_sections, axis=0) -> list:
    """Split along ``axis`` into equal sections (an int) or at the given indices.

    Built on slicing, so each piece's gradient flows back into its part of ``x``.
    """
    x = x if isinstance(x, Tensor) else Tensor(x)
    n = x.shape[axis]
    if isinstance(indices_or_sections, (int, np.integer)):
        if indices_or_sections <= 0 or n % indices_or_sections:
            raise ValueError(f"split: axis {axis} of length {n} cannot be split into {indices_or_sections} equal sections")
        step = n // indices_or_sections
        bounds = list(range(0, n + 1, step))
    else:
        bounds = [0, *[int(i) for i in indices_or_sections], n]
    head = (slice(None),) * (axis % x.ndim)
    return [getitem(x, head + (slice(lo, hi),)) for lo, hi in builtins.zip(bounds[:-1], bounds[1:])]


def pad(x, pad_width, constant_values=0.0) -> Tensor:
    return Pad.apply(x, pad_width=pad_width, constant_values=constant_values)


# --- pooling -------------------------------------------------------------------------
def max_pool(x, pool_size, strides=None, padding="valid") -> Tensor:
    """Max of each window of a (n, h, w, c) image or a (n, t, c) sequence (see ``MaxPool2D``);
    ``strides`` None means ``pool_size``, ``padding`` is "valid" or "same"."""
    return pool(MaxPool2D, x, pool_size, strides, padding, owner="max_pool")


def avg_pool(x, pool_size, strides=None, padding="valid") -> Tensor:
    """Mean of each window of a (n, h, w, c) image or a (n, t, c) sequence (see ``AvgPool2D``;
    "same" padding is not counted in the mean)."""
    return pool(AvgPool2D, x, pool_size, strides, padding, owner="avg_pool")


# --- softmax family ------------------------------------------------------------------
def softmax(x, axis=-1) -> Tensor:
    return Softmax.apply(x, axis=axis)


def log_softmax(x, axis=-1) -> Tensor:
    return LogSoftmax.apply(x, axis=axis)


def softmax_cross_entropy(logits, labels, sparse=False) -> Tensor:
    """Per-sample −Σ y·log softmax(logits) (see ``SoftmaxCrossEntropy``)."""
    labels = labels.data if isinstance(labels, Tensor) else labels
    return SoftmaxCrossEntropy.apply(logits, labels=labels, sparse=sparse)


__all__ = [
    "add", "sub", "mul", "div", "neg", "power", "maximum", "minimum", "where", "clip", "cast",
    "exp", "log", "sqrt", "abs", "tanh", "sigmoid", "relu", "square",
    "sum", "mean", "max", "min", "var", "logsumexp", "matmul", "linear",
    "reshape", "transpose", "broadcast_to", "expand_dims", "squeeze", "concatenate", "stack",
    "split", "pad", "getitem", "softmax", "log_softmax", "softmax_cross_entropy",
    "erf", "softplus", "binary_step", "GetItem",
    "conv", "conv_transpose", "max_pool", "avg_pool",
    "simple_rnn_sequence", "lstm_sequence", "gru_sequence",
]

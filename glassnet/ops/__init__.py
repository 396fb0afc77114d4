"""The ops, as functions of Tensors (arrays, lists and numbers are accepted too).

Two layers live here.

**The primitives**: each ``Function`` (forward + backward, adjacent, in the files below)
is one formula and its local derivative; everything else in glassnet — activations,
losses, layers, and the Keras-named functions — is written with them, and so gets its
gradient for free.

=====================  ==========================================================================
file                   primitives
=====================  ==========================================================================
elementwise.py         Add, Sub, Mul, Div, Neg, Pow, PowScalar, Maximum, Minimum, Where, Clip, Cast
unary.py               Exp, Log, Sqrt, Abs, Tanh, Sigmoid, Relu
special.py             Erf, Softplus, BinaryStep
math_primitives.py     Sin, Cos, Arcsin, Arctan, Expm1, Log1p, Erfinv, I0, Cumsum, ScatterAdd, Einsum,
                       Inverse, LogAbsDet;  core_api.py: CustomGradient (a user-given backward)
reduce.py              Sum, Mean, Max, Min, Var, LogSumExp
matmul_ops.py          MatMul;  linear.py: Linear (x·W + b fused, for Dense)
conv_ops.py            Conv, ConvTranspose (im2col.py: windows as rows of a matrix)
conv3d.py              Conv3D, ConvTranspose3D, MaxPool3D, AvgPool3D (vol2col: volumes as rows)
pooling.py             MaxPool2D, AvgPool2D (windows.py: the sizes of sliding windows)
adaptive_pooling.py    AdaptiveMaxAlongAxis (adaptive pooling, one axis at a time; ops.adaptive_* and the layers)
shape_ops.py           Reshape, Transpose, BroadcastTo, Concatenate, Stack, Pad
indexing.py            GetItem (slices, masks, gathers with repeated indices; a slice's gradient
                       stays (index, values): ../slice_grad.py)
softmax_ops.py         Softmax, LogSoftmax, SoftmaxCrossEntropy (fused)
normalization.py       Normalize (batch and layer norm, fused);  attention.py: ScaledDotProductAttention
recurrent.py           SimpleRNNSequence, LSTMSequence, GRUSequence (whole sequence, fused BPTT)
=====================  ==========================================================================

**Keras's ops**: the functions of ``keras.ops`` with Keras's names, signatures, broadcasting
and dtype rules (``keras_base.py``: Python floats are floatx, int with float gives that float,
a number or array next to a Tensor takes its dtype), each a composition of the primitives:

=====================  ==========================================================================
file                   functions
=====================  ==========================================================================
numpy_math.py          arithmetic, exp/log, trigonometry, rounding, comparisons, logic
numpy_bits.py          bitwise and/or/xor/invert, shifts, gcd, lcm (integers)
numpy_reduce.py        sum … std, prod, cumsum/cumprod, argmax, sort, top_k, quantile, nan*
numpy_shape.py         reshape … moveaxis, concatenate/split, take, take_along_axis, slice, pad, where
numpy_create.py        zeros, ones, full, arange, linspace, eye, tri, windows
numpy_products.py      matmul, dot, tensordot, einsum, outer, kron, cross, diff, correlate
linalg_api.py          inv, det, slogdet, solve, norm, cholesky, qr, svd, eig(h), lstsq (``ops.linalg``)
nn_api.py              activations, softmax, cross-entropies, normalization, conv, pooling,
                       dot_product_attention (``ops.nn``)
fft_api.py             fft, fft2, ifft2, rfft, irfft, stft, istft on (real, imag) pairs (DFT matrices)
ctc_api.py             ctc_loss (the α recursion in log space), ctc_decode (greedy)
image_api.py           resize, affine_transform, colour spaces, pad/crop, patches (``ops.image``)
windows_api.py         space_to_depth, depth_to_space, unfold, fold, adaptive pools, rearrange
core_api.py            convert_to_tensor/numpy, cast, stop_gradient, cond, while_loop, scan, map,
                       scatter, segment_*, custom_gradient, jvp
=====================  ==========================================================================

Differences from Keras, by design: glassnet is eager and NumPy-backed, so control flow is
Python loops; there are no complex or sparse tensors (Fourier transforms take Keras's
(real, imag) pairs; ``polar`` and ``view_as_complex``/``view_as_real`` are absent); convolution
and pooling are 1-D and 2-D; ``ctc_decode`` is greedy only; ``ops.image`` has 8 of Keras's 16.
Where Keras's own PyTorch backend departs from NumPy (``dot`` of N-D tensors, ``vdot`` of 2-D
ones, ``nonzero``), glassnet follows NumPy and Keras's documentation.
``python -m glassnet.compat`` lists what is present and absent.

Optional compiled twins (Numba, ``glassnet[fast]``; switch: ``glassnet.kernels``):
``pool_kernels.py`` (max pooling), ``relu_kernels.py`` (a fused ReLU's backward) and
``recurrent_kernels.py`` (the LSTM and GRU steps, forward and backward), ``softmax_kernels.py``
(the row reductions of attention's softmax) and ``normalization_kernels.py`` (layer norm's rows).
"""
from __future__ import annotations

from ..tensor import Tensor
from .attention import attention_weights, masked_softmax, scaled_dot_product_attention
from .conv_ops import Conv, ConvTranspose
from .elementwise import Add, Cast, Clip, Div, Maximum, Minimum, Mul, Neg, Pow, PowScalar, Sub, Where
from .indexing import GetItem, getitem
from .linear import Linear
from .matmul_ops import MatMul
from .math_primitives import (Arcsin, Arctan, Cos, Cumsum, Einsum, Erfinv, Expm1, I0, Inverse, Log1p, LogAbsDet,
                              ScatterAdd, Sin)
from .pooling import AvgPool2D, MaxPool2D, pool
from .recurrent import GRUSequence, LSTMSequence, SimpleRNNSequence, gru_sequence, lstm_sequence, simple_rnn_sequence
from .reduce import LogSumExp, Max, Mean, Min, Sum, Var
from .shape_ops import BroadcastTo, Concatenate, Pad, Reshape, Stack, Transpose
from .softmax_ops import LogSoftmax, Softmax, SoftmaxCrossEntropy
from .special import binary_step
from .unary import Abs, Exp, Log, Relu, Sigmoid, Sqrt, Tanh
from .windows import conv_output_length, transposed_output_length

# --- Keras's ops (see the tables above) --------------------------------------------------------
from . import image_api as image, linalg_api as linalg, nn_api as nn  # noqa: E402  (keras.ops.image, .linalg, .nn)
from .core_api import *  # noqa: E402,F401,F403
from .ctc_api import *  # noqa: E402,F401,F403
from .fft_api import *  # noqa: E402,F401,F403
from .linalg_api import *  # noqa: E402,F401,F403
from .nn_api import *  # noqa: E402,F401,F403
from .numpy_bits import *  # noqa: E402,F401,F403
from .numpy_create import *  # noqa: E402,F401,F403
from .numpy_math import *  # noqa: E402,F401,F403
from .numpy_products import *  # noqa: E402,F401,F403
from .numpy_reduce import *  # noqa: E402,F401,F403
from .numpy_shape import *  # noqa: E402,F401,F403
from .windows_api import *  # noqa: E402,F401,F403
from .keras_base import result_dtype as result_type  # noqa: E402


# --- glassnet's own short names (used by Tensor's operators and the layers) -------------------
def _pair(a, b):
    """Make two operands tensors; a bare number or array takes the other's float dtype."""
    if isinstance(a, Tensor) and not isinstance(b, Tensor):
        return a, a._lift(b)
    if isinstance(b, Tensor) and not isinstance(a, Tensor):
        return b._lift(a), b
    return a, b


def sub(a, b) -> Tensor:
    """a − b (Keras's name: ``subtract``)."""
    return Sub.apply(*_pair(a, b))


def mul(a, b) -> Tensor:
    """a · b (Keras's name: ``multiply``)."""
    return Mul.apply(*_pair(a, b))


def div(a, b) -> Tensor:
    """a / b (Keras's name: ``divide``, which also turns ints into floats)."""
    return Div.apply(*_pair(a, b))


def neg(x) -> Tensor:
    """−x (Keras's name: ``negative``)."""
    return Neg.apply(x)


def linear(x, W, b=None, relu=False) -> Tensor:
    """x·W + b for a 2-D x, fused (see ``Linear``); ``b`` may be None; ``relu`` applies max(0, ·)."""
    if not (isinstance(x, Tensor) and isinstance(W, Tensor)):
        x, W = _pair(x, W)
    if b is None:
        return Linear.apply(x, W, relu=relu)
    if not isinstance(b, Tensor):
        W, b = _pair(W, b)
    return Linear.apply(x, W, b, relu=relu)


def avg_pool(x, pool_size, strides=None, padding="valid") -> Tensor:
    """Mean of each window of a (n, h, w, c) image or a (n, t, c) sequence (see ``AvgPool2D``;
    "same" padding is not counted in the mean). Keras's name: ``average_pool``."""
    return pool(AvgPool2D, x, pool_size, strides, padding, owner="avg_pool")


def softmax_cross_entropy(logits, labels, sparse=False) -> Tensor:
    """Per-sample −Σ y·log softmax(logits) (see ``SoftmaxCrossEntropy``)."""
    labels = labels.data if isinstance(labels, Tensor) else labels
    return SoftmaxCrossEntropy.apply(logits, labels=labels, sparse=sparse)


def _keras_names() -> list:
    """The Keras-named functions of the ``*_api.py`` and ``numpy_*.py`` files."""
    from . import (core_api, ctc_api, fft_api, linalg_api, nn_api, numpy_bits, numpy_create, numpy_math,
                   numpy_products, numpy_reduce, numpy_shape, windows_api)
    names = []
    for module in (core_api, ctc_api, fft_api, linalg_api, nn_api, numpy_bits, numpy_create, numpy_math,
                   numpy_products, numpy_reduce, numpy_shape, windows_api):
        names += module.__all__
    return names


def _namespace(name, *modules):
    """A module object holding the functions of ``modules`` (Keras's ``keras.ops.numpy``)."""
    import types
    namespace = types.ModuleType(f"{__name__}.{name}", f"Keras's ops.{name}: the functions of "
                                 + ", ".join(m.__name__.rsplit(".", 1)[1] + ".py" for m in modules))
    for module in modules:
        for function in module.__all__:
            setattr(namespace, function, getattr(module, function))
    return namespace


from . import numpy_bits, numpy_create, numpy_math, numpy_products, numpy_reduce, numpy_shape  # noqa: E402
numpy = _namespace("numpy", numpy_math, numpy_bits, numpy_reduce, numpy_shape, numpy_create, numpy_products)

__all__ = sorted({*_keras_names(), "image", "linalg", "nn", "numpy", "result_type", "sub", "mul", "div", "neg", "linear", "avg_pool",
                  "softmax_cross_entropy", "getitem", "binary_step", "GetItem", "simple_rnn_sequence",
                  "lstm_sequence", "gru_sequence"})


# --- on symbolic tensors: a call becomes a node of the functional model ---------------------------
# (functional code may write ops.expand_dims(x, -1) on an Input: see glassnet/layers/core/op_layer.py)
_STATIC = {"shape": lambda x: tuple(x.shape), "ndim": lambda x: len(x.shape), "dtype": lambda x: x.dtype}


def _is_symbolic(value) -> bool:
    """A symbolic tensor, or a list/tuple holding one (ops.concatenate([x, y]); this module's own
    ``any``/``all`` are ops, hence the plain loop)."""
    if type(value).__name__ == "SymbolicTensor":
        return True
    if type(value) in (list, tuple):
        for item in value:
            if type(item).__name__ == "SymbolicTensor":
                return True
    return False


def _symbolic_aware(function, name):
    """``function`` itself on tensors and arrays; on symbolic tensors, a recorded OpLayer node."""
    static = _STATIC.get(name)

    @_functools.wraps(function)
    def call(*args, **kwargs):
        for value in args:
            if _is_symbolic(value):
                break
        else:
            for value in kwargs.values():
                if _is_symbolic(value):
                    break
            else:
                return function(*args, **kwargs)
        if static is not None and len(args) == 1 and not kwargs:
            return static(args[0])
        from ..layers.core.op_layer import OpLayer
        return OpLayer.record(name, args, kwargs)

    return call


import functools as _functools  # noqa: E402

def _make_symbolic_aware():
    """Wrap every public function here, and the same function object wherever Keras's namespaces
    (ops.nn, ops.numpy, ops.linalg, ...) hold it, so that ``ops.nn.relu is ops.relu`` stays true."""
    from . import core_api, ctc_api, fft_api, numpy_bits, numpy_create, numpy_math, numpy_products, numpy_reduce
    from . import numpy_shape, windows_api
    homes = [image, linalg, nn, numpy, core_api, ctc_api, fft_api, numpy_bits, numpy_create, numpy_math,
             numpy_products, numpy_reduce, numpy_shape, windows_api]
    for name in [*_keras_names(), "getitem"]:
        original = globals().get(name)
        if isinstance(original, type) or not callable(original):
            continue
        wrapped = globals()[name] = _symbolic_aware(original, name)
        for home in homes:
            if getattr(home, name, None) is original:
                setattr(home, name, wrapped)


_make_symbolic_aware()


"""keras.ops.nn: activations, softmax and cross-entropies, normalization, convolution, pooling, attention.

Each activation is its formula written with primitives (so its derivative comes from the
chain rule), in Keras's conventions:

    relu6(x) = min(max(x, 0), 6)                  hard_sigmoid(x) = relu6(x + 3)/6
    silu(x) = x·σ(x)                               log_sigmoid(x) = −softplus(−x)
    elu(x) = x (x > 0), α(eˣ − 1) (x ≤ 0)          selu(x) = λ·elu(x, α), λ ≈ 1.0507, α ≈ 1.6733
    gelu(x) = ½x(1 + tanh(√(2/π)(x + 0.044715x³)))   (approximate=True, Keras's default)
            = ½x(1 + erf(x/√2))                      (approximate=False)
    squareplus(x, b) = (x + √(x² + b))/2           sparse_plus, sparse_sigmoid: piecewise quadratics / lines

Cross-entropies (per sample, no batch mean; probabilities clipped to [ε, 1 − ε], ε = 1e−7):

    binary:        −(t·ln p + (1 − t)·ln(1 − p));  from logits z: max(z, 0) − z·t + ln(1 + e^(−|z|))
    categorical:   −Σ t·ln(p / Σp);                 from logits: −Σ t·log_softmax(z)

Convolution and pooling run on glassnet's channels-last primitives (``conv_ops.py``,
``pooling.py``); ``data_format="channels_first"`` transposes in and out.
"""
from __future__ import annotations

import math

import numpy as np

from .. import backend
from ..tensor import Tensor
from .conv_ops import conv as _conv_channels_last, conv_transpose as _conv_transpose_channels_last
from .elementwise import Add, Clip, Div, Maximum, Minimum, Mul, Neg, PowScalar, Sub, Where
from .axes import canonical_axes
from .keras_base import constant, float_tensor, promoted_float, standardize_dtype, tensor
from .normalization import normalize as _normalize_primitive
from .numpy_reduce import cumsum, sort
from .numpy_shape import moveaxis, reshape, split, take_along_axis, transpose
from .pooling import AvgPool2D, MaxPool2D, pool
from .reduce import LogSumExp, Mean, Sum, Var
from .softmax_ops import LogSoftmax, Softmax
from .special import Erf, Softplus
from .unary import Abs, Exp, Log, Relu, Sigmoid, Sqrt, Tanh


def _c(value, like: Tensor) -> Tensor:
    return constant(np.asarray(value, like.dtype))


# --- activations ---------------------------------------------------------------------------
def relu(x) -> Tensor:
    return Relu.apply(float_tensor(x))


def relu6(x) -> Tensor:
    return Clip.apply(float_tensor(x), low=0.0, high=6.0)


def sigmoid(x) -> Tensor:
    return Sigmoid.apply(float_tensor(x))


def softplus(x) -> Tensor:
    return Softplus.apply(float_tensor(x))


def softsign(x) -> Tensor:
    """x / (1 + |x|)."""
    x = float_tensor(x)
    return Div.apply(x, Add.apply(_c(1.0, x), Abs.apply(x)))


def silu(x) -> Tensor:
    """x·σ(x)."""
    x = float_tensor(x)
    return Mul.apply(x, Sigmoid.apply(x))


swish = silu


def log_sigmoid(x) -> Tensor:
    """ln σ(x) = −softplus(−x)."""
    return Neg.apply(Softplus.apply(Neg.apply(float_tensor(x))))


def leaky_relu(x, negative_slope=0.2) -> Tensor:
    """x for x > 0, negative_slope·x otherwise."""
    x = float_tensor(x)
    return Where.apply(x, Mul.apply(x, _c(negative_slope, x)), condition=x.data > 0)


def hard_sigmoid(x) -> Tensor:
    """relu6(x + 3)/6."""
    x = float_tensor(x)
    return Div.apply(Clip.apply(Add.apply(x, _c(3.0, x)), low=0.0, high=6.0), _c(6.0, x))


def hard_silu(x) -> Tensor:
    """x·hard_sigmoid(x)."""
    x = float_tensor(x)
    return Mul.apply(x, hard_sigmoid(x))


hard_swish = hard_silu


def hard_tanh(x) -> Tensor:
    """clip(x, −1, 1); the derivative is 0 at ±1, as PyTorch's hardtanh."""
    x = float_tensor(x)
    return Where.apply(x, _c(np.clip(x.data, -1.0, 1.0), x), condition=np.abs(x.data) < 1)


def elu(x, alpha=1.0) -> Tensor:
    """x for x > 0, α(eˣ − 1) otherwise (e^min(x, 0) so the unused branch cannot overflow)."""
    x = float_tensor(x)
    negative_part = Where.apply(_c(0.0, x), x, condition=x.data > 0)   # not minimum: its tie at 0 halves the slope
    negative = Mul.apply(_c(alpha, x), Sub.apply(Exp.apply(negative_part), _c(1.0, x)))
    return Where.apply(x, negative, condition=x.data > 0)


def selu(x) -> Tensor:
    """λ·elu(x, α) with α = 1.6732632423543772, λ = 1.0507009873554805."""
    x = float_tensor(x)
    return Mul.apply(_c(1.0507009873554805, x), elu(x, 1.6732632423543772))


def celu(x, alpha=1.0) -> Tensor:
    """x for x > 0, α(e^(x/α) − 1) otherwise."""
    x = float_tensor(x)
    negative_part = Where.apply(_c(0.0, x), x, condition=x.data > 0)   # not minimum: its tie at 0 halves the slope
    scaled = Div.apply(negative_part, _c(alpha, x))
    return Where.apply(x, Mul.apply(_c(alpha, x), Sub.apply(Exp.apply(scaled), _c(1.0, x))), condition=x.data > 0)


def gelu(x, approximate=True) -> Tensor:
    """½x(1 + tanh(√(2/π)(x + 0.044715x³))), or ½x(1 + erf(x/√2)) when not ``approximate``."""
    x = float_tensor(x)
    if approximate:
        cubic = Add.apply(x, Mul.apply(_c(0.044715, x), PowScalar.apply(x, exponent=3)))
        inner = Mul.apply(_c(math.sqrt(2.0 / math.pi), x), cubic)
        gate = Add.apply(_c(1.0, x), Tanh.apply(inner))
    else:
        gate = Add.apply(_c(1.0, x), Erf.apply(Mul.apply(x, _c(1.0 / math.sqrt(2.0), x))))
    return Mul.apply(Mul.apply(_c(0.5, x), x), gate)


def glu(x, axis=-1) -> Tensor:
    """a·σ(b), with a and b the two halves of x along ``axis``."""
    a, b = split(float_tensor(x), 2, axis=axis)
    return Mul.apply(a, Sigmoid.apply(b))


def tanh_shrink(x) -> Tensor:
    """x − tanh(x)."""
    x = float_tensor(x)
    return Sub.apply(x, Tanh.apply(x))


def hard_shrink(x, threshold=0.5) -> Tensor:
    """x where |x| > threshold, else 0."""
    x = float_tensor(x)
    return Where.apply(x, _c(0.0, x), condition=np.abs(x.data) > threshold)


def soft_shrink(x, threshold=0.5) -> Tensor:
    """x − t for x > t, x + t for x < −t, 0 between."""
    x = float_tensor(x)
    t = _c(threshold, x)
    return Where.apply(Sub.apply(x, t), Where.apply(Add.apply(x, t), _c(0.0, x), condition=x.data < -threshold),
                       condition=x.data > threshold)


def threshold(x, threshold, default_value) -> Tensor:
    """x where x > threshold, else ``default_value``."""
    x = float_tensor(x)
    return Where.apply(x, _c(default_value, x), condition=x.data > threshold)


def squareplus(x, b=4) -> Tensor:
    """(x + √(x² + b))/2."""
    x = float_tensor(x)
    return Mul.apply(_c(0.5, x), Add.apply(x, Sqrt.apply(Add.apply(Mul.apply(x, x), _c(b, x)))))


def sparse_plus(x) -> Tensor:
    """0 for x ≤ −1, (x + 1)²/4 for −1 < x < 1, x for x ≥ 1."""
    x = float_tensor(x)
    quad = Mul.apply(_c(0.25, x), PowScalar.apply(Add.apply(x, _c(1.0, x)), exponent=2))
    return Where.apply(x, Where.apply(_c(0.0, x), quad, condition=x.data <= -1), condition=x.data >= 1)


def sparse_sigmoid(x) -> Tensor:
    """0 for x ≤ −1, (x + 1)/2 between, 1 for x ≥ 1  (= clip((x + 1)/2, 0, 1); slope 0 at ±1, as Keras)."""
    x = float_tensor(x)
    inside = Mul.apply(_c(0.5, x), Add.apply(x, _c(1.0, x)))
    return Where.apply(inside, _c(np.where(x.data >= 1, 1.0, 0.0), x), condition=np.abs(x.data) < 1)


def softmax(x, axis=-1) -> Tensor:
    """e^xᵢ / Σⱼ e^xⱼ along ``axis`` (a tuple of axes: softmax of those axes flattened together)."""
    x = float_tensor(x)
    if isinstance(axis, (tuple, list)):
        return Exp.apply(Sub.apply(x, LogSumExp.apply(x, axis=tuple(axis), keepdims=True)))
    return Softmax.apply(x, axis=axis)


def log_softmax(x, axis=-1) -> Tensor:
    """xᵢ − ln Σⱼ e^xⱼ."""
    x = float_tensor(x)
    if isinstance(axis, (tuple, list)):
        return Sub.apply(x, LogSumExp.apply(x, axis=tuple(axis), keepdims=True))
    return LogSoftmax.apply(x, axis=axis)


def sparsemax(x, axis=-1) -> Tensor:
    """The Euclidean projection of x onto the simplex: max(x − τ, 0), with τ from the sorted x.

    With z sorted descending and k the largest index with 1 + k·z_k > Σ_{j≤k} z_j,
    τ = (Σ_{j≤k} z_j − 1)/k. Differentiable through the sort and the running sum.
    """
    x = float_tensor(x)
    z = moveaxis(x, axis, -1)
    z_sorted = Neg.apply(sort(Neg.apply(z), axis=-1))
    running = cumsum(z_sorted, axis=-1)
    k = np.arange(1, z.shape[-1] + 1, dtype=x.dtype)
    support = (1 + k * z_sorted.data) > running.data
    k_z = support.sum(axis=-1, keepdims=True)
    tau = Div.apply(Sub.apply(take_along_axis(running, k_z - 1, axis=-1), _c(1.0, x)), constant(k_z.astype(x.dtype)))
    return moveaxis(Relu.apply(Sub.apply(z, tau)), -1, axis)


# --- encodings ------------------------------------------------------------------------------
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False) -> Tensor:
    """A new axis of length ``num_classes`` with 1 at each label (all 0 for a label out of range)."""
    labels = tensor(x).data.astype(np.int64)
    out = (labels[..., None] == np.arange(int(num_classes))).astype(standardize_dtype(dtype) or backend.floatx())
    return constant(np.moveaxis(out, -1, axis) if axis != -1 else out)


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs) -> Tensor:
    """1 at every class a row names (the one-hots of a row of labels, max-reduced)."""
    num_classes = kwargs.pop("num_tokens", num_classes)
    if num_classes is None:
        raise ValueError("multi_hot: num_classes must be given")
    labels = tensor(inputs).data
    if labels.ndim == 1:
        labels = labels[None]
        squeeze = True
    else:
        squeeze = False
    encoded = one_hot(labels, num_classes, dtype=dtype).data.max(axis=-2)
    encoded = encoded[0] if squeeze else encoded
    return constant(np.moveaxis(encoded, -1, axis) if axis != -1 else encoded)


# --- losses ---------------------------------------------------------------------------------
def _clipped(p: Tensor) -> Tensor:
    eps = backend.epsilon()
    return Clip.apply(p, low=eps, high=1.0 - eps)


def binary_crossentropy(target, output, from_logits=False) -> Tensor:
    """Element-wise −(t ln p + (1 − t) ln(1 − p)) (see the module docstring for logits)."""
    t, p = promoted_float(target, output)
    if t.shape != p.shape:
        raise ValueError(f"binary_crossentropy: target shape {t.shape} differs from output shape {p.shape}")
    if from_logits:
        return Add.apply(Sub.apply(Relu.apply(p), Mul.apply(p, t)), Softplus.apply(Neg.apply(Abs.apply(p))))
    p = _clipped(p)
    one = _c(1.0, p)
    return Neg.apply(Add.apply(Mul.apply(t, Log.apply(p)), Mul.apply(Sub.apply(one, t), Log.apply(Sub.apply(one, p)))))


def categorical_crossentropy(target, output, from_logits=False, axis=-1) -> Tensor:
    """−Σ t·ln p over ``axis``, p renormalised to sum to 1 and clipped."""
    t, p = promoted_float(target, output)
    if t.shape != p.shape:
        raise ValueError(f"categorical_crossentropy: target shape {t.shape} differs from output shape {p.shape}")
    if from_logits:
        log_p = log_softmax(p, axis=axis)
    else:
        log_p = Log.apply(_clipped(Div.apply(p, Sum.apply(p, axis=axis, keepdims=True))))
    return Neg.apply(Sum.apply(Mul.apply(t, log_p), axis=axis))


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1) -> Tensor:
    """−ln p[target] along ``axis`` (p renormalised and clipped, or log_softmax of logits)."""
    p = float_tensor(output)
    labels = tensor(target).data.astype(np.int64)
    if labels.ndim == p.ndim and labels.shape[axis] == 1:
        labels = np.squeeze(labels, axis=axis)
    if from_logits:
        log_p = log_softmax(p, axis=axis)
    else:
        log_p = Log.apply(_clipped(Div.apply(p, Sum.apply(p, axis=axis, keepdims=True))))
    log_p = moveaxis(log_p, axis, -1)
    if labels.shape != log_p.shape[:-1]:
        raise ValueError(f"sparse_categorical_crossentropy: target shape {labels.shape} does not match "
                         f"output shape {p.shape} without its class axis")
    picked = take_along_axis(log_p, labels[..., None], axis=-1)
    return Neg.apply(reshape(picked, labels.shape))


def psnr(x1, x2, max_val) -> Tensor:
    """Peak signal-to-noise ratio: 20·log₁₀(max_val) − 10·log₁₀(mean((x1 − x2)²))."""
    a, b = promoted_float(x1, x2)
    gap = Sub.apply(a, b)
    mse = Mean.apply(Mul.apply(gap, gap))
    return Sub.apply(_c(20.0 * math.log10(max_val), mse), Mul.apply(_c(10.0 / math.log(10.0), mse), Log.apply(mse)))


# --- normalization --------------------------------------------------------------------------
def moments(x, axes, keepdims=False, synchronized=False) -> tuple:
    """(mean, variance) over ``axes`` (variance biased, as Keras)."""
    x = float_tensor(x)
    return Mean.apply(x, axis=axes, keepdims=keepdims), Var.apply(x, axis=axes, keepdims=keepdims)


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3) -> Tensor:
    """(x − mean)/√(variance + ε)·scale + offset, the vectors laid along ``axis``."""
    x = float_tensor(x)
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]

    def along(v):
        v = tensor(v, x.dtype)
        return reshape(v, shape) if v.ndim == 1 else v
    out = Mul.apply(Sub.apply(x, along(mean)), PowScalar.apply(Add.apply(along(variance), _c(epsilon, x)), exponent=-0.5))
    if scale is not None:
        out = Mul.apply(out, along(scale))
    if offset is not None:
        out = Add.apply(out, along(offset))
    return out


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs) -> Tensor:
    """(x − μ)/√(σ² + ε)·γ + β over ``axis`` (the fused ``Normalize`` primitive; ε = backend.epsilon())."""
    x = float_tensor(x)
    axes = canonical_axes(axis, x.ndim, "layer_normalization")
    shape = [x.shape[a] if a in axes else 1 for a in range(x.ndim)]

    def along(v):
        if v is None:
            return None
        v = tensor(v, x.dtype)
        return v if v.ndim == x.ndim else reshape(v, shape)
    eps = backend.epsilon() if epsilon is None else epsilon
    return _normalize_primitive(x, along(gamma), along(beta), axes, eps)[0]


def rms_normalization(x, scale=None, axis=-1, epsilon=None) -> Tensor:
    """x / √(mean(x²) + ε) · scale over ``axis``."""
    x = float_tensor(x)
    eps = backend.epsilon() if epsilon is None else epsilon
    mean_square = Mean.apply(Mul.apply(x, x), axis=axis, keepdims=True)
    out = Mul.apply(x, PowScalar.apply(Add.apply(mean_square, _c(eps, x)), exponent=-0.5))
    return out if scale is None else Mul.apply(out, tensor(scale, x.dtype))


def normalize(x, axis=-1, order=2, epsilon=None) -> Tensor:
    """x / max(‖x‖_order, ε) along ``axis``."""
    if not isinstance(order, int) or order < 1:
        raise ValueError(f"normalize: order must be an int >= 1, got {order!r}")
    x = float_tensor(x)
    eps = backend.epsilon() if epsilon is None else epsilon
    if order == 2:
        inv_norm = PowScalar.apply(Sum.apply(Mul.apply(x, x), axis=axis, keepdims=True), exponent=-0.5)
        return Mul.apply(x, Minimum.apply(inv_norm, _c(1.0 / eps, x)))
    norm = PowScalar.apply(Sum.apply(PowScalar.apply(Abs.apply(x), exponent=float(order)), axis=axis, keepdims=True),
                           exponent=1.0 / order)
    return Div.apply(x, Maximum.apply(norm, _c(eps, x)))


# --- convolution and pooling ------------------------------------------------------------------
def _channels_last(x: Tensor, data_format):
    if data_format in (None, "channels_last"):
        return x, False
    if data_format != "channels_first":
        raise ValueError(f"data_format must be 'channels_last' or 'channels_first', got {data_format!r}")
    return moveaxis(x, 1, -1), True


def _back(y: Tensor, moved: bool) -> Tensor:
    return moveaxis(y, -1, 1) if moved else y


def _is_bias(value) -> bool:
    return value is None or isinstance(value, Tensor) or (isinstance(value, np.ndarray) and value.ndim == 1)


def _keras_arguments(owner, args, given):
    """Map Keras's positional (strides, padding, data_format, dilation_rate) onto ``given``."""
    names = ("strides", "padding", "data_format", "dilation_rate")
    if len(args) > len(names):
        raise TypeError(f"{owner}: too many positional arguments")
    for name, value in zip(names, args):
        if given.get(name) is not None:
            raise TypeError(f"{owner}: got {name} both by position and by keyword")
        given[name] = value
    return given


def conv(inputs, kernel, *args, strides=None, padding=None, data_format=None, dilation_rate=None,
         bias=None, groups=None, relu=False) -> Tensor:
    """N-D convolution (1-D or 2-D), Keras's ``conv(inputs, kernel, strides=1, padding="valid",
    data_format=None, dilation_rate=1)``.

    The kernel is (*window, in_channels / groups, filters); groups = input channels / the
    kernel's in_channels (a grouped convolution when > 1). glassnet's extras are keyword-only:
    ``bias`` and a fused ``relu``. glassnet's layers also call the older positional form
    ``conv(x, kernel, bias, strides=...)``: a tensor (or None) third is read as the bias.
    """
    if args and _is_bias(args[0]):
        bias, args = args[0], args[1:]
    given = _keras_arguments("conv", args, {"strides": strides, "padding": padding, "data_format": data_format,
                                            "dilation_rate": dilation_rate})
    x, moved = _channels_last(float_tensor(inputs), given["data_format"])
    k = tensor(kernel, x.dtype)
    if groups is None:
        if x.shape[-1] % k.shape[-2]:
            raise ValueError(f"conv: the input {x.shape} has {x.shape[-1]} channels, but the kernel {k.shape} "
                             f"expects {k.shape[-2]} (or a divisor of them, for a grouped convolution)")
        groups = x.shape[-1] // k.shape[-2]
    y = _conv_channels_last(x, k, None if bias is None else tensor(bias, x.dtype),
                            strides=1 if given["strides"] is None else given["strides"],
                            padding=given["padding"] or "valid",
                            dilation_rate=1 if given["dilation_rate"] is None else given["dilation_rate"],
                            groups=groups, relu=relu)
    return _back(y, moved)


def conv_transpose(inputs, kernel, *args, strides=None, padding=None, output_padding=None, data_format=None,
                   dilation_rate=None, bias=None) -> Tensor:
    """Transposed convolution, Keras's ``conv_transpose(inputs, kernel, strides=1, padding="valid",
    output_padding=None, data_format=None, dilation_rate=1)``; kernel (*window, filters, in_channels).

    As ``conv``, a tensor third positional argument is glassnet's older bias-third form.
    """
    if args and _is_bias(args[0]):
        bias, args = args[0], args[1:]
    names = ("strides", "padding", "output_padding", "data_format", "dilation_rate")
    given = {"strides": strides, "padding": padding, "output_padding": output_padding,
             "data_format": data_format, "dilation_rate": dilation_rate}
    if len(args) > len(names):
        raise TypeError("conv_transpose: too many positional arguments")
    for name, value in zip(names, args):
        if given[name] is not None:
            raise TypeError(f"conv_transpose: got {name} both by position and by keyword")
        given[name] = value
    x, moved = _channels_last(float_tensor(inputs), given["data_format"])
    y = _conv_transpose_channels_last(x, tensor(kernel, x.dtype), None if bias is None else tensor(bias, x.dtype),
                                      strides=1 if given["strides"] is None else given["strides"],
                                      padding=given["padding"] or "valid", output_padding=given["output_padding"],
                                      dilation_rate=1 if given["dilation_rate"] is None else given["dilation_rate"])
    return _back(y, moved)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1) -> Tensor:
    """Each input channel convolved with its own M filters: kernel (*window, C, M) -> C·M channels."""
    x, moved = _channels_last(float_tensor(inputs), data_format)
    k = tensor(kernel, x.dtype)
    channels = k.shape[-2]
    grouped = reshape(k, (*k.shape[:-2], 1, channels * k.shape[-1]))
    y = _conv_channels_last(x, grouped, None, strides=strides, padding=padding, dilation_rate=dilation_rate,
                            groups=channels)
    return _back(y, moved)


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1) -> Tensor:
    """A depthwise convolution, then a 1×1 (pointwise) convolution mixing the channels."""
    x, moved = _channels_last(float_tensor(inputs), data_format)
    u = depthwise_conv(x, depthwise_kernel, strides, padding, None, dilation_rate)
    return _back(_conv_channels_last(u, tensor(pointwise_kernel, x.dtype), None), moved)


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None) -> Tensor:
    """The max of each window (1-D or 2-D, channels-last by default)."""
    x, moved = _channels_last(float_tensor(inputs), data_format)
    return _back(pool(MaxPool2D, x, pool_size, strides, padding, owner="max_pool"), moved)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None) -> Tensor:
    """The mean of each window ("same" padding is not counted in the mean, as Keras)."""
    x, moved = _channels_last(float_tensor(inputs), data_format)
    return _back(pool(AvgPool2D, x, pool_size, strides, padding, owner="average_pool"), moved)


# --- attention ------------------------------------------------------------------------------
def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attn_logits_soft_cap=None) -> Tensor:
    """softmax(q·kᵀ·scale + bias) · v on (batch, length, heads, head_dim) tensors.

    ``scale`` defaults to 1/√head_dim; ``mask`` (True = attend) and ``is_causal`` (position i
    sees j ≤ i) set the excluded scores to a large negative number; key/value heads may be
    fewer than query heads (grouped-query attention: each is shared by a group of queries).
    """
    q, k, v = promoted_float(query, key, value)
    if q.ndim != 4 or k.ndim != 4 or v.ndim != 4:
        raise ValueError(f"dot_product_attention: expects 4-D inputs, got {q.shape}, {k.shape}, {v.shape}")
    if bias is not None and mask is not None:
        raise ValueError("dot_product_attention: give bias or mask, not both")
    heads, kv_heads = q.shape[2], k.shape[2]
    if heads != kv_heads:
        from .numpy_shape import repeat
        k, v = repeat(k, heads // kv_heads, axis=2), repeat(v, heads // kv_heads, axis=2)
    q, k, v = (transpose(t, (0, 2, 1, 3)) for t in (q, k, v))
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    from .matmul_ops import MatMul
    scores = Mul.apply(MatMul.apply(q, transpose(k, (0, 1, 3, 2))), _c(scale, q))
    if attn_logits_soft_cap is not None:
        cap = _c(attn_logits_soft_cap, q)
        scores = Mul.apply(Tanh.apply(Div.apply(scores, cap)), cap)
    if bias is not None:
        scores = Add.apply(scores, tensor(bias, q.dtype))
    keep = None if mask is None else np.asarray(tensor(mask).data, dtype=bool)
    if is_causal:
        causal = np.tril(np.ones((q.shape[2], k.shape[2]), dtype=bool))
        keep = causal if keep is None else keep & causal
    if keep is not None:
        scores = Where.apply(scores, _c(-0.7 * np.finfo(q.dtype).max, q), condition=keep)
    weights = Softmax.apply(scores, axis=-1)
    return transpose(MatMul.apply(weights, v), (0, 2, 1, 3))


__all__ = ["relu", "relu6", "sigmoid", "softplus", "softsign", "silu", "swish", "log_sigmoid", "leaky_relu",
    "hard_sigmoid", "hard_silu", "hard_swish", "hard_tanh", "elu", "selu", "celu", "gelu", "glu",
    "tanh_shrink", "hard_shrink", "soft_shrink", "threshold", "squareplus", "sparse_plus", "sparse_sigmoid",
    "softmax", "log_softmax", "sparsemax", "one_hot", "multi_hot", "binary_crossentropy",
    "categorical_crossentropy", "sparse_categorical_crossentropy", "psnr", "moments", "batch_normalization",
    "layer_normalization", "rms_normalization", "normalize", "conv", "conv_transpose", "depthwise_conv",
    "separable_conv", "max_pool", "average_pool", "dot_product_attention"]

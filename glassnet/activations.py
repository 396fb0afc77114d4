"""Activation functions: each is its formula f(x), with its derivative f'(x) in the docstring.

Every activation takes a Tensor (or a NumPy array / nested list, which becomes one) and
returns a Tensor. They are written with the primitive ops, so the derivative in the
docstring is what ``backward()`` computes, by the chain rule, from the primitives' local
derivatives — the tests check each one against finite differences.

Names, arguments and defaults are Keras 3's (``keras.activations``): for example
``leaky_relu``'s negative slope is 0.2 (PyTorch uses 0.01) and ``hard_sigmoid`` is
relu6(x + 3)/6 (Keras 2 used 0.2x + 0.5). ``binary_step`` (the perceptron's step) is the
one activation Keras does not have.

Look an activation up by name with ``get``::

    from glassnet import activations
    f = activations.get("relu")        # the function relu
    activations.get(None)              # linear (also "linear" or "identity")
    activations.serialize(f)           # "relu"

Notation: σ(x) = sigmoid(x); [x > 0] is 1 where the condition holds and 0 elsewhere.
Where a derivative does not exist (a kink), backward uses the value stated in the
docstring, as PyTorch and Keras do.
"""
from __future__ import annotations

import functools
import inspect
import math

import numpy as np

from . import backend, ops
from .ops import special
from .registry import Registry
from .tensor import Tensor

# SELU's constants (Klambauer et al., 2017), to the precision Keras uses.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_SQRT_HALF = math.sqrt(0.5)


def _float_tensor(x) -> Tensor:
    """``x`` as a float Tensor (integer and boolean input becomes ``backend.floatx()``)."""
    if not isinstance(x, Tensor):
        x = Tensor(x)
    if x.dtype.kind != "f":
        x = ops.cast(x, backend.floatx())
    return x


def _check_non_negative(function: str, name: str, value) -> None:
    if not isinstance(value, (int, float, np.integer, np.floating)) or isinstance(value, bool) or not value >= 0:
        raise ValueError(f"{function}: {name} must be a non-negative number, got {value!r}")


# --- identity and step ---------------------------------------------------------------------
def linear(x) -> Tensor:
    """Linear (identity) activation.

    linear(x) = x;   linear'(x) = 1.

    A Tensor input is returned unchanged (the same object).
    """
    return x if isinstance(x, Tensor) else _float_tensor(x)


def binary_step(x) -> Tensor:
    """Binary step (Heaviside): the activation of the perceptron.

    step(x) = 1 if x ≥ 0, 0 if x < 0;   step'(x) = 0 for x ≠ 0 (undefined at 0).

    Not differentiable in any useful way: its gradient is 0 everywhere, so backward
    passes back zeros and a network of steps cannot learn by gradient descent (that is
    why the course moves on to sigmoid). Not a Keras activation.
    """
    return special.binary_step(_float_tensor(x))


# --- the sigmoid family ---------------------------------------------------------------------
def sigmoid(x) -> Tensor:
    """Logistic sigmoid.

    sigmoid(x) = 1/(1+e^(−x));   sigmoid'(x) = sigmoid(x)(1−sigmoid(x)).

    sigmoid(0) = 0.5; the output lies in (0, 1). Computed without overflow for large |x|.
    """
    return ops.sigmoid(_float_tensor(x))


def hard_sigmoid(x) -> Tensor:
    """Hard sigmoid, a piecewise-linear sigmoid (Keras 3 definition).

    hard_sigmoid(x) = relu6(x + 3)/6 = 0 if x ≤ −3,  x/6 + 1/2 if −3 < x < 3,  1 if x ≥ 3;
    hard_sigmoid'(x) = 1/6 if −3 < x < 3, else 0.
    """
    return relu6(_float_tensor(x) + 3.0) / 6.0


def tanh(x) -> Tensor:
    """Hyperbolic tangent.

    tanh(x) = (e^x − e^(−x))/(e^x + e^(−x));   tanh'(x) = 1 − tanh²(x).

    The output lies in (−1, 1); tanh(x) = 2·sigmoid(2x) − 1.
    """
    return ops.tanh(_float_tensor(x))


def softsign(x) -> Tensor:
    """Softsign.

    softsign(x) = x/(1+|x|);   softsign'(x) = 1/(1+|x|)².
    """
    x = _float_tensor(x)
    return x / (ops.abs(x) + 1.0)


# --- the ReLU family ------------------------------------------------------------------------
def relu(x, negative_slope=0.0, max_value=None, threshold=0.0) -> Tensor:
    """Rectified linear unit, with Keras's optional slope, ceiling and threshold.

    With the defaults: relu(x) = max(0, x);   relu'(x) = 1 if x > 0, 0 if x ≤ 0.

    In general, with slope a = ``negative_slope``, ceiling m = ``max_value`` and
    threshold θ = ``threshold`` (exactly as Keras):

        f(x) = min(x, m)   if x > θ          f'(x) = 1 if θ < x < m, 0 if x ≥ m
        f(x) = a·(x − θ)   if x ≤ θ          f'(x) = a

    (the positive part is also clipped below at 0, which matters only for θ < 0).
    Example: relu([−10, −5, 0, 5, 10], negative_slope=0.5) = [−5, −2.5, 0, 5, 10].

    Args:
        x: input tensor.
        negative_slope: slope a below the threshold (≥ 0).
        max_value: the largest output m (None: no ceiling).
        threshold: θ; inputs at or below it are damped (to 0 when a = 0).
    """
    _check_non_negative("relu", "negative_slope", negative_slope)
    if max_value is not None:
        _check_non_negative("relu", "max_value", max_value)
    x = _float_tensor(x)
    if negative_slope != 0 and max_value is None and threshold == 0:
        return leaky_relu(x, negative_slope=negative_slope)
    positive = ops.relu(x) if threshold == 0 else ops.where(x.data > threshold, x, 0.0)
    if max_value is not None:
        positive = ops.clip(positive, 0.0, max_value)
    if negative_slope == 0:
        return positive
    return positive - negative_slope * ops.relu(threshold - x)


def leaky_relu(x, negative_slope=0.2) -> Tensor:
    """Leaky ReLU (Keras default slope 0.2; PyTorch's and the course's is 0.01).

    leaky_relu(x) = x if x > 0, a·x if x ≤ 0;   leaky_relu'(x) = 1 if x > 0, a if x ≤ 0,
    with a = ``negative_slope``. Example: leaky_relu(−1, negative_slope=a) = −a.
    """
    _check_non_negative("leaky_relu", "negative_slope", negative_slope)
    x = _float_tensor(x)
    return ops.where(x.data > 0, x, x * negative_slope)


def relu6(x) -> Tensor:
    """ReLU capped at 6.

    relu6(x) = min(max(0, x), 6);   relu6'(x) = 1 if 0 < x < 6, else 0.
    """
    x = _float_tensor(x)
    inside = (x.data > 0) & (x.data < 6)
    return ops.where(inside, x, np.where(x.data >= 6, 6.0, 0.0))


def elu(x, alpha=1.0) -> Tensor:
    """Exponential linear unit.

    elu(x) = x if x > 0, α(e^x − 1) if x ≤ 0;
    elu'(x) = 1 if x > 0, α·e^x (= elu(x) + α) if x ≤ 0.

    e^x is taken only of the non-positive part, so large x cannot overflow.
    """
    x = _float_tensor(x)
    positive = x.data > 0
    negative_part = ops.where(positive, 0.0, x)
    return ops.where(positive, x, alpha * (ops.exp(negative_part) - 1.0))


def selu(x) -> Tensor:
    """Scaled exponential linear unit (self-normalising; use with ``lecun_normal``).

    selu(x) = λ·x if x > 0, λ·α(e^x − 1) if x ≤ 0;
    selu'(x) = λ if x > 0, λ·α·e^x if x ≤ 0;
    with α = 1.6732632423543772 and λ = 1.0507009873554805 (``SELU_ALPHA``, ``SELU_SCALE``).
    """
    return SELU_SCALE * elu(x, alpha=SELU_ALPHA)


def gelu(x, approximate=False) -> Tensor:
    """Gaussian error linear unit: x weighted by the probability Φ(x) that N(0, 1) ≤ x.

    Exact (``approximate=False``, the Keras default):
        gelu(x) = x·Φ(x) = ½·x·(1 + erf(x/√2));
        gelu'(x) = Φ(x) + x·φ(x) = ½(1 + erf(x/√2)) + x·e^(−x²/2)/√(2π).
    Tanh approximation (``approximate=True``), with u = √(2/π)·(x + 0.044715·x³):
        gelu(x) ≈ ½·x·(1 + tanh(u));
        gelu'(x) ≈ ½(1 + tanh(u)) + ½·x·(1 − tanh²(u))·√(2/π)·(1 + 3·0.044715·x²).
    """
    x = _float_tensor(x)
    if approximate:
        u = _SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)
        return 0.5 * x * (ops.tanh(u) + 1.0)
    return 0.5 * x * (special.erf(x * _SQRT_HALF) + 1.0)


def silu(x) -> Tensor:
    """SiLU, also called swish.

    silu(x) = x·sigmoid(x);   silu'(x) = σ(x)·(1 + x·(1 − σ(x))).
    """
    x = _float_tensor(x)
    return x * ops.sigmoid(x)


swish = silu


def hard_silu(x) -> Tensor:
    """Hard SiLU, also called hard swish: x times the hard sigmoid.

    hard_silu(x) = x·relu6(x + 3)/6 = 0 if x ≤ −3, x(x + 3)/6 if −3 < x < 3, x if x ≥ 3;
    hard_silu'(x) = 0 if x < −3, (2x + 3)/6 if −3 < x < 3, 1 if x > 3.
    """
    x = _float_tensor(x)
    return x * hard_sigmoid(x)


hard_swish = hard_silu


def softplus(x) -> Tensor:
    """Softplus, a smooth ReLU.

    softplus(x) = ln(1 + e^x);   softplus'(x) = 1/(1+e^(−x)) = sigmoid(x).

    Stable: softplus(1000) = 1000 (no overflow of e^x) and softplus(−50) ≈ 1.9e−22.
    """
    return special.softplus(_float_tensor(x))


def mish(x) -> Tensor:
    """Mish.

    mish(x) = x·tanh(softplus(x));
    mish'(x) = tanh(softplus(x)) + x·σ(x)·(1 − tanh²(softplus(x))).
    """
    x = _float_tensor(x)
    return x * ops.tanh(special.softplus(x))


def exponential(x) -> Tensor:
    """Exponential.

    exponential(x) = e^x;   exponential'(x) = e^x.
    """
    return ops.exp(_float_tensor(x))


def crelu(x, axis=-1) -> Tensor:
    """Concatenated ReLU: [relu(x), relu(−x)] joined along ``axis`` (which doubles).

    crelu(x) = concat(max(0, x), max(0, −x));   ∂/∂x = [x > 0] for the first half,
    −[x < 0] for the second.
    """
    x = _float_tensor(x)
    return ops.concatenate([ops.relu(x), ops.relu(-x)], axis=axis)


# --- softmax --------------------------------------------------------------------------------
def softmax(x, axis=-1) -> Tensor:
    """Softmax: turns a vector of scores (logits) into probabilities along ``axis``.

    softmax(x)ᵢ = e^(xᵢ)/Σⱼ e^(xⱼ);   ∂softmax(x)ᵢ/∂xⱼ = softmax(x)ᵢ·(δᵢⱼ − softmax(x)ⱼ).

    Each slice along ``axis`` sums to 1. Computed as e^(xᵢ − max x)/Σⱼ e^(xⱼ − max x),
    which is equal and never overflows (logits of 1e4 are fine).
    """
    return ops.softmax(_float_tensor(x), axis=axis)


def log_softmax(x, axis=-1) -> Tensor:
    """Logarithm of the softmax, computed stably.

    log_softmax(x)ᵢ = xᵢ − ln Σⱼ e^(xⱼ);   ∂log_softmax(x)ᵢ/∂xⱼ = δᵢⱼ − softmax(x)ⱼ.
    """
    return ops.log_softmax(_float_tensor(x), axis=axis)


# --- shrinkage, sparse and gated (Keras 3's newer activations; the math lives in glassnet.ops) ---
def celu(x, alpha=1.0) -> Tensor:
    """Continuously differentiable ELU.

    celu(x) = x if x > 0, α(e^(x/α) − 1) if x ≤ 0;   celu'(x) = 1 if x > 0, e^(x/α) if x ≤ 0.
    """
    return ops.celu(_float_tensor(x), alpha=alpha)


def hard_tanh(x) -> Tensor:
    """tanh's piecewise-linear stand-in.

    hard_tanh(x) = clip(x, −1, 1);   hard_tanh'(x) = 1 if −1 < x < 1, else 0.
    """
    return ops.hard_tanh(_float_tensor(x))


def log_sigmoid(x) -> Tensor:
    """Logarithm of the sigmoid, computed stably.

    log_sigmoid(x) = ln σ(x) = −softplus(−x);   log_sigmoid'(x) = 1 − σ(x) = σ(−x).
    """
    return ops.log_sigmoid(_float_tensor(x))


def tanh_shrink(x) -> Tensor:
    """tanh_shrink(x) = x − tanh(x);   tanh_shrink'(x) = tanh²(x)."""
    return ops.tanh_shrink(_float_tensor(x))


def hard_shrink(x, threshold=0.5) -> Tensor:
    """Zero out the small values (t = ``threshold``).

    hard_shrink(x) = x if |x| > t, else 0;   hard_shrink'(x) = [|x| > t].
    """
    return ops.hard_shrink(_float_tensor(x), threshold=threshold)


def soft_shrink(x, threshold=0.5) -> Tensor:
    """Move every value t (= ``threshold``) toward zero, stopping at zero (the lasso's proximal step).

    soft_shrink(x) = x − t if x > t, x + t if x < −t, 0 otherwise;   soft_shrink'(x) = [|x| > t].
    """
    return ops.soft_shrink(_float_tensor(x), threshold=threshold)


def threshold(x, threshold, default_value) -> Tensor:
    """Keep the values above ``threshold`` (θ), replace the rest by ``default_value`` (v).

    threshold(x) = x if x > θ, else v;   threshold'(x) = [x > θ].
    """
    return ops.threshold(_float_tensor(x), threshold, default_value)


def squareplus(x, b=4) -> Tensor:
    """A smooth ReLU built from a square root (b ≥ 0 sets the curvature at 0).

    squareplus(x) = (x + √(x² + b))/2;   squareplus'(x) = (1 + x/√(x² + b))/2.
    """
    _check_non_negative("squareplus", "b", b)
    return ops.squareplus(_float_tensor(x), b=b)


def sparse_plus(x) -> Tensor:
    """A softplus that is exactly 0 below −1 and exactly x above 1.

    sparse_plus(x) = 0 if x ≤ −1, (x + 1)²/4 if −1 < x < 1, x if x ≥ 1;
    sparse_plus'(x) = 0, (x + 1)/2, 1 on the same three pieces.
    """
    return ops.sparse_plus(_float_tensor(x))


def sparse_sigmoid(x) -> Tensor:
    """A sigmoid that reaches 0 and 1 exactly.

    sparse_sigmoid(x) = clip((x + 1)/2, 0, 1);   sparse_sigmoid'(x) = ½ if −1 < x < 1, else 0.
    """
    return ops.sparse_sigmoid(_float_tensor(x))


def sparsemax(x, axis=-1) -> Tensor:
    """Sparsemax: like softmax a probability vector, but many entries are exactly 0.

    sparsemax(x) = max(x − τ, 0), with τ chosen so that the entries sum to 1: sort z = x
    descending, k = the largest index with 1 + k·z_k > Σ_{j≤k} z_j, τ = (Σ_{j≤k} z_j − 1)/k.
    ∂sparsemax(x)ᵢ/∂xⱼ = sᵢ·(δᵢⱼ − sⱼ/|S|), with s the 0/1 indicator of the support S.
    """
    return ops.sparsemax(_float_tensor(x), axis=axis)


def glu(x, axis=-1) -> Tensor:
    """Gated linear unit: split x in two halves a, b along ``axis`` (which halves) and gate a by b.

    glu(x) = a ⊙ σ(b);   ∂/∂a = σ(b),   ∂/∂b = a ⊙ σ(b)(1 − σ(b)).
    """
    x = _float_tensor(x)
    if x.shape[axis] % 2:
        raise ValueError(f"glu: the size of axis {axis} must be even to split it in two, got shape {x.shape}")
    return ops.glu(x, axis=axis)


# --- look-up by name ------------------------------------------------------------------------
_ACTIVATIONS = {
    fn.__name__: fn
    for fn in (linear, binary_step, sigmoid, hard_sigmoid, tanh, softsign, relu, leaky_relu,
               relu6, elu, selu, gelu, silu, hard_silu, softplus, mish, exponential, crelu,
               softmax, log_softmax, celu, hard_tanh, log_sigmoid, tanh_shrink, hard_shrink, soft_shrink,
               threshold, squareplus, sparse_plus, sparse_sigmoid, sparsemax, glu)
}
_ALIASES = {"swish": silu, "hard_swish": hard_silu}
# names accepted by ``get`` only (keras.activations has no such function to mirror)
_NAMES_ONLY = {"identity": linear}   # the course's name for f(x) = x


class _ActivationRegistry(Registry):
    """Activations are functions: a name gives the function itself, a config's arguments are
    bound to it with ``functools.partial``, and ``serialize`` writes the function's name."""

    def serialize(self, activation):
        """See the module's ``serialize``."""
        for name, fn in _ACTIVATIONS.items():
            if activation is fn:
                return name
        if isinstance(activation, functools.partial) and not activation.args:
            name = self.serialize(activation.func)
            if isinstance(name, str):
                return {"class_name": name, "config": dict(activation.keywords)}
        if hasattr(activation, "get_config"):
            return {"class_name": type(activation).__name__, "config": activation.get_config()}
        raise ValueError(
            f"activations.serialize: cannot serialize {activation!r}: expected a glassnet activation "
            f"(one of {', '.join(sorted(_ACTIVATIONS))}), a functools.partial of one with keyword "
            f"arguments, or an object with get_config()"
        )

    def build(self, fn, arguments: dict, custom_objects=None):
        """``fn`` itself without arguments; else ``functools.partial(fn, **arguments)`` (a class:
        ``fn(**arguments)``)."""
        if not arguments:
            return fn
        if inspect.isclass(fn):
            return fn(**arguments)
        try:
            inspect.signature(fn).bind_partial(None, **arguments)
        except TypeError as error:
            name = getattr(fn, "__name__", fn)
            raise ValueError(f"activations.deserialize: bad arguments {arguments!r} for {name!r}: {error}") from None
        return functools.partial(fn, **arguments)


_REGISTRY = _ActivationRegistry("activations", "activation", {**_ACTIVATIONS, **_ALIASES, **_NAMES_ONLY},
                                default=linear, call_names=False, instantiate=None, functions=True)


def serialize(activation):
    """The JSON-able identifier of an activation: its name, or a dict for set arguments.

    * A built-in function → its name, e.g. ``"relu"`` (``swish`` → ``"silu"``).
    * ``functools.partial(leaky_relu, negative_slope=0.1)`` →
      ``{"class_name": "leaky_relu", "config": {"negative_slope": 0.1}}``.
    * An object with ``get_config`` (e.g. a layer) →
      ``{"class_name": <its class name>, "config": obj.get_config()}``.

    Raises:
        ValueError: for any other callable (a custom function cannot be looked up again).
    """
    return _REGISTRY.serialize(activation)


def deserialize(config, custom_objects=None):
    """The activation function that ``config`` names (the inverse of ``serialize``).

    Args:
        config: a name (``"relu"``), or a dict ``{"class_name": "leaky_relu", "config":
            {"negative_slope": 0.1}}``; Keras 3's ``{"class_name": "function", "config":
            "relu"}`` form is accepted too.
        custom_objects: optional dict of extra name → function.

    Raises:
        ValueError: for an unknown name, a malformed dict, or arguments the function lacks.
    """
    return _REGISTRY.deserialize(config, custom_objects)


def get(identifier):
    """The activation function for ``identifier``.

    Args:
        identifier: None (→ ``linear``), a name such as ``"relu"``, a config dict (see
            ``deserialize``), or any callable (returned as it is).

    Raises:
        ValueError: for an unknown name or an identifier of another type.
    """
    return _REGISTRY.get(identifier)


__all__ = [*_ACTIVATIONS, *_ALIASES, "SELU_ALPHA", "SELU_SCALE", "get", "serialize", "deserialize"]

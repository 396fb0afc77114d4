"""Normalise a tensor with its own mean and variance: the fused op of batch and layer norm.

Over a set of axes A (the batch axes for BatchNormalization, the feature axes for
LayerNormalization), with n the number of elements each mean is taken over:

    μ  = (1/n) Σ_A x                          the mean
    σ² = (1/n) Σ_A (x − μ)²                   the biased variance (as Keras)
    x̂  = (x − μ) / √(σ² + ε)
    y  = γ · x̂ + β                            γ, β broadcast against x

Backward, with g = ∂L/∂y and ĝ = γ · g (μ and σ² depend on every x of their group):

    ∂L/∂β = g,   ∂L/∂γ = g · x̂                 (summed over the axes γ, β are broadcast on)
    ∂L/∂x = (1/√(σ² + ε)) · (ĝ − mean_A(ĝ) − x̂ · mean_A(ĝ · x̂))

Why a primitive: written with the ops (mean, sub, var, add, sqrt, div, mul, add) the
forward pass makes about ten full-size temporaries and the backward about twenty; this
makes two and five. ``tests/ops/test_normalization.py`` checks it against that composition.
"""
from __future__ import annotations

import numpy as np

from ..tensor import Function, Tensor
from .reduce import normalize_axes


class Normalize(Function):
    """y = γ · (x − μ)/√(σ² + ε) + β with μ, σ² the mean and biased variance of x over ``axes``.

    Inputs: x, γ, β (γ and β broadcastable to x). Options: ``axes``, ``epsilon``, and
    ``statistics``: a dict that receives ``"mean"`` and ``"variance"`` (keepdims arrays)
    so a BatchNormalization layer can update its moving averages without recomputing them.
    """

    def forward(self, x, gamma, beta, axes, epsilon, statistics=None):
        self.axes = normalize_axes(axes, x.ndim)
        mean = x.mean(axis=self.axes, keepdims=True)
        centered = x - mean
        work = np.multiply(centered, centered)
        variance = work.mean(axis=self.axes, keepdims=True)
        self.inv_std = 1.0 / np.sqrt(variance + epsilon)
        self.x_hat = np.multiply(centered, self.inv_std, out=centered)
        self.gamma = gamma
        y = np.multiply(self.x_hat, gamma, out=work)
        y += beta
        if statistics is not None:
            statistics["mean"], statistics["variance"] = mean, variance
        return y

    def backward(self, grad):
        need_x, need_gamma, need_beta = self.needs_input_grad
        x_hat, axes = self.x_hat, self.axes
        grad_x = None
        if need_x:
            g_hat = grad * self.gamma
            mean_g = g_hat.mean(axis=axes, keepdims=True)
            mean_gx = np.multiply(g_hat, x_hat).mean(axis=axes, keepdims=True)
            grad_x = g_hat
            grad_x -= mean_g
            grad_x -= x_hat * mean_gx
            grad_x *= self.inv_std
        grad_gamma = grad * x_hat if need_gamma else None
        grad_beta = grad if need_beta else None
        return grad_x, grad_gamma, grad_beta


def normalize(x, gamma, beta, axes, epsilon: float):
    """Normalise ``x`` over ``axes`` with its own statistics, then scale and shift.

    Args:
        x: Tensor.
        gamma, beta: Tensors broadcastable to x, or None (no scale: γ = 1; no shift: β = 0).
        axes: int or tuple of the axes the mean and variance are taken over.
        epsilon: ε added to the variance.

    Returns:
        ``(y, mean, variance)``: the output Tensor, and the batch statistics as NumPy arrays
        with the reduced axes kept (size 1).
    """
    x = x if isinstance(x, Tensor) else Tensor(x)
    one = Tensor._wrap(np.ones((), dtype=x.dtype))
    zero = Tensor._wrap(np.zeros((), dtype=x.dtype))
    statistics = {}
    y = Normalize.apply(x, one if gamma is None else gamma, zero if beta is None else beta,
                        axes=axes, epsilon=float(epsilon), statistics=statistics)
    return y, statistics["mean"], statistics["variance"]

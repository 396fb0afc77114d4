"""Reductions over axes: sum, mean, max/min, variance, log-sum-exp.

Every reduction's backward has the same first step: put the reduced axes back
(as size-1 axes, if keepdims was False) so the gradient broadcasts over the input.
"""
from __future__ import annotations

import numpy as np


from ..backend import xp
from ..tensor import Function
from .axes import canonical_axes


def normalize_axes(axis, ndim: int, owner: str = "") -> tuple:
    """Axis argument (None, int or tuple; negatives allowed) -> sorted tuple of axes.

    The checks (ints only, in range, no repeats) are ``axes.canonical_axes``'s.
    """
    return canonical_axes(axis, ndim, owner=owner)


def _restore_axes(grad, axes: tuple, keepdims: bool):
    """Re-insert reduced axes as size 1 so ``grad`` broadcasts against the input."""
    return grad if keepdims else xp.expand_dims(grad, axes)


class Sum(Function):
    """f = Σᵢ xᵢ over the axes.   ∂f/∂xᵢ = 1."""

    def forward(self, x, axis=None, keepdims=False):
        self.shape, self.keepdims = x.shape, keepdims
        self.axes = normalize_axes(axis, x.ndim, "sum")
        return xp.sum(x, axis=self.axes, keepdims=keepdims)

    def backward(self, grad):
        return xp.broadcast_to(_restore_axes(grad, self.axes, self.keepdims), self.shape)


class Mean(Function):
    """f = (1/n) Σᵢ xᵢ over the axes (n elements).   ∂f/∂xᵢ = 1/n."""

    def forward(self, x, axis=None, keepdims=False):
        self.shape, self.keepdims = x.shape, keepdims
        self.axes = normalize_axes(axis, x.ndim, "mean")
        self.n = int(np.prod([x.shape[a] for a in self.axes]))
        return xp.mean(x, axis=self.axes, keepdims=keepdims)

    def backward(self, grad):
        grad = _restore_axes(grad, self.axes, self.keepdims) / self.n
        return xp.broadcast_to(grad, self.shape)


class Max(Function):
    """f = maxᵢ xᵢ over the axes.   ∂f/∂xᵢ = 1/k for the k elements equal to the max, else 0.

    (Ties share the gradient equally, as ``torch.amax`` does.)
    """

    def forward(self, x, axis=None, keepdims=False):
        owner = type(self).__name__.lower()
        self.axes, self.keepdims = normalize_axes(axis, x.ndim, owner), keepdims
        if x.size == 0 and (x.ndim == 0 or any(x.shape[a] == 0 for a in self.axes)):
            raise ValueError(f"{owner}: reduction over an empty axis (shape {x.shape}, axis {axis}) has no value")
        out = xp.max(x, axis=self.axes, keepdims=True)
        self.mask = x == out
        return out if keepdims else xp.squeeze(out, axis=self.axes)

    def backward(self, grad):
        count = self.mask.sum(axis=self.axes, keepdims=True)
        return self.mask * (_restore_axes(grad, self.axes, self.keepdims) / count)


class Min(Max):
    """f = minᵢ xᵢ over the axes.   ∂f/∂xᵢ = 1/k for the k elements equal to the min, else 0."""

    def forward(self, x, axis=None, keepdims=False):
        return -super().forward(-x, axis=axis, keepdims=keepdims)


class Var(Function):
    """f = (1/n) Σᵢ (xᵢ − μ)² (biased variance, as Keras and NumPy).   ∂f/∂xᵢ = 2(xᵢ − μ)/n."""

    def forward(self, x, axis=None, keepdims=False):
        self.axes, self.keepdims = normalize_axes(axis, x.ndim, "var"), keepdims
        self.n = int(np.prod([x.shape[a] for a in self.axes]))
        self.centered = x - xp.mean(x, axis=self.axes, keepdims=True)
        return xp.mean(self.centered * self.centered, axis=self.axes, keepdims=keepdims)

    def backward(self, grad):
        return _restore_axes(grad, self.axes, self.keepdims) * (2.0 / self.n) * self.centered


class LogSumExp(Function):
    """f = log Σᵢ exp(xᵢ), computed as m + log Σᵢ exp(xᵢ − m) with m = max xᵢ (no overflow).

    ∂f/∂xᵢ = exp(xᵢ − f) = softmax(x)ᵢ.
    """

    def forward(self, x, axis=None, keepdims=False):
        self.axes, self.keepdims = normalize_axes(axis, x.ndim, "logsumexp"), keepdims
        m = xp.max(x, axis=self.axes, keepdims=True, initial=-np.inf)   # an empty axis: log Σ ∅ = −∞
        m = xp.where(xp.isfinite(m), m, 0)
        out = m + xp.log(xp.sum(xp.exp(x - m), axis=self.axes, keepdims=True))
        self.softmax = xp.exp(x - out)
        return out if keepdims else xp.squeeze(out, axis=self.axes)

    def backward(self, grad):
        return _restore_axes(grad, self.axes, self.keepdims) * self.softmax

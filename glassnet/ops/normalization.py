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
makes two and three to five. ``tests/ops/test_normalization.py`` checks it against that
composition.

Speed: the two common layouts — batch norm over the leading axes of channels-last data,
layer norm over the trailing axes — are computed on a 2-D view of x with γ, β along its
columns. For batch norm with few channels (C = 16: a (65536, 16) matrix) NumPy is slow both
at summing down narrow columns and at broadcasting a length-16 vector, so k consecutive rows
are viewed as one wide row of k·C columns ("folded"); per-channel vectors are tiled k times
and per-channel sums add the k partial sums. That makes the op 2–5× faster there.
"""
from __future__ import annotations

import math

from ..backend import xp
from ..tensor import Function, Tensor
from . import normalization_kernels
from .reduce import normalize_axes


def _fold(rows: int, columns: int) -> int:
    """How many rows of a (rows, columns) matrix to view as one row (a divisor of rows)."""
    return math.gcd(rows, max(1, 4096 // max(columns, 1)))


def _channel_sum(a: xp.ndarray, columns: int) -> xp.ndarray:
    """Σ down the columns of a folded (rows/k, k·C) view, per channel: shape (C,)."""
    return a.sum(axis=0).reshape(-1, columns).sum(axis=0)


def _matrix_layout(shape: tuple, axes: tuple, param_shapes) -> tuple | None:
    """(rows, columns, reduce_axis) if x can be viewed as a matrix with γ, β along its columns.

    That is the case when the reduced axes are the leading ones (reduce down the columns,
    axis 0) or the trailing ones (reduce along the rows, axis 1), and γ and β are scalars or
    have exactly the shape of the trailing part.
    """
    n = len(shape)
    if not axes or len(axes) == n:
        return None
    if axes == tuple(range(len(axes))):
        split, reduce_axis = len(axes), 0
    elif axes == tuple(range(n - len(axes), n)):
        split, reduce_axis = n - len(axes), 1
    else:
        return None
    trailing = tuple(shape[split:])
    if any(p != () and p != trailing for p in param_shapes):
        return None
    return math.prod(shape[:split]), math.prod(trailing), reduce_axis


class Normalize(Function):
    """y = γ · (x − μ)/√(σ² + ε) + β with μ, σ² the mean and biased variance of x over ``axes``.

    Inputs: x, γ, β (γ and β broadcastable to x). Options: ``axes``, ``epsilon``, and
    ``statistics``: a dict that receives ``"mean"`` and ``"variance"`` (arrays with the
    reduced axes kept, size 1) so a BatchNormalization layer can update its moving averages
    without recomputing them.

    Layouts (``self.kind``): "columns" — reduce down the columns of a folded (rows/k, k·C)
    view, one statistic per channel (batch norm, channels last); "rows" — reduce along the
    rows of a (rows, C) view (layer norm); None — any axes, NumPy's keepdims reductions.
    """

    def forward(self, x, gamma, beta, axes, epsilon, statistics=None):
        axes = normalize_axes(axes, x.ndim)
        self.shape, self.axes = x.shape, axes
        self.gamma_shape, self.beta_shape = gamma.shape, beta.shape
        self.n = math.prod(x.shape[a] for a in axes)
        self.kind = None
        layout = _matrix_layout(x.shape, axes, (gamma.shape, beta.shape))
        if layout is not None:
            rows, self.columns, reduce_axis = layout
            self.kind, self.fold = ("columns", _fold(rows, self.columns)) if reduce_axis == 0 else ("rows", 1)
            x = x.reshape(rows // self.fold, self.fold * self.columns)
            gamma, beta = self._along_columns(gamma), self._along_columns(beta)
        vectors = self._vectors(gamma, beta) if self.kind == "rows" else None
        self.compiled = vectors is not None and normalization_kernels.applies(x, *vectors)
        if self.compiled:                                       # the lines below, one pass per row
            y, self.x_hat = xp.empty_like(x), xp.empty_like(x)
            mean, variance, self.inv_std = (xp.empty((x.shape[0], 1), dtype=x.dtype) for _ in range(3))
            normalization_kernels.kernels().forward(x, *vectors, x.dtype.type(epsilon), y, self.x_hat, mean,
                                                    variance, self.inv_std)
            self.gamma = gamma
            self._keep_statistics(statistics, mean, variance)
            return y.reshape(self.shape)
        mean = self._mean(x)
        centered = x - mean
        work = xp.multiply(centered, centered)
        variance = self._mean(work)
        self.inv_std = 1.0 / xp.sqrt(variance + epsilon)
        self.x_hat = xp.multiply(centered, self.inv_std, out=centered)
        self.gamma = gamma
        y = xp.multiply(self.x_hat, gamma, out=work)
        y += beta
        self._keep_statistics(statistics, mean, variance)
        return y.reshape(self.shape)

    def _keep_statistics(self, statistics, mean, variance):
        """Hand μ and σ² to the caller, shaped like x with the reduced axes of size 1."""
        if statistics is not None:
            kept = tuple(1 if a in self.axes else s for a, s in enumerate(self.shape))
            if self.kind == "columns":
                mean, variance = mean[:self.columns], variance[:self.columns]
            statistics["mean"], statistics["variance"] = mean.reshape(kept), variance.reshape(kept)

    def _vectors(self, gamma, beta):
        """γ and β as (C,) vectors of x's dtype (a scalar is repeated), for the compiled kernels."""
        return [xp.ascontiguousarray(xp.broadcast_to(w, (self.columns,))) for w in (gamma, beta)]

    def _along_columns(self, w):
        """γ or β as a vector along the view's columns (tiled k times when folded)."""
        if w.ndim == 0:
            return w
        return xp.tile(w.reshape(-1), self.fold) if self.fold > 1 else w.reshape(-1)

    def _mean(self, a):
        """Mean over the reduced elements, shaped to broadcast against the view."""
        if self.kind == "columns":
            return xp.tile(_channel_sum(a, self.columns) / self.n, self.fold)
        if self.kind == "rows":
            return a.mean(axis=1, keepdims=True)
        return a.mean(axis=self.axes, keepdims=True)

    def _parameter_grad(self, a, shape):
        """Σ of ``a`` over the axes a parameter of ``shape`` is broadcast on."""
        if not shape or self.kind is None:
            return a  # backward() sums a broadcast gradient down to the input's shape
        summed = _channel_sum(a, self.columns) if self.kind == "columns" else a.sum(axis=0)
        return summed.reshape(shape)

    def backward(self, grad):
        need_x, need_gamma, need_beta = self.needs_input_grad
        x_hat, gamma = self.x_hat, self.gamma
        g = grad.reshape(x_hat.shape)
        grad_x = grad_gamma = grad_beta = None
        if self.compiled:
            gamma_vector = self._vectors(gamma, gamma)[0]
            grad_x, sum_gx, sum_g = xp.empty_like(x_hat), xp.zeros_like(gamma_vector), xp.zeros_like(gamma_vector)
            normalization_kernels.kernels().backward(xp.ascontiguousarray(g), x_hat, gamma_vector, self.inv_std,
                                                     grad_x, sum_gx, sum_g)
            grad_gamma = sum_gx.reshape(self.gamma_shape) if self.gamma_shape else sum_gx.sum()
            grad_beta = sum_g.reshape(self.beta_shape) if self.beta_shape else sum_g.sum()
        elif self.kind == "columns":
            # one (μ, σ²) per channel, like γ: mean(ĝ) = γ·Σg/n and mean(ĝ·x̂) = γ·Σ(g·x̂)/n,
            # and those sums are also ∂L/∂β and ∂L/∂γ.
            sum_g, sum_gx = _channel_sum(g, self.columns), _channel_sum(g * x_hat, self.columns)
            if need_x:
                grad_x = g - xp.tile(sum_g / self.n, self.fold)
                grad_x -= x_hat * xp.tile(sum_gx / self.n, self.fold)
                grad_x *= gamma * self.inv_std
            grad_gamma = sum_gx.reshape(self.gamma_shape) if self.gamma_shape else sum_gx.sum()
            grad_beta = sum_g.reshape(self.beta_shape) if self.beta_shape else sum_g.sum()
        else:
            if need_x:
                g_hat = g * gamma
                mean_gx = self._mean(g_hat * x_hat)
                grad_x = g_hat
                grad_x -= self._mean(g_hat)
                grad_x -= x_hat * mean_gx
                grad_x *= self.inv_std
            if need_gamma:
                grad_gamma = self._parameter_grad(g * x_hat, self.gamma_shape)
            if need_beta:
                grad_beta = self._parameter_grad(g, self.beta_shape)
        grad_x = None if grad_x is None else grad_x.reshape(self.shape)
        return grad_x, (grad_gamma if need_gamma else None), (grad_beta if need_beta else None)


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
    one = Tensor._wrap(xp.ones((), dtype=x.dtype))
    zero = Tensor._wrap(xp.zeros((), dtype=x.dtype))
    statistics = {}
    y = Normalize.apply(x, one if gamma is None else gamma, zero if beta is None else beta,
                        axes=axes, epsilon=float(epsilon), statistics=statistics)
    return y, statistics["mean"], statistics["variance"]

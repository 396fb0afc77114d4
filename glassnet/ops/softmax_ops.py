"""Softmax, log-softmax and the fused softmax cross-entropy (all numerically stable)."""
from __future__ import annotations

import numpy as np


from ..backend import xp
from ..tensor import Function
from .axes import canonical_axes


def _checked_axis(axis, ndim: int, owner: str):
    """The axis as a non-negative int (a tuple for several axes; () for a 0-d z, as NumPy)."""
    axes = canonical_axes(axis, ndim, owner)
    return axes[0] if len(axes) == 1 else axes


def _stable_log_softmax(z, axis):
    shifted = xp.asarray(z - xp.max(z, axis=axis, keepdims=True, initial=-np.inf))   # empty z: empty out
    shifted -= xp.log(xp.sum(xp.exp(shifted), axis=axis, keepdims=True))
    return shifted


def _class_entries(t):
    """The index of each row's class-t entry in an array viewed as (rows, classes)."""
    return xp.arange(t.size), t.reshape(-1)


class Softmax(Function):
    """sᵢ = exp(zᵢ − max z) / Σⱼ exp(zⱼ − max z)  along ``axis``.

    Jacobian ∂sᵢ/∂zⱼ = sᵢ(δᵢⱼ − sⱼ), so the vector–Jacobian product is
    ∂L/∂z = s ⊙ (g − Σⱼ gⱼ sⱼ) with g = ∂L/∂s.
    """

    def forward(self, z, axis=-1):
        self.axis = _checked_axis(axis, z.ndim, "softmax")
        e = xp.asarray(z - xp.max(z, axis=self.axis, keepdims=True, initial=-np.inf))  # an array even when 0-d
        xp.exp(e, out=e)
        e /= xp.sum(e, axis=self.axis, keepdims=True)
        self.s = e
        return e

    def backward(self, grad):
        return self.s * (grad - xp.sum(grad * self.s, axis=self.axis, keepdims=True))


class LogSoftmax(Function):
    """log sᵢ = zᵢ − logsumexp(z)  along ``axis``.   ∂L/∂z = g − softmax(z) · Σⱼ gⱼ."""

    def forward(self, z, axis=-1):
        self.axis = _checked_axis(axis, z.ndim, "log_softmax")
        out = _stable_log_softmax(z, self.axis)
        self.s = xp.exp(out)
        return out

    def backward(self, grad):
        return grad - self.s * xp.sum(grad, axis=self.axis, keepdims=True)


class SoftmaxCrossEntropy(Function):
    """Per-sample cross-entropy of softmax(z) against labels, fused for speed and stability.

    With one-hot or probability labels y (same shape as z):
        ℓ = −Σᵢ yᵢ log softmax(z)ᵢ = (Σᵢ yᵢ)·logsumexp(z) − Σᵢ yᵢ zᵢ
        ∂ℓ/∂z = softmax(z)·Σᵢ yᵢ − y          (= p − y for one-hot y)
    With integer class labels t (shape of z without the class axis):
        ℓ = logsumexp(z) − z_t,   ∂ℓ/∂z = p − onehot(t)

    The class axis is the last one. Labels are data, not differentiated.
    """

    def forward(self, z, labels, sparse=False):
        log_p = _stable_log_softmax(z, -1)
        self.p = xp.exp(log_p)
        if sparse:
            t = xp.asarray(labels).astype(np.intp, copy=False)
            if t.shape != z.shape[:-1]:
                raise ValueError(f"sparse labels of shape {t.shape} do not match logits {z.shape} (expected {z.shape[:-1]})")
            if t.size and (t.min() < 0 or t.max() >= z.shape[-1]):
                raise ValueError(f"class labels must lie in [0, {z.shape[-1] - 1}], got range [{t.min()}, {t.max()}]")
            self.y = None
            self.t = t
            return -log_p.reshape(-1, log_p.shape[-1])[_class_entries(t)].reshape(t.shape)
        y = xp.asarray(labels, dtype=z.dtype)
        if y.shape != z.shape:
            raise ValueError(f"labels of shape {y.shape} do not match logits of shape {z.shape}")
        self.y = y
        return -xp.sum(y * log_p, axis=-1)

    def backward(self, grad):
        g = grad[..., None]
        if self.y is None:
            dz = self.p.copy()                            # p − onehot(t)  (p stays: backward may run again)
            dz.reshape(-1, dz.shape[-1])[_class_entries(self.t)] -= 1
            dz *= g
            return dz
        return (self.p * xp.sum(self.y, axis=-1, keepdims=True) - self.y) * g

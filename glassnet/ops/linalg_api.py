"""keras.ops.linalg: inverse, determinants, solve, norms and the classic factorizations.

Differentiable (through the primitives ``Inverse`` and ``LogAbsDet``):

    inv(A)                     ∂L/∂A = −A⁻ᵀ · ∂L/∂A⁻¹ · A⁻ᵀ
    slogdet(A) = (sign, ln|det A|),   ∂ ln|det A| / ∂A = A⁻ᵀ
    det(A)  = sign · e^(ln|det A|)    (so ∂det/∂A = det · A⁻ᵀ, Jacobi's formula)
    solve(A, b) = A⁻¹ · b
    norm(x) = √Σ x² (vectors: any p; matrices: "fro", 1, −1, inf, −inf, "nuc" by NumPy)

The factorizations (cholesky, qr, svd, eig, eigh, lu_factor, lstsq, pinv ...) return
their factors as constants: their gradients are not part of this chapter.
"""
from __future__ import annotations

import numpy as np
import scipy.linalg

from ..tensor import Tensor
from .elementwise import Mul, PowScalar
from .axes import canonical_axis
from .keras_base import constant, float_tensor, promoted_float
from .math_primitives import Inverse, LogAbsDet
from .matmul_ops import MatMul
from .reduce import Max, Min, Sum
from .unary import Abs, Exp, Sqrt


def inv(x) -> Tensor:
    """A⁻¹ of a square matrix (or a batch of them)."""
    return Inverse.apply(float_tensor(x))


def slogdet(x) -> tuple:
    """(sign of det A, ln |det A|); the log is differentiable."""
    x = float_tensor(x)
    return constant(np.linalg.slogdet(x.data)[0].astype(x.dtype)), LogAbsDet.apply(x)


def det(x) -> Tensor:
    """det A = sign · e^(ln|det A|)."""
    sign, logabs = slogdet(x)
    return Mul.apply(sign, Exp.apply(logabs))


def logdet(x) -> Tensor:
    """ln det A of a matrix with positive determinant (NaN where it is negative)."""
    sign, logabs = slogdet(x)
    return Mul.apply(logabs, constant(np.where(sign.data > 0, 1.0, np.nan).astype(logabs.dtype)))


def solve(a, b) -> Tensor:
    """x with A·x = b, as A⁻¹·b."""
    a, b = promoted_float(a, b)
    return MatMul.apply(Inverse.apply(a), b)


def solve_triangular(a, b, lower=False) -> Tensor:
    """x with A·x = b for a triangular A (only the triangle ``lower`` names is read)."""
    a, b = promoted_float(a, b)
    triangle = np.tril(np.ones(a.shape[-2:], dtype=bool)) if lower else np.triu(np.ones(a.shape[-2:], dtype=bool))
    return MatMul.apply(Inverse.apply(Mul.apply(a, constant(triangle.astype(a.dtype)))), b)


def norm(x, ord=None, axis=None, keepdims=False) -> Tensor:  # noqa: A002
    """The vector or matrix norm, as ``numpy.linalg.norm``.

    Vectors (one axis, or a 1-D x with axis None): ‖x‖_p = (Σ|x|ᵖ)^(1/p), with p = 2 by
    default, ∞ = max|x|, −∞ = min|x|, 0 = the count of non-zeros. Matrices (two axes):
    "fro" (the default) = √Σ x², 1 / −1 = max / min column sum of |x|, ∞ / −∞ = the same
    over rows; "nuc", 2, −2 come from the SVD (constants).
    """
    x = float_tensor(x)
    if axis is None:
        axes = tuple(range(x.ndim)) if (ord is None or x.ndim <= 2) else None
        if axes is None:
            raise ValueError("norm: give axis for a tensor of more than 2 dimensions")
        if ord is None:
            return _keep(Sqrt.apply(Sum.apply(Mul.apply(x, x))), x, axes, keepdims)
    else:
        axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
    axes = tuple(canonical_axis(a, x.ndim, "norm") for a in axes)
    if len(axes) == 1:
        p = 2 if ord is None else ord
        a = Abs.apply(x)
        if p == np.inf:
            return Max.apply(a, axis=axes, keepdims=keepdims)
        if p == -np.inf:
            return Min.apply(a, axis=axes, keepdims=keepdims)
        if p == 0:
            return constant(np.sum(x.data != 0, axis=axes, keepdims=keepdims).astype(x.dtype))
        if p == 2:
            return Sqrt.apply(Sum.apply(Mul.apply(x, x), axis=axes, keepdims=keepdims))
        return PowScalar.apply(Sum.apply(PowScalar.apply(a, exponent=float(p)), axis=axes, keepdims=keepdims),
                               exponent=1.0 / p)
    if len(axes) != 2:
        raise ValueError(f"norm: axis must name one or two axes, got {axis}")
    row, col = axes
    if ord in (None, "fro", "f"):
        return Sqrt.apply(Sum.apply(Mul.apply(x, x), axis=axes, keepdims=keepdims))
    if ord in (1, -1, np.inf, -np.inf):
        over, then = (row, col) if ord in (1, -1) else (col, row)
        sums = Sum.apply(Abs.apply(x), axis=over, keepdims=True)
        pick = Max if ord in (1, np.inf) else Min
        out = pick.apply(sums, axis=then, keepdims=True)
        return out if keepdims else Sum.apply(out, axis=axes)
    return constant(np.linalg.norm(x.data, ord=ord, axis=axes, keepdims=keepdims).astype(x.dtype))


def _keep(out, x, axes, keepdims):
    if not keepdims:
        return out
    from .shape_ops import Reshape
    return Reshape.apply(out, shape=tuple(1 if a in axes else n for a, n in enumerate(x.shape)))


# --- factorizations (constants) ------------------------------------------------------------------
def _const(array, like):
    return constant(np.asarray(array).astype(like.dtype))


def cholesky(x, upper=False) -> Tensor:
    """L with A = L·Lᵀ (or U = Lᵀ with ``upper``) of a symmetric positive-definite A."""
    x = float_tensor(x)
    try:
        lower = np.linalg.cholesky(x.data)
    except np.linalg.LinAlgError:
        raise ValueError("cholesky: the matrix is not symmetric positive definite") from None
    return _const(np.swapaxes(lower, -1, -2) if upper else lower, x)


def cholesky_inverse(x, upper=False) -> Tensor:
    """A⁻¹ from A's Cholesky factor (A = L·Lᵀ, or Uᵀ·U with ``upper``)."""
    x = float_tensor(x)
    factor = np.swapaxes(x.data, -1, -2) if upper else x.data
    return _const(np.linalg.inv(factor @ np.swapaxes(factor, -1, -2)), x)


def qr(x, mode="reduced") -> tuple:
    """(Q, R) with A = Q·R, Q orthonormal columns, R upper triangular."""
    x = float_tensor(x)
    q, r = np.linalg.qr(x.data, mode=mode)
    return _const(q, x), _const(r, x)


def svd(x, full_matrices=True, compute_uv=True):
    """(U, S, Vᵀ) with A = U·diag(S)·Vᵀ; only S when ``compute_uv`` is False."""
    x = float_tensor(x)
    if not compute_uv:
        return _const(np.linalg.svd(x.data, compute_uv=False), x)
    u, s, vt = np.linalg.svd(x.data, full_matrices=full_matrices)
    return _const(u, x), _const(s, x), _const(vt, x)


def eig(x) -> tuple:
    """(eigenvalues, eigenvectors) of a square matrix whose eigenvalues are real."""
    x = float_tensor(x)
    w, v = np.linalg.eig(x.data)
    if np.iscomplexobj(w) and np.any(np.abs(w.imag) > 0):
        raise ValueError("eig: the matrix has complex eigenvalues; glassnet's tensors are real")
    return _const(w.real, x), _const(v.real, x)


def eigh(x) -> tuple:
    """(eigenvalues ascending, eigenvectors) of a symmetric matrix."""
    x = float_tensor(x)
    w, v = np.linalg.eigh(x.data)
    return _const(w, x), _const(v, x)


def lu_factor(x) -> tuple:
    """(LU, pivots) as ``scipy.linalg.lu_factor``: L below the diagonal (unit diagonal), U on and above."""
    x = float_tensor(x)
    lu, piv = scipy.linalg.lu_factor(x.data)
    return _const(lu, x), constant(piv.astype(np.int32))


def lstsq(a, b, rcond=None) -> Tensor:
    """The x minimising ‖A·x − b‖₂."""
    a, b = promoted_float(a, b)
    return _const(np.linalg.lstsq(a.data, b.data, rcond=rcond)[0], a)


def pinv(x, rcond=None) -> Tensor:
    """The Moore–Penrose pseudo-inverse."""
    x = float_tensor(x)
    return _const(np.linalg.pinv(x.data) if rcond is None else np.linalg.pinv(x.data, rcond=rcond), x)


def matrix_rank(x, tol=None) -> Tensor:
    """The number of singular values above ``tol`` (int32)."""
    return constant(np.asarray(np.linalg.matrix_rank(float_tensor(x).data, tol=tol)).astype(np.int32))


__all__ = ["inv", "slogdet", "det", "logdet", "solve", "solve_triangular", "norm", "cholesky",
    "cholesky_inverse", "qr", "svd", "eig", "eigh", "lu_factor", "lstsq", "pinv", "matrix_rank"]

"""Orthogonal initialisation (Saxe et al., 2014): the default for recurrent kernels.

An orthogonal matrix Q (QᵀQ = I) preserves the length of every vector it multiplies, so a
signal sent through it many times — as an RNN does with its recurrent kernel at every time
step — neither grows nor shrinks.
"""
from __future__ import annotations

import numpy as np

from .initializer import RandomInitializer, _resolve_dtype, _standardize_shape


class Orthogonal(RandomInitializer):
    """W = gain · Q, with Q a random orthogonal matrix.

    Recipe (as Keras): flatten the shape to rows = shape[0]·…·shape[−2] by cols =
    shape[−1]; draw A ~ N(0, 1) of shape (max(rows, cols), min(rows, cols)); factor
    A = QR; multiply each column of Q by the sign of R's diagonal (this makes Q uniformly
    distributed over orthogonal matrices); transpose if rows < cols; reshape.
    The result has orthonormal columns (rows ≥ cols) or orthonormal rows (rows < cols).

    Args:
        gain: factor applied to Q.
        seed: None or an int (see ``RandomInitializer``).

    Raises:
        ValueError: when called with a shape of fewer than two dimensions.
    """

    def __init__(self, gain=1.0, seed=None):
        super().__init__(seed)
        self.gain = gain

    def __call__(self, shape, dtype=None) -> np.ndarray:
        shape, dtype = _standardize_shape(shape), _resolve_dtype(dtype)
        if len(shape) < 2:
            raise ValueError(f"Orthogonal: shape must have at least two dimensions, got {shape}")
        rows, cols = int(np.prod(shape[:-1])), shape[-1]
        A = self._generator().standard_normal((max(rows, cols), min(rows, cols)))
        Q, R = np.linalg.qr(A)
        Q *= np.where(np.diag(R) < 0, -1.0, 1.0)
        if rows < cols:
            Q = Q.T
        return np.ascontiguousarray((self.gain * Q.reshape(shape)).astype(dtype))   # row-major, as every weight

    def get_config(self) -> dict:
        return {"gain": self.gain, **super().get_config()}


OrthogonalInitializer = Orthogonal

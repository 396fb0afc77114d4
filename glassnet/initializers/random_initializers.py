"""Initializers with fixed parameters: normal, uniform and truncated-normal draws.

These do not look at the shape; the variance-scaling family (``variance_scaling.py``)
chooses its spread from the fans of the shape instead.
"""
from __future__ import annotations

import numpy as np

from .initializer import RandomInitializer, _resolve_dtype, _standardize_shape, truncated_standard_normal


class _Normal(RandomInitializer):
    """What RandomNormal and TruncatedNormal share: W = mean + stddev · z, z drawn by ``_standard``."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean = mean
        self.stddev = stddev

    def _standard(self, shape) -> np.ndarray:
        """z ~ N(0, 1) of ``shape``."""
        return self._generator().standard_normal(shape)

    def __call__(self, shape, dtype=None) -> np.ndarray:
        shape, dtype = _standardize_shape(shape), _resolve_dtype(dtype)
        return (self.mean + self.stddev * self._standard(shape)).astype(dtype)

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


class RandomNormal(_Normal):
    """W ~ N(mean, stddev²).

    Args:
        mean: mean of the normal distribution.
        stddev: its standard deviation.
        seed: None or an int (see ``RandomInitializer``).
    """


class RandomUniform(RandomInitializer):
    """W ~ U(minval, maxval).

    Args:
        minval: lower bound (included).
        maxval: upper bound (excluded).
        seed: None or an int (see ``RandomInitializer``).

    Raises:
        ValueError: if ``minval > maxval``.
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        if minval > maxval:
            raise ValueError(f"RandomUniform: minval {minval!r} is greater than maxval {maxval!r}")
        super().__init__(seed)
        self.minval = minval
        self.maxval = maxval

    def __call__(self, shape, dtype=None) -> np.ndarray:
        shape, dtype = _standardize_shape(shape), _resolve_dtype(dtype)
        return self._generator().uniform(self.minval, self.maxval, shape).astype(dtype)

    def get_config(self) -> dict:
        return {"minval": self.minval, "maxval": self.maxval, **super().get_config()}


class TruncatedNormal(_Normal):
    """W ~ N(mean, stddev²) cut at two standard deviations: draws outside
    [mean − 2·stddev, mean + 2·stddev] are discarded and drawn again.

    The cut makes the actual standard deviation 0.8796·stddev.

    Args:
        mean: mean of the normal distribution before the cut.
        stddev: its standard deviation before the cut.
        seed: None or an int (see ``RandomInitializer``).
    """

    def _standard(self, shape) -> np.ndarray:
        """z ~ N(0, 1) cut at ±2 (redrawn outside)."""
        return truncated_standard_normal(self._generator(), shape)

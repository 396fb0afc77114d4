"""Variance scaling: pick the spread of the weights from the layer's fan-in and fan-out.

Why: a unit sums n inputs, so with inputs of variance 1 and weights of variance s² its
output has variance n·s². Choosing s² = scale/n keeps the variance of the signal (and,
with n = fan_out, of the gradient) the same from layer to layer, so deep networks neither
explode nor vanish at the start of training.

The general rule, with n one of fan_in, fan_out or (fan_in + fan_out)/2 (``compute_fans``):

    target variance      Var(W) = scale / n
    truncated_normal     W ~ N(0, σ²) cut at ±2σ,  σ = √(scale/n) / 0.87962566103423978
                         (the cut shrinks the std by 0.8796…, so σ is enlarged to make up)
    untruncated_normal   W ~ N(0, scale/n)
    uniform              W ~ U(−limit, limit),  limit = √(3·scale/n)   (Var U(−l, l) = l²/3)

The named schemes are special cases:

    ==============  =====  ========  =================  ==============================
    name            scale  n         distribution       i.e.
    ==============  =====  ========  =================  ==============================
    GlorotUniform   1      fan_avg   uniform            limit = √(6/(fan_in + fan_out))
    GlorotNormal    1      fan_avg   truncated normal   std = √(2/(fan_in + fan_out))
    HeUniform       2      fan_in    uniform            limit = √(6/fan_in)
    HeNormal        2      fan_in    truncated normal   std = √(2/fan_in)
    LecunUniform    1      fan_in    uniform            limit = √(3/fan_in)
    LecunNormal     1      fan_in    truncated normal   std = √(1/fan_in)
    FanInUniform    1/3    fan_in    uniform            limit = 1/√fan_in
    ==============  =====  ========  =================  ==============================

Glorot (Xavier) suits tanh/sigmoid, He suits ReLU, LeCun suits SELU. Keras's ``_normal``
schemes are truncated (PyTorch's ``kaiming_normal_``/``xavier_normal_`` are not).
"""
from __future__ import annotations

import math

import numpy as np

from .initializer import (
    RandomInitializer,
    _resolve_dtype,
    _standardize_shape,
    compute_fans,
    truncated_standard_normal,
    uniform_in_chunks,
)

_TRUNCATED_STD = 0.87962566103423978  # std of N(0, 1) cut at ±2
_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")


class VarianceScaling(RandomInitializer):
    """W with variance scale/n, n from the fans (the formulas are in the module docstring).

    Args:
        scale: positive factor of the variance.
        mode: "fan_in", "fan_out" or "fan_avg" (the mean of the two).
        distribution: "truncated_normal", "untruncated_normal" or "uniform"
            ("normal" is read as "truncated_normal", as in Keras).
        seed: None or an int (see ``RandomInitializer``).

    Raises:
        ValueError: for a scale ≤ 0, or an unknown mode or distribution.
    """

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
        if not scale > 0:
            raise ValueError(f"VarianceScaling: scale must be a positive number, got {scale!r}")
        if mode not in _MODES:
            raise ValueError(f"VarianceScaling: unknown mode {mode!r}; expected one of {_MODES}")
        distribution = str(distribution).lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in _DISTRIBUTIONS:
            raise ValueError(
                f"VarianceScaling: unknown distribution {distribution!r}; expected one of {_DISTRIBUTIONS}"
            )
        super().__init__(seed)
        self.scale = scale
        self.mode = mode
        self.distribution = distribution

    def __call__(self, shape, dtype=None) -> np.ndarray:
        shape, dtype = _standardize_shape(shape), _resolve_dtype(dtype)
        fan_in, fan_out = compute_fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        variance = self.scale / max(1.0, n)
        generator = self._generator()
        if self.distribution == "truncated_normal":
            sigma = math.sqrt(variance) / _TRUNCATED_STD
            W = sigma * truncated_standard_normal(generator, shape)
        elif self.distribution == "untruncated_normal":
            W = math.sqrt(variance) * generator.standard_normal(shape)
        else:
            limit = math.sqrt(3.0 * variance)
            return uniform_in_chunks(generator, -limit, limit, shape, dtype)
        return W.astype(dtype)

    def get_config(self) -> dict:
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution, **super().get_config()}


class _NamedVarianceScaling(VarianceScaling):
    """A VarianceScaling with fixed scale, mode and distribution; its config is the seed."""

    _scale, _mode, _distribution = 1.0, "fan_in", "truncated_normal"

    def __init__(self, seed=None):
        super().__init__(scale=self._scale, mode=self._mode, distribution=self._distribution, seed=seed)

    def get_config(self) -> dict:
        return {"seed": self.seed}


class GlorotUniform(_NamedVarianceScaling):
    """Glorot (Xavier) uniform: W ~ U(−limit, limit), limit = √(6/(fan_in + fan_out)).

    Keras's default kernel initializer (Dense, Conv). Glorot & Bengio, 2010.
    """

    _scale, _mode, _distribution = 1.0, "fan_avg", "uniform"


class GlorotNormal(_NamedVarianceScaling):
    """Glorot (Xavier) normal: truncated normal with std √(2/(fan_in + fan_out)) after the cut."""

    _scale, _mode, _distribution = 1.0, "fan_avg", "truncated_normal"


class HeUniform(_NamedVarianceScaling):
    """He (Kaiming) uniform: W ~ U(−limit, limit), limit = √(6/fan_in). For ReLU layers."""

    _scale, _mode, _distribution = 2.0, "fan_in", "uniform"


class HeNormal(_NamedVarianceScaling):
    """He (Kaiming) normal: truncated normal with std √(2/fan_in) after the cut. For ReLU.

    He et al., 2015: a ReLU zeroes half its inputs, halving the variance; scale 2 makes up.
    """

    _scale, _mode, _distribution = 2.0, "fan_in", "truncated_normal"


class LecunUniform(_NamedVarianceScaling):
    """LeCun uniform: W ~ U(−limit, limit), limit = √(3/fan_in)."""

    _scale, _mode, _distribution = 1.0, "fan_in", "uniform"


class LecunNormal(_NamedVarianceScaling):
    """LeCun normal: truncated normal with std √(1/fan_in) after the cut. Pairs with SELU."""

    _scale, _mode, _distribution = 1.0, "fan_in", "truncated_normal"


class FanInUniform(RandomInitializer):
    """The course's "uniform" initialisation: W ~ U(−1/√fan_in, 1/√fan_in).

    This is PyTorch's default for ``nn.Linear`` and ``nn.Conv*`` weights
    (``kaiming_uniform_(a=√5)`` works out to exactly this bound) and, with the weight's
    fan_in, for their biases. It equals ``VarianceScaling(scale=1/3, mode="fan_in",
    distribution="uniform")``: Var(W) = 1/(3·fan_in). Not a Keras initializer; its string
    id is "fan_in_uniform".

    Args:
        fan_in: use this fan-in instead of the one computed from the shape. A bias of
            shape (units,) has no fan-in of its own; pass the layer's input size to
            initialise it as PyTorch does.
        seed: None or an int (see ``RandomInitializer``).

    Raises:
        ValueError: if ``fan_in`` is given and is not a positive int.
    """

    def __init__(self, fan_in=None, seed=None):
        if fan_in is not None and (not isinstance(fan_in, (int, np.integer)) or isinstance(fan_in, bool) or fan_in < 1):
            raise ValueError(f"FanInUniform: fan_in must be None or a positive int, got {fan_in!r}")
        super().__init__(seed)
        self.fan_in = None if fan_in is None else int(fan_in)

    def __call__(self, shape, dtype=None) -> np.ndarray:
        shape, dtype = _standardize_shape(shape), _resolve_dtype(dtype)
        fan_in = self.fan_in if self.fan_in is not None else max(1, compute_fans(shape)[0])
        limit = 1.0 / math.sqrt(fan_in)
        return self._generator().uniform(-limit, limit, shape).astype(dtype)

    def get_config(self) -> dict:
        return {"fan_in": self.fan_in, **super().get_config()}

"""The Initializer contract, seeding, and the fan-in / fan-out of a weight shape.

An initializer is called with a shape and returns a NumPy array of that shape::

    W = GlorotUniform(seed=1)((784, 128))        # float32 unless backend.set_floatx(...)

Seeding (as in Keras): ``seed=None`` draws from the shared generator
``glassnet.backend.rng()`` — so ``glassnet.utils.set_random_seed(s)`` makes a whole model's
initialisation repeat; an integer seed gives the initializer its own generator, made fresh
on every call, so the same seed always returns the same array.
"""
from __future__ import annotations

import abc
import numbers

import numpy as np

from .. import backend


def compute_fans(shape) -> tuple:
    """(fan_in, fan_out) of a weight shape, exactly as Keras computes them.

    * ``()``                → (1, 1)
    * ``(n,)``              → (n, n)                   a bias or a 1-D weight
    * ``(n_in, n_out)``     → (n_in, n_out)            a Dense kernel (Keras layout)
    * ``(k₁, …, k_d, c_in, c_out)`` — a convolution kernel: with the receptive field
      rf = k₁·…·k_d, fan_in = c_in·rf and fan_out = c_out·rf (each input channel is seen
      through rf pixels; each output channel writes through rf pixels).

    Example: a 3×3 Conv2D from 16 to 32 channels, shape (3, 3, 16, 32): rf = 9,
    fan_in = 144, fan_out = 288.
    """
    shape = _standardize_shape(shape)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive_field = int(np.prod(shape[:-2]))
    return shape[-2] * receptive_field, shape[-1] * receptive_field


def _standardize_shape(shape) -> tuple:
    """``shape`` as a tuple of non-negative Python ints (an int n means ``(n,)``)."""
    if isinstance(shape, numbers.Integral) and not isinstance(shape, bool):
        shape = (shape,)
    try:
        dims = tuple(shape)
    except TypeError:
        raise ValueError(f"initializer: shape must be a tuple of non-negative ints, got {shape!r}") from None
    if not all(isinstance(d, numbers.Integral) and not isinstance(d, bool) and d >= 0 for d in dims):
        raise ValueError(f"initializer: shape must be a tuple of non-negative ints, got {shape!r}")
    return tuple(int(d) for d in dims)


def _resolve_dtype(dtype, float_only: bool = True) -> np.dtype:
    """``dtype`` as a NumPy dtype (None → ``backend.floatx()``)."""
    resolved = np.dtype(backend.floatx() if dtype is None else dtype)
    if float_only and resolved.kind != "f":
        raise ValueError(f"initializer: dtype must be a float dtype for random values, got {resolved}")
    return resolved


_CHUNK = 1 << 22


def uniform_in_chunks(generator: np.random.Generator, low: float, high: float, shape: tuple, dtype) -> np.ndarray:
    """U(low, high) draws of ``shape`` in ``dtype``, drawn in float64 a few million at a time.

    The values are exactly those of ``generator.uniform(low, high, shape).astype(dtype)`` (the
    generator fills elements in order), without that call's float64 temporary: VGG16's
    102,760,448-weight fc1 would need 822 MB of it.
    """
    out = np.empty(shape, dtype=dtype)
    flat = out.reshape(-1)
    for start in range(0, flat.size, _CHUNK):
        flat[start:start + _CHUNK] = generator.uniform(low, high, min(_CHUNK, flat.size - start))
    return out


def truncated_standard_normal(generator: np.random.Generator, shape: tuple) -> np.ndarray:
    """Standard-normal draws z with every |z| > 2 thrown away and drawn again.

    The result follows N(0, 1) cut at ±2σ; its standard deviation is 0.87962566103423978
    (which is why VarianceScaling divides its target std by that number).
    """
    z = generator.standard_normal(shape)
    outside = np.abs(z) > 2.0
    while outside.any():
        z[outside] = generator.standard_normal(int(outside.sum()))
        outside = np.abs(z) > 2.0
    return z


class Initializer(abc.ABC):
    """Base class: ``initializer(shape, dtype=None) -> np.ndarray``.

    Subclasses implement ``__call__``; ``__init__`` stores the arguments and
    ``get_config`` returns them, so ``type(i).from_config(i.get_config())`` rebuilds ``i``.
    """

    @abc.abstractmethod
    def __call__(self, shape, dtype=None) -> np.ndarray:
        """An array of ``shape`` and ``dtype`` (default ``backend.floatx()``)."""

    def get_config(self) -> dict:
        """The constructor arguments, as a JSON-able dict."""
        return {}

    @classmethod
    def from_config(cls, config: dict) -> "Initializer":
        """Rebuild an initializer from ``get_config()``'s dict."""
        return cls(**config)

    def __repr__(self) -> str:
        arguments = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({arguments})"


class RandomInitializer(Initializer):
    """An initializer that draws random numbers, from its own seed or the shared stream.

    Args:
        seed: None (draw from ``backend.rng()``, so successive calls differ) or a
            non-negative int (a fresh ``np.random.default_rng(seed)`` on each call, so
            each call returns the same array).

    Raises:
        ValueError: if ``seed`` is neither None nor a non-negative int.
    """

    def __init__(self, seed=None):
        if seed is not None and (not isinstance(seed, numbers.Integral) or isinstance(seed, bool) or seed < 0):
            raise ValueError(f"{type(self).__name__}: seed must be None or a non-negative int, got {seed!r}")
        self.seed = None if seed is None else int(seed)

    def _generator(self) -> np.random.Generator:
        return backend.rng() if self.seed is None else np.random.default_rng(self.seed)

    def get_config(self) -> dict:
        return {"seed": self.seed}

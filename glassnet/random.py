"""Random draws with Keras's names and seed rules (``keras.random``).

Every function takes a ``seed`` that says where its randomness comes from:

* ``seed=None`` — draw from glassnet's one generator, ``glassnet.backend.rng()`` (so
  ``glassnet.utils.set_random_seed(s)`` makes a whole program repeat);
* ``seed=<int>`` — a fixed draw: the same int gives the same numbers every call (Keras's
  "stateless" use of an int seed);
* ``seed=SeedGenerator(s)`` — a stream: each call takes the generator's next state, so
  successive calls differ, and a generator made again with the same ``s`` repeats them.

The draws (x of ``shape``; each function returns a ``glassnet.Tensor``)::

    normal            x ~ N(mean, stddev²)
    truncated_normal  x ~ N(mean, stddev²) conditioned on |x − mean| ≤ 2·stddev
                      (values outside are drawn again, as Keras and TensorFlow do)
    uniform           x ~ U[minval, maxval)
    randint           x ~ U{minval, …, maxval − 1}
    categorical       one class per row of logits: P(class j) = softmax(logits)_j
    gamma             x ~ Gamma(alpha, 1)             density x^(α−1)·e^(−x) / Γ(α)
    beta              x ~ Beta(alpha, beta)           = G₁/(G₁ + G₂), Gᵢ ~ Gamma(α), Gamma(β)
    binomial          x ~ Binomial(counts, probabilities): successes in n trials
    shuffle           a random permutation of x along ``axis``
    dropout           y = x·m/(1 − rate), m ~ Bernoulli(1 − rate) (differentiable in x)
"""
from __future__ import annotations

import numbers

import numpy as np

from . import backend
from .tensor import Tensor


class SeedGenerator:
    """A stream of seeds: each draw that takes it uses its next state (Keras's ``SeedGenerator``).

    State: a counter c, starting at 0. A draw uses the NumPy generator
    ``default_rng([seed, c])`` and then sets c ← c + 1, so the k-th draw of two generators
    made with the same seed is the same, and successive draws differ.

    Args:
        seed: a non-negative int, or None to take one from ``glassnet.backend.rng()``.

    Raises:
        ValueError: a seed that is not a non-negative int.
    """

    def __init__(self, seed=None, **kwargs):
        if seed is None:
            seed = int(backend.rng().integers(0, 2**31 - 1))
        if not _is_int(seed) or seed < 0:
            raise ValueError(f"SeedGenerator: seed must be None or a non-negative int, got {seed!r}")
        self.seed = int(seed)
        self.counter = 0

    @property
    def state(self) -> np.ndarray:
        """(seed, counter), as Keras's ``seed_generator.state``."""
        return np.array([self.seed, self.counter], dtype=np.int64)

    def next(self) -> np.random.Generator:
        """The generator of the next draw; advances the counter."""
        generator = np.random.default_rng([self.seed, self.counter])
        self.counter += 1
        return generator

    def get_config(self) -> dict:
        return {"seed": self.seed}

    @classmethod
    def from_config(cls, config: dict) -> "SeedGenerator":
        return cls(**config)

    def __repr__(self) -> str:
        return f"<SeedGenerator seed={self.seed} counter={self.counter}>"


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def draw_generator(seed, owner: str) -> np.random.Generator:
    """The NumPy generator a draw with ``seed`` uses (see the module docstring)."""
    if seed is None:
        return backend.rng()
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if _is_int(seed) and seed >= 0:
        return np.random.default_rng(int(seed))
    raise ValueError(f"{owner}: seed must be None, a non-negative int or a SeedGenerator, got {seed!r}")


def _shape(shape, owner: str) -> tuple:
    if _is_int(shape):
        shape = (shape,)
    if isinstance(shape, Tensor):
        shape = tuple(int(s) for s in shape.data.reshape(-1))
    try:
        shape = tuple(int(s) for s in shape)
    except TypeError:
        raise ValueError(f"{owner}: shape must be a tuple of non-negative ints, got {shape!r}") from None
    if any(s < 0 for s in shape):
        raise ValueError(f"{owner}: shape must be a tuple of non-negative ints, got {shape!r}")
    return shape


def _float_dtype(dtype, owner: str) -> np.dtype:
    dtype = np.dtype(dtype or backend.floatx())
    if dtype.kind != "f":
        raise ValueError(f"{owner}: dtype must be a float dtype, got {dtype}")
    return dtype


def _positive(value, name: str, owner: str) -> float:
    if not isinstance(value, numbers.Real) or not value > 0:
        raise ValueError(f"{owner}: {name} must be a positive number, got {value!r}")
    return float(value)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None) -> Tensor:
    """Samples x ~ N(mean, stddev²) of ``shape``.

    Args:
        shape: the output shape (a tuple of ints, or one int).
        mean, stddev: the distribution's mean μ and standard deviation σ > 0.
        dtype: a float dtype (default ``backend.floatx()``).
        seed: None, an int or a ``SeedGenerator`` (see the module docstring).
    """
    shape, dtype = _shape(shape, "normal"), _float_dtype(dtype, "normal")
    stddev = _positive(stddev, "stddev", "normal")
    values = draw_generator(seed, "normal").normal(float(mean), stddev, size=shape)
    return Tensor(values.astype(dtype))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None) -> Tensor:
    """Samples of N(mean, stddev²) kept within two standard deviations of the mean.

    Algorithm: draw z ~ N(0, 1); draw again every |z| > 2 until none is left;
    x = mean + stddev·z. (Each draw is kept with probability 0.954, so a few rounds do.)

    Args: as ``normal``.
    """
    shape, dtype = _shape(shape, "truncated_normal"), _float_dtype(dtype, "truncated_normal")
    stddev = _positive(stddev, "stddev", "truncated_normal")
    generator = draw_generator(seed, "truncated_normal")
    z = generator.standard_normal(size=shape)
    outside = np.abs(z) > 2.0
    while outside.any():
        z[outside] = generator.standard_normal(size=int(outside.sum()))
        outside = np.abs(z) > 2.0
    return Tensor((float(mean) + stddev * z).astype(dtype))


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None) -> Tensor:
    """Samples x ~ U[minval, maxval) of ``shape`` (a float dtype; see ``randint`` for ints).

    Raises:
        ValueError: maxval ≤ minval, an integer dtype, or a bad shape or seed.
    """
    shape, dtype = _shape(shape, "uniform"), _float_dtype(dtype, "uniform")
    if not maxval > minval:
        raise ValueError(f"uniform: maxval must be greater than minval, got minval={minval!r}, maxval={maxval!r}")
    values = draw_generator(seed, "uniform").uniform(float(minval), float(maxval), size=shape)
    return Tensor(values.astype(dtype))


def randint(shape, minval, maxval, dtype="int32", seed=None) -> Tensor:
    """Integers drawn uniformly from {minval, …, maxval − 1}.

    Raises:
        ValueError: maxval ≤ minval, a non-integer dtype, or a bad shape or seed.
    """
    shape = _shape(shape, "randint")
    dtype = np.dtype(dtype)
    if dtype.kind not in "iu":
        raise ValueError(f"randint: dtype must be an integer dtype, got {dtype}")
    if not (_is_int(minval) and _is_int(maxval)) or maxval <= minval:
        raise ValueError(f"randint: need integers minval < maxval, got minval={minval!r}, maxval={maxval!r}")
    values = draw_generator(seed, "randint").integers(int(minval), int(maxval), size=shape)
    return Tensor(values.astype(dtype))


def categorical(logits, num_samples, dtype="int32", seed=None) -> Tensor:
    """For each row of ``logits`` (batch, classes), ``num_samples`` class ids drawn with
    P(j) = exp(logitsⱼ) / Σₖ exp(logitsₖ); returns (batch, num_samples).

    Raises:
        ValueError: logits that are not 2-D, or a num_samples that is not a positive int.
    """
    logits = np.asarray(logits.data if isinstance(logits, Tensor) else logits, dtype=np.float64)
    if logits.ndim != 2:
        raise ValueError(f"categorical: logits must be 2-D (batch, classes), got shape {logits.shape}")
    if not _is_int(num_samples) or num_samples < 1:
        raise ValueError(f"categorical: num_samples must be a positive int, got {num_samples!r}")
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    generator = draw_generator(seed, "categorical")
    u = generator.random(size=(logits.shape[0], num_samples, 1))      # inverse CDF: j = #{k: cdfₖ ≤ u}
    ids = (np.cumsum(p, axis=1)[:, None, :] <= u).sum(axis=-1)
    return Tensor(np.minimum(ids, logits.shape[1] - 1).astype(dtype))


def _positive_array(value, name: str, owner: str) -> np.ndarray:
    array = np.asarray(value.data if isinstance(value, Tensor) else value, dtype=np.float64)
    if not np.all(array > 0):
        raise ValueError(f"{owner}: {name} must be positive, got {value!r}")
    return array


def gamma(shape, alpha, dtype=None, seed=None) -> Tensor:
    """Samples x ~ Gamma(α, 1) (density x^(α−1)·e^(−x)/Γ(α), mean α); ``alpha`` > 0 broadcasts to ``shape``."""
    shape, dtype = _shape(shape, "gamma"), _float_dtype(dtype, "gamma")
    alpha = _positive_array(alpha, "alpha", "gamma")
    return Tensor(draw_generator(seed, "gamma").gamma(np.broadcast_to(alpha, shape)).astype(dtype))


def beta(shape, alpha, beta, dtype=None, seed=None) -> Tensor:
    """Samples x ~ Beta(α, β) in (0, 1) (mean α/(α + β)); ``alpha``, ``beta`` > 0 broadcast to ``shape``."""
    shape, dtype = _shape(shape, "beta"), _float_dtype(dtype, "beta")
    a, b = _positive_array(alpha, "alpha", "beta"), _positive_array(beta, "beta", "beta")
    values = draw_generator(seed, "beta").beta(np.broadcast_to(a, shape), np.broadcast_to(b, shape))
    return Tensor(values.astype(dtype))


def binomial(shape, counts, probabilities, dtype=None, seed=None) -> Tensor:
    """The number of successes in ``counts`` trials of probability ``probabilities`` (both
    broadcast to ``shape``); returned as floats, as Keras does (``dtype`` default floatx).

    Raises:
        ValueError: negative counts or probabilities outside [0, 1].
    """
    shape, dtype = _shape(shape, "binomial"), _float_dtype(dtype, "binomial")
    n = np.asarray(counts.data if isinstance(counts, Tensor) else counts)
    p = np.asarray(probabilities.data if isinstance(probabilities, Tensor) else probabilities, dtype=np.float64)
    if np.any(n < 0) or np.any(n != np.round(n)):
        raise ValueError(f"binomial: counts must be non-negative integers, got {counts!r}")
    if np.any((p < 0) | (p > 1)):
        raise ValueError(f"binomial: probabilities must be in [0, 1], got {probabilities!r}")
    values = draw_generator(seed, "binomial").binomial(np.broadcast_to(n.astype(np.int64), shape),
                                                      np.broadcast_to(p, shape))
    return Tensor(values.astype(dtype))


def shuffle(x, axis=0, seed=None) -> Tensor:
    """``x`` with its entries along ``axis`` in a random order (one permutation for all)."""
    tensor = x if isinstance(x, Tensor) else Tensor(np.asarray(x))
    if tensor.ndim == 0:
        raise ValueError("shuffle: x must have at least one axis, got a scalar")
    axis = int(axis)
    if not -tensor.ndim <= axis < tensor.ndim:
        raise ValueError(f"shuffle: axis {axis} is out of range for x of shape {tensor.shape}")
    order = draw_generator(seed, "shuffle").permutation(tensor.shape[axis])
    return Tensor(np.take(tensor.data, order, axis=axis))


def dropout(inputs, rate, noise_shape=None, seed=None) -> Tensor:
    """Inverted dropout: y = x·m/(1 − rate), each m ~ Bernoulli(1 − rate), so E[y] = x.

    The mask is a constant, so ∂y/∂x = m/(1 − rate) (gradients flow through ``inputs``).

    Args:
        inputs: a Tensor or array.
        rate: the probability of dropping an entry, in [0, 1).
        noise_shape: the mask's shape, broadcast against inputs (e.g. ``(batch, 1, features)``
            to drop the same features at every time step); default the inputs' shape.
        seed: None, an int or a ``SeedGenerator``.

    Raises:
        ValueError: a rate outside [0, 1) or a noise_shape that does not broadcast.
    """
    if not isinstance(rate, numbers.Real) or not 0.0 <= rate < 1.0:
        raise ValueError(f"dropout: rate must be in [0, 1), got {rate!r}")
    x = inputs if isinstance(inputs, Tensor) else Tensor(np.asarray(inputs, dtype=backend.floatx()))
    shape = tuple(x.shape) if noise_shape is None else tuple(
        x.shape[i] if s is None else int(s) for i, s in enumerate(noise_shape))
    try:
        np.broadcast_shapes(shape, x.shape)
    except ValueError:
        raise ValueError(f"dropout: noise_shape {noise_shape} does not broadcast to the inputs' shape "
                         f"{x.shape}") from None
    keep = draw_generator(seed, "dropout").random(size=shape) >= rate
    return x * (keep.astype(x.dtype) / np.asarray(1.0 - rate, dtype=x.dtype))


__all__ = ["SeedGenerator", "normal", "truncated_normal", "uniform", "randint", "categorical", "gamma", "beta",
           "binomial", "shuffle", "dropout"]

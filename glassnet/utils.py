"""Small utilities shared across glassnet."""
from __future__ import annotations

from . import backend


def set_random_seed(seed: int) -> None:
    """Seed every random draw in glassnet (initializers, dropout, shuffling).

    glassnet draws all randomness from one ``numpy.random.Generator``
    (``glassnet.backend.rng()``); this re-creates it from ``seed`` so that runs repeat
    exactly. The global ``np.random`` state is neither used nor changed.
    """
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"set_random_seed: seed must be a non-negative int, got {seed!r}")
    backend.set_seed(seed)

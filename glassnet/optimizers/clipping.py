"""Gradient clipping: by each gradient's norm or by the global norm of all of them (Keras 3)."""
from __future__ import annotations

import math

import numpy as np


def clip_by_norm(g: np.ndarray, clipnorm: float) -> np.ndarray:
    """``g · c / max(‖g‖₂, c)``: rescale g so its L2 norm is at most c (new array)."""
    flat = g.ravel()
    norm = math.sqrt(float(np.dot(flat, flat)))
    if norm <= clipnorm:
        return g
    return g * (clipnorm / norm)


def clip_by_global_norm(grads: list, global_clipnorm: float) -> list:
    """Scale all gradients by ``c / max(‖(g_1, …, g_n)‖₂, c)`` (new arrays).

    A non-finite global norm gives NaN gradients, as in Keras, so a diverged step is
    visible instead of silently clipped.
    """
    squared = sum(float(np.dot(g.ravel(), g.ravel())) for g in grads)
    norm = math.sqrt(squared)
    if not math.isfinite(norm):
        return [np.full_like(g, np.nan) for g in grads]
    if norm <= global_clipnorm:
        return grads
    scale = global_clipnorm / norm
    return [g * scale for g in grads]

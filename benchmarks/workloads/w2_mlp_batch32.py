"""W2 — W1's MLP and data at batch 32, where per-step overhead rather than BLAS dominates.

What is timed: as W1 (whole ``fit`` epochs on one continuing model vs PyTorch's eager loop,
interleaved epoch by epoch, warm-up untimed), at batch 32: 1,875 steps per 60,000 samples,
so the framework's Python work per step (layer calls, graph, optimizer bookkeeping) weighs
four times as much per sample as at batch 128.

Full: 5 epochs per side on the 60,000 training samples; quick: 2 epochs on 10,000.
"""
from __future__ import annotations

from .. import mlp

NAME = "W2"
DESCRIPTION = "MLP 784-512-256-10, Adam, batch 32 (overhead-bound), Fashion-MNIST"
BATCH = 32


def run(ctx) -> list:
    epochs, limit = (2, 10_000) if ctx.quick else (5, None)
    return mlp.train(ctx, NAME, BATCH, epochs, limit)


def profile(ctx):
    """300 glassnet steps at batch 32 (one fit epoch of 9,600 samples)."""
    return mlp.profile_epoch(ctx, BATCH, 300 * BATCH)

"""W3 — a small CNN on Fashion-MNIST: training and inference samples/s.

28×28×1 → Conv32 3×3 same + ReLU → MaxPool2 → Conv64 3×3 same + ReLU → MaxPool2 → Flatten
→ Dense128 ReLU → Dense10; Adam, batch 64 (``benchmarks/cnn.py`` has both sides).

What is timed: whole ``fit`` epochs of one continuing model vs PyTorch's eager loop with
the same running metrics, interleaved epoch by epoch, after an untimed warm-up; then
``predict`` over the 10,000 test images at batch 256 vs a ``torch.no_grad`` loop, interleaved.

Full: 3 epochs per side on the 60,000 training images, 5 inference runs; quick: 2 epochs on
6,400 images, 2 inference runs.
"""
from __future__ import annotations

from .. import cnn

NAME = "W3"
DESCRIPTION = "CNN Conv32-pool-Conv64-pool-Dense128-Dense10, Adam, batch 64, Fashion-MNIST"
BATCH = 64


def run(ctx) -> list:
    epochs, limit = (2, 6_400) if ctx.quick else (3, None)
    return cnn.train(ctx, NAME, BATCH, epochs, limit)


def profile(ctx):
    """One glassnet fit epoch of 200 steps at batch 64."""
    return cnn.profile_epoch(ctx, BATCH, 200 * BATCH)

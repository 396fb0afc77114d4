"""W5 — TokenAndPositionEmbedding(20000, 64, 128) → 2 × TransformerEncoderLayer (128, 4 heads, FFN 512 ReLU,
post-norm) → mean-pool → Dense 2 on rt-polarity.

Sequences of 64 ids, batch 32, Adam; PyTorch runs ``nn.TransformerEncoderLayer`` (batch_first,
dropout 0) with the same weights (``benchmarks/transformer.py``), checked on the test set before
training. What is timed: whole ``fit`` epochs of one continuing model vs PyTorch's eager loop
with the same running metrics, interleaved, after a warm-up; then ``predict`` over the test
sequences at batch 256 vs a ``torch.no_grad`` loop in ``eval()`` mode.

Full: 2 epochs per side on 3,200 training sentences (100 steps), 5 inference runs; quick: 2
epochs on 384 sentences (12 steps), 2 inference runs. (A step costs ~5 GFLOP, about 30× W4's LSTM
step, so the full run does not take all 9,595 sentences: ~4 minutes on 2 cores.)
"""
from __future__ import annotations

from .. import transformer

NAME = "W5"
DESCRIPTION = "Token+position embedding-2×TransformerEncoder(128, 4 heads, FFN 512)-mean-Dense2, sequences of 64, " \
              "Adam, batch 32, rt-polarity"
BATCH = 32


def run(ctx) -> list:
    epochs, limit = (2, 384) if ctx.quick else (2, 3_200)
    return transformer.train(ctx, NAME, BATCH, epochs, limit)


def profile(ctx):
    """One glassnet transformer fit epoch of 40 steps at batch 32."""
    return transformer.profile_epoch(ctx, BATCH, 40 * BATCH)

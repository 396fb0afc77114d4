"""W4 — Embedding(20000, 128) → LSTM 128 (last state) → Dense 2 on rt-polarity, and the same with a GRU.

Sequences of 64 ids, batch 64, Adam; PyTorch runs ``nn.LSTM`` / ``nn.GRU`` (batch_first) with
the same weights (``benchmarks/rnn.py``). What is timed: whole ``fit`` epochs of one continuing
model vs PyTorch's eager loop with the same running metrics, interleaved, after a warm-up;
then ``predict`` over the test sequences at batch 256 vs a ``torch.no_grad`` loop.

Full: 3 epochs per side on the 9,595 training sentences, 5 inference runs, LSTM and GRU;
quick: 2 epochs on 1,920 sentences, 2 inference runs.
"""
from __future__ import annotations

from .. import rnn

NAME = "W4"
DESCRIPTION = "Embedding-LSTM/GRU 128-Dense2, sequences of 64, Adam, batch 64, rt-polarity"
BATCH = 64


def run(ctx) -> list:
    epochs, limit = (2, 1_920) if ctx.quick else (3, None)
    return rnn.train(ctx, NAME, "lstm", BATCH, epochs, limit) + rnn.train(ctx, NAME, "gru", BATCH, epochs, limit)


def profile(ctx):
    """One glassnet LSTM fit epoch of 60 steps at batch 64."""
    return rnn.profile_epoch(ctx, "lstm", BATCH, 60 * BATCH)

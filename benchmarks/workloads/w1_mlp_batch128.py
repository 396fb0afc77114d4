"""W1 — train the MLP 784-512-256-10 on Fashion-MNIST at batch 128: glassnet vs PyTorch.

ReLU, softmax output with sparse categorical cross-entropy (PyTorch: logits and
``CrossEntropyLoss``), Adam lr 1e-3 ε 1e-7, batch 128, float32, the 60,000 training images
in [0, 1]; both sides start from the same weights (see ``benchmarks.mlp``).

What is timed: every epoch of one continuing training run per side, interleaved (glassnet
epoch 1, PyTorch epoch 1, glassnet epoch 2, ...), so a slowdown that appears only in later
epochs shows. glassnet: ``model.fit(x, y, batch_size=128, epochs=1, verbose=0,
shuffle=True)`` on the same model each time, compiled with ``metrics=["accuracy"]``;
PyTorch: the eager loop of ``mlp.TorchTraining`` keeping the same running loss and
accuracy. Reported: epoch-1 and last-epoch samples/s, the whole-run rate (all samples /
all seconds), each side's final running loss and accuracy and its test accuracy, and the
share of this machine's SGEMM rate (measured on W1's own product shapes, ``sgemm``) that
a training step reaches.

Full: 12 epochs per side on 60,000 samples; quick: 3 epochs on 20,000.
"""
from __future__ import annotations

from .. import mlp, sgemm

NAME = "W1"
DESCRIPTION = "MLP 784-512-256-10, Adam, batch 128, Fashion-MNIST, continuing fit epochs"
BATCH = 128
EPOCHS = 12


def run(ctx) -> list:
    epochs, limit = (3, 20_000) if ctx.quick else (EPOCHS, None)
    rows = mlp.train(ctx, NAME, BATCH, epochs, limit)
    rate = sgemm.measure(mlp.SIZES, BATCH, repeats=20 if ctx.quick else 100)
    ctx.note(NAME, f"SGEMM on W1's 8 product shapes, {ctx.threads} threads: {rate['gflops']:.1f} GFLOP/s; "
                   f"a training sample costs {sgemm.flops_per_sample(mlp.SIZES) / 1e6:.2f} MFLOP (6 × weights)")
    for row in rows:
        if row.status is None:
            share = {when: sgemm.fraction(mlp.SIZES, getattr(row, f"train_{when}"), rate["gflops"])
                     for when in ("last", "all")}
            row.raw["sgemm_fraction"] = share
            ctx.note(NAME, f"{row.peer} reaches {100 * share['last']:.0f}% of that rate in its last epoch, "
                           f"{100 * share['all']:.0f}% over the whole run")
    rows[0].raw["sgemm"] = rate
    return rows


def profile(ctx):
    """One glassnet fit epoch of W1 (60,000 samples; 20,000 with --quick)."""
    return mlp.profile_epoch(ctx, BATCH, 20_000 if ctx.quick else None)

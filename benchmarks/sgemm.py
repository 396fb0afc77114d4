"""How fast this machine's BLAS multiplies float32 matrices of one training step's shapes.

A dense network's training step is mostly matrix products. For each layer
``Z = X @ W + b`` (X: batch × m, W: m × n) a step computes three:

    forward          X @ W        (batch, m) @ (m, n)
    weight gradient  Xᵀ @ dZ      (m, batch) @ (batch, n)
    input gradient   dZ @ Wᵀ      (batch, n) @ (n, m)     — not for the first layer

Each costs 2·batch·m·n FLOPs (a multiply and an add per multiply-add). ``measure`` times
NumPy's float32 ``matmul`` on exactly these shapes — with the transposes as views, as the
frameworks pass them — and returns the rate BLAS reaches on them together: the FLOPs of
all the products over the sum of their median times, at the thread count in force.

``fraction`` then says how much of that rate a training step reaches:

    6 · (Σ m·n) FLOPs per sample × samples/s  ÷  SGEMM FLOP/s

(6 = 3 products × 2 FLOPs per multiply-add. Nobody computes the first layer's input
gradient, so the products a step really needs are fewer — 2·(3·Σ m·n − m₁·n₁) — and this
measure is the conventional, slightly generous one.)
"""
from __future__ import annotations

import statistics
import time

import numpy as np


def shapes(sizes, batch: int) -> list:
    """[(name, (a_shape, a_transposed), (b_shape, b_transposed))] of one step's products."""
    products = []
    for k, (m, n) in enumerate(zip(sizes[:-1], sizes[1:])):
        products.append((f"forward {k + 1}: ({batch},{m})@({m},{n})", ((batch, m), False), ((m, n), False)))
        products.append((f"weight grad {k + 1}: ({m},{batch})@({batch},{n})", ((batch, m), True), ((batch, n), False)))
        if k > 0:
            products.append((f"input grad {k + 1}: ({batch},{n})@({n},{m})", ((batch, n), False), ((m, n), True)))
    return products


def measure(sizes, batch: int, repeats: int = 50) -> dict:
    """{"gflops": the rate over all products, "products": {name: GFLOP/s of each}}."""
    rng = np.random.default_rng(0)
    total_flops, total_seconds, each = 0.0, 0.0, {}
    for name, (a_shape, a_t), (b_shape, b_t) in shapes(sizes, batch):
        a = rng.standard_normal(a_shape, dtype=np.float32)
        b = rng.standard_normal(b_shape, dtype=np.float32)
        a, b = (a.T if a_t else a), (b.T if b_t else b)
        out = np.empty((a.shape[0], b.shape[1]), np.float32)
        for _ in range(5):                                           # warm-up
            np.matmul(a, b, out=out)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            np.matmul(a, b, out=out)
            times.append(time.perf_counter() - start)
        seconds = statistics.median(times)
        flops = 2.0 * a.shape[0] * a.shape[1] * b.shape[1]
        each[name] = flops / seconds / 1e9
        total_flops += flops
        total_seconds += seconds
    return {"gflops": total_flops / total_seconds / 1e9, "products": each}


def flops_per_sample(sizes) -> float:
    """6 × the multiply-adds of the weights: forward, weight gradient and input gradient."""
    return 6.0 * sum(m * n for m, n in zip(sizes[:-1], sizes[1:]))


def fraction(sizes, samples_per_second: float, gflops: float) -> float:
    """The share of the measured SGEMM rate that ``samples_per_second`` of training reaches."""
    return flops_per_sample(sizes) * samples_per_second / (gflops * 1e9)

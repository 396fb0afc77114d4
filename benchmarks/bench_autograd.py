"""Forward + backward of a 784-512-256-10 MLP at batch 128: glassnet's engine vs PyTorch CPU.

Both run in this process on the same data and weights; the script prints the median time
of each and the ratio (glassnet / PyTorch). Usage: python benchmarks/bench_autograd.py
"""
from __future__ import annotations

import statistics
import time

import numpy as np

import glassnet as gn
from glassnet import ops


def median_time(fn, repeats=30, warmup=5) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    rng = np.random.default_rng(0)
    sizes = [784, 512, 256, 10]
    x = rng.standard_normal((128, 784)).astype(np.float32)
    y = rng.integers(0, 10, 128)
    weights = [(rng.standard_normal((m, n)).astype(np.float32) * 0.05, np.zeros(n, np.float32))
               for m, n in zip(sizes[:-1], sizes[1:])]

    params = [(gn.Variable(W), gn.Variable(b)) for W, b in weights]

    def glassnet_step():
        h = gn.Tensor(x)
        for i, (W, b) in enumerate(params):
            h = h @ W + b
            if i < len(params) - 1:
                h = ops.relu(h)
        loss = ops.softmax_cross_entropy(h, y, sparse=True).mean()
        loss.backward()
        for W, b in params:
            W.grad = b.grad = None

    t_gn = median_time(glassnet_step)
    print(f"glassnet forward+backward: {t_gn * 1e3:.2f} ms")
    try:
        import torch
    except ImportError:
        print("torch not importable: no ratio")
        return
    torch.set_num_threads(max(1, torch.get_num_threads()))
    tparams = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)) for W, b in weights]
    tx, ty = torch.tensor(x), torch.tensor(y)

    def torch_step():
        h = tx
        for i, (W, b) in enumerate(tparams):
            h = h @ W + b
            if i < len(tparams) - 1:
                h = torch.relu(h)
        loss = torch.nn.functional.cross_entropy(h, ty)
        loss.backward()
        for W, b in tparams:
            W.grad = b.grad = None

    t_torch = median_time(torch_step)
    print(f"torch    forward+backward: {t_torch * 1e3:.2f} ms")
    print(f"ratio glassnet/torch: {t_gn / t_torch:.2f}")


if __name__ == "__main__":
    main()

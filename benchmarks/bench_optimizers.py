"""One Adam step on the parameters of a 784-512-256-10 MLP: glassnet vs torch.optim.Adam.

Both get the same float32 parameters and the same random gradients; only the optimizer
step is timed (no forward or backward). The two sides run interleaved in rounds, so
that machine noise hits both alike; for each side it prints the median over all steps
and the median of its best (least disturbed) round, and the ratios glassnet / PyTorch
(< 1 means glassnet is faster). NumPy is single-threaded; PyTorch uses its default
intra-op threads unless ``--torch-threads`` says otherwise (its OpenMP threads suffer
most when other processes share the cores).

Run:  python benchmarks/bench_optimizers.py [--repeats 500] [--optimizer adam] [--torch-threads 1]
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import glassnet as gn
from glassnet import optimizers

SHAPES = [(784, 512), (512,), (512, 256), (256,), (256, 10), (10,)]   # Dense kernels (in, out) and biases


def time_steps(step, n: int) -> list:
    """Seconds taken by each of ``n`` calls of ``step``."""
    times = []
    for _ in range(n):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return times


def glassnet_step(name: str, params, grads):
    variables = [gn.Variable(p.copy(), name=f"p{i}") for i, p in enumerate(params)]
    opt = optimizers.get(name)
    pairs = list(zip(grads, variables))
    return lambda: opt.apply_gradients(pairs)


def torch_step(name: str, params, grads):
    """A no-grad ``torch.optim`` step on the same parameters and gradients (None if unavailable)."""
    try:
        import torch
    except ImportError:
        return None
    classes = {"adam": torch.optim.Adam, "adamw": torch.optim.AdamW, "sgd": torch.optim.SGD,
               "rmsprop": torch.optim.RMSprop, "adagrad": torch.optim.Adagrad, "nadam": torch.optim.NAdam,
               "adamax": torch.optim.Adamax, "adadelta": torch.optim.Adadelta}
    if name not in classes:
        return None
    tensors = [torch.tensor(p.copy(), requires_grad=True) for p in params]
    for t, g in zip(tensors, grads):
        t.grad = torch.tensor(g)
    opt = classes[name](tensors, lr=1e-3)

    def step():
        with torch.no_grad():
            opt.step()
    return step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=300)
    parser.add_argument("--optimizer", default="adam", choices=sorted(optimizers.ALL_OPTIMIZERS))
    parser.add_argument("--torch-threads", type=int, default=None, help="torch.set_num_threads (default: torch's)")
    args = parser.parse_args()
    if args.torch_threads:
        try:
            import torch
            torch.set_num_threads(args.torch_threads)
        except ImportError:
            pass

    rng = np.random.default_rng(0)
    params = [rng.normal(scale=0.05, size=s).astype(np.float32) for s in SHAPES]
    grads = [rng.normal(scale=1e-3, size=s).astype(np.float32) for s in SHAPES]
    n = sum(p.size for p in params)
    print(f"{args.optimizer} step on a 784-512-256-10 MLP ({n:,} float32 parameters), median of {args.repeats}")

    steps = {"glassnet": glassnet_step(args.optimizer, params, grads)}
    theirs = torch_step(args.optimizer, params, grads)
    if theirs is not None:
        steps["torch"] = theirs
    # interleave the two in rounds, so that machine noise hits both alike
    times = {key: [] for key in steps}
    best = {key: float("inf") for key in steps}
    for key, step in steps.items():
        time_steps(step, 20)                                   # warm up (slots, page faults)
    rounds = 10
    for _ in range(rounds):
        for key, step in steps.items():
            round_times = time_steps(step, max(1, args.repeats // rounds))
            times[key] += round_times
            best[key] = min(best[key], statistics.median(round_times))
    median = {key: 1e3 * statistics.median(t) for key, t in times.items()}
    best = {key: 1e3 * t for key, t in best.items()}
    print(f"  glassnet  median {median['glassnet']:8.3f} ms   best round {best['glassnet']:8.3f} ms")
    if "torch" not in median:
        print("  torch     (not importable, or no such optimizer in torch.optim)")
        return
    import torch
    print(f"  torch     median {median['torch']:8.3f} ms   best round {best['torch']:8.3f} ms   "
          f"(torch {torch.__version__}, {torch.get_num_threads()} threads)")
    print(f"  ratio glassnet / torch: median {median['glassnet'] / median['torch']:.2f}, "
          f"best round {best['glassnet'] / best['torch']:.2f}")

if __name__ == "__main__":
    main()

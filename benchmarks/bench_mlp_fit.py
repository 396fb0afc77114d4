"""One epoch of training a 784-512-256-10 ReLU MLP with Adam: glassnet ``fit`` vs PyTorch CPU.

The workload: Fashion-MNIST train (60,000 images scaled to [0, 1], float32), batch 128,
Adam (lr 1e-3, ε 1e-7 on both sides), sparse categorical cross-entropy, shuffled every
epoch. glassnet runs ``model.fit(x, y, batch_size=128, epochs=1, verbose=0)`` on a
``Sequential`` (softmax output, as Keras users write it); PyTorch runs the idiomatic loop
(``torch.nn.Sequential`` with logits + ``CrossEntropyLoss``, ``torch.randperm`` indexing,
no DataLoader, ``loss.item()`` per step as fit records the loss per batch). Both run in this
process with the same number of threads (``torch.set_num_threads`` and NumPy's BLAS pool via
threadpoolctl), interleaved, a fresh model per repeat; the median seconds per epoch of each
and the ratio glassnet / PyTorch are printed (< 1 means glassnet is faster). Then a
per-step breakdown (forward + loss, backward, optimizer step; median ms over the steps).

Without the data set (see ``glassnet.datasets``) it falls back to random data of the same
shape and says so.

Run:  python benchmarks/bench_mlp_fit.py [--repeats 3] [--steps N] [--threads T] [--data DIR]
      python benchmarks/bench_mlp_fit.py --profile    # cProfile one glassnet epoch, top 10
"""
from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import statistics
import time

import numpy as np

import glassnet as gn
from glassnet.datasets import fashion_mnist

BATCH = 128
SIZES = (784, 512, 256, 10)


def load(data_dir, limit):
    """(x float32 (n, 784) in [0, 1], y int64 (n,), description) — real data or a random stand-in."""
    try:
        (x, y), _ = fashion_mnist.load_data(path=data_dir)
        source = "Fashion-MNIST train"
    except FileNotFoundError as error:
        print(f"NOTE: {str(error).splitlines()[0]}\nNOTE: using RANDOM data of the same shape (60000, 784) instead")
        rng = np.random.default_rng(0)
        x, y = rng.integers(0, 256, (60000, 28, 28), dtype=np.uint8), rng.integers(0, 10, 60000)
        source = "random stand-in for Fashion-MNIST"
    x = (x.reshape(len(x), -1).astype(np.float32) / 255.0)[:limit]
    return x, y.astype(np.int64)[:limit], source


def glassnet_model():
    model = gn.Sequential([gn.layers.Input((SIZES[0],)), gn.layers.Dense(SIZES[1], activation="relu"),
                           gn.layers.Dense(SIZES[2], activation="relu"), gn.layers.Dense(SIZES[3], activation="softmax")])
    model.compile(optimizer=gn.optimizers.Adam(learning_rate=1e-3), loss="sparse_categorical_crossentropy")
    return model


def glassnet_epoch(x, y) -> float:
    model = glassnet_model()
    start = time.perf_counter()
    model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
    return time.perf_counter() - start


def torch_model(torch):
    model = torch.nn.Sequential(torch.nn.Linear(SIZES[0], SIZES[1]), torch.nn.ReLU(),
                                torch.nn.Linear(SIZES[1], SIZES[2]), torch.nn.ReLU(),
                                torch.nn.Linear(SIZES[2], SIZES[3]))
    return model, torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7), torch.nn.CrossEntropyLoss()


def torch_epoch(torch, tx, ty) -> float:
    model, optimizer, loss_fn = torch_model(torch)
    start = time.perf_counter()
    order = torch.randperm(len(tx))
    total = 0.0
    for i in range(0, len(tx), BATCH):
        index = order[i:i + BATCH]
        xb, yb = tx[index], ty[index]
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(index)
    return time.perf_counter() - start


def glassnet_breakdown(x, y, steps: int) -> dict:
    """Median ms of forward+loss, backward and optimizer step over ``steps`` batches."""
    model = glassnet_model()
    parts = {"forward+loss": [], "backward": [], "optimizer": []}
    order = np.random.default_rng(1).permutation(len(x))
    for k in range(steps):
        index = order[(k * BATCH) % (len(x) - BATCH):][:BATCH]
        xb, yb = x[index], y[index]
        t0 = time.perf_counter()
        y_pred = model(xb, training=True)
        loss = model.compute_loss(xb, yb, y_pred)
        t1 = time.perf_counter()
        variables = model.trainable_weights
        for v in variables:
            v.grad = None
        loss.backward()
        t2 = time.perf_counter()
        model.optimizer.step(variables)
        t3 = time.perf_counter()
        float(loss.data)
        for name, (a, b) in zip(parts, ((t0, t1), (t1, t2), (t2, t3))):
            parts[name].append(b - a)
    return {name: 1e3 * statistics.median(ts[5:] or ts) for name, ts in parts.items()}


def torch_breakdown(torch, tx, ty, steps: int) -> dict:
    model, optimizer, loss_fn = torch_model(torch)
    parts = {"forward+loss": [], "backward": [], "optimizer": []}
    order = torch.randperm(len(tx))
    for k in range(steps):
        index = order[(k * BATCH) % (len(tx) - BATCH):][:BATCH]
        xb, yb = tx[index], ty[index]
        t0 = time.perf_counter()
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        optimizer.step()
        t3 = time.perf_counter()
        loss.item()
        for name, (a, b) in zip(parts, ((t0, t1), (t1, t2), (t2, t3))):
            parts[name].append(b - a)
    return {name: 1e3 * statistics.median(ts[5:] or ts) for name, ts in parts.items()}


def blas_threads(threads: int):
    """Limit NumPy's BLAS pool to ``threads`` (threadpoolctl), and describe it."""
    try:
        from threadpoolctl import threadpool_info, threadpool_limits
    except ImportError:
        return contextlib.nullcontext(), "BLAS threads: unknown (threadpoolctl not installed)"
    pools = [f"{p['internal_api']} {p.get('version') or ''} ({p['num_threads']} threads)" for p in threadpool_info()
             if p["user_api"] == "blas"]
    return threadpool_limits(threads, user_api="blas"), f"NumPy BLAS: {', '.join(pools) or 'none found'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="epochs timed per side (default 3)")
    parser.add_argument("--steps", type=int, default=None,
                        help="train on only steps×128 samples per epoch (a quick run); default: all 60,000")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="threads for BLAS and torch")
    parser.add_argument("--data", default=None, help="folder of the Fashion-MNIST IDX files")
    parser.add_argument("--breakdown-steps", type=int, default=60, help="steps timed for the per-step breakdown")
    parser.add_argument("--profile", action="store_true", help="cProfile one glassnet epoch; print the top 10")
    args = parser.parse_args()

    x, y, source = load(args.data, None if args.steps is None else args.steps * BATCH)
    steps = -(-len(x) // BATCH)
    limit, blas = blas_threads(args.threads)
    try:
        import torch
        torch.set_num_threads(args.threads)
        tx, ty = torch.from_numpy(x), torch.from_numpy(y)
    except ImportError:
        torch = None
    with limit:
        print(f"{source}: x {x.shape} float32, {steps} steps of batch {BATCH} per epoch; 784-512-256-10 ReLU, Adam")
        print(f"threads: {args.threads} (cores: {os.cpu_count()}); {blas}"
              + (f"; torch {torch.__version__} threads {torch.get_num_threads()}" if torch else "; torch: absent"))
        if args.profile:
            profile(x, y)
            return
        glassnet_epoch(x[:10 * BATCH], y[:10 * BATCH])                 # warm-up (imports, page faults)
        if torch:
            torch_epoch(torch, tx[:10 * BATCH], ty[:10 * BATCH])
        times = {"glassnet": [], "torch": []}
        for _ in range(args.repeats):                                  # interleaved: noise hits both alike
            times["glassnet"].append(glassnet_epoch(x, y))
            if torch:
                times["torch"].append(torch_epoch(torch, tx, ty))
        for name, ts in times.items():
            if ts:
                per_step = 1e3 * statistics.median(ts) / steps
                print(f"{name:9s} median {statistics.median(ts):7.3f} s/epoch ({per_step:.2f} ms/step)   "
                      f"runs: {', '.join(f'{t:.3f}' for t in ts)}")
        if torch:
            print(f"ratio glassnet / torch: {statistics.median(times['glassnet']) / statistics.median(times['torch']):.2f}")
        n = min(args.breakdown_steps, steps)
        rows = {"glassnet": glassnet_breakdown(x, y, n)}
        if torch:
            rows["torch"] = torch_breakdown(torch, tx, ty, n)
        print(f"per-step breakdown, median ms over {n} steps (outside fit):")
        print(f"{'':9s} {'forward+loss':>12s} {'backward':>9s} {'optimizer':>9s} {'sum':>7s}")
        for name, row in rows.items():
            print(f"{name:9s} {row['forward+loss']:12.2f} {row['backward']:9.2f} {row['optimizer']:9.2f} "
                  f"{sum(row.values()):7.2f}")


def profile(x, y) -> None:
    """cProfile one glassnet epoch; print the 10 functions with the most own time."""
    glassnet_epoch(x[:10 * BATCH], y[:10 * BATCH])
    profiler = cProfile.Profile()
    profiler.enable()
    seconds = glassnet_epoch(x, y)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    total = stats.total_tt
    print(f"one glassnet epoch: {seconds:.3f} s under cProfile; top 10 by own time (share of the profiled total):")
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:10]
    for (filename, line, function), (_, calls, own, cumulative, _) in rows:
        where = os.path.relpath(filename) if filename.startswith("/") else filename
        print(f"  {100 * own / total:5.1f}%  own {own:6.3f} s  cum {cumulative:6.3f} s  {calls:7d} calls  "
              f"{function}  {where}:{line}")


if __name__ == "__main__":
    main()

"""W1 — train an MLP 784-512-256-10 (ReLU, softmax cross-entropy, Adam, batch 128, float32):
glassnet ``fit`` vs PyTorch CPU eager, in train samples per second.

The workload: Fashion-MNIST train (60,000 images scaled to [0, 1], float32; random data of
the same shape when the data set is absent, and the script says so), one epoch per timed
run, batch 128, Adam (lr 1e-3, ε 1e-7 on both sides), sparse categorical cross-entropy,
the samples reshuffled every epoch (the same policy on both sides).

- glassnet runs ``model.fit(x, y, batch_size=128, epochs=1, verbose=0)`` on a
  ``Sequential`` with a softmax output, compiled with ``metrics=["accuracy"]`` — so the
  timing includes fit's usual bookkeeping: the running loss and accuracy over the epoch.
- PyTorch runs the idiomatic eager loop: ``torch.nn.Sequential`` producing logits,
  ``CrossEntropyLoss``, ``torch.randperm`` indexing (no DataLoader), and — for a fair
  comparison with fit — the same running loss (``loss.item()`` × batch size) and running
  accuracy (argmax == label, counted per batch) that fit keeps.

Fairness on a small, noisy machine: both run in this process on the same arrays with the
same thread count (``torch.set_num_threads`` and NumPy's BLAS pool via threadpoolctl);
both are warmed up first; the timed epochs are interleaved (glassnet, PyTorch, glassnet,
PyTorch, ...) so that noise hits both alike, each with a fresh model (built outside the
timing) after a ``gc.collect()``. The table gives, per framework, the median and the best
samples/s over the repeats and the ratio glassnet / PyTorch of those throughputs
(> 1 means glassnet is faster). Then a per-step breakdown (forward + loss, backward,
optimizer step; median ms over the steps, outside fit).

Run:  python benchmarks/bench_mlp_fit.py [--repeats 3] [--steps N] [--threads T] [--data DIR]
      python benchmarks/bench_mlp_fit.py --profile    # cProfile one glassnet epoch, top 10
"""
from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
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
WARMUP_STEPS = 40
WORKLOAD = "W1  MLP 784-512-256-10 ReLU, softmax cross-entropy, Adam, batch 128, float32"


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
    model.compile(optimizer=gn.optimizers.Adam(learning_rate=1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def glassnet_epoch(x, y):
    """(seconds, logs) of one ``fit`` epoch on a fresh model (built outside the timing)."""
    model = glassnet_model()
    gc.collect()
    start = time.perf_counter()
    history = model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
    seconds = time.perf_counter() - start
    return seconds, {name: values[-1] for name, values in history.history.items()}


def torch_model(torch):
    model = torch.nn.Sequential(torch.nn.Linear(SIZES[0], SIZES[1]), torch.nn.ReLU(),
                                torch.nn.Linear(SIZES[1], SIZES[2]), torch.nn.ReLU(),
                                torch.nn.Linear(SIZES[2], SIZES[3]))
    return model, torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7), torch.nn.CrossEntropyLoss()


def torch_epoch(torch, tx, ty):
    """(seconds, logs) of one eager epoch on a fresh model, keeping fit's running loss and accuracy."""
    model, optimizer, loss_fn = torch_model(torch)
    gc.collect()
    start = time.perf_counter()
    order = torch.randperm(len(tx))
    loss_sum, correct, seen = 0.0, 0, 0
    for i in range(0, len(tx), BATCH):
        index = order[i:i + BATCH]
        xb, yb = tx[index], ty[index]
        optimizer.zero_grad()
        logits = model(xb)
        loss = loss_fn(logits, yb)
        loss.backward()
        optimizer.step()
        loss_sum += loss.item() * len(index)                       # running loss, as fit's "loss"
        correct += int((logits.argmax(dim=1) == yb).sum())         # running accuracy, as fit's "accuracy"
        seen += len(index)
    logs = {"loss": loss_sum / seen, "accuracy": correct / seen}   # what fit's logs hold
    return time.perf_counter() - start, logs


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
    parser.add_argument("--repeats", type=int, default=3, help="interleaved epochs timed per framework (default 3)")
    parser.add_argument("--steps", type=int, default=None,
                        help="train on only steps×128 samples per epoch (a quick run); default: all 60,000")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="threads for BLAS and torch")
    parser.add_argument("--data", default=None, help="folder of the Fashion-MNIST IDX files")
    parser.add_argument("--breakdown-steps", type=int, default=60, help="steps timed for the per-step breakdown")
    parser.add_argument("--profile", action="store_true", help="cProfile one glassnet epoch; print the top 10")
    args = parser.parse_args()
    for name in ("repeats", "threads", "breakdown_steps") + (("steps",) if args.steps is not None else ()):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1, got {getattr(args, name)}")

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
        print(WORKLOAD)
        print(f"data: {source}, x {x.shape} float32, {steps} steps of batch {BATCH} per epoch")
        print(f"threads: {args.threads} (cores: {os.cpu_count()}); {blas}"
              + (f"; torch {torch.__version__} intra-op threads {torch.get_num_threads()}" if torch
                 else "; torch: not installed"))
        print(f"load average before: {load_average()} (other processes on these cores make every figure noisy)")
        if args.profile:
            profile(x, y)
            return
        n_warm = min(len(x), WARMUP_STEPS * BATCH)
        glassnet_epoch(x[:n_warm], y[:n_warm])                         # warm-up (imports, page faults, caches)
        if torch:
            torch_epoch(torch, tx[:n_warm], ty[:n_warm])
        seconds, logs = {"glassnet": [], "PyTorch": []}, {}
        for _ in range(args.repeats):                                  # interleaved g, t, g, t, ...
            t, logs["glassnet"] = glassnet_epoch(x, y)
            seconds["glassnet"].append(t)
            if torch:
                t, logs["PyTorch"] = torch_epoch(torch, tx, ty)
                seconds["PyTorch"].append(t)
        print_table(seconds, len(x), args.repeats, torch is not None)
        print(f"load average after: {load_average()}")
        print("same learning, last epoch's running logs: " + "; ".join(
            f"{name} loss {log['loss']:.4f} accuracy {log['accuracy']:.4f}" for name, log in logs.items()))
        n = min(args.breakdown_steps, steps)
        rows = {"glassnet": glassnet_breakdown(x, y, n)}
        if torch:
            rows["PyTorch"] = torch_breakdown(torch, tx, ty, n)
        print(f"per-step breakdown, median ms over {n} steps (outside fit):")
        print(f"{'':9s} {'forward+loss':>12s} {'backward':>9s} {'optimizer':>9s} {'sum':>7s}")
        for name, row in rows.items():
            print(f"{name:9s} {row['forward+loss']:12.2f} {row['backward']:9.2f} {row['optimizer']:9.2f} "
                  f"{sum(row.values()):7.2f}")


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages, or "unknown" where the OS has none."""
    try:
        return ", ".join(f"{value:.2f}" for value in os.getloadavg())
    except (AttributeError, OSError):
        return "unknown"


def print_table(seconds: dict, samples: int, repeats: int, with_torch: bool) -> None:
    """The W1 table: samples/s (median and best over the repeats) and glassnet / PyTorch ratios."""
    rate = {name: [samples / s for s in ts] for name, ts in seconds.items() if ts}
    median = {name: statistics.median(r) for name, r in rate.items()}
    best = {name: max(r) for name, r in rate.items()}
    print(f"W1 train samples/s over {repeats} interleaved epochs; ratio = glassnet / PyTorch throughput "
          "(> 1 means glassnet is faster)")
    print(f"{'framework':10s} | {'samples/s (median)':>18s} | {'samples/s (best)':>16s} | "
          f"{'ratio (median)':>14s} | {'ratio (best)':>12s} | runs (samples/s)")
    for name in rate:
        if with_torch:
            ratios = f"{median[name] / median['PyTorch']:14.2f} | {best[name] / best['PyTorch']:12.2f}"
        else:
            ratios = f"{'n/a':>14s} | {'n/a':>12s}"
        print(f"{name:10s} | {median[name]:18,.0f} | {best[name]:16,.0f} | {ratios} | "
              f"{', '.join(f'{r:,.0f}' for r in rate[name])}")
    if not with_torch:
        print("PyTorch: not installed, no ratio (pip install torch to compare)")


def profile(x, y) -> None:
    """cProfile one glassnet epoch; print the 10 functions with the most own time."""
    glassnet_epoch(x[:10 * BATCH], y[:10 * BATCH])
    profiler = cProfile.Profile()
    profiler.enable()
    seconds, _ = glassnet_epoch(x, y)
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

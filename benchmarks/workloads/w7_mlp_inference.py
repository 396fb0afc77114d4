"""W7 — inference with W1's MLP: latency at batch 1 and throughput at batch 1024.

The network is trained briefly with glassnet (one ``fit`` epoch on 10,000 samples, not
timed), then its weights are copied into the torch model, which ends in a ``Softmax`` so
that both sides output the same probabilities; the run prints how far apart they are.

What is timed, interleaved side by side (every side's block or run in turn):

* batch 1, one image of the test set: each call separately (``perf_counter_ns``), median
  over all calls in µs; the context manager is entered per call, as a caller would.
  glassnet ``model.predict_on_batch(x1)`` (the Keras way, with its input checks) and
  ``model(x1, training=False)`` under ``glassnet.no_grad()`` (the bare call); PyTorch
  ``model(x1)`` under ``torch.no_grad()`` and under ``torch.inference_mode()``.
* batch 1024, the whole data set: glassnet ``model.predict(x, batch_size=1024, verbose=0)``;
  PyTorch a loop over slices of 1024 under ``torch.no_grad()`` concatenated into one
  NumPy array, as ``predict`` returns. The rate is the median run's samples/s.

Full: 20 blocks of 500 calls per batch-1 side, 7 runs over the 60,000 training images per
batch-1024 side; quick: 5 blocks of 200 calls, 3 runs over the 10,000 test images.
"""
from __future__ import annotations

import statistics
import time

import numpy as np

import glassnet as gn

from .. import harness, mlp

NAME = "W7"
DESCRIPTION = "inference of W1's MLP: latency at batch 1, throughput at batch 1024"
BATCH = 1024


def _calls(fn, count: int):
    """A block of ``count`` separately timed calls of ``fn``: a function returning ns per call."""
    def block(_):
        times = []
        for _ in range(count):
            start = time.perf_counter_ns()
            fn()
            times.append(time.perf_counter_ns() - start)
        return times
    return block


def _latency_rows(ctx, model, net, x1) -> list:
    blocks, calls = (5, 200) if ctx.quick else (20, 500)

    def bare_call():
        with gn.no_grad():
            return model(x1, training=False)
    sides = {"glassnet predict_on_batch": _calls(lambda: model.predict_on_batch(x1), calls),
             "glassnet model(x) in no_grad": _calls(bare_call, calls)}
    if net is not None:
        torch, t1 = ctx.torch, ctx.torch.from_numpy(x1)

        def no_grad_call():
            with torch.no_grad():
                return net(t1)

        def inference_mode_call():
            with torch.inference_mode():
                return net(t1)
        sides[f"{harness.PEER} no_grad"] = _calls(no_grad_call, calls)
        sides[f"{harness.PEER} inference_mode"] = _calls(inference_mode_call, calls)
    for fn in sides.values():
        fn(None)                                                                    # warm-up block
    runs = harness.interleave(sides, blocks)
    rows = []
    for side, side_runs in runs.items():
        times_ns = [t for run in side_runs for t in run.result]
        median_us = statistics.median(times_ns) / 1e3
        rows.append(harness.Row(NAME, "batch 1", side, infer=1e6 / median_us, latency_us=median_us,
                                peak_mb=harness.max_peak(side_runs), raw={
                                    "calls": len(times_ns), "median_us": median_us,
                                    "p10_us": float(np.percentile(times_ns, 10)) / 1e3,
                                    "p90_us": float(np.percentile(times_ns, 90)) / 1e3,
                                    "block_median_us": [statistics.median(r.result) / 1e3 for r in side_runs]}))
    if net is None:
        rows.append(ctx.missing(NAME, "batch 1"))
    else:
        bare, torch_no_grad = rows[1].latency_us, rows[2].latency_us
        ctx.note(NAME, f"batch 1: glassnet model(x) in no_grad {bare:.1f} µs vs PyTorch no_grad "
                       f"{torch_no_grad:.1f} µs: speed ratio {torch_no_grad / bare:.2f}")
    return rows


def _throughput_rows(ctx, model, net, x) -> tuple:
    sides = {"glassnet": lambda i: model.predict(x, batch_size=BATCH, verbose=0)}
    if net is not None:
        torch, tx = ctx.torch, ctx.torch.from_numpy(x)

        def torch_predict(i):
            with torch.no_grad():
                return torch.cat([net(tx[start:start + BATCH]) for start in range(0, len(tx), BATCH)]).numpy()
        sides[harness.PEER] = torch_predict
    for fn in sides.values():
        fn(None)                                                                    # warm-up
    runs = harness.interleave(sides, 3 if ctx.quick else 7)
    rows = []
    for side, side_runs in runs.items():
        rates = [len(x) / run.seconds for run in side_runs]
        rows.append(harness.Row(NAME, f"batch {BATCH}", side, infer=statistics.median(rates),
                                peak_mb=harness.max_peak(side_runs),
                                raw={"samples": len(x), "run_seconds": [r.seconds for r in side_runs],
                                     "run_samples_per_s": rates, "run_peak_mb": [r.peak_mb for r in side_runs]}))
        warning = harness.spread_warning(side, side_runs)
        if warning:
            ctx.note(NAME, warning)
    if net is None:
        rows.append(ctx.missing(NAME, f"batch {BATCH}"))
    outputs = {side: side_runs[-1].result for side, side_runs in runs.items()}
    return rows, outputs


def run(ctx) -> list:
    data = mlp.load_data(ctx.data_dir)
    model = mlp.glassnet_model()
    model.fit(data["x"][:10_000], data["y"][:10_000], batch_size=128, epochs=1, verbose=0)
    net = None
    if ctx.torch is not None:
        net = mlp.torch_model(ctx.torch, model, softmax=True).eval()
    x = data["x_test"] if ctx.quick else data["x"]
    ctx.note(NAME, f"data: {data['source']}, weights after one glassnet epoch on 10,000 samples; "
                   f"batch {BATCH} over {len(x):,} samples")
    x1 = np.ascontiguousarray(data["x_test"][:1])
    rows = _latency_rows(ctx, model, net, x1)
    more, outputs = _throughput_rows(ctx, model, net, x)
    if net is not None:
        difference = float(np.max(np.abs(outputs["glassnet"] - outputs[harness.PEER])))
        with ctx.torch.no_grad():
            single = float(np.max(np.abs(model.predict_on_batch(x1) - net(ctx.torch.from_numpy(x1)).numpy())))
        same = float(np.mean(outputs["glassnet"].argmax(1) == outputs[harness.PEER].argmax(1)))
        ctx.note(NAME, f"outputs agree: max |glassnet − PyTorch| of the probabilities {difference:.1e} over "
                       f"{len(x):,} samples ({single:.1e} at batch 1); same class for {100 * same:.2f}%")
        more[0].raw["max_abs_difference"] = {"batch_1024": difference, "batch_1": single, "same_class": same}
    return rows + more


def profile(ctx):
    """2,000 glassnet ``predict_on_batch`` calls at batch 1."""
    data = mlp.load_data(ctx.data_dir)
    model, x1 = mlp.glassnet_model(), np.ascontiguousarray(data["x_test"][:1])
    model.predict_on_batch(x1)
    return lambda: [model.predict_on_batch(x1) for _ in range(2000)]

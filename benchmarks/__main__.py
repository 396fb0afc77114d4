"""Run the benchmark suite: every workload for glassnet and each installed peer.

    python -m benchmarks                   full runs (about 3 minutes on 2 cores)
    python -m benchmarks --quick           short runs (under a minute on 2 cores)
    python -m benchmarks --only W1,W7      some workloads
    python -m benchmarks --profile W1      cProfile a glassnet slice of W1, top 15 by own time

Options: ``--threads N`` for NumPy's BLAS and torch alike (default: all cores),
``--json PATH`` for the raw numbers (default benchmarks/results.json), ``--data DIR`` the
Fashion-MNIST folder (default: glassnet's usual search; random data of the same shape
when absent), ``--no-peers`` to time glassnet alone, ``--torch-flush-denormal`` to run
torch with ``torch.set_flush_denormal(True)`` (not idiomatic, so off by default; glassnet
flushes subnormals itself inside fit and predict, see ``glassnet.subnormals``),
``--no-kernels`` to time glassnet's pure-NumPy path (no compiled kernels) even where Numba is installed.

Prints the notes of each workload as it runs, then one table of all of them.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from glassnet.optimizers import kernels

from . import harness, report
from .workloads import discover


def parse(argv, workloads: dict):
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs (under a minute on 2 cores)")
    parser.add_argument("--only", default=None, help=f"comma-separated workloads, of {', '.join(workloads)}")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="threads for BLAS and torch")
    parser.add_argument("--json", default=str(Path(__file__).parent / "results.json"), help="where the raw numbers go")
    parser.add_argument("--data", default=None, help="folder of the Fashion-MNIST IDX files")
    parser.add_argument("--no-peers", action="store_true", help="time glassnet alone")
    parser.add_argument("--torch-flush-denormal", action="store_true",
                        help="torch.set_flush_denormal(True) for the whole run (default: torch as it comes)")
    parser.add_argument("--no-kernels", action="store_true",
                        help="glassnet without its compiled kernels (the pure-NumPy path)")
    parser.add_argument("--profile", metavar="WORKLOAD", default=None, help="cProfile a glassnet slice of WORKLOAD")
    args = parser.parse_args(argv)
    if args.threads < 1:
        parser.error(f"--threads must be at least 1, got {args.threads}")
    names = [n.strip().upper() for n in args.only.split(",") if n.strip()] if args.only else list(workloads)
    if args.profile:
        names = [args.profile.strip().upper()]
    unknown = [n for n in names if n not in workloads]
    if unknown:
        parser.error(f"unknown workload {', '.join(unknown)}; there are {', '.join(workloads)}")
    if args.profile and not hasattr(workloads[names[0]], "profile"):
        parser.error(f"{names[0]} has no profile slice")
    return args, names


def main(argv=None) -> None:
    workloads = discover()
    args, names = parse(argv, workloads)
    torch, status = harness.import_torch(not args.no_peers and not args.profile)
    ctx = harness.Context(args.threads, args.quick, args.data, torch, peer_status=status)
    mode = "quick" if args.quick else "full"
    if args.no_kernels:
        kernels.set_enabled(False)
    env = report.environment(args.threads, mode, torch)
    if torch is not None and args.torch_flush_denormal:
        env["torch_flush_denormal"] = torch.set_flush_denormal(True)      # False where the CPU cannot
    print(report.describe(env), flush=True)
    with harness.pinned_threads(args.threads, torch):
        if args.profile:
            module = workloads[names[0]]
            harness.profile(f"{names[0]}: {module.profile.__doc__.strip().rstrip('.')}", module.profile(ctx))
            return
        rows, start = [], time.perf_counter()
        for name in names:
            module = workloads[name]
            print(f"\n{name}  {module.DESCRIPTION}", flush=True)
            rows += module.run(ctx)
    env["seconds"] = round(time.perf_counter() - start, 1)
    env["load_average_after"] = report.load_average()
    flush = ", torch flushing subnormals" if env.get("torch_flush_denormal") else ""
    print(f"\nglassnet vs {harness.PEER} ({mode} mode, {args.threads} threads{flush}, {env['seconds']:.0f} s); "
          "rates in samples/s; train/s run = all samples / all seconds; speed g/p = glassnet / peer rate "
          "(> 1: glassnet faster; train/s run, else infer/s); mem g/p = glassnet / peer peak MB "
          "(peak resident memory a timed run added)\n")
    print(report.table(rows))
    print("\nnotes:")
    for note in ctx.notes:
        print(f"  {note['workload']}: {note['text']}")
    print(f"load average after: {env['load_average_after']}")
    report.write_json(args.json, env, rows, ctx.notes)
    print(f"raw numbers: {args.json}")


if __name__ == "__main__":
    main(sys.argv[1:])

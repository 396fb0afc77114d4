"""The suite's output: the final table, the machine's description, and the JSON file.

The table has one row per side of each workload case. Its ratios compare the case's first
glassnet row with each peer row:

* ``speed g/p`` = glassnet rate / peer rate, on the whole-run training rate where the case
  trains, else on the inference rate (> 1: glassnet is faster);
* ``mem g/p`` = glassnet peak MB / peer peak MB (< 1: glassnet needs less).

It is printed as a Markdown table, so it can be pasted into RESULTS.md as it is.
"""
from __future__ import annotations

import dataclasses
import datetime
import json
import os
import platform
import subprocess
from pathlib import Path

import numpy as np

import glassnet
from glassnet import allocator, kernels

COLUMNS = ("workload", "peer", "train/s epoch 1", "train/s last", "train/s run", "infer/s", "latency µs",
           "peak MB", "speed g/p", "mem g/p")


def _number(value, digits=0) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def _ratio(numerator, denominator) -> str:
    if numerator is None or denominator is None or denominator <= 0:
        return "n/a"
    return f"{numerator / denominator:.2f}"


def _speed(row):
    return row.train_all if row.train_all is not None else row.infer


def _cells(row, reference) -> list:
    name = f"{row.workload} {row.case}".strip()
    if row.status is not None:
        return [name, row.peer, row.status] + [""] * (len(COLUMNS) - 3)
    memory = "n/a" if row.peak_mb is None else _number(row.peak_mb, 1)
    cells = [name, row.peer, _number(row.train_first), _number(row.train_last), _number(row.train_all),
             _number(row.infer), _number(row.latency_us, 1), memory]
    if reference is None or reference is row or row.peer.startswith("glassnet"):
        return cells + ["", ""]
    mem_ratio = "n/a" if row.peak_mb is None or reference.peak_mb is None or row.peak_mb < 0.5 \
        else _ratio(reference.peak_mb, row.peak_mb)
    return cells + [_ratio(_speed(reference), _speed(row)), mem_ratio]


def table(rows: list) -> str:
    """The Markdown table of all rows, ratios against each case's first glassnet row."""
    references = {}
    for row in rows:
        if row.peer.startswith("glassnet") and row.status is None:
            references.setdefault((row.workload, row.case), row)
    lines = [_cells(row, references.get((row.workload, row.case))) for row in rows]
    widths = [max(len(str(line[k])) for line in lines + [COLUMNS]) for k in range(len(COLUMNS))]

    def render(cells):
        return "| " + " | ".join(str(c).rjust(w) if k >= 2 else str(c).ljust(w)
                                 for k, (c, w) in enumerate(zip(cells, widths))) + " |"
    rule = "|" + "|".join("-" * (w + 1) + (":" if k >= 2 else "-") for k, w in enumerate(widths)) + "|"
    return "\n".join([render(COLUMNS), rule] + [render(line) for line in lines])


# --- the machine --------------------------------------------------------------------------
def cpu_model() -> str:
    """The CPU's name from /proc/cpuinfo, else what ``platform`` knows."""
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            names = [line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")]
    except OSError:             # no /proc (not Linux)
        names = []
    return names[0] if names else platform.processor() or platform.machine()


def blas() -> list:
    """NumPy's BLAS libraries as threadpoolctl describes them (empty without threadpoolctl)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return []
    return [{key: pool.get(key) for key in ("internal_api", "version", "architecture", "threading_layer",
                                            "num_threads", "filepath")}
            for pool in threadpool_info() if pool["user_api"] == "blas"]


def glassnet_commit() -> str:
    """The checkout's commit (with "+changes" when glassnet/ differs from it), or "unknown"."""
    root = Path(glassnet.__file__).resolve().parents[1]
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True,
                                text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", "glassnet"], cwd=root,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (commit + ("+changes" if dirty else "")) or "unknown"


def load_average():
    """The 1-, 5- and 15-minute load averages, or None where the OS has none."""
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def environment(threads: int, mode: str, torch) -> dict:
    """Versions, CPU, BLAS, threads, date and mode of this run."""
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "mode": mode,
        "threads": threads,
        "cores": os.cpu_count(),
        "cpu": cpu_model(),
        "blas": blas(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "glassnet": f"{glassnet.__version__} ({glassnet_commit()})",
        "glassnet_kernels": "numba " + numba_version() if kernels.enabled() else "off (pure NumPy)",
        "glassnet_malloc_tuning": allocator.wanted(),
        "torch": torch.__version__ if torch is not None else None,
        "platform": platform.platform(),
        "load_average_before": load_average(),
    }


def numba_version() -> str:
    import numba

    return numba.__version__


def describe(env: dict) -> str:
    """The environment in a few printed lines."""
    pools = ", ".join(f"{p['internal_api']} {p['version']} ({p['architecture']}, {p['threading_layer']}; "
                      f"{os.path.basename(p['filepath'] or '?')})"
                      for p in env["blas"]) or "unknown (threadpoolctl not installed)"
    return (f"date {env['date']}, mode {env['mode']}, threads {env['threads']} of {env['cores']} cores\n"
            f"CPU {env['cpu']}; BLAS loaded: {pools}\n"
            f"python {env['python']}, numpy {env['numpy']}, glassnet {env['glassnet']} "
            f"(compiled kernels: {env['glassnet_kernels']}; malloc keeps freed memory: "
            f"{'yes' if env['glassnet_malloc_tuning'] else 'no'}), "
            f"torch {env['torch'] or 'not installed'}"
            f"{' (flushing subnormals)' if env.get('torch_flush_denormal') else ''}\n"
            f"load average before: {env['load_average_before']} (other work on these cores makes figures noisy)")


def write_json(path, env: dict, rows: list, notes: list) -> None:
    """All raw numbers: the environment, every row with its per-run data, and the notes."""
    payload = {"environment": env, "rows": [dataclasses.asdict(row) for row in rows], "notes": notes}
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as file:
        json.dump(payload, file, indent=1, default=float)
        file.write("\n")

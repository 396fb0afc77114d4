"""The shared pieces of the suite: peers, thread pinning, timed runs, memory, interleaving.

Every workload times its runs the same way, through ``timed`` and ``interleave``:

1. ``gc.collect()`` and, on glibc, ``malloc_trim(0)`` (freed memory goes back to the OS,
   so the resident size before a run is the memory in use, not the allocator's cache);
2. the peak-resident-memory mark is reset (``"5"`` written to ``/proc/self/clear_refs``)
   and the resident size ``VmRSS`` is read;
3. the run is timed with ``time.perf_counter``;
4. its peak memory is ``VmHWM`` (the high-water mark since the reset) minus that
   ``VmRSS``: what the run added at its worst. Where ``/proc`` cannot do this, it is None
   and the table says "n/a".

``interleave`` alternates the sides run by run (glassnet, PyTorch, glassnet, PyTorch, ...)
so that noise from other processes on the machine hits both alike. ``pinned_threads``
gives NumPy's BLAS (via threadpoolctl) and torch the same number of threads.
"""
from __future__ import annotations

import contextlib
import cProfile
import ctypes
import ctypes.util
import gc
import io
import os
import pstats
import time
from dataclasses import dataclass, field

PEER = "PyTorch"
"""The one peer so far: PyTorch CPU eager. (scikit-learn joins with its own chapter.)"""


@dataclass
class Row:
    """One line of the final table: one side of one workload case.

    Rates are samples per second; ``peak_mb`` is the peak resident memory a timed run added;
    ``status`` replaces the numbers ("not installed") when the side could not run; ``raw``
    holds every number behind the row, for the JSON file.
    """

    workload: str
    case: str
    peer: str
    train_first: float | None = None
    train_last: float | None = None
    train_all: float | None = None
    infer: float | None = None
    latency_us: float | None = None
    peak_mb: float | None = None
    status: str | None = None
    raw: dict = field(default_factory=dict)


@dataclass
class Context:
    """What a workload's ``run(ctx)`` gets: the options, the peer module, and a notebook."""

    threads: int
    quick: bool
    data_dir: str | None
    torch: object | None              # the torch module, or None when not installed / --no-peers
    peer_status: str = "not installed"
    notes: list = field(default_factory=list)

    def note(self, workload: str, text: str) -> None:
        """Print a line now and keep it for the end of the report and the JSON file."""
        print(f"  {text}", flush=True)
        self.notes.append({"workload": workload, "text": text})

    def missing(self, workload: str, case: str) -> Row:
        """The peer's row when it cannot run: its columns say why."""
        return Row(workload, case, PEER, status=self.peer_status)


def import_torch(enabled: bool):
    """(torch or None, status): the peer module, or why there is none."""
    if not enabled:
        return None, "skipped (--no-peers)"
    try:
        import torch
    except (ImportError, OSError):
        return None, "not installed"
    return torch, "ok"


@contextlib.contextmanager
def pinned_threads(threads: int, torch):
    """NumPy's BLAS and torch's intra-op pool both limited to ``threads`` inside the block."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        limits = contextlib.nullcontext()
        print("NOTE: threadpoolctl is not installed: NumPy's BLAS threads are not pinned")
    else:
        limits = threadpool_limits(threads, user_api="blas")
    with limits:
        if torch is not None:
            previous = torch.get_num_threads()
            torch.set_num_threads(threads)
        try:
            yield
        finally:
            if torch is not None:
                torch.set_num_threads(previous)


# --- memory -------------------------------------------------------------------------------
def _status_kb(key: str):
    """A ``kB`` field of /proc/self/status (e.g. "VmRSS"), or None where there is none."""
    try:
        with open("/proc/self/status") as status:
            fields = dict(line.split(":", 1) for line in status if ":" in line)
    except OSError:             # no /proc (not Linux)
        return None
    value = fields.get(key)
    return int(value.split()[0]) if value else None


def _trim_malloc() -> None:
    """Give free heap memory back to the OS (glibc's ``malloc_trim``); elsewhere nothing."""
    name = ctypes.util.find_library("c")
    try:
        ctypes.CDLL(name).malloc_trim(0)
    except (OSError, AttributeError, TypeError):
        return                  # not glibc: its allocator keeps what it keeps


def reset_peak_memory():
    """Reset the high-water mark; return the resident kB now (None where not possible)."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return None
    return _status_kb("VmRSS")


def peak_memory_mb(rss_before_kb):
    """MB the peak resident memory rose above ``rss_before_kb`` since the reset, or None."""
    peak = _status_kb("VmHWM")
    if rss_before_kb is None or peak is None:
        return None
    return max(peak - rss_before_kb, 0) / 1024


# --- timed runs ---------------------------------------------------------------------------
@dataclass
class Run:
    """One timed run: its wall time, the peak memory it added (MB or None), what it returned,
    and the 1-minute load average after it (None where the OS has none)."""

    seconds: float
    peak_mb: float | None
    result: object = None
    load: float | None = None


def timed(fn) -> Run:
    """Run ``fn()`` once as a timed run (see the module docstring for the protocol)."""
    gc.collect()
    _trim_malloc()
    rss_before = reset_peak_memory()
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    return Run(seconds, peak_memory_mb(rss_before), result, _load_1min())


def _load_1min():
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None


def interleave(sides: dict, runs: int) -> dict:
    """Timed runs of each side, alternating: ``{name: [Run, ...]}``.

    Args:
        sides: ``{name: fn}``; ``fn(i)`` performs run ``i`` (0, 1, ...) of that side.
        runs: runs per side. Order: side A run 0, side B run 0, side A run 1, ...
    """
    done = {name: [] for name in sides}
    for i in range(runs):
        for name, fn in sides.items():
            done[name].append(timed(lambda: fn(i)))
    return done


def inference_rows(ctx, workload: str, case: str, predict: dict, samples: int, runs: int) -> list:
    """``predict[side]()`` over the same ``samples`` inputs, warmed up, then ``runs`` timed runs
    per side, interleaved: one Row per side with the median run's samples/s; the last run's
    outputs are in ``row.raw["outputs"]`` (not written to the JSON file)."""
    for fn in predict.values():
        fn()                                                                       # warm-up
    done = interleave({side: (lambda i, fn=fn: fn()) for side, fn in predict.items()}, runs)
    rows = []
    for side, side_runs in done.items():
        rates = sorted(samples / run.seconds for run in side_runs)
        rows.append(Row(workload, case, side, infer=rates[len(rates) // 2], peak_mb=max_peak(side_runs),
                        raw={"samples": samples, "run_seconds": [r.seconds for r in side_runs]}))
        rows[-1].outputs = side_runs[-1].result
    if PEER not in done:
        rows.append(ctx.missing(workload, case))
    return rows


def spread_warning(side: str, runs: list, threshold: float = 1.5):
    """A warning when the slowest of ``runs`` took over ``threshold`` × the fastest, else None.

    On a busy machine a run can be many times slower than its neighbours (torch's OpenMP
    and OpenBLAS threads wait for a core another process holds). The load average after
    each run is in the warning and the JSON file; the benchmark's own threads count in it,
    so with ``--threads N`` a value near N means nothing else was running.
    """
    seconds = [run.seconds for run in runs]
    if len(seconds) < 2 or max(seconds) <= threshold * min(seconds):
        return None
    loads = ", ".join(f"{run.load:.1f}" for run in runs if run.load is not None)
    return (f"NOISY: {side}'s runs took {min(seconds):.2f} to {max(seconds):.2f} s "
            f"(load average after each: {loads or 'unknown'})")


def max_peak(runs: list):
    """The largest peak over several runs, or None when none could be measured."""
    peaks = [run.peak_mb for run in runs if run.peak_mb is not None]
    return max(peaks) if peaks else None


# --- profiling ----------------------------------------------------------------------------
def profile(label: str, fn, top: int = 15) -> None:
    """cProfile ``fn()`` and print the ``top`` functions by own time."""
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    fn()
    profiler.disable()
    seconds = time.perf_counter() - start
    stats = pstats.Stats(profiler, stream=io.StringIO())
    total = stats.total_tt
    print(f"{label}: {seconds:.3f} s under cProfile; top {top} by own time (share of the profiled total):")
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:top]
    for (filename, line, function), (_, calls, own, cumulative, _) in rows:
        where = os.path.relpath(filename) if filename.startswith("/") else filename
        print(f"  {100 * own / total:5.1f}%  own {own:6.3f} s  cum {cumulative:6.3f} s  {calls:8d} calls  "
              f"{function}  {where}:{line}")

"""SystemStats: the training process's CPU use and resident memory, sampled now and then.

CPU % over an interval is the process's CPU time spent in it (user + system, all
threads) divided by the wall time: ``100 · Δcpu / Δwall`` — so 200 % means two cores
busy. RSS is the resident set size in MiB. psutil measures both when it is installed;
without it the CPU time comes from ``os.times()`` and the RSS from ``/proc/self/statm``
(resident pages × page size; Linux), or is left out elsewhere.
"""
from __future__ import annotations

import os
import time


class SystemStats:
    """Call ``sample()`` to get ``{"cpu_percent": ..., "rss_mb": ...}`` since the last call."""

    def __init__(self):
        try:
            import psutil
            self._process = psutil.Process()
        except ImportError:
            self._process = None
        self._last = (time.perf_counter(), self._cpu_seconds())

    def _cpu_seconds(self) -> float:
        if self._process is not None:
            times = self._process.cpu_times()
            return times.user + times.system
        times = os.times()
        return times.user + times.system

    def _rss_mb(self):
        if self._process is not None:
            return self._process.memory_info().rss / 2**20
        try:
            with open("/proc/self/statm") as file:
                return int(file.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
        except (OSError, ValueError, IndexError):
            return None

    def sample(self) -> dict:
        now, cpu = time.perf_counter(), self._cpu_seconds()
        wall = now - self._last[0]
        stats = {"cpu_percent": 100.0 * (cpu - self._last[1]) / wall if wall > 0 else 0.0}
        self._last = (now, cpu)
        rss = self._rss_mb()
        if rss is not None:
            stats["rss_mb"] = rss
        return stats

"""The workloads, one module each, found by ``discover()``.

A workload module exposes:

    NAME         "W1", "W2", ...: what ``--only`` selects and the table shows
    DESCRIPTION  one line: the network, the data, what is timed
    run(ctx)     times glassnet and each peer (``ctx.torch``, None when absent) and returns
                 a list of ``harness.Row``; ``ctx.note(NAME, text)`` prints and keeps a remark
    profile(ctx) optional: a callable running a typical glassnet slice, for ``--profile``

To add one, drop a module in this folder (e.g. ``w3_cnn.py``); nothing else changes.
"""
from __future__ import annotations

import importlib
import pkgutil
import re


def _order(name: str) -> tuple:
    number = re.search(r"\d+", name)
    return (int(number.group()) if number else 10**9, name)


def discover() -> dict:
    """{NAME: module} of every workload module in this package, in W-number order."""
    found = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found[module.NAME] = module
    return dict(sorted(found.items(), key=lambda item: _order(item[0])))

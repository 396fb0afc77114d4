"""The settings the computing entry points of a model run under (fit, evaluate, predict, …)."""
from __future__ import annotations

import functools

from .. import allocator
from ..subnormals import flush_subnormals


def computing(method):
    """fit, evaluate, predict, train_on_batch and test_on_batch run with subnormal floats flushed
    (``glassnet.subnormals``) and, from the first call on, malloc keeping freed memory for the
    next step (``glassnet.allocator``)."""
    flushed = flush_subnormals()(method)

    @functools.wraps(method)
    def run(*args, **kwargs):
        allocator.keep_freed_memory()
        return flushed(*args, **kwargs)
    return run

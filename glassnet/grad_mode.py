"""Grad mode: whether ops record the computational graph, one switch per thread.

``no_grad()`` (inference, weight updates) and ``enable_grad()`` (a ``GradientTape`` inside
``no_grad``) flip it for the current thread only; ``Function.apply`` in ``tensor.py`` reads it
on every op, so the check is kept to one module-global read while every thread records.
"""
from __future__ import annotations

import threading


class _GradMode(threading.local):
    """Whether ops record the graph, one flag per thread (as PyTorch's grad mode).

    A process-wide flag would let one thread's ``no_grad`` (a ``predict``) switch recording
    off under another thread's ``fit``, which then trains nothing. ``threading.local`` gives
    every thread its own ``enabled``; the class attribute is the value a new thread starts
    with.
    """

    enabled = True


_grad_mode = _GradMode()
_threads_without_grad = 0
"""How many threads have recording switched off now. Reading a thread-local costs ~100 ns,
a module global ~20 ns, so ``Function.apply`` reads the thread-local only when this count is
not 0: while no thread is inside ``no_grad`` (a training loop), the per-op cost is what a
process-wide flag cost. Each thread counts its own switches (under ``_mode_lock``), so the
count is 0 only when every thread records — and a thread that switched off sees its own count."""
_mode_lock = threading.Lock()


def is_grad_enabled() -> bool:
    """Whether ops in this thread record the graph (False inside ``no_grad()``)."""
    return _grad_mode.enabled


def set_grad_enabled(mode: bool) -> None:
    """Turn graph recording on or off in this thread (``no_grad``/``enable_grad`` restore it)."""
    global _threads_without_grad
    mode = bool(mode)
    if _grad_mode.enabled is mode:
        return
    with _mode_lock:
        _grad_mode.enabled = mode
        _threads_without_grad += -1 if mode else 1


class no_grad:
    """Context manager (and decorator) in which this thread records no graph.

    Use it for inference and for updating weights: ops inside return tensors with
    ``requires_grad=False`` and keep no references to their inputs. Other threads are not
    affected: each thread has its own grad mode.
    """

    _mode = False

    def __enter__(self):
        self._previous = _grad_mode.enabled
        set_grad_enabled(self._mode)
        return self

    def __exit__(self, *exc):
        set_grad_enabled(self._previous)
        return False

    def __call__(self, function):
        def wrapper(*args, **kwargs):
            with type(self)():
                return function(*args, **kwargs)

        wrapper.__name__ = getattr(function, "__name__", "wrapper")
        wrapper.__doc__ = getattr(function, "__doc__", None)
        return wrapper


class enable_grad(no_grad):
    """Context manager (and decorator) in which this thread records the graph, also inside
    an outer ``no_grad`` (PyTorch's ``enable_grad``; ``GradientTape`` uses it)."""

    _mode = True

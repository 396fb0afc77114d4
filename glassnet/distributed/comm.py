"""The MPI layer of ``glassnet.distributed``: start-up, rank and size, and the four
collectives data-parallel training needs, each with a deadline.

MPI (the Message Passing Interface) runs ``p`` copies of one program, the *ranks*
0 … p−1, started together by ``mpirun -np p python script.py``. glassnet uses it through
mpi4py, on whatever MPI library mpi4py was built against (OpenMPI from Debian's packages
on this machine; MPICH, Intel MPI or a cluster's own MPI elsewhere). mpi4py is an optional
dependency (``pip install glassnet[distributed]``); it is imported only when a strategy
or a collective is asked for, and its absence then raises ``DistributedError`` with the
install steps.

The collectives (all element-wise over NumPy buffers, in place):

* ``allreduce(buf)``  buf ← Σ_r buf_r      (every rank gets the sum over the ranks)
* ``broadcast(buf)``  buf ← buf_0          (every rank gets rank 0's values)
* ``allgather(buf)``  [buf_0, …, buf_{p−1}] (every rank gets every rank's buffer)
* ``barrier()``       nobody passes until everybody has arrived

Each is started non-blocking (``Iallreduce``, ``Ibcast``, ``Iallgather``, ``Ibarrier``)
and then polled until done or until ``timeout()`` seconds have passed. A rank that died
or hangs therefore turns into a ``DistributedError`` on the others ("no answer from the
other ranks within 60 s in allreduce") instead of a job that hangs for ever; ``init``
installs an exception hook that prints the error with its rank and calls
``MPI_Abort``, which makes ``mpirun`` end every rank (a collective in flight cannot be
cancelled, so aborting the job is the only clean exit). ``mpirun`` itself also ends the
job when a rank exits with a non-zero status or is killed.
"""
from __future__ import annotations

import os
import sys
import time

import numpy as np

_INSTALL = ("install an MPI library and mpi4py, e.g. on Debian/Ubuntu: "
            "`apt-get install -y openmpi-bin libopenmpi-dev` then `pip install mpi4py` "
            "(or `pip install glassnet[distributed]`), and start the script with "
            "`mpirun -np 2 python script.py`")

_state = {"comm": None, "timeout": float(os.environ.get("GLASSNET_DISTRIBUTED_TIMEOUT", 60.0)), "hook": False}


class DistributedError(RuntimeError):
    """A failure of distributed training: MPI absent, ranks that disagree, a rank that died."""


def _mpi():
    """The mpi4py ``MPI`` module, or a ``DistributedError`` saying how to install it."""
    try:
        from mpi4py import MPI
    except ImportError as error:   # mpi4py absent, or built against an MPI library that is gone
        raise DistributedError(f"glassnet.distributed needs MPI through mpi4py, which could not be imported "
                               f"({error}); {_INSTALL}") from error
    return MPI


def init(timeout: float | None = None):
    """Start MPI (once) and return the world communicator.

    Safe to call again; a script started without ``mpirun`` runs as a world of one rank.

    Args:
        timeout: seconds a collective may wait for the other ranks before it raises
            ``DistributedError`` (default 60, or ``$GLASSNET_DISTRIBUTED_TIMEOUT``).

    Raises:
        DistributedError: if mpi4py (or the MPI library under it) is missing.
    """
    if timeout is not None:
        set_timeout(timeout)
    if _state["comm"] is None:
        _state["comm"] = _mpi().COMM_WORLD
        if not _state["hook"] and _state["comm"].Get_size() > 1:
            _install_abort_hook()
    return _state["comm"]


def set_timeout(seconds: float) -> None:
    """Set the deadline of every collective, in seconds (> 0)."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not seconds > 0:
        raise ValueError(f"glassnet.distributed: timeout must be a positive number of seconds, got {seconds!r}")
    _state["timeout"] = float(seconds)


def timeout() -> float:
    """The deadline of a collective, in seconds."""
    return _state["timeout"]


def rank() -> int:
    """This process's rank, 0 … size()−1 (starts MPI if needed)."""
    return init().Get_rank()


def size() -> int:
    """The number of ranks in the job (1 without ``mpirun``)."""
    return init().Get_size()


def is_chief() -> bool:
    """Whether this is rank 0, the one that prints, saves and logs."""
    return rank() == 0


def _install_abort_hook() -> None:
    """On an uncaught exception: print it with this rank's number, then abort the whole job."""
    previous = sys.excepthook

    def hook(kind, value, traceback):
        sys.stderr.write(f"[glassnet.distributed rank {rank()}/{size()}] uncaught {kind.__name__}: {value}\n")
        previous(kind, value, traceback)
        sys.stderr.flush()
        sys.stdout.flush()
        _state["comm"].Abort(1)

    sys.excepthook = hook
    _state["hook"] = True


def _wait(request, what: str) -> None:
    """Poll ``request`` until it completes; past the deadline raise ``DistributedError``.

    The first polls spin (a 2-rank allreduce of a few MB completes in microseconds to
    milliseconds); later ones sleep 0.2 ms between tests so that waiting ranks leave
    the CPU to the ranks still computing (this machine runs more ranks than cores).
    """
    deadline = time.monotonic() + _state["timeout"]
    polls = 0
    while not request.Test():
        polls += 1
        if polls > 200:
            if time.monotonic() > deadline:
                raise DistributedError(
                    f"rank {rank()}/{size()}: no answer from the other ranks within {_state['timeout']:g} s in "
                    f"{what}; a rank has died, hangs, or runs different code (set the deadline with "
                    "glassnet.distributed.init(timeout=...) or $GLASSNET_DISTRIBUTED_TIMEOUT)")
            time.sleep(0.0002)


def allreduce(buffer: np.ndarray, what: str = "allreduce") -> np.ndarray:
    """Sum ``buffer`` (a contiguous array) over the ranks, in place; returns it."""
    comm = init()
    if comm.Get_size() > 1:
        _wait(comm.Iallreduce(_mpi().IN_PLACE, _contiguous(buffer), op=_mpi().SUM), what)
    return buffer


def broadcast(buffer: np.ndarray, what: str = "broadcast", root: int = 0) -> np.ndarray:
    """Overwrite ``buffer`` on every rank with rank ``root``'s, in place; returns it."""
    comm = init()
    if comm.Get_size() > 1:
        _wait(comm.Ibcast(_contiguous(buffer), root=root), what)
    return buffer


def allgather(buffer: np.ndarray, what: str = "allgather") -> np.ndarray:
    """Every rank's ``buffer`` stacked: an array of shape (size, *buffer.shape)."""
    comm = init()
    buffer = np.ascontiguousarray(buffer)
    out = np.empty((comm.Get_size(), *buffer.shape), dtype=buffer.dtype)
    if comm.Get_size() == 1:
        out[0] = buffer
        return out
    _wait(comm.Iallgather(buffer, out), what)
    return out


def barrier(what: str = "barrier") -> None:
    """Wait until every rank has arrived here."""
    comm = init()
    if comm.Get_size() > 1:
        _wait(comm.Ibarrier(), what)


def _contiguous(buffer: np.ndarray) -> np.ndarray:
    if not isinstance(buffer, np.ndarray) or not buffer.flags.c_contiguous or not buffer.flags.writeable:
        raise ValueError("glassnet.distributed: collectives work in place on a writeable C-contiguous NumPy array")
    return buffer


__all__ = ["DistributedError", "init", "set_timeout", "timeout", "rank", "size", "is_chief", "allreduce",
           "broadcast", "allgather", "barrier"]

"""glassnet.distributed: data-parallel training over MPI (mpi4py), Horovod-style helpers.

    import glassnet
    from glassnet import distributed
    distributed.init()                                   # MPI up; 1 rank without mpirun
    strategy = distributed.DataParallel()
    with strategy.scope():
        model.fit(x, y, batch_size=64)                   # 64 = the global batch

Run with ``mpirun -np 2 python script.py`` (see docs/distributed.md). The pieces:
``comm`` (init, rank, size, collectives with a deadline), ``strategy`` (DataParallel),
``optimizer`` (the gradient bucket, DistributedOptimizer), ``callbacks``
(BroadcastGlobalVariablesCallback), ``sync_batch_norm``. mpi4py is imported only when
used; without it these raise ``DistributedError`` with the install steps.
"""
from .callbacks import BroadcastGlobalVariablesCallback, broadcast_optimizer_state, broadcast_weights
from .comm import (DistributedError, allgather, allreduce, barrier, broadcast, init, is_chief, rank, set_timeout,
                   size, timeout)
from .optimizer import DistributedOptimizer, GradientBucket
from .strategy import DataParallel, current_strategy
from .sync_batch_norm import SyncBatchNormalization

__all__ = ["init", "rank", "size", "is_chief", "set_timeout", "timeout", "allreduce", "broadcast", "allgather",
           "barrier", "DistributedError", "DataParallel", "current_strategy", "DistributedOptimizer",
           "GradientBucket", "BroadcastGlobalVariablesCallback", "broadcast_weights", "broadcast_optimizer_state",
           "SyncBatchNormalization"]

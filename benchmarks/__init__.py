"""glassnet's benchmark suite: ``python -m benchmarks`` (see README.md and RESULTS.md).

``harness`` times runs (threads, interleaving, memory), ``report`` prints the table and
writes the JSON file, ``workloads/`` holds one module per workload, and ``mlp`` and
``sgemm`` are the pieces the MLP workloads share.
"""

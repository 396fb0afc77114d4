"""The two tree walks as compiled loops (Numba): an optional accelerator, never the lesson.

``tree_traversal.py`` and ``perfect_tree.py`` walk all trees with glassnet gathers over
(T, n) arrays: each step reads and writes n·T indices several times. Compiled, one step is
a few loads for one (tree, sample) pair, and the same steps run with no temporaries:

    tree_traversal:  g ← t·M;   until a leaf:   g ← left[g] if x[feature[g]] <= threshold[g] else right[g]
    perfect_tree:    h ← 0;     D times:        h ← 2h + 1 + [not x[feature[t, h]] <= threshold[t, h]]

with a NaN sent where ``missing_left`` says — the same rule, so the leaves are identical to
the NumPy walk's (the tests check it). What makes the loops fast:

* The compiled tree walk stops each sample at its leaf: it keeps a list of the block's samples
  still walking and compacts it after every step, where the NumPy walk runs the deepest
  tree's depth for all (the extra steps are self-loops). For HistGradientBoosting's lopsided
  trees (depth 10 to 17, most leaves much higher up) that is 2–3× less work.
* Samples are split into blocks of 128; inside a block the loop runs level by level over the
  block's samples for one tree, so the CPU overlaps 128 independent chains of loads instead
  of waiting on one chain's (node → feature → x → compare → node) latency.
* The rows are cut into two pieces per core, walked on a pool of Python threads (the
  compiled walks release the GIL). Not Numba's ``prange``: its OpenMP threads spin at the
  end of each loop, and on a busy machine (load 8 on 2 cores) the prange walk of W8's forest
  took 1.26 s against 0.78 s on two threads and 0.86 s on one.
* The test is branch-free arithmetic, go_left = [x <= t] | ([x is NaN] & missing_left)
  (a branch per test, mispredicted half the time, made the walk 4× slower); the NaN term is
  compiled in a second version of each walk, used only when a node sends NaN left and the
  chunk holds a NaN (2× faster without it).
* A node's fields are packed into one record (threshold, feature, left, right, missing_left:
  24 bytes), so a step touches one cache line of node data instead of five arrays (~12%).

Used when Numba is installed and ``glassnet.kernels`` is on, for NumPy arrays only (the
CuPy backend keeps the gathers).
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ... import kernels as switch

BLOCK = 128


def applies(x) -> bool:
    """Whether the compiled walk can take ``x``: a float NumPy array, kernels on, Numba present."""
    return (isinstance(x, np.ndarray) and x.dtype in (np.float32, np.float64) and switch.enabled()
            and _kernels() is not None)


def _build():
    import types

    import numba

    def walks(nan_aware):
        """The two walks over node records; ``nan_aware`` False drops the NaN term."""

        @numba.njit(cache=True, nogil=True)
        def tree_traversal(x, nodes, n_nodes, out):
            n, n_trees = x.shape[0], out.shape[0]
            g = np.empty(BLOCK, dtype=np.int64)
            active = np.empty(BLOCK, dtype=np.int64)                 # the samples not at a leaf yet
            for start in range(0, n, BLOCK):
                size = min(n, start + BLOCK) - start
                for t in range(n_trees):
                    root = t * n_nodes
                    for j in range(size):
                        g[j] = root
                        active[j] = j
                    m = size if nodes[root].left != root else 0
                    while m > 0:
                        kept = 0
                        for a in range(m):
                            j = active[a]
                            node = nodes[g[j]]
                            v = x[start + j, node.feature]
                            go_left = v <= node.threshold
                            if nan_aware:
                                go_left = go_left | ((v != v) & (node.missing_left != 0))
                            child = node.right + go_left * (node.left - node.right)
                            g[j] = child
                            active[kept] = j
                            kept += nodes[child].left != child                 # still internal: keep walking
                        m = kept
                    for j in range(size):
                        out[t, start + j] = g[j]

        @numba.njit(cache=True, nogil=True)
        def perfect_tree(x, nodes, depth, out):
            n, n_trees = x.shape[0], out.shape[0]
            width = 2 ** depth                                       # leaves per tree; internal nodes: width − 1
            h = np.empty(BLOCK, dtype=np.int64)
            for start in range(0, n, BLOCK):
                size = min(n, start + BLOCK) - start
                for t in range(n_trees):
                    h[:size] = 0
                    for _ in range(depth):
                        for j in range(size):
                            node = nodes[t, h[j]]
                            v = x[start + j, node.feature]
                            go_left = v <= node.threshold
                            if nan_aware:
                                go_left = go_left | ((v != v) & (node.missing_left != 0))
                            h[j] = 2 * h[j] + 2 - go_left
                    for j in range(size):                            # bottom level of tree t at t·2^D
                        out[t, start + j] = h[j] - (width - 1) + t * width

        return tree_traversal, perfect_tree

    plain, with_nan = walks(False), walks(True)
    return types.SimpleNamespace(tree_traversal=plain[0], perfect_tree=plain[1],
                                 tree_traversal_nan=with_nan[0], perfect_tree_nan=with_nan[1])


_kernels = switch.Compiled(_build).get


def node_records(feature, threshold, missing_left, left=None, right=None) -> np.ndarray:
    """The node arrays as one array of records (threshold, feature, left, right, missing_left),
    threshold kept in its own dtype (the comparison must stay the same), the rest int32/uint8."""
    record = np.dtype([("threshold", threshold.dtype), ("feature", np.int32), ("left", np.int32),
                       ("right", np.int32), ("missing_left", np.uint8)], align=True)
    nodes = np.zeros(threshold.shape, dtype=record)
    nodes["threshold"], nodes["feature"], nodes["missing_left"] = threshold, feature, missing_left
    if left is not None:
        nodes["left"], nodes["right"] = left, right
    return nodes


_pool = None


def _threads() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:                       # not Linux
        return os.cpu_count() or 1


def _in_pieces(walk, x, out, *args) -> None:
    """``walk(x[a:b], *args, out[:, a:b])`` over pieces of the rows, on a pool of threads (the
    compiled walks release the GIL); two pieces per thread, whole blocks each."""
    global _pool
    n, threads = x.shape[0], _threads()
    if threads == 1 or n <= 2 * BLOCK:
        walk(x, *args, out)
        return
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="glassnet-trees")
    blocks = -(-n // BLOCK)
    bounds = sorted({min(n, BLOCK * (blocks * i // (2 * threads))) for i in range(2 * threads + 1)})
    futures = [_pool.submit(walk, x[a:b], *args, out[:, a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
    for future in futures:
        future.result()


def _nan_aware(x, missing_left) -> bool:
    """Whether the NaN term matters: some node sends NaN left and x holds a NaN."""
    return bool(missing_left.any()) and bool(np.isnan(x).any())


def tree_traversal(x, feature, threshold, left, right, missing_left, n_nodes):
    """(T, n) int32 flat leaf indices: the child-array walk of every tree, each sample to its leaf."""
    if len(feature) >= 2 ** 31:
        raise ValueError(f"the compiled tree walk takes at most 2^31 nodes in all, got {len(feature)}")
    out = np.empty((len(feature) // n_nodes, x.shape[0]), dtype=np.int32)
    walk = _kernels().tree_traversal_nan if _nan_aware(x, missing_left) else _kernels().tree_traversal
    _in_pieces(walk, np.ascontiguousarray(x), out, node_records(feature, threshold, missing_left, left, right), n_nodes)
    return out


def perfect_tree(x, feature, threshold, missing_left, depth):
    """(T, n) int32: where each sample lands in each tree's bottom level, as the column
    t·2^D + h − (2^D − 1) of the value table."""
    if feature.shape[0] * 2 ** depth >= 2 ** 31:
        raise ValueError(f"the compiled perfect-tree walk takes at most 2^31 leaves in all, got "
                         f"{feature.shape[0]}·2^{depth}")
    out = np.empty((feature.shape[0], x.shape[0]), dtype=np.int32)
    walk = _kernels().perfect_tree_nan if _nan_aware(x, missing_left) else _kernels().perfect_tree
    _in_pieces(walk, np.ascontiguousarray(x), out, node_records(feature, threshold, missing_left), depth)
    return out

"""What the three tree strategies share: S(x) = Σ_t v_t(leaf_t(x)) + base, chunk by chunk.

Every tree ensemble scikit-learn fits predicts from the same sum: tree t sends x to one of
its leaves, leaf_t(x), whose row of values v_t is added up over the trees (in tree order,
as scikit-learn's loops do), then a ``base`` (the initial prediction of a boosted model,
zero for a forest) is added:

    S(x) = Σ_{t=1..T} v_t[leaf_t(x)] + base                    shape (n, K)

A strategy (GEMM, tree traversal, perfect-tree traversal) only differs in how it finds the
leaves of all trees at once. The two walks implement ``leaves(x) -> (T, n)``, the flat index
of every tree's leaf for every sample into a value table ``value`` of shape (K, leaves), and
this class gathers and sums — one 1-D gather per output column k, summed over the tree axis:

    S[:, k] = Σ_t value[k, leaves[t, :]] + base[k]

(a (T, n) gather from a contiguous row is ~8× faster in NumPy than gathering (T, n, K) rows).
GEMM computes its sum with matrix products instead and overrides ``chunk_sum``.

Boosted classifiers with K > 1 columns grow one tree per class and stage, tree t adding only
to column t mod K (``cyclic=True``). Their value table is then one row, value[0, ·], and
column k sums only its own trees t = k, k + K, k + 2K, …: K times fewer gathers, and the
same numbers (the other trees would add exact zeros). The heads
in ``heads.py`` turn S into probabilities, decisions and labels.

Comparisons run in ``compare_dtype``: "float32" for scikit-learn's trees and forests (their
``predict`` casts X to float32; the thresholds are rounded down to float32, see
``extract.threshold_below``, so every comparison is the one scikit-learn makes), the layer
dtype for HistGradientBoosting (which compares raw float64 X). Leaf values and S are in
the layer dtype.

Rows are processed in chunks of about 2^19 (tree, sample) pairs, so the (T, n)
temporaries of one chunk stay in the CPU caches and the memory stays bounded for any n. The
compiled walk (``traversal_kernels``), whose only temporary is its int32 leaves, takes
``WALK_CHUNKS`` chunks per call: fewer, longer parallel loops lose less time waiting for the
slowest thread (on a busy machine, 20 short loops cost a third more than 3 long ones).
Index bookkeeping (which node each sample is at) uses the backend's integer arrays
directly — it has no gradient — and every gather of x and of the leaf values is a
glassnet op.
"""
from __future__ import annotations

import numpy as np

from ... import ops
from ...backend import xp
from ..base import Operator
from . import traversal_kernels

CHUNK_PAIRS = 1 << 19
"""(tree, sample) pairs per chunk of rows."""
WALK_CHUNKS = 8
"""Chunks per call of the compiled walk (``traversal_kernels``): its (T, rows) int32 leaves."""


class TreeStrategy(Operator):
    """Base of the tree strategies: S(x) = Σ_t v_t[leaf_t(x)] + base (see the module docstring).

    Args:
        n_trees: T, the number of trees.
        n_features: the number of input columns.
        n_outputs: K, the width of a leaf's value row.
        compare_dtype: the dtype x and the thresholds are compared in ("float32"/"float64").
        max_depth: the deepest tree's number of tests on a root-to-leaf path.
        missing: whether any node sends NaN to the left (otherwise NaN simply fails x <= t).
        cyclic: tree t adds only to output column t mod K (boosting, one tree per class);
            the value table then has one row.
    """

    outputs = ("sum",)
    strategy = None

    def __init__(self, n_trees, n_features, n_outputs, compare_dtype="float32", max_depth=1, missing=False,
                 cyclic=False, **kwargs):
        super().__init__(**kwargs)
        self.n_trees = int(n_trees)
        self.n_features = int(n_features)
        self.n_outputs = int(n_outputs)
        self.compare_dtype = np.dtype(compare_dtype).name
        self.max_depth = int(max_depth)
        self.missing = bool(missing)
        self.cyclic = bool(cyclic)
        if self.cyclic and self.n_trees % self.n_outputs:
            raise ValueError(f"{type(self).__name__}: cyclic columns need a multiple of {self.n_outputs} trees, "
                             f"got {self.n_trees}")

    def constant_specs(self):
        return {"base": ((self.n_outputs,), self.dtype)}

    def leaves(self, x):
        """(T, n) integer array: for every tree and sample of the chunk ``x``, the column of
        ``self.value`` (the (K, leaves) value table) holding its leaf's values."""
        raise NotImplementedError(f"{type(self).__name__} must say how a sample reaches its leaf (leaves)")

    def chunk_sum(self, x):
        """(n, K) Tensor: Σ_t value[:, leaf_t(x)] for the chunk ``x``, summed in tree order
        (gathered ``chunk_rows`` samples at a time, when the compiled walk took a longer chunk)."""
        leaves, K, rows = self.leaves(x), self.n_outputs, self.chunk_rows()
        parts = []
        for start in range(0, max(leaves.shape[1], 1), rows):
            part = leaves[:, start:start + rows]
            if self.cyclic:
                columns = [ops.sum(ops.getitem(self.value[0], part[k::K]), axis=0) for k in range(K)]
            else:
                columns = [ops.sum(ops.getitem(self.value[k], part), axis=0) for k in range(K)]
            parts.append(ops.stack(columns, axis=1))
        return parts[0] if len(parts) == 1 else ops.concatenate(parts, axis=0)

    def walk_rows(self, x) -> int:
        """Rows per walk: ``chunk_rows``, or ``WALK_CHUNKS`` times more for the compiled walk
        (whose leaves are all its temporaries: fewer, longer parallel loops balance better)."""
        rows = self.chunk_rows()
        return rows * WALK_CHUNKS if traversal_kernels.applies(x.data) else rows

    def value_rows(self) -> int:
        """The number of rows of the value table: 1 when ``cyclic``, else K."""
        return 1 if self.cyclic else self.n_outputs

    def call(self, x, output="sum"):
        if x.dtype != np.dtype(self.compare_dtype):
            x = ops.cast(x, self.compare_dtype)
        n = x.shape[0]
        rows = self.walk_rows(x)
        parts = [self.chunk_sum(x[start:start + rows]) for start in range(0, max(n, 1), rows)]
        total = parts[0] if len(parts) == 1 else ops.concatenate(parts, axis=0)
        return total + self.base

    def chunk_rows(self) -> int:
        """Rows per chunk: about ``CHUNK_PAIRS`` (tree, sample) pairs."""
        return max(1, CHUNK_PAIRS // max(self.n_trees, 1))

    def go_left(self, x_node, threshold, missing_left):
        """The test of each (tree, sample)'s current node, as a boolean array.

        Args:
            x_node: the tested feature's value, x[feature] (backend array).
            threshold: the node's threshold (same shape).
            missing_left: a callable giving the node's NaN direction (same shape), only
                called when ``x_node`` holds a NaN and some node sends NaN left.
        """
        left = x_node <= threshold
        if self.missing:
            nan = xp.isnan(x_node)
            if nan.any():
                left = xp.where(nan, missing_left(), left)
        return left

    def get_config(self):
        return {**super().get_config(), "n_trees": self.n_trees, "n_features": self.n_features,
                "n_outputs": self.n_outputs, "compare_dtype": self.compare_dtype, "max_depth": self.max_depth,
                "missing": self.missing, "cyclic": self.cyclic}


def gather_features(x, feature):
    """x[i, feature[t, i]] for every (tree t, sample i): a (T, n) gather from the flat x.

    Args:
        x: (n, F) Tensor.
        feature: (T, n) integer array of column indices.
    """
    n, n_features = x.shape
    rows = xp.arange(n, dtype=feature.dtype) * n_features
    return ops.getitem(ops.reshape(x, (-1,)), feature + rows).data


def value_table(values, cyclic) -> np.ndarray:
    """The (rows, T·M) value table from per-tree values (T, M, K): all K columns, or when
    ``cyclic`` only each tree's own column t mod K (one row)."""
    T, M, K = values.shape
    if cyclic:
        return values[np.arange(T), :, np.arange(T) % K].reshape(1, T * M)
    return values.reshape(T * M, K).T


def tree_arrays_missing(trees) -> bool:
    """Whether any node of the trees sends NaN to the left."""
    return any(bool(tree.missing_left.any()) for tree in trees)

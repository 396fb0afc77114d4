"""The perfect-tree-traversal strategy (PerfTreeTrav): index arithmetic instead of child arrays.

A tree of depth D is padded to the perfect binary tree of depth D: 2^D − 1 internal nodes
and 2^D leaves, stored level by level in heap order (node h's children are 2h + 1 and
2h + 2, its leaves the bottom level). A real leaf at depth d < D becomes an internal node
whose test always holds (threshold +∞, NaN sent left) over a subtree whose bottom-level
leaves all carry its value. Then the child of node h is computed, not looked up:

    h ← 0                                                      (T, n)  every tree's root
    repeat D times:
        xv = x[i, feature[t, h]]
        h  ← 2h + 1 + [not (xv <= threshold[t, h])]            left child 2h+1, right 2h+2
    S[:, k] = Σ_t value[k, t·2^D + h − (2^D − 1)]              (n, K)

Compared with ``tree_traversal`` this drops the two gathers of the children per step and
the self-loop bookkeeping, at the price of 2^D nodes per tree: Hummingbird's choice for
depths 4 to 10. (Beyond about 20 levels the padding no longer fits in memory, and
``from_trees`` refuses.)

The Numba accelerator (``traversal_kernels.perfect_tree``) makes the same D steps per sample;
the leaf gather and the sum stay glassnet ops.
"""
from __future__ import annotations

import numpy as np

from ...backend import xp
from . import traversal_kernels
from .extract import threshold_below
from .strategy import TreeStrategy, gather_features, tree_arrays_missing, value_table

MAX_PERFECT_DEPTH = 20


class PerfectTreeTraversal(TreeStrategy):
    """S(x) = Σ_t value[:, t·2^D + h_t(x) − (2^D − 1)] + base with h found by D steps of h ← 2h + 1 + [right].

    Args:
        (as ``TreeStrategy``; ``max_depth`` is D, the depth every tree is padded to.)
    """

    strategy = "perf_tree_trav"

    def constant_specs(self):
        T, D = self.n_trees, self.max_depth
        internal = 2 ** D - 1
        return {**super().constant_specs(), "feature": ((T, internal), "int64"),
                "threshold": ((T, internal), self.compare_dtype), "missing_left": ((T, internal), "bool"),
                "value": ((self.value_rows(), T * 2 ** D), self.dtype)}

    def leaves(self, x):
        """The (T, n) column of ``value`` (tree t's bottom level at t·2^D) each sample reaches."""
        T, D = self.n_trees, self.max_depth
        internal = 2 ** D - 1
        if traversal_kernels.applies(x.data):
            return traversal_kernels.perfect_tree(x.data, self.feature.data, self.threshold.data,
                                                  self.missing_left.data, D)
        feature = self.feature.data.reshape(-1)
        threshold = self.threshold.data.reshape(-1)
        missing_left = self.missing_left.data.reshape(-1)
        node_offset = xp.arange(T, dtype=np.int64)[:, None] * internal
        h = xp.zeros((T, x.shape[0]), dtype=np.int64)
        for _ in range(D):
            g = node_offset + h
            xv = gather_features(x, feature[g])
            left = self.go_left(xv, threshold[g], lambda: missing_left[g])
            h = 2 * h + 1 + (~left)
        return h - internal + xp.arange(T, dtype=np.int64)[:, None] * 2 ** D

    @classmethod
    def from_trees(cls, trees, n_features, base, dtype, compare_dtype, cyclic=False, **kwargs):
        """The built operator for a list of ``TreeArrays``, each padded to the deepest's depth.

        Raises:
            ValueError: if the deepest tree is deeper than ``MAX_PERFECT_DEPTH``.
        """
        T, K = len(trees), trees[0].n_outputs
        D = max(1, max(tree.max_depth() for tree in trees))
        if D > MAX_PERFECT_DEPTH:
            raise ValueError(f"strategy 'perf_tree_trav': the trees are {D} levels deep, and a perfect tree of that "
                             f"depth needs 2^{D} nodes per tree; use strategy='tree_trav' (or 'auto')")
        internal = 2 ** D - 1
        feature = np.zeros((T, internal), dtype=np.int64)
        threshold = np.full((T, internal), np.inf)
        missing_left = np.ones((T, internal), dtype=bool)          # padding: always left, NaN too
        leaf_value = np.zeros((T, 2 ** D, K))
        for t, tree in enumerate(trees):
            stack = [(0, 0, 0)]                                    # (node, heap index h, level)
            while stack:
                node, h, level = stack.pop()
                if tree.is_leaf[node]:
                    first = (h - (2 ** level - 1)) * 2 ** (D - level)    # its leftmost bottom-level leaf
                    leaf_value[t, first:first + 2 ** (D - level)] = tree.value[node]
                    continue
                feature[t, h] = tree.feature[node]
                threshold[t, h] = tree.threshold[node]
                missing_left[t, h] = tree.missing_left[node]
                stack.append((tree.left[node], 2 * h + 1, level + 1))
                stack.append((tree.right[node], 2 * h + 2, level + 1))
        op = cls(T, int(n_features), K, compare_dtype=compare_dtype, dtype=dtype, max_depth=D,
                 missing=tree_arrays_missing(trees), cyclic=cyclic, **kwargs)
        op.build((None, int(n_features)))
        return op.set_constants(feature=feature, threshold=threshold_below(threshold, compare_dtype),
                                missing_left=missing_left, value=value_table(leaf_value, cyclic), base=base)

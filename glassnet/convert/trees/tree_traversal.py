"""The tree-traversal strategy (TreeTrav): walk all trees at once with gathers.

The nodes of all T trees are laid end to end in flat arrays (tree t's node i at
g = t·M + i, every tree padded to M nodes), with the children as flat indices too:

    feature[g], threshold[g], missing_left[g], left[g], right[g], value[:, g]

A leaf points to itself (left[g] = right[g] = g), so a walk that reaches a leaf stays there.
Then every sample walks every tree in lockstep, ``max_depth`` steps, each step a few
gathers over the (T, n) array G of current nodes:

    G ← root offsets t·M                                       (T, n)
    repeat max_depth times:
        xv = x[i, feature[G]]                                  the tested values
        G  ← where(xv <= threshold[G], left[G], right[G])      (NaN: missing_left[G])
    S[:, k] = Σ_t value[k, G_t]                                (n, K)

The cost is Θ(n·T·max_depth) gathers whatever the tree's shape, and memory is the node
arrays (no padding to a perfect tree): Hummingbird's choice for deep trees (depth > 10).

With Numba installed (``glassnet[fast]``), the walk itself — the steps that find G — runs as a
compiled loop (``traversal_kernels.py``, the same steps sample by sample, each sample
stopping at its leaf instead of idling through self-loops); the gather
of the leaf values and the sum stay glassnet ops. ``glassnet.kernels.set_enabled(False)``
switches back to the ops walk, which the tests check gives the same leaves.
"""
from __future__ import annotations

import numpy as np

from ...backend import xp
from . import traversal_kernels
from .extract import threshold_below
from .strategy import TreeStrategy, gather_features, tree_arrays_missing, value_table


class TreeTraversal(TreeStrategy):
    """S(x) = Σ_t value[:, G_t(x)] + base with G found by ``max_depth`` gather steps.

    Args:
        n_nodes: M, nodes per tree after padding.
        (the rest as ``TreeStrategy``.)
    """

    strategy = "tree_trav"

    def __init__(self, n_trees, n_features, n_outputs, n_nodes=1, **kwargs):
        super().__init__(n_trees, n_features, n_outputs, **kwargs)
        self.n_nodes = int(n_nodes)

    def constant_specs(self):
        size = self.n_trees * self.n_nodes
        return {**super().constant_specs(), "feature": ((size,), "int64"), "threshold": ((size,), self.compare_dtype),
                "left": ((size,), "int64"), "right": ((size,), "int64"), "missing_left": ((size,), "bool"),
                "value": ((self.value_rows(), size), self.dtype)}

    def leaves(self, x):
        """G: the (T, n) flat index of the leaf each sample reaches in each tree."""
        if traversal_kernels.applies(x.data):
            return traversal_kernels.tree_traversal(x.data, self.feature.data, self.threshold.data, self.left.data,
                                                    self.right.data, self.missing_left.data, self.n_nodes)
        n = x.shape[0]
        G = xp.broadcast_to(xp.arange(self.n_trees, dtype=np.int64)[:, None] * self.n_nodes, (self.n_trees, n))
        feature, threshold, missing_left = self.feature.data, self.threshold.data, self.missing_left.data
        for _ in range(self.max_depth):
            xv = gather_features(x, feature[G])
            left = self.go_left(xv, threshold[G], lambda: missing_left[G])
            G = xp.where(left, self.left.data[G], self.right.data[G])
        return G

    def get_config(self):
        return {**super().get_config(), "n_nodes": self.n_nodes}

    @classmethod
    def from_trees(cls, trees, n_features, base, dtype, compare_dtype, cyclic=False, **kwargs):
        """The built operator for a list of ``TreeArrays`` (one per tree, in order)."""
        T, K = len(trees), trees[0].n_outputs
        M = max(tree.n_nodes for tree in trees)
        flat = np.arange(T * M).reshape(T, M)
        feature = np.zeros((T, M), dtype=np.int64)
        threshold = np.zeros((T, M))
        left, right = flat.copy(), flat.copy()                  # padding and leaves: self-loops
        missing_left = np.zeros((T, M), dtype=bool)
        value = np.zeros((T, M, K))
        for t, tree in enumerate(trees):
            m, inner = tree.n_nodes, ~tree.is_leaf
            feature[t, :m] = tree.feature
            threshold[t, :m] = tree.threshold
            left[t, :m] = np.where(inner, tree.left + t * M, flat[t, :m])
            right[t, :m] = np.where(inner, tree.right + t * M, flat[t, :m])
            missing_left[t, :m] = tree.missing_left
            value[t, :m] = np.where(tree.is_leaf[:, None], tree.value, 0.0)
        op = cls(T, int(n_features), K, n_nodes=M, compare_dtype=compare_dtype, dtype=dtype,
                 max_depth=max(tree.max_depth() for tree in trees), missing=tree_arrays_missing(trees),
                 cyclic=cyclic, **kwargs)
        op.build((None, int(n_features)))
        return op.set_constants(feature=feature.reshape(-1),
                                threshold=threshold_below(threshold.reshape(-1), compare_dtype),
                                left=left.reshape(-1), right=right.reshape(-1), missing_left=missing_left.reshape(-1),
                                value=value_table(value, cyclic), base=base)

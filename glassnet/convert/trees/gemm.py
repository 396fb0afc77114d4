"""The GEMM strategy: a tree as three matrix products (Hummingbird's first strategy).

For one tree with I internal nodes and L leaves, over n samples X (n, F):

    A (F, I)   A[f, j] = 1 if node j tests feature f          (a one-hot per column)
    B (I,)     B[j]    = node j's threshold
    C (I, L)   C[j, l] = +1 if leaf l lies under node j's left child,
                         −1 if under its right child, 0 if not under node j
    D (L,)     D[l]    = the number of +1 in column l (left turns on the way to leaf l)
    E (L, K)   E[l]    = leaf l's value row

    T = [X·A <= B]        (n, I)  1 where the sample goes left at node j
    P = [T·C == D]        (n, L)  1 at the sample's leaf, 0 elsewhere
    out = P·E             (n, K)  the leaf's values

Why P picks the leaf: (T·C)[l] counts the left turns taken on l's path minus the nodes on
it where the sample went left but l lies right. It reaches D[l] only when every turn
matches, which happens for exactly one leaf.

All T trees at once: the nodes of every tree are padded to the largest I and L and stacked,
so the first product is one GEMM X·A with A (F, T·I), and the other two are batched
matrix products over the tree axis: T (T, n, I) · C (T, I, L) and P (T, n, L) · E (T, L, K).
The code computes their transposes, as Hummingbird does — (X·A)ᵀ = Aᵀ·Xᵀ of shape (T·I, n),
then Cᵀ·Tᵀ and Eᵀ·Pᵀ — so that the samples run along the last, contiguous axis and the
(T·I, n) result splits into the trees' (I, n) blocks without a transposed copy (no transposed
copies of the big arrays).
A padded node has an all-zero A column and row of C (it takes part in nothing); a padded
leaf has D = −1, which T·C (a count) never equals.

X·A is exact: each column of A holds a single 1, so the product copies x[f] (0·x adds 0).
Only a non-finite x breaks that (0·inf = NaN), so when a chunk holds ±inf or NaN those
entries are zeroed for the product and routed with their own masks (also products with A).
The cost is Θ(n·F·T·I + n·T·I·L): fine for shallow trees (Hummingbird uses it up to depth 3),
wasteful for deep ones, where the traversals win.
"""
from __future__ import annotations

import numpy as np

from ... import ops
from ...backend import xp
from .extract import threshold_below
from . import strategy
from .strategy import TreeStrategy, tree_arrays_missing


class GEMMTrees(TreeStrategy):
    """S(x) = Σ_t [[X·A_t <= B_t]·C_t == D_t]·E_t + base (see the module docstring).

    Args:
        n_internal: I, internal nodes per tree after padding.
        n_leaves: L, leaves per tree after padding.
        (the rest as ``TreeStrategy``.)
    """

    strategy = "gemm"

    def __init__(self, n_trees, n_features, n_outputs, n_internal=1, n_leaves=1, **kwargs):
        super().__init__(n_trees, n_features, n_outputs, **kwargs)
        self.n_internal = int(n_internal)
        self.n_leaves = int(n_leaves)

    def constant_specs(self):
        T, F, I, L, K = self.n_trees, self.n_features, self.n_internal, self.n_leaves, self.n_outputs
        c = self.compare_dtype
        return {**super().constant_specs(), "A": ((F, T * I), c), "B": ((T * I,), c),
                "C": ((T, I, L), c), "D": ((T, 1, L), c), "E": ((T, L, K), self.dtype),
                "missing_left": ((T * I,), "bool")}

    def chunk_sum(self, x):
        T, I, L = self.n_trees, self.n_internal, self.n_leaves
        data = x.data
        finite = bool(xp.isfinite(data).all())
        A_T = ops.transpose(self.A)                                                          # (T·I, F), a view

        def times_A(z):                                      # (X·A)ᵀ = Aᵀ·Xᵀ: samples along the last axis
            return ops.matmul(A_T, ops.transpose(z)).data                                    # (T·I, n)

        XA = times_A(x if finite else ops.where(xp.isfinite(data), x, 0.0))
        nan = None
        if not finite:                                       # ±inf and NaN: routed by masks (products with A)
            def hits(mask):
                return times_A(ops.cast(mask, self.compare_dtype)) > 0
            XA = xp.where(hits(xp.isposinf(data)), xp.inf, xp.where(hits(xp.isneginf(data)), -xp.inf, XA))
            nan = hits(xp.isnan(data))
        left = XA <= self.B.data[:, None]
        if nan is not None:
            left = xp.where(nan, self.missing_left.data[:, None], left)
        turns = left.reshape(T, I, -1).astype(self.compare_dtype)                          # Tᵀ: (T, I, n)
        C_T, E_T = ops.transpose(self.C, (0, 2, 1)), ops.transpose(self.E, (0, 2, 1))
        at_leaf = ops.matmul(C_T, turns).data == self.D.data.reshape(T, L, 1)              # Pᵀ: (T, L, n)
        out = ops.matmul(E_T, ops.cast(at_leaf, self.dtype))                                # (T, K, n)
        return ops.transpose(ops.sum(out, axis=0))                                         # in tree order; (n, K)

    def walk_rows(self, x) -> int:
        return self.chunk_rows()

    def chunk_rows(self) -> int:
        """Rows per chunk: the (n, T·I) and (T, n, L) temporaries held to about 8·CHUNK_PAIRS numbers."""
        return max(1, 8 * strategy.CHUNK_PAIRS // (self.n_trees * max(self.n_internal, self.n_leaves)))

    def get_config(self):
        return {**super().get_config(), "n_internal": self.n_internal, "n_leaves": self.n_leaves}

    @classmethod
    def from_trees(cls, trees, n_features, base, dtype, compare_dtype, cyclic=False, **kwargs):
        """The built operator for a list of ``TreeArrays`` (one per tree, in order); ``cyclic``
        changes nothing here (E keeps every column: P·E is one product either way)."""
        internal = [np.flatnonzero(~tree.is_leaf) for tree in trees]
        leaves = [np.flatnonzero(tree.is_leaf) for tree in trees]
        T, F, K = len(trees), int(n_features), trees[0].n_outputs
        I = max(1, max(len(nodes) for nodes in internal))
        L = max(len(nodes) for nodes in leaves)
        A = np.zeros((F, T, I))
        B = np.zeros((T, I))
        C = np.zeros((T, I, L))
        D = np.full((T, 1, L), -1.0)
        E = np.zeros((T, L, K))
        missing_left = np.zeros((T, I), dtype=bool)
        for t, tree in enumerate(trees):
            column = {node: j for j, node in enumerate(internal[t])}
            parent = _parents(tree)
            A[tree.feature[internal[t]], t, np.arange(len(internal[t]))] = 1.0
            B[t, :len(internal[t])] = threshold_below(tree.threshold[internal[t]], compare_dtype)
            missing_left[t, :len(internal[t])] = tree.missing_left[internal[t]]
            for l, leaf in enumerate(leaves[t]):
                for node, sign in _path(parent, leaf):
                    C[t, column[node], l] = sign
                D[t, 0, l] = np.sum(C[t, :, l] > 0)
                E[t, l] = tree.value[leaf]
        op = cls(T, F, K, n_internal=I, n_leaves=L, compare_dtype=compare_dtype, dtype=dtype,
                 max_depth=max(tree.max_depth() for tree in trees), missing=tree_arrays_missing(trees), **kwargs)
        op.build((None, F))
        return op.set_constants(A=A.reshape(F, T * I), B=B.reshape(-1), C=C, D=D, E=E,
                                missing_left=missing_left.reshape(-1), base=base)


def _parents(tree) -> dict:
    """{child: (parent, +1 for a left child / −1 for a right child)} of a ``TreeArrays``."""
    parent = {}
    for node in np.flatnonzero(~tree.is_leaf):
        parent[int(tree.left[node])] = (int(node), 1.0)
        parent[int(tree.right[node])] = (int(node), -1.0)
    return parent


def _path(parent, leaf):
    """[(ancestor node, +1 if ``leaf`` is under its left child else −1), ...] from the root."""
    path, node = [], int(leaf)
    while node in parent:
        node, sign = parent[node]
        path.append((node, sign))
    return path[::-1]

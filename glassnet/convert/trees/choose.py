"""Which strategy evaluates a tree ensemble ("auto"), and building it from ``TreeArrays``.

Hummingbird's rule (``get_tree_implementation_by_config_or_depth`` in
``hummingbird/ml/operator_converters/_tree_commons.py``: GEMM ≤ low < PerfTreeTrav ≤ high <
TreeTrav with low = 3, high = 10), on the deepest tree's depth D, with one addition for the
CPU — GEMM only while the ensemble has few nodes:

    D <= 3 and at most 16 internal nodes in all   "gemm"            a few small products
    D <= 10 (otherwise)                           "perf_tree_trav"  2^D padded nodes per tree are cheap
    D > 10                                        "tree_trav"       padding would explode

Why the node cap: Hummingbird's depth rule was tuned for GPUs, where the GEMM's
Θ(n·T·I·F) multiply-adds are nearly free. On a CPU they are not: GradientBoosting's default
100 trees of depth 3 (700 internal nodes) take 3.6 s per 100,000 rows as GEMM and 0.44 s as
perfect-tree walks (scikit-learn: 0.34 s); the two strategies cost about the same only up to
one or two depth-3 trees (measured single-threaded, 10,000 rows: 1 tree 1.2 vs 0.7 ms,
2 trees 1.1 vs 0.8 ms, 5 trees 6.0 vs 1.1 ms).
"""
from __future__ import annotations

from .extract import max_depth
from .gemm import GEMMTrees
from .perfect_tree import PerfectTreeTraversal
from .tree_traversal import TreeTraversal

GEMM_MAX_DEPTH = 3
GEMM_MAX_NODES = 16
PERFECT_MAX_DEPTH = 10
STRATEGY_CLASSES = {"gemm": GEMMTrees, "tree_trav": TreeTraversal, "perf_tree_trav": PerfectTreeTraversal}


def choose_strategy(depth: int, internal_nodes: int) -> str:
    """The strategy "auto" picks for trees at most ``depth`` tests deep with ``internal_nodes``
    internal nodes in all (see the module docstring)."""
    if depth <= GEMM_MAX_DEPTH and internal_nodes <= GEMM_MAX_NODES:
        return "gemm"
    if depth <= PERFECT_MAX_DEPTH:
        return "perf_tree_trav"
    return "tree_trav"


def compile_trees(trees, n_features, base, context, compare_dtype, cyclic=False):
    """The built strategy operator summing the leaf values of ``trees`` (``TreeArrays``).

    Args:
        trees: the trees, in the order scikit-learn adds them up.
        n_features: the model's number of input columns.
        base: (K,) numbers added to the sum (a boosted model's initial prediction, else 0).
        context: the converter's ``Context`` (``strategy`` and ``dtype``).
        compare_dtype: "float32" for scikit-learn's trees (X cast to float32), else the
            context's dtype.
        cyclic: tree t adds only to column t mod K (boosting with one tree per class).
    """
    strategy = context.strategy
    if strategy == "auto":
        strategy = choose_strategy(max_depth(trees), sum(int((~tree.is_leaf).sum()) for tree in trees))
    return STRATEGY_CLASSES[strategy].from_trees(trees, n_features, base, context.dtype, compare_dtype, cyclic=cyclic)

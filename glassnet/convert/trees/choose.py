"""Which strategy evaluates a tree ensemble ("auto"), and building it from ``TreeArrays``.

Hummingbird's rule (``get_tree_implementation_by_config_or_depth`` in
``hummingbird/ml/operator_converters/_tree_commons.py``: GEMM ≤ low < PerfTreeTrav ≤ high <
TreeTrav with low = 3, high = 10), on the deepest tree's depth D:

    D <= 3        "gemm"            a few small matrix products beat any walk
    4 <= D <= 10  "perf_tree_trav"  2^D padded nodes per tree are still cheap
    D > 10        "tree_trav"       padding would explode; walk the real nodes
"""
from __future__ import annotations

from .extract import max_depth
from .gemm import GEMMTrees
from .perfect_tree import PerfectTreeTraversal
from .tree_traversal import TreeTraversal

GEMM_MAX_DEPTH = 3
PERFECT_MAX_DEPTH = 10
STRATEGY_CLASSES = {"gemm": GEMMTrees, "tree_trav": TreeTraversal, "perf_tree_trav": PerfectTreeTraversal}


def choose_strategy(depth: int) -> str:
    """The strategy "auto" picks for trees at most ``depth`` tests deep (see the module docstring)."""
    if depth <= GEMM_MAX_DEPTH:
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
        strategy = choose_strategy(max_depth(trees))
    return STRATEGY_CLASSES[strategy].from_trees(trees, n_features, base, context.dtype, compare_dtype, cyclic=cyclic)
